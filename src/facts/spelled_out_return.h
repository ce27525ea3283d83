// The value a short function body returns, with what its earlier statements name spelled out: for a
// `@declared_attr __tablename__` computed in a few steps, which the table model then evaluates
// (project/table_name.h) without running anything.
//
//     name = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
//     return f"{name}s"
//
// gives `re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower() + "s"`: each local bound once, at the top
// level of the body before the return, stands in the return as the expression bound to it; an f-string whose
// interpolations are plain expressions becomes the concatenation of its parts.
#pragma once
#include <tree_sitter/api.h>

#include <optional>

#include "facts/expr.h"
#include "facts/expr_builder.h"

namespace ormlint {

// The first top-level `return` of `body` (a function's block), spelled out as above; nullopt when there is
// none. A local bound twice, or a body with any statement other than simple assignments, imports, expressions
// and `pass` before the return, keeps its names as written.
std::optional<Expr> spelled_out_return(TSNode body, const ExprBuilder& exprs);

}  // namespace ormlint
