// duplicate-constraint-name: two indexes or constraints given one name where the database needs it unique. On
// PostgreSQL an index, a unique constraint and a primary key each make an index named after them, and index
// names are unique per schema (SQLite: index names per database); any two constraints of one table need
// distinct names. The second CREATE fails: `relation "uq_x" already exists`. MySQL keeps index names per
// table, so a project tested on MySQL alone never sees it.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/rule.h"
#include "project/import_groups.h"
#include "project/naming_convention.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

std::string kind_label(ConstraintDef::Kind kind) {
  switch (kind) {
    case ConstraintDef::Kind::Index:
      return "an index";
    case ConstraintDef::Kind::Unique:
      return "a unique constraint";
    case ConstraintDef::Kind::Check:
      return "a check constraint";
    case ConstraintDef::Kind::ForeignKey:
      return "a foreign key";
    case ConstraintDef::Kind::PrimaryKey:
      return "a primary key";
  }
  return "a constraint";
}

// PostgreSQL's two namespaces: relations (indexes, and the index behind a unique constraint or a primary key)
// are unique per schema — SQLite's index names per database too; constraints (unique, primary key, check,
// foreign key) per table. An index and a check constraint or a foreign key may share a name.
bool is_relation(ConstraintDef::Kind kind) {
  return kind == ConstraintDef::Kind::Index || kind == ConstraintDef::Kind::Unique ||
         kind == ConstraintDef::Kind::PrimaryKey;
}
bool is_constraint(ConstraintDef::Kind kind) {
  return kind != ConstraintDef::Kind::Index;
}

// An index or constraint of a table, with the name the database gives it.
struct Named {
  ConstraintDef::Kind kind = ConstraintDef::Kind::Index;
  const TableDef* table = nullptr;
  const ProjectFile* file = nullptr;
  Location loc;
};

// What a naming-convention template is filled with.
struct TemplateValues {
  std::string_view constraint_name;
  std::string_view table_name;
  std::vector<std::string_view> columns;
  std::string_view referred_table;
};

