// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) for GitHub code scanning and other viewers:
// one run with the rules that ran, one result per diagnostic, paths relative to %SRCROOT% (the working
// directory) and line-independent fingerprints so services can track a finding across commits.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "output/fingerprint.h"
#include "output/json_text.h"
#include "output/markdown.h"
#include "output/output.h"
#include "output/uri.h"

namespace ormlint {

namespace {

using nlohmann::ordered_json;

constexpr const char* kSrcRoot = "%SRCROOT%";

std::string sarif_level(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "note";
  }
  return "warning";
}

// tool.driver.rules: the rules that ran, then any rule a diagnostic names that is not among them (e.g. the
// built-in syntax-error report), so every result's ruleIndex points at its rule.
class RuleTable {
 public:
  RuleTable(const OutputOptions& options, const std::vector<Diagnostic>& diagnostics) {
    for (const Rule* rule : options.rules) add(rule->info());
    for (const Diagnostic& d : diagnostics) {
      if (index_.contains(d.code)) continue;
      if (const Rule* rule = find_rule(d.code); rule && rule->info().code == d.code) {
        add(rule->info());
      } else {
        // Not in the catalogue at all: describe it from the diagnostic itself.
        RuleInfo info;
        info.code = d.code;
        info.name = d.rule;
        info.summary = d.rule;
        info.severity = d.severity;
        add(info);
      }
    }
  }

  size_t index_of(const std::string& code) const { return index_.at(code); }
  const std::vector<RuleInfo>& rules() const { return rules_; }

 private:
  void add(const RuleInfo& info) {
    if (index_.emplace(info.code, rules_.size()).second) rules_.push_back(info);
  }

  std::vector<RuleInfo> rules_;
  std::map<std::string, size_t> index_;
};

ordered_json rule_descriptor(const RuleInfo& info) {
  const std::string_view doc = rule_documentation(info.name);
  std::string full = first_paragraph_under(doc, "## What it does");
  if (full.empty()) full = info.summary;
  ordered_json help = {{"text", doc.empty() ? info.summary : std::string(doc)}};
  if (!doc.empty()) help["markdown"] = std::string(doc);
  return {
      {"id", info.code},
      {"name", info.name},
      {"shortDescription", {{"text", info.summary}}},
      {"fullDescription", {{"text", full}}},
      {"help", std::move(help)},
      {"defaultConfiguration", {{"level", sarif_level(info.severity)}}},
      {"properties",
       {{"tags", ordered_json::array({std::string(to_string(info.profile))})}, {"precision", "high"}}},
  };
}

ordered_json artifact_location(const std::string& path) {
  // Paths outside the working directory are displayed absolute: those get a file URI of their own.
  if (!path.empty() && path.front() == '/') return {{"uri", file_uri(path)}};
  return {{"uri", percent_encode_path(path)}, {"uriBaseId", kSrcRoot}};
}

ordered_json region(const Location& loc) {
  // SARIF wants 1-based positions and an end that does not precede the start.
  const uint32_t line = std::max<uint32_t>(loc.line, 1), column = std::max<uint32_t>(loc.column, 1);
  uint32_t end_line = loc.end_line, end_column = loc.end_column;
  if (end_line < line || (end_line == line && end_column < column)) {
    end_line = line;
    end_column = column;
  }
  return {{"startLine", line}, {"startColumn", column}, {"endLine", end_line}, {"endColumn", end_column}};
}

ordered_json result_object(const Diagnostic& d, size_t rule_index, const std::string& fingerprint) {
  std::string text = d.message;
  if (!d.help.empty()) text += " " + d.help;
  ordered_json location = {
      {"physicalLocation", {{"artifactLocation", artifact_location(d.path)}, {"region", region(d.loc)}}}};
  return {
      {"ruleId", d.code},
      {"ruleIndex", rule_index},
      {"level", sarif_level(d.severity)},
      {"message", {{"text", std::move(text)}}},
      {"locations", ordered_json::array({std::move(location)})},
      {"partialFingerprints", {{"primaryLocationLineHash", fingerprint}}},
  };
}

ordered_json invocation(const RunResult& result) {
  ordered_json notifications = ordered_json::array();
  for (const std::string& error : result.errors) {
    notifications.push_back({{"level", "error"}, {"message", {{"text", error}}}});
  }
  return {{"executionSuccessful", result.errors.empty()}, {"toolExecutionNotifications", std::move(notifications)}};
}

}  // namespace

void write_sarif(const RunResult& result, const OutputOptions& options, std::ostream& out) {
  const RuleTable table(options, result.diagnostics);
  ordered_json rules = ordered_json::array();
  for (const RuleInfo& info : table.rules()) rules.push_back(rule_descriptor(info));

  ordered_json driver = {
      {"name", "ormlint"},
      {"version", ORMLINT_VERSION},
      {"informationUri", "https://github.com/ormlint/ormlint"},
      {"semanticVersion", ORMLINT_VERSION},
      {"rules", std::move(rules)},
  };
  ordered_json run = {
      {"tool", {{"driver", std::move(driver)}}},
      {"invocations", ordered_json::array({invocation(result)})},
      {"originalUriBaseIds", {{kSrcRoot, {{"uri", directory_file_uri(options.root)}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", ordered_json::array()},  // streamed in below
  };
  ordered_json log = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", ordered_json::array({std::move(run)})},
  };
  // The log without its results, then the results one at a time where its empty list stands (the last member
  // of the run; no string holds `"results": []` unescaped): thousands of results never make one document.
  const std::string frame = json_text(log);
  const std::string empty_results = "\"results\": []";
  const size_t at = frame.rfind(empty_results);
  const size_t line_start = frame.rfind('\n', at) + 1;
  const int depth = static_cast<int>((at - line_start) / 2);  // the results list's nesting
  out.write(frame.data(), static_cast<std::streamsize>(at));
  out << "\"results\": ";
  const std::vector<std::string> fingerprints = line_fingerprints(result.diagnostics);
  write_json_array(out, result.diagnostics.size(), depth, [&](size_t i) {
    const Diagnostic& d = result.diagnostics[i];
    return result_object(d, table.index_of(d.code), fingerprints[i]);
  });
  out << frame.substr(at + empty_results.size()) << '\n';
}

}  // namespace ormlint
