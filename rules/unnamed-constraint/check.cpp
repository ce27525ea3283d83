// unnamed-constraint: an explicit UniqueConstraint / CheckConstraint / ForeignKeyConstraint object without a name,
// in a MetaData without a naming_convention (an Index without a name gets MetaData's default one, `ix_...`): the database invents a name Alembic cannot know, so a later
// migration cannot drop or alter it by name. An Index(...) whose first argument is not a name is an error in
// itself (SQLAlchemy takes the column as the name). Inline ForeignKey(...), unique=True, index=True are exempt.
#include <map>
#include <set>
#include <string>
#include <utility>

#include "engine/rule.h"
#include "project/migration_ops.h"
#include "project/naming_convention.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

std::string kind_name(ConstraintDef::Kind kind) {
  return std::string(constraint_class(kind));
}

// The kinds a MetaData's naming_convention cannot name unless the constraint has a name: their template uses
// `%(constraint_name)s`, which SQLAlchemy fills from the constraint's own name — an unnamed one of those
// kinds raises InvalidRequestError ("Naming convention including %(constraint_name)s token requires that
// constraint is explicitly named") when its table is defined.
struct NameRequirements {
  std::set<ConstraintDef::Kind> kinds;
  // The "pk" template, when it uses the token: every Table fails, since each creates its primary key
  // constraint unnamed before any PrimaryKeyConstraint(name=...) replaces it.
  const ProjectFile* primary_key_file = nullptr;
  Location primary_key_loc;
};

NameRequirements name_requirements(const Project& project, const MetadataDef& metadata) {
  NameRequirements needs;
  for (const auto& [kind, pattern] : naming_convention(project, metadata).templates) {
    if (!uses_constraint_name(pattern.text)) continue;
    needs.kinds.insert(kind);
    if (kind == ConstraintDef::Kind::PrimaryKey) {
      needs.primary_key_file = pattern.file;
      needs.primary_key_loc = pattern.loc;
    }
  }
  return needs;
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
    check_required_names(project, out);
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

  // Constraints a naming convention cannot name: its template for their kind uses %(constraint_name)s and
  // they have none — explicit ones, and the implicit ones `unique=True`, `index=True` and an inline
  // ForeignKey create. A "pk" template with the token fails every table: reported once, at the template.
  static void check_required_names(const Project& project, Reporter& out) {
    const TableModel& model = project.tables();
    std::map<std::string, std::set<ConstraintDef::Kind>, std::less<>> needing;  // MetaData key -> kinds
    for (const MetadataDef& metadata : model.metadata()) {
      NameRequirements needs = name_requirements(project, metadata);
      if (needs.primary_key_file) {
        out.report(
            *needs.primary_key_file, needs.primary_key_loc,
            "the naming_convention's \"pk\" template uses %(constraint_name)s: every Table creates its "
            "primary key constraint unnamed first, so SQLAlchemy raises InvalidRequestError for every table "
            "of this MetaData (the import fails)",
            "build primary key names from `%(table_name)s` (\"pk_%(table_name)s\")", Severity::Error);
      }
      needs.kinds.erase(ConstraintDef::Kind::PrimaryKey);
      if (!needs.kinds.empty()) needing.emplace(metadata.key, std::move(needs.kinds));
    }
    if (needing.empty()) return;
    std::set<std::pair<const ProjectFile*, uint32_t>> seen;  // a mixin's column is shared by many tables
    auto report = [&](const ProjectFile* file, const Location& loc, const std::string& what,
                      ConstraintDef::Kind kind, const std::string& table) {
      if (!file || !seen.insert({file, loc.start_byte}).second) return;
      const std::string key(convention_key(kind));
      out.report(
          *file, loc,
          what + " on `" + table + "` has no name, and its MetaData's naming_convention builds \"" + key +
              "\" names from %(constraint_name)s: SQLAlchemy raises InvalidRequestError when the table is "
              "defined (the import fails)",
          "name it (`name=\"...\"`; the convention then builds the full name from it), or use a \"" + key +
              "\" template without %(constraint_name)s (`%(table_name)s`, `%(column_0_name)s`)",
          Severity::Error);
    };
    for (const TableDef& table : model.tables()) {
      auto it = needing.find(table.metadata);
      if (it == needing.end() || table.reflected) continue;
      const std::set<ConstraintDef::Kind>& kinds = it->second;
      for (const ConstraintDef* c : table.constraints) {
        if (!kinds.count(c->kind) || c->has_name() || c->index_name_missing) continue;
        report(c->file, c->loc, "`" + kind_name(c->kind) + "`", c->kind, table.name);
      }
      for (const ColumnDef& column : table.columns) {
        const std::string label = "`" + std::string(column.name) + "`";
        if (column.unique && kinds.count(ConstraintDef::Kind::Unique))
          report(column.file, column.loc, "the unique constraint of " + label, ConstraintDef::Kind::Unique,
                 table.name);
        if (column.index && kinds.count(ConstraintDef::Kind::Index))
          report(column.file, column.loc, "the index of " + label, ConstraintDef::Kind::Index, table.name);
      }
      for (const ForeignKeyDef* fk : table.foreign_keys) {
        if (fk->is_constraint || fk->name_expr || !kinds.count(ConstraintDef::Kind::ForeignKey)) continue;
        report(fk->file, fk->loc, "the foreign key `" + fk->target_text + "`",
               ConstraintDef::Kind::ForeignKey, table.name);
      }
    }
  }

  // What autogenerate writes for such a constraint: `op.drop_constraint(None, "note", type_="foreignkey")`, which
  // fails whenever it runs (aim). Upgrade or downgrade alike.
  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    for (const OperationCall& op : file.facts.revision->operations) {
      if (op.name != "drop_constraint") continue;
      const Expr* name = constraint_name_of(op);
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
