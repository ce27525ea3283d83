// operation-not-called: a revision names an operation without calling it — `op.bulk_insert` on a line of its
// own, its `(table, rows)` on the next. Python reads two statements (an attribute that is looked up and
// dropped, then a tuple), so the migration runs, Alembic records it as applied, and the operation never
// happened.
#include <set>
#include <string>

#include "engine/rule.h"

namespace ormlint {

namespace {

class OperationNotCalled final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL235",
        "operation-not-called",
        "A migration names an operation without calling it (`op.bulk_insert` alone on a "
        "line): it never runs, and the migration still succeeds",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    std::set<uint32_t> reported;  // a helper called from upgrade() and downgrade() is one finding
    for (const UncalledOperation& uncalled : file.facts.revision->uncalled_operations) {
      if (!reported.insert(uncalled.attribute.loc.start_byte).second) continue;
      const std::string name = uncalled.attribute.text;
      out.report(file, uncalled.attribute.loc,
                 "`" + name + "` is named but not called: Python looks the attribute up and drops it, so " +
                     std::string(uncalled.function) + "() succeeds without running it",
                 "call it, with the arguments' opening parenthesis on the same line: `" + name + "(...)`");
    }
  }
};

ORMLINT_RULE(OperationNotCalled);

}  // namespace

}  // namespace ormlint
