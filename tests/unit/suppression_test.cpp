// Suppression comments: how they are parsed (reasons, `# noqa` lists shared with flake8/ruff), which of them
// the engine records as used, and the two rules that judge them (unused-suppression,
// suppression-without-reason) in the real engine and the real binary. The fixtures cover realistic projects;
// this file covers exact messages, the filters' interplay and the configuration key.
#include "engine/suppression.h"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/rule.h"
#include "fixture_support.h"

using namespace ormlint;
using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

FileSuppressions parse_one(const std::string& text, uint32_t line = 1) {
  static TextStore texts;  // the comments' texts outlive every parse (the results may point into them)
  Comment comment{line, texts.keep(text), Location{}};
  comment.loc.line = line;
  return parse_suppressions({comment});
}

// A copy: the parsed set is usually a temporary.
Suppression only(const FileSuppressions& parsed) {
  REQUIRE(parsed.by_line.size() == 1);
  return parsed.by_line.begin()->second;
}

const Rule* rule(const std::string& name) {
  const Rule* found = find_rule(name);
  REQUIRE(found != nullptr);
  return found;
}

const char* kModel = R"(from sqlalchemy import JSON, Column, DateTime, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Agent(Base):
    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)  # ormlint: ignore[reserved-attribute] -- legacy table, TICKET-12
    settings = Column(JSON)  # ormlint: ignore[reserved-attribute]
    seen_at = Column(DateTime(timezone=True))  # ormlint: ignore
    config = Column(JSON)  # ormlint: ignore[reserved-attribute, unused-suppression]
    notes = Column(JSON)  # noqa: E501
    extra = Column(JSON)  # noqa
)";

struct Finding {
  uint32_t line;
  std::string rule;
  std::string message;
  std::string help;
  Severity severity;
};

std::vector<Finding> run_on(const fs::path& dir, const std::vector<const Rule*>& rules,
                            const Config& base = {},
                            std::optional<std::vector<std::string>> report_scope = std::nullopt) {
  RunOptions options;
  options.paths = {dir.string()};
  options.jobs = 2;
  options.config = base;
  if (options.config.root.empty()) options.config.root = dir;
  options.rules = rules;
  options.report_scope = std::move(report_scope);
  RunResult result = run(options);
  CHECK(result.errors.empty());
  std::vector<Finding> out;
  for (const Diagnostic& d : result.diagnostics)
    out.push_back({d.loc.line, d.rule, d.message, d.help, d.severity});
  return out;
}

std::vector<uint32_t> lines_of(const std::vector<Finding>& findings, const std::string& rule_name) {
  std::vector<uint32_t> lines;
  for (const Finding& f : findings) {
    if (f.rule == rule_name) lines.push_back(f.line);
  }
  return lines;
}

const Finding& finding_at(const std::vector<Finding>& findings, const std::string& rule_name, uint32_t line) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [&](const Finding& f) { return f.rule == rule_name && f.line == line; });
  REQUIRE(it != findings.end());
  return *it;
}

// The default rule set, as `ormlint check` runs it without configuration.
std::vector<const Rule*> default_rules() {
  Config config;
  return active_rules(config, "test");
}

// ---- the real binary (same pattern as cli_test.cpp) ----

}  // namespace

TEST_CASE("suppression reasons parse in both spellings; an empty reason is none", "[suppression]") {
  const Suppression ignore =
      only(parse_one("# ormlint: ignore[destructive-operation] -- backed up in TICKET-12"));
  CHECK(ignore.kind == Suppression::Kind::Ormlint);
  CHECK(ignore.rules == std::set<std::string>{"destructive-operation"});
  CHECK(ignore.reason == "backed up in TICKET-12");

  const Suppression noqa = only(parse_one("# noqa: OL205 -- reason"));
  CHECK(noqa.kind == Suppression::Kind::Noqa);
  CHECK(noqa.rules == std::set<std::string>{"OL205"});
  CHECK(noqa.reason == "reason");

  CHECK(only(parse_one("# ormlint: ignore[a, b] -- ")).reason.empty());
  CHECK(only(parse_one("# ormlint: ignore[a] --")).reason.empty());
  CHECK(only(parse_one("# noqa: OL101 --   ")).reason.empty());
  CHECK(only(parse_one("# ormlint: ignore[a]")).reason.empty());
  CHECK(only(parse_one("# ormlint: ignore -- all of them, generated code")).reason ==
        "all of them, generated code");
  CHECK(only(parse_one("# ormlint:ignore[a] --tight")).reason == "tight");
  CHECK(only(parse_one("# ormlint: ignore[a, b]")).rules == std::set<std::string>{"a", "b"});
  // Another tool's comment in front of ours.
  CHECK(only(parse_one("# type: ignore[assignment]  # ormlint: ignore[OL101] -- why")).rules ==
        std::set<std::string>{"OL101"});
}

