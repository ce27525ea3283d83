// Whole column declarations in an annotation (SQLAlchemy 2.0's "Mapping Whole Column Declarations to Python
// Types"): `intpk = Annotated[int, mapped_column(primary_key=True)]`, then `id: Mapped[intpk]` is that
// mapped_column, typed from `int`. An attribute's own `mapped_column(...)` is merged over it: its arguments win,
// the annotation's fill in the rest. The annotation's arguments are located at the attribute's annotation, where
// the column is declared.
#include "core/parallel.h"
#include "project/assigned_value.h"
#include "project/mapped_annotation.h"
#include "project/project.h"

namespace ormlint {

namespace {

constexpr int kMaxAliasHops = 8;

bool is_annotated(const Expr& e) {
  return e.kind == Expr::Kind::Subscript && e.target && e.items.size() >= 2 &&
         (e.target->resolved == "typing.Annotated" || e.target->resolved == "typing_extensions.Annotated");
}

bool is_mapped_column(const Expr& e) { return e.is_call() && e.origin() == "sqlalchemy.orm.mapped_column"; }

// The attribute's own mapped_column (or none) with the annotation's arguments added where it has none.
std::unique_ptr<Expr> merge(const Expr* own, const Expr& declared, const Location& at) {
  if (!own) {
    auto column = std::make_unique<Expr>(declared);
    column->relocate(at);
    return column;
  }
  auto column = std::make_unique<Expr>(*own);
  for (const Expr& item : declared.items) {
    column->items.push_back(item);
    column->items.back().relocate(at);
  }
  for (const Keyword& keyword : declared.keywords) {
    if (own->keyword(keyword.name)) continue;
    column->keywords.push_back(keyword);
    column->keywords.back().loc = at;
    column->keywords.back().value.relocate(at);
  }
  return column;
}

}  // namespace

void Project::expand_annotated_columns(unsigned jobs) {
  // Classes in parallel, each into its own list (the lookups only read the project), then kept in class
  // order.
  std::vector<std::vector<std::pair<const ClassAttribute*, AnnotatedColumn>>> found(classes_.size());
  parallel_for(classes_.size(), jobs, [&](size_t index) {
    const ClassInfo& cls = classes_[index];
    if (!cls.contributes_mapped_attributes()) return;
    for (const ClassAttribute& attr : cls.def->attributes) {
      if (!attr.annotation) continue;
      const Expr* scalar = unwrap_annotation(*attr.annotation, /*require_mapped=*/true, /*keep_annotated=*/true);
      if (!scalar) continue;
      const ProjectFile* where = cls.file;
      // `Mapped[intpk]`: the alias's definition, wherever in the project it is.
      if (scalar->is_name_like()) scalar = assigned_value(*this, where, scalar->text, kMaxAliasHops);
      if (!scalar || !is_annotated(*scalar)) continue;
      const Expr* declared = nullptr;
      for (size_t i = 1; i < scalar->items.size() && !declared; ++i) {
        if (is_mapped_column(scalar->items[i])) declared = &scalar->items[i];
      }
      if (!declared) continue;
      const Expr* own = attr.value && is_mapped_column(*attr.value) ? &*attr.value : nullptr;
      if (attr.value && !own) continue;  // relationship(), column_property(...): not a column declaration
      AnnotatedColumn column;
      column.python_file = where;
      column.python = &scalar->items[0];
      column.construct = merge(own, *declared, attr.annotation->loc);
      found[index].emplace_back(&attr, std::move(column));
    }
  });
  for (auto& columns : found) {
    for (auto& [attr, column] : columns) annotated_columns_.emplace(attr, std::move(column));
  }
}

const Project::AnnotatedColumn* Project::annotated_column(const ClassAttribute& attr) const {
  if (annotated_columns_.empty()) return nullptr;
  auto it = annotated_columns_.find(&attr);
  return it == annotated_columns_.end() ? nullptr : &it->second;
}

}  // namespace ormlint
