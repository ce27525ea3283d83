// The human-readable report, in the style of ruff and rustc:
//
//   app/models.py:12:5: error[reserved-attribute] `metadata` is reserved by the declarative base
//     12 |     metadata = Column(JSON)
//        |     ^^^^^^^^
//        = help: rename the attribute and pass the column name: `meta = Column("metadata", JSON)`
//
//   Found 1 problem (1 error, 0 warnings, 0 info) in 3 files checked.
#include <cstdlib>
#include <string>

#include "output/output.h"
#include "output/snippet.h"

namespace ormlint {

namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kGutter = "\x1b[1;34m";

std::string_view severity_color(Severity severity) {
  switch (severity) {
    case Severity::Error: return "\x1b[1;31m";
    case Severity::Warning: return "\x1b[1;33m";
    case Severity::Info: return "\x1b[1;34m";
  }
  return kBold;
}

// Wraps text in an ANSI style when colour is on; the only place escape codes are written.
class Painter {
 public:
  explicit Painter(bool enabled) : enabled_(enabled) {}
  std::string operator()(std::string_view style, std::string_view text) const {
    if (!enabled_) return std::string(text);
    std::string painted;
    painted.reserve(style.size() + text.size() + kReset.size());
    painted.append(style).append(text).append(kReset);
    return painted;
  }

 private:
  bool enabled_;
};

std::string plural(size_t count, std::string_view singular, std::string_view plural_form) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural_form);
}

void write_diagnostic(const Diagnostic& d, const Painter& paint, std::ostream& out) {
  const std::string_view color = severity_color(d.severity);
  out << sanitize_for_terminal(d.path) << ':' << d.loc.line << ':' << d.loc.column << ": "
      << paint(color, to_string(d.severity)) << '[' << paint(kBold, sanitize_for_terminal(d.rule)) << "] "
      << sanitize_for_terminal(d.message) << '\n';

  const std::string number = std::to_string(d.loc.line);
  const std::string pad(2 + number.size(), ' ');  // the gutter: "  12 | " and "     | "
  const Snippet snippet = render_snippet(d.source_line, d.loc);
  out << paint(kGutter, "  " + number + " |");
  if (!snippet.text.empty()) out << ' ' << snippet.text;
  out << '\n';
  out << paint(kGutter, pad + " |") << ' ' << std::string(snippet.caret_offset, ' ')
      << paint(color, std::string(snippet.caret_count, '^')) << '\n';
  if (!d.help.empty()) out << paint(kGutter, pad + " =") << " help: " << sanitize_for_terminal(d.help) << '\n';
  out << '\n';
}

// "", or why fewer findings are shown than exist: the ones a baseline already records (engine/baseline.h).
std::string hidden_by_baseline(const RunResult& result) {
  if (result.baseline_hidden == 0) return "";
  return plural(result.baseline_hidden, "known finding", "known findings") + " hidden by the baseline";
}

void write_summary(const RunResult& result, std::ostream& out) {
  const std::string files = plural(result.files_checked, "file", "files");
  const std::string hidden = hidden_by_baseline(result);
  const std::string checked_note = files + " checked" + (hidden.empty() ? "" : ", " + hidden);
  if (result.diagnostics.empty()) {
    // "All checks passed" would be wrong right under a list of files that could not be checked.
    if (result.errors.empty()) {
      out << "All checks passed (" << checked_note << ").\n";
    } else {
      out << "No problems found (" << checked_note << "), but " << plural(result.errors.size(), "error", "errors")
          << " occurred.\n";
    }
    return;
  }
  size_t errors = 0, warnings = 0, infos = 0;
  for (const Diagnostic& d : result.diagnostics) {
    switch (d.severity) {
      case Severity::Error: ++errors; break;
      case Severity::Warning: ++warnings; break;
      case Severity::Info: ++infos; break;
    }
  }
  out << "Found " << plural(result.diagnostics.size(), "problem", "problems") << " ("
      << plural(errors, "error", "errors") << ", " << plural(warnings, "warning", "warnings") << ", " << infos
      << " info) in " << files << " checked" << (hidden.empty() ? "" : " (" + hidden + ")") << ".\n";
}

}  // namespace

void write_terminal(const RunResult& result, const OutputOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  for (const Diagnostic& d : result.diagnostics) write_diagnostic(d, paint, out);
  for (const std::string& error : result.errors) {
    out << paint(severity_color(Severity::Error), "error") << ": " << sanitize_for_terminal(error) << '\n';
  }
  write_summary(result, out);
}

bool should_use_color(ColorMode mode, bool is_tty) {
  switch (mode) {
    case ColorMode::Always: return true;
    case ColorMode::Never: return false;
    case ColorMode::Auto: break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  return is_tty && (no_color == nullptr || *no_color == '\0');
}

}  // namespace ormlint
