// SQLAlchemy Core DML statements as a migration builds them — `t.update().where(...).values(c=...)`,
// `t.delete()`, `sa.delete(t).where(...)`, `t.insert().values(...)` — read from their expressions: which
// table they act on, whether a WHERE narrows them, which columns they set. Shared by the facts (a table
// emptied before a NOT NULL column) and the migration rules (a column refilled, a data-only upgrade).
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "facts/expr.h"

namespace ormlint {

struct CoreStatement {
  enum class Verb { Update, Delete, Insert };
  Verb verb = Verb::Update;
  // The table as written: a name (`t`), or the `sa.table("t", ...)` call the revision builder wrote in its
  // place when the function binds the name once to one (see core_table_name). Null when not visible.
  const Expr* table = nullptr;
  bool filtered = false;                      // a `.where(...)` (or the legacy positional whereclause)
  // `.values(c=...)` / `.values({"c": ...})` / `.values({t.c.c: ...})`: the names of the columns set.
  std::vector<std::string_view> set_columns;
};

// What a Core statement method makes: `update` / `delete` / `insert` (of `t.update()` or `sa.update(t)`), or
// nullopt for any other name.
std::optional<CoreStatement::Verb> core_statement_verb(std::string_view method);

// The Core statement `statement` builds, or nullopt when it is not one: a chain of `.where()`, `.values()`,
// `.execution_options()` on `t.update()` / `t.delete()` / `t.insert()` or `sa.update(t)` / `sa.delete(t)` /
// `sa.insert(t)`.
std::optional<CoreStatement> read_core_statement(const Expr& statement);

// The literal name of a Core table expression, `sa.table("event", ...)` / `sa.Table("event", metadata, ...)`;
// "" for anything else.
std::string_view core_table_name(const Expr* table);

}  // namespace ormlint
