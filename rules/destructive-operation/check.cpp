// destructive-operation: upgrade() drops a table, a column or a primary key. The rows or values are gone for good
// (a downgrade re-creates the structure, not the data), and the application version still running while the
// migration is deployed keeps reading what was dropped.
#include <string>
#include <string_view>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/revision_builder.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// drop_constraint(..., type_="primary"); `type_` is the second argument after the table.
bool drops_primary_key(const OperationCall& op) {
  const Expr* type = op.call.keyword("type_");
  if (!type) type = op.argument(1);
  return type && type->is_string() && type->text == "primary";
}

bool drops_something(const OperationCall& op) {
  return op.name == "drop_table" || op.name == "drop_column" || op.name == "drop_constraint";
}

// `ALTER TABLE [IF EXISTS] [ONLY] <table> ... ADD ... PRIMARY KEY`: a primary key constraint, or a column
// that is one (`ADD COLUMN id SERIAL PRIMARY KEY`).
bool sql_adds_primary_key(std::string_view sql, const std::string& table) {
  for (const SqlStatement& statement : split_sql(sql)) {
    SqlWords words(statement.text);
    if (!words.next_is("alter") || !words.next_is("table")) continue;
    if (words.next_is("if")) words.next_is("exists");
    words.next_is("only");
    if (unqualified_name(words.take()) != table) continue;
    bool adding = false;
    for (std::string word = words.take(); !word.empty(); word = words.take()) {
      if (word == "add") adding = true;
      if (adding && word == "primary" && words.next_is("key")) return true;
    }
  }
  return false;
}

// A primary key swap: the same upgrade() creates the table's new primary key after dropping the old one, with
// create_primary_key(...) or in SQL (dispatch: `op.execute("ALTER TABLE link ADD COLUMN id SERIAL PRIMARY
// KEY")`).
bool primary_key_replaced(const ModuleFacts& module, const RevisionInfo& revision, const OperationCall& op) {
  if (table_operation_after(revision, op, "create_primary_key")) return true;
  const std::string table = unqualified_name(lower(op.table));
  if (table.empty()) return false;
  for (const OperationCall& later : revision.operations) {
    std::string sql;
    if (later.function == op.function && later.call.loc.start_byte > op.call.loc.start_byte &&
        later.name == "execute" && literal_sql(module, executed_sql(later), sql) &&
        sql_adds_primary_key(sql, table)) {
      return true;
    }
  }
  return false;
}

// The same function creates a table of the dropped name after the drop (nova drops `share_mapping` and
// creates it again with a unique key): the name is back when the migration commits, so the running
// application finds an empty table, not a missing one.
bool created_again(const RevisionInfo& revision, const OperationCall& drop, const std::string& table) {
  return (drop.name == "drop_table" && table_operation_after(revision, drop, "create_table")) ||
         revision.creates_table_after(drop, table);
}

