#include "engine/diagnostic.h"

#include <tuple>

namespace ormlint {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "warning";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "info") return Severity::Info;
  if (text == "warning") return Severity::Warning;
  if (text == "error") return Severity::Error;
  return std::nullopt;
}

std::string_view to_string(Profile profile) {
  switch (profile) {
    case Profile::Any: return "any";
    case Profile::Portable: return "portable";
    case Profile::PostgreSQL: return "postgresql";
  }
  return "any";
}

std::optional<Profile> parse_profile(std::string_view text) {
  if (text == "portable") return Profile::Portable;
  if (text == "postgresql") return Profile::PostgreSQL;
  return std::nullopt;
}

bool operator<(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.path, a.loc.line, a.loc.column, a.rule, a.message) <
         std::tie(b.path, b.loc.line, b.loc.column, b.rule, b.message);
}

}  // namespace ormlint
