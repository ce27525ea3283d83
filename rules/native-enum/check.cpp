// native-enum: a column type that makes the database create a native enum type — `sa.Enum(...)` without
// `native_enum=False`, `postgresql.ENUM(...)`, a bare `Mapped[SomeEnum]` — in models, Core tables and migrations,
// and `CREATE TYPE ... AS ENUM` executed by a migration.
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/assigned_value.h"
#include "project/column_label.h"
#include "project/migration_ops.h"
#include "project/sqlalchemy_names.h"

namespace ormlint {

namespace {

constexpr std::string_view kSaEnum = "sqlalchemy.Enum";
constexpr std::string_view kPgEnum = "sqlalchemy.dialects.postgresql.ENUM";
// MySQL's ENUM column type: its values live in the column definition.
bool is_mysql_enum(std::string_view origin) {
  return origin == "sqlalchemy.dialects.mysql.ENUM" || origin == "sqlalchemy.dialects.mysql.enumerated.ENUM";
}
// How far a shared type variable is followed (`status_type = tool_type_enum`, imported from another module).
constexpr int kMaxDepth = 4;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// sa.Enum(...) keeps a native type unless told otherwise; a non-literal `native_enum=` is given the benefit of
// the doubt.
bool sa_enum_is_native(const Expr& call) {
  const Expr* native = call.keyword("native_enum");
  return !native || native->is_true();
}

// The first sub-expression of a type expression that creates a native enum, or null. Looks inside wrappers
// (`ARRAY(sa.Enum(...))`), method chains (`.with_variant(postgresql.ENUM(...), "postgresql")`) and module-level
// type variables, including ones imported from another project module.
const Expr* find_native_enum(const Expr& type, const Project& project, const ProjectFile& file, int depth);

// A project TypeDecorator whose class-level `impl` (its own or inherited) is a native enum (`impl = sa.Enum`,
// `impl = postgresql.ENUM`): `Column(StatusType(Status))` creates the enum its impl does, unless the call
// passes native_enum=False on.
bool decorates_native_enum(const Expr& type, const Project& project, const ProjectFile& file, int depth) {
  const DecoratedImpl decorated = decorated_impl(project, file, type);
  if (!decorated.impl || !find_native_enum(*decorated.impl, project, *decorated.file, depth + 1))
    return false;
  return !type.is_call() || sa_enum_is_native(type);
}

const Expr* find_native_enum(const Expr& type, const Project& project, const ProjectFile& file, int depth) {
  if (depth > kMaxDepth) return nullptr;
  if (type.is_call()) {
    const FactText origin = type.origin();
    if (origin == kPgEnum || is_mysql_enum(origin)) return &type;
    if (origin == kSaEnum) return sa_enum_is_native(type) ? &type : nullptr;
    if (decorates_native_enum(type, project, file, depth)) return &type;
    const Expr* callee = type.target.get();
    if (callee && callee->kind == Expr::Kind::Attribute && callee->target && callee->target->is_call()) {
      if (const Expr* found = find_native_enum(*callee->target, project, file, depth + 1)) return found;
    }
    for (const Expr& arg : type.items) {
      if (const Expr* found = find_native_enum(arg, project, file, depth + 1)) return found;
    }
    for (const Keyword& kw : type.keywords) {
      if (const Expr* found = find_native_enum(kw.value, project, file, depth + 1)) return found;
    }
    return nullptr;
  }
  if (!type.is_name_like()) return nullptr;
  if (decorates_native_enum(type, project, file, depth)) return &type;
  const FactText resolved = type.resolved;
  // The bare class used as a type: Column(sa.Enum) / Column(postgresql.ENUM).
  if (resolved == kSaEnum || resolved == kPgEnum || starts_with(resolved, std::string(kPgEnum) + "(") ||
      is_mysql_enum(resolved)) {
    return &type;
  }
  // A type object bound to a variable (`tool_type = sa.Enum(ToolType, name="tooltype")`): judge its definition.
  if (starts_with(resolved, "sqlalchemy.") && resolved.find('(') != std::string::npos) {
    const ProjectFile* where = &file;
    const Expr* value = assigned_value(project, where, type.text, kMaxDepth);
    if (value && find_native_enum(*value, project, *where, depth + 1)) return &type;
  }
  return nullptr;
}

// The enum class to show in the help (`sa.Enum(ToolType, native_enum=False)`).
std::string enum_class_name(const ColumnInfo& column, const Expr& native) {
  const Expr* first = native.is_call() ? native.arg(0) : nullptr;
  std::string name = first && first->is_name_like() ? first->text : "";
  if (name.empty() && column.type.inferred) name = column.type.python_type.substr(column.type.python_type.rfind('.') + 1);
  return name.empty() ? "..." : name;
}

class NativeEnum final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL102", "native-enum",
                               "Enum column that creates a native database enum type (sa.Enum without "
                               "native_enum=False, postgresql.ENUM, bare Mapped[SomeEnum])",
                               Severity::Warning, Profile::Portable, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    for (const ColumnInfo* column : project.columns_in(file)) check_column(file, project, *column, out);
    if (file.facts.revision) {
      for (const OperationCall& op : file.facts.revision->operations) check_execute(file, op, out);
    }
  }

