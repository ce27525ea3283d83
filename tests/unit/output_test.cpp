// The report formats: terminal text, JSON and SARIF, from hand-built RunResults.
#include "output/output.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>

#include "output/fingerprint.h"
#include "output/json_text.h"
#include "output/markdown.h"
#include "output/snippet.h"
#include "output/uri.h"

namespace ormlint {
namespace {

// A rule that is not registered in the catalogue, so tests control exactly which rules exist. Their names have
// no rules/<name>/doc.md, so SARIF descriptions fall back to the summary.
class FakeRule : public Rule {
 public:
  FakeRule(std::string code, std::string name, std::string summary, Severity severity, Profile profile) {
    info_.code = std::move(code);
    info_.name = std::move(name);
    info_.summary = std::move(summary);
    info_.severity = severity;
    info_.profile = profile;
  }
  const RuleInfo& info() const override { return info_; }

 private:
  RuleInfo info_;
};

Diagnostic diag(std::string path, uint32_t line, uint32_t column, uint32_t end_line, uint32_t end_column,
                std::string code, std::string rule, Severity severity, std::string message, std::string help,
                std::string source_line) {
  Diagnostic d;
  d.path = std::move(path);
  d.loc.line = line;
  d.loc.column = column;
  d.loc.end_line = end_line;
  d.loc.end_column = end_column;
  d.code = std::move(code);
  d.rule = std::move(rule);
  d.severity = severity;
  d.message = std::move(message);
  d.help = std::move(help);
  d.source_line = std::move(source_line);
  return d;
}

const FakeRule kReserved("TST101", "fake-reserved-attribute", "Attribute names reserved by the declarative base",
                         Severity::Error, Profile::Any);
const FakeRule kNaive("TST201", "fake-naive-datetime", "DateTime columns without timezone=True", Severity::Warning,
                      Profile::PostgreSQL);
const FakeRule kIndex("TST301", "fake-missing-index", "Foreign keys without an index", Severity::Info,
                      Profile::Portable);

// A representative run: several rules and severities, a path with a space and non-ASCII, a diagnostic whose
// rule is not among the rules that ran, and a file that could not be read.
RunResult representative_result() {
  RunResult result;
  result.files_checked = 4;
  result.diagnostics = {
      diag("app/models.py", 12, 5, 12, 13, "TST101", "reserved-attribute", Severity::Error,
           "`metadata` is reserved by the declarative base", "rename the attribute",
           "    metadata = Column(JSON)"),
      diag("app/models.py", 20, 5, 22, 6, "TST201", "naive-datetime", Severity::Warning,
           "`created` is a DateTime without timezone", "", "    created = Column("),
      diag("my models/\xC3\xBC.py", 3, 1, 3, 4, "TST301", "missing-index", Severity::Info,
           "foreign key without an index", "add index=True", "fk = Column(ForeignKey(\"a.id\"))"),
      diag("my models/\xC3\xBC.py", 9, 1, 9, 2, "TST999", "syntax-error", Severity::Error, "invalid syntax", "",
           "def f(:"),
  };
  result.errors = {"app/secret.py: Permission denied"};
  return result;
}

OutputOptions options_with_rules() {
  OutputOptions options;
  options.root = "/work/some root";
  options.rules = {&kReserved, &kNaive, &kIndex};
  return options;
}

std::string terminal(const RunResult& result, bool color = false) {
  OutputOptions options;
  options.color = color;
  std::ostringstream out;
  write_terminal(result, options, out);
  return out.str();
}

nlohmann::ordered_json sarif(const RunResult& result, const OutputOptions& options) {
  std::ostringstream out;
  write_sarif(result, options, out);
  return nlohmann::ordered_json::parse(out.str());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Restores an environment variable when the test ends, whatever it did to it.
class EnvGuard {
 public:
  explicit EnvGuard(const char* name) : name_(name) {
    if (const char* value = std::getenv(name)) saved_ = value;
  }
  ~EnvGuard() {
    if (saved_) {
      setenv(name_, saved_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("terminal: one diagnostic, exact text", "[output]") {
  RunResult result;
  result.files_checked = 1;
  result.diagnostics = {diag("app/models.py", 12, 5, 12, 13, "TST101", "reserved-attribute", Severity::Error,
                             "`metadata` is reserved", "rename it", "    metadata = Column(JSON)")};
  CHECK(terminal(result) ==
        "app/models.py:12:5: error[reserved-attribute] `metadata` is reserved\n"
        "  12 |     metadata = Column(JSON)\n"
        "     |     ^^^^^^^^\n"
        "     = help: rename it\n"
        "\n"
        "Found 1 problem (1 error, 0 warnings, 0 info) in 1 file checked.\n");
}

TEST_CASE("terminal: no ANSI codes without colour, ANSI codes with it", "[output]") {
  const RunResult result = representative_result();
  CHECK(terminal(result, false).find('\x1b') == std::string::npos);
  const std::string colored = terminal(result, true);
  CHECK(colored.find("\x1b[1;31merror\x1b[0m[") != std::string::npos);
  CHECK(colored.find("\x1b[1;33mwarning\x1b[0m[") != std::string::npos);
  CHECK(colored.find("\x1b[1;34minfo\x1b[0m[") != std::string::npos);
  CHECK(colored.find("\x1b[1mreserved-attribute\x1b[0m") != std::string::npos);
}

TEST_CASE("terminal: carets count code points, not bytes", "[output]") {
  // "é" and "ü" are two bytes each; the span is `Column` (columns 14..20 in code points, 16..22 in bytes).
  RunResult result;
  result.diagnostics = {diag("a.py", 7, 14, 7, 20, "TST101", "reserved-attribute", Severity::Error, "m", "",
                             "caf\xC3\xA9 = \"\xC3\xBC\" + Column(x)")};
  const auto lines = lines_of(terminal(result));
  REQUIRE(lines.size() >= 3);
  CHECK(lines[1] == "  7 | caf\xC3\xA9 = \"\xC3\xBC\" + Column(x)");
  CHECK(lines[2] == "    | " + std::string(13, ' ') + "^^^^^^");
}

TEST_CASE("terminal: caret rules", "[output]") {
  Location loc;
  SECTION("tabs expand to the next multiple of four, in the line and before the carets") {
    loc = {0, 0, 1, 3, 1, 4};  // the `x` after "\t\t"
    const Snippet s = render_snippet("\t\tx = 1", loc);
    CHECK(s.text == "        x = 1");
    CHECK(s.caret_offset == 8);
    CHECK(s.caret_count == 1);
  }
  SECTION("a tab inside the span is covered by carets") {
    loc = {0, 0, 1, 2, 1, 4};
    const Snippet s = render_snippet("a\tb", loc);
    CHECK(s.text == "a   b");
    CHECK(s.caret_offset == 1);
    CHECK(s.caret_count == 4);
  }
  SECTION("a span continuing onto later lines gets carets to the end of the line") {
    loc = {0, 0, 1, 5, 3, 2};
    const Snippet s = render_snippet("x = Column(", loc);
    CHECK(s.caret_offset == 4);
    CHECK(s.caret_count == 7);
  }
  SECTION("an empty span still gets one caret") {
    loc = {0, 0, 1, 3, 1, 3};
    CHECK(render_snippet("abcdef", loc).caret_count == 1);
  }
  SECTION("a span at the end of the line points just after it") {
    loc = {0, 0, 1, 4, 2, 1};
    const Snippet s = render_snippet("abc", loc);
    CHECK(s.caret_offset == 3);
    CHECK(s.caret_count == 1);
  }
  SECTION("control characters are replaced, keeping the columns") {
    loc = {0, 0, 1, 3, 1, 4};
    const Snippet s = render_snippet("\x1b[x", loc);
    CHECK(s.text == "\xEF\xBF\xBD[x");
    CHECK(s.caret_offset == 2);
  }
}

TEST_CASE("terminal: long lines are cut around the carets", "[output]") {
  std::string line(3'000'000, 'a');
  line.replace(2'000'000, 6, "TARGET");
  RunResult result;
  result.diagnostics = {diag("min.py", 1, 2'000'001, 1, 2'000'007, "TST101", "reserved-attribute", Severity::Error,
                             "m", "", line)};
  const std::string text = terminal(result);
  CHECK(text.size() < 1000);
  const auto lines = lines_of(text);
  REQUIRE(lines.size() >= 3);
  const std::string gutter = "  1 | ";
  REQUIRE(lines[1].starts_with(gutter + "..."));
  CHECK(lines[1].ends_with("..."));
  const size_t caret = lines[2].find('^');
  REQUIRE(caret != std::string::npos);
  CHECK(lines[1].substr(caret, 6) == "TARGET");
  CHECK(lines[2].substr(caret) == "^^^^^^");

  // Carets of a span longer than the window stop at the window's edge.
  Location loc{0, 0, 1, 1, 1, 3'000'001};
  const Snippet s = render_snippet(line, loc);
  CHECK(s.caret_offset == 0);
  CHECK(s.caret_count == kMaxSnippetWidth);
  CHECK(s.text.size() == kMaxSnippetWidth + 3);
}

TEST_CASE("terminal: file names and messages cannot drive the terminal", "[output]") {
  RunResult result;
  result.diagnostics = {diag("evil\x1b]0;title\x07.py", 1, 1, 1, 2, "TST101", "reserved-attribute",
                             Severity::Error, "bad \x1b[2J", "", "x")};
  result.errors = {"evil\x1b[31m.py: Permission denied"};
  CHECK(terminal(result).find('\x1b') == std::string::npos);
}

TEST_CASE("terminal: summary wording", "[output]") {
  RunResult result;
  result.files_checked = 1;
  CHECK(terminal(result) == "All checks passed (1 file checked).\n");
  result.files_checked = 0;
  CHECK(terminal(result) == "All checks passed (0 files checked).\n");

  result = representative_result();
  const auto lines = lines_of(terminal(result));
  REQUIRE(lines.size() >= 2);
  CHECK(lines[lines.size() - 2] == "error: app/secret.py: Permission denied");
  CHECK(lines.back() == "Found 4 problems (2 errors, 1 warning, 1 info) in 4 files checked.");

  result.diagnostics.clear();
  CHECK(lines_of(terminal(result)).back() == "No problems found (4 files checked), but 1 error occurred.");
}

TEST_CASE("should_use_color: NO_COLOR, TTY and the explicit modes", "[output]") {
  EnvGuard guard("NO_COLOR");
  unsetenv("NO_COLOR");
  CHECK(should_use_color(ColorMode::Auto, true));
  CHECK_FALSE(should_use_color(ColorMode::Auto, false));
  setenv("NO_COLOR", "1", 1);
  CHECK_FALSE(should_use_color(ColorMode::Auto, true));
  CHECK(should_use_color(ColorMode::Always, false));
  CHECK(should_use_color(ColorMode::Always, true));
  setenv("NO_COLOR", "", 1);  // empty means unset, per no-color.org
  CHECK(should_use_color(ColorMode::Auto, true));
  CHECK_FALSE(should_use_color(ColorMode::Never, true));
}

TEST_CASE("json: keys, order and values", "[output]") {
  const RunResult result = representative_result();
  std::ostringstream out;
  write_json(result, OutputOptions{}, out);
  const std::string text = out.str();
  CHECK(text.starts_with("{\n  \"version\": \""));
  CHECK(text.ends_with("}\n"));

  const auto json = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"version", "diagnostics", "files_checked", "errors"});
  CHECK(json["version"] == ORMLINT_VERSION);
  CHECK(json["files_checked"] == 4);
  CHECK(json["errors"] == nlohmann::ordered_json::array({"app/secret.py: Permission denied"}));

  REQUIRE(json["diagnostics"].size() == 4);
  const auto& first = json["diagnostics"][0];
  keys.clear();
  for (const auto& item : first.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"code", "rule", "severity", "path", "line", "column", "end_line",
                                         "end_column", "message", "help"});
  CHECK(first["code"] == "TST101");
  CHECK(first["rule"] == "reserved-attribute");
  CHECK(first["severity"] == "error");
  CHECK(first["path"] == "app/models.py");
  CHECK(first["line"] == 12);
  CHECK(first["column"] == 5);
  CHECK(first["end_line"] == 12);
  CHECK(first["end_column"] == 13);
  CHECK(first["help"] == "rename the attribute");
  CHECK(json["diagnostics"][1]["help"] == "");
  CHECK(json["diagnostics"][2]["severity"] == "info");
  CHECK(json["diagnostics"][2]["path"] == "my models/\xC3\xBC.py");
}

TEST_CASE("json: invalid UTF-8 is replaced, not thrown", "[output]") {
  RunResult result;
  result.diagnostics = {diag("bad\xFF.py", 1, 1, 1, 2, "TST101", "r", Severity::Error, "m", "", "x")};
  std::ostringstream out;
  REQUIRE_NOTHROW(write_json(result, OutputOptions{}, out));
  CHECK(nlohmann::json::parse(out.str())["diagnostics"][0]["path"] == "bad\xEF\xBF\xBD.py");
}

TEST_CASE("json: a finding written as flat text is what dump(2) prints of the same object", "[output]") {
  // Plain ASCII is written as it is; quotes, backslashes, control characters, UTF-8 and invalid bytes go
  // through nlohmann's serializer: the text must match the document's own dump byte for byte, at any depth.
  const std::vector<std::string> values = {
      "",         "plain text",  "say \"hi\"",   "back\\slash",    "tab\there\nnew",
      "\x01\x7f", "caf\xC3\xA9", "bad\xFF byte", "{\"json\": [1]}"};
  for (int depth : {0, 1, 2, 3}) {
    for (const std::string& value : values) {
      std::string text;
      JsonObjectText(text, depth)
          .member("text", value)
          .member("number", uint64_t{4294967295})
          .member("k\"ey", value)
          .close();
      const nlohmann::ordered_json same{{"text", value}, {"number", 4294967295u}, {"k\"ey", value}};
      INFO("depth " << depth << ", value " << value);
      CHECK(text == nested_json_text(same, depth));
    }
    std::string empty;
    JsonObjectText(empty, depth).close();
    CHECK(empty == nested_json_text(nlohmann::ordered_json::object(), depth));
  }
}

TEST_CASE("uri: RFC 3986 percent-encoding", "[output]") {
  CHECK(percent_encode_path("my models/\xC3\xBC.py") == "my%20models/%C3%BC.py");
  CHECK(percent_encode_path("a-b_c.d~e/F9.py") == "a-b_c.d~e/F9.py");
  CHECK(percent_encode_path("100%#?:[].py") == "100%25%23%3F%3A%5B%5D.py");
  CHECK(directory_file_uri("/work/some root") == "file:///work/some%20root/");
  CHECK(directory_file_uri("/work/root/") == "file:///work/root/");
  CHECK(directory_file_uri("/") == "file:///");
}

TEST_CASE("sarif: log shape, rules and results", "[output]") {
  const RunResult result = representative_result();
  const auto log = sarif(result, options_with_rules());
  CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(log["version"] == "2.1.0");
  REQUIRE(log["runs"].size() == 1);
  const auto& run = log["runs"][0];
  CHECK(run["columnKind"] == "unicodeCodePoints");
  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///work/some%20root/");

  const auto& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "ormlint");
  CHECK(driver["version"] == ORMLINT_VERSION);
  CHECK(driver["semanticVersion"] == ORMLINT_VERSION);
  const auto& rules = driver["rules"];
  // The three rules that ran, in order, then the syntax error's rule that was not among them.
  REQUIRE(rules.size() == 4);
  CHECK(rules[0]["id"] == "TST101");
  CHECK(rules[1]["id"] == "TST201");
  CHECK(rules[2]["id"] == "TST301");
  CHECK(rules[3]["id"] == "TST999");
  CHECK(rules[3]["name"] == "syntax-error");
  CHECK(rules[0]["name"] == "fake-reserved-attribute");
  CHECK(rules[0]["shortDescription"]["text"] == "Attribute names reserved by the declarative base");
  // No doc.md for these fake rules: descriptions fall back to the summary.
  CHECK(rules[0]["fullDescription"]["text"] == "Attribute names reserved by the declarative base");
  CHECK(rules[0]["help"]["text"] == "Attribute names reserved by the declarative base");
  CHECK(rules[0]["defaultConfiguration"]["level"] == "error");
  CHECK(rules[1]["defaultConfiguration"]["level"] == "warning");
  CHECK(rules[2]["defaultConfiguration"]["level"] == "note");
  CHECK(rules[1]["properties"]["tags"] == nlohmann::ordered_json::array({"postgresql"}));
  CHECK(rules[1]["properties"]["precision"] == "high");

  const auto& results = run["results"];
  REQUIRE(results.size() == result.diagnostics.size());
  for (const auto& r : results) {
    REQUIRE(r["ruleIndex"].is_number_unsigned());
    const size_t index = r["ruleIndex"];
    REQUIRE(index < rules.size());
    CHECK(rules[index]["id"] == r["ruleId"]);
  }
  CHECK(results[0]["level"] == "error");
  CHECK(results[1]["level"] == "warning");
  CHECK(results[2]["level"] == "note");
  CHECK(results[0]["message"]["text"] == "`metadata` is reserved by the declarative base rename the attribute");
  CHECK(results[1]["message"]["text"] == "`created` is a DateTime without timezone");

  const auto& location = results[2]["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"]["uri"] == "my%20models/%C3%BC.py");
  CHECK(location["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  const auto& region = results[1]["locations"][0]["physicalLocation"]["region"];
  CHECK(region["startLine"] == 20);
  CHECK(region["startColumn"] == 5);
  CHECK(region["endLine"] == 22);
  CHECK(region["endColumn"] == 6);

  const auto& invocation = run["invocations"][0];
  CHECK(invocation["executionSuccessful"] == false);
  REQUIRE(invocation["toolExecutionNotifications"].size() == 1);
  CHECK(invocation["toolExecutionNotifications"][0]["level"] == "error");
  CHECK(invocation["toolExecutionNotifications"][0]["message"]["text"] == "app/secret.py: Permission denied");

  RunResult clean;
  CHECK(sarif(clean, options_with_rules())["runs"][0]["invocations"][0]["executionSuccessful"] == true);
}

TEST_CASE("sarif: rules missing from the options come from the catalogue", "[output]") {
  if (all_rules().empty()) return;  // the catalogue is still empty: nothing to look up
  const Rule* rule = all_rules().front();
  RunResult result;
  result.diagnostics = {diag("a.py", 1, 1, 1, 2, rule->info().code, rule->info().name, rule->info().severity,
                             "m", "", "x")};
  const auto log = sarif(result, OutputOptions{});
  const auto& rules = log["runs"][0]["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 1);
  CHECK(rules[0]["id"] == rule->info().code);
  CHECK(rules[0]["name"] == rule->info().name);
  CHECK(rules[0]["shortDescription"]["text"] == rule->info().summary);
  const std::string_view doc = rule_documentation(rule->info().name);
  if (!doc.empty()) {
    CHECK(rules[0]["help"]["text"] == std::string(doc));
    CHECK(rules[0]["help"]["markdown"] == std::string(doc));
    const std::string what = first_paragraph_under(doc, "## What it does");
    CHECK(rules[0]["fullDescription"]["text"] == (what.empty() ? rule->info().summary : what));
  }
}

TEST_CASE("sarif: fingerprints ignore line numbers but count identical lines", "[output]") {
  const Diagnostic at_10 = diag("app/models.py", 10, 5, 10, 13, "TST101", "reserved-attribute", Severity::Error,
                                "m", "", "    metadata = Column(JSON)");
  Diagnostic moved = at_10;
  moved.loc.line = moved.loc.end_line = 42;
  moved.source_line = "        metadata  =  Column(JSON)  ";  // re-indented too

  const auto fingerprint = [](const std::vector<Diagnostic>& diagnostics, size_t i) {
    RunResult result;
    result.diagnostics = diagnostics;
    return sarif(result, OutputOptions{})["runs"][0]["results"][i]["partialFingerprints"]["primaryLocationLineHash"]
        .get<std::string>();
  };
  const std::string original = fingerprint({at_10}, 0);
  CHECK(original.size() == 16);
  CHECK(original.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(fingerprint({moved}, 0) == original);

  // Two identical flagged lines: the first keeps the fingerprint it had alone, the second differs.
  Diagnostic twin = at_10;
  twin.loc.line = twin.loc.end_line = 30;
  CHECK(fingerprint({at_10, twin}, 0) == original);
  CHECK(fingerprint({at_10, twin}, 1) != original);

  // A different rule, path or line text changes it.
  Diagnostic other = at_10;
  other.code = "TST201";
  CHECK(fingerprint({other}, 0) != original);
  other = at_10;
  other.path = "app/other.py";
  CHECK(fingerprint({other}, 0) != original);
  other = at_10;
  other.source_line = "    metadata = Column(Text)";
  CHECK(fingerprint({other}, 0) != original);

  CHECK(normalise_whitespace("  a \t b  c\t") == "a b c");
}

TEST_CASE("markdown: first paragraph under a heading", "[output]") {
  const std::string doc =
      "# reserved-attribute (OL101)\n\n## What it does\n\nFlags attributes that\nshadow the base.\n\nMore.\n\n"
      "## Why\n\nBecause.\n";
  CHECK(first_paragraph_under(doc, "## What it does") == "Flags attributes that shadow the base.");
  CHECK(first_paragraph_under(doc, "## Example") == "");
  CHECK(first_paragraph_under("## What it does\n## Why\ntext\n", "## What it does") == "");
  CHECK(first_paragraph_under("## What it does\r\nLast line", "## What it does") == "Last line");
}

// Writes the representative run's SARIF where `tests/sarif_schema_test.sh --unit-sample` validates it against
// the official schema.
TEST_CASE("sarif: write the schema test's sample file", "[output]") {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/ormlint-output-test.sarif";
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  REQUIRE(file);
  // The catalogue's rules too, so their real doc.md texts go through the schema as well.
  OutputOptions options = options_with_rules();
  options.rules.insert(options.rules.end(), all_rules().begin(), all_rules().end());
  write_sarif(representative_result(), options, file);
  file.close();
  CHECK(file.good());
}

}  // namespace ormlint
