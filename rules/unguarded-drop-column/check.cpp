// unguarded-drop-column: op.drop_column / batch_op.drop_column in upgrade() or downgrade() that does not first check
// that the column is there. The migration then fails with UndefinedColumn when it runs a second time, or on a
// database where the column was already removed by hand.
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
  bool operator==(const Name& other) const { return literal == other.literal && text == other.text && text != "?"; }
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

// The column of drop_column (a name) or add_column (the name given to its Column(...)).
Name column_of(const OperationCall& op) {
  const Expr* column = op.call.keyword(op.name == "add_column" ? "column" : "column_name");
  if (!column) column = op.call.arg(op.in_batch ? 0 : 1);
  if (column && column->is_call()) {
    const Expr* name = column->keyword("name");
    if (!name) name = column->arg(0);
    if (name && name->is_string()) return {name->text, true};
  }
  return name_of(column);
}

// Alembic 1.16+: `op.drop_column(..., if_exists=True)` renders DROP COLUMN IF EXISTS.
bool declares_if_exists(const OperationCall& op) {
  const Expr* flag = op.call.keyword("if_exists");
  return flag && !flag->is_false() && flag->kind != Expr::Kind::None;
}

// The same function added this very column earlier (a temporary column): the drop removes what it just made.
bool column_added_before(const RevisionInfo& revision, const OperationCall& op, const Name& table, const Name& column) {
  for (const OperationCall& earlier : revision.operations) {
    if (&earlier == &op) return false;
    if (earlier.function != op.function || earlier.name != "add_column") continue;
    if (table_of(revision, earlier) == table && column_of(earlier) == column) return true;
  }
  return false;
}

class UnguardedDropColumn final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL202", "unguarded-drop-column",
                               "op.drop_column without a check that the column exists: re-running the migration "
                               "fails with UndefinedColumn",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    std::set<uint32_t> reported;  // a helper called from upgrade() and downgrade() is one finding, not two
    for (const OperationCall& op : revision.operations) {
      if (op.name != "drop_column" || op.guarded || declares_if_exists(op)) continue;
      Name table = table_of(revision, op);
      Name column = column_of(op);
      if (column_added_before(revision, op, table, column)) continue;
      if (!reported.insert(op.call.loc.start_byte).second) continue;
      out.report(file, op.call.loc,
                 "`" + table.shown() + "." + column.shown() + "` is dropped in " + op.function +
                     "() without checking that it exists: running this migration again fails with "
                     "UndefinedColumn",
                 "guard it: `if " + column.python() +
                     " in [c[\"name\"] for c in sa.inspect(op.get_bind()).get_columns(" + table.python() + ")]:`");
    }
  }
};

ORMLINT_RULE(UnguardedDropColumn);

}  // namespace

}  // namespace ormlint
