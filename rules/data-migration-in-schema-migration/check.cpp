// data-migration-in-schema-migration: upgrade() changes the schema and also changes data (op.bulk_insert, an
// UPDATE/INSERT/DELETE through op.execute or a connection, an ORM session). In one revision they run in one
// transaction: the locks the schema change took are held while the data change runs over every row, a failure in
// either half undoes (or, without transactional DDL, half-applies) both, and neither can be re-run on its own.
// Rows seeded into a table the same upgrade() created are not a data migration and are not flagged.
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/core_statement.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// One data-changing SQL statement: its verb ("UPDATE") and, for `INSERT INTO t`, the table (for the seed exemption).
struct DataStatement {
  std::string verb;
  std::string target;
};

// The data-changing statements of an SQL string, by their first keyword (a function body's UPDATE is the
// function's, not the migration's).
std::vector<DataStatement> data_statements(std::string_view sql) {
  std::vector<DataStatement> result;
  for (const SqlStatement& statement : split_sql(sql)) {
    std::vector<std::string> words = sql_identifier_words(statement.text);
    if (words.empty()) continue;
    const std::string verb = lower(sql_statement_verb(statement));  // `WITH moved AS (...) UPDATE ...` too
    if (verb != "update" && verb != "insert" && verb != "delete" && verb != "merge") continue;
    std::string target = verb == "insert" && words.size() > 2 && words[1] == "into" ? words[2] : "";
    if (target.rfind('.') != std::string::npos) target = target.substr(target.rfind('.') + 1);
    result.push_back({upper(verb), target});
  }
  return result;
}

std::string with_article(const std::string& verb) {
  return (verb == "UPDATE" || verb == "INSERT" ? "an " : "a ") + verb;
}

// DDL through op.execute: `ALTER TABLE ...`, `CREATE INDEX ...`, `DROP ...`.
bool is_ddl(std::string_view sql) {
  std::vector<std::string> words = sql_identifier_words(sql);
  return !words.empty() && (words[0] == "create" || words[0] == "alter" || words[0] == "drop");
}

// The literal name of a `sa.table("roles", ...)` / `sa.Table("roles", ...)` call; "" otherwise.
std::string table_call_name(const Expr& e) {
  if (!e.is_call()) return "";
  std::string_view callee = e.callee_name();
  if (callee != "table" && callee != "Table") return "";
  const Expr* name = e.arg(0);
  return name && name->is_string() ? name->text : "";
}

// `roles = op.create_table("roles", ...)` / `roles = sa.table("roles", ...)`: the line starts with the
// assignment (facts keep the call, not its target).
bool assigned_to(const ProjectFile& file, const Location& loc, const std::string& variable) {
  std::string_view line = file.source.line_text(loc.line);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (!starts_with(line, variable)) return false;
  line.remove_prefix(variable.size());
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  return starts_with(line, "=") && !starts_with(line, "==");
}

class Checker {
 public:
  Checker(const ProjectFile& file, Reporter& out) : file_(file), revision_(*file.facts.revision), out_(out) {}

  void run() {
    if (!changes_schema()) return;
    for (const OperationCall& op : revision_.operations) {
      if (op.function != "upgrade") continue;
      if (op.name == "bulk_insert") {
        const Expr* table = op.call.arg(0);  // `table=` too: the facts put it at its position
        std::string name = table ? table_name(*table) : "";
        if (!created_before(name, op.call.loc.start_byte)) {
          const std::string shown = !name.empty() ? name : table ? std::string(table->text) : "?";
          report(op.call.loc, "inserts rows with `op.bulk_insert` into `" + shown + "`");
        }
      } else if (op.name == "execute") {
        const Expr* sql = op.call.keyword("sqltext");
        check_statement(sql ? sql : op.call.arg(0), op.call.loc, op.written_callee());
      }
    }
    bool flask_session_reported = false;
    for (const RevisionCall& call : revision_.calls) {
      if (call.function != "upgrade") continue;
      call.call.walk([&](const Expr& e) {
        if (!e.is_call() || !e.target) return;
        if (is_connection_execute(e)) check_statement(e.arg(0), e.loc, e.target->text);
        if (is_session_factory(e.origin())) {
          report(e.loc, "opens an ORM session (`" + file_.written(*e.target, 60) + "(...)`)");
        } else if (!flask_session_reported && e.origin().starts_with("flask_sqlalchemy.SQLAlchemy().session")) {
          flask_session_reported = true;  // db.session.add/commit/...: one finding for the session
          report(e.loc, "uses the Flask-SQLAlchemy session (`" + file_.written(*e.target, 60) + "(...)`)");
        }
      });
    }
  }

