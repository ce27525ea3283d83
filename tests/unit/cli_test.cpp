// The command line as users run it: the real binary, exit codes, formats, configuration errors, suppressions.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixture_support.h"

using namespace ormlint::testing;
namespace fs = std::filesystem;

TEST_CASE("--version prints the version", "[cli]") {
  auto r = run_ormlint(fs::current_path(), "--version");
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("ormlint " ORMLINT_VERSION) != std::string::npos);
}

TEST_CASE("exit codes: 0 clean, 1 findings, 0 with --exit-zero, 2 for usage and I/O errors", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "clean.py", "x = 1\n");
  CHECK(run_ormlint(dir.path(), "check .").exit_code == 0);
  write_file(dir.path() / "models.py", kBadModel);
  auto findings = run_ormlint(dir.path(), "check .");
  CHECK(findings.exit_code == 1);
  CHECK(findings.output.find("models.py:10:5: error[reserved-attribute]") != std::string::npos);
  CHECK(run_ormlint(dir.path(), "check --exit-zero .").exit_code == 0);
  auto missing = run_ormlint(dir.path(), "check does-not-exist.py");
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("does-not-exist.py") != std::string::npos);
  CHECK(run_ormlint(dir.path(), "check --format xml .").exit_code == 2);
  CHECK(run_ormlint(dir.path(), "frobnicate").exit_code == 2);
}

TEST_CASE("a project the portable profile flags at length for PostgreSQL types hears of profile = postgresql",
          "[cli]") {
  TempDir dir;
  std::string model =
      "from sqlalchemy import Column, Integer, String\n"
      "from sqlalchemy.dialects.postgresql import JSONB\n"
      "from sqlalchemy.orm import declarative_base\n\n"
      "Base = declarative_base()\n\n\n"
      "class Event(Base):\n"
      "    __tablename__ = \"events\"\n"
      "    id = Column(Integer, primary_key=True)\n";
  for (int i = 0; i < 12; ++i) model += "    data_" + std::to_string(i) + " = Column(JSONB)\n";
  write_file(dir.path() / "models.py", model);
  const std::string hint =
      "hint: 13 of these findings come from the rules of the default \"portable\" profile";
  CHECK(run_ormlint(dir.path(), "check .").output.find(hint) == std::string::npos);  // 13: too few to say so
  for (int i = 12; i < 24; ++i) model += "    data_" + std::to_string(i) + " = Column(JSONB)\n";
  write_file(dir.path() / "models.py", model);
  auto many = run_ormlint(dir.path(), "check .");
  CHECK(many.output.find("hint: 25 of these findings come from") != std::string::npos);
  CHECK(many.output.find("`profile = \"postgresql\"`") != std::string::npos);
  // Said only to whoever has not chosen: not with --profile, a profile in the configuration, or in JSON.
  CHECK(run_ormlint(dir.path(), "check --profile portable .").output.find("hint:") == std::string::npos);
  CHECK(run_ormlint(dir.path(), "check --format json .").output.find("hint:") == std::string::npos);
  write_file(dir.path() / "ormlint.toml", "profile = \"portable\"\n");
  CHECK(run_ormlint(dir.path(), "check .").output.find("hint:") == std::string::npos);
}

TEST_CASE("--fail-level decides which severities fail the run", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "models.py", std::string(kBadModel) + "    registry = Column(JSON)\n");
  CHECK(run_ormlint(dir.path(), "check --fail-level error .").exit_code == 1);
  CHECK(run_ormlint(dir.path(), "check --select reserved-attribute --fail-level error .").exit_code == 1);
  write_file(dir.path() / "models.py", std::string(kBadModel).replace(std::string(kBadModel).find("metadata ="), 8, "registry"));
  CHECK(run_ormlint(dir.path(), "check --select reserved-attribute --fail-level error .").exit_code == 0);
  CHECK(run_ormlint(dir.path(), "check --select reserved-attribute .").exit_code == 1);
}

