// foreign-key-without-ondelete: a foreign key — ForeignKey(...), ForeignKeyConstraint(...), op.create_foreign_key(...)
// or SQLModel's Field(foreign_key=...) — that does not say what deleting the referenced row does to the rows
// pointing at it. Wherever it is written: model attributes, __table_args__, Core Table(...), @declared_attr
// returns, and the upgrade() operations of revision scripts.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "project/assigned_value.h"
#include "project/migration_ops.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

// An argument as the user wrote it: strings quoted, everything else as source text.
std::string render(const Expr* arg) {
  if (!arg) return "...";
  if (arg->kind == Expr::Kind::String) return (arg->is_fstring ? "f\"" : "\"") + arg->text + "\"";
  return one_line(arg->text);
}

// "organizations.id" -> "organizations", "billing.accounts.id" -> "billing.accounts", "users.c.id" ->
// "users", "Organization.id" -> the table of the class Organization ("Organization" when unknown); a name
// bound to such a string (`USER_ID = "user.id"`, here or imported) is read through.
std::string referenced_table(const Project& project, const ProjectFile& file, const Expr* column) {
  if (const Expr* literal =
          column && column->is_name_like() ? string_literal(project, file, column) : nullptr) {
    column = literal;
  }
  // `ForeignKey(User.id)`: the table the class maps.
  if (column && column->is(Expr::Kind::Attribute) && column->target && column->target->is_name_like()) {
    const ClassInfo* cls = project.resolve_class(file, column->target->text);
    const TableDef* table = cls ? project.tables().table_of(*cls) : nullptr;
    if (table && !table->name.empty()) return table->name;
  }
  if (!column || !(column->is_string() || column->is_name_like())) return "";
  std::string spec = column->text;
  size_t dot = spec.rfind('.');
  if (dot == std::string::npos) return "";
  spec.resize(dot);
  if (spec.size() > 2 && spec.compare(spec.size() - 2, 2, ".c") == 0) spec.resize(spec.size() - 2);
  return spec;
}

// The first element of a literal list/tuple of referenced columns (`["organizations.id"]`).
const Expr* first_element(const Expr* list) {
  if (!list) return nullptr;
  if (list->kind == Expr::Kind::List || list->kind == Expr::Kind::Tuple) return list->arg(0);
  return list;
}

// What a finding names: the foreign key as written, and the table it points at ("" when not literal).
struct ForeignKeyShape {
  std::string shown;
  std::string table;
};

std::string callee_text(const Expr& call) { return call.target ? call.target->text : "ForeignKey"; }

ForeignKeyShape foreign_key_shape(const Project& project, const ProjectFile& file, const Expr& call) {
  const Expr* column = call.keyword("column");
  if (!column) column = call.arg(0);
  return {callee_text(call) + "(" + render(column) + ")", referenced_table(project, file, column)};
}

ForeignKeyShape constraint_shape(const Project& project, const ProjectFile& file, const Expr& call) {
  const Expr* local = call.keyword("columns");
  if (!local) local = call.arg(0);
  const Expr* remote = call.keyword("refcolumns");
  if (!remote) remote = call.arg(local == call.arg(0) ? 1 : 0);
  return {callee_text(call) + "(" + render(local) + ", " + render(remote) + ")",
          referenced_table(project, file, first_element(remote))};
}

// op.create_foreign_key(name, source_table, referent_table, local_cols, remote_cols);
// batch_op.create_foreign_key(name, referent_table, local_cols, remote_cols).
ForeignKeyShape create_foreign_key_shape(const OperationCall& op) {
  const Expr& call = op.call;
  const Expr* name = constraint_name_of(op);
  const Expr* referent = call.keyword("referent_table");
  if (!referent) referent = call.arg(op.in_batch ? 1 : 2);
  std::string table = referent && referent->is_string() ? referent->text : "";
  return {callee_text(call) + "(" + render(name) + ", ...)", table};
}

// SQLModel >= 0.0.21: Field(foreign_key="teams.id", ondelete="CASCADE").
ForeignKeyShape field_shape(const Project& project, const ProjectFile& file, const Expr& call,
                            const Expr& foreign_key) {
  std::string table = referenced_table(project, file, &foreign_key);
  return {callee_text(call) + "(foreign_key=" + render(&foreign_key) + ")", table};
}

