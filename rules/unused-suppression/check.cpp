// unused-suppression: an ormlint suppression comment that silenced no finding in this run, and names in one
// that are not ormlint rules at all. It judges only what it can know for certain: a name whose rule did not
// run, a file that does not parse, other tools' `# noqa` codes and `# ormlint: skip-file` are left alone.
#include <algorithm>
#include <cctype>

#include "engine/config.h"
#include "engine/rule.h"
#include "engine/suppression.h"

namespace ormlint {

namespace {

std::string quoted(const std::string& name) {
  return "`" + name + "`";
}

// "`a`", "`a` or `b`", "`a`, `b` or `c`".
std::string join(const std::vector<std::string>& items, const std::string& last_separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? last_separator : ", ";
    out += items[i];
  }
  return out;
}

bool contains(const std::vector<const Rule*>& rules, const Rule* rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

// A comment alone on its line suppresses nothing, however it is meant: people expect it to cover the next
// line.
bool alone_on_line(const ProjectFile& file, uint32_t line) {
  std::string_view text = file.source.line_text(line);
  size_t first = text.find_first_not_of(" \t\f");
  return first != std::string_view::npos && text[first] == '#';
}

// " (did you mean `reserved-attribute`?)" for a typo; a code for a mistyped code ("ol403" -> `OL403`).
std::string suggestion(const std::string& typed) {
  const Rule* close = closest_rule(typed);
  if (!close) return "";
  const bool typed_a_code = typed.size() > 2 && std::toupper(static_cast<unsigned char>(typed[0])) == 'O' &&
                            std::toupper(static_cast<unsigned char>(typed[1])) == 'L' &&
                            std::isdigit(static_cast<unsigned char>(typed[2]));
  return " (did you mean " + quoted(typed_a_code ? close->info().code : close->info().name) + "?)";
}

class UnusedSuppression final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL002", "unused-suppression",
        "Suppression comment that silences no finding, or names something that is not an ormlint rule",
        Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_suppressions(const ProjectFile& file, const FileSuppressions& suppressions,
                          const SuppressionUsage& usage, const std::vector<const Rule*>& active_rules,
                          Reporter& out) const override {
    // No rule looked inside a file that does not parse: its suppressions may be needed again once it does.
    const bool rules_ran = !file.syntax_problem;
    for (const auto& [line, suppression] : suppressions.by_line) {
      if (suppression.owned_by_ormlint()) judge(file, suppression, usage, active_rules, rules_ran, out);
    }
  }

 private:
  // Findings of the rules that judge suppressions are made after the usage is known, so naming them can never
  // count as used here: their names are left alone.
  bool judges_suppressions(const Rule* rule) const {
    return rule == this || rule->info().name == "suppression-without-reason";
  }

  // A bare `# ormlint: ignore` stands for every rule, so it can only be judged by a run that had at least the
  // rules every configuration runs (on by default, any profile); `--select one-rule` must not condemn it.
  static bool default_rules_ran(const std::vector<const Rule*>& active_rules) {
    for (const Rule* rule : all_rules()) {
      const RuleInfo& info = rule->info();
      if (info.enabled_by_default && info.profile == Profile::Any && !contains(active_rules, rule)) {
        return false;
      }
    }
    return true;
  }

  void judge(const ProjectFile& file, const Suppression& suppression, const SuppressionUsage& usage,
             const std::vector<const Rule*>& active_rules, bool rules_ran, Reporter& out) const {
    const uint32_t line = suppression.line;
    const bool bare = suppression.rules.empty();
    const bool bare_unused = bare && rules_ran && !usage.used(line) && default_rules_ran(active_rules);
    std::vector<std::string> unused, unknown, flagged;
    for (const std::string& name : suppression.ormlint_names()) {
      const Rule* rule = find_rule(name);
      if (!rule) {
        unknown.push_back(quoted(name) + suggestion(name));
        flagged.push_back(quoted(name));
      } else if (rules_ran && contains(active_rules, rule) && !judges_suppressions(rule) &&
                 !usage.used_by(line, rule->info().name)) {
        unused.push_back(quoted(name));
        flagged.push_back(quoted(name));
      }
    }
    if (!bare_unused && flagged.empty()) return;

    std::vector<std::string> problems;
    if (bare_unused) problems.push_back("unused suppression: no finding on this line");
    if (!unused.empty()) {
      problems.push_back("unused suppression: no " + join(unused, " or ") + " finding on this line");
    }
    if (!unknown.empty()) {
      problems.push_back(join(unknown, " and ") +
                         (unknown.size() == 1 ? " is not an ormlint rule" : " are not ormlint rules"));
    }
    out.report(file, suppression.loc, join(problems, "; "),
               help(file, suppression, bare_unused, flagged, !unknown.empty()));
  }

  static std::string help(const ProjectFile& file, const Suppression& suppression, bool bare_unused,
                          const std::vector<std::string>& flagged, bool has_unknown) {
    const bool whole_comment = bare_unused || flagged.size() == suppression.rules.size();
    if (!has_unknown && alone_on_line(file, suppression.line)) {
      return "a suppression covers only its own line: put it at the end of the line with the finding, or "
             "delete it";
    }
    const std::string or_correct =
        has_unknown ? ", or correct the rule name (`ormlint rules` lists them)" : "";
    if (whole_comment) return "delete the comment" + or_correct;
    return "remove " + join(flagged, " and ") + " from the list" + or_correct;
  }
};

ORMLINT_RULE(UnusedSuppression);

}  // namespace

}  // namespace ormlint