TEST_CASE("noqa lists end where flake8's do; prose is no directive", "[suppression]") {
  CHECK(only(parse_one("# noqa: F401  (registers every model on Base.metadata)")).rules ==
        std::set<std::string>{"F401"});
  CHECK(only(parse_one("# NOQA:E501,W291")).rules == std::set<std::string>{"E501", "W291"});
  CHECK(only(parse_one("# noqa: E501, OL101 reserved-attribute")).rules ==
        std::set<std::string>{"E501", "OL101", "reserved-attribute"});
  CHECK(only(parse_one("# noqa:OL101  # expect: something")).rules == std::set<std::string>{"OL101"});
  const Suppression bare = only(parse_one("# noqa"));
  CHECK(bare.rules.empty());
  CHECK(bare.kind == Suppression::Kind::Noqa);

  for (const char* prose : {"# the snoqalmie import", "# noqa-related notes", "# ormlint: ignored for now",
                            "# see ormlint: docs", "# ormlint: ignore[unclosed", "# plain comment"}) {
    INFO(prose);
    CHECK(parse_one(prose).by_line.empty());
  }
  CHECK(parse_one("# ormlint: skip-file -- generated").skip_file);
}

TEST_CASE("which names and comments are ormlint's", "[suppression]") {
  const Suppression mixed = only(parse_one("# noqa: E501, OL101, reserved-attribute, OL999, W291"));
  CHECK(mixed.ormlint_names() == std::vector<std::string>{"OL101", "OL999", "reserved-attribute"});
  CHECK(mixed.owned_by_ormlint());
  CHECK_FALSE(only(parse_one("# noqa: E501")).owned_by_ormlint());
  CHECK_FALSE(only(parse_one("# noqa")).owned_by_ormlint());
  CHECK(only(parse_one("# ormlint: ignore")).owned_by_ormlint());
  const Suppression typo = only(parse_one("# ormlint: ignore[reserved-atribute, E501]"));
  CHECK(typo.ormlint_names() == std::vector<std::string>{"E501", "reserved-atribute"});

  const FileSuppressions parsed = parse_one("# ormlint: ignore[OL101]", 7);
  CHECK(parsed.suppresses(7, "reserved-attribute", "OL101"));
  CHECK(parsed.names(7, "reserved-attribute", "OL101"));
  CHECK_FALSE(parsed.suppresses(8, "reserved-attribute", "OL101"));
  const FileSuppressions all = parse_one("# ormlint: ignore", 3);
  CHECK(all.suppresses(3, "anything", "OL999"));
  CHECK_FALSE(all.names(3, "anything", "OL999"));
}

TEST_CASE("unused-suppression: what it reports, and what it leaves alone", "[suppression]") {
  TempDir dir;
  write_files(dir.path(), kModel, "models.py");

  SECTION("with the default rules: stale names, a stale bare ignore; never other tools' noqa") {
    auto found = run_on(dir.path(), default_rules());
    CHECK(lines_of(found, "unused-suppression") == std::vector<uint32_t>{11, 12});
    CHECK(lines_of(found, "reserved-attribute").empty());  // line 10's suppression is used
    const Finding& stale = finding_at(found, "unused-suppression", 11);
    CHECK(stale.message == "unused suppression: no `reserved-attribute` finding on this line");
    CHECK(stale.help == "delete the comment");
    CHECK(stale.severity == Severity::Warning);
    CHECK(finding_at(found, "unused-suppression", 12).message ==
          "unused suppression: no finding on this line");
  }

  SECTION("a run of a few rules judges only their names, never a bare ignore") {
    auto found = run_on(dir.path(), {rule("reserved-attribute"), rule("unused-suppression")});
    CHECK(lines_of(found, "unused-suppression") == std::vector<uint32_t>{11});
    found = run_on(dir.path(), {rule("naive-datetime-column"), rule("unused-suppression")});
    CHECK(lines_of(found, "unused-suppression").empty());
  }

  SECTION("its findings obey per-file-ignores and severities") {
    Config config;
    config.root = dir.path();
    config.severity["unused-suppression"] = Severity::Error;
    auto found = run_on(dir.path(), default_rules(), config);
    CHECK(finding_at(found, "unused-suppression", 11).severity == Severity::Error);
    config.per_file_ignores.push_back({"models.py", {"unused-suppression"}});
    CHECK(lines_of(run_on(dir.path(), default_rules(), config), "unused-suppression").empty());
  }

  SECTION("a file read only as context is not judged") {
    write_files(dir.path(), "x = 1\n", "other.py");
    auto found =
        run_on(dir.path(), default_rules(), {}, std::vector<std::string>{(dir.path() / "other.py").string()});
    CHECK(found.empty());
    // The same scope mechanism, pointed at the model, does report: the empty result above is the scope's
    // doing.
    found = run_on(dir.path(), default_rules(), {},
                   std::vector<std::string>{(dir.path() / "models.py").string()});
    CHECK(lines_of(found, "unused-suppression") == std::vector<uint32_t>{11, 12});
  }
}

