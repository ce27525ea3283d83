// foreign-key-target-not-unique: a foreign key whose target columns are neither the target table's primary
// key nor covered by one of its unique constraints or non-partial unique indexes, column for column —
// typically `ForeignKey("rack.num")` to one column of a composite primary key (num, datacenter_id), or to a
// plain column. PostgreSQL refuses the CREATE TABLE ("there is no unique constraint matching given keys for
// referenced table"), SQLite fails every insert once foreign keys are on ("foreign key mismatch"); only MySQL
// lets it pass.
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

using ColumnSet = std::set<std::string>;

// Whether ormlint sees every key of the table: all its columns (TableModel::columns_unseen), and no
// constraints from a `__table_args__` computed by a function.
bool keys_fully_seen(const TableModel& model, const TableDef& table) {
  if (model.columns_unseen(table)) return false;
  for (const TableDef* t : model.find(table.metadata, table.schema, table.name)) {
    if (t->table_args && !t->table_args->is(Expr::Kind::Tuple) && !t->table_args->is(Expr::Kind::Dict) &&
        !t->table_args->is(Expr::Kind::List)) {
      return false;
    }
  }
  return true;
}

// The column sets a foreign key may reference: the primary key, each unique column, each unique constraint
// and non-partial unique index (a partial one does not count: PostgreSQL wants it to cover every row).
std::vector<ColumnSet> referable_keys(const TableModel& model, const TableDef& table) {
  std::vector<ColumnSet> keys;
  ColumnSet primary;
  for (const TableDef* t : model.find(table.metadata, table.schema, table.name)) {
    for (const ColumnDef& c : t->columns) {
      if (c.primary_key) primary.insert(c.name);
      if (c.unique) keys.push_back({c.name});
    }
    for (const ConstraintDef* c : t->constraints) {
      if (c->unique && c->where.empty()) keys.emplace_back(c->columns.begin(), c->columns.end());
    }
  }
  if (!primary.empty()) keys.push_back(std::move(primary));
  return keys;
}

class ForeignKeyTargetNotUnique final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL417",
        "foreign-key-target-not-unique",
        "Foreign key to columns that are not the target's primary key or a unique key: "
        "PostgreSQL refuses the table",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    const TableModel& model = project.tables();
    std::set<std::pair<const ProjectFile*, uint32_t>> reported;
    for (const ForeignKeyDef& fk : model.foreign_keys()) {
      if (!fk.target || fk.target->name.empty() || !fk.file || fk.target_column_defs.empty() ||
          !keys_fully_seen(model, *fk.target)) {
        continue;
      }
      const bool all_found = std::all_of(fk.target_column_defs.begin(), fk.target_column_defs.end(),
                                         [](const ColumnDef* c) { return c && !c->name.empty(); });
      if (!all_found) continue;  // foreign-key-target-missing's case
      ColumnSet target;
      std::vector<std::string> names;
      for (const ColumnDef* c : fk.target_column_defs) {
        target.insert(c->name);
        names.push_back(c->name);
      }
      const std::vector<ColumnSet> keys = referable_keys(model, *fk.target);
      if (std::find(keys.begin(), keys.end(), target) != keys.end()) continue;
      if (!reported.insert({fk.file, fk.loc.start_byte}).second) continue;
      std::vector<std::string> primary;
      for (const ColumnDef& c : fk.target->columns) {
        if (c.primary_key) primary.push_back(c.name);
      }
      const std::string what = fk.target->qualified_name() + "(" + joined(names) + ")";
      std::string message = "the foreign key references `" + what + "`, which is neither `" +
                            fk.target->name + "`'s primary key";
      if (primary.size() > 1) message += " (" + joined(primary) + ")";
      message +=
          " nor a unique key: PostgreSQL refuses the table (\"there is no unique constraint matching given "
          "keys "
          "for referenced table\"), SQLite fails every insert with \"foreign key mismatch\"";
      std::string whole;
      for (const std::string& column : primary) {
        whole += (whole.empty() ? "\"" : ", \"") + fk.target->name + "." + column + "\"";
      }
      const std::string help =
          primary.size() > 1
              ? "reference the whole primary key, one column for each of its columns: "
                "`ForeignKeyConstraint([...], [" +
                    whole + "])` in `__table_args__`; or make the referenced column(s) unique"
              : "reference the primary key, or make the referenced column(s) unique (`unique=True`, a "
                "`UniqueConstraint`)";
      out.report(*fk.file, fk.loc, std::move(message), help);
    }
  }
};

ORMLINT_RULE(ForeignKeyTargetNotUnique);

}  // namespace

}  // namespace ormlint
