// unique-constraint-on-existing-table: upgrade() makes a column set unique on a table that already exists, in
// a way that builds the unique index while holding a lock: `op.create_unique_constraint` / `batch_op.
// create_unique_constraint` (ALTER TABLE ... ADD CONSTRAINT ... UNIQUE: ACCESS EXCLUSIVE, reads wait too),
// `create_index(..., unique=True)` without postgresql_concurrently=True (SHARE lock: writes wait), and
// `op.add_column` of a Column with `unique=True` (an ADD CONSTRAINT, or a unique CREATE INDEX with
// index=True), `CREATE UNIQUE INDEX` without CONCURRENTLY in an op.execute, and a primary key
// (`op.create_primary_key`, `ALTER TABLE ... ADD PRIMARY KEY (...)`: a unique index too). The build scans the
// whole table under that lock, then fails with UniqueViolation if duplicates exist — unless it cannot: a key
// column added just before with nothing in it (NULLs never collide) or a key holding the primary key; then
// the message speaks of the lock alone. Tables created earlier in the same upgrade() are new and empty:
// exempt, and so is every table of a root revision whose upgrade() first creates tables under names it
// computes.
#include <algorithm>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

bool is_true(const Expr* e) {
  return e && e->is_true();
}

std::string backticked(const std::string& name) {
  return name.empty() ? std::string() : "`" + name + "` ";
}

std::string existing_table(const OperationCall& op) {
  return op.table.empty() ? "an existing table" : "existing table `" + op.table + "`";
}

std::string table_sql(const OperationCall& op) {
  return op.table.empty() ? "<table>" : sql_identifier(op.table);
}

std::vector<std::string> lowered(std::vector<std::string> names) {
  for (std::string& name : names) name = lower(name);
  return names;
}

// The literal column names of create_unique_constraint (`columns=` or its third argument, as a batch counts).
std::vector<std::string> constraint_columns(const OperationCall& op) {
  std::vector<std::string> columns;
  const Expr* list = op.call.keyword("columns") ? op.call.keyword("columns") : op.argument(1);
  if (list && (list->kind == Expr::Kind::List || list->kind == Expr::Kind::Tuple)) {
    for (const Expr& item : list->items) {
      if (item.is_string()) columns.push_back(lower(item.text));
    }
  }
  return columns;
}

// Whether the rows the table holds can make the new unique key fail. Not when one of its columns was added
// earlier in this upgrade() with nothing in it (every row holds NULL there, and PostgreSQL's unique indexes
// never count NULLs as equal), nor when the key holds the whole primary key of the table as the models
// define it.
bool duplicates_possible(const Project& project, const RevisionInfo& revision, const OperationCall& op,
                         const std::vector<std::string>& columns) {
  if (op.table.empty() || columns.empty()) return true;
  const std::string table = lower(op.table);
  for (const std::string& column : columns) {
    if (column_all_null_at(revision, op, table, column)) return false;
  }
  std::span<const TableDef* const> defined = project.tables().named(op.table);
  if (defined.empty()) return true;
  return std::any_of(defined.begin(), defined.end(), [&](const TableDef* t) {
    bool has_key = false;
    for (const ColumnDef& c : t->columns) {
      if (!c.primary_key) continue;
      has_key = true;
      if (std::find(columns.begin(), columns.end(), lower(c.name)) == columns.end()) return true;
    }
    return !has_key;
  });
}

// The end of a message: what the build does when the table holds duplicates, where it can.
std::string and_duplicates(bool possible) {
  return possible ? ", and fails with UniqueViolation if the table holds duplicates" : "";
}

// What ADD PRIMARY KEY does on a table with rows (a drop + re-create of the key too: destructive-operation
// lets that swap pass, the build remains).
constexpr const char* kPrimaryKeyBuild =
    " builds its unique index (and makes its columns NOT NULL) under an ACCESS EXCLUSIVE lock: reads and "
    "writes wait for the whole scan, and it fails with UniqueViolation if two rows share the new key";

std::string primary_key_help(const std::string& table, const std::string& name) {
  return "build the unique index first with `CREATE UNIQUE INDEX CONCURRENTLY` (`op.create_index(..., "
         "unique=True, postgresql_concurrently=True)`) inside `with op.get_context().autocommit_block():`, "
         "then `ALTER TABLE " +
         table + " ADD CONSTRAINT " + (name.empty() ? "<name>" : sql_identifier(name)) +
         " PRIMARY KEY USING INDEX <index>` (check for duplicates first; a key column not NOT NULL yet is "
         "scanned under the lock there)";
}

