// The machine-readable report: one JSON object, keys in a fixed order, for scripts and editor integrations.
//
//   {"version": "0.1.0", "diagnostics": [{"code", "rule", "severity", "path", "line", "column", "end_line",
//    "end_column", "message", "help"}, ...], "files_checked": 3, "errors": ["path: reason", ...]}
#include <nlohmann/json.hpp>

#include "output/output.h"

namespace ormlint {

namespace {

// Paths are bytes on Linux and messages may quote source text: invalid UTF-8 becomes U+FFFD rather than an
// exception that loses the whole report.
std::string dump(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// `value` as dump(2) prints it nested `depth` levels deep (JSON text holds no raw newline but between tokens).
std::string nested(const nlohmann::ordered_json& value, int depth) {
  std::string text = dump(value, 2);
  const std::string indent(static_cast<size_t>(depth) * 2, ' ');
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

}  // namespace

// Written one finding at a time (each through nlohmann::json, for its escaping), in exactly the layout of the whole
// report's dump(2): a report of thousands of findings never exists as one document in memory.
void write_json(const RunResult& result, const OutputOptions& /*options*/, std::ostream& out) {
  using nlohmann::ordered_json;
  out << "{\n  \"version\": " << dump(ORMLINT_VERSION, -1) << ",\n  \"diagnostics\": ";
  if (result.diagnostics.empty()) out << "[]";
  for (size_t i = 0; i < result.diagnostics.size(); ++i) {
    const Diagnostic& d = result.diagnostics[i];
    const ordered_json finding = {
        {"code", d.code},
        {"rule", d.rule},
        {"severity", std::string(to_string(d.severity))},
        {"path", d.path},
        {"line", d.loc.line},
        {"column", d.loc.column},
        {"end_line", d.loc.end_line},
        {"end_column", d.loc.end_column},
        {"message", d.message},
        {"help", d.help},
    };
    out << (i == 0 ? "[\n    " : ",\n    ") << nested(finding, 2);
  }
  if (!result.diagnostics.empty()) out << "\n  ]";
  out << ",\n  \"files_checked\": " << result.files_checked << ",\n  \"errors\": " << nested(result.errors, 1)
      << "\n}\n";
}

}  // namespace ormlint
