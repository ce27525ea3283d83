// transaction-control-in-migration: `op.execute("COMMIT")` — or BEGIN, ROLLBACK, END, ABORT, START
// TRANSACTION, in any case, with a trailing `;`, through `sa.text(...)`, or as one statement of several — in
// upgrade() or downgrade(). Alembic runs the migration and its `alembic_version` update in one transaction it
// manages; SQL that ends or restarts it behind Alembic's back half-applies the migration when a later step
// fails, and leaves the version table out of step with the schema. Only top-level statements count: quoted
// strings, comments and the bodies of functions, DO blocks and triggers (their BEGIN ... END) are skipped,
// and so is SQL run inside `with op.get_context().autocommit_block():`, where Alembic holds no transaction.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

const std::string& word(const std::vector<std::string>& words, size_t i) {
  static const std::string none;
  return i < words.size() ? words[i] : none;
}

// `COMMIT` / `END` of the current transaction (not COMMIT PREPARED, which commits another).
bool is_commit(const std::vector<std::string>& words) {
  return (word(words, 0) == "COMMIT" || word(words, 0) == "END") && word(words, 1) != "PREPARED";
}

// What the statement does to the transaction, for the message; "" when it is not transaction control.
// ROLLBACK TO SAVEPOINT and COMMIT/ROLLBACK PREPARED leave the current transaction alone.
std::string transaction_effect(const std::vector<std::string>& words, const std::string& function) {
  const std::string& first = word(words, 0);
  bool savepoint = word(words, 1) == "TO" || word(words, 2) == "TO";
  bool prepared = word(words, 1) == "PREPARED";
  if (is_commit(words)) {
    std::string recorded = function == "upgrade" ? "previous" : "current";
    return "commits Alembic's transaction early: if a later step fails, the steps before it stay applied "
           "while `alembic_version` still names the " +
           recorded + " revision, so running the migration again fails on them";
  }
  if ((first == "ROLLBACK" || first == "ABORT") && !savepoint && !prepared) {
    return "rolls back everything the migration did so far, yet Alembic carries on and records the revision "
           "as "
           "applied";
  }
  if ((first == "BEGIN" && begins_transaction(word(words, 1))) || (first == "START" && word(words, 1) == "TRANSACTION")) {
    return "starts a transaction inside Alembic's: PostgreSQL ignores it with a warning, MySQL commits the "
           "migration so far, SQLite fails (\"cannot start a transaction within a transaction\")";
  }
  return "";
}

// The step of `function` right after `loc` (the next operation or call in the source) runs inside
// `with op.get_context().autocommit_block():`. That block commits Alembic's transaction itself before it runs
// (warehouse writes `op.get_bind().commit()` just before it): a COMMIT there only does what the block does
// next.
bool next_step_in_autocommit_block(const RevisionInfo& revision, const std::string& function,
                                   const Location& loc) {
  uint32_t next = UINT32_MAX;
  bool in_block = false;
  auto consider = [&](const std::string_view step_function, const Location& at, bool autocommit) {
    if (step_function != function || at.start_byte < loc.end_byte || at.start_byte >= next) return;
    next = at.start_byte;
    in_block = autocommit;
  };
  for (const OperationCall& op : revision.operations)
    consider(op.function, op.call.loc, op.in_autocommit_block);
  for (const RevisionCall& call : revision.calls)
    consider(call.function, call.call.loc, call.in_autocommit_block);
  return in_block;
}

std::string shown_statement(const std::vector<std::string>& words) {
  std::string text = word(words, 0);
  if (word(words, 0) == "START" || word(words, 1) == "WORK" || word(words, 1) == "TRANSACTION") {
    text += " " + word(words, 1);
  }
  return text;
}

constexpr const char* kFix =
    "remove it; for a statement that cannot run in a transaction (ALTER TYPE ... ADD VALUE, CREATE INDEX "
    "CONCURRENTLY) use `with op.get_context().autocommit_block():`";

class TransactionControlInMigration final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL216",
        "transaction-control-in-migration",
        "op.execute(\"COMMIT\") / BEGIN / ROLLBACK in a revision: ends Alembic's transaction, "
        "half-applies the migration and desynchronises alembic_version",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    std::set<uint32_t> reported;  // a helper called from upgrade() and downgrade() is one finding, not two
    for (const OperationCall& op : file.facts.revision->operations) {
      // Inside autocommit_block() Alembic holds no transaction: the connection autocommits, and an explicit
      // BEGIN ... COMMIT there only groups statements of its own.
      std::string sql;
      if (!sql_run_in_transaction(file.facts, op, sql)) continue;
      // Through the migration's own connection (`op.get_bind().execute(text("COMMIT"))`, augur): the
      // connection Alembic's transaction runs on.
      const std::string via =
          op.through_connection ? " through `" + op.receiver + "." + std::string(op.call.callee_name()) + "`"
                                : "";
      report_first(file, sql, op.function, op.call.loc, via, reported, out);
    }
    for (const RevisionCall& call : file.facts.revision->calls) {
      if (call.in_autocommit_block) continue;
      // The same statements sent through another execute (a session's, an engine's).
      for (const ConnectionSql& sent : connection_sql(file.facts, call)) {
        report_first(file, sent.sql, call.function, sent.execute->loc,
                     " through `" + sent.execute->target->text + "`", reported, out);
      }
      // The connection's own methods: `bind = op.get_bind()` ... `bind.commit()`, as SQLAlchemy 2.0 data
      // migrations write it, commits Alembic's transaction just the same.
      call.call.walk([&](const Expr& e) {
        const std::string_view method = e.callee_name();
        if (method != "commit" && method != "rollback") return;
        const Expr* receiver = e.target->target.get();
        // The DBAPI connection underneath (`op.get_bind().connection.dbapi_connection.commit()`, phoenix) is
        // the same connection, its transaction the same.
        while (receiver && receiver->kind == Expr::Kind::Attribute &&
               (receiver->name == "connection" || receiver->name == "dbapi_connection" ||
                receiver->name == "driver_connection")) {
          receiver = receiver->target.get();
        }
        if (!receiver || !receiver->is_call() || receiver->origin() != "alembic.op.get_bind") return;
        report_first(file, std::string(method), call.function, e.loc, " through `" + e.target->text + "()`",
                     reported, out);
      });
    }
  }

 private:
  // The first statement of `sql` that ends, aborts or opens the transaction, once per place. `via` says how the
  // SQL was sent when not by op.execute.
  static void report_first(const ProjectFile& file, const std::string& sql, const std::string& function,
                           const Location& loc, const std::string& via, std::set<uint32_t>& reported, Reporter& out) {
    const RevisionInfo& revision = *file.facts.revision;
    for (const SqlStatement& statement : split_sql(sql)) {
      std::string effect = transaction_effect(statement.words, function);
      if (effect.empty()) continue;
      if (is_commit(statement.words) && next_step_in_autocommit_block(revision, function, loc)) return;
      if (!reported.insert(loc.start_byte).second) return;
      out.report(file, loc, "`" + shown_statement(statement.words) + "`" + via + " in " + function + "() " + effect,
                 kFix);
      return;
    }
  }
};

ORMLINT_RULE(TransactionControlInMigration);

}  // namespace

}  // namespace ormlint
