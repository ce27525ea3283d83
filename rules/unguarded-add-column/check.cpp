// unguarded-add-column: op.add_column / batch_op.add_column in upgrade() or downgrade() that does not first check
// that the column is missing. The migration then fails with DuplicateColumn when it runs a second time (a re-run
// after a partial failure, a database that was patched by hand, two branches adding the same column).
#include <set>
#include <string>

#include "engine/rule.h"

namespace ormlint {

namespace {

// A name as the user wrote it: a literal bare (`users`), anything else as its source text.
struct Name {
  std::string text;
  bool literal = false;

  // For the help line's Python: a literal quoted, an expression as written.
  std::string python() const { return literal ? "\"" + text + "\"" : text; }
  // For the message: a literal as is, an expression as a placeholder (`<table>.deleted_at`).
  std::string shown() const { return literal ? text : "<" + text + ">"; }
};

Name name_of(const Expr* e) {
  if (!e) return {"?", false};
  return {e->text, e->is_string()};
}

// The table an operation touches. A batch operation names no table: it is the batch_alter_table's, the closest
// one recorded before it in the same function.
Name table_of(const RevisionInfo& revision, const OperationCall& op) {
  if (!op.table.empty()) return {op.table, true};
  if (!op.in_batch) {
    const Expr* table = op.call.keyword("table_name");
    return name_of(table ? table : op.call.arg(0));
  }
  const OperationCall* batch = nullptr;
  for (const OperationCall& earlier : revision.operations) {
    if (&earlier == &op) break;
    if (earlier.function == op.function && earlier.name == "batch_alter_table") batch = &earlier;
  }
  if (!batch) return {"?", false};
  const Expr* table = batch->call.keyword("table_name");
  return name_of(table ? table : batch->call.arg(0));
}

// The column add_column adds: the name given to its Column(...), else the argument as written.
Name column_of(const OperationCall& op) {
  const Expr* column = op.call.keyword("column");
  if (!column) column = op.call.arg(op.in_batch ? 0 : 1);
  if (column && column->is_call()) {
    const Expr* name = column->keyword("name");
    if (!name) name = column->arg(0);
    if (name && name->is_string()) return {name->text, true};
  }
  return name_of(column);
}

bool same_table(const Name& a, const Name& b) { return a.literal == b.literal && a.text == b.text && a.text != "?"; }

// Alembic 1.16+: `op.add_column(..., if_not_exists=True)` renders ADD COLUMN IF NOT EXISTS.
bool declares_if_not_exists(const OperationCall& op) {
  const Expr* flag = op.call.keyword("if_not_exists");
  return flag && !flag->is_false() && flag->kind != Expr::Kind::None;
}

// A table created by an unguarded op.create_table earlier in the same function: running the migration again fails
// at that create_table first, so the add_column is never the statement that breaks.
bool table_created_before(const RevisionInfo& revision, const OperationCall& op, const Name& table) {
  for (const OperationCall& earlier : revision.operations) {
    if (&earlier == &op) return false;
    if (earlier.function != op.function || earlier.name != "create_table" || earlier.guarded) continue;
    if (same_table(table_of(revision, earlier), table)) return true;
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

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    std::set<uint32_t> reported;  // a helper called from upgrade() and downgrade() is one finding, not two
    for (const OperationCall& op : revision.operations) {
      if (op.name != "add_column" || op.guarded || declares_if_not_exists(op)) continue;
      Name table = table_of(revision, op);
      if (table_created_before(revision, op, table)) continue;
      Name column = column_of(op);
      if (!reported.insert(op.call.loc.start_byte).second) continue;
      out.report(file, op.call.loc,
                 "`" + table.shown() + "." + column.shown() + "` is added in " + op.function +
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
