// duplicate-column: two attributes of one table mapping the same database column name (directly, through a mixin,
// or by a `Column("name", ...)` rename). SQLAlchemy refuses the table, or silently maps only one attribute.
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/rule.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

// Columns a single-table-inheritance subclass adds belong to another mapper: they follow other rules.
bool own_or_inherited(const TableDef& table, const ColumnDef& c) {
  if (table.kind == TableDef::Kind::Table || !c.declared_in) return true;
  return c.inherited || c.declared_in == table.owner;
}

std::string label(const TableDef& table, const ColumnDef& c) {
  if (c.attribute.empty()) return table.name + "." + c.name;
  return (c.declared_in ? c.declared_in->def->name + "." : std::string()) + c.attribute;
}

class DuplicateColumn final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL412", "duplicate-column", "Two attributes map the same column of one table",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    std::set<std::pair<const ProjectFile*, uint32_t>> reported;
    for (const TableDef& table : project.tables().tables()) {
      std::unordered_map<std::string, const ColumnDef*> first;
      for (const ColumnDef& c : table.columns) {
        if (c.name.empty() || !c.file || !own_or_inherited(table, c)) continue;
        auto [it, inserted] = first.emplace(c.name, &c);
        if (inserted) continue;
        const ColumnDef& earlier = *it->second;
        // The same attribute again is an override (a class redefining its mixin's column), not a duplicate.
        if (!c.attribute.empty() && c.attribute == earlier.attribute) continue;
        // Own columns come before inherited ones: report at the class's own attribute, where the fix is.
        const ColumnDef& at = (c.inherited && !earlier.inherited) ? earlier : c;
        const ColumnDef& other = (&at == &c) ? earlier : c;
        if (!reported.insert({at.file, at.loc.line}).second) continue;
        out.report(*at.file, at.loc,
                   "column '" + table.name + "." + c.name + "' is mapped twice: `" + label(table, at) + "` and `" +
                       label(table, other) + "`",
                   "rename one of the columns (`Column(\"other_name\", ...)`), or remove the duplicate attribute");
      }
    }
  }
};

ORMLINT_RULE(DuplicateColumn);

}  // namespace

}  // namespace ormlint
