// Baselines: matching (by rule, root-relative path and line text, never the line number; a multiset), the file
// format (stable bytes, clear errors), and the real binary's round trip: --write-baseline, reruns, --show-stale,
// a corrupt file.
#include "engine/baseline.h"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fixture_support.h"

using namespace ormlint;
using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

Diagnostic finding(const std::string& path, uint32_t line, const std::string& rule, const std::string& source_line,
                   const std::string& message = "a message") {
  Diagnostic d;
  d.path = path;
  d.loc.line = line;
  d.loc.column = 1;
  d.loc.end_line = line;
  d.loc.end_column = 2;
  d.rule = rule;
  d.code = rule == "reserved-attribute" ? "OL101" : "OL106";
  d.message = message;
  d.source_line = source_line;
  return d;
}

const ProjectPaths kAtRoot("/project", "/project");

BaselineScope whole_project(const ProjectPaths& paths = kAtRoot) {
  return BaselineScope(paths, {"/project"}, std::nullopt);
}

BaselineOutcome apply(const Baseline& baseline, const std::vector<Diagnostic>& now, const ProjectPaths& paths = kAtRoot) {
  return apply_baseline(baseline, now, paths, whole_project(paths));
}

std::string parse_error(const std::string& text) {
  try {
    parse_baseline(text, "ci/baseline.json");
  } catch (const BaselineError& e) {
    return e.what();
  }
  FAIL("expected a BaselineError for: " << text);
  return "";
}

}  // namespace

TEST_CASE("baseline matching ignores line numbers but not the line's text", "[baseline]") {
  const Baseline baseline =
      baseline_from({finding("app/models.py", 10, "reserved-attribute", "    metadata = Column(JSON)")}, kAtRoot);

  SECTION("lines added above do not resurrect a known finding") {
    const BaselineOutcome outcome =
        apply(baseline, {finding("app/models.py", 14, "reserved-attribute", "    metadata = Column(JSON)")});
    CHECK(outcome.kept.empty());
    CHECK(outcome.hidden == 1);
    CHECK(outcome.stale.empty());
  }
  SECTION("re-indenting the line keeps it known: the text is compared trimmed") {
    const BaselineOutcome outcome =
        apply(baseline, {finding("app/models.py", 10, "reserved-attribute", "\tmetadata = Column(JSON)  \r")});
    CHECK(outcome.kept.empty());
  }
  SECTION("a changed line is a new finding, and its old entry is stale") {
    const BaselineOutcome outcome =
        apply(baseline, {finding("app/models.py", 10, "reserved-attribute", "    metadata = Column(JSONB)")});
    REQUIRE(outcome.kept.size() == 1);
    CHECK(outcome.kept[0].source_line == "    metadata = Column(JSONB)");
    CHECK(outcome.hidden == 0);
    REQUIRE(outcome.stale.size() == 1);
    CHECK(outcome.stale[0].source_line == "metadata = Column(JSON)");
  }
  SECTION("the same line in another file, or of another rule, is new") {
    const BaselineOutcome outcome =
        apply(baseline, {finding("app/other.py", 10, "reserved-attribute", "metadata = Column(JSON)"),
                         finding("app/models.py", 10, "naive-datetime-column", "metadata = Column(JSON)")});
    CHECK(outcome.kept.size() == 2);
    CHECK(outcome.stale.size() == 1);
  }
}

TEST_CASE("baseline entries are a multiset with a count per key", "[baseline]") {
  const std::string line = "created = Column(DateTime)";
  const Baseline baseline = baseline_from({finding("m.py", 3, "naive-datetime-column", line),
                                           finding("m.py", 9, "naive-datetime-column", line)},
                                          kAtRoot);
  REQUIRE(baseline.entries.size() == 1);
  CHECK(baseline.entries[0].count == 2);
  CHECK(baseline.total() == 2);

  SECTION("a third identical finding is new") {
    const BaselineOutcome outcome = apply(baseline, {finding("m.py", 3, "naive-datetime-column", line),
                                                     finding("m.py", 9, "naive-datetime-column", line),
                                                     finding("m.py", 15, "naive-datetime-column", line)});
    CHECK(outcome.hidden == 2);
    REQUIRE(outcome.kept.size() == 1);
    CHECK(outcome.kept[0].loc.line == 15);  // the findings keep their order; the last one is left over
  }
  SECTION("fixing one of two leaves one occurrence stale") {
    const BaselineOutcome outcome = apply(baseline, {finding("m.py", 9, "naive-datetime-column", line)});
    CHECK(outcome.kept.empty());
    REQUIRE(outcome.stale.size() == 1);
    CHECK(outcome.stale[0].count == 1);
  }
}

