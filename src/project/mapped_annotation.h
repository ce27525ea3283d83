// How a mapped attribute's annotation reads: the scalar Python type inside `Mapped[...]`, shared by the column
// collection and the whole-column declarations of Annotated aliases.
#pragma once
#include "facts/expr.h"

namespace ormlint {

// `Mapped[Optional[datetime]]` -> the `datetime` expression (Optional, Union with None and `X | None` unwrapped;
// Annotated[X, ...] read as X, or with `keep_annotated` returned as it is); null when the annotation maps no
// column (no Mapped where `require_mapped`, a collection, a relationship target).
const Expr* unwrap_annotation(const Expr& annotation, bool require_mapped, bool keep_annotated = false);

}  // namespace ormlint
