// postgresql-type: a column type from sqlalchemy.dialects.postgresql (INET, JSONB, ARRAY, UUID, ...) in a model,
// a Core table, a migration or a declarative base's type_annotation_map — also nested inside another type
// (`ARRAY(INET)`, `MutableDict.as_mutable(JSONB)`) — except as the variant of `.with_variant(...)`.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/rule.h"
#include "project/assigned_value.h"
#include "project/column_label.h"

namespace ormlint {

namespace {

constexpr std::string_view kDialect = "sqlalchemy.dialects.postgresql.";
constexpr int kMaxDepth = 8;

// The one place that says what to use instead of each PostgreSQL type.
constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kPortableReplacements = {{
    {"INET", "String(45)"},
    {"CIDR", "String(43)"},
    {"MACADDR", "String(17)"},
    {"MACADDR8", "String(23)"},
    {"JSONB", "sa.JSON"},
    {"JSON", "sa.JSON"},
    {"HSTORE", "sa.JSON"},
    {"ARRAY", "sa.JSON"},
    {"UUID", "sa.Uuid (SQLAlchemy 2.0) or String(36)"},
    {"BYTEA", "LargeBinary"},
    {"TSVECTOR", "Text (and search elsewhere)"},
    {"TSQUERY", "Text"},
    {"ENUM", "sa.Enum(..., native_enum=False)"},
    {"INTERVAL", "sa.Interval"},
    {"DOUBLE_PRECISION", "sa.Double"},
    {"TIMESTAMP", "sa.DateTime(timezone=True)"},
    {"TIME", "sa.Time"},
    {"MONEY", "Numeric(19, 4)"},
    {"CITEXT", "String (store lower-cased values)"},
    {"BIT", "sa.Boolean or Integer"},
}};

// Names the dialect merely re-exports from sqlalchemy.types: the very same portable classes.
constexpr std::array<std::string_view, 11> kGenericReexports = {
    "BIGINT", "BOOLEAN", "CHAR", "DATE", "FLOAT", "INTEGER", "NUMERIC", "REAL", "SMALLINT", "TEXT", "VARCHAR"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string replacement_for(std::string_view type) {
  for (const auto& [name, replacement] : kPortableReplacements) {
    if (name == type) return std::string(replacement);
  }
  if (ends_with(type, "RANGE")) return "two columns (lower and upper bound)";
  return "a portable SQLAlchemy type";
}

// "sqlalchemy.dialects.postgresql.INET" / "...JSONB()" / "...ARRAY().with_variant()" -> "INET" / "JSONB" /
// "ARRAY"; "" when the name is not a PostgreSQL-only type.
std::string postgresql_type(std::string_view resolved) {
  if (resolved.substr(0, kDialect.size()) != kDialect) return "";
  std::string_view rest = resolved.substr(kDialect.size());
  rest = rest.substr(0, rest.find_first_of(".("));
  if (rest.empty()) return "";
  if (std::find(kGenericReexports.begin(), kGenericReexports.end(), rest) != kGenericReexports.end()) return "";
  return std::string(rest);
}

struct Found {
  const Expr* where;  // in the checked file
  std::string type;   // "INET"
};

// Collects the PostgreSQL types in a type expression, outermost first. `at` is where to report them: null to
// report at each expression itself, or the expression in the checked file that led into another definition.
void collect(const Expr& type, const Project& project, const ProjectFile& file, const Expr* at, int depth,
             std::vector<Found>& found) {
  if (depth > kMaxDepth) return;
  if (type.is_call()) {
    const Expr* callee = type.target.get();
    const bool method_on_type = callee && callee->kind == Expr::Kind::Attribute && callee->target &&
                                callee->target->is_call();
    if (method_on_type) {
      collect(*callee->target, project, file, at, depth + 1, found);  // `JSONB().with_variant(...)`: the object
    } else if (std::string name = postgresql_type(type.origin()); !name.empty()) {
      found.push_back({at ? at : &type, name});
    }
    // `sa.JSON().with_variant(postgresql.JSONB(), "postgresql")` is how a model stays portable: only the default
    // type (the object) counts.
    if (type.callee_name() == "with_variant") return;
    for (const Expr& arg : type.items) collect(arg, project, file, at, depth + 1, found);
    for (const Keyword& kw : type.keywords) collect(kw.value, project, file, at, depth + 1, found);
    return;
  }
  if (!type.is_name_like()) return;
  const FactText resolved = type.resolved;
  const Expr* here = at ? at : &type;
  // A type object bound to a variable (`IPList = ARRAY(INET)`): judge its definition, report at this use.
  if (resolved.rfind("sqlalchemy.", 0) == 0 && resolved.find('(') != std::string::npos) {
    const ProjectFile* where = &file;
    if (const Expr* value = assigned_value(project, where, type.text, kMaxDepth)) {
      collect(*value, project, *where, here, depth + 1, found);
      return;
    }
  }
  if (std::string name = postgresql_type(resolved); !name.empty()) found.push_back({here, name});
}

// What a dialect type costs a portable code base. Not "only PostgreSQL can create it": some (JSON, TIMESTAMP)
// compile elsewhere too, with PostgreSQL's behaviour no longer behind them.
constexpr const char* kDialectOnly =
    ": a PostgreSQL dialect type, which other databases lack or implement differently (the portable profile "
    "keeps models to SQLAlchemy's generic types)";

// "postgresql.ARRAY, postgresql.INET" and "use sa.JSON instead of ARRAY; String(45) instead of INET".
std::pair<std::string, std::string> describe(const std::vector<Found>& found) {
  std::vector<std::string> names;
  for (const Found& f : found) {
    if (std::find(names.begin(), names.end(), f.type) == names.end()) names.push_back(f.type);
  }
  std::string list, help = "use ";
  for (size_t i = 0; i < names.size(); ++i) {
    list += (i ? ", postgresql." : "postgresql.") + names[i];
    help += (i ? "; " : "") + replacement_for(names[i]) + " instead of " + names[i];
  }
  return {list, help};
}

class PostgresqlType final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL103", "postgresql-type",
                               "Column type from sqlalchemy.dialects.postgresql (INET, JSONB, ARRAY, UUID, ...) in a "
                               "model or migration",
                               Severity::Warning, Profile::Portable, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    for (const ColumnInfo* column : project.columns_in(file)) {
      // Inferred types come from SQLAlchemy's defaults (never PostgreSQL types) or from a base's
      // type_annotation_map, which is reported once, at the map.
      if (column->type.inferred || !column->type.expr) continue;
      // A migration step only PostgreSQL runs (`if bind.dialect.name == "postgresql":`) may use its types, and a
      // downgrade() restores the old schema's types: that is its job.
      const OperationCall* op = column->operation;
      if (op && (op->dialect == "postgresql" || op->function == "downgrade")) continue;
      std::vector<Found> found;
      collect(*column->type.expr, project, file, nullptr, 0, found);
      if (found.empty()) continue;
      auto [types, help] = describe(found);
      out.report(file, found.front().where->loc,
                 "`" + column_label(*column) + "` uses " + types + kDialectOnly,
                 help);
    }
    for (const ClassDef& def : file.facts.classes) check_annotation_map(file, project, def, out);
  }

 private:
  // `type_annotation_map = {dict: JSONB}` on a declarative base gives every `Mapped[dict]` column that type.
  static void check_annotation_map(const ProjectFile& file, const Project& project, const ClassDef& def,
                                   Reporter& out) {
    const ClassInfo* cls = project.class_info(def);
    if (!cls || cls->role != ClassInfo::Role::DeclarativeBase) return;
    const ClassAttribute* map = def.attribute("type_annotation_map");
    if (!map || !map->value || map->value->kind != Expr::Kind::Dict) return;
    const FactList<Expr>& items = map->value->items;
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
      std::vector<Found> found;
      collect(items[i + 1], project, file, nullptr, 0, found);
      if (found.empty()) continue;
      auto [types, help] = describe(found);
      out.report(file, found.front().where->loc,
                 "`" + def.name + ".type_annotation_map` maps `" + items[i].text + "` to " + types +
                     ": every `Mapped[" + items[i].text + "]` column gets it" + kDialectOnly,
                 help);
    }
  }
};

ORMLINT_RULE(PostgresqlType);

}  // namespace

}  // namespace ormlint
