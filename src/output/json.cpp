// The machine-readable report: one JSON object, keys in a fixed order, for scripts and editor integrations.
//
//   {"version": "0.1.0", "diagnostics": [{"code", "rule", "severity", "path", "line", "column", "end_line",
//    "end_column", "message", "help"}, ...], "files_checked": 3, "errors": ["path: reason", ...]}
#include <nlohmann/json.hpp>

#include "output/output.h"

namespace ormlint {

void write_json(const RunResult& result, const OutputOptions& /*options*/, std::ostream& out) {
  using nlohmann::ordered_json;
  ordered_json diagnostics = ordered_json::array();
  for (const Diagnostic& d : result.diagnostics) {
    diagnostics.push_back({
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
    });
  }
  ordered_json report = {
      {"version", ORMLINT_VERSION},
      {"diagnostics", std::move(diagnostics)},
      {"files_checked", result.files_checked},
      {"errors", result.errors},
  };
  // Paths are bytes on Linux and messages may quote source text: replace invalid UTF-8 with U+FFFD rather
  // than throw and lose the whole report.
  out << report.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace ormlint
