#include "project/mapped_annotation.h"

namespace ormlint {

const Expr* unwrap_annotation(const Expr& annotation, bool require_mapped, bool keep_annotated) {
  const Expr* e = &annotation;
  if (require_mapped) {
    if (e->kind != Expr::Kind::Subscript || !e->target || e->target->resolved != "sqlalchemy.orm.Mapped" ||
        e->items.empty()) {
      return nullptr;
    }
    e = &e->items[0];
  }
  for (int guard = 0; guard < 8; ++guard) {
    if (e->kind == Expr::Kind::Subscript && e->target && !e->items.empty()) {
      const FactText wrapper = e->target->resolved;
      if (wrapper == "typing.Optional" || wrapper == "typing_extensions.Optional") {
        e = &e->items[0];
        continue;
      }
      if (wrapper == "typing.Union") {
        const Expr* other = nullptr;
        for (const Expr& item : e->items) {
          if (item.kind != Expr::Kind::None) other = &item;
        }
        if (!other) return nullptr;
        e = other;
        continue;
      }
      if (wrapper == "typing.Annotated" || wrapper == "typing_extensions.Annotated") {
        if (keep_annotated) return e;
        e = &e->items[0];  // Mapped[Annotated[datetime, mapped_column(...)]]: the Python type is the first item
        continue;
      }
      return nullptr;  // List[...], Dict[...]: not a plain scalar column
    }
    if (e->kind == Expr::Kind::BinaryOp && e->name == "|" && e->items.size() == 2) {
      e = e->items[0].kind == Expr::Kind::None ? &e->items[1] : &e->items[0];
      continue;
    }
    break;
  }
  return e->is_name_like() ? e : nullptr;
}

}  // namespace ormlint
