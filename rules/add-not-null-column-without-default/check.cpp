// add-not-null-column-without-default: op.add_column of a NOT NULL column with no server_default. The
// database must give every existing row a value for the new column; without a server default that value is
// NULL, and the ALTER TABLE fails (NotNullViolation on PostgreSQL, "Cannot add a NOT NULL column with default
// value NULL" on SQLite) as soon as the table holds a row; MySQL instead fills the rows with the type's
// implicit 0 / ''.
#include <map>
#include <set>
#include <string>

#include "engine/rule.h"
#include "project/column_label.h"

namespace ormlint {

namespace {

// Positional Column arguments through which the database itself fills the column.
const std::set<std::string, std::less<>> kDatabaseValues = {"sqlalchemy.Identity", "sqlalchemy.Computed",
                                                            "sqlalchemy.DefaultClause", "sqlalchemy.FetchedValue"};

bool is_none(const Expr* e) { return e && e->kind == Expr::Kind::None; }

// nullable=False, or primary_key=True without nullable=True (SQLAlchemy makes primary keys NOT NULL).
bool not_null(const ColumnInfo& column) {
  const Expr* nullable = column.keyword("nullable");
  if (nullable) return nullable->is_false();
  const Expr* primary_key = column.keyword("primary_key");
  return primary_key && primary_key->is_true();
}

const std::set<std::string, std::less<>> kIntegerTypes = {"Integer", "BigInteger", "SmallInteger", "INTEGER",
                                                           "BIGINT",  "SMALLINT",   "INT"};

// An integer primary key that SQLAlchemy makes auto-incrementing (its autoincrement="auto": the integer
// primary key with no foreign key, or one with autoincrement=True): PostgreSQL gets SERIAL, MySQL
// AUTO_INCREMENT, and the database numbers the existing rows. autoincrement=True on a column that is no
// primary key does nothing (autogenerate writes it into the add_column of a primary key swap's downgrade): a
// plain INTEGER NOT NULL.
bool auto_increments(const ColumnInfo& column) {
  const std::string& type = column.type.origin;
  const std::string_view type_name = std::string_view(type).substr(type.rfind('.') + 1);
  if (type.rfind("sqlalchemy.", 0) != 0 || !kIntegerTypes.count(type_name)) return false;
  const Expr* primary_key = column.keyword("primary_key");
  if (!primary_key || !primary_key->is_true()) return false;
  if (const Expr* autoincrement = column.keyword("autoincrement")) return autoincrement->is_true();
  for (const Expr& arg : column.construct->items) {
    if (arg.origin() == "sqlalchemy.ForeignKey") return false;
  }
  return true;
}

bool database_fills(const ColumnInfo& column) {
  const Expr* server_default = column.keyword("server_default");
  if (server_default && !is_none(server_default)) return true;
  for (const Expr& arg : column.construct->items) {
    if (kDatabaseValues.count(arg.is_call() ? arg.origin() : arg.resolved)) return true;
  }
  return auto_increments(column);
}

// A server default to show in the help, fitting the column's type.
std::string example_default(const std::string& type) {
  auto has = [&](const char* part) { return type.find(part) != std::string::npos; };
  if (has("Bool") || has("BOOL")) return "sa.false()";
  if (has("Int") || has("INT") || has("Numeric") || has("NUMERIC") || has("Float") || has("FLOAT") ||
      has("Decimal") || has("DECIMAL")) {
    return "sa.text(\"0\")";
  }
  if (has("DateTime") || has("TIMESTAMP") || has("DATETIME")) return "sa.func.now()";
  if (has("String") || has("Text") || has("TEXT") || has("CHAR") || has("Unicode")) return "\"\"";
  return "...";
}

std::string quoted(const std::string& text, const std::string& fallback) {
  return text.empty() ? fallback : "\"" + text + "\"";
}

class AddNotNullColumnWithoutDefault final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL203", "add-not-null-column-without-default",
                               "op.add_column of a NOT NULL column without server_default: fails on a table that "
                               "already has rows",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    // One finding per column written and table: a helper called from upgrade() and downgrade() records its
    // add_column for each (the finding names upgrade() then); a loop over tables, once per table.
    std::map<std::pair<uint32_t, std::string_view>, const ColumnInfo*> found;
    for (const ColumnInfo* column : project.columns_in(file)) {
      const OperationCall* op = column->operation;
      if (column->context != ColumnInfo::Context::Migration || !op || op->name != "add_column") continue;
      if (!column->construct || !not_null(*column) || database_fills(*column)) continue;
      // A table the same function created (or emptied) earlier has no rows: a NOT NULL column costs nothing there.
      if (file.facts.revision->creates_table_before(*op) || file.facts.revision->empties_table_before(*op)) continue;
      auto [it, inserted] =
          found.try_emplace(std::make_pair(column->loc.start_byte, std::string_view(column->table)), column);
      if (!inserted && op->function == "upgrade") it->second = column;
    }
    for (const auto& [start, column] : found) report(file, *column, *column->operation, out);
  }

