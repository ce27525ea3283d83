// constraint-without-not-valid: upgrade() adds a foreign key or a CHECK constraint to a table that already
// exists without NOT VALID — `op.create_foreign_key(...)` / `op.create_check_constraint(...)` (batch_op's
// too) without `postgresql_not_valid=True`, or `ALTER TABLE t ADD [CONSTRAINT n] FOREIGN KEY | CHECK ...` in
// SQL. PostgreSQL then checks every existing row while it holds the lock the ALTER took (SHARE ROW EXCLUSIVE
// on both tables for a foreign key: writes wait; ACCESS EXCLUSIVE for a CHECK: reads wait too). Tables
// created or emptied earlier in the same upgrade() are exempt, as are branches for another database. And the
// VALIDATE CONSTRAINT of a constraint added NOT VALID in the same transaction: it scans under the ADD's lock.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

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

// `ALTER TABLE t ADD [CONSTRAINT n] FOREIGN KEY ... | CHECK ...`: the constraint kind ("FOREIGN KEY",
// "CHECK"), the table, the name when given, and whether it is NOT VALID; or `ALTER TABLE t VALIDATE
// CONSTRAINT n` (kind "VALIDATE"). Names lower case.
struct SqlConstraint {
  std::string kind, table, name;
  bool not_valid = false;
};

// The constraint steps of the SQL's statements, in order.
std::vector<SqlConstraint> constraint_steps(std::string_view sql) {
  std::vector<SqlConstraint> found;
  for (const SqlStatement& statement : split_sql(sql)) {
    SqlWords words(statement.text);
    const std::string table = altered_table(words);
    if (table.empty()) continue;
    SqlConstraint constraint{"", unqualified_name(table), ""};
    if (words.next_is("validate") && words.next_is("constraint") && !words.at_end()) {
      constraint.kind = "VALIDATE";
      constraint.name = words.take();
      found.push_back(std::move(constraint));
      continue;
    }
    if (!words.next_is("add")) continue;
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
    for (size_t i = 0; i + 1 < all.size(); ++i)
      constraint.not_valid = constraint.not_valid || (all[i] == "NOT" && all[i + 1] == "VALID");
    found.push_back(std::move(constraint));
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
    check_validations(file, revision, out);
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
            op.written_callee() + "(...) on existing table `" + table + "` " +
                (foreign_key ? kForeignKeyLock : kCheckLock),
            "add `postgresql_not_valid=True` (new rows are checked at once), then validate it in a later "
            "migration: `op.execute(\"ALTER TABLE " +
                table + " VALIDATE CONSTRAINT <name>\")`, which lets reads and writes through");
      } else if (op.name == "add_column") {
        check_added_column(file, revision, op, out);
      } else if (op.name == "execute") {
        std::string sql;
        if (!literal_sql(file.facts, executed_sql(op), sql)) continue;
        for (const SqlConstraint& constraint : constraint_steps(sql)) {
          if (constraint.kind == "VALIDATE" || constraint.not_valid ||
              revision.creates_table_before(op, constraint.table) || sql_interpolates(sql, constraint.table))
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
  // `ALTER TABLE t VALIDATE CONSTRAINT n` in the transaction that added n NOT VALID (the same upgrade(), no
  // autocommit block between): PostgreSQL holds the ADD's lock until the commit, so the validation scans
  // every row under it and NOT VALID gains nothing. An autocommit block commits what came before it and runs
  // outside the transaction.
  static void check_validations(const ProjectFile& file, const RevisionInfo& revision, Reporter& out) {
    std::map<std::string, std::string> added;  // name -> kind, added NOT VALID in the transaction still open
    for (const OperationCall& op : revision.operations) {
      if (op.function != "upgrade" || !op.runs_on("postgresql")) continue;
      if (op.in_autocommit_block) {
        added.clear();
        continue;
      }
      if ((op.name == "create_foreign_key" || op.name == "create_check_constraint") &&
          flag_may_be_set(op, "postgresql_not_valid")) {
        const std::string literal = lower(constraint_name(op));
        if (!literal.empty()) added[literal] = op.name == "create_foreign_key" ? "FOREIGN KEY" : "CHECK";
        continue;
      }
      std::string sql;
      if (op.name != "execute" || !literal_sql(file.facts, executed_sql(op), sql)) continue;
      for (const SqlConstraint& step : constraint_steps(sql)) {
        if (step.kind != "VALIDATE") {
          if (step.not_valid && !step.name.empty()) added[step.name] = step.kind;
          continue;
        }
        const auto found = added.find(step.name);
        if (found == added.end()) continue;
        const bool check = found->second == "CHECK";
        out.report(file, op.call.loc,
                   "VALIDATE CONSTRAINT `" + step.name +
                       "` runs in the transaction that added it NOT VALID: PostgreSQL holds the ADD's " +
                       (check ? "ACCESS EXCLUSIVE lock" : "SHARE ROW EXCLUSIVE lock on both tables") +
                       " until the migration commits, so the validation checks every row under it (" +
                       (check ? "reads and writes wait" : "writes wait") + ") and NOT VALID gains nothing",
                   "validate it in a later migration, once this one has committed, or inside `with "
                   "op.get_context().autocommit_block():`, which commits the ADD first");
        break;  // one finding per operation
      }
    }
  }

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
