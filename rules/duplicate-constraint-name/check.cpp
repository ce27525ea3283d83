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

// Kinds PostgreSQL backs with an index of the same name: their names share the schema's relation namespace.
bool makes_index(ConstraintDef::Kind kind) {
  return kind == ConstraintDef::Kind::Index || kind == ConstraintDef::Kind::Unique ||
         kind == ConstraintDef::Kind::PrimaryKey;
}

// The name the database gets: the name as written, or what the MetaData's naming_convention builds from it
// (a template with %(constraint_name)s). Null when ormlint cannot tell (an unreadable convention, other
// tokens).
std::optional<std::string> database_name(const ConstraintDef& c, const NamingConvention& convention) {
  if (!convention.present) return c.name;
  if (!convention.readable) return std::nullopt;
  const NamingConvention::Template* pattern = convention.of(c.kind);
  if (!pattern || !uses_constraint_name(pattern->text)) return c.name;  // an explicit name is used as written
  std::string name(pattern->text);
  for (auto [token, value] : {std::pair<std::string_view, std::string_view>{"%(constraint_name)s", c.name},
                              {"%(table_name)s", c.table->name}}) {
    for (size_t at = name.find(token); at != std::string::npos; at = name.find(token, at + value.size()))
      name.replace(at, token.size(), value);
  }
  if (name.find("%(") != std::string::npos) return std::nullopt;  // column tokens: not worked out here
  return name;
}

// One place a name is written, and the tables it names a constraint of (several: a mixin's __table_args__).
struct Written {
  const ConstraintDef* constraint = nullptr;
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
    // (MetaData, schema, import group, name) for index-backed kinds; (table, name) for every kind.
    std::map<std::tuple<std::string, std::string, size_t, std::string>, std::vector<const ConstraintDef*>>
        in_schema;
    std::map<std::pair<size_t, std::string>, std::vector<const ConstraintDef*>> in_table;
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
      for (const ConstraintDef* c : table.constraints) {
        if (c->name.empty() || !c->file || c->table != &table) continue;
        std::optional<std::string> name = database_name(*c, convention->second);
        if (!name) continue;
        in_table[{table.index, *name}].push_back(c);
        if (makes_index(c->kind))
          in_schema[{table.metadata, table.schema, loaded_together.of(table.file), *name}].push_back(c);
      }
    }
    std::set<std::pair<const ProjectFile*, uint32_t>> reported;
    for (const auto& [key, constraints] : in_table) {
      if (constraints.size() > 1) report(std::get<1>(key), constraints, false, reported, out);
    }
    for (const auto& [key, constraints] : in_schema) {
      if (constraints.size() > 1) report(std::get<3>(key), constraints, true, reported, out);
    }
  }

 private:
  // Tables ormlint knows well enough to compare: named, in a known MetaData and schema, created by the models
  // (not reflected, not a redefinition, not a name two definitions share: duplicate-table-name reports that).
  static bool compared(const TableModel& model, const TableDef& t) {
    if (t.name.empty() || t.metadata.empty() || t.schema_unknown || !t.file) return false;
    if (t.reflected || t.extend_existing || t.keep_existing) return false;
    return model.find(t.metadata, t.schema, t.name).size() == 1;
  }

  static std::vector<Written> by_place(const std::vector<const ConstraintDef*>& constraints) {
    std::vector<Written> places;
    for (const ConstraintDef* c : constraints) {
      auto same = std::find_if(places.begin(), places.end(), [&](const Written& w) {
        return w.constraint->file == c->file && w.constraint->loc.start_byte == c->loc.start_byte;
      });
      if (same == places.end()) {
        places.push_back({c, {c->table}});
      } else {
        same->tables.push_back(c->table);
      }
    }
    return places;
  }

  static std::string tables_text(const std::vector<const TableDef*>& tables) {
    std::string text;
    for (const TableDef* t : tables) text += (text.empty() ? "`" : ", `") + t->name + "`";
    return text;
  }

  static void report(const std::string& name, const std::vector<const ConstraintDef*>& constraints,
                     bool across_tables, std::set<std::pair<const ProjectFile*, uint32_t>>& reported,
                     Reporter& out) {
    std::vector<Written> places = by_place(constraints);
    bool only_indexes = std::all_of(constraints.begin(), constraints.end(), [](const ConstraintDef* c) {
      return c->kind == ConstraintDef::Kind::Index;
    });
    std::string why;
    if (!across_tables) {
      why = "one table's constraints need distinct names, so creating the table fails (PostgreSQL: `" +
            std::string(makes_index(constraints.front()->kind) ? "relation" : "constraint") + " \"" + name +
            "\" already exists`)";
    } else {
      why = std::string(only_indexes ? "PostgreSQL and SQLite keep index names unique per schema"
                                     : "PostgreSQL makes an index of that name for each, and index names are "
                                       "unique per schema") +
            ", so creating the second table fails (`relation \"" + name + "\" already exists`)";
    }
    const std::string help =
        "give each its own name, with its table's in it (\"uq_<table>_<column>\"), or leave the names out "
        "and "
        "let a MetaData naming_convention build them from %(table_name)s";
    for (const Written& place : places) {
      const ConstraintDef& c = *place.constraint;
      if (!reported.insert({c.file, c.loc.start_byte}).second) continue;
      std::string message = "`" + name + "` names " + kind_label(c.kind) + " on " + tables_text(place.tables);
      if (place.tables.size() > 1) {
        // A mixin's or an abstract base's __table_args__: as a plain tuple, SQLAlchemy refuses at import to
        // give one constraint object to a second table; as a @declared_attr, each table gets its own copy.
        out.report(
            *c.file, c.loc,
            message + ", written once for all of them: SQLAlchemy raises ArgumentError at import (one " +
                "object cannot belong to two tables), or, from a @declared_attr, each table gets one of " +
                "that name and " + why,
            "build the name from the table in a @declared_attr: `Index(f\"ix_{cls.__tablename__}_...\", "
            "...)`, or leave the name out and let a MetaData naming_convention build it");
        continue;
      }
      std::string others;
      for (const Written& other : places) {
        if (&other == &place) continue;
        others += (others.empty() ? "" : ", ") + kind_label(other.constraint->kind) + " on " +
                  tables_text(other.tables) + " (" + other.constraint->file->path() + ":" +
                  std::to_string(other.constraint->loc.line) + ")";
      }
      if (!others.empty()) message += ", and also " + others;
      out.report(*c.file, c.loc, message + ": " + why, help);
    }
  }
};

ORMLINT_RULE(DuplicateConstraintName);

}  // namespace

}  // namespace ormlint
