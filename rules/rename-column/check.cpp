// rename-column: alter_column(..., new_column_name=...) in upgrade() on an existing table. The application version
// still running while the migration is deployed queries the old name, and every query on the model fails until
// the new code is out (and the new code fails the same way if it ships before the migration).
#include <string>

#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
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
      if (op.function == "upgrade" && op.name == "execute") report_sql_renames(file, op, out);
      if (op.function != "upgrade" || op.name != "alter_column") continue;
      const Expr* new_name = op.call.keyword("new_column_name");
      if (!new_name || new_name->kind == Expr::Kind::None) continue;
      // A column added earlier in this upgrade() is new: no running code knows it yet. A column moved aside
      // for a new one of its name (open-webui's `chat` to `old_chat`, then a JSON `chat` added and filled):
      // the name the running code queries is there when the migration commits.
      if (revision.creates_table_before(op) || column_added_before(revision, op) ||
          column_operation_after(revision, op, "add_column"))
        continue;
      report(file, op, written_table(revision, op).shown(), written_column(op).shown(),
             written_name(new_name).shown(), "", out);
    }
  }

 private:
  static void report(const ProjectFile& file, const OperationCall& op, const std::string& table,
                     const std::string& old_name, const std::string& renamed, const std::string& how,
                     Reporter& out) {
    out.report(file, op.call.loc,
               "upgrade() renames `" + table + "." + old_name + "` to `" + renamed + "`" + how +
                   ": the application version still running during the deploy queries `" + old_name +
                   "` and fails with UndefinedColumn",
               "expand/contract: add `" + renamed + "`, write both and backfill, switch reads to `" +
                   renamed + "`, then drop `" + old_name + "` in a later release");
  }

  // `op.execute("ALTER TABLE project RENAME COLUMN app_id TO project_id")` (pybossa): the same rename in SQL.
  static void report_sql_renames(const ProjectFile& file, const OperationCall& op, Reporter& out) {
    std::string sql;
    if (!literal_sql(file.facts, executed_sql(op), sql)) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const SqlRename& rename : sql_renames(sql)) {
      const std::string table = unqualified_name(rename.table);
      if (rename.column.empty() || sql_interpolates(sql, table) || sql_interpolates(sql, rename.column) ||
          revision.creates_table_before(op, table) ||
          column_added_before(revision, op, table, rename.column)) {
        continue;
      }
      report(file, op, table, rename.column, rename.to, " in SQL", out);
    }
  }
};

ORMLINT_RULE(RenameColumn);

}  // namespace

}  // namespace ormlint