TEST_CASE("baseline entries with the same key prefer the one with the same message", "[baseline]") {
  const Baseline baseline = baseline_from({finding("m.py", 3, "reserved-attribute", "x = f()", "message one"),
                                           finding("m.py", 3, "reserved-attribute", "x = f()", "message two")},
                                          kAtRoot);
  REQUIRE(baseline.entries.size() == 2);
  const BaselineOutcome outcome = apply(baseline, {finding("m.py", 5, "reserved-attribute", "x = f()", "message two")});
  CHECK(outcome.kept.empty());
  REQUIRE(outcome.stale.size() == 1);
  CHECK(outcome.stale[0].message == "message one");
  // The message is for people: a reworded message still matches by key.
  CHECK(apply(baseline, {finding("m.py", 5, "reserved-attribute", "x = f()", "reworded"),
                         finding("m.py", 6, "reserved-attribute", "x = f()", "reworded")})
            .kept.empty());
}

TEST_CASE("baseline paths are relative to the project root, whatever the working directory", "[baseline]") {
  const ProjectPaths from_sub_folder("/project", "/project/app");
  CHECK(from_sub_folder.relative("models.py") == "app/models.py");
  CHECK(from_sub_folder.relative("./db/../models.py") == "app/models.py");
  CHECK(from_sub_folder.relative("../lib/base.py") == "lib/base.py");
  CHECK(from_sub_folder.relative("/project/app/models.py") == "app/models.py");
  CHECK(ProjectPaths("/project/", "/project").relative("app/models.py") == "app/models.py");

  // Written from the root, read from app/: the display paths differ, the entries still match.
  const Baseline baseline = baseline_from({finding("app/models.py", 10, "reserved-attribute", "metadata = 1")}, kAtRoot);
  CHECK(baseline.entries[0].path == "app/models.py");
  const BaselineOutcome outcome = apply_baseline(baseline, {finding("models.py", 12, "reserved-attribute", "metadata = 1")},
                                                 from_sub_folder, BaselineScope(from_sub_folder, {"."}, std::nullopt));
  CHECK(outcome.kept.empty());
  CHECK(outcome.hidden == 1);
}

TEST_CASE("baseline scope: what a run did not look at is neither stale nor dropped on rewrite", "[baseline]") {
  const Baseline old_baseline = baseline_from({finding("app/models.py", 1, "reserved-attribute", "a = 1"),
                                               finding("lib/base.py", 1, "reserved-attribute", "b = 1"),
                                               finding("app/models.py", 2, "naive-datetime-column", "c = 1")},
                                              kAtRoot);
  // A run from the root on app/ only, with reserved-attribute only, which found nothing.
  const BaselineScope scope(kAtRoot, {"app"}, std::set<std::string>{"reserved-attribute"});
  const BaselineOutcome outcome = apply_baseline(old_baseline, {}, kAtRoot, scope);
  REQUIRE(outcome.stale.size() == 1);
  CHECK(outcome.stale[0].path == "app/models.py");
  CHECK(outcome.stale[0].rule == "reserved-attribute");

  const Baseline rewritten = merge_for_write(old_baseline, Baseline{}, scope);
  REQUIRE(rewritten.entries.size() == 2);
  CHECK(rewritten.entries[0].path == "app/models.py");
  CHECK(rewritten.entries[0].rule == "naive-datetime-column");
  CHECK(rewritten.entries[1].path == "lib/base.py");

  SECTION("a finding outside the given paths widens the scope, so a rewrite does not count it twice") {
    const std::vector<Diagnostic> now = {finding("lib/base.py", 1, "reserved-attribute", "b = 1")};
    BaselineScope widened = scope;
    widened.cover(now, kAtRoot);
    const Baseline merged = merge_for_write(old_baseline, baseline_from(now, kAtRoot), widened);
    const auto base = std::find_if(merged.entries.begin(), merged.entries.end(),
                                   [](const BaselineEntry& e) { return e.path == "lib/base.py"; });
    REQUIRE(base != merged.entries.end());
    CHECK(base->count == 1);
  }
}

