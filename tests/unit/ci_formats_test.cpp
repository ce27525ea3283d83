// The CI report formats: GitHub Actions workflow commands (`--format github`) and the GitLab Code Quality report
// (`--format gitlab`), from hand-built results and from the real binary.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fixture_support.h"
#include "output/fingerprint.h"
#include "output/output.h"

using namespace ormlint;
using namespace ormlint::testing;
namespace fs = std::filesystem;

namespace {

Diagnostic diag(std::string path, Location loc, std::string code, std::string rule, Severity severity,
                std::string message, std::string help, std::string source_line) {
  Diagnostic d;
  d.path = std::move(path);
  d.loc = loc;
  d.code = std::move(code);
  d.rule = std::move(rule);
  d.severity = severity;
  d.message = std::move(message);
  d.help = std::move(help);
  d.source_line = std::move(source_line);
  return d;
}

Location at(uint32_t line, uint32_t column, uint32_t end_line, uint32_t end_column) {
  return Location{0, 0, line, column, end_line, end_column};
}

std::string github(const RunResult& result) {
  std::ostringstream out;
  write_github(result, OutputOptions{}, out);
  return out.str();
}

std::string gitlab(const RunResult& result) {
  std::ostringstream out;
  write_gitlab(result, OutputOptions{}, out);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

RunResult three_severities() {
  RunResult result;
  result.diagnostics = {
      diag("app/models.py", at(10, 5, 10, 13), "OL101", "reserved-attribute", Severity::Error,
           "`metadata` is reserved", "rename the attribute", "    metadata = Column(JSON)"),
      diag("app/models.py", at(12, 16, 12, 24), "OL106", "naive-datetime-column", Severity::Warning,
           "DateTime without timezone=True", "", "    at = Column(DateTime)"),
      diag("app/models.py", at(14, 5, 14, 40), "OL407", "eager-relationship-default", Severity::Info,
           "relationship() loads eagerly", "", "    x = relationship(lazy=\"joined\")"),
  };
  return result;
}

// GitLab's documented report constraints (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-
// format): an array of objects, each with a description, a check_name, a fingerprint, one of the five severities,
// a relative location.path and a 1-based location.lines.begin. "" when `report` meets them, else the first problem.
std::string gitlab_report_problem(const nlohmann::json& report) {
  static const std::set<std::string> kSeverities = {"info", "minor", "major", "critical", "blocker"};
  if (!report.is_array()) return "the report is not an array";
  for (const auto& issue : report) {
    if (!issue.is_object()) return "an issue is not an object: " + issue.dump();
    for (const char* key : {"description", "check_name", "fingerprint", "severity"}) {
      if (!issue.contains(key) || !issue[key].is_string() || issue[key].get<std::string>().empty())
        return std::string("missing or empty \"") + key + "\": " + issue.dump();
    }
    if (!kSeverities.contains(issue["severity"].get<std::string>())) return "bad severity: " + issue.dump();
    const auto& location = issue.value("location", nlohmann::json());
    if (!location.is_object() || !location.contains("path") || !location["path"].is_string())
      return "no location.path: " + issue.dump();
    const std::string path = location["path"];
    if (path.empty() || path.front() == '/') return "location.path is not relative: " + issue.dump();
    if (!location.contains("lines") || !location["lines"].contains("begin") ||
        !location["lines"]["begin"].is_number_integer() || location["lines"]["begin"].get<int>() < 1)
      return "no 1-based location.lines.begin: " + issue.dump();
  }
  return "";
}

}  // namespace

TEST_CASE("github: one workflow command per diagnostic; error, warning, info -> error, warning, notice",
          "[ciformats]") {
  CHECK(lines_of(github(three_severities())) ==
        std::vector<std::string>{
            "::error file=app/models.py,line=10,col=5,endLine=10,endColumn=13,"
            "title=ormlint OL101 (reserved-attribute)::`metadata` is reserved%0Arename the attribute",
            "::warning file=app/models.py,line=12,col=16,endLine=12,endColumn=24,"
            "title=ormlint OL106 (naive-datetime-column)::DateTime without timezone=True",
            "::notice file=app/models.py,line=14,col=5,endLine=14,endColumn=40,"
            "title=ormlint OL407 (eager-relationship-default)::relationship() loads eagerly",
        });
  CHECK(github(RunResult{}).empty());
}

TEST_CASE("github: %, CR and LF are escaped in messages; ':' and ',' too in file names and titles", "[ciformats]") {
  RunResult result;
  result.diagnostics = {diag("db/a,b:c%d.py", at(3, 1, 3, 2), "OL101", "reserved-attribute", Severity::Error,
                             "100% wrong: a, b\r\n::warning::injected", "fix: this, now", "x")};
  CHECK(github(result) ==
        "::error file=db/a%2Cb%3Ac%25d.py,line=3,col=1,endLine=3,endColumn=2,title=ormlint OL101 "
        "(reserved-attribute)::100%25 wrong: a, b%0D%0A::warning::injected%0Afix: this, now\n");
}

TEST_CASE("github: spans over several lines carry no columns; read errors become ::error:: lines", "[ciformats]") {
  RunResult result;
  result.diagnostics = {diag("m.py", at(4, 9, 7, 2), "OL221", "destructive-operation", Severity::Warning,
                             "drops a table", "", "op.drop_table(")};
  result.errors = {"app/secret.py: Permission denied", "bad\nname.py: Is a directory"};
  CHECK(lines_of(github(result)) ==
        std::vector<std::string>{
            "::warning file=m.py,line=4,endLine=7,title=ormlint OL221 (destructive-operation)::drops a table",
            "::error::app/secret.py: Permission denied",
            "::error::bad%0Aname.py: Is a directory",
        });
}

TEST_CASE("gitlab: one Code Climate issue per diagnostic, keys in a fixed order, severities mapped",
          "[ciformats]") {
  const RunResult result = three_severities();
  const auto fingerprints = line_fingerprints(result.diagnostics);
  const auto report = nlohmann::json::parse(gitlab(result));
  REQUIRE(report.size() == 3);
  CHECK(report[0] == nlohmann::json::parse(R"({
      "type": "issue", "check_name": "ormlint/reserved-attribute", "description": "OL101 `metadata` is reserved",
      "content": {"body": "rename the attribute"}, "categories": ["Bug Risk"],
      "fingerprint": ")" + fingerprints[0] + R"(", "severity": "major",
      "location": {"path": "app/models.py", "lines": {"begin": 10, "end": 10}}})"));
  CHECK_FALSE(report[1].contains("content"));  // no help, no body
  CHECK(report[0]["severity"] == "major");
  CHECK(report[1]["severity"] == "minor");
  CHECK(report[2]["severity"] == "info");
  CHECK(gitlab_report_problem(report) == "");
  // Keys are written in a fixed order, so the bytes are the same on every run.
  const std::string text = gitlab(result);
  CHECK(text.find("\"type\"") < text.find("\"check_name\""));
  CHECK(text.find("\"fingerprint\"") < text.find("\"severity\""));
  CHECK(text == gitlab(three_severities()));
  CHECK(gitlab(RunResult{}) == "[]\n");
}

TEST_CASE("gitlab: portability rules are in the Compatibility category", "[ciformats]") {
  RunResult result;
  result.diagnostics = {diag("m.py", at(1, 1, 1, 2), "OL103", "postgresql-type", Severity::Warning, "JSONB", "",
                             "x = Column(JSONB)")};
  CHECK(nlohmann::json::parse(gitlab(result))[0]["categories"] == nlohmann::json::array({"Compatibility"}));
}

TEST_CASE("gitlab: invalid UTF-8 in paths and messages still gives valid JSON", "[ciformats]") {
  RunResult result;
  result.diagnostics = {diag("bad\xff.py", at(1, 1, 1, 2), "OL101", "reserved-attribute", Severity::Error,
                             "quote \xc3(", "help \xfe", "x")};
  result.errors = {"unreadable\xff.py: Permission denied"};
  std::string text;
  REQUIRE_NOTHROW(text = gitlab(result));
  nlohmann::json report;
  REQUIRE_NOTHROW(report = nlohmann::json::parse(text));
  CHECK(report[0]["location"]["path"] == "bad\xEF\xBF\xBD.py");
  CHECK(report[0]["description"] == "OL101 quote \xEF\xBF\xBD(");
  CHECK(report[0]["content"]["body"] == "help \xEF\xBF\xBD");
  CHECK(gitlab_report_problem(report) == "");
}

TEST_CASE("gitlab: fingerprints survive moved lines and tell identical lines apart", "[ciformats]") {
  RunResult before;
  before.diagnostics = {
      diag("m.py", at(10, 5, 10, 13), "OL101", "reserved-attribute", Severity::Error, "m", "", "metadata = 1"),
      diag("m.py", at(20, 5, 20, 13), "OL101", "reserved-attribute", Severity::Error, "m", "", "metadata = 1"),
  };
  RunResult after;  // three lines inserted above both findings, and re-indented
  after.diagnostics = before.diagnostics;
  after.diagnostics[0].loc = at(13, 9, 13, 17);
  after.diagnostics[0].source_line = "    metadata  =  1";
  after.diagnostics[1].loc = at(23, 5, 23, 13);
  const auto a = nlohmann::json::parse(gitlab(before)), b = nlohmann::json::parse(gitlab(after));
  CHECK(a[0]["fingerprint"] == b[0]["fingerprint"]);
  CHECK(a[1]["fingerprint"] == b[1]["fingerprint"]);
  CHECK(a[0]["fingerprint"] != a[1]["fingerprint"]);
  // The same fingerprint SARIF gives the finding, so both reports name a finding alike.
  CHECK(a[0]["fingerprint"] == line_fingerprints(before.diagnostics)[0]);
  // Editing the flagged line itself makes it a different finding.
  after.diagnostics[0].source_line = "metadata = 2";
  CHECK(nlohmann::json::parse(gitlab(after))[0]["fingerprint"] != a[0]["fingerprint"]);
}

TEST_CASE("the real binary writes github annotations and a GitLab report", "[ciformats]") {
  TempDir dir;
  write_file(dir.path() / "app" / "odd,name:x.py", kBadModel);

  auto annotations = run_ormlint(dir.path(), "check --format github .", false);
  CHECK(annotations.exit_code == 1);
  const auto lines = lines_of(annotations.output);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].starts_with("::error file=app/odd%2Cname%3Ax.py,line=10,col=5,endLine=10,endColumn=13,"
                             "title=ormlint OL101 (reserved-attribute)::"));
  CHECK(lines[0].find("metadata") != std::string::npos);

  auto first = run_ormlint(dir.path(), "check --format gitlab --output gl-code-quality-report.json .", false);
  CHECK(first.exit_code == 1);
  CHECK(first.output.empty());
  const std::string report_text = read_file(dir.path() / "gl-code-quality-report.json");
  const auto report = nlohmann::json::parse(report_text);
  CHECK(gitlab_report_problem(report) == "");
  REQUIRE(report.size() == 1);
  CHECK(report[0]["check_name"] == "ormlint/reserved-attribute");
  CHECK(report[0]["severity"] == "major");
  CHECK(report[0]["location"]["path"] == "app/odd,name:x.py");
  CHECK(report[0]["location"]["lines"]["begin"] == 10);

  // Stable across runs, and across an unrelated edit above the finding.
  CHECK(run_ormlint(dir.path(), "check --format gitlab .", false).output == report_text);
  write_file(dir.path() / "app" / "odd,name:x.py", std::string("# a new comment\n\n") + kBadModel);
  const auto moved = nlohmann::json::parse(run_ormlint(dir.path(), "check --format gitlab .", false).output);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0]["location"]["lines"]["begin"] == 12);
  CHECK(moved[0]["fingerprint"] == report[0]["fingerprint"]);

  // A clean project: no annotation, an empty report, exit 0.
  TempDir clean;
  write_file(clean.path() / "ok.py", "x = 1\n");
  auto quiet = run_ormlint(clean.path(), "check --format github .", false);
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.output.empty());
  CHECK(run_ormlint(clean.path(), "check --format gitlab .", false).output == "[]\n");
}
