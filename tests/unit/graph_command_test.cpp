// `ormlint graph` as users run it: the real binary on small Alembic projects, text and JSON.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixture_support.h"

using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

void add(const fs::path& dir, const std::string& id, const std::string& slug, const std::string& down,
         const std::string& extra = "") {
  write_file(dir / (id + "_" + slug + ".py"),
        "\"\"\"" + slug + "\n\nRevision ID: " + id + "\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
        "revision = \"" + id + "\"\ndown_revision = " + down + "\n" + extra +
        "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n");
}

// alembic.ini + alembic/versions: a1 -> b2 -> (c3 | d4), d4 labelled, plus a merge e5 of c3 and d4's child f6.
void branching_project(const fs::path& root) {
  write_file(root / "alembic.ini", "[alembic]\nscript_location = alembic\n");
  fs::path versions = root / "alembic" / "versions";
  add(versions, "a1a1a1a1a1a1", "create_users", "None");
  add(versions, "b2b2b2b2b2b2", "add_users_email", "\"a1a1a1a1a1a1\"");
  add(versions, "c3c3c3c3c3c3", "create_orders", "\"b2b2b2b2b2b2\"");
  add(versions, "d4d4d4d4d4d4", "create_invoices", "\"b2b2b2b2b2b2\"", "branch_labels = (\"billing\",)\n");
  add(versions, "f6f6f6f6f6f6", "add_invoices_total", "\"d4d4d4d4d4d4\"");
  add(versions, "e5e5e5e5e5e5", "merge", "(\"c3c3c3c3c3c3\", \"f6f6f6f6f6f6\")");
}

}  // namespace

TEST_CASE("graph prints each location as a tree from the base to the heads", "[graph][cli]") {
  TempDir dir;
  branching_project(dir.path());
  auto r = run_ormlint(dir.path(), "graph");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("alembic/versions (from alembic.ini): 6 revisions, 1 head, 1 root") != std::string::npos);
  CHECK(r.output.find("a1a1a1a1a1a1 (root)  create_users  alembic/versions/a1a1a1a1a1a1_create_users.py\n") !=
        std::string::npos);
  // A chain stays flat; a branch point indents its children.
  CHECK(r.output.find("\nb2b2b2b2b2b2  add_users_email") != std::string::npos);
  CHECK(r.output.find("├── c3c3c3c3c3c3  create_orders") != std::string::npos);
  CHECK(r.output.find("└── d4d4d4d4d4d4 [billing]  create_invoices") != std::string::npos);
  CHECK(r.output.find("    f6f6f6f6f6f6  add_invoices_total") != std::string::npos);
  // The merge comes after both branches, back at the indentation they share.
  CHECK(r.output.find("\ne5e5e5e5e5e5 (head) (merge of c3c3c3c3c3c3, f6f6f6f6f6f6)  merge") != std::string::npos);
  CHECK(r.output.find("f6f6f6f6f6f6_add_invoices_total.py\ne5e5e5e5e5e5") != std::string::npos);
  CHECK(r.output.find("warning:") == std::string::npos);
}

TEST_CASE("graph warns about heads, missing parents, duplicates and cycles", "[graph][cli]") {
  TempDir dir;
  fs::path versions = dir.path() / "migrations" / "versions";
  add(versions, "a1a1a1a1a1a1", "initial", "None");
  add(versions, "b2b2b2b2b2b2", "add_email", "\"a1a1a1a1a1a1\"");
  add(versions, "c3c3c3c3c3c3", "add_phone", "\"a1a1a1a1a1a1\"");
  add(versions, "d4d4d4d4d4d4", "orphan", "\"0000deadbeef\"");
  add(versions, "e5e5e5e5e5e5", "copy_of_email", "\"a1a1a1a1a1a1\"");
  write_file(versions / "f6f6f6f6f6f6_copy.py", "revision = \"b2b2b2b2b2b2\"\ndown_revision = \"a1a1a1a1a1a1\"\n\n\ndef upgrade():\n    pass\n");
  add(versions, "a7a7a7a7a7a7", "loop_one", "\"b8b8b8b8b8b8\"");
  add(versions, "b8b8b8b8b8b8", "loop_two", "\"a7a7a7a7a7a7\"");
  auto r = run_ormlint(dir.path(), "graph migrations");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("warning: 4 heads (") != std::string::npos);
  CHECK(r.output.find("alembic merge heads") != std::string::npos);
  CHECK(r.output.find("follows '0000deadbeef', which is not a revision in this location") != std::string::npos);
  CHECK(r.output.find("revision id 'b2b2b2b2b2b2' is declared by") != std::string::npos);
  CHECK(r.output.find("warning: cycle: a7a7a7a7a7a7, b8b8b8b8b8b8") != std::string::npos);
  CHECK(r.output.find("not reachable from a base revision:") != std::string::npos);
}

TEST_CASE("graph --format json gives revisions with parents, children and marks", "[graph][cli]") {
  TempDir dir;
  branching_project(dir.path());
  auto r = run_ormlint(dir.path(), "graph --format json .", false);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  auto json = nlohmann::json::parse(r.output);
  REQUIRE(json["locations"].size() == 1);
  const auto& location = json["locations"][0];
  CHECK(location["name"] == "alembic/versions");
  CHECK(location["source"] == "alembic.ini");
  CHECK(location["heads"] == nlohmann::json::array({"e5e5e5e5e5e5"}));
  CHECK(location["roots"] == nlohmann::json::array({"a1a1a1a1a1a1"}));
  REQUIRE(location["revisions"].size() == 6);
  CHECK(location["revisions"][0]["id"] == "a1a1a1a1a1a1");  // from the base up
  for (const auto& revision : location["revisions"]) {
    if (revision["id"] == "e5e5e5e5e5e5") {
      CHECK(revision["is_merge"] == true);
      CHECK(revision["is_head"] == true);
      CHECK(revision["parents"] == nlohmann::json::array({"c3c3c3c3c3c3", "f6f6f6f6f6f6"}));
      CHECK(revision["path"] == "alembic/versions/e5e5e5e5e5e5_merge.py");
      CHECK(revision["message"] == "merge");
    }
    if (revision["id"] == "b2b2b2b2b2b2") {
      CHECK(revision["children"] == nlohmann::json::array({"c3c3c3c3c3c3", "d4d4d4d4d4d4"}));
      CHECK(revision["is_root"] == false);
    }
    if (revision["id"] == "d4d4d4d4d4d4") CHECK(revision["branch_labels"] == nlohmann::json::array({"billing"}));
  }
  CHECK(location["warnings"].empty());
}

TEST_CASE("graph with no revision scripts, and with a missing path", "[graph][cli]") {
  TempDir dir;
  write_file(dir.path() / "app" / "models.py", "x = 1\n");
  auto empty = run_ormlint(dir.path(), "graph");
  CHECK(empty.exit_code == 0);
  CHECK(empty.output.find("no Alembic revision scripts found") != std::string::npos);
  auto json = run_ormlint(dir.path(), "graph --format json", false);
  CHECK(nlohmann::json::parse(json.output)["locations"].empty());
  auto missing = run_ormlint(dir.path(), "graph does-not-exist");
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("does-not-exist") != std::string::npos);
  CHECK(run_ormlint(dir.path(), "graph --format xml").exit_code == 2);
}
