// SQL split into its statements the way the database splits it: at the `;` that stand outside quoted strings and
// identifiers, dollar-quoted bodies (`$$ ... $$`, PL/pgSQL functions and DO blocks), comments, and the BEGIN ... END
// blocks of CREATE TRIGGER/FUNCTION/PROCEDURE (SQLite and MySQL). Shared by the rules that read the SQL a
// migration runs through op.execute (transaction control, data changes, what a downgrade removes).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace ormlint {

struct SqlStatement {
  std::string_view text;           // as written, without its `;` (a view into the SQL given to split_sql)
  std::vector<std::string> words;  // upper-cased; a quoted part is "<quoted>", a dollar-quoted body "<body>"
};

std::vector<SqlStatement> split_sql(std::string_view sql);

// What a statement does, upper-cased: its first word, or for a statement starting with a WITH clause (`WITH
// todo AS (SELECT ...) UPDATE ...`, a data-modifying CTE in PostgreSQL and SQLite) the statement after it
// (SELECT, INSERT, UPDATE, DELETE, MERGE; a SELECT over a CTE that changes rows, that change); "WITH" when
// none follows, "" for an empty statement.
std::string sql_statement_verb(const SqlStatement& statement);

// Whether `BEGIN <second_word>` starts a transaction (`BEGIN;`, `BEGIN TRANSACTION`, `BEGIN ISOLATION LEVEL ...`,
// SQLite's `BEGIN IMMEDIATE`) rather than a PL/SQL block (`BEGIN UPDATE ...; END;`). Words upper-cased.
bool begins_transaction(std::string_view second_word);

// The SQL's identifier-like words (letters, digits, `_`, `.`), lower-cased: `--` comments, quotes and
// punctuation only separate them (`INSERT INTO "t_new" (id)` -> insert, into, t_new, id), but the quoted
// parts of a dotted name are one word (`"augur_data"."contributors"` -> augur_data.contributors).
std::vector<std::string> sql_identifier_words(std::string_view sql);

// A statement's identifier words (sql_identifier_words), read in order the way a parser reads them.
class SqlWords {
 public:
  explicit SqlWords(std::string_view statement) : words_(sql_identifier_words(statement)) {}
  // Takes the next word when it is `word`.
  bool next_is(std::string_view word) {
    if (at_ >= words_.size() || words_[at_] != word) return false;
    ++at_;
    return true;
  }
  // The next word ("" at the end), not taken.
  const std::string& peek() const {
    static const std::string none;
    return at_ < words_.size() ? words_[at_] : none;
  }
  // The next word ("" at the end), taken.
  std::string take() { return at_ < words_.size() ? words_[at_++] : std::string(); }
  bool at_end() const { return at_ >= words_.size(); }

 private:
  std::vector<std::string> words_;
  size_t at_ = 0;
};

// Lower-cased words of one statement, quotes dropped; `(`, `)` and `,` are words of their own.
std::vector<std::string> sql_statement_words(std::string_view statement);
// `public.status` -> `status`.
std::string unqualified_name(const std::string& name);
// A type's name as SQL wrote it, as the database finds it: double quotes dropped, lower case, no schema
// (`"public"."Status"` -> `status`): what a CREATE TYPE / ALTER TYPE is compared by.
std::string sql_type_name(std::string_view written);

// What SQL drops: each name of `DROP TABLE / INDEX / TYPE [CONCURRENTLY] [IF EXISTS] a, b`, and each `DROP
// [COLUMN] [IF EXISTS] c` / `DROP CONSTRAINT [IF EXISTS] n` clause of `ALTER TABLE [IF EXISTS] [ONLY] t`.
// Names lower case, unqualified, unquoted; statements in order.
struct SqlDrop {
  enum class Kind { Table, Index, Type, Column, Constraint };
  Kind kind;
  std::string table;  // Column, Constraint: the altered table; Index: MySQL's `DROP INDEX ix ON t`, else ""
  std::string name;
  bool concurrently = false;  // DROP INDEX CONCURRENTLY
};
std::vector<SqlDrop> sql_drops(std::string_view sql);

// A name as SQL must spell it in a statement a help text suggests: quoted when it is a reserved word or not a
// plain lower-case identifier (`user` -> `"user"`, PostgreSQL's reserved `user`; `Users` -> `"Users"`).
std::string sql_identifier(std::string_view name);

// `ALTER TABLE [IF EXISTS] [ONLY] <table>`: the table as written (lower case), taken with the words before
// it;
// "" when the statement starts otherwise.
std::string altered_table(SqlWords& words);

// What SQL renames: `ALTER TABLE [IF EXISTS] [ONLY] t RENAME TO u` (a table: `column` empty) and `ALTER TABLE
// ... t RENAME [COLUMN] c TO d`; names lower case, unquoted, as written (a schema kept). Statements in order.
struct SqlRename {
  std::string table;
  std::string column;  // "" for a table rename
  std::string to;
};
std::vector<SqlRename> sql_renames(std::string_view sql);

// The type changes SQL spells: `ALTER TABLE [IF EXISTS] [ONLY] t ALTER [COLUMN] c [SET DATA] TYPE x [USING
// ...]`, each clause of each statement. Names lower case; the type as its words, lower case, without its
// length or precision (`TIMESTAMP(6) WITH TIME ZONE` -> "timestamp with time zone").
struct SqlTypeChange {
  std::string table, column, type;
};
std::vector<SqlTypeChange> sql_type_changes(std::string_view sql);
// The columns SQL makes NOT NULL: `ALTER TABLE [IF EXISTS] [ONLY] t ALTER [COLUMN] c SET NOT NULL`, each
// clause of each statement (what alter_column(nullable=False) emits). Names lower case, the table as written.
struct SqlColumnName {
  std::string table, column;
};
std::vector<SqlColumnName> sql_set_not_nulls(std::string_view sql);
// Whether a type SqlTypeChange spells stores a naive date and time: `timestamp`, `timestamp without time
// zone`, `datetime` (not `timestamptz`, `timestamp with time zone`, nor any other type).
bool sql_type_is_naive_datetime(std::string_view type);

// `CREATE [TEMP | TEMPORARY | UNLOGGED] TABLE [IF NOT EXISTS] <name>`: the name as written (lower case, as
// sql_identifier_words gives it); "" when the statement creates no table.
std::string sql_created_table(std::string_view statement);

// `ALTER TYPE <name> ADD VALUE`, any case and spacing: the name as written (it may be quoted or schema-qualified);
// "" when the SQL holds no such statement (the first one counts).
std::string added_enum_type(const std::string& sql);

// `CREATE TYPE <name> AS ENUM`, any case and spacing: the name of every enum type the SQL creates, as written
// (it may be quoted or schema-qualified), in order.
std::vector<std::string> created_enum_types(const std::string& sql);

}  // namespace ormlint
