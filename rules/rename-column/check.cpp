// rename-column: alter_column(..., new_column_name=...) in upgrade() on an existing table. The application version
// still running while the migration is deployed queries the old name, and every query on the model fails until
// the new code is out (and the new code fails the same way if it ships before the migration).
#include <string>

#include "engine/rule.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

class RenameColumn final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL222", "rename-column",
                               "upgrade() renames a column of an existing table: the running application's queries "
                               "fail until every instance runs the new code",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const OperationCall& op : revision.operations) {
      if (op.function != "upgrade" || op.name != "alter_column") continue;
      const Expr* new_name = op.call.keyword("new_column_name");
      if (!new_name || new_name->kind == Expr::Kind::None) continue;
      // A column added earlier in this upgrade() is new: no running code knows it yet. A column moved aside
      // for a new one of its name (open-webui's `chat` to `old_chat`, then a JSON `chat` added and filled):
      // the name the running code queries is there when the migration commits.
      if (revision.creates_table_before(op) || column_added_before(revision, op) ||
          column_operation_after(revision, op, "add_column"))
        continue;
      std::string table = written_table(revision, op).shown();
      std::string old_name = written_column(op).shown();
      std::string renamed = written_name(new_name).shown();
      out.report(file, op.call.loc,
                 "upgrade() renames `" + table + "." + old_name + "` to `" + renamed +
                     "`: the application version still running during the deploy queries `" + old_name +
                     "` and fails with UndefinedColumn",
                 "expand/contract: add `" + renamed + "`, write both and backfill, switch reads to `" + renamed +
                     "`, then drop `" + old_name + "` in a later release");
    }
  }
};

ORMLINT_RULE(RenameColumn);

}  // namespace

}  // namespace ormlint
