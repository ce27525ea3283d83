// The SQL text a migration hands to `op.execute(...)`, as far as literals show it. Shared by the rules that
// read migration SQL (transaction control, enum changes, native enum creation).
#pragma once
#include <string>

#include "facts/module_facts.h"

namespace ormlint {

// The SQL an `op.execute(...)` argument spells out: a string (f-strings included: their `{...}` parts stay as
// written), `sa.text("...")`, `"...".format(...)`, `"..." % x`, `"..." + x`, and a module-level constant
// holding one of these. Appends to `out`; false when no literal SQL is visible (a Table.update() construct, a
// local variable).
bool literal_sql(const ModuleFacts& module, const Expr* e, std::string& out, int depth = 0);

// The statement argument of an `op.execute(...)` operation (`sqltext=` or the first positional argument).
const Expr* executed_sql(const OperationCall& op);

}  // namespace ormlint
