// field-construct-as-default: a SQLModel `Field(...)` whose default — its one positional parameter, or
// `default=` — is a SQLAlchemy schema construct: `Field(ForeignKey("users.id"))`, `Field(sa.String(50))`,
// `Field(Column(JSON))`, `Field(Index(...))`. SQLModel takes it for the field's default value: the column
// gets no foreign key, type or index from it, and every row inserted without the field tries to store the
// construct itself. The keyword arguments that do it are `foreign_key=`, `sa_type=`, `sa_column=`,
// `sa_column_args=`.
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "engine/rule.h"
#include "project/sqlalchemy_names.h"

namespace ormlint {

namespace {

// What a misplaced construct is, and where it belongs instead.
struct Misplaced {
  std::string what;  // "a ForeignKey"
  std::string fix;   // the help line
};

std::string last_part(std::string_view dotted) {
  const size_t dot = dotted.rfind('.');
  return std::string(dot == std::string_view::npos ? dotted : dotted.substr(dot + 1));
}

std::optional<Misplaced> misplaced(const Expr& value) {
  const std::string origin(value.is_call() ? value.origin() : value.resolved);
  if (!within_module(origin, "sqlalchemy")) return std::nullopt;
  const std::string name = last_part(origin);
  if (origin == "sqlalchemy.ForeignKey") {
    const Expr* target = value.is_call() ? value.arg(0) : nullptr;
    const std::string spec =
        target && target->is_string() ? "\"" + std::string(target->text) + "\"" : "\"<table>.<column>\"";
    return Misplaced{"a ForeignKey",
                     "write `Field(foreign_key=" + spec + ")` (with `ondelete=` on SQLModel 0.0.21+)"};
  }
  if (origin == "sqlalchemy.Column" || origin == "sqlalchemy.orm.mapped_column") {
    return Misplaced{"a " + name + "(...)", "pass the column as `Field(sa_column=" + name + "(...))`"};
  }
  static const std::set<std::string, std::less<>> kTableItems = {
      "Index", "UniqueConstraint", "CheckConstraint", "PrimaryKeyConstraint", "ForeignKeyConstraint"};
  if (kTableItems.count(name)) {
    return Misplaced{(name == "Index" ? "an " : "a ") + name,
                     "declare it in the class's `__table_args__ = (" + name + "(...),)`"};
  }
  if (name == "Identity" || name == "Computed") {
    return Misplaced{"an " + name + "()", "pass it as `Field(sa_column_args=[" + name + "(...)])`"};
  }
  // Defaults SQLAlchemy itself takes (`Sequence`, a server-side value) and lower-case functions
  // (`func.now()`, `text(...)`, SQL expressions a Column default may be) stay; any other class of
  // SQLAlchemy's is a type.
  if (name.empty() || !std::isupper(static_cast<unsigned char>(name.front())) || name == "Sequence" ||
      name == "FetchedValue" || name == "DefaultClause") {
    return std::nullopt;
  }
  return Misplaced{"the type " + name,
                   "give the type as `Field(sa_type=" + name + (value.is_call() ? "(...)" : "") + ")`"};
}

class FieldConstructAsDefault final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL410",
        "field-construct-as-default",
        "SQLModel Field() given a SQLAlchemy construct (ForeignKey, a type, Column) as its "
        "default value: the column never gets it",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    for_each_sqlmodel_field(file, project, [&](const ClassAttribute& attribute, const Expr& field) {
      const Expr* value = field.keyword("default");
      if (!value) value = field.arg(0);
      const auto found = value ? misplaced(*value) : std::nullopt;
      if (!found) return;
      const std::string name(attribute.name);
      out.report(
          file, value->loc,
          "`" + name + "`: Field() takes " + found->what +
              " for the field's default value (its one positional parameter is `default`), so the column "
              "never gets it, and a row inserted without `" +
              name + "` tries to store the object itself",
          found->fix);
    });
  }
};

ORMLINT_RULE(FieldConstructAsDefault);

}  // namespace

}  // namespace ormlint
