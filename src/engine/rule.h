// The contract between the engine and the rule catalogue in rules/. A rule reads facts and reports; it never
// touches files, syntax trees or configuration (its own settings reach it through the Reporter). Each rule registers itself (ORMLINT_RULE below), so adding a rule
// is adding its directory under rules/: no list to edit.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.h"
#include "project/project.h"

namespace ormlint {

class Reporter;
struct FileSuppressions;
struct SuppressionUsage;

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  // What `[tool.ormlint.<rule-name>]` may set, with defaults (most rules have no settings).
  virtual std::vector<RuleSetting> settings() const { return {}; }
  // Called for every file whose findings are shown, possibly on several threads at once.
  virtual void check_file(const ProjectFile& /*file*/, const Project& /*project*/, Reporter& /*out*/) const {}
  // Called once per run with the whole project, for rules about relations between files.
  virtual void check_project(const Project& /*project*/, Reporter& /*out*/) const {}
  // Called after every rule above ran and their findings were filtered, once per file whose findings are shown
  // and which has suppression comments: the comments, which of them silenced a finding (and of which rules), and
  // the rules of this run.
  // For rules about the suppressions themselves. Their findings are silenced only by a suppression that names
  // their rule explicitly (a bare `# ormlint: ignore` does not), then per-file ignores and severities apply.
  virtual void check_suppressions(const ProjectFile& /*file*/, const FileSuppressions& /*suppressions*/,
                                  const SuppressionUsage& /*usage*/,
                                  const std::vector<const Rule*>& /*active_rules*/, Reporter& /*out*/) const {}
};

// Collects one rule's findings. Not shared between threads.
class Reporter {
 public:
  // `settings` are the rule's configured settings (`[tool.ormlint.<rule-name>]`), if any.
  explicit Reporter(const Rule& rule, const std::map<std::string, std::string>* settings = nullptr);
  // The rule's setting: the configured value, else the default the rule declares in settings().
  std::string setting(std::string_view name) const;
  // `severity` overrides the rule's default for this finding (e.g. reserved-attribute: error for `metadata`).
  void report(const ProjectFile& file, const Location& loc, std::string message, std::string help = {},
              std::optional<Severity> severity = std::nullopt);
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  const Rule& rule_;
  const RuleInfo& info_;
  const std::map<std::string, std::string>* settings_;
  std::vector<Diagnostic> diagnostics_;
};

// Every registered rule, ordered by code.
const std::vector<const Rule*>& all_rules();
const Rule* find_rule(std::string_view code_or_name);
// The rule's documentation (rules/<name>/doc.md, embedded at build time); "" if it has none.
std::string_view rule_documentation(std::string_view name);

void register_rule(std::unique_ptr<Rule> rule);

template <class R>
struct RuleRegistration {
  RuleRegistration() { register_rule(std::make_unique<R>()); }
};

}  // namespace ormlint

// Registers a rule class with the catalogue at program start-up.
#define ORMLINT_RULE(Type) static const ::ormlint::RuleRegistration<Type> ormlint_rule_registration_##Type
