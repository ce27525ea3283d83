// transaction-control-in-migration: `op.execute("COMMIT")` — or BEGIN, ROLLBACK, END, ABORT, START
// TRANSACTION, in any case, with a trailing `;`, through `sa.text(...)`, or as one statement of several — in
// upgrade() or downgrade(). Alembic runs the migration and its `alembic_version` update in one transaction it
// manages; SQL that ends or restarts it behind Alembic's back half-applies the migration when a later step
// fails, and leaves the version table out of step with the schema. Only top-level statements count: quoted
// strings, comments and the bodies of functions, DO blocks and triggers (their BEGIN ... END) are skipped,
// and so is SQL run inside `with op.get_context().autocommit_block():`, where Alembic holds no transaction.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// Splits SQL into statements of upper-cased words. Quoted strings and identifiers, dollar-quoted bodies and
// comments are skipped; a CREATE statement's BEGIN ... END / CASE ... END blocks (SQLite and MySQL triggers
// and procedures) keep their inner `;` and END inside the statement.
class StatementSplitter {
 public:
  explicit StatementSplitter(std::string_view sql) : sql_(sql) {}

  std::vector<std::vector<std::string>> split() {
    while (at_ < sql_.size()) step();
    finish_word();
    end_statement();
    return statements_;
  }

 private:
  void step() {
    char c = sql_[at_];
    if (c == '\\') {
      finish_word();  // an escape as written in the Python source (`"COMMIT;\nBEGIN"`, `\'`): a separator
      at_ += 2;
    } else if (sql_.compare(at_, 2, "--") == 0) {
      finish_word();
      at_ = std::min(sql_.size(), sql_.find('\n', at_));
    } else if (sql_.compare(at_, 2, "/*") == 0) {
      finish_word();
      size_t close = sql_.find("*/", at_ + 2);
      at_ = close == std::string_view::npos ? sql_.size() : close + 2;
    } else if (c == '\'' || c == '"' || c == '`') {
      skip_quoted(c);
    } else if (c == '$' && skip_dollar_quoted()) {
      // skipped
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word_ += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ++at_;
    } else {
      finish_word();
      if (c == ';') {
        resolve_pending_end();
        if (depth_ == 0) end_statement();
      }
      ++at_;
    }
  }

  void skip_quoted(char quote) {
    finish_word();
    current_.push_back("<quoted>");
    size_t close = sql_.find(quote, at_ + 1);
    at_ = close == std::string_view::npos ? sql_.size() : close + 1;
  }

  // `$$ ... $$` or `$body$ ... $body$`; false when the `$` starts no tag (a `$1` parameter).
  bool skip_dollar_quoted() {
    size_t end = at_ + 1;
    while (end < sql_.size() && (std::isalnum(static_cast<unsigned char>(sql_[end])) || sql_[end] == '_'))
      ++end;
    if (end >= sql_.size() || sql_[end] != '$' ||
        (end > at_ + 1 && std::isdigit(static_cast<unsigned char>(sql_[at_ + 1])))) {
      return false;
    }
    finish_word();
    std::string_view tag = sql_.substr(at_, end - at_ + 1);
    size_t close = sql_.find(tag, end + 1);
    at_ = close == std::string_view::npos ? sql_.size() : close + tag.size();
    current_.push_back("<body>");
    return true;
  }

  void finish_word() {
    if (word_.empty()) return;
    track_blocks(word_);
    current_.push_back(std::move(word_));
    word_.clear();
  }

  // Inside CREATE TRIGGER/FUNCTION/PROCEDURE: BEGIN and CASE open a block that END closes, except `END IF`,
  // `END LOOP`, ... which close constructs that never opened one here.
  void track_blocks(const std::string& word) {
    if (pending_end_) {
      pending_end_ = false;
      bool closes_other =
          word == "IF" || word == "LOOP" || word == "WHILE" || word == "REPEAT" || word == "FOR";
      if (!closes_other && depth_ > 0) --depth_;
      if (word == "CASE" || closes_other) return;  // `END CASE`: the closing word, not a new CASE
    }
    if (current_.empty() || current_.front() != "CREATE") return;
    if (word == "BEGIN" || word == "CASE") {
      ++depth_;
    } else if (word == "END" && depth_ > 0) {
      pending_end_ = true;
    }
  }

  // `END;`: a bare END closes the innermost block.
  void resolve_pending_end() {
    if (pending_end_ && depth_ > 0) --depth_;
    pending_end_ = false;
  }

  void end_statement() {
    resolve_pending_end();
    if (!current_.empty()) statements_.push_back(std::move(current_));
    current_.clear();
    depth_ = 0;
  }

  std::string_view sql_;
  size_t at_ = 0;
  std::string word_;
  std::vector<std::string> current_;
  std::vector<std::vector<std::string>> statements_;
  int depth_ = 0;
  bool pending_end_ = false;
};

const std::string& word(const std::vector<std::string>& words, size_t i) {
  static const std::string none;
  return i < words.size() ? words[i] : none;
}

// What the statement does to the transaction, for the message; "" when it is not transaction control.
// ROLLBACK TO SAVEPOINT and COMMIT/ROLLBACK PREPARED leave the current transaction alone.
std::string transaction_effect(const std::vector<std::string>& words, const std::string& function) {
  const std::string& first = word(words, 0);
  bool savepoint = word(words, 1) == "TO" || word(words, 2) == "TO";
  bool prepared = word(words, 1) == "PREPARED";
  if ((first == "COMMIT" || first == "END") && !prepared) {
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
  if (first == "BEGIN" || (first == "START" && word(words, 1) == "TRANSACTION")) {
    return "starts a transaction inside Alembic's: PostgreSQL ignores it with a warning, MySQL commits the "
           "migration so far, SQLite fails (\"cannot start a transaction within a transaction\")";
  }
  return "";
}

std::string shown_statement(const std::vector<std::string>& words) {
  std::string text = word(words, 0);
  if (word(words, 0) == "START" || word(words, 1) == "WORK" || word(words, 1) == "TRANSACTION") {
    text += " " + word(words, 1);
  }
  return text;
}

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
      for (const auto& statement : StatementSplitter(sql).split()) {
        std::string effect = transaction_effect(statement, op.function);
        if (effect.empty()) continue;
        if (!reported.insert(op.call.loc.start_byte).second) break;
        out.report(
            file, op.call.loc, "`" + shown_statement(statement) + "` in " + op.function + "() " + effect,
            "remove it; for a statement that cannot run in a transaction (ALTER TYPE ... ADD VALUE, CREATE "
            "INDEX CONCURRENTLY) use `with op.get_context().autocommit_block():`");
        break;
      }
    }
  }
};

ORMLINT_RULE(TransactionControlInMigration);

}  // namespace

}  // namespace ormlint
