// unguarded-drop-column: op.drop_column / batch_op.drop_column in upgrade() or downgrade() that does not first check
// that the column is there. The migration then fails with UndefinedColumn when it runs a second time, or on a
// database where the column was already removed by hand.
#include <set>
#include <string>
#include <utility>

#include "engine/rule.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

class UnguardedDropColumn final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL202", "unguarded-drop-column",
                               "op.drop_column without a check that the column exists: re-running the migration "
                               "fails with UndefinedColumn",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    // A helper called from upgrade() and downgrade() is one finding, not two; a loop over table or column
    // names is one finding for each value, as destructive-operation reports it.
    std::set<std::pair<uint32_t, std::string>> reported;
    for (const OperationCall& op : revision.operations) {
      // Alembic 1.16+: `op.drop_column(..., if_exists=True)` renders DROP COLUMN IF EXISTS.
      if (op.name != "drop_column" || project.column_guarded(op) || flag_may_be_set(op, "if_exists"))
        continue;
      WrittenName table = written_table(revision, op);
      WrittenName column = written_column(op);
      // A scratch column added earlier, or one the same function adds again (a rebuild): after a complete run
      // the table is as it was, and a second run finds what it expects. The same for a name another column
      // is renamed to, later (a copy swapped into place) or earlier (the original moved aside, then dropped).
      if (column_added_before(revision, op) || column_operation_after(revision, op, "add_column") ||
          column_renamed_to(revision, op))
        continue;
      const std::string shown = shown_column(revision, op);
      if (!reported.insert({op.call.loc.start_byte, shown}).second) continue;
      out.report(file, op.call.loc,
                 "`" + shown + "` is dropped in " + op.function +
                     "() without checking that it exists: running this migration again fails with "
                     "UndefinedColumn",
                 "guard it: `if " + column.python() +
                     " in [c[\"name\"] for c in sa.inspect(op.get_bind()).get_columns(" + table.python() +
                     ")]:`");
    }
  }
};

ORMLINT_RULE(UnguardedDropColumn);

}  // namespace

}  // namespace ormlint
