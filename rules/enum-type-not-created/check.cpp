// enum-type-not-created: upgrade() adds a column of a named PostgreSQL enum type, or changes a column to one,
// with `op.add_column` / `op.alter_column(type_=...)`, and no revision creates that type. Alembic creates
// enum types only inside op.create_table: add_column and alter_column emit just the ALTER, which fails on
// PostgreSQL with `type "x" does not exist` (Alembic issues #278, #1053). Created means: a create_table
// column of that type in any revision (not `postgresql.ENUM(..., create_type=False)`, which creates none:
// such a column is itself reported), `.create(...)` on it (or on a variable ormlint cannot read), or `CREATE
// TYPE x` in SQL.
#include <set>
#include <string>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/assigned_value.h"
#include "project/column_label.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// The native enum a type expression uses, with its name (`ARRAY(sa.Enum(..., name="x"))` too, or a
// module-level variable holding it); none when none.
EnumTypeUse named_native_enum(const Project& project, const ProjectFile& file, const Expr& type) {
  const std::vector<EnumTypeUse> found = named_native_enums(project, file, type);
  return found.empty() ? EnumTypeUse{} : found.front();
}

// What the help creates the type on: the variable the column names when it holds the enum itself
// (`status_enum`; not `tags = ARRAY(sa.Enum(...))`), else a new Enum.
std::string creator(const Project& project, const ProjectFile& file, const EnumTypeUse& use,
                    const std::string& shown) {
  constexpr int kMaxHops = 4;
  const ProjectFile* holder = &file;
  if (use.written != use.call && assigned_type(project, holder, *use.written, kMaxHops) == use.call) {
    return std::string(use.written->text);
  }
  return "sa.Enum(..., name=\"" + shown + "\")";
}

// Whether some revision of the project creates the enum type `name` (lower case; `written` as written): see
// above.
bool created_somewhere(const Project& project, const std::string& name, const std::string& written) {
  for (const std::string& key : {name, written}) {
    for (const ColumnInfo* column : project.enum_type_columns(key)) {
      if (column->operation && column->operation->name == "create_table") return true;
    }
  }
  for (const auto& file : project.files()) {
    if (!file->facts.revision) continue;
    for (const RevisionCall& call : file->facts.revision->calls) {
      bool creates = false;
      call.call.walk([&](const Expr& e) {
        if (!e.is_call() || e.callee_name() != "create" || !e.target || !e.target->target) return;
        const Expr* object = e.target->target.get();
        // `status_enum.create(bind)`: the module-level type the variable holds; one ormlint cannot read may
        // be this one.
        if (!object->is_call()) {
          const Expr* held = nullptr;
          for (const Assignment& assignment : file->facts.assignments) {
            if (assignment.target == object->text) held = &assignment.value;
          }
          if (!held) {
            creates = true;
            return;
          }
          object = held;
        }
        creates = creates || lower(enum_name(*object)) == name;
      });
      if (creates) return true;
    }
    for (const OperationCall& op : file->facts.revision->operations) {
      std::string sql;
      if (op.name != "execute" || !literal_sql(file->facts, executed_sql(op), sql)) continue;
      for (const std::string& created : created_enum_types(sql)) {
        if (sql_type_name(created) == name) return true;
      }
    }
  }
  return false;
}

class EnumTypeNotCreated final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL219",
        "enum-type-not-created",
        "op.add_column / alter_column uses a named enum type no revision creates: Alembic "
        "creates enum types only in create_table, so PostgreSQL fails the ALTER",
        Severity::Error,
        Profile::PostgreSQL,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    std::set<std::string> reported;  // one finding per type and file
    for (const OperationCall& op : revision.operations) {
      if (op.function != "upgrade" || !op.runs_on("postgresql")) continue;
      const Expr* type = nullptr;
      if (op.name == "add_column") {
        // Column(name, type, ...): the first argument that is not the name.
        if (const Expr* column = added_column_call(op)) {
          for (const Expr& item : column->items) {
            if (item.is_string()) continue;
            type = &item;
            break;
          }
        }
      } else if (op.name == "alter_column") {
        type = op.call.keyword("type_");
      } else if (op.name == "create_table") {
        check_table(file, project, op, reported, out);
        continue;
      }
      const EnumTypeUse enum_type = type ? named_native_enum(project, file, *type) : EnumTypeUse{};
      if (!enum_type.call) continue;
      const std::string shown = enum_name(*enum_type.call);
      const std::string name = lower(shown);
      if (reported.count(name) || created_somewhere(project, name, shown)) continue;
      reported.insert(name);
      out.report(file, enum_type.written->loc,
                 std::string("op.") + std::string(op.name) + " uses the enum type `" + shown +
                     "`, which no revision creates: Alembic creates enum types only with create_table, so "
                     "PostgreSQL fails this ALTER (type \"" +
                     shown + "\" does not exist)",
                 "create it first: `" + creator(project, file, enum_type, shown) +
                     ".create(op.get_bind(), checkfirst=True)`, and drop it in downgrade() after the column");
    }
  }

 private:
  // A create_table column of `postgresql.ENUM(..., create_type=False)`: the table uses the type and creates
  // none, so CREATE TABLE fails the same way when no revision creates it (its creator squashed away).
  static void check_table(const ProjectFile& file, const Project& project, const OperationCall& op,
                          std::set<std::string>& reported, Reporter& out) {
    for (const ColumnInfo* column : project.columns_in(file)) {
      if (column->operation != &op || !column->type.expr) continue;
      for (const EnumTypeUse& use : named_native_enums(project, file, *column->type.expr)) {
        if (enum_type_created_with_table(*use.call)) continue;
        const std::string shown = enum_name(*use.call);
        const std::string name = lower(shown);
        // Keyed apart from the ALTERs': an add_column of the same type after this table fails too.
        if (reported.count("table " + name) || created_somewhere(project, name, shown)) continue;
        reported.insert("table " + name);
        out.report(file, use.written->loc,
                   "op.create_table uses the enum type `" + shown +
                       "` with create_type=False, and no revision creates it: PostgreSQL fails the CREATE "
                       "TABLE (type \"" +
                       shown + "\" does not exist)",
                   "create it first: `" + creator(project, file, use, shown) +
                       ".create(op.get_bind(), checkfirst=True)`, or drop `create_type=False` so the table "
                       "creates it");
      }
    }
  }
};

ORMLINT_RULE(EnumTypeNotCreated);

}  // namespace

}  // namespace ormlint
