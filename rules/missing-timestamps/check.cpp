// missing-timestamps (off by default): a mapped class's table without `created_at` / `updated_at` columns, its
// own or inherited from a mixin. Opt-in: a team convention, not a bug.
#include <string>

#include "engine/rule.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

class MissingTimestamps final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL425", "missing-timestamps", "Mapped table without created_at/updated_at columns",
                               Severity::Info, Profile::Any, false};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    for (const TableDef& table : project.tables().tables()) {
      // Association tables and Core tables nobody maps are plumbing, not records; reflected ones we cannot see.
      if (table.kind != TableDef::Kind::Model || !table.owner || !table.file || table.reflected) continue;
      std::string missing;
      for (const char* name : {"created_at", "updated_at"}) {
        if (table.column(name)) continue;
        missing += std::string(missing.empty() ? "`" : " and `") + name + "`";
      }
      if (missing.empty()) continue;
      std::string cls = table.owner->def ? std::string(table.owner->def->name) : table.name;
      out.report(*table.file, table.loc,
                 "`" + cls + "` (table `" + table.name + "`) has no " + missing +
                     " column: nobody can tell when a row was created or last changed",
                 "add `created_at = Column(DateTime(timezone=True), server_default=func.now())` and `updated_at` "
                 "with `onupdate=func.now()`, ideally once in a TimestampMixin");
    }
  }
};

ORMLINT_RULE(MissingTimestamps);

}  // namespace

}  // namespace ormlint
