// enum-without-name: a native enum column type given its values as strings and no `name=` — `sa.Enum("imap",
// "pop3")`, `postgresql.ENUM("a", "b")` — in a model, a Core table or a migration's create_table /
// add_column. PostgreSQL's enum is a named type (CREATE TYPE <name> AS ENUM ...), and SQLAlchemy has no name
// to give it: the DDL fails to compile ("PostgreSQL ENUM type requires a name"), so create_all() and the
// migration fail. An Enum of a Python enum class is named after the class; `native_enum=False` needs no type
// at all.
#include <string>

#include "engine/rule.h"
#include "project/assigned_value.h"
#include "project/column_label.h"

namespace ormlint {

namespace {

// How far a shared type variable is followed (`status_type = sa.Enum("a", "b")`).
constexpr int kMaxDepth = 4;

bool is_native_enum_call(const Expr& e) {
  if (!e.is_call()) return false;
  const FactText origin = e.origin();
  if (origin == "sqlalchemy.dialects.postgresql.ENUM") return true;
  if (origin != "sqlalchemy.Enum") return false;
  const Expr* native = e.keyword("native_enum");
  return !native || native->is_true();
}

// `sa.Enum(*STATUSES)`, `sa.Enum(*[s.value for s in Status])`: values unpacked into the call, never an enum
// class (the facts keep no unpacked argument: the call's source `text` says so). Not `sa.Enum(**options)`.
bool values_unpacked(const Expr& call, std::string_view text) {
  if (call.arg(0)) return false;
  const size_t open = text.find('(');
  if (open == std::string_view::npos) return false;
  size_t at = open + 1;
  while (at < text.size() && text[at] == ' ') ++at;
  return at + 1 < text.size() && text[at] == '*' && text[at + 1] != '*';
}

// `sa.Enum("a", "b", **ENUM_OPTIONS)`: a mapping unpacked into the call may well carry the name.
bool options_unpacked(std::string_view text) {
  return text.find("**") != std::string_view::npos;
}

// The first native enum call within a type expression (`ARRAY(sa.Enum(...))`, `.with_variant(...)`, a
// module-level type variable) whose values are strings and that has no name; null when none.
const Expr* find_unnamed_enum(const Expr& type, const Project& project, const ProjectFile& file, int depth) {
  if (depth > kMaxDepth) return nullptr;
  if (type.is_call()) {
    if (is_native_enum_call(type)) {
      const Expr* first = type.arg(0);
      // Two or more positional arguments are values whatever they are written as (`sa.Enum(ACTIVE, DELETED)`
      // of constants, cyborg): SQLAlchemy takes a lone argument with `__members__` only as an enum class.
      const bool string_values = (first && first->is_string()) || type.items.size() >= 2;
      const Expr* name = type.keyword("name");
      const bool named = name && name->kind != Expr::Kind::None;
      const std::string text = file.written(type, 400);
      return (string_values || values_unpacked(type, text)) && !named && !options_unpacked(text) ? &type
                                                                                                   : nullptr;
    }
    // `base.with_variant(variant, "mysql")`: PostgreSQL gets the variant only where it is PostgreSQL's.
    if (type.callee_name() == "with_variant" && type.receiver()) {
      const Expr* variant = type.arg(0);
      const Expr* dialect = type.arg(1) ? type.arg(1) : type.keyword("dialect_name");
      bool for_postgresql = false;
      if (dialect) {
        dialect->walk([&](const Expr& e) {
          for_postgresql = for_postgresql || (e.is_string() && e.text == "postgresql");
        });
      }
      const Expr* applies = for_postgresql ? variant : type.receiver();
      return applies ? find_unnamed_enum(*applies, project, file, depth + 1) : nullptr;
    }
    const Expr* callee = type.target.get();
    if (callee && callee->kind == Expr::Kind::Attribute && callee->target && callee->target->is_call()) {
      if (const Expr* found = find_unnamed_enum(*callee->target, project, file, depth + 1)) return found;
    }
    for (const Expr& arg : type.items) {
      if (const Expr* found = find_unnamed_enum(arg, project, file, depth + 1)) return found;
    }
    return nullptr;
  }
  const ProjectFile* where = &file;
  const Expr* value = assigned_type(project, where, type, kMaxDepth);
  return value && find_unnamed_enum(*value, project, *where, depth + 1) ? &type : nullptr;
}

class EnumWithoutName final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL108",
        "enum-without-name",
        "Native enum type given string values and no name=: PostgreSQL's CREATE TYPE needs "
        "a name, so creating the table fails",
        Severity::Error,
        Profile::PostgreSQL,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    for (const ColumnInfo* column : project.columns_in(file)) {
      if (!column->type.expr || column->type.inferred) continue;
      if (column->operation && !column->operation->runs_on("postgresql")) continue;
      const Expr* unnamed = find_unnamed_enum(*column->type.expr, project, file, 0);
      if (!unnamed) continue;
      const OperationCall* op = column->operation;
      const std::string fails = op && (op->name == "add_column" || op->name == "alter_column")
                                    ? "the ALTER TABLE fails"
                                    : "creating the table fails";
      out.report(file, unnamed->loc,
                 "`" + column_label(*column) +
                     "` is a native enum with no name: PostgreSQL's enum is a named type, so " + fails +
                     " (CompileError: PostgreSQL ENUM type requires a name)",
                 "give the type a name (`sa.Enum(..., name=\"" +
                     (column->name.empty() ? "status" : column->name) +
                     "\")`), or store it as `sa.Enum(..., native_enum=False)`");
    }
  }
};

ORMLINT_RULE(EnumWithoutName);

}  // namespace

}  // namespace ormlint
