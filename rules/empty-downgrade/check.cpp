// empty-downgrade: a revision whose downgrade() is missing or does nothing (`pass`, `...`, a docstring) while its
// upgrade() changes something. `alembic downgrade` then reports success and moves the version table back, but the
// schema stays as upgrade() left it: the next `alembic upgrade` fails on objects that already exist.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/core_statement.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

std::string revision_id(const RevisionInfo& revision) {
  return revision.revision && revision.revision->is_string() ? revision.revision->text : "";
}

// upgrade() runs an operation, or calls something (a data change through a connection, a helper).
bool changes_anything(const RevisionInfo& revision) {
  auto in_upgrade = [](const auto& call) { return call.function == "upgrade"; };
  return std::any_of(revision.operations.begin(), revision.operations.end(), in_upgrade) ||
         std::any_of(revision.calls.begin(), revision.calls.end(), in_upgrade);
}

// A call that only builds a statement for the executes (`queries = sa.table("queries", sa.column("id"))`).
bool builds_statement(const RevisionCall& call) {
  static const std::set<std::string, std::less<>> kBuilders = {
      "sqlalchemy.table",    "sqlalchemy.column", "sqlalchemy.Table", "sqlalchemy.Column",
      "sqlalchemy.MetaData", "sqlalchemy.text",   "sqlalchemy.DDL"};
  // Or the statement itself, bound to a name to be executed (`stmt = files.update().values(...)`, Kotti).
  if (kBuilders.count(call.call.origin()) > 0 || read_core_statement(call.call).has_value()) return true;
  // `meta = sa.MetaData(); meta.reflect(connection)` (prefect): reads the catalog to build the tables, as
  // `sa.Table("t", meta, autoload_with=connection)` does.
  const Expr* receiver = call.call.receiver();
  return call.call.callee_name() == "reflect" && receiver &&
         (receiver->is(Expr::Kind::Name) || receiver->origin() == "sqlalchemy.MetaData");
}

// A call that only reports progress: `print(...)`, `logging.info(...)`, `log.warning(...)` (hypothesis'
// backfills print their row counts).
bool only_reports(const RevisionCall& call) {
  const Expr& e = call.call;
  if (!e.is_call() || !e.target) return false;
  if (e.target->is(Expr::Kind::Name)) return e.target->text == "print";
  static const std::set<std::string, std::less<>> kLevels = {"debug", "info",      "warning",  "warn",
                                                             "error", "exception", "critical", "log"};
  const Expr* receiver = e.receiver();
  return kLevels.count(e.callee_name()) && receiver && lower(receiver->text).find("log") != std::string::npos;
}

// Opening, committing or closing an ORM session on the migration's connection (`session =
// Session(bind=op.get_bind())`, `session.commit()`): what it executes is judged like a connection's execute
// (Kotti's 57fecf5dbd62 updates rows through one).
bool manages_session(const RevisionCall& call) {
  if (is_session_factory(call.call.origin())) return true;
  static const std::set<std::string, std::less<>> kHousekeeping = {"commit", "close", "flush"};
  const Expr* receiver = call.call.receiver();
  return receiver && receiver->is(Expr::Kind::Name) && kHousekeeping.count(call.call.callee_name()) > 0 &&
         call.call.items.empty() && call.call.keywords.empty();
}

// One call that computes from values: a builtin (not shadowed), json, or a method of a value.
bool computes(const Expr& e) {
  static const std::set<std::string, std::less<>> kBuiltins = {
      "sorted", "list",  "len",      "dict",       "set",  "tuple", "str", "int",
      "float",  "bool",  "min",      "max",        "sum",  "any",   "all", "enumerate",
      "zip",    "range", "reversed", "isinstance", "repr", "round"};
  // Methods of values (`settings.get("languages", [])`, `name.lower()`): reading, not writing.
  static const std::set<std::string, std::less<>> kValueMethods = {
      "get",   "items", "keys",       "values",   "copy",   "strip",  "lower",  "upper",
      "split", "join",  "startswith", "endswith", "format", "encode", "decode", "replace"};
  if (!e.target) return false;
  const FactText origin = e.origin();
  if (origin == "json.dumps" || origin == "json.loads") return true;
  if (e.target->is(Expr::Kind::Attribute) && kValueMethods.count(e.callee_name())) return true;
  if (!e.target->is(Expr::Kind::Name) || !kBuiltins.count(e.target->text)) return false;
  return origin.empty() || origin == e.target->text || origin.starts_with("builtins.");  // not shadowed
}