TEST_CASE("unused-suppression: partly stale lists, typos, comments on their own line", "[suppression]") {
  TempDir dir;
  write_files(dir.path(), R"(from sqlalchemy import JSON, Column, DateTime, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Agent(Base):
    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)
    seen_at = Column(DateTime)  # ormlint: ignore[naive-datetime-column, OL101] -- UTC
    data = Column(JSON)  # noqa: E501, OL101, OL999
    # ormlint: ignore[naive-datetime-column]
    last_at = Column(DateTime)
    blob = Column(JSON)  # ormlint: ignore[reserved-atribute, ol403]
)",
              "models.py");
  auto found = run_on(dir.path(), default_rules());
  CHECK(lines_of(found, "unused-suppression") == std::vector<uint32_t>{10, 11, 12, 14});
  CHECK(finding_at(found, "unused-suppression", 10).message ==
        "unused suppression: no `OL101` finding on this line");
  CHECK(finding_at(found, "unused-suppression", 10).help == "remove `OL101` from the list");
  const Finding& noqa = finding_at(found, "unused-suppression", 11);
  CHECK(noqa.message ==
        "unused suppression: no `OL101` finding on this line; `OL999` is not an ormlint rule");
  CHECK(noqa.help ==
        "remove `OL101` and `OL999` from the list, or correct the rule name (`ormlint rules` lists them)");
  CHECK(contains(finding_at(found, "unused-suppression", 12).help, "covers only its own line"));
  CHECK(lines_of(found, "naive-datetime-column") == std::vector<uint32_t>{13});
  CHECK(
      finding_at(found, "unused-suppression", 14).message ==
      "`ol403` (did you mean `OL403`?) and `reserved-atribute` (did you mean `reserved-attribute`?) are not "
      "ormlint rules");
}

TEST_CASE("suppression findings are hidden only by naming their rule", "[suppression]") {
  TempDir dir;
  write_files(dir.path(), R"(from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Agent(Base):
    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)  # ormlint: ignore
    rank = Column(Integer)  # ormlint: ignore[reserved-attribute, unused-suppression, suppression-without-reason]
    level = Column(Integer)  # noqa: OL101, unused-suppression -- the v2 port needs it
)",
              "models.py");
  std::vector<const Rule*> rules = default_rules();
  rules.push_back(rule("suppression-without-reason"));
  auto found = run_on(dir.path(), rules);
  CHECK(lines_of(found, "unused-suppression") == std::vector<uint32_t>{9});
  CHECK(lines_of(found, "suppression-without-reason") == std::vector<uint32_t>{9});
}

TEST_CASE("suppression-without-reason: ours only, empty reasons count as none", "[suppression]") {
  TempDir dir;
  write_files(dir.path(), R"(from sqlalchemy import JSON, Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Agent(Base):
    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)  # ormlint: ignore[reserved-attribute] --
    registry = Column(JSON)  # ormlint: ignore[reserved-attribute] -- legacy, TICKET-12
    query = Column(JSON)  # noqa: OL101 --
    payload = Column(JSON)  # noqa: OL101 -- legacy
    notes = Column(JSON)  # noqa: E501
    extra = Column(JSON)  # noqa
)",
              "models.py");
  auto found = run_on(dir.path(), {rule("reserved-attribute"), rule("suppression-without-reason")});
  CHECK(lines_of(found, "suppression-without-reason") == std::vector<uint32_t>{10, 12});
  CHECK(lines_of(found, "reserved-attribute").empty());  // the suppressions still work
  const Finding& f = finding_at(found, "suppression-without-reason", 10);
  CHECK(f.message == "`# ormlint: ignore[reserved-attribute]` gives no reason");
  CHECK(f.help ==
        "say why the finding does not apply here, after ` -- `: `# ormlint: ignore[reserved-attribute] -- "
        "<reason>`");
  CHECK(finding_at(found, "suppression-without-reason", 12).message == "`# noqa: OL101` gives no reason");
}