TEST_CASE("unknown rules and bad configuration name the problem and suggest a fix", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "models.py", kBadModel);
  auto typo = run_ormlint(dir.path(), "check --select reserved-atribute .");
  CHECK(typo.exit_code == 2);
  CHECK(typo.output.find("did you mean \"reserved-attribute\"") != std::string::npos);
  write_file(dir.path() / "ormlint.toml", "profile = \"portable\"\nignore = [\"reserved-atribute\"]\n");
  auto config = run_ormlint(dir.path(), "check .");
  CHECK(config.exit_code == 2);
  CHECK(config.output.find("ormlint.toml:2:") != std::string::npos);
  CHECK(config.output.find("did you mean \"reserved-attribute\"") != std::string::npos);
  write_file(dir.path() / "ormlint.toml", "profile = \"oracle\"\n");
  CHECK(run_ormlint(dir.path(), "check .").exit_code == 2);
  write_file(dir.path() / "ormlint.toml", "select = [\n");
  auto syntax = run_ormlint(dir.path(), "check .");
  CHECK(syntax.exit_code == 2);
  CHECK(syntax.output.find("ormlint.toml") != std::string::npos);
}

TEST_CASE("configuration: ignore, per-file-ignores, exclude and severity from pyproject.toml", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "app" / "models.py", kBadModel);
  write_file(dir.path() / "legacy" / "old.py", kBadModel);
  write_file(dir.path() / "pyproject.toml",
        "[tool.ormlint]\nexclude = [\"legacy/\"]\n[tool.ormlint.per-file-ignores]\n\"app/*.py\" = [\"OL101\"]\n");
  auto r = run_ormlint(dir.path() / "app", "check --format json .", false);
  CHECK(r.exit_code == 0);
  auto json = nlohmann::json::parse(r.output);
  CHECK(json["diagnostics"].empty());
  CHECK(json["files_checked"] == 1);
  write_file(dir.path() / "pyproject.toml", "[tool.ormlint]\nexclude = [\"legacy/\"]\n[tool.ormlint.severity]\nreserved-attribute = \"info\"\n");
  auto severity = nlohmann::json::parse(run_ormlint(dir.path(), "check --format json --exit-zero .", false).output);
  REQUIRE(severity["diagnostics"].size() == 1);
  CHECK(severity["diagnostics"][0]["severity"] == "info");
  CHECK(severity["diagnostics"][0]["path"] == "app/models.py");
  CHECK(run_ormlint(dir.path(), "check .").exit_code == 0);  // info is below the default fail level
}

TEST_CASE("suppressions: ignore[...] with a reason, noqa codes, skip-file", "[cli]") {
  TempDir dir;
  std::string model = kBadModel;
  std::string line = "    metadata = Column(JSON)";
  write_file(dir.path() / "a.py", model.replace(model.find(line), line.size(),
                                           line + "  # ormlint: ignore[reserved-attribute] -- legacy table, TICKET-12"));
  model = kBadModel;
  write_file(dir.path() / "b.py", model.replace(model.find(line), line.size(), line + "  # noqa: OL101"));
  model = kBadModel;
  write_file(dir.path() / "c.py", model.replace(model.find(line), line.size(), line + "  # noqa: E501"));
  write_file(dir.path() / "d.py", std::string("# ormlint: skip-file\n") + kBadModel);
  auto json = nlohmann::json::parse(run_ormlint(dir.path(), "check --format json .", false).output);
  REQUIRE(json["diagnostics"].size() == 1);
  CHECK(json["diagnostics"][0]["path"] == "c.py");
}

TEST_CASE("JSON output has the documented shape and stable order", "[cli]") {
  auto demo = source_dir() / "fixtures" / "demo-app";
  auto one = run_ormlint(demo, "check --no-cache --format json --jobs 1 .", false);  // leave no cache in the tree
  auto two = run_ormlint(demo, "check --no-cache --format json --jobs 2 .", false);
  CHECK(one.exit_code == 1);
  CHECK(one.output == two.output);
  auto json = nlohmann::json::parse(one.output);
  CHECK(json["version"] == ORMLINT_VERSION);
  CHECK(json["files_checked"].get<int>() >= 10);
  REQUIRE_FALSE(json["diagnostics"].empty());
  for (const auto& d : json["diagnostics"]) {
    for (const char* key : {"code", "rule", "severity", "path", "line", "column", "end_line", "end_column", "message"}) {
      INFO("key " << key);
      CHECK(d.contains(key));
    }
    CHECK(d["path"].get<std::string>().rfind("/", 0) != 0);  // relative to the working directory
  }
  auto before = [](const nlohmann::json& a, const nlohmann::json& b) {
    return std::tie(a["path"], a["line"], a["column"], a["rule"]) <= std::tie(b["path"], b["line"], b["column"], b["rule"]);
  };
  for (size_t i = 1; i < json["diagnostics"].size(); ++i) CHECK(before(json["diagnostics"][i - 1], json["diagnostics"][i]));
}

