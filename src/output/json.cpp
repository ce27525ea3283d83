// The machine-readable report: one JSON object, keys in a fixed order, for scripts and editor integrations.
//
//   {"version": "0.1.0", "diagnostics": [{"code", "rule", "severity", "path", "line", "column", "end_line",
//    "end_column", "message", "help"}, ...], "files_checked": 3, "errors": ["path: reason", ...]}
#include <nlohmann/json.hpp>

#include "output/json_text.h"
#include "output/output.h"

namespace ormlint {

// Written one finding at a time, each as flat text (JsonObjectText), in exactly the layout of the whole
// report's dump(2) (output/json_text.h).
void write_json(const RunResult& result, const OutputOptions& /*options*/, std::ostream& out) {
  out << "{\n  \"version\": " << json_text(ORMLINT_VERSION, -1) << ",\n  \"diagnostics\": ";
  write_json_array(out, result.diagnostics.size(), 1, [&](size_t i, std::string& text) {
    const Diagnostic& d = result.diagnostics[i];
    JsonObjectText(text, 2)
        .member("code", d.code)
        .member("rule", d.rule)
        .member("severity", to_string(d.severity))
        .member("path", d.path)
        .member("line", d.loc.line)
        .member("column", d.loc.column)
        .member("end_line", d.loc.end_line)
        .member("end_column", d.loc.end_column)
        .member("message", d.message)
        .member("help", d.help)
        .close();
  });
  out << ",\n  \"files_checked\": " << result.files_checked
      << ",\n  \"errors\": " << nested_json_text(result.errors, 1) << "\n}\n";
}

}  // namespace ormlint