TEST_CASE("require-suppression-reason turns the rule on; ignore still wins", "[suppression]") {
  const Rule* reason_rule = rule("suppression-without-reason");
  Config config;
  auto active = active_rules(config, "test");
  CHECK(std::find(active.begin(), active.end(), reason_rule) == active.end());
  CHECK(std::find(active.begin(), active.end(), rule("unused-suppression")) != active.end());
  config.require_suppression_reason = true;
  active = active_rules(config, "test");
  CHECK(std::find(active.begin(), active.end(), reason_rule) != active.end());
  config.ignore = {"suppression-without-reason"};
  active = active_rules(config, "test");
  CHECK(std::find(active.begin(), active.end(), reason_rule) == active.end());
}

TEST_CASE("CLI: require-suppression-reason and unused-suppression in the real binary", "[suppression]") {
  TempDir dir;
  const std::string model = R"(from sqlalchemy import JSON, Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Agent(Base):
    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)  # ormlint: ignore[reserved-attribute]
)";
  write_file(dir.path() / "models.py", model);

  // Without the key: the suppression works, nothing is reported.
  auto clean = run_ormlint(dir.path(), "check .");
  CHECK(clean.exit_code == 0);

  write_file(dir.path() / "pyproject.toml",
        "[project]\nname = \"agents\"\n\n[tool.ormlint]\nrequire-suppression-reason = true\n");
  auto required = run_ormlint(dir.path(), "check .");
  CHECK(required.exit_code == 1);
  CHECK(contains(required.output,
                 "models.py:10:30: warning[suppression-without-reason] "
                 "`# ormlint: ignore[reserved-attribute]` gives no reason"));
  CHECK_FALSE(contains(required.output, "error[reserved-attribute]"));
  CHECK(run_ormlint(dir.path(), "check --ignore suppression-without-reason .").exit_code == 0);

  auto json = nlohmann::json::parse(run_ormlint(dir.path(), "check --format json --exit-zero .").output);
  REQUIRE(json["diagnostics"].size() == 1);
  CHECK(json["diagnostics"][0]["code"] == "OL003");
  CHECK(json["diagnostics"][0]["line"] == 10);

  std::string with_reason = model;
  with_reason.replace(with_reason.find("]\n"), 2, "] -- legacy table, TICKET-12\n");
  write_file(dir.path() / "models.py", with_reason);
  CHECK(run_ormlint(dir.path(), "check .").exit_code == 0);

  // A misspelled key is a configuration error with a suggestion.
  write_file(dir.path() / "pyproject.toml", "[tool.ormlint]\nrequire-suppression-reasons = true\n");
  auto typo = run_ormlint(dir.path(), "check .");
  CHECK(typo.exit_code == 2);
  CHECK(contains(typo.output,
                 "pyproject.toml:2: unknown key \"require-suppression-reasons\" in [tool.ormlint]; "
                 "did you mean \"require-suppression-reason\"?"));
  write_file(dir.path() / "pyproject.toml", "[tool.ormlint]\nrequire-suppression-reason = \"yes\"\n");
  auto wrong_type = run_ormlint(dir.path(), "check .");
  CHECK(wrong_type.exit_code == 2);
  CHECK(contains(wrong_type.output, ":2: \"require-suppression-reason\" must be true or false"));

  // A stale suppression fails the default run; the message points at the comment.
  fs::remove(dir.path() / "pyproject.toml");
  std::string stale = with_reason;
  stale.replace(stale.find("    metadata = "), 15, "    extra_metadata = ");
  write_file(dir.path() / "models.py", stale);
  auto unused = run_ormlint(dir.path(), "check .");
  CHECK(unused.exit_code == 1);
  CHECK(contains(unused.output,
                 "models.py:10:36: warning[unused-suppression] unused suppression: no "
                 "`reserved-attribute` finding on this line"));
  CHECK(run_ormlint(dir.path(), "check --ignore unused-suppression .").exit_code == 0);
}
