// suppression-without-reason: an ormlint suppression comment with no `-- reason` after it. Off by default;
// `require-suppression-reason = true` turns it on. The suppression still works: the finding asks for the
// reason.
#include "engine/rule.h"
#include "engine/suppression.h"

namespace ormlint {

namespace {

// The directive as the user would write it with a reason, e.g. "# ormlint: ignore[destructive-operation]".
std::string directive(const Suppression& suppression) {
  std::string names;
  for (const std::string& name : suppression.rules) names += (names.empty() ? "" : ", ") + name;
  if (suppression.kind == Suppression::Kind::Noqa) return "# noqa: " + names;
  return names.empty() ? "# ormlint: ignore" : "# ormlint: ignore[" + names + "]";
}

class SuppressionWithoutReason final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL003", "suppression-without-reason",
        "Suppression comment without a `-- reason`: nobody can tell later whether it still applies",
        Severity::Warning, Profile::Any, false};
    return info;
  }

  void check_suppressions(const ProjectFile& file, const FileSuppressions& suppressions,
                          const SuppressionUsage& /*usage*/, const std::vector<const Rule*>& /*active_rules*/,
                          Reporter& out) const override {
    for (const auto& [line, suppression] : suppressions.by_line) {
      // Bare `# noqa` and `# noqa: E501` belong to flake8/ruff, whose conventions are not ours to enforce.
      if (!suppression.owned_by_ormlint() || !suppression.reason.empty()) continue;
      const std::string written = directive(suppression);
      out.report(file, suppression.loc, "`" + written + "` gives no reason",
                 "say why the finding does not apply here, after ` -- `: `" + written + " -- <reason>`");
    }
  }
};

ORMLINT_RULE(SuppressionWithoutReason);

}  // namespace

}  // namespace ormlint
