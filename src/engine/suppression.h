// Inline suppressions: `# ormlint: ignore[rule-or-code, ...] -- reason`, `# noqa: OL101 -- reason` (a bare
// `# noqa` or `# ormlint: ignore` silences every rule on the line), and `# ormlint: skip-file` anywhere in
// the file. After a run, the engine also knows which suppressions were used (SuppressionUsage), so rules can
// judge the suppressions themselves (Rule::check_suppressions).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "facts/module_facts.h"

namespace ormlint {

struct Suppression {
  // `# noqa` comments are shared with flake8/ruff: only the ormlint names in their list belong to us.
  enum class Kind { Ormlint, Noqa };

  uint32_t line = 0;
  Location loc;  // the comment
  Kind kind = Kind::Ormlint;
  std::set<std::string> rules;  // names or codes as written; empty: all rules
  std::string reason;           // text after "--", trimmed; empty when there is none

  // The names in the list that are ormlint's: all of them in `# ormlint: ignore[...]`; in a `# noqa:` list
  // the ormlint rule names and the `OL` codes (known or not).
  std::vector<std::string> ormlint_names() const;
  // Whether ormlint owns this comment: every `# ormlint: ignore`, and a `# noqa:` list naming at least one
  // ormlint rule. A bare `# noqa` or `# noqa: E501` belongs to other tools.
  bool owned_by_ormlint() const;
};

struct FileSuppressions {
  bool skip_file = false;
  std::map<uint32_t, Suppression> by_line;

  // Whether a diagnostic of this rule (name or code) on this line is suppressed.
  bool suppresses(uint32_t line, const std::string& rule_name, const std::string& code) const;
  // Whether the suppression on this line names the rule (name or code) explicitly; a bare one names nothing.
  bool names(uint32_t line, const std::string& rule_name, const std::string& code) const;
};

// Which findings each suppression of one file silenced in a run: line -> the names of the rules whose
// findings it dropped. A suppression whose line is absent silenced nothing.
struct SuppressionUsage {
  std::map<uint32_t, std::set<std::string>> used_by_line;

  void record(uint32_t line, const std::string& rule_name) { used_by_line[line].insert(rule_name); }
  bool used(uint32_t line) const { return used_by_line.count(line) != 0; }
  bool used_by(uint32_t line, const std::string& rule_name) const;
};

FileSuppressions parse_suppressions(const std::vector<Comment>& comments);

}  // namespace ormlint
