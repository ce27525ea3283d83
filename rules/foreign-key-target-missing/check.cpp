// foreign-key-target-missing: ForeignKey("table.column") naming a table or column no model or Table defines.
// SQLAlchemy fails at the first flush/create_all: "could not find table 'organizations' with which to generate a
// foreign key" / NoReferencedColumnError. Stays quiet where the target could live in code the run did not see.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/rule.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

// The run saw this MetaData's tables in that schema, and every one of them has a known name: a failed lookup is
// then a real miss rather than a table defined elsewhere.
bool schema_fully_seen(const TableModel& model, const std::string& metadata, const std::string& schema) {
  if (metadata.empty() || model.has_unnamed_tables(metadata)) return false;
  for (const TableDef& t : model.tables()) {
    if (t.metadata == metadata && t.schema == schema) return true;
  }
  return false;
}

// A table with this name in the schema exists somewhere in the project (another MetaData, or one ormlint could not
// attribute), or with a schema ormlint cannot read: do not guess which collection it is really in.
bool defined_anywhere(const TableModel& model, const std::string& schema, const std::string& name) {
  for (const TableDef* t : model.named(name)) {
    if (t->schema == schema || t->schema_unknown) return true;
  }
  return false;
}

// A class attribute of that name set by a call ormlint cannot see through (`id = primary_key("Organization")`, a
// project helper returning a Column): it may well be the column.
bool made_by_helper(const TableDef& table, const std::string& column) {
  if (!table.owner || !table.owner->def) return false;
  const ClassAttribute* attr = table.owner->def->attribute(column);
  return attr && attr->value && attr->value->is_call();
}

// Whether any definition of the target table (several with extend_existing) could hold the column.
bool column_may_exist(const TableModel& model, const TableDef& target, const std::string& column) {
  if (model.columns_unseen(target)) return true;
  for (const TableDef* t : model.find(target.metadata, target.schema, target.name)) {
    if (t->column(column) || made_by_helper(*t, column)) return true;
  }
  return target.column(column) != nullptr;
}

class ForeignKeyTargetMissing final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL413", "foreign-key-target-missing",
                               "ForeignKey names a table or column that no model or Table defines", Severity::Error,
                               Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    const TableModel& model = project.tables();
    // Tables of classes ormlint could not map (unresolved-model-base says so): a foreign key to one is not missing.
    std::set<std::string, std::less<>> unmapped;
    for (const ClassInfo& cls : project.classes()) {
      if (const ClassAttribute* name = cls.unmapped_table_name()) unmapped.insert(name->value->text);
    }
    std::set<std::pair<const ProjectFile*, uint32_t>> reported;
    for (const ForeignKeyDef& fk : model.foreign_keys()) {
      if (!fk.target_is_string || fk.target_table.empty() || !fk.file || !fk.table) continue;
      if (!fk.target && unmapped.count(fk.target_table)) continue;
      std::string message = problem(model, fk);
      if (message.empty() || !reported.insert({fk.file, fk.loc.line}).second) continue;
      out.report(*fk.file, fk.loc, message,
                 "use the table name (`__tablename__`, not the class name) and the database column name, or define "
                 "the missing table/column");
    }
  }

 private:
  static std::string problem(const TableModel& model, const ForeignKeyDef& fk) {
    const std::string written = "ForeignKey(\"" + fk.target_text + "\")";
    if (!fk.target) {
      const std::string& schema = fk.effective_target_schema;
      if (!schema_fully_seen(model, fk.table->metadata, schema)) return "";
      if (defined_anywhere(model, schema, fk.target_table)) return "";
      std::string qualified = schema.empty() ? fk.target_table : schema + "." + fk.target_table;
      return written + ": could not find table '" + qualified + "' in the MetaData of '" + fk.table->name + "'";
    }
    for (const std::string& column : fk.target_columns) {
      if (column.empty() || column_may_exist(model, *fk.target, column)) continue;
      return written + ": table '" + fk.target->qualified_name() + "' has no column '" + column + "'";
    }
    return "";
  }
};

ORMLINT_RULE(ForeignKeyTargetMissing);

}  // namespace

}  // namespace ormlint
