// GitHub Actions workflow commands: one annotation per diagnostic, shown inline on the pull request's diff.
// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
//
//   ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=ormlint CODE (rule-name)::MESSAGE%0AHELP
//
// error -> ::error, warning -> ::warning, info -> ::notice. Read errors become `::error::path: reason`.
#include <algorithm>
#include <string>
#include <string_view>

#include "output/output.h"

namespace ormlint {

namespace {

std::string_view command_for(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "notice";
  }
  return "warning";
}

// The runner cuts a command at the first line break and reads "::" as the end of the properties, so a message
// or a file name could otherwise end the annotation early or start a command of its own.
void append_escaped(std::string& out, std::string_view text, bool property) {
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': property ? out += "%3A" : out += c; break;
      case ',': property ? out += "%2C" : out += c; break;
      default: out += c;
    }
  }
}

std::string github_escape_data(std::string_view text) {
  std::string out;
  append_escaped(out, text, false);
  return out;
}

std::string github_escape_property(std::string_view text) {
  std::string out;
  append_escaped(out, text, true);
  return out;
}

std::string github_annotation(const Diagnostic& d) {
  // Annotations take a column range only within one line (GitHub's check-run API rejects col/endColumn when
  // line != endLine), so a span over several lines is annotated by lines alone.
  const uint32_t line = std::max<uint32_t>(d.loc.line, 1);
  const uint32_t end_line = std::max(d.loc.end_line, line);
  std::string out = "::";
  out += command_for(d.severity);
  out += " file=" + github_escape_property(d.path);
  out += ",line=" + std::to_string(line);
  if (end_line == line) {
    const uint32_t column = std::max<uint32_t>(d.loc.column, 1);
    out += ",col=" + std::to_string(column);
    out += ",endLine=" + std::to_string(end_line);
    out += ",endColumn=" + std::to_string(std::max(d.loc.end_column, column));
  } else {
    out += ",endLine=" + std::to_string(end_line);
  }
  out += ",title=" + github_escape_property("ormlint " + d.code + " (" + d.rule + ")");
  out += "::";
  out += github_escape_data(d.help.empty() ? d.message : d.message + "\n" + d.help);
  return out;
}

}  // namespace

void write_github(const RunResult& result, const OutputOptions& /*options*/, std::ostream& out) {
  for (const Diagnostic& d : result.diagnostics) out << github_annotation(d) << '\n';
  for (const std::string& error : result.errors) out << "::error::" << github_escape_data(error) << '\n';
}

}  // namespace ormlint