 private:
  // Any create_/drop_/add_/alter_/rename_ operation in upgrade(), or DDL passed to op.execute.
  bool changes_schema() const {
    for (const OperationCall& op : revision_.operations) {
      if (op.function != "upgrade") continue;
      // Given a Column for the column's name and nothing to change, alter_column emits no SQL (OpenHands).
      if (alter_column_given_column(op) && alter_column_changes_nothing(op)) continue;
      for (std::string_view prefix : {"create_", "drop_", "add_", "alter_", "rename_"}) {
        if (starts_with(op.name, prefix)) return true;
      }
      if (op.name == "execute") {
        const Expr* sql = unwrapped_sql_text(op.call.arg(0));
        if (sql && sql->kind == Expr::Kind::String && is_ddl(sql->text)) return true;
      }
    }
    return false;
  }

  // SQL as literals show it (facts/sql_literal.h: a string, sa.text(...), .bindparams(...), a module constant),
  // or a Core statement (`users.update()...`, `sa.delete(users)`).
  void check_statement(const Expr* statement, const Location& loc, const std::string& via) {
    const Expr* sql = unwrapped_sql_text(statement);
    if (!sql) return;
    if (std::string text; literal_sql(file_.facts, statement, text)) {
      for (const DataStatement& data : data_statements(text)) {
        if (created_before(data.target, loc.start_byte)) continue;
        report(loc, "runs " + with_article(data.verb) + " through `" + via + "`");
        return;
      }
      return;
    }
    std::string verb, target;
    sql->walk([&](const Expr& e) {
      if (!verb.empty() || !e.is_call() || !e.target) return;
      std::string_view callee = e.callee_name();
      if (!core_statement_verb(callee)) return;
      const FactText origin = e.origin();
      bool function = origin == "sqlalchemy.update" || origin == "sqlalchemy.insert" || origin == "sqlalchemy.delete";
      // `users.update()` (a table's method) or `sa.update(users)`.
      const Expr* table = function ? e.arg(0) : e.receiver();
      if (!table) return;
      verb = upper(std::string(callee));
      target = callee == "insert" ? table_name(*table) : "";
    });
    if (verb.empty() || created_before(target, loc.start_byte)) return;
    report(loc, "runs " + with_article(verb) + " through `" + via + "`");
  }

  // The literal table behind an expression: `sa.table("roles", ...)`, or a name assigned from such a call or from
  // `op.create_table("roles", ...)` (in the module or in upgrade()).
  std::string table_name(const Expr& e) const {
    if (std::string name = table_call_name(e); !name.empty()) return name;
    if (!e.is(Expr::Kind::Name)) return "";
    for (const Assignment& assignment : file_.facts.assignments) {
      if (assignment.target == e.text) return table_call_name(assignment.value);
    }
    for (const OperationCall& op : revision_.operations) {
      if (op.function == "upgrade" && op.name == "create_table" && assigned_to(file_, op.call.loc, e.text)) {
        return op.table;
      }
    }
    for (const RevisionCall& call : revision_.calls) {
      if (call.function == "upgrade" && assigned_to(file_, call.call.loc, e.text)) return table_call_name(call.call);
    }
    return "";
  }

  // Rows for a table this upgrade() created before — op.create_table, or CREATE TABLE in SQL through
  // op.execute or the connection (mistral) —: reference data seeded into a new, empty table.
  bool created_before(const std::string& table, uint32_t byte) const {
    if (table.empty()) return false;
    const std::string wanted = unqualified_name(lower(table));
    auto creates = [&](const std::string& sql) {
      for (const SqlStatement& statement : split_sql(sql)) {
        if (unqualified_name(sql_created_table(statement.text)) == wanted) return true;
      }
      return false;
    };
    for (const OperationCall& op : revision_.operations) {
      if (op.function != "upgrade" || op.call.loc.start_byte >= byte) continue;
      if (op.name == "create_table" && lower(op.table) == lower(table)) return true;
      if (std::string sql;
          op.name == "execute" && literal_sql(file_.facts, executed_sql(op), sql) && creates(sql)) {
        return true;
      }
    }
    for (const RevisionCall& call : revision_.calls) {
      if (call.function != "upgrade" || call.call.loc.start_byte >= byte) continue;
      for (const ConnectionSql& sent : connection_sql(file_.facts, call)) {
        if (sent.execute->loc.start_byte < byte && creates(sent.sql)) return true;
      }
    }
    return false;
  }

  void report(const Location& loc, const std::string& what) {
    if (!reported_.insert(loc.start_byte).second) return;  // a helper called twice, or nested matches
    out_.report(file_, loc,
                "upgrade() " + what +
                    " in a revision that also changes the schema: the schema change's locks are held until the data "
                    "change commits, and the two cannot be retried or reverted separately",
                "move the data change to its own revision right after this one (`alembic revision -m \"backfill "
                "...\"`), batched if the table is large");
  }

  const ProjectFile& file_;
  const RevisionInfo& revision_;
  Reporter& out_;
  std::set<uint32_t> reported_;
};

class DataMigrationInSchemaMigration final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL229", "data-migration-in-schema-migration",
                               "Data change (bulk_insert, UPDATE/INSERT/DELETE, ORM session) in a revision that also "
                               "changes the schema",
                               Severity::Info, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision) return;
    Checker(file, out).run();
  }
};

ORMLINT_RULE(DataMigrationInSchemaMigration);

}  // namespace

}  // namespace ormlint
