// concurrent-index-in-transaction: `op.create_index(..., postgresql_concurrently=True)` or the same
// drop_index outside `with op.get_context().autocommit_block():`. Alembic runs each migration inside a
// transaction, and PostgreSQL refuses `CREATE INDEX CONCURRENTLY cannot run inside a transaction block`: the
// migration fails. Judged in downgrade() too — unlike the lock rules, this is not a slowdown but a rollback
// that cannot run.
#include <set>
#include <string>
#include <vector>

#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

class ConcurrentIndexInTransaction final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL213",
        "concurrent-index-in-transaction",
        "postgresql_concurrently=True (or CONCURRENTLY in SQL) outside autocommit_block(): "
        "PostgreSQL refuses CONCURRENTLY inside the migration's transaction",
        Severity::Error,
        Profile::PostgreSQL,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    std::set<uint32_t> reported;  // a helper called from upgrade() and downgrade() is one finding, not two
    for (const OperationCall& op : file.facts.revision->operations) {
      if (!op.runs_on("postgresql")) continue;  // a branch for another database (`if dialect.name == "sqlite":`)
      if (op.name == "execute") check_sql(file, op, reported, out);
      if (op.name != "create_index" && op.name != "drop_index") continue;
      // After an `op.execute("COMMIT")` no transaction is open (hypothesis' migrations): the COMMIT is
      // transaction-control-in-migration's finding.
      if (!declares_concurrently(op) || op.in_autocommit_block || committed_before(file.facts, op)) continue;
      if (!reported.insert(op.call.loc.start_byte).second) continue;
      std::string statement =
          op.name == "create_index" ? "CREATE INDEX CONCURRENTLY" : "DROP INDEX CONCURRENTLY";
      report(file, op, statement, index_name(op),
             "move the call into `with op.get_context().autocommit_block():`", out);
    }
  }

 private:
  // `op.execute("CREATE INDEX CONCURRENTLY ...")` (or DROP INDEX / REINDEX ... CONCURRENTLY) in the
  // transaction: the same refusal. Not after an `op.execute("COMMIT")`, which
  // transaction-control-in-migration reports.
  static void check_sql(const ProjectFile& file, const OperationCall& op, std::set<uint32_t>& reported,
                        Reporter& out) {
    std::string sql;
    if (!sql_run_in_transaction(file.facts, op, sql) || committed_before(file.facts, op)) return;
    for (const SqlStatement& statement : split_sql(sql)) {
      const std::string refused = concurrent_statement(statement.words);
      if (refused.empty() || !reported.insert(op.call.loc.start_byte).second) continue;
      report(file, op, refused, "", "run the SQL inside `with op.get_context().autocommit_block():`", out);
      return;
    }
  }

  // "CREATE INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY" or "REINDEX CONCURRENTLY" for a statement that is
  // one (its upper-case words); "" otherwise.
  static std::string concurrent_statement(const std::vector<std::string>& words) {
    auto word = [&](size_t i) { return i < words.size() ? words[i] : std::string(); };
    if (word(0) == "CREATE" && word(word(1) == "UNIQUE" ? 2 : 1) == "INDEX" &&
        word(word(1) == "UNIQUE" ? 3 : 2) == "CONCURRENTLY") {
      return "CREATE INDEX CONCURRENTLY";
    }
    if (word(0) == "DROP" && word(1) == "INDEX" && word(2) == "CONCURRENTLY")
      return "DROP INDEX CONCURRENTLY";
    if (word(0) == "REINDEX" && (word(2) == "CONCURRENTLY" || word(3) == "CONCURRENTLY")) {
      return "REINDEX CONCURRENTLY";
    }
    return "";
  }

  static void report(const ProjectFile& file, const OperationCall& op, const std::string& statement,
                     const std::string& name, const std::string& help, Reporter& out) {
    out.report(file, op.call.loc,
               statement + (name.empty() ? std::string() : " `" + name + "`") +
                   " runs inside the transaction of " + op.function + "(): PostgreSQL fails with \"" +
                   statement + " cannot run inside a transaction block\"",
               help);
  }
};

ORMLINT_RULE(ConcurrentIndexInTransaction);

}  // namespace

}  // namespace ormlint