 private:
  // What each database that runs `op` does with the existing rows. PostgreSQL gives them NULL and fails.
  // SQLite refuses the ADD COLUMN once the table holds a row (checked with SQLite 3.40); batch mode's copy
  // fails the same way. MySQL / MariaDB succeed in every sql_mode: existing rows get the type's implicit
  // default (0,
  // '', a zero date) — strict mode governs INSERT and UPDATE, not ALTER TABLE ADD (MySQL manual, "Data Type
  // Default Values") — so openstack/zun's MySQL-only revisions ran fine, with values nobody chose.
  static std::string what_happens(const OperationCall& op) {
    const bool postgresql = op.runs_on("postgresql");
    const bool mysql = op.runs_on("mysql");
    const bool sqlite = op.runs_on("sqlite");
    const std::string sqlite_refuses = op.in_batch ? "batch mode copies the table, and the copy fails (NOT "
                                                     "NULL constraint failed) once it holds a row"
                                                   : "SQLite refuses it once the table holds a row (`Cannot "
                                                     "add a NOT NULL column with default value "
                                                     "NULL`)";
    const std::string mysql_fills =
        "MySQL fills existing rows with the type's implicit default (0, '', a zero date): values nobody "
        "chose "
        "(a unique key on the column would fail on the second row)";
    if (!postgresql) {
      if (sqlite && !mysql) return sqlite_refuses;
      if (mysql && !sqlite) return "the ALTER succeeds, but " + mysql_fills;
    }
    std::string text =
        "on a table with rows, PostgreSQL gives them NULL and fails the ALTER (NotNullViolation)";
    if (sqlite) text += op.in_batch ? "; on SQLite " + sqlite_refuses : "; SQLite refuses it too";
    if (mysql) text += "; " + mysql_fills;
    return text;
  }

  static void report(const ProjectFile& file, const ColumnInfo& column, const OperationCall& op, Reporter& out) {
    const std::string label = column_label(column);
    // Said where it runs: downgrade() re-adding a dropped column fails the same way, on a rollback.
    const std::string failure = what_happens(op);
    std::string message = "`" + label + "` is added as NOT NULL without a server_default in " +
                          std::string(op.function) + "(): " + failure;
    if (const Expr* python_default = column.keyword("default"); python_default && !is_none(python_default)) {
      message += " (`default=` is filled in by SQLAlchemy on INSERT, not by the database)";
    }
    std::string alter = op.in_batch ? "batch_op.alter_column(" + quoted(column.name, "...") + ", nullable=False)"
                                    : "op.alter_column(" + quoted(column.table, "...") + ", " +
                                          quoted(column.name, "...") + ", nullable=False)";
    out.report(file, column.loc, std::move(message),
               "give existing rows a value with `server_default=" + example_default(column.type.origin) +
                   "`, or add it nullable, backfill it, then `" + alter + "`");
  }
};

ORMLINT_RULE(AddNotNullColumnWithoutDefault);

}  // namespace

}  // namespace ormlint
