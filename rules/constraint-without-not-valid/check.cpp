// constraint-without-not-valid: upgrade() adds a foreign key or a CHECK constraint to a table that already
// exists without NOT VALID — `op.create_foreign_key(...)` / `op.create_check_constraint(...)` (batch_op's
// too) without `postgresql_not_valid=True`, or `ALTER TABLE t ADD [CONSTRAINT n] FOREIGN KEY | CHECK ...` in
// SQL. PostgreSQL then checks every existing row while it holds the lock the ALTER took (SHARE ROW EXCLUSIVE
// on both tables for a foreign key: writes wait; ACCESS EXCLUSIVE for a CHECK: reads wait too). Tables
// created or emptied earlier in the same upgrade() are exempt, as are branches for another database.
#include <algorithm>
#include <string>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

constexpr const char* kForeignKeyLock =
    "checks every existing row while holding a SHARE ROW EXCLUSIVE lock on both tables: writes to them wait "
    "until "
    "the scan ends";
constexpr const char* kCheckLock =
    "checks every existing row while holding an ACCESS EXCLUSIVE lock: reads and writes wait until the scan "
    "ends";

// `ALTER TABLE t ADD [CONSTRAINT n] FOREIGN KEY ... | CHECK ...` without NOT VALID: the constraint kind
// ("FOREIGN KEY", "CHECK") and the table; empty when the statement is something else.
struct SqlConstraint {
  std::string kind, table, name;
};

std::vector<SqlConstraint> validated_constraints(std::string_view sql) {
  std::vector<SqlConstraint> found;
  for (const SqlStatement& statement : split_sql(sql)) {
    SqlWords words(statement.text);
    const std::string table = altered_table(words);
    if (table.empty() || !words.next_is("add")) continue;
    SqlConstraint constraint{"", unqualified_name(table), ""};
    if (words.next_is("constraint")) constraint.name = words.take();
    // The statement's words, a string literal one "<quoted>" (`CHECK (state <> 'NOT VALID')` is no NOT VALID
    // clause).
    const std::vector<std::string>& all = statement.words;
    if (words.next_is("foreign")) {
      constraint.kind = "FOREIGN KEY";
    } else if (words.next_is("check")) {
      constraint.kind = "CHECK";
    } else if (constraint.name.empty() && std::find(all.begin(), all.end(), "REFERENCES") != all.end()) {
      constraint.kind = "FOREIGN KEY";  // `ADD COLUMN c int REFERENCES t (id)`: a validated key too
    } else {
      continue;
    }
    bool not_valid = false;
    for (size_t i = 0; i + 1 < all.size(); ++i)
      not_valid = not_valid || (all[i] == "NOT" && all[i + 1] == "VALID");
    if (!not_valid) found.push_back(std::move(constraint));
  }
  return found;
}

class ConstraintWithoutNotValid final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL217",
        "constraint-without-not-valid",
        "Foreign key or CHECK constraint added to an existing table without NOT VALID: "
        "PostgreSQL checks every row under a lock that blocks writes",
        Severity::Warning,
        Profile::PostgreSQL,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const OperationCall& op : revision.operations) {
      // downgrade() is rollback code, run by hand in an emergency: the lock rules judge upgrade() only.
      if (op.function != "upgrade" || !op.runs_on("postgresql")) continue;
      if (op.name == "create_foreign_key" || op.name == "create_check_constraint") {
        if (flag_may_be_set(op, "postgresql_not_valid") || revision.creates_table_before(op) ||
            revision.empties_table_before(op)) {
          continue;
        }
        const bool foreign_key = op.name == "create_foreign_key";
        const std::string table = written_table(revision, op).shown();
        out.report(
            file, op.call.loc,
            std::string(op.receiver) + "." + std::string(op.name) + "(...) on existing table `" + table +
                "` " + (foreign_key ? kForeignKeyLock : kCheckLock),
            "add `postgresql_not_valid=True` (new rows are checked at once), then validate it in a later "
            "migration: `op.execute(\"ALTER TABLE " +
                table + " VALIDATE CONSTRAINT <name>\")`, which lets reads and writes through");
      } else if (op.name == "add_column") {
        check_added_column(file, revision, op, out);
      } else if (op.name == "execute") {
        std::string sql;
        if (!literal_sql(file.facts, executed_sql(op), sql)) continue;
        for (const SqlConstraint& constraint : validated_constraints(sql)) {
          if (revision.creates_table_before(op, constraint.table) || sql_interpolates(sql, constraint.table))
            continue;
          out.report(file, op.call.loc,
                     "ADD " + constraint.kind + " on existing table `" + constraint.table +
                         "` without NOT VALID " + (constraint.kind == "CHECK" ? kCheckLock : kForeignKeyLock),
                     "write `... NOT VALID`, then `ALTER TABLE " + constraint.table +
                         " VALIDATE CONSTRAINT " + (constraint.name.empty() ? "<name>" : constraint.name) +
                         "` in a later migration");
          break;  // one finding per operation
        }
      }
    }
  }

 private:
  // `op.add_column("orders", sa.Column("customer_id", sa.ForeignKey("customers.id")))`: Alembic adds the
  // column, then the key (or an inline CheckConstraint) with its own validated ALTER TABLE ... ADD
  // CONSTRAINT, and add_column has no way to say NOT VALID.
  static void check_added_column(const ProjectFile& file, const RevisionInfo& revision,
                                 const OperationCall& op, Reporter& out) {
    if (revision.creates_table_before(op) || revision.empties_table_before(op)) return;
    const Expr* column = added_column_call(op);
    if (!column) return;
    for (const Expr& item : column->items) {
      if (!item.is_call()) continue;
      const bool foreign_key = item.origin() == "sqlalchemy.ForeignKey";
      if (!foreign_key && item.origin() != "sqlalchemy.CheckConstraint") continue;
      const std::string label = written_table(revision, op).shown() + "." + written_column(op).shown();
      out.report(file, item.loc,
                 "`" + label + "` is added with " + (foreign_key ? "a foreign key" : "a CHECK constraint") +
                     ": Alembic adds it right after the column, validated, and PostgreSQL " +
                     (foreign_key ? kForeignKeyLock : kCheckLock),
                 std::string("add the column without it, then ") +
                     (foreign_key ? "`op.create_foreign_key(..., postgresql_not_valid=True)`"
                                  : "`op.create_check_constraint(..., postgresql_not_valid=True)`") +
                     ", and VALIDATE CONSTRAINT in a later migration");
      return;  // one finding per column
    }
  }
};

ORMLINT_RULE(ConstraintWithoutNotValid);

}  // namespace

}  // namespace ormlint
