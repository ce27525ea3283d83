// unguarded-add-column: op.add_column / batch_op.add_column in upgrade() or downgrade() that does not first check
// that the column is missing. The migration then fails with DuplicateColumn when it runs a second time (a re-run
// after a partial failure, a database that was patched by hand, two branches adding the same column).
#include <set>
#include <string>
#include <utility>

#include "engine/rule.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// An unguarded operation earlier in the same function (not in a branch for another database) that cannot run
// twice either or leaves the column missing: an op.create_table of the table (running the migration again fails
// there first), or an op.drop_column of the very column (Mailu's drop-and-re-add: if the column exists the drop
// removes it, if not the drop fails first). Either way the add_column is never the statement that breaks.
bool made_safe_before(const Project& project, const RevisionInfo& revision, const OperationCall& op,
                      const WrittenName& table, const WrittenName& column) {
  for (const OperationCall& earlier : revision.operations) {
    if (&earlier == &op) return false;
    if (earlier.function != op.function || project.guarded(earlier) || excludes_dialect_of(earlier, op)) continue;
    if (earlier.name == "create_table" && written_table(revision, earlier) == table) return true;
    if (earlier.name == "drop_column" && !flag_may_be_set(earlier, "if_exists") &&
        written_table(revision, earlier) == table && written_column(earlier) == column) {
      return true;
    }
  }
  return false;
}

class UnguardedAddColumn final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL201", "unguarded-add-column",
                               "op.add_column without a check that the column is missing: re-running the migration "
                               "fails with DuplicateColumn",
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
      // Alembic 1.16+: `op.add_column(..., if_not_exists=True)` renders ADD COLUMN IF NOT EXISTS.
      if (op.name != "add_column" || project.column_guarded(op) || flag_may_be_set(op, "if_not_exists"))
        continue;
      WrittenName table = written_table(revision, op);
      WrittenName column = written_column(op);
      // A scratch column the same function drops again (mage-ai's copy-out-and-back) or renames into another
      // column's place (argilla's copy swap): gone after a complete run. A column added under a name the
      // function first moved aside (open-webui's `chat` renamed to `old_chat`): that rename fails first.
      if (made_safe_before(project, revision, op, table, column) ||
          column_operation_after(revision, op, "drop_column") || column_renamed_away(revision, op))
        continue;
      const std::string shown = shown_column(revision, op);
      if (!reported.insert({op.call.loc.start_byte, shown}).second) continue;
      out.report(file, op.call.loc,
                 "`" + shown + "` is added in " + op.function +
                     "() without checking that it is missing: running this migration again fails with "
                     "DuplicateColumn",
                 "guard it: `if " + column.python() +
                     " not in [c[\"name\"] for c in sa.inspect(op.get_bind()).get_columns(" + table.python() +
                     ")]:`");
    }
  }
};

ORMLINT_RULE(UnguardedAddColumn);

}  // namespace

}  // namespace ormlint