TEST_CASE("baseline file format: versioned, sorted, stable bytes", "[baseline]") {
  const std::vector<Diagnostic> findings = {
      finding("b.py", 7, "reserved-attribute", "  metadata = Column(JSON)", "`metadata` is reserved"),
      finding("a.py", 3, "naive-datetime-column", "created = Column(DateTime)", "naive"),
      finding("a.py", 9, "naive-datetime-column", "created = Column(DateTime)", "naive"),
  };
  const std::string text = serialize_baseline(baseline_from(findings, kAtRoot));
  const std::string expected = R"json({
  "version": 1,
  "entries": [
    {
      "path": "a.py",
      "rule": "naive-datetime-column",
      "code": "OL106",
      "source_line": "created = Column(DateTime)",
      "message": "naive",
      "count": 2
    },
    {
      "path": "b.py",
      "rule": "reserved-attribute",
      "code": "OL101",
      "source_line": "metadata = Column(JSON)",
      "message": "`metadata` is reserved",
      "count": 1
    }
  ]
}
)json";
  CHECK(text == expected);
  std::vector<Diagnostic> reversed(findings.rbegin(), findings.rend());
  CHECK(serialize_baseline(baseline_from(reversed, kAtRoot)) == text);
  CHECK(serialize_baseline(parse_baseline(text, "x.json")) == text);
}

TEST_CASE("baseline with invalid UTF-8 in a line still matches its own finding", "[baseline]") {
  const Diagnostic bad = finding("m.py", 1, "reserved-attribute", "x = '\xff\xfe'");
  const std::string text = serialize_baseline(baseline_from({bad}, kAtRoot));
  const BaselineOutcome outcome = apply(parse_baseline(text, "x.json"), {bad});
  CHECK(outcome.kept.empty());
}

TEST_CASE("baseline files that cannot be parsed give errors naming the file and the problem", "[baseline]") {
  CHECK(contains(parse_error("{\"version\": 1, \"entries\": ["), "ci/baseline.json: not a valid baseline file (JSON)"));
  CHECK(contains(parse_error(""), "ci/baseline.json"));
  CHECK(contains(parse_error("[]"), "expected a JSON object"));
  CHECK(contains(parse_error("{\"entries\": []}"), "missing \"version\""));
  CHECK(contains(parse_error("{\"version\": 2, \"entries\": []}"), "written by a newer ormlint"));
  CHECK(contains(parse_error("{\"version\": 1}"), "\"entries\" must be an array"));
  CHECK(contains(parse_error("{\"version\": 1, \"entries\": [], \"extra\": 1}"), "unknown key \"extra\""));
  const std::string entry = R"({"path": "a.py", "rule": "r", "source_line": "x", "count": 1})";
  CHECK_NOTHROW(parse_baseline("{\"version\": 1, \"entries\": [" + entry + "]}", "x.json"));
  CHECK(contains(parse_error("{\"version\": 1, \"entries\": [" + entry + ", 3]}"), "ci/baseline.json: entry 2: must be an object"));
  CHECK(contains(parse_error(R"({"version": 1, "entries": [{"path": "a.py", "rule": "r", "source_line": "x", "count": 0}]})"),
                 "entry 1: \"count\" must be a positive integer"));
  CHECK(contains(parse_error(R"({"version": 1, "entries": [{"path": "", "rule": "r", "source_line": "x", "count": 1}]})"),
                 "\"path\" must be a non-empty string"));
  CHECK(contains(parse_error(R"({"version": 1, "entries": [{"rule": "r", "source_line": "x", "count": 1}]})"),
                 "missing \"path\""));
  CHECK(contains(parse_error(R"({"version": 1, "entries": [{"path": "a", "rule": "r", "source_line": "x", "cout": 1}]})"),
                 "unknown key \"cout\""));
}

TEST_CASE("baseline files are written whole and read back", "[baseline]") {
  TempDir dir;
  const fs::path file = dir.path() / "baseline.json";
  const Baseline baseline = baseline_from({finding("a.py", 1, "reserved-attribute", "metadata = 1")}, kAtRoot);
  write_baseline(file, baseline);
  CHECK(read_file(file) == serialize_baseline(baseline));
  CHECK(serialize_baseline(load_baseline(file)) == serialize_baseline(baseline));
  // Only the file itself: the temporary file it was written through is gone.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

  // A symlinked baseline is rewritten where it points, and stays a link.
  const fs::path link = dir.path() / "link.json";
  fs::create_symlink(file, link);
  const Baseline other = baseline_from({finding("b.py", 1, "reserved-attribute", "query = 1")}, kAtRoot);
  write_baseline(link, other);
  CHECK(fs::is_symlink(link));
  CHECK(read_file(file) == serialize_baseline(other));
  fs::remove(link);

  CHECK_THROWS_WITH(load_baseline(dir.path() / "missing.json"), Catch::Contains("missing.json: cannot read"));
  CHECK_THROWS_WITH(load_baseline(dir.path()), Catch::Contains("is a folder"));
  CHECK_THROWS_WITH(write_baseline(dir.path() / "no-such-folder" / "b.json", baseline),
                    Catch::Contains("no-such-folder/b.json: cannot write"));
}

