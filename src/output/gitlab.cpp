// GitLab Code Quality report (`artifacts: reports: codequality`): a JSON array of Code Climate issues, the subset
// GitLab reads (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format):
//
//   [{"type": "issue", "check_name": "ormlint/reserved-attribute", "description": "...",
//     "content": {"body": HELP}, "categories": ["Bug Risk"], "fingerprint": "16 hex digits",
//     "severity": "major", "location": {"path": "app/models.py", "lines": {"begin": 10, "end": 10}}}, ...]
//
// Severity: info -> "info", warning -> "minor", error -> "major" (GitLab allows info, minor, major, critical,
// blocker; "critical"/"blocker" are left to tools that can tell a security hole from a crash at import).
// The fingerprint is SARIF's line-independent one, so GitLab's merge-request widget recognises the same finding
// on both branches even when lines above it moved. Read errors have no place in the format: they go to stderr.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "output/fingerprint.h"
#include "output/json_text.h"
#include "output/output.h"

namespace ormlint {

namespace {

using nlohmann::ordered_json;

const char* gitlab_severity(Severity severity) {
  switch (severity) {
    case Severity::Error: return "major";
    case Severity::Warning: return "minor";
    case Severity::Info: return "info";
  }
  return "minor";
}

// Code Climate's fixed category list: portability rules are "Compatibility", every other rule guards
// against a failure at import, at migration time or in production data, which is "Bug Risk".
const char* category(const Diagnostic& d) {
  const Rule* rule = find_rule(d.code);
  return rule && rule->info().profile == Profile::Portable ? "Compatibility" : "Bug Risk";
}

ordered_json issue(const Diagnostic& d, const std::string& fingerprint) {
  const uint32_t begin = std::max<uint32_t>(d.loc.line, 1);
  ordered_json object = {
      {"type", "issue"},
      {"check_name", "ormlint/" + d.rule},
      {"description", d.code + " " + d.message},
  };
  if (!d.help.empty()) object["content"] = {{"body", d.help}};
  object["categories"] = ordered_json::array({category(d)});
  object["fingerprint"] = fingerprint;
  object["severity"] = gitlab_severity(d.severity);
  object["location"] = {{"path", d.path}, {"lines", {{"begin", begin}, {"end", std::max(d.loc.end_line, begin)}}}};
  return object;
}

}  // namespace

void write_gitlab(const RunResult& result, const OutputOptions& /*options*/, std::ostream& out) {
  // One issue at a time, in the layout of the whole array's dump(2) (output/json_text.h).
  const std::vector<std::string> fingerprints = line_fingerprints(result.diagnostics);
  write_json_array(out, result.diagnostics.size(), 0,
                   [&](size_t i) { return issue(result.diagnostics[i], fingerprints[i]); });
  out << '\n';
}

}  // namespace ormlint
