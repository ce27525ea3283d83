// The revision graph of Alembic locations: grouping scripts into locations (folders, alembic.ini, pyproject.toml),
// then heads, roots, merges, cycles, dangling references and duplicate ids, as Alembic's revision map sees them.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "engine/engine.h"
#include "fixture_support.h"
#include "project/project.h"

using namespace ormlint;
using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A revision script; `down` and the extra lines are Python source as written.
std::string script(const std::string& id, const std::string& down, const std::string& extra = "") {
  return "\"\"\"revision " + id + "\n\nRevision ID: " + id + "\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n" +
         "revision = \"" + id + "\"\ndown_revision = " + down + "\n" + extra +
         "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n";
}

void add(const fs::path& dir, const std::string& id, const std::string& down, const std::string& extra = "") {
  write(dir / (id + "_step.py"), script(id, down, extra));
}

std::unique_ptr<Project> load(const std::vector<std::string>& paths) {
  Config config;
  config.root = fs::current_path();
  std::vector<std::string> errors;
  auto project = load_project(paths, config, 2, errors);
  INFO("errors: " << errors.size());
  REQUIRE(errors.empty());
  return project;
}

std::unique_ptr<Project> load(const fs::path& dir) { return load(std::vector<std::string>{dir.string()}); }

// The ids of some nodes, sorted.
std::vector<std::string> ids(const RevisionLocation& location, const std::vector<size_t>& nodes) {
  std::vector<std::string> out;
  for (size_t n : nodes) out.push_back(location.nodes[n].id);
  std::sort(out.begin(), out.end());
  return out;
}