class UniqueConstraintOnExistingTable final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL214",
        "unique-constraint-on-existing-table",
        "Unique constraint or unique index built on an existing table under a lock: blocks "
        "the table and fails if duplicates exist",
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
      if (op.function != "upgrade" || revision.creates_table_before(op)) continue;
      // A root revision that creates tables under names it computes may be indexing one of them: no earlier
      // revision created the table, so nothing says it exists (nova's initial migration, shadow tables).
      if (revision.creates_unread_table_in_root_before(op)) continue;
      if (!op.runs_on("postgresql")) continue;  // a branch for another database (`if dialect.name == "sqlite":`)
      if (reported.count(op.call.loc.start_byte)) continue;
      bool found = false;
      if (op.name == "create_primary_key") {
        found = report_primary_key(file, op, out);
      } else if (op.name == "create_unique_constraint") {
        found = report_constraint(file, op,
                                  duplicates_possible(project, revision, op, constraint_columns(op)), out);
      } else if (op.name == "create_index") {
        found = report_unique_index(
            file, op, duplicates_possible(project, revision, op, lowered(index_columns(op))), out);
      } else if (op.name == "add_column") {
        found = report_unique_column(file, op, out);
      } else if (op.name == "execute") {
        found = report_unique_sql_index(file, revision, op, out);
      }
      if (found) reported.insert(op.call.loc.start_byte);
    }
  }

 private:
  static bool report_constraint(const ProjectFile& file, const OperationCall& op, bool duplicates,
                                Reporter& out) {
    std::string name = constraint_name(op);
    out.report(
        file, op.call.loc,
        "unique constraint " + backticked(name) + "on " + existing_table(op) +
            " builds its index under an ACCESS EXCLUSIVE lock (reads and writes wait)" +
            and_duplicates(duplicates),
        "build the index first with `op.create_index(..., unique=True, postgresql_concurrently=True)` in "
        "`with op.get_context().autocommit_block():`, then `op.execute('ALTER TABLE " +
            table_sql(op) + " ADD CONSTRAINT " + (name.empty() ? "<name>" : sql_identifier(name)) +
            " UNIQUE USING INDEX <index>')`");
    return true;
  }

  // `op.create_primary_key(...)` (FlexMeasures re-creates the keys of its time-series tables): ADD PRIMARY
  // KEY builds a unique index under the ALTER's lock, like a unique constraint. No exemption for a key the
  // models define: they describe the new key, not the one the rows were unique under.
  static bool report_primary_key(const ProjectFile& file, const OperationCall& op, Reporter& out) {
    const std::string name = constraint_name(op);
    out.report(file, op.call.loc,
               "primary key " + backticked(name) + "on " + existing_table(op) + kPrimaryKeyBuild,
               primary_key_help(table_sql(op), name));
    return true;
  }

  static bool report_unique_index(const ProjectFile& file, const OperationCall& op, bool duplicates,
                                  Reporter& out) {
    if (!is_true(op.call.keyword("unique")) || may_run_concurrently(op)) return false;
    std::string name = index_name(op);
    out.report(file, op.call.loc,
               "unique index " + backticked(name) + "on " + existing_table(op) +
                   " is built without CONCURRENTLY: every write waits for the build" +
                   and_duplicates(duplicates),
               std::string("add `postgresql_concurrently=True` and move the call into `with "
                           "op.get_context().autocommit_block():`") +
                   (duplicates ? " (check for duplicates first)" : ""));
    return true;
  }

  // `op.execute("CREATE UNIQUE INDEX ix_attribute_unique ON attribute (...)")` (mwdb): the same build.
  static bool report_unique_sql_index(const ProjectFile& file, const RevisionInfo& revision,
                                      const OperationCall& op, Reporter& out) {
    for (const SqlIndexBuild& build : sql_index_builds(file.facts, op)) {
      if (!build.unique || build.concurrently || revision.creates_table_before(op, build.table)) continue;
      if (build.primary_key) {
        out.report(file, op.call.loc,
                   "ADD PRIMARY KEY " + backticked(build.name) + "on existing table `" + build.table + "`" +
                       kPrimaryKeyBuild,
                   primary_key_help(sql_identifier(build.table), build.name));
        return true;
      }
      if (build.constraint) {
        out.report(
            file, op.call.loc,
            "unique constraint " + backticked(build.name) + "on existing table `" + build.table +
                "` builds its index under an ACCESS EXCLUSIVE lock (reads and writes wait), and fails "
                "with UniqueViolation if the table holds duplicates",
            "build the index first with `CREATE UNIQUE INDEX CONCURRENTLY` inside `with "
            "op.get_context().autocommit_block():`, then `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING "
            "INDEX <index>` (check for duplicates first)");
        return true;
      }
      out.report(file, op.call.loc,
                 "unique index " + backticked(build.name) + "on existing table `" + build.table +
                     "` is built without CONCURRENTLY: every write waits for the build, and it fails with "
                     "UniqueViolation if the table holds duplicates",
                 "write `CREATE UNIQUE INDEX CONCURRENTLY ...` and run it inside `with "
                 "op.get_context().autocommit_block():` (check for duplicates first)");
      return true;
    }
    return false;
  }

  static bool report_unique_column(const ProjectFile& file, const OperationCall& op, Reporter& out) {
    const Expr* column = added_column_call(op);
    if (!column || !is_true(column->keyword("unique"))) return false;
    std::string name = op.column_name();
    const Expr* server_default = column->keyword("server_default");
    bool same_value = server_default && server_default->kind != Expr::Kind::None;
    out.report(
        file, op.call.loc,
        "`" + table_sql(op) + "." + (name.empty() ? "?" : name) +
            "` is added with unique=True: Alembic builds its unique index on " + existing_table(op) +
            " while the table is locked" +
            (same_value ? ", and server_default gives every existing row the same value: UniqueViolation "
                          "as soon as the table has two rows"
                        : ""),
        "add the column without `unique=True`, then build the index with `op.create_index(..., unique=True, "
        "postgresql_concurrently=True)` in `with op.get_context().autocommit_block():`");
    return true;
  }
};

ORMLINT_RULE(UniqueConstraintOnExistingTable);

}  // namespace

}  // namespace ormlint
