// The SQL text a migration hands to `op.execute(...)`, as far as literals show it. Shared by the rules that
// read migration SQL (transaction control, enum changes, native enum creation).
#pragma once
#include <string>

#include "facts/module_facts.h"

namespace ormlint {

// The statement of `sa.text("...")` or `sa.DDL("...")` (its `text=` / `statement=` keyword or first
// argument): both run their SQL as written (osparc-simcore executes 143 DDL()s). Null when `e` is neither.
const Expr* sql_construct_text(const Expr* e);
// sql_construct_text's statement, or `e` itself when it is no text()/DDL().
inline const Expr* unwrapped_sql_text(const Expr* e) {
  const Expr* text = sql_construct_text(e);
  return text ? text : e;
}

// The SQL an `op.execute(...)` argument spells out: a string (f-strings included: their `{...}` parts stay as
// written), `sa.text("...")` / `sa.DDL("...")`, `"...".format(...)`, `"..." % x`, `"..." + x`, and a
// module-level constant holding one of these. Appends to `out`; false when no literal SQL is visible (a
// Table.update() construct, a local variable).
bool literal_sql(const ModuleFacts& module, const Expr* e, std::string& out, int depth = 0);

// The statement argument of an `op.execute(...)` operation (`sqltext=` or the first positional argument).
const Expr* executed_sql(const OperationCall& op);

}  // namespace ormlint