// ---- the real binary ----

namespace {

std::string model(const std::string& class_name, const std::string& table, const std::string& padding = "") {
  return "from sqlalchemy import JSON, Column, Integer\n"
         "from sqlalchemy.orm import declarative_base\n" +
         padding +
         "\nBase = declarative_base()\n\n\n"
         "class " + class_name + "(Base):\n"
         "    __tablename__ = \"" + table + "\"\n"
         "    id = Column(Integer, primary_key=True)\n"
         "    metadata = Column(JSON)\n";
}

}  // namespace

TEST_CASE("baseline round trip with the real binary", "[baseline]") {
  TempDir dir;
  const fs::path root = fs::canonical(dir.path());
  write_file(root / "pyproject.toml", "[tool.ormlint]\nprofile = \"portable\"\n");
  write_file(root / "app" / "models.py", model("Agent", "agents"));
  const fs::path baseline_file = root / ".ormlint-baseline.json";

  REQUIRE(run_ormlint(root, "check").exit_code == 1);

  // Write: exit 0, one line, the finding recorded by path, rule and line text.
  const CommandResult written = run_ormlint(root, "check --write-baseline");
  CHECK(written.exit_code == 0);
  CHECK(written.output == "wrote 1 finding to .ormlint-baseline.json\n");
  const std::string first_bytes = read_file(baseline_file);
  const auto document = nlohmann::json::parse(first_bytes);
  CHECK(document["version"] == 1);
  REQUIRE(document["entries"].size() == 1);
  CHECK(document["entries"][0]["path"] == "app/models.py");
  CHECK(document["entries"][0]["rule"] == "reserved-attribute");
  CHECK(document["entries"][0]["code"] == "OL101");
  CHECK(document["entries"][0]["source_line"] == "metadata = Column(JSON)");
  CHECK(document["entries"][0]["count"] == 1);
  // The same findings give the same bytes.
  CHECK(run_ormlint(root, "check --write-baseline").exit_code == 0);
  CHECK(read_file(baseline_file) == first_bytes);

  // Rerun: clean, and the summary says why; from a sub-folder too (paths are relative to the project root).
  const CommandResult clean = run_ormlint(root, "check");
  CHECK(clean.exit_code == 0);
  CHECK(contains(clean.output, "All checks passed (1 file checked, 1 known finding hidden by the baseline)."));
  CHECK(run_ormlint(root / "app", "check .").exit_code == 0);
  CHECK(run_ormlint(root, "check --no-baseline").exit_code == 1);

  // Lines added above the known finding do not bring it back.
  write_file(root / "app" / "models.py", model("Agent", "agents", "import os\nimport sys\n"));
  CHECK(run_ormlint(root, "check").exit_code == 0);

  // A new finding is reported alone.
  write_file(root / "app" / "other.py", model("Other", "others"));
  const CommandResult fresh = run_ormlint(root, "check");
  CHECK(fresh.exit_code == 1);
  CHECK(contains(fresh.output, "app/other.py:10:5: error[reserved-attribute]"));
  CHECK_FALSE(contains(fresh.output, "app/models.py"));
  CHECK(contains(fresh.output, "Found 1 problem (1 error, 0 warnings, 0 info) in 2 files checked (1 known finding "
                               "hidden by the baseline)."));

  // Fixing the old one: --show-stale names its entry, on stderr; stale entries do not change the exit code.
  std::string fixed = model("Agent", "agents");
  fixed.erase(fixed.find("    metadata = Column(JSON)\n"));  // the last line
  write_file(root / "app" / "models.py", fixed);
  const CommandResult stale = run_ormlint(root, "check --show-stale");
  CHECK(stale.exit_code == 1);  // other.py's finding
  CHECK(contains(stale.output, "ormlint: 1 stale baseline entry in .ormlint-baseline.json"));
  CHECK(contains(stale.output, "  app/models.py: reserved-attribute: metadata = Column(JSON)\n"));
  CHECK_FALSE(contains(run_ormlint(root, "check --show-stale", false).output, "stale"));
  const CommandResult json = run_ormlint(root, "check --show-stale --format json", false);
  CHECK_NOTHROW(nlohmann::json::parse(json.output));
  fs::remove(root / "app" / "other.py");
  CHECK(run_ormlint(root, "check --show-stale").exit_code == 0);
  CHECK(contains(run_ormlint(root / "app", "check --show-stale models.py").output, "app/models.py: reserved-attribute"));
  // Rewriting prunes it.
  CHECK(run_ormlint(root, "check --write-baseline").output == "wrote 0 findings to .ormlint-baseline.json\n");
  CHECK(nlohmann::json::parse(read_file(baseline_file))["entries"].empty());
  CHECK(contains(run_ormlint(root, "check --show-stale").output, "no stale baseline entries"));

  // A corrupt baseline: exit 2 naming the file, and the file is left as it was.
  write_file(baseline_file, "{\"version\": 1, \"entries\": [");
  const CommandResult corrupt = run_ormlint(root, "check");
  CHECK(corrupt.exit_code == 2);
  CHECK(contains(corrupt.output, "ormlint: error: .ormlint-baseline.json: not a valid baseline file (JSON)"));
  CHECK(read_file(baseline_file) == "{\"version\": 1, \"entries\": [");
  CHECK(run_ormlint(root, "check --no-baseline").exit_code == 0);
}

