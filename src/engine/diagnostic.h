// What a rule reports, and the rule metadata every front end (terminal, JSON, SARIF, `rules`, `explain`) reads.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/location.h"

namespace ormlint {

class SourceFile;

enum class Severity { Info, Warning, Error };
std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

// Which profile a rule belongs to: Any rules run in every profile; Portable rules only in the portable profile
// (the default); PostgreSQL rules only in the postgresql profile.
enum class Profile { Any, Portable, PostgreSQL };
std::string_view to_string(Profile profile);
std::optional<Profile> parse_profile(std::string_view text);  // "portable" | "postgresql" (not "any")

// A setting a rule accepts in `[tool.ormlint.<rule-name>]`, with its default.
struct RuleSetting {
  std::string name;
  std::string default_value;
  std::string description;
};

struct RuleInfo {
  std::string code;     // stable: "OL101"
  std::string name;     // kebab-case: "reserved-attribute"
  std::string summary;  // one line, for `ormlint rules` and SARIF shortDescription
  Severity severity = Severity::Warning;
  Profile profile = Profile::Any;
  bool enabled_by_default = true;
  // Compares changed files with the base commit of a git-aware run (--staged, --changed-since; Project::base()):
  // reports nothing in other runs, so examples without a base cannot demonstrate it.
  bool git_aware = false;
};

struct Diagnostic {
  std::string path;  // display path, relative to the working directory where possible
  Location loc;
  std::string code;
  std::string rule;  // kebab-case name
  Severity severity = Severity::Warning;
  std::string message;
  std::string help;  // how to fix, one line; may be empty
  std::string source_line;  // the text of loc.line (for carets, fingerprints and baselines)
  // Where source_line comes from: a run reads the line only for the findings it shows (a finding in a file
  // outside the report scope must not make a warm run read that file), then clears this. Not owned.
  const SourceFile* source = nullptr;

  // Total order used for deterministic output: path, line, column, rule, message.
  friend bool operator<(const Diagnostic& a, const Diagnostic& b);
};

}  // namespace ormlint