bool is_identifier(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// SQLAlchemy's tokens (sqlalchemy.sql.naming); null for one ormlint does not fill (or cannot: an expression
// column, a missing value).
std::optional<std::string> token_value(std::string_view token, const TemplateValues& v) {
  auto columns_joined = [&](std::string_view separator, bool labels) {
    std::string joined;
    for (std::string_view column : v.columns) {
      if (!joined.empty()) joined += separator;
      if (labels) joined += std::string(v.table_name) + "_";
      joined += column;
    }
    return joined;
  };
  if (token == "constraint_name")
    return v.constraint_name.empty() ? std::nullopt : std::optional(std::string(v.constraint_name));
  if (token == "table_name") return std::string(v.table_name);
  if (token == "referred_table_name")
    return v.referred_table.empty() ? std::nullopt : std::optional(std::string(v.referred_table));
  if (v.columns.empty() || !std::all_of(v.columns.begin(), v.columns.end(), is_identifier))
    return std::nullopt;
  if (token == "column_0_name" || token == "column_0_key") return std::string(v.columns.front());
  if (token == "column_0_label") return std::string(v.table_name) + "_" + std::string(v.columns.front());
  if (token == "column_0N_name" || token == "column_0N_key") return columns_joined("", false);
  if (token == "column_0_N_name" || token == "column_0_N_key") return columns_joined("_", false);
  if (token == "column_0N_label") return columns_joined("", true);
  if (token == "column_0_N_label") return columns_joined("_", true);
  return std::nullopt;
}

std::optional<std::string> fill_template(std::string_view pattern, const TemplateValues& values) {
  std::string name;
  for (size_t at = 0; at < pattern.size();) {
    size_t open = pattern.find("%(", at);
    if (open == std::string_view::npos) {
      name += pattern.substr(at);
      break;
    }
    size_t close = pattern.find(")s", open);
    if (close == std::string_view::npos) return std::nullopt;
    std::optional<std::string> value = token_value(pattern.substr(open + 2, close - open - 2), values);
    if (!value) return std::nullopt;
    name += pattern.substr(at, open - at);
    name += *value;
    at = close + 2;
  }
  return name;
}

// The name the database gives an index or constraint: the name as written, unless the naming_convention's
// template for its kind uses %(constraint_name)s (then the template filled); for an unnamed one, the template
// filled (an unnamed Index has SQLAlchemy's default, "ix_%(column_0_label)s"). Null when ormlint cannot tell:
// an unreadable convention, a token it does not fill, no template (the database picks the name).
std::optional<std::string> database_name(ConstraintDef::Kind kind, const TemplateValues& values,
                                         const NamingConvention& convention) {
  if (convention.present && !convention.readable) return std::nullopt;
  const NamingConvention::Template* pattern = convention.of(kind);
  if (!values.constraint_name.empty()) {
    if (!pattern || !uses_constraint_name(pattern->text)) return std::string(values.constraint_name);
    return fill_template(pattern->text, values);
  }
  if (pattern)
    return uses_constraint_name(pattern->text) ? std::nullopt : fill_template(pattern->text, values);
  if (kind == ConstraintDef::Kind::Index) return fill_template("ix_%(column_0_label)s", values);
  return std::nullopt;
}

// One place a name is written, and the tables it names something of (several: a mixin's __table_args__).
struct Written {
  const Named* named = nullptr;
  std::vector<const TableDef*> tables;
};

class DuplicateConstraintName final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL418",
                               "duplicate-constraint-name",
                               "Two indexes or constraints with the same name in one schema (or one table): "
                               "creating the second fails on PostgreSQL",
                               Severity::Error,
                               Profile::Any,
                               true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    const TableModel& model = project.tables();
    ImportGroups loaded_together(project);
    std::map<std::string, NamingConvention, std::less<>> conventions;
    std::vector<std::pair<std::string, Named>> all;  // (database name, what it names)
    for (const TableDef& table : model.tables()) {
      if (!compared(model, table)) continue;
      auto convention = conventions.find(table.metadata);
      if (convention == conventions.end()) {
        const MetadataDef* metadata = model.find_metadata(table.metadata);
        convention = conventions
                         .emplace(table.metadata, metadata ? naming_convention(project, *metadata)
                                                           : NamingConvention{true, false, {}})
                         .first;
      }
      collect(table, convention->second, all);
    }
    // Relations by (MetaData, schema, import group, name); constraints by (table, name). std::map: sorted
    // output.
    std::map<std::tuple<std::string, std::string, size_t, std::string>, std::vector<const Named*>> relations;
    std::map<std::pair<size_t, std::string>, std::vector<const Named*>> constraints;
    for (const auto& [name, named] : all) {
      const TableDef& t = *named.table;
      if (is_relation(named.kind))
        relations[{t.metadata, t.schema, loaded_together.of(t.file), name}].push_back(&named);
      if (is_constraint(named.kind)) constraints[{t.index, name}].push_back(&named);
    }
    std::set<std::pair<const ProjectFile*, uint32_t>> reported;
    for (const auto& [key, group] : constraints) {
      if (group.size() > 1) report(key.second, group, Namespace::TableConstraints, reported, out);
    }
    for (const auto& [key, group] : relations) {
      if (group.size() > 1) report(std::get<3>(key), group, Namespace::SchemaRelations, reported, out);
    }
  }

 private:
  enum class Namespace { SchemaRelations, TableConstraints };

  // Tables ormlint knows well enough to compare: named, in a known MetaData and schema, created by the models
  // (not reflected, not a redefinition, not a name two definitions share: duplicate-table-name reports that).
  static bool compared(const TableModel& model, const TableDef& t) {
    if (t.name.empty() || t.metadata.empty() || t.schema_unknown || !t.file) return false;
    if (t.reflected || t.extend_existing || t.keep_existing) return false;
    return model.find(t.metadata, t.schema, t.name).size() == 1;
  }

  // The table's indexes and constraints that get a name ormlint can tell: explicit objects, inline named
  // foreign keys, and the unique constraints and indexes of `unique=True` / `index=True` columns.
  static void collect(const TableDef& table, const NamingConvention& convention,
                      std::vector<std::pair<std::string, Named>>& all) {
    auto add = [&](ConstraintDef::Kind kind, const TemplateValues& values, const ProjectFile* file,
                   const Location& loc) {
      if (!file) return;
      if (std::optional<std::string> name = database_name(kind, values, convention))
        all.push_back({std::move(*name), Named{kind, &table, file, loc}});
    };
    for (const ConstraintDef* c : table.constraints) {
      if (c->table != &table || c->index_name_missing || (c->name.empty() && c->has_name())) continue;
      TemplateValues values{c->name, table.name, {c->columns.begin(), c->columns.end()}, {}};
      if (c->foreign_key) values.referred_table = c->foreign_key->target_table;
      add(c->kind, values, c->file, c->loc);
    }
    for (const ForeignKeyDef* fk : table.foreign_keys) {
      if (fk->is_constraint || fk->name.empty()) continue;  // unnamed inline keys: named by the database
      add(ConstraintDef::Kind::ForeignKey,
          {fk->name, table.name, {fk->columns.begin(), fk->columns.end()}, {}}, fk->file, fk->loc);
    }
    for (const ColumnDef& column : table.columns) {
      if (column.name.empty()) continue;
      TemplateValues values{{}, table.name, {std::string_view(column.name)}, {}};
      if (column.unique) add(ConstraintDef::Kind::Unique, values, column.file, column.loc);
      if (column.index) add(ConstraintDef::Kind::Index, values, column.file, column.loc);
    }
  }

  static std::vector<Written> by_place(const std::vector<const Named*>& group) {
    std::vector<Written> places;
    for (const Named* named : group) {
      auto same = std::find_if(places.begin(), places.end(), [&](const Written& w) {
        return w.named->file == named->file && w.named->loc.start_byte == named->loc.start_byte;
      });
      if (same == places.end()) {
        places.push_back({named, {named->table}});
      } else {
        same->tables.push_back(named->table);
      }
    }
    return places;
  }

  static std::string tables_text(const std::vector<const TableDef*>& tables) {
    std::string text;
    for (const TableDef* t : tables) text += (text.empty() ? "`" : ", `") + t->name + "`";
    return text;
  }

  static std::string why(const std::string& name, const std::vector<const Named*>& group, Namespace space) {
    if (space == Namespace::TableConstraints) {
      return "PostgreSQL keeps a table's constraint names unique, so creating it fails (`constraint \"" +
             name + "\" for relation \"" + group.front()->table->name + "\" already exists`)";
    }
    bool only_indexes = std::all_of(group.begin(), group.end(),
                                    [](const Named* n) { return n->kind == ConstraintDef::Kind::Index; });
    return std::string(only_indexes
                           ? "PostgreSQL and SQLite keep index names unique per schema"
                           : "PostgreSQL backs unique constraints and primary keys with an index of the "
                             "same name, and index names are unique per schema") +
           ", so the second one fails (`relation \"" + name + "\" already exists`)";
  }

  static void report(const std::string& name, const std::vector<const Named*>& group, Namespace space,
                     std::set<std::pair<const ProjectFile*, uint32_t>>& reported, Reporter& out) {
    std::vector<Written> places = by_place(group);
    if (places.size() == 1 && places.front().tables.size() == 1) return;  // one object, listed twice
    const std::string because = why(name, group, space);
    for (const Written& place : places) {
      const Named& named = *place.named;
      if (!reported.insert({named.file, named.loc.start_byte}).second) continue;
      std::string message =
          "`" + name + "` names " + kind_label(named.kind) + " on " + tables_text(place.tables);
      if (place.tables.size() > 1) {
        // A mixin's or an abstract base's __table_args__ (or column): as a plain tuple, SQLAlchemy refuses at
        // import to give one constraint object to a second table; as a @declared_attr, each table gets a
        // copy.
        out.report(
            *named.file, named.loc,
            message + ", written once for all of them: each table gets one of that name (a plain " +
                "`__table_args__` tuple fails at import already: ArgumentError), and " + because,
            "build the name from the table (a naming_convention with %(table_name)s, or a @declared_attr "
            "`__table_args__` with `f\"ix_{cls.__tablename__}_...\"`)");
        continue;
      }
      std::string others;
      for (const Written& other : places) {
        if (&other == &place) continue;
        others += (others.empty() ? "" : ", ") + kind_label(other.named->kind) + " on " +
                  tables_text(other.tables) + " (" + other.named->file->path() + ":" +
                  std::to_string(other.named->loc.line) + ")";
      }
      out.report(
          *named.file, named.loc, message + ", and also " + others + ": " + because,
          "give each its own name, with its table's in it (\"uq_<table>_<column>\"), or leave the names out "
          "and let a MetaData naming_convention build them from %(table_name)s");
    }
  }
};

ORMLINT_RULE(DuplicateConstraintName);

}  // namespace

}  // namespace ormlint