TEST_CASE("--write-baseline FILE needs '=', --baseline names another file", "[baseline]") {
  TempDir dir;
  const fs::path root = fs::canonical(dir.path());
  write_file(root / "app" / "models.py", model("Agent", "agents"));
  write_file(root / "lib" / "base.py", model("Base2", "bases"));

  // ruff style: the file attached with '='.
  CHECK(run_ormlint(root, "check --write-baseline=ci.json app").output == "wrote 1 finding to ci.json\n");
  CHECK(fs::exists(root / "ci.json"));
  CHECK(run_ormlint(root, "check --baseline ci.json app").exit_code == 0);
  CHECK(run_ormlint(root, "check --baseline ci.json").exit_code == 1);  // lib/base.py is not in it

  // A bare flag before a path: the path is checked, the default file written.
  CHECK(run_ormlint(root, "check --write-baseline lib/").output == "wrote 1 finding to .ormlint-baseline.json\n");
  // ... and the file of a run on part of the project keeps the rest: writing app/ keeps lib/'s entry.
  CHECK(run_ormlint(root, "check --write-baseline app").output ==
        "wrote 1 finding to .ormlint-baseline.json (and kept 1 finding of other paths or rules from the old "
        "baseline)\n");
  CHECK(run_ormlint(root, "check").exit_code == 0);

  // A bare flag before something that looks like a baseline: a usage error with the fix, nothing checked.
  const CommandResult ambiguous = run_ormlint(root, "check --write-baseline other.json");
  CHECK(ambiguous.exit_code == 2);
  CHECK(contains(ambiguous.output, "--write-baseline=other.json"));
  CHECK_FALSE(fs::exists(root / "other.json"));

  const CommandResult missing = run_ormlint(root, "check --baseline missing.json");
  CHECK(missing.exit_code == 2);
  CHECK(contains(missing.output, "missing.json: baseline file not found"));
  CHECK(run_ormlint(root, "check --no-baseline --show-stale").exit_code == 2);
}

TEST_CASE("baseline = \"...\" in the configuration names the file, relative to it", "[baseline]") {
  TempDir dir;
  const fs::path root = fs::canonical(dir.path());
  write_file(root / "pyproject.toml", "[tool.ormlint]\nbaseline = \"ci/ormlint-baseline.json\"\n");
  write_file(root / "app" / "models.py", model("Agent", "agents"));
  fs::create_directories(root / "ci");

  const CommandResult missing = run_ormlint(root, "check");
  CHECK(missing.exit_code == 2);  // a configured baseline must exist
  CHECK(contains(missing.output, "ci/ormlint-baseline.json: baseline file not found"));
  CHECK(run_ormlint(root / "app", "check --write-baseline").output ==
        "wrote 1 finding to " + (root / "ci" / "ormlint-baseline.json").string() + "\n");
  CHECK(run_ormlint(root, "check").exit_code == 0);
  CHECK(run_ormlint(root / "app", "check").exit_code == 0);
}