// A call of Python's own that computes from values and touches no database: `sorted(langs)`, `list(result)`,
// `len(rows)`, `json.dumps(...)` (circulation's backfills compute the new value so, or count what they did).
bool only_computes(const RevisionCall& call) {
  // Every call in it: `json.loads(decrypt(value))` runs the project's `decrypt`, which may do anything.
  bool pure = call.call.is_call();
  call.call.walk([&](const Expr& e) { pure = pure && (!e.is_call() || computes(e)); });
  return pure;
}

// `ALTER TABLE t VALIDATE CONSTRAINT c` (the second step of the NOT VALID recipe, notifications-api),
// `ANALYZE`, `VACUUM`, `REINDEX`, and a sequence set past the ids a bulk load wrote (`ALTER SEQUENCE s
// RESTART WITH n`, `SELECT setval('s', ...)`, renku-data-services): statements that change no schema and no
// row — nothing a downgrade could undo (putting the sequence back would bring back the duplicate keys).
bool only_maintains(const ModuleFacts& module, const Expr* executed) {
  return literal_sql_all(module, executed, [](const SqlStatement& s) {
    const std::vector<std::string> words = sql_statement_words(s.text);
    if (words.empty()) return false;
    if (words[0] == "analyze" || words[0] == "vacuum" || words[0] == "reindex") return true;
    if (words.size() >= 4 && words[0] == "alter" && words[1] == "sequence" &&
        std::find(words.begin(), words.end(), "restart") != words.end()) {
      return true;
    }
    if (words.size() >= 2 && words[0] == "select" && words[1].starts_with("setval")) return true;
    return words.size() >= 5 && words[0] == "alter" && words[1] == "table" &&
           std::adjacent_find(words.begin(), words.end(), [](const std::string& a, const std::string& b) {
             return a == "validate" && b == "constraint";
           }) != words.end();
  });
}

// `ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived'`: PostgreSQL cannot drop an enum value, so no
// downgrade undoes it, the older code never meets the extra value, and an upgrade run again skips it
// (mealie). So does a plain ADD VALUE that upgrade() runs only under an `if` (`conditional`): the spelling of
// IF NOT EXISTS before PostgreSQL 9.6, a pg_enum lookup then `if result.rowcount == 0:` (FlexMeasures).
// Unconditional and without IF NOT EXISTS, the next upgrade fails on it: still a finding.
bool only_adds_enum_values_if_missing(const ModuleFacts& module, const Expr* executed, bool conditional) {
  static const std::vector<std::string> kAddValue = {"add", "value"};
  static const std::vector<std::string> kIfNotExists = {"if", "not", "exists"};
  return literal_sql_all(module, executed, [conditional](const SqlStatement& s) {
    const std::vector<std::string> words = sql_statement_words(s.text);
    if (words.size() < 6 || words[0] != "alter" || words[1] != "type" ||
        !std::equal(kAddValue.begin(), kAddValue.end(), words.begin() + 3)) {
      return false;
    }
    return conditional ||
           (words.size() >= 8 && std::equal(kIfNotExists.begin(), kIfNotExists.end(), words.begin() + 5));
  });
}

// The connection execute a call is, or whose result it reads (`conn.execute(...).fetchall()`); null
// otherwise.
const Expr* connection_execute_of(const Expr& call) {
  if (is_connection_execute(call)) return &call;
  static const std::set<std::string, std::less<>> kResultMethods = {
      "fetchall", "fetchone", "fetchmany", "first", "one", "scalar", "scalars", "all", "mappings"};
  if (!call.is_call() || !kResultMethods.count(call.callee_name())) return nullptr;
  const Expr* receiver = call.receiver();
  return receiver && is_connection_execute(*receiver) ? receiver : nullptr;
}

// `SELECT ...` statements only, or a Core select(...) chain: reading rows changes nothing.
bool only_reads(const ModuleFacts& module, const Expr* executed) {
  if (!executed) return false;
  const Expr* link = executed;
  while (link->receiver() && link->receiver()->is_call()) link = link->receiver();
  return (link->is_call() && link->callee_name() == "select") ||
         literal_sql_only(module, executed, {"SELECT"});
}

