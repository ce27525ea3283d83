// relationship-without-foreign-key: relationship("X") between two mapped classes whose tables have no foreign key
// between them (either direction, or through the `secondary` table), with no primaryjoin=/foreign_keys= to say
// how to join. SQLAlchemy raises NoForeignKeysError when the mappers configure (the first query).
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/rule.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

// A class's mapped tables: its own (or the shared single-table one) and its mapped parents' (joined-table
// inheritance: SQLAlchemy joins through the whole chain). Empty when some table is unknown or reflected.
std::vector<const TableDef*> mapped_tables(const TableModel& model, const ClassInfo& cls) {
  std::vector<const TableDef*> result;
  const MappedClassDef* mapped = model.mapped_class(cls);
  for (int depth = 0; mapped && depth < 32; ++depth) {
    const TableDef* table = mapped->table;
    if (!table || table->name.empty() || table->reflected) return {};
    if (result.empty() || result.back() != table) result.push_back(table);
    mapped = mapped->parent ? model.mapped_class(*mapped->parent) : nullptr;
  }
  return result;
}

// Two definitions of one table: a table may be declared more than once (extend_existing; Flask-AppBuilder's
// `class MyUser(User): __tablename__ = "ab_user"`), and a foreign key names the table, not one declaration.
bool same_table(const TableDef& a, const TableDef& b) {
  return &a == &b || (a.metadata == b.metadata && a.schema == b.schema && a.name == b.name);
}

// Whether `from` (any of its definitions) has a foreign key to `to` — or one ormlint cannot place (an unknown
// target): then assume yes.
bool references(const TableModel& model, const TableDef& from, const TableDef& to) {
  std::vector<const TableDef*> definitions = model.find(from.metadata, from.schema, from.name);
  if (definitions.empty()) definitions.push_back(&from);
  for (const TableDef* definition : definitions) {
    for (const ForeignKeyDef* fk : definition->foreign_keys) {
      if (fk->target && same_table(*fk->target, to)) return true;
      if (!fk->target && (fk->target_table.empty() || fk->target_table == to.name)) return true;
    }
  }
  return false;
}

bool linked(const TableModel& model, const std::vector<const TableDef*>& a, const std::vector<const TableDef*>& b) {
  for (const TableDef* x : a) {
    for (const TableDef* y : b) {
      if (references(model, *x, *y) || references(model, *y, *x)) return true;
    }
  }
  return false;
}

class RelationshipWithoutForeignKey final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL422", "relationship-without-foreign-key",
                               "relationship() between tables with no foreign key and no primaryjoin/foreign_keys",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    const TableModel& model = project.tables();
    std::set<std::pair<const ProjectFile*, uint32_t>> seen;  // a mixin's relationship is shared by many owners
    for (const RelationshipDef& rel : model.relationships()) {
      if (rel.has_join_condition() || rel.secondaryjoin || !rel.owner || !rel.file) continue;
      if (!rel.target || rel.target_ambiguous || rel.target_other_registry) continue;
      if (rel.secondary_expr && (!rel.secondary || rel.secondary->reflected)) continue;
      std::vector<const TableDef*> owner_tables = mapped_tables(model, *rel.owner);
      std::vector<const TableDef*> target_tables = mapped_tables(model, *rel.target);
      if (owner_tables.empty() || target_tables.empty()) continue;
      // A library mixin (a base from outside the project), or a computed __table_args__ (rucio's
      // declared_attr returning `cls._table_args + (...)`), may bring the foreign key ormlint cannot see.
      auto unseen = [](const TableDef* t) { return t->external_columns || t->constraints_unseen; };
      if (std::any_of(owner_tables.begin(), owner_tables.end(), unseen) ||
          std::any_of(target_tables.begin(), target_tables.end(), unseen)) {
        continue;
      }
      if (is_joined(model, rel, owner_tables, target_tables)) continue;
      if (!seen.insert({rel.file, rel.loc.start_byte}).second) continue;
      report(rel, *owner_tables.front(), *target_tables.front(), out);
    }
  }

 private:
  static bool is_joined(const TableModel& model, const RelationshipDef& rel,
                        const std::vector<const TableDef*>& owner_tables,
                        const std::vector<const TableDef*>& target_tables) {
    if (!rel.secondary) return linked(model, owner_tables, target_tables);
    std::vector<const TableDef*> secondary{rel.secondary};
    return linked(model, secondary, owner_tables) && linked(model, secondary, target_tables);
  }

  static void report(const RelationshipDef& rel, const TableDef& owner, const TableDef& target, Reporter& out) {
    const std::string shown = class_name(rel.owner) + "." + rel.attribute;
    if (rel.secondary) {
      out.report(*rel.file, rel.loc,
                 "`" + shown + "` goes through `" + rel.secondary->name + "`, which has no foreign key to both `" +
                     owner.name + "` and `" + target.name +
                     "`: SQLAlchemy raises NoForeignKeysError when the mappers configure",
                 "give `" + rel.secondary->name + "` ForeignKey columns to `" + owner.name + "` and `" + target.name +
                     "`, or pass primaryjoin=/secondaryjoin=");
      return;
    }
    out.report(*rel.file, rel.loc,
               "`" + shown + "` relates `" + owner.name + "` and `" + target.name +
                   "`, but neither table has a foreign key to the other: SQLAlchemy raises NoForeignKeysError when "
                   "the mappers configure",
               "add a ForeignKey column (e.g. `" + owner.name + "_id = Column(ForeignKey(\"" + owner.name +
                   ".id\"))` on `" + target.name + "`), or pass primaryjoin=/foreign_keys= to say how they join");
  }
};

ORMLINT_RULE(RelationshipWithoutForeignKey);

}  // namespace

}  // namespace ormlint
