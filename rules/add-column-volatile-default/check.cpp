// add-column-volatile-default: upgrade() adds a column to an existing table with a value PostgreSQL must
// compute for every row: a server_default calling a volatile function (`gen_random_uuid()`,
// `clock_timestamp()`, `nextval(...)`), an identity or a stored generated column (`sa.Identity()`,
// `sa.Computed(...)`). Since PostgreSQL 11 a constant (or stable: `now()`) default is a catalog-only change;
// these rewrite the whole table under an ACCESS EXCLUSIVE lock. Also `ADD COLUMN ... DEFAULT <volatile>` in
// SQL.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/column_label.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// PostgreSQL's volatile functions a default calls (pg_proc.provolatile = 'v'); `now()` and
// `current_timestamp` are stable: one value per transaction, stored once.
// `next_value` is SQLAlchemy's `sa.Sequence("s").next_value()`, rendered `nextval('s')`.
constexpr std::array<std::string_view, 11> kVolatile = {
    "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
    "uuidv7",          "clock_timestamp",  "timeofday",          "random",
    "nextval",         "next_value",       "txid_current"};

// The volatile function `text` calls (lower case), or "". SQL string literals ('random(1)') call nothing.
std::string volatile_call(std::string_view text) {
  std::string lowered;
  bool quoted = false;
  for (char c : lower(text)) {
    if (c == '\'')
      quoted = !quoted;
    else if (!quoted)
      lowered += c;
  }
  for (std::string_view name : kVolatile) {
    for (size_t at = lowered.find(name); at != std::string::npos; at = lowered.find(name, at + 1)) {
      const bool starts_word =
          at == 0 || !(std::isalnum(static_cast<unsigned char>(lowered[at - 1])) || lowered[at - 1] == '_');
      size_t after = at + name.size();
      while (after < lowered.size() && lowered[after] == ' ') ++after;
      if (starts_word && after < lowered.size() && lowered[after] == '(') return std::string(name) + "()";
    }
  }
  return "";
}

class AddColumnVolatileDefault final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL218",
        "add-column-volatile-default",
        "Column added to an existing table with a volatile default, an identity or a stored "
        "generated value: PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock",
        Severity::Warning,
        Profile::PostgreSQL,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const OperationCall& op : revision.operations) {
      // downgrade() is rollback code, run by hand in an emergency: the lock rules judge upgrade() only.
      if (op.function != "upgrade" || !op.runs_on("postgresql")) continue;
      if (op.name == "execute") {
        check_sql(file, revision, op, out);
        continue;
      }
      if (op.name != "add_column" || revision.creates_table_before(op) || revision.empties_table_before(op))
        continue;
      const Expr* column = added_column_call(op);
      if (!column) continue;
      const std::string what = filled_by(file, *column);
      if (what.empty()) continue;
      const std::string label = written_table(revision, op).shown() + "." + written_column(op).shown();
      out.report(
          file, op.call.loc,
          "`" + label + "` is added with " + what +
              ": PostgreSQL computes it for every existing row, rewriting the whole table under an ACCESS "
              "EXCLUSIVE lock (reads and writes wait)",
          "add the column without it (nullable, or with a constant default), fill the existing rows in "
          "batches, then set the default for new rows with `op.alter_column(..., server_default=...)`");
    }
  }

 private:
  // What makes PostgreSQL fill every row of the added column: "a volatile default (`gen_random_uuid()`)",
  // "an identity", "a stored generated value"; "" otherwise.
  static std::string filled_by(const ProjectFile& file, const Expr& column) {
    // The SQL of `sa.text("...")`, or the expression as written (`sa.func.clock_timestamp()`). A plain string
    // is no SQL: Alembic quotes it, `DEFAULT 'gen_random_uuid()'`, a constant.
    const Expr* server_default = column.keyword("server_default");
    if (server_default && !server_default->is_string()) {
      const Expr* sql = server_default->is_call() && server_default->callee_name() == "text"
                            ? server_default->arg(0)
                            : nullptr;
      const std::string call = volatile_call(sql && sql->is_string() ? std::string(sql->text)
                                                                     : file.written(*server_default, 400));
      if (!call.empty()) return "a volatile default (`" + call + "`)";
    }
    for (const Expr& item : column.items) {
      if (!item.is_call()) continue;
      if (item.origin() == "sqlalchemy.Identity") return "an identity (every row gets a sequence value)";
      if (item.origin() == "sqlalchemy.Computed") {
        const Expr* persisted = item.keyword("persisted");
        if (!persisted || !persisted->is_false()) return "a stored generated value (`sa.Computed(...)`)";
      }
    }
    return "";
  }

  // `op.execute("ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()")`.
  static void check_sql(const ProjectFile& file, const RevisionInfo& revision, const OperationCall& op,
                        Reporter& out) {
    std::string sql;
    if (!literal_sql(file.facts, executed_sql(op), sql)) return;
    for (const SqlStatement& statement : split_sql(sql)) {
      SqlWords words(statement.text);
      const std::string table = altered_table(words);
      if (table.empty() || revision.creates_table_before(op, table) || !words.next_is("add")) continue;
      const std::string text = lower(statement.text);
      const size_t at_default = text.find(" default ");
      std::string call = at_default == std::string::npos ? "" : volatile_call(text.substr(at_default));
      // The statement's words (upper case, string literals one "<quoted>"): GENERATED ... [STORED], or
      // `serial` / `bigserial` / `smallserial`, a sequence default, nextval() for every row.
      const std::vector<std::string>& all = statement.words;
      auto has = [&](std::string_view word) { return std::find(all.begin(), all.end(), word) != all.end(); };
      if (call.empty() && has("GENERATED")) call = has("STORED") ? "stored" : "identity";
      if (call.empty() && (has("SERIAL") || has("BIGSERIAL") || has("SMALLSERIAL") || has("SERIAL4") ||
                           has("SERIAL8"))) {
        call = "identity";
      }
      if (call.empty()) continue;
      const std::string what = call == "stored"     ? "a stored generated value"
                               : call == "identity" ? "an identity (every row gets a sequence value)"
                                                    : "a volatile default (`" + call + "`)";
      out.report(
          file, op.call.loc,
          "ADD COLUMN on existing table `" + unqualified_name(table) + "` with " + what +
              ": PostgreSQL computes it for every existing row, rewriting the whole table under an ACCESS "
              "EXCLUSIVE lock (reads and writes wait)",
          "add the column without it, fill the existing rows in batches, then set the default with `ALTER "
          "TABLE ... ALTER COLUMN ... SET DEFAULT ...`");
      return;  // one finding per operation
    }
  }
};

ORMLINT_RULE(AddColumnVolatileDefault);

}  // namespace

}  // namespace ormlint
