// duplicate-table-name: two mapped classes or Core Tables defining the same (schema, name) in one MetaData.
// SQLAlchemy raises at import: "Table 'users' is already defined for this MetaData instance."
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "engine/rule.h"
#include "project/import_groups.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

std::string where(const TableDef& t) { return t.file->path() + ":" + std::to_string(t.loc.line); }

class DuplicateTableName final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL411", "duplicate-table-name",
                               "Two tables with the same name in the same MetaData", Severity::Error, Profile::Any,
                               true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    // Unknown names, schemas and MetaData cannot be compared; extend_existing/keep_existing redefinitions are legal.
    ImportGroups loaded_together(project);
    std::map<std::tuple<std::string, std::string, std::string, size_t>, std::vector<const TableDef*>> groups;
    for (const TableDef& t : project.tables().tables()) {
      if (t.name.empty() || t.metadata.empty() || t.schema_unknown || !t.file) continue;
      if (t.extend_existing || t.keep_existing) continue;
      groups[{t.metadata, t.schema, t.name, loaded_together.of(t.file)}].push_back(&t);
    }
    for (const auto& [key, defs] : groups) {
      if (defs.size() < 2) continue;
      for (const TableDef* t : defs) report(*t, defs, out);
    }
  }

 private:
  static void report(const TableDef& t, const std::vector<const TableDef*>& defs, Reporter& out) {
    // The first few places, and how many more: a long list helps no one read the message.
    constexpr size_t kShown = 5;
    std::string others;
    size_t shown = 0;
    for (const TableDef* other : defs) {
      if (other == &t || shown == kShown) continue;
      others += (others.empty() ? "" : ", ") + where(*other);
      ++shown;
    }
    if (defs.size() - 1 > kShown) others += " and " + std::to_string(defs.size() - 1 - kShown) + " more";
    out.report(*t.file, t.loc,
               "Table '" + t.qualified_name() + "' is already defined for this MetaData instance (also at " + others +
                   ")",
               "rename one of the tables (`__tablename__`), or pass `extend_existing=True` if redefining it is "
               "intended");
  }
};

ORMLINT_RULE(DuplicateTableName);

}  // namespace

}  // namespace ormlint
