// string-without-length: a column typed `String` / `String()` / `Unicode` / `VARCHAR` / `NVARCHAR` with no
// length, in models, Core tables and migrations — and `Mapped[str]` with no explicit type, which SQLAlchemy
// maps to `String()` unless the declarative base's type_annotation_map gives `str` a type with a length.
// MySQL (and MariaDB) reject a VARCHAR without a length. SQLModel's own `str` fields are exempt: its
// AutoString gives MySQL a length. Text, CHAR and `with_variant(...)` types are not flagged.
#include <set>
#include <string>
#include <string_view>

#include "engine/rule.h"
#include "project/sqlalchemy_names.h"

namespace ormlint {

namespace {

const std::set<std::string, std::less<>> kVarcharTypes = {"sqlalchemy.String", "sqlalchemy.Unicode",
                                                          "sqlalchemy.VARCHAR", "sqlalchemy.NVARCHAR"};

// The type expression has no length: a bare class, or a call whose first argument / length= is missing or
// None.
bool lacks_length(const Expr& type) {
  if (type.is_name_like()) return true;
  if (!type.is_call()) return false;
  const Expr* length = type.keyword("length");
  if (!length) length = type.arg(0);
  return !length || length->kind == Expr::Kind::None;
}

std::string short_name(const std::string& origin) {
  return origin.substr(origin.rfind('.') + 1);
}

std::string column_label(const ColumnInfo& column) {
  if (!column.table.empty() && !column.name.empty()) return "`" + column.table + "." + column.name + "`";
  if (!column.name.empty()) return "`" + column.name + "`";
  return "a column";
}

// `Mapped[Annotated[str, mapped_column(String(50))]]`: the annotation carries its own column configuration.
bool annotation_configures_column(const ColumnInfo& column) {
  if (!column.attribute || !column.attribute->annotation) return false;
  bool has_call = false;
  column.attribute->annotation->walk([&](const Expr& e) { has_call = has_call || e.is_call(); });
  return has_call;
}

// What fails on MySQL: the CREATE TABLE, or the ALTER TABLE of a migration that adds or retypes the column
// (SQLAlchemy's MySQL compiler refuses to render the VARCHAR).
std::string mysql_error(const ColumnInfo& column) {
  const bool alter = column.operation && column.operation->name != "create_table";
  return std::string("the ") + (alter ? "ALTER TABLE" : "CREATE TABLE") +
         " fails on MySQL (`CompileError: VARCHAR requires a length on dialect mysql`)";
}

class StringWithoutLength final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL406",
        "string-without-length",
        "String/VARCHAR column without a length (MySQL rejects VARCHAR without a length)",
        Severity::Warning,
        Profile::Portable,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    for (const ColumnInfo* column : project.columns_in(file)) {
      const ColumnType& type = column->type;
      // A branch MySQL never runs; a downgrade() restoring the old schema's columns as they were.
      if (column->operation && (!column->operation->runs_on("mysql") || column->operation->function == "downgrade")) {
        continue;
      }
      if (!kVarcharTypes.count(type.origin)) {
        check_decorated(file, project, *column, out);
        continue;
      }
      if (type.inferred) {
        check_inferred(file, *column, out);
      } else if (type.expr && lacks_length(*type.expr)) {
        out.report(file, type.loc,
                   column_label(*column) + " is `" + short_name(type.origin) +
                       "` without a length: " + mysql_error(*column),
                   "give it a length, e.g. `" + short_name(type.origin) +
                       "(255)`, or use `Text` for text without a limit");
      }
    }
  }

 private:
  // A project TypeDecorator whose `impl` is the String class (`impl = types.String`, pgadmin's
  // PgAdminDbBinaryString): TypeDecorator builds its impl from the arguments it is given, so `HexString()` is
  // a String() without a length, and `HexString(128)` a String(128). Not one that overrides
  // load_dialect_impl(): what MySQL gets is whatever that returns (nova's IPAddress: String(39)).
  static void check_decorated(const ProjectFile& file, const Project& project, const ColumnInfo& column,
                              Reporter& out) {
    const ColumnType& type = column.type;
    if (!type.expr || type.inferred || !lacks_length(*type.expr)) return;
    const DecoratedImpl decorated = decorated_impl(project, file, *type.expr);
    if (!decorated.impl || decorated.chooses_per_dialect || !decorated.impl->is_name_like() ||
        !kVarcharTypes.count(decorated.impl->resolved)) {
      return;
    }
    const Expr& name = type.expr->is_call() ? *type.expr->target : *type.expr;
    out.report(file, type.loc,
               column_label(column) + " is `" + name.text + "`, a TypeDecorator over `" +
                   short_name(decorated.impl->resolved) + "`, given no length: " + mysql_error(column),
               "give it a length, e.g. `" + name.text + "(255)` (TypeDecorator passes it on to its impl)");
  }

  static void check_inferred(const ProjectFile& file, const ColumnInfo& column, Reporter& out) {
    const ColumnType& type = column.type;
    if (type.expr) {
      // From the base's type_annotation_map: `str: String` is as bad as the default, `str: String(255)` is
      // fine.
      if (!lacks_length(*type.expr)) return;
      out.report(file, type.loc,
                 "the `str` annotation maps " + column_label(column) + " to `" + short_name(type.origin) +
                     "` without a length (the base's type_annotation_map): " + mysql_error(column),
                 "map `str` to a type with a length in `type_annotation_map`, e.g. `{str: String(255)}`");
      return;
    }
    // SQLModel maps `str` to AutoString, which gives MySQL a length by itself.
    if (column.owner && column.owner->sqlmodel) return;
    if (annotation_configures_column(column)) return;
    out.report(
        file, type.loc,
        "the `str` annotation maps " + column_label(column) +
            " to `String()` without a length: " + mysql_error(column),
        "give the column a length: `mapped_column(String(255))`, or map `str` to `String(255)` in the base's "
        "`type_annotation_map`");
  }
};

ORMLINT_RULE(StringWithoutLength);

}  // namespace

}  // namespace ormlint