TEST_CASE("--output writes the report to a file; colours follow --color and NO_COLOR", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "models.py", kBadModel);
  auto r = run_ormlint(dir.path(), "check --format sarif --output report.sarif .");
  CHECK(r.exit_code == 1);
  std::ifstream in(dir.path() / "report.sarif");
  auto sarif = nlohmann::json::parse(in);
  CHECK(sarif["version"] == "2.1.0");
  CHECK(run_ormlint(dir.path(), "check --color always .", true, "").output.find("\x1b[") != std::string::npos);
  CHECK(run_ormlint(dir.path(), "check --color never .", true, "").output.find("\x1b[") == std::string::npos);
  CHECK(run_ormlint(dir.path(), "check .", true, "NO_COLOR=1").output.find("\x1b[") == std::string::npos);
}

TEST_CASE("ORMLINT_TIMINGS=1 times each phase on stderr and leaves the report alone", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "models.py", kBadModel);
  auto plain = run_ormlint(dir.path(), "check --no-cache --format json .", /*merge_stderr=*/false);
  auto timed = run_ormlint(dir.path(), "check --no-cache --format json .", /*merge_stderr=*/false,
                           "NO_COLOR=1 ORMLINT_TIMINGS=1");
  CHECK(timed.exit_code == plain.exit_code);
  CHECK(timed.output == plain.output);  // stdout: the report only
  auto with_stderr = run_ormlint(dir.path(), "check --no-cache --format json .", /*merge_stderr=*/true,
                                 "NO_COLOR=1 ORMLINT_TIMINGS=1");
  for (const char* phase : {"discover files", "read and parse files", "project: names", "project: table model",
                            "rules", "write the report"}) {
    INFO(phase);
    CHECK(with_stderr.output.find(std::string("ormlint: timing: ") + phase) != std::string::npos);
  }
  CHECK(with_stderr.output.find(" ms   peak memory ") != std::string::npos);
  auto off = run_ormlint(dir.path(), "check --no-cache --format json .", /*merge_stderr=*/true,
                         "NO_COLOR=1 ORMLINT_TIMINGS=0");
  CHECK(off.output.find("ormlint: timing:") == std::string::npos);
}

TEST_CASE("rules lists every rule; explain shows documentation by name or code", "[cli]") {
  auto rules = run_ormlint(fs::current_path(), "rules");
  CHECK(rules.exit_code == 0);
  CHECK(rules.output.find("OL101") != std::string::npos);
  CHECK(rules.output.find("reserved-attribute") != std::string::npos);
  auto by_name = run_ormlint(fs::current_path(), "explain reserved-attribute");
  CHECK(by_name.exit_code == 0);
  CHECK(by_name.output.find("## Why is this bad?") != std::string::npos);
  CHECK(run_ormlint(fs::current_path(), "explain OL101").output == by_name.output);
  auto unknown = run_ormlint(fs::current_path(), "explain reserved-atribute");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("did you mean") != std::string::npos);
}

TEST_CASE("README lists every rule exactly as `ormlint rules --format markdown` does", "[cli]") {
  std::ifstream in(source_dir() / "README.md");
  std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t start = readme.find("<!-- rules:start -->\n");
  size_t end = readme.find("<!-- rules:end -->");
  REQUIRE(start != std::string::npos);
  REQUIRE(end != std::string::npos);
  start += std::string("<!-- rules:start -->\n").size();
  INFO("run scripts/update-readme-rules to regenerate the table");
  CHECK(readme.substr(start, end - start) == run_ormlint(fs::current_path(), "rules --format markdown").output);
}

