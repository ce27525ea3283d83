// table-dropped-too-early: an upgrade() or downgrade() that drops a table before it is done with it, in an
// order the database refuses every time:
//  - an operation on the table after op.drop_table of it (`op.drop_index("ix_codebases_name")` once the table
//    is gone: the index went with it, so PostgreSQL says it does not exist, SQLite "no such index", and
//    MySQL's `DROP INDEX ... ON codebases` finds no table);
//  - op.drop_table of a table another one, dropped only later, still refers to by a foreign key (PostgreSQL:
//    "cannot drop table ... because other objects depend on it"; MySQL: "referenced by a foreign key
//    constraint"; ON DELETE CASCADE does not help): in downgrade(), keys the revision's upgrade() made; in
//    upgrade(), keys made before it.
// Alembic runs these in order, so the migration stops at that line and the database is left half-migrated
// (MySQL and SQLite have no transactional DDL), every time it runs (buildbot's 060 and 067 downgrades).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// An operation that runs whenever its function does: not under an `if` or an existence guard, nor one
// that tolerates a missing object (`if_exists=True`).
bool always_runs(const OperationCall& op) {
  const Expr* if_exists = op.call.keyword("if_exists");
  return !op.conditional && !op.guarded && !(if_exists && !if_exists->is_false());
}

// The table an index of the revision belongs to (lower case): where its create_index, or a create_table
// holding `Index("name", ...)`, put it; "" when the revision does not say.
std::string index_table(const RevisionInfo& revision, const std::string& name) {
  for (const OperationCall& op : revision.operations) {
    if (op.function != "upgrade" || op.table.empty()) continue;
    if (op.name == "create_index" && index_name(op) == name) return lower(op.table);
    if (op.name != "create_table") continue;
    for (const Expr& item : op.call.items) {
      if (item.is_call() && item.origin() == "sqlalchemy.Index" && alembic_literal_name(item.arg(0)) == name)
        return lower(op.table);
    }
  }
  return "";
}

// The table an operation needs (lower case): its own, or a drop_index's from the revision; "" when unknown.
std::string needed_table(const RevisionInfo& revision, const OperationCall& op) {
  if (!op.table.empty()) return lower(op.table);
  if (op.name == "drop_index") {
    const std::string name = index_name(op);
    if (!name.empty()) return index_table(revision, name);
  }
  return "";
}

// Whether `op` creates the table `table` (again), or renames another table to it: later operations then
// find a table of that name.
bool brings_table_back(const OperationCall& op, const std::string& table) {
  if (op.name == "create_table") return lower(op.table) == table;
  if (op.name != "rename_table") return false;
  const Expr* renamed = op.argument(0);  // new_table_name (a keyword is moved to its position by the facts)
  return renamed && renamed->is_string() && lower(renamed->text) == table;
}

// A table with a foreign key to another (lower case), and the key's columns.
struct ReferringTable {
  std::string table;
  std::vector<std::string> columns;  // lower case; empty when not literal
};

// The tables with a foreign key to `table` when `drop` runs, as far as the revisions show: for a downgrade(),
// those the same revision's upgrade() created with one (in create_table, add_column or create_foreign_key);
// for an upgrade(), those its earlier operations or the revisions before it did — unless a revision before it
// dropped that table or a constraint of it (the key may be gone: not judged).
std::vector<ReferringTable> referring_tables(const Project& project, const ProjectFile& file,
                                             const OperationCall& drop, const std::string& table) {
  const RevisionInfo& revision = *file.facts.revision;
  std::vector<ReferringTable> found;
  auto add_keys_of = [&](const OperationCall& op) {
    if (op.table.empty() || lower(op.table) == table) return;
    for (const OperationForeignKey& key : foreign_keys_of(op)) {
      if (lower(key.referred_table) == table) {
        std::vector<std::string> columns;
        for (const std::string& column : key.columns) columns.push_back(lower(column));
        found.push_back({lower(op.table), std::move(columns)});
        return;
      }
    }
  };
  for (const OperationCall& op : revision.operations) {
    if (&op == &drop && drop.function == "upgrade") break;
    if (op.function == "upgrade") add_keys_of(op);
  }
  if (drop.function != "upgrade") return found;
  const std::set<const ProjectFile*> before = project.revisions_before(file);
  std::set<std::string> released;  // tables a revision before dropped, or dropped a constraint of
  for (const ProjectFile* earlier : before) {
    for (const OperationCall& op : earlier->facts.revision->operations) {
      if (op.function == "upgrade" && (op.name == "drop_table" || op.name == "drop_constraint"))
        released.insert(lower(op.table));
    }
  }
  for (const ProjectFile* earlier : before) {
    for (const OperationCall& op : earlier->facts.revision->operations) {
      if (op.function == "upgrade" && !released.count(lower(op.table))) add_keys_of(op);
    }
  }
  return found;
}

