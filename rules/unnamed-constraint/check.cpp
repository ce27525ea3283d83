// unnamed-constraint: an explicit UniqueConstraint / CheckConstraint / ForeignKeyConstraint object without a name,
// in a MetaData without a naming_convention (an Index without a name gets MetaData's default one, `ix_...`): the database invents a name Alembic cannot know, so a later
// migration cannot drop or alter it by name. An Index(...) whose first argument is not a name is an error in
// itself (SQLAlchemy takes the column as the name). Inline ForeignKey(...), unique=True, index=True are exempt.
#include <set>
#include <string>
#include <utility>

#include "engine/rule.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

std::string kind_name(ConstraintDef::Kind kind) {
  switch (kind) {
    case ConstraintDef::Kind::Index: return "Index";
    case ConstraintDef::Kind::Unique: return "UniqueConstraint";
    case ConstraintDef::Kind::Check: return "CheckConstraint";
    case ConstraintDef::Kind::ForeignKey: return "ForeignKeyConstraint";
    case ConstraintDef::Kind::PrimaryKey: return "PrimaryKeyConstraint";
  }
  return "constraint";
}

std::string on_table(const ConstraintDef& c) { return c.table && !c.table->name.empty() ? " on `" + c.table->name + "`" : ""; }

class UnnamedConstraint final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL423", "unnamed-constraint",
                               "Constraint or index without a name and no naming_convention: migrations cannot drop it",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    const TableModel& model = project.tables();
    std::set<std::pair<const ProjectFile*, uint32_t>> seen;  // a mixin's __table_args__ is shared by many tables
    for (const ConstraintDef& c : model.constraints()) {
      if (!c.file || c.kind == ConstraintDef::Kind::PrimaryKey) continue;
      if (!seen.insert({c.file, c.loc.start_byte}).second) continue;
      if (c.kind == ConstraintDef::Kind::Index && c.index_name_missing) {
        out.report(*c.file, c.loc,
                   "`Index(...)`" + on_table(c) +
                       " does not start with its name: SQLAlchemy expects `Index(name, *columns)` and fails to "
                       "build this index",
                   "pass the name first: `Index(\"ix_<table>_<column>\", <columns>...)`", Severity::Error);
        continue;
      }
      // `Index(None, ...)`: MetaData's default naming_convention, {"ix": "ix_%(column_0_label)s"}, names it
      // (mage-ai's migrations drop it by that name); only the other kinds have no default.
      if (c.kind == ConstraintDef::Kind::Index) continue;
      if (c.has_name() || !unconventional(model, c)) continue;
      out.report(*c.file, c.loc,
                 "`" + kind_name(c.kind) + "`" + on_table(c) +
                     " has no name and its MetaData has no naming_convention: the database picks a name Alembic "
                     "cannot drop or alter later",
                 "pass name=\"...\" (e.g. \"uq_<table>_<column>\"), or give the MetaData a naming_convention");
    }
  }

  // What autogenerate writes for such a constraint: `op.drop_constraint(None, "note", type_="foreignkey")`, which
  // fails whenever it runs (aim). Upgrade or downgrade alike.
  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    for (const OperationCall& op : file.facts.revision->operations) {
      if (op.name != "drop_constraint") continue;
      const Expr* name = op.call.keyword("constraint_name");
      if (!name) name = op.call.arg(0);
      if (!name || name->kind != Expr::Kind::None) continue;
      out.report(file, op.call.loc,
                 op.function + "() drops a constraint named None: Alembic cannot emit DROP CONSTRAINT without a "
                     "name, so this migration fails every time it runs (CompileError)",
                 "look up the constraint's name in the database (or the revision that created it) and pass it; "
                 "then give the MetaData a naming_convention so autogenerate names constraints",
                 Severity::Error);
    }
  }

 private:
  // Known MetaData without a naming convention (an unknown one may well have one: stay quiet).
  static bool unconventional(const TableModel& model, const ConstraintDef& c) {
    if (!c.table || c.table->metadata.empty()) return false;
    const MetadataDef* metadata = model.find_metadata(c.table->metadata);
    return metadata && !metadata->has_naming_convention();
  }
};

ORMLINT_RULE(UnnamedConstraint);

}  // namespace

}  // namespace ormlint