TEST_CASE("discovery skips virtualenvs, node_modules and project templates", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "app" / "models.py", "x = 1\n");
  write_file(dir.path() / "env" / "pyvenv.cfg", "home = /usr/bin\n");
  write_file(dir.path() / "env" / "lib" / "site.py", "def broken(:\n");
  write_file(dir.path() / "node_modules" / "pkg" / "gen.py", "def broken(:\n");
  // A cookiecutter template: Jinja in Python files, not Python yet.
  write_file(dir.path() / "contrib" / "{{cookiecutter.project}}" / "plugin.py",
             "from {{ cookiecutter.module }} import plugin\n");
  auto r = run_ormlint(dir.path(), "check --no-cache --format json .", false);
  INFO(r.output);
  CHECK(r.exit_code == 0);
  auto report = nlohmann::json::parse(r.output);
  CHECK(report.at("files_checked") == 1);
  CHECK(report.at("diagnostics").empty());
}

TEST_CASE("a folder that holds the working directory checks the files inside it too", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "pyproject.toml", "[project]\nname = \"shop\"\n");
  write_file(dir.path() / "app" / "models.py",
             "from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base\n\n"
             "Base = declarative_base()\n\n\nclass User(Base):\n    __tablename__ = \"users\"\n"
             "    id = Column(Integer, primary_key=True)\n    metadata = Column(Integer)\n");
  write_file(dir.path() / "app" / "README.py", "x = 1\n");
  // `ormlint check ..` from app/, or the project's absolute path: app/ is inside what is checked.
  for (const std::string& target : {std::string(".."), dir.path().string()}) {
    auto r = run_ormlint(dir.path() / "app", "check --no-cache --format json " + target, false);
    INFO(target << "\n" << r.output);
    auto report = nlohmann::json::parse(r.output);
    CHECK(report.at("files_checked") == 2);
    REQUIRE(report.at("diagnostics").size() == 1);
    CHECK(report.at("diagnostics")[0].at("path") == "models.py");
    CHECK(report.at("diagnostics")[0].at("rule") == "reserved-attribute");
  }
}

TEST_CASE("a named path that does not exist inside a project is an error, not a pass", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "alembic.ini", "[alembic]\nscript_location = migrations\n");
  write_file(dir.path() / "migrations" / "versions" / "a1_init.py",
             "revision = \"a1\"\ndown_revision = None\n");
  for (const std::string& missing :
       {std::string("migrations/versions/a1_typo.py"), std::string("migration")}) {
    auto r = run_ormlint(dir.path(), "check --no-cache " + missing, true);
    INFO(missing << "\n" << r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(missing + ": No such file or directory") != std::string::npos);
  }
}

TEST_CASE("foreign-key-without-ondelete names the table and offers only the choices the column allows",
          "[cli]") {
  TempDir dir;
  write_file(dir.path() / "models.py", R"(from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()
PERSON_ID = "person.id"


class Person(Base):
    __tablename__ = "person"
    id = Column(Integer, primary_key=True)


class Engineer(Person):
    __tablename__ = "engineer"
    id = Column(Integer, ForeignKey(Person.id), primary_key=True)


class Badge(Base):
    __tablename__ = "badge"
    id = Column(Integer, primary_key=True)
    holder_id = Column(Integer, ForeignKey(PERSON_ID))
)");
  auto r = run_ormlint(dir.path(), "check --select foreign-key-without-ondelete --no-cache .");
  INFO(r.output);
  // ForeignKey(Person.id) and ForeignKey(PERSON_ID) both name the `person` table.
  CHECK(r.output.find("`ForeignKey(Person.id)` has no ondelete: deleting a referenced `person` row") !=
        std::string::npos);
  CHECK(r.output.find("`ForeignKey(PERSON_ID)` has no ondelete: deleting a referenced `person` row") !=
        std::string::npos);
  // The primary key column cannot be set to NULL; the nullable one can.
  CHECK(r.output.find("\"SET NULL\" cannot apply to this NOT NULL column") != std::string::npos);
  CHECK(r.output.find("\"SET NULL\" (keep them, unlinked; the column must be nullable)") !=
        std::string::npos);
}