class DestructiveOperation final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL221", "destructive-operation",
                               "upgrade() drops a table, a column or a primary key: the data is gone and the running "
                               "application still reads it",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const OperationCall& op : revision.operations) {
      // downgrade() undoes this revision on purpose; a table this upgrade() created holds no data yet.
      if (op.function == "upgrade" && op.name == "execute") check_sql(file, revision, op, out);
      if (op.function != "upgrade" || !drops_something(op) || revision.creates_table_before(op)) continue;
      if (op.name == "drop_table") {
        // A rebuild (the rows copied into a new table that takes the name) keeps the data and the name; a
        // tool's table holds none.
        if (table_rebuilt(file.facts, op) || is_tool_table(op.table)) continue;
        report_table_drop(file, op, written_table(revision, op).shown(),
                          created_again(revision, op, op.table), out);
      } else if (op.name == "drop_column") {
        // Added earlier in this upgrade(): dropping it removes a temporary column, not existing data. Swapped
        // for a copy that takes its name: the column is there when the migration commits.
        if (column_added_before(revision, op) || column_swapped(file.facts, op)) continue;
        report_column_drop(file, op, shown_column(revision, op), out);
      } else if (op.name == "drop_constraint" && drops_primary_key(op) &&
                 !primary_key_replaced(file.facts, revision, op)) {
        std::string constraint = constraint_name(op);
        if (constraint.empty()) constraint = "<name>";
        out.report(file, op.call.loc,
                   "upgrade() drops the primary key `" + constraint + "` of `" + written_table(revision, op).shown() +
                       "` without creating a new one: duplicate rows can be inserted, and the ORM can no longer "
                       "identify rows to update or delete",
                   "create the new primary key (`create_primary_key(...)`) in the same upgrade(), right after the drop");
      }
    }
  }

 private:
  // Tables tools keep, no application data: sqlalchemy-migrate's `migrate_version`, dropped on moving to
  // Alembic (cinder, nova), and `_alembic_tmp_<table>`, the copy a batch_alter_table that failed on SQLite
  // leaves behind (langflow, open-webui clean it up).
  static bool is_tool_table(std::string_view table) {
    return table == "migrate_version" || lower(table).starts_with("_alembic_tmp_");
  }

  // The same drops written as SQL (`op.execute("ALTER TABLE api_key DROP COLUMN shortname")`, ichnaea), but
  // of a table this upgrade() created or a column it added (a staging table, a scratch column).
  static void check_sql(const ProjectFile& file, const RevisionInfo& revision, const OperationCall& op,
                        Reporter& out) {
    std::string sql;
    if (!literal_sql(file.facts, executed_sql(op), sql)) return;
    for (const SqlDrop& drop : sql_drops(sql)) {
      // Names an f-string fills in (`{table}`, a loop over tables) are unknown, not these words.
      if ((drop.table + drop.name).find_first_of("{}%") != std::string::npos) continue;
      // A table this SQL creates first (a TEMPORARY one), or rebuilt into a copy that takes its name.
      if (drop.kind == SqlDrop::Kind::Table && !revision.creates_table_before(op, drop.name) &&
          !sql_creates_table(op, drop.name) && !table_rebuilt(file.facts, op, drop.name) &&
          !is_tool_table(drop.name)) {
        report_table_drop(file, op, drop.name, created_again(revision, op, drop.name), out);
      } else if (drop.kind == SqlDrop::Kind::Column && !revision.creates_table_before(op, drop.table) &&
                 !column_added_before(revision, op, drop.table, drop.name) &&
                 !column_renamed_into_place(revision, op, drop.table, drop.name)) {
        report_column_drop(file, op, drop.table + "." + drop.name, out);
      }
    }
  }

  static void report_table_drop(const ProjectFile& file, const OperationCall& op, const std::string& table,
                                bool recreated, Reporter& out) {
    if (recreated) {
      out.report(
          file, op.call.loc,
          "upgrade() drops and re-creates table `" + table +
              "`: every row it holds is lost, and the application finds it empty",
          "alter the old table instead (add the column or constraint to it), or keep the rows: rename it "
          "away first (`op.rename_table(\"" +
              table + "\", \"" + table +
              "_old\")`), create the new one, "
              "copy the rows (`INSERT INTO " +
              table + " (...) SELECT ... FROM " + table + "_old`), then drop the old one");
      return;
    }
    out.report(
        file, op.call.loc,
        "upgrade() drops table `" + table +
            "` with all its rows; the application version still running during the deploy fails on it "
            "with UndefinedTable",
        "deploy code that no longer uses `" + table +
            "` first, keep a copy of the data (backup or archive table), then drop it in a later migration");
  }

  static void report_column_drop(const ProjectFile& file, const OperationCall& op, const std::string& column,
                                 Reporter& out) {
    out.report(
        file, op.call.loc,
        "upgrade() drops `" + column +
            "` and its data; the application version still running during the deploy selects it and "
            "fails with UndefinedColumn",
        "expand/contract: deploy code that no longer reads `" + column +
            "` first (remove it from the model), keep a copy of the data, then drop it in a later migration");
  }
};

ORMLINT_RULE(DestructiveOperation);

}  // namespace

}  // namespace ormlint
