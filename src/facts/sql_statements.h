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

// Whether `BEGIN <second_word>` starts a transaction (`BEGIN;`, `BEGIN TRANSACTION`, `BEGIN ISOLATION LEVEL ...`,
// SQLite's `BEGIN IMMEDIATE`) rather than a PL/SQL block (`BEGIN UPDATE ...; END;`). Words upper-cased.
bool begins_transaction(std::string_view second_word);

// The SQL's identifier-like words (letters, digits, `_`, `.`), lower-cased: `--` comments, quotes and punctuation
// only separate them (`INSERT INTO "t_new" (id)` -> insert, into, t_new, id).
std::vector<std::string> sql_identifier_words(std::string_view sql);

// `ALTER TYPE <name> ADD VALUE`, any case and spacing: the name as written (it may be quoted or schema-qualified);
// "" when the SQL holds no such statement (the first one counts).
std::string added_enum_type(const std::string& sql);

// `CREATE TYPE <name> AS ENUM`, any case and spacing: the name of every enum type the SQL creates, as written
// (it may be quoted or schema-qualified), in order.
std::vector<std::string> created_enum_types(const std::string& sql);

}  // namespace ormlint
