// Inline suppressions: `# ormlint: ignore[rule-or-code, ...] -- reason`, `# noqa: OL101` (a bare `# noqa` or
// `# ormlint: ignore` silences every rule on the line), and `# ormlint: skip-file` anywhere in the file.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "facts/module_facts.h"

namespace ormlint {

struct Suppression {
  uint32_t line = 0;
  Location loc;                  // the comment
  std::set<std::string> rules;   // names or codes as written; empty: all rules
  std::string reason;            // text after " -- ", if any
};

struct FileSuppressions {
  bool skip_file = false;
  std::map<uint32_t, Suppression> by_line;

  // Whether a diagnostic of this rule (name or code) on this line is suppressed.
  bool suppresses(uint32_t line, const std::string& rule_name, const std::string& code) const;
};

FileSuppressions parse_suppressions(const std::vector<Comment>& comments);

}  // namespace ormlint