 private:
  static void check_column(const ProjectFile& file, const Project& project, const ColumnInfo& column, Reporter& out) {
    const ColumnType& type = column.type;
    // A migration step only PostgreSQL runs (`if bind.dialect.name == "postgresql":`) may create its enums, and a
    // downgrade() restores the old schema, native enums included: that is its job.
    if (column.operation && (column.operation->dialect == "postgresql" || column.operation->function == "downgrade")) {
      return;
    }
    // A step only databases without enum types run (`if dialect.name == "sqlite":`): Enum is a VARCHAR there.
    if (column.operation && !column.operation->runs_on("postgresql") && !column.operation->runs_on("mysql"))
      return;
    if (type.inferred && !type.expr) {
      // No type_annotation_map entry: SQLAlchemy maps an enum.Enum subclass to Enum(SomeEnum), a native enum.
      if (type.origin == kSaEnum) report_inferred(file, column, out);
      return;
    }
    if (!type.expr) return;
    // An inferred type with an expression comes from the declarative base's type_annotation_map, possibly in
    // another file: read it there, report at this column's annotation.
    const ClassInfo* base = type.inferred && column.owner ? column.owner->declarative_base : nullptr;
    const ProjectFile& where = base ? *base->file : file;
    const Expr* native = find_native_enum(*type.expr, project, where, 0);
    if (!native) return;
    if (type.inferred) {
      report_inferred(file, column, out, base);
      return;
    }
    if (is_mysql_enum(native->is_call() ? native->origin() : native->resolved)) {
      out.report(file, native->loc,
                 "`" + column_label(column) +
                     "` is a MySQL ENUM column: every new value then needs an `ALTER TABLE ... MODIFY` migration, "
                     "inserting a value it lacks fails (or stores '' outside strict mode), and other databases "
                     "have no ENUM type",
                 help_for(column, *native));
      return;
    }
    // postgresql.ENUM(..., create_type=False) names a type created elsewhere: the column uses it, creates
    // nothing. So does a column of op.add_column / alter_column: Alembic creates an enum type only with
    // create_table (faraday creates it first with `.create(bind, checkfirst=True)`).
    const Expr* create_type = native->is_call() ? native->keyword("create_type") : nullptr;
    const bool added_to_table = column.operation && (column.operation->name == "add_column" ||
                                                     column.operation->name == "alter_column");
    const std::string verb =
        (create_type && create_type->is_false()) || added_to_table ? "` uses" : "` creates";
    out.report(file, native->loc,
               "`" + column_label(column) + verb +
                   " a native database enum type: every new value then needs an `ALTER TYPE ... ADD "
                   "VALUE` migration, and inserting a value the type lacks fails",
               help_for(column, *native));
  }

  // `base` is set when the enum type comes from its type_annotation_map.
  static void report_inferred(const ProjectFile& file, const ColumnInfo& column, Reporter& out,
                              const ClassInfo* base = nullptr) {
    const std::string enum_name = enum_class_name(column, Expr{});
    if (base) {
      const std::string map = "`" + base->def->name + ".type_annotation_map`";
      out.report(file, column.type.loc,
                 "`" + column_label(column) + "` (`" + enum_name + "`) is mapped by " + map +
                     " to a native database enum type: every new value then needs an `ALTER TYPE ... ADD VALUE` "
                     "migration",
                 "add `native_enum=False` to the enum entry of " + map + ", or give the column `sa.Enum(" +
                     enum_name + ", native_enum=False)`");
      return;
    }
    out.report(file, column.type.loc,
               "`" + column_label(column) + "` (`" + enum_name +
                   "` with no explicit column type) is mapped to a native database enum type: every new value then "
                   "needs an `ALTER TYPE ... ADD VALUE` migration",
               help(enum_name));
  }

  static std::string help_for(const ColumnInfo& column, const Expr& native) {
    // A shared type variable (`tool_type_enum`) is fixed where it is defined.
    if (native.is_name_like() && native.resolved != kSaEnum && native.resolved != kPgEnum &&
        !is_mysql_enum(native.resolved)) {
      return "define `" + native.text +
             "` with `native_enum=False` (a VARCHAR + CHECK constraint), or use `String(50)` validated in Python";
    }
    return help(enum_class_name(column, native));
  }

  static std::string help(const std::string& enum_name) {
    return "use `sa.Enum(" + enum_name +
           ", native_enum=False)` (a VARCHAR + CHECK constraint) or `String(50)` validated in Python";
  }

  // `ALTER TYPE status RENAME TO status_old` earlier in the same function: a CREATE TYPE status after it
  // re-creates an existing enum with other values (PostgreSQL's only way to remove one, bodhi) — the
  // project already has that native enum; the migration introduces none.
  static bool renamed_away_before(const ModuleFacts& module, const OperationCall& op,
                                  const std::string& type) {
    const std::string wanted = lower(type);
    return any_sql_before(module, op, [&](const std::string& sql) {
      for (const SqlStatement& statement : split_sql(sql)) {
        SqlWords words(statement.text);
        if (words.next_is("alter") && words.next_is("type") && words.next_is(wanted) &&
            words.next_is("rename") && words.next_is("to")) {
          return true;
        }
      }
      return false;
    });
  }

  static void check_execute(const ProjectFile& file, const OperationCall& op, Reporter& out) {
    if (op.name != "execute" || op.dialect == "postgresql" || op.function == "downgrade") return;
    std::string sql;
    if (!literal_sql(file.facts, executed_sql(op), sql)) return;
    std::vector<std::string> created = created_enum_types(sql);
    std::erase_if(created,
                  [&](const std::string& type) { return renamed_away_before(file.facts, op, type); });
    if (created.empty()) return;
    out.report(file, op.call.loc,
               "migration creates the native enum type " + created.front() +
                   ": every new value then needs an `ALTER TYPE ... ADD VALUE` migration, and other databases "
                   "have no enum types",
               "store the column as `sa.Enum(..., native_enum=False)` (a VARCHAR + CHECK constraint) or "
               "`String(50)` validated in Python, and drop the CREATE TYPE");
  }
};

ORMLINT_RULE(NativeEnum);

}  // namespace

}  // namespace ormlint