// The name an operation's foreign key is created with, when literal: create_foreign_key's first argument, or
// a ForeignKey(...) / ForeignKeyConstraint(...)'s name=.
std::string key_name(const OperationCall& op, const OperationForeignKey& key) {
  if (key.construct == &op.call) return constraint_name(op);
  return alembic_literal_name(key.construct->keyword("name"));
}

// Whether the upgrade() that creates `later` may also remove the old key `name` (lower-case `table`; "" when
// unnamed) first: it re-creates the table, drops that constraint (or one whose name ormlint cannot read, or
// any when the old one's name is unknown), drops the table, or runs SQL. A second key added beside the old
// one leaves the old one refusing the delete (zun's revisions drop first; one that does not keeps the
// finding).
bool may_drop_old_key(const MigrationForeignKey& later, const std::string& table, const std::string& name) {
  if (later.operation->name == "create_table") return true;
  for (const OperationCall& op : later.file->facts.revision->operations) {
    if (op.function != later.operation->function) continue;
    if (op.name == "execute") return true;
    if (op.name == "drop_table" && lower(op.table) == table) return true;
    if (op.name != "drop_constraint" || (!op.table.empty() && lower(op.table) != table)) continue;
    const std::string dropped_name = constraint_name(op);
    if (name.empty() || dropped_name.empty() || lower(dropped_name) == lower(name)) return true;
  }
  return false;
}

// Whether another revision's upgrade() (the history's order is not needed: a key re-created anywhere else is
// the fix), or a later operation of the same one, creates `op.table`'s foreign key on `columns` again with an
// ondelete, after dropping the old one: the key was dropped and re-created (mwdb), and the old revision,
// applied already, is not to be edited (modified-applied-migration).
bool recreated_with_ondelete(const Project& project, const ProjectFile& file, const OperationCall& op,
                             const OperationForeignKey& key) {
  if (key.columns.empty()) return false;
  const std::string table = lower(op.table);
  const std::string name = key_name(op, key);
  for (const MigrationForeignKey& later : project.migration_foreign_keys(op.table)) {
    if (!later.has_ondelete || later.columns != key.columns) continue;
    if (later.file == &file && later.operation->call.loc.start_byte <= op.call.loc.start_byte) continue;
    if (may_drop_old_key(later, table, name)) return true;
  }
  return false;
}

// The foreign keys without ondelete of a revision's upgrade() that need no decision there: a later revision
// re-creates them with one; they restore a key dropped just before; or a later upgrade() drops their table
// (or their column): the history already removed them, and the applied revision is not to be edited.
std::set<const Expr*> settled_foreign_keys(const ProjectFile& file, const Project& project) {
  std::set<const Expr*> settled;
  const RevisionInfo& revision = *file.facts.revision;
  for (const OperationCall& op : revision.operations) {
    if (op.function != "upgrade" || op.table.empty()) continue;
    const std::string table = lower(op.table);
    const bool restored = op.name == "create_foreign_key" && restored_constraint(revision, op);
    std::optional<bool> table_dropped;  // asked once, and only for an operation with a key lacking an ondelete
    for (const OperationForeignKey& key : foreign_keys_of(op)) {
      if (key.has_ondelete) continue;
      if (!table_dropped) table_dropped = project.dropped_after(file, op, table);
      const bool column_dropped =
          key.columns.size() == 1 && project.dropped_after(file, op, table, lower(key.columns.front()));
      if (*table_dropped || column_dropped || restored || recreated_with_ondelete(project, file, op, key)) {
        settled.insert(key.construct);
      }
    }
  }
  return settled;
}

