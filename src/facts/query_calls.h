// Query calls: the calls whose arguments are SQL expressions (`.where(...)`, `.filter(...)`, `and_(...)`), found
// anywhere in a module — module level, class bodies, function and method bodies, lambdas — for rules that judge
// how a query is written (`column is None` inside one is Python's comparison, not SQL's).
#pragma once
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

#include "facts/expr.h"

namespace ormlint {

class ExprBuilder;
class SourceFile;

// Whether a function or method of this name takes SQL expressions as arguments: where, filter, having, join's
// onclause, and_ / or_ / not_, case.
bool takes_sql_expressions(std::string_view callee);

// The outermost such calls of the module, in source order. A call inside another (`and_()` in `.filter()`, the
// `.filter()` a chain continues) is part of the outer one's expression. Names are not resolved.
std::vector<Expr> query_calls(TSNode root, const SourceFile& file, const ExprBuilder& exprs);

}  // namespace ormlint