// upgrade() only rewrites or removes rows — every operation an `op.execute`, every other call a connection's
// execute (or the table() it builds its statement on, or a print of its progress), each sending UPDATE or
// DELETE statements (literal SQL or Core; dstack's, redash's backfills, privacyidea's clean-up) or reading
// the rows they need: no schema to restore, and a downgrade cannot un-update or restore rows anyway; an
// upgrade run again after it does the same again. So a `pass` downgrade() is honest (a missing one still
// makes `alembic downgrade` fail). Constraints dropped around the change and put back under their names count
// as no schema change.
bool only_changes_existing_rows(const ProjectFile& file, const RevisionInfo& revision) {
  bool any = false;
  // Whether an execute's statement keeps to existing rows; `any` tells whether one changed some.
  // `conditional`: upgrade() runs it only under an `if` (OperationCall::conditional).
  auto keeps_to_rows = [&](const Expr* statement, bool conditional) {
    if (!only_updates_or_deletes(file.facts, statement) && !only_maintains(file.facts, statement) &&
        !only_adds_enum_values_if_missing(file.facts, statement, conditional)) {
      return only_reads(file.facts, statement);
    }
    any = true;
    return true;
  };
  for (const RevisionCall& call : revision.calls) {
    if (call.function != "upgrade" || builds_statement(call) || only_reports(call) || only_computes(call) ||
        manages_session(call))
      continue;
    const Expr* execute = connection_execute_of(call.call);
    if (!execute || !keeps_to_rows(execute->arg(0), false)) return false;
  }
  // A constraint dropped around the data change and put back under its name (Mailu) leaves the schema as it
  // was.
  std::set<const OperationCall*> restored_drops;
  for (const OperationCall& op : revision.operations) {
    if (op.function != "upgrade") continue;
    if (const OperationCall* drop = restored_constraint(revision, op)) {
      restored_drops.insert(drop);
      continue;
    }
    if (op.name == "drop_constraint") continue;  // judged once its pair is known, below
    if (op.name != "execute" || !keeps_to_rows(executed_sql(op), op.conditional)) return false;
  }
  for (const OperationCall& op : revision.operations) {
    if (op.function == "upgrade" && op.name == "drop_constraint" && !restored_drops.count(&op)) return false;
  }
  return any;
}

class EmptyDowngrade final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL226", "empty-downgrade",
                               "downgrade() is missing or only `pass`: `alembic downgrade` reports success and leaves "
                               "the schema changed",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    if (!file.facts.revision || !file.facts.revision->upgrade) return;
    const RevisionInfo& revision = *file.facts.revision;
    std::string id = revision_id(revision);
    std::string which = id.empty() ? "this revision" : "revision " + id;
    // Alembic reads `module.downgrade` for every revision a downgrade passes, a merge or placeholder revision
    // too (cyborg): without one, the downgrade stops there.
    const bool changes = !revision.upgrade->trivial_body && changes_anything(revision);
    // `downgrade = _drop_tables`, or a downgrade imported from elsewhere: Alembic finds the module attribute.
    if (!revision.downgrade && !file.facts.module_names.contains("downgrade")) {
      out.report(
          file, revision.upgrade->def_loc,
          "this revision has no downgrade(): `alembic downgrade` through " + which +
              " fails with AttributeError" + (changes ? " instead of undoing upgrade()" : ""),
          changes ? "write the inverse of upgrade() (drop what it creates, restore what it drops), or `raise "
                    "NotImplementedError(\"...\")` to document that it cannot be undone"
                  : "add `def downgrade():` with `pass`: upgrade() changes nothing to undo");
      return;
    }
    // A merge revision, or a revision that only moves the version table: nothing to undo. Also an upgrade()
    // that runs no operation and calls nothing (`if legacy_engine(): return` then `pass`).
    if (!changes || !revision.downgrade) return;
    const std::string help =
        "write the inverse of upgrade() (drop what it creates, restore what it drops), or `raise "
        "NotImplementedError(\"...\")` to document that it cannot be undone";
    if (revision.downgrade->trivial_body && !revision.downgrade->raises_only &&
        !only_changes_existing_rows(file, revision)) {
      out.report(file, revision.downgrade->def_loc,
                 "downgrade() does nothing: `alembic downgrade` reports success and un-stamps " + which +
                     ", but every change upgrade() made stays, and the next `alembic upgrade` runs it again on top",
                 help);
    }
  }
};

ORMLINT_RULE(EmptyDowngrade);

}  // namespace

}  // namespace ormlint