class ForeignKeyWithoutOndelete final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL105", "foreign-key-without-ondelete",
                               "Foreign key without ondelete: deleting a referenced row fails or leaves dangling rows",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    std::set<uint32_t> seen;  // a helper called twice records its operations twice: report each key once
    std::set<uint32_t> not_null;  // ForeignKey(...) calls of NOT NULL columns (mark_not_null_keys)
    if (file.declares_schema()) {
      file.facts.for_each_expression([&](const Expr& root) {
        root.walk([&](const Expr& e) {
          // `Field(ForeignKey("tenant.id"))` (keep): SQLModel's only positional parameter is the default, so
          // that ForeignKey is a default value and no foreign key at all — asking it for an ondelete
          // misleads.
          if (e.is_call() && e.origin() == "sqlmodel.Field" && e.arg(0) && e.arg(0)->is_call()) {
            seen.insert(e.arg(0)->loc.start_byte);
          }
          mark_not_null_keys(e, not_null);
          check_expression(file, project, e, not_null, seen, out);
        });
      });
    }
    if (!file.facts.revision) return;
    // A revision script: its operations are its DDL (the classes it may declare are snapshots for data work).
    // A downgrade() restores the schema as it was: re-creating an old foreign key exactly is its job, so only
    // upgrade()'s operations are judged. A helper both functions call is recorded once for each (the same
    // call, two copies): its upgrade() copy is judged, with upgrade()'s exemptions (FlexMeasures'
    // recreate_sensor_fks(), called from upgrade_data() and downgrade_data()); the downgrade() copy, which
    // `settled` does not know, is not.
    const std::set<const Expr*> settled = settled_foreign_keys(file, project);
    for (const OperationCall& op : file.facts.revision->operations) {
      if (op.function != "upgrade") continue;
      op.call.walk([&](const Expr& e) {
        mark_not_null_keys(e, not_null);
        if (!settled.count(&e)) check_expression(file, project, e, not_null, seen, out);
      });
    }
    for (const OperationCall& op : file.facts.revision->operations) {
      if (op.function != "upgrade" || op.name != "create_foreign_key" || op.call.keyword("ondelete") ||
          settled.count(&op.call)) {
        continue;
      }
      if (seen.insert(op.call.loc.start_byte).second) report(file, op.call.loc, create_foreign_key_shape(op), out);
    }
  }

 private:
  // The ForeignKey(...) arguments of a column that cannot hold NULL (primary_key=True, nullable=False): "SET
  // NULL" is no choice there (a joined-inheritance key, `id = mapped_column(ForeignKey("person.id"),
  // primary_key=True)`). Walks visit the column before its arguments.
  static void mark_not_null_keys(const Expr& e, std::set<uint32_t>& not_null) {
    if (!e.is_call()) return;
    const FactText origin = e.origin();
    if (origin != "sqlalchemy.Column" && origin != "sqlalchemy.orm.mapped_column") return;
    const Expr* primary_key = e.keyword("primary_key");
    const Expr* nullable = e.keyword("nullable");
    if (!(primary_key && primary_key->is_true()) && !(nullable && nullable->is_false())) return;
    for (const Expr& arg : e.items) {
      if (arg.is_call() && arg.origin() == "sqlalchemy.ForeignKey") not_null.insert(arg.loc.start_byte);
    }
  }

  static void check_expression(const ProjectFile& file, const Project& project, const Expr& e,
                               const std::set<uint32_t>& not_null, std::set<uint32_t>& seen, Reporter& out) {
    if (!e.is_call()) return;
    const FactText origin = e.origin();
    // `ondelete=None` is written on purpose (NO ACTION): a decision, not an omission.
    if (origin == "sqlalchemy.ForeignKey" || origin == "sqlalchemy.ForeignKeyConstraint") {
      if (e.keyword("ondelete") || !seen.insert(e.loc.start_byte).second) return;
      report(file, e.loc,
             origin == "sqlalchemy.ForeignKey" ? foreign_key_shape(project, file, e)
                                               : constraint_shape(project, file, e),
             out, not_null.count(e.loc.start_byte) > 0);
    } else if (origin == "sqlmodel.Field") {
      const Expr* foreign_key = e.keyword("foreign_key");
      if (!foreign_key || foreign_key->kind == Expr::Kind::None || e.keyword("ondelete")) return;
      if (!seen.insert(foreign_key->loc.start_byte).second) return;
      report(file, foreign_key->loc, field_shape(project, file, e, *foreign_key), out);
    }
  }

  static void report(const ProjectFile& file, const Location& loc, const ForeignKeyShape& fk, Reporter& out,
                     bool not_null = false) {
    std::string row = fk.table.empty() ? "the referenced row" : "a referenced `" + fk.table + "` row";
    out.report(
        file, loc,
        "`" + fk.shown + "` has no ondelete: deleting " + row +
            " fails while rows still point at it, or leaves them dangling where foreign keys are not "
            "enforced",
        not_null ? "say what the delete does: ondelete=\"CASCADE\" (delete the dependent rows) or "
                   "\"RESTRICT\" (refuse the delete); \"SET NULL\" cannot apply to this NOT NULL column"
                 : "say what the delete does: ondelete=\"CASCADE\" (delete the dependent rows), \"SET NULL\" "
                   "(keep them, unlinked; the column must be nullable) or \"RESTRICT\" (refuse the delete)");
  }
};

ORMLINT_RULE(ForeignKeyWithoutOndelete);

}  // namespace

}  // namespace ormlint
