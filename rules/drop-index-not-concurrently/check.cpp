// drop-index-not-concurrently: upgrade() drops an index with `op.drop_index` / `batch_op.drop_index` without
// `postgresql_concurrently=True`. DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: reads wait
// too, and the lock request itself queues behind any long-running query, stalling every query that arrives
// after it. Exempt: tables created earlier in the same upgrade() (new and empty), tables dropped later in it
// (DROP TABLE takes the same lock anyway, and autogenerate writes drop_index before drop_table), and indexes
// whose column a drop_column of the same upgrade() removes (ALTER TABLE ... DROP COLUMN locks the same way,
// and drops the index with the column).
#include <algorithm>
#include <set>
#include <string>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// The columns of the index `name` on `table`, as a create_index of the project's revisions gives them.
std::set<std::string> columns_of_index(const Project& project, const std::string& table, const std::string& name) {
  std::set<std::string> columns;
  for (const auto& file : project.files()) {
    if (!file->facts.revision) continue;
    for (const OperationCall& op : file->facts.revision->operations) {
      if (op.name != "create_index" || op.table != table || index_name(op) != name) continue;
      for (std::string& column : index_columns(op)) columns.insert(std::move(column));
    }
  }
  return columns;
}

// A drop_column of the same function removes a column of the dropped index: a later one removes the index
// with it (the same lock), an earlier one has removed it already (PostgreSQL and MySQL drop an index with its
// column: privacyidea's drop_column("usercache", "expiration") then drop_index("ix_usercache_expiration") —
// no lock left to take). The index's columns come from the revisions' create_index, or from its name when it
// follows SQLAlchemy's default convention for `index=True` (`ix_<table>_<column>`).
bool column_dropped_in_function(const Project& project, const RevisionInfo& revision,
                                const OperationCall& op) {
  const std::string name = index_name(op);
  if (op.table.empty() || name.empty()) return false;
  std::set<std::string> columns;
  bool looked_up = false;
  for (const OperationCall& other : revision.operations) {
    if (&other == &op || other.function != op.function || other.name != "drop_column" ||
        other.table != op.table) {
      continue;
    }
    if (!looked_up) {
      columns = columns_of_index(project, op.table, name);
      looked_up = true;
    }
    const std::string column = other.column_name();
    if (columns.count(column) || name == "ix_" + std::string(op.table) + "_" + column) return true;
  }
  return false;
}

class DropIndexNotConcurrently final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL212",
        "drop-index-not-concurrently",
        "op.drop_index without postgresql_concurrently=True: takes an ACCESS EXCLUSIVE lock "
        "that blocks reads and writes",
        Severity::Warning,
        Profile::PostgreSQL,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    std::set<uint32_t> reported;  // a helper called twice is one finding
    for (const OperationCall& op : revision.operations) {
      // downgrade() is rollback code, run by hand in an emergency: the lock rules judge upgrade() only.
      if (op.function != "upgrade" || (op.name != "drop_index" && op.name != "execute")) continue;
      if (op.name == "drop_index" && may_run_concurrently(op)) continue;
      // Before or after the table's own drop (langflow drops the index after the table, `if_exists=True`).
      if (revision.creates_table_before(op) || table_operation_after(revision, op, "drop_table") ||
          table_operation_before(revision, op, "drop_table")) {
        continue;
      }
      if (!op.runs_on("postgresql")) continue;  // a branch for another database (`if dialect.name == "sqlite":`)
      if (op.name == "execute") {
        report_sql_drops(file, revision, op, out);
        continue;
      }
      if (column_dropped_in_function(project, revision, op)) continue;
      if (!reported.insert(op.call.loc.start_byte).second) continue;
      std::string name = index_name(op);
      std::string table = op.table.empty() ? "the table" : "`" + op.table + "`";
      out.report(file, op.call.loc,
                 "DROP INDEX " + (name.empty() ? std::string() : "`" + name + "` ") +
                     "takes an ACCESS EXCLUSIVE lock on " + table +
                     ": reads and writes wait, and queue behind any long-running query",
                 "drop it without blocking: `op.drop_index(..., postgresql_concurrently=True)` inside "
                 "`with op.get_context().autocommit_block():`");
    }
  }

 private:
  // `op.execute("DROP INDEX ix_events_created")` (quay): the same lock. Where the SQL names the table
  // (MySQL's `DROP INDEX ix ON t`), not for a table the same function created before or drops.
  static void report_sql_drops(const ProjectFile& file, const RevisionInfo& revision, const OperationCall& op,
                               Reporter& out) {
    std::string sql;
    if (!literal_sql(file.facts, executed_sql(op), sql)) return;
    for (const SqlDrop& drop : sql_drops(sql)) {
      if (drop.kind != SqlDrop::Kind::Index || drop.concurrently || sql_interpolates(sql, drop.name))
        continue;
      if (!drop.table.empty() && (revision.creates_table_before(op, drop.table) ||
                                  table_dropped_in_function(revision, op, drop.table))) {
        continue;
      }
      out.report(
          file, op.call.loc,
          "DROP INDEX `" + drop.name + "`" + (drop.table.empty() ? "" : " on `" + drop.table + "`") +
              " takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait, and queue behind any "
              "long-running query",
          "write `DROP INDEX CONCURRENTLY " + drop.name +
              "` and run it inside `with op.get_context().autocommit_block():`");
      return;  // one finding per operation
    }
  }

  static bool table_dropped_in_function(const RevisionInfo& revision, const OperationCall& op,
                                        const std::string& table) {
    return std::any_of(
        revision.operations.begin(), revision.operations.end(), [&](const OperationCall& other) {
          return other.function == op.function && other.name == "drop_table" && lower(other.table) == table;
        });
  }
};

ORMLINT_RULE(DropIndexNotConcurrently);

}  // namespace

}  // namespace ormlint
