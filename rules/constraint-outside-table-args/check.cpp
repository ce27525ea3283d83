// constraint-outside-table-args: a UniqueConstraint / CheckConstraint / ForeignKeyConstraint /
// PrimaryKeyConstraint / Index assigned to a plain attribute of a mapped class's body (`uq_name =
// UniqueConstraint("name")`) instead of listed in `__table_args__`. Declarative maps columns and ORM
// properties; any other attribute stays a Python attribute, so a constraint named by column *strings* never
// reaches the table: no CREATE, no migration, and the data it was meant to protect goes unchecked. (Built
// from Column objects of the same body, a constraint attaches itself once those columns join the table: not
// flagged.)
#include <set>
#include <string>
#include <string_view>

#include "engine/rule.h"

namespace ormlint {

namespace {

const std::set<std::string, std::less<>> kConstraints = {
    "sqlalchemy.UniqueConstraint", "sqlalchemy.CheckConstraint", "sqlalchemy.ForeignKeyConstraint",
    "sqlalchemy.PrimaryKeyConstraint", "sqlalchemy.Index"};

// Whether the constraint names its columns by strings only (so it has no way to find its table): every
// positional argument of a column-list constraint, past an Index's name; a CheckConstraint's SQL text.
bool names_columns_by_string(const Expr& call, std::string_view kind) {
  if (kind == "sqlalchemy.CheckConstraint") {
    const Expr* sql = call.keyword("sqltext");
    if (!sql) sql = call.arg(0);
    return sql && sql->is_string();
  }
  const bool index = kind == "sqlalchemy.Index";
  const size_t first = index ? 1 : 0;
  if (call.items.size() <= first) return false;
  for (size_t i = first; i < call.items.size(); ++i) {
    const Expr& item = call.items[i];
    if (item.is_string()) continue;
    // ForeignKeyConstraint(["a"], ["t.id"]): lists of strings.
    if ((item.kind == Expr::Kind::List || item.kind == Expr::Kind::Tuple) && !item.items.empty()) {
      for (const Expr& element : item.items) {
        if (!element.is_string()) return false;
      }
      continue;
    }
    return false;
  }
  return true;
}

std::string short_kind(std::string_view origin) {
  return std::string(origin.substr(origin.rfind('.') + 1));
}

class ConstraintOutsideTableArgs final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL415",
                               "constraint-outside-table-args",
                               "Constraint or Index assigned to a class attribute instead of __table_args__: "
                               "declarative ignores it, so the table never gets it",
                               Severity::Error,
                               Profile::Any,
                               true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.declares_schema()) return;
    for (const ClassDef& def : file.facts.classes) {
      const ClassInfo* cls = project.class_info(def);
      if (!cls || !cls->contributes_mapped_attributes()) continue;
      for (const ClassAttribute& attr : def.attributes) {
        if (!attr.value || attr.from_declared_attr || attr.name.starts_with("__")) continue;
        const Expr& value = *attr.value;
        if (!value.is_call()) continue;
        const FactText origin = value.origin();
        if (!kConstraints.count(origin) || !names_columns_by_string(value, origin)) continue;
        const std::string kind = short_kind(origin);
        out.report(
            file, attr.loc,
            "`" + def.name + "." + attr.name + " = " + kind +
                "(...)` is a plain class attribute: declarative does not read constraints there, so the "
                "table never gets this " +
                kind + " (no CREATE, no migration, nothing enforced)",
            "list it in `__table_args__ = (" + kind +
                "(...),)` (with any other table arguments), and "
                "generate the migration that creates it");
      }
      // `CheckConstraint("single_row")` on a line of its own (fides): built and thrown away.
      for (const Expr& call : def.discarded_calls) {
        const FactText origin = call.origin();
        if (!kConstraints.count(origin) || !names_columns_by_string(call, origin)) continue;
        const std::string kind = short_kind(origin);
        out.report(file, call.loc,
                   "`" + kind + "(...)` stands alone in the body of `" + def.name +
                       "`: it is built and thrown away, so the table never gets this " + kind +
                       " (no CREATE, no migration, nothing enforced)",
                   "list it in `__table_args__ = (" + kind +
                       "(...),)` (with any other table arguments), and generate the migration that creates it");
      }
    }
  }
};

ORMLINT_RULE(ConstraintOutsideTableArgs);

}  // namespace

}  // namespace ormlint
