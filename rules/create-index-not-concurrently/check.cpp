// create-index-not-concurrently: upgrade() builds an index on a table that already exists without
// `postgresql_concurrently=True`: `op.create_index` / `batch_op.create_index`, `op.add_column` of a column
// with `index=True` (Alembic follows the ADD COLUMN with a CREATE INDEX), and `CREATE INDEX` without
// CONCURRENTLY in an op.execute. A plain CREATE INDEX holds a SHARE lock on the table for the whole build, so
// every INSERT, UPDATE and DELETE waits — minutes on a large table. Unique indexes are left to
// unique-constraint-on-existing-table, which says the same and warns about duplicates, so one line never
// carries two findings. Tables created earlier in the same upgrade() are new and empty: exempt, and so is
// every table of a root revision whose upgrade() first creates tables under names it computes.
#include <set>
#include <string>

#include "engine/rule.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

bool is_true(const Expr* e) {
  return e && e->is_true();
}

std::string existing_table(const OperationCall& op) {
  return op.table.empty() ? "an existing table" : "existing table `" + op.table + "`";
}

const char* const kConcurrentHelp =
    "build it without blocking writes: `op.create_index(..., postgresql_concurrently=True)` inside "
    "`with op.get_context().autocommit_block():`";

class CreateIndexNotConcurrently final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL211",
        "create-index-not-concurrently",
        "Index built on an existing table without postgresql_concurrently=True: writes to "
        "the table block for the whole build",
        Severity::Warning,
        Profile::PostgreSQL,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
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
      if (op.name == "create_index") {
        if (may_run_concurrently(op) || is_true(op.call.keyword("unique"))) continue;
        if (!reported.insert(op.call.loc.start_byte).second) continue;
        std::string name = index_name(op);
        out.report(file, op.call.loc,
                   "CREATE INDEX " + (name.empty() ? std::string() : "`" + name + "` ") + "on " +
                       existing_table(op) +
                       " takes a SHARE lock: every write to the table waits until the index is built",
                   kConcurrentHelp);
      } else if (op.name == "add_column") {
        check_add_column(file, op, reported, out);
      } else if (op.name == "execute") {
        check_sql(file, revision, op, out);
      }
    }
  }

 private:
  // `op.execute("CREATE INDEX ix_logs_created ON request_logs USING BRIN (created_at)")` (mem0): the same
  // build.
  static void check_sql(const ProjectFile& file, const RevisionInfo& revision, const OperationCall& op,
                        Reporter& out) {
    for (const SqlIndexBuild& build : sql_index_builds(file.facts, op)) {
      if (build.unique || build.concurrently || revision.creates_table_before(op, build.table)) continue;
      out.report(file, op.call.loc,
                 "CREATE INDEX " + (build.name.empty() ? std::string() : "`" + build.name + "` ") +
                     "on existing table `" + build.table +
                     "` takes a SHARE lock: every write to the table waits until the index is built",
                 "write `CREATE INDEX CONCURRENTLY ...` and run it inside `with "
                 "op.get_context().autocommit_block():`");
      return;  // one finding per operation
    }
  }

  static void check_add_column(const ProjectFile& file, const OperationCall& op, std::set<uint32_t>& reported,
                               Reporter& out) {
    const Expr* column = added_column_call(op);
    if (!column || !is_true(column->keyword("index")) || is_true(column->keyword("unique"))) return;
    if (!reported.insert(op.call.loc.start_byte).second) return;
    std::string name = op.column_name();
    std::string shown = (op.table.empty() ? "?" : op.table) + "." + (name.empty() ? "?" : name);
    out.report(file, op.call.loc,
               "`" + shown + "` is added with index=True: Alembic then runs CREATE INDEX on " +
                   existing_table(op) + ", which blocks every write until the index is built",
               "drop `index=True` and add the index with `op.create_index(..., "
               "postgresql_concurrently=True)` inside "
               "`with op.get_context().autocommit_block():`");
  }
};

ORMLINT_RULE(CreateIndexNotConcurrently);

}  // namespace

}  // namespace ormlint