size_t node(const RevisionLocation& location, const std::string& id) {
  auto it = location.by_id.find(id);
  REQUIRE(it != location.by_id.end());
  return it->second.front();
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("heads, roots, branch points and merges", "[graph]") {
  TempDir dir;
  fs::path versions = dir.path() / "migrations" / "versions";
  add(versions, "a1", "None");
  add(versions, "b2", "\"a1\"");
  add(versions, "c3", "\"b2\"");
  add(versions, "d4", "\"b2\"");
  add(versions, "e5", "(\"c3\", \"d4\")");
  add(versions, "f6", "\"b2\"");
  auto project = load(dir.path());
  REQUIRE(project->revision_locations().size() == 1);
  const RevisionLocation& location = project->revision_locations().front();
  CHECK(location.complete);
  CHECK(location.nodes.size() == 6);
  CHECK(ids(location, location.heads) == Ids{"e5", "f6"});
  CHECK(ids(location, location.roots) == Ids{"a1"});
  CHECK(location.nodes[node(location, "e5")].is_merge());
  CHECK(ids(location, location.children[node(location, "b2")]) == Ids{"c3", "d4", "f6"});
  CHECK(ids(location, location.ancestors(node(location, "e5"))) == Ids{"a1", "b2", "c3", "d4", "e5"});
  CHECK(ids(location, location.descendants(node(location, "d4"))) == Ids{"d4", "e5"});
  CHECK(location.cycles.empty());
  CHECK(location.dangling.empty());
  CHECK(location.message(node(location, "c3")) == "revision c3");
}

TEST_CASE("cycles, including a revision naming itself", "[graph]") {
  TempDir dir;
  fs::path versions = dir.path() / "versions";
  add(versions, "a1", "\"c3\"");
  add(versions, "b2", "\"a1\"");
  add(versions, "c3", "\"b2\"");
  add(versions, "d4", "\"c3\"");
  add(versions, "e5", "\"e5\"");
  auto project = load(dir.path());
  const RevisionLocation& location = project->revision_locations().front();
  REQUIRE(location.cycles.size() == 2);
  std::vector<Ids> found;
  for (const auto& group : location.cycles) found.push_back(ids(location, group));
  std::sort(found.begin(), found.end());
  CHECK(found == std::vector<Ids>{{"a1", "b2", "c3"}, {"e5"}});
  CHECK(location.roots.empty());
}

TEST_CASE("a depends_on that names a newer revision closes a cycle", "[graph]") {
  TempDir dir;
  fs::path versions = dir.path() / "versions";
  add(versions, "a1", "None", "depends_on = \"c3\"\n");
  add(versions, "b2", "\"a1\"");
  add(versions, "c3", "\"b2\"");
  auto project = load(dir.path());
  const RevisionLocation& location = project->revision_locations().front();
  REQUIRE(location.cycles.size() == 1);
  CHECK(ids(location, location.cycles.front()) == Ids{"a1", "b2", "c3"});
}

TEST_CASE("dangling parents and dependencies; depends_on may name a branch label", "[graph]") {
  TempDir dir;
  fs::path versions = dir.path() / "versions";
  add(versions, "a1", "None", "branch_labels = (\"core\",)\n");
  add(versions, "b2", "\"zz\"");
  add(versions, "c3", "(\"a1\", \"yy\")");
  add(versions, "d4", "\"a1\"", "depends_on = (\"core\", \"b2\", \"nope\")\n");
  auto project = load(dir.path());
  const RevisionLocation& location = project->revision_locations().front();
  REQUIRE(location.dangling.size() == 3);
  std::vector<std::pair<std::string, std::string>> found;
  for (const auto& d : location.dangling) found.emplace_back(location.nodes[d.node].id, d.name + (d.dependency ? " (dep)" : ""));
  std::sort(found.begin(), found.end());
  CHECK(found == std::vector<std::pair<std::string, std::string>>{{"b2", "zz"}, {"c3", "yy"}, {"d4", "nope (dep)"}});
  CHECK(ids(location, location.dependency_nodes(node(location, "d4"))) == Ids{"a1", "b2"});
  CHECK(location.by_label.count("core") == 1);
  CHECK(location.nodes[node(location, "a1")].has_branch_labels);
}

TEST_CASE("duplicate ids, non-literal values, empty string and empty tuple", "[graph]") {
  TempDir dir;
  fs::path versions = dir.path() / "versions";
  add(versions, "a1", "()");
  write(versions / "a1_copy.py", script("a1", "None"));
  add(versions, "b2", "\"\"");
  add(versions, "c3", "PREVIOUS", "PREVIOUS = \"b2\"\nbranch_labels = (LABEL,)\n");
  auto project = load(dir.path());
  const RevisionLocation& location = project->revision_locations().front();
  CHECK(location.by_id.at("a1").size() == 2);
  const RevisionNode& empty_tuple = location.nodes[location.by_id.at("a1").front()];
  CHECK(empty_tuple.down_revision_none);
  const RevisionNode& empty_string = location.nodes[node(location, "b2")];
  CHECK(empty_string.down_revision_empty);
  CHECK(empty_string.is_root());
  const RevisionNode& computed = location.nodes[node(location, "c3")];
  CHECK(computed.down_revision_unknown);
  CHECK_FALSE(computed.is_root());
  CHECK(computed.has_branch_labels);
  CHECK(computed.branch_labels.empty());
  CHECK(location.has_unknown_links());
  CHECK(ids(location, location.roots) == Ids{"a1", "a1", "b2"});
}

TEST_CASE("folders without configuration are separate locations", "[graph]") {
  TempDir dir;
  add(dir.path() / "orders" / "versions", "a1", "None");
  add(dir.path() / "search" / "versions", "b2", "\"a1\"");
  auto project = load(dir.path());
  REQUIRE(project->revision_locations().size() == 2);
  for (const auto& location : project->revision_locations()) CHECK(location.source.empty());
  const RevisionLocation& search = project->revision_locations()[1];
  CHECK(search.name.find("search") != std::string::npos);
  REQUIRE(search.dangling.size() == 1);
  CHECK(search.dangling.front().name == "a1");
}

TEST_CASE("alembic.ini version_locations with %(here)s join two folders into one graph", "[graph]") {
  TempDir dir;
  write(dir.path() / "alembic.ini",
        "[alembic]\nscript_location = %(here)s/db\nversion_locations = %(here)s/db/versions\n"
        "    %(here)s/plugins/billing/versions\nversion_path_separator = newline\n");
  add(dir.path() / "db" / "versions", "a1", "None");
  add(dir.path() / "plugins" / "billing" / "versions", "b2", "\"a1\"");
  add(dir.path() / "db" / "versions", "c3", "\"b2\"");
  auto project = load(dir.path());
  REQUIRE(project->revision_locations().size() == 1);
  const RevisionLocation& location = project->revision_locations().front();
  CHECK(location.source.find("alembic.ini") != std::string::npos);
  CHECK(location.name.find("db/versions") != std::string::npos);
  CHECK(location.name.find("plugins/billing/versions") != std::string::npos);
  CHECK(location.dangling.empty());
  CHECK(ids(location, location.heads) == Ids{"c3"});
  CHECK(location.complete);
}

TEST_CASE("script_location alone means its versions folder; recursive_version_locations takes sub-folders", "[graph]") {
  TempDir dir;
  write(dir.path() / "alembic.ini", "[alembic]\nscript_location = alembic\nrecursive_version_locations = true\n");
  add(dir.path() / "alembic" / "versions", "a1", "None");
  add(dir.path() / "alembic" / "versions" / "2024", "b2", "\"a1\"");
  add(dir.path() / "alembic" / "versions" / "2025", "c3", "\"b2\"");
  auto project = load(dir.path());
  REQUIRE(project->revision_locations().size() == 1);
  const RevisionLocation& location = project->revision_locations().front();
  CHECK(location.nodes.size() == 3);
  CHECK(location.dangling.empty());
  CHECK(ids(location, location.heads) == Ids{"c3"});
}

TEST_CASE("an absolute script_location written for a container is found in the checkout by its tail",
          "[graph]") {
  // agenta: `script_location = /app/ee/migrations/core` in ee/migrations/core/alembic.ini (the image copies
  // the project to /app); a draft folder beside versions/ is then no location of its own.
  TempDir dir;
  const auto core = dir.path() / "ee" / "migrations" / "core";
  write(core / "alembic.ini", "[alembic]\nscript_location = /app/ee/migrations/core\n");
  add(core / "versions", "a1", "None");
  add(core / "versions", "b2", "\"a1\"");
  // A location below the configuration's folder: `/srv/app/db` with the ini beside `db/`.
  write(dir.path() / "svc" / "alembic.ini", "[alembic]\nscript_location = /srv/app/db\n");
  add(dir.path() / "svc" / "db" / "versions", "c3", "None");
  auto project = load(dir.path());
  REQUIRE(project->revision_locations().size() == 2);
  for (const auto& location : project->revision_locations()) {
    CHECK(location.source.find("alembic.ini") != std::string::npos);
    CHECK(location.dangling.empty());
  }
  CHECK(project->revision_locations()[0].nodes.size() + project->revision_locations()[1].nodes.size() == 3);
}

TEST_CASE("[tool.alembic] in pyproject.toml names the version folders", "[graph]") {
  TempDir dir;
  write(dir.path() / "pyproject.toml",
        "[project]\nname = \"shop\"\n\n[tool.alembic]\nscript_location = \"%(here)s/migrations\"\n"
        "version_locations = [\"%(here)s/migrations/versions\", \"%(here)s/extra\"]\n");
  add(dir.path() / "migrations" / "versions", "a1", "None");
  add(dir.path() / "extra", "b2", "\"a1\"");
  auto project = load(dir.path());
  REQUIRE(project->revision_locations().size() == 1);
  const RevisionLocation& location = project->revision_locations().front();
  CHECK(location.source.find("pyproject.toml") != std::string::npos);
  CHECK(location.nodes.size() == 2);
  CHECK(location.dangling.empty());
}

TEST_CASE("a location checked in part, or with a script that does not parse, is incomplete", "[graph]") {
  TempDir dir;
  fs::path versions = dir.path() / "versions";
  add(versions, "a1", "None");
  add(versions, "b2", "\"a1\"");
  add(versions, "c3", "\"b2\"");
  write(versions / "__init__.py", "");
  {
    auto project = load(std::vector<std::string>{(versions / "c3_step.py").string()});
    REQUIRE(project->revision_locations().size() == 1);
    CHECK_FALSE(project->revision_locations().front().complete);
  }
  {
    auto project = load(dir.path());
    CHECK(project->revision_locations().front().complete);
  }
  write(versions / "d4_step.py", "revision = \"d4\"\ndown_revision = (\n");
  auto project = load(dir.path());
  CHECK_FALSE(project->revision_locations().front().complete);
}

TEST_CASE("a long chain builds without deep recursion", "[graph]") {
  TempDir dir;
  fs::path versions = dir.path() / "versions";
  constexpr int kLength = 3000;
  for (int i = 0; i < kLength; ++i) {
    std::string id = "r" + std::to_string(i);
    add(versions, id, i == 0 ? "None" : "\"r" + std::to_string(i - 1) + "\"");
  }
  // Close a loop over the whole chain: one strongly connected group of every revision.
  write(versions / "r0_step.py", script("r0", "\"r" + std::to_string(kLength - 1) + "\""));
  auto project = load(dir.path());
  const RevisionLocation& location = project->revision_locations().front();
  REQUIRE(location.cycles.size() == 1);
  CHECK(location.cycles.front().size() == static_cast<size_t>(kLength));
  CHECK(location.ancestors(node(location, "r5")).size() == static_cast<size_t>(kLength));
}