class TableDroppedTooEarly final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL238",
        "table-dropped-too-early",
        "A migration drops a table it still needs: a later operation on it, or a table "
        "dropped later that still refers to it, fails every time the migration runs",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    const auto& ops = revision.operations;
    for (size_t i = 0; i < ops.size(); ++i) {
      const OperationCall& drop = ops[i];
      if (drop.name != "drop_table" || drop.table.empty() || !always_runs(drop)) continue;
      const std::string table = lower(drop.table);
      report_later_use(file, revision, i, table, out);
      report_still_referred(file, revision, i, referring_tables(project, file, drop, table), out);
    }
  }

 private:
  // The first operation after ops[i] (a drop_table of `table`) in the same function that needs the table.
  static void report_later_use(const ProjectFile& file, const RevisionInfo& revision, size_t i,
                               const std::string& table, Reporter& out) {
    const auto& ops = revision.operations;
    const OperationCall& drop = ops[i];
    for (size_t j = i + 1; j < ops.size(); ++j) {
      const OperationCall& later = ops[j];
      if (later.function != drop.function || excludes_dialect_of(drop, later)) continue;
      if (brings_table_back(later, table)) return;
      if (later.name == "execute" || later.name == "create_table" || !always_runs(later)) continue;
      if (needed_table(revision, later) != table) continue;
      out.report(file, later.call.loc,
                 "`" + later.written_callee() + "(...)` needs table `" + std::string(drop.table) +
                     "`, which line " + std::to_string(drop.call.loc.line) + " dropped" +
                     (later.name == "drop_index" || later.name == "drop_constraint"
                          ? " (with its indexes and constraints)"
                          : "") +
                     ": the database refuses it, and the migration stops here every time it runs",
                 "drop the table last: move `" + drop.written_callee() + "(\"" + std::string(drop.table) +
                     "\")` after the operations on it (dropping a table drops its indexes and constraints: "
                     "those operations can simply go)");
      return;
    }
  }

  // ops[i] (a drop_table) while a table with a foreign key to it (`referring_tables`) is dropped only later
  // in the same function.
  static void report_still_referred(const ProjectFile& file, const RevisionInfo& revision, size_t i,
                                    const std::vector<ReferringTable>& referring_tables, Reporter& out) {
    const auto& ops = revision.operations;
    const OperationCall& drop = ops[i];
    for (const auto& [referring, key_columns] : referring_tables) {
      const OperationCall* later_drop = nullptr;
      bool released = false;  // the key, its column or its table is gone before ops[i]
      for (size_t j = 0; j < ops.size() && !later_drop && !released; ++j) {
        const OperationCall& other = ops[j];
        if (other.function != drop.function || excludes_dialect_of(drop, other) ||
            lower(other.table) != referring)
          continue;
        // Dropping a column drops the keys on it (PostgreSQL; MySQL refuses it first).
        const bool removes =
            other.name == "drop_table" || other.name == "drop_constraint" ||
            (other.name == "drop_column" &&
             (key_columns.empty() || std::find(key_columns.begin(), key_columns.end(),
                                               lower(other.column_name())) != key_columns.end()));
        if (!removes) continue;
        if (j < i) {
          released = true;
        } else if (other.name == "drop_table" && j > i) {
          later_drop = &other;
        }
      }
      if (!later_drop) continue;
      out.report(
          file, drop.call.loc,
          "`" + drop.written_callee() + "(\"" + std::string(drop.table) + "\")` runs while table `" +
              referring + "` (dropped later, line " + std::to_string(later_drop->call.loc.line) +
              ") still has a foreign key to it: PostgreSQL and MySQL refuse to drop a referenced "
              "table, so the migration stops here every time",
          "drop the referring table first: move this drop_table after `" + later_drop->written_callee() +
              "(\"" + std::string(later_drop->table) + "\")`" +
              (drop.function == "downgrade" ? " (downgrade() undoes upgrade() in reverse order)" : ""));
      return;
    }
  }
};

ORMLINT_RULE(TableDroppedTooEarly);

}  // namespace

}  // namespace ormlint
