// SQLAlchemy knowledge shared by rules: which canonical names are mapped constructs, column types, etc.
#pragma once
#include <string>
#include <string_view>

#include "facts/module_facts.h"
#include "project/project.h"

namespace ormlint {

// Column, mapped_column, relationship, column_property, deferred, synonym, composite, ... (canonical names).
bool is_mapped_construct_call(std::string_view canonical);
// `Mapped[...]`, `WriteOnlyMapped[...]`, `DynamicMapped[...]`.
bool is_mapped_annotation(const Expr& annotation);
// Whether the attribute declares something the mapper maps (a column, relationship, property...) on `owner`.
// SQLModel table classes map plain annotated fields too.
bool is_mapped_attribute(const ClassInfo& owner, const ClassAttribute& attribute);
// ForeignKey(...), Sequence(...), Identity(), Index(...), ...: an argument of Column(...) that is not its
// type.
bool is_schema_item(const Expr& e);
// The type a Column(...)/mapped_column(...) call is given: `type_=`, else the first positional argument that
// is neither the column name nor a schema item. Null when it has none (or None: then the annotation types
// it).
const Expr* column_type_argument(const Expr& call);
// `mapped_column(use_existing_column=True)`: maps the column of that name the inherited table has already (a
// single-table parent's or sibling's), and creates it when there is none.
bool reuses_existing_column(const Expr& construct);

// Calls fn(attribute, field) for each attribute `name = Field(...)` of the file's SQLModel classes (tables,
// and the data models they derive from): `field` is the sqlmodel.Field call.
template <class Fn>
void for_each_sqlmodel_field(const ProjectFile& file, const Project& project, Fn&& fn) {
  for (const ClassDef& def : file.facts.classes) {
    const ClassInfo* cls = project.class_info(def);
    if (!cls || !cls->sqlmodel) continue;
    for (const ClassAttribute& attribute : def.attributes) {
      const Expr* field = attribute.value ? &*attribute.value : nullptr;
      if (field && field->is_call() && field->origin() == "sqlmodel.Field") fn(attribute, *field);
    }
  }
}

// A project TypeDecorator's storage type: the class-level `impl` (`impl = sa.TEXT`, `impl = sa.Enum`) of the
// project class a type expression names (`JSONEncodedDict()`, `JSONEncodedDict`), its own or the nearest
// inherited one (zun's types share a base's `impl = TEXT`), with the file that declares it (where its names
// resolve). `impl` null when the type names no such class: SQLAlchemy's own types are not looked up.
// `chooses_per_dialect`: the class or a project base defines load_dialect_impl(), which SQLAlchemy asks for
// the type each database gets (DDL included): nova's IPAddress, `impl = String`, gives MySQL String(39) and
// PostgreSQL INET, so the column is not known to be `impl` there. (Schema events such as an Enum's CREATE
// TYPE still come from `impl`.)
struct DecoratedImpl {
  const Expr* impl = nullptr;
  const ProjectFile* file = nullptr;
  bool chooses_per_dialect = false;
};
DecoratedImpl decorated_impl(const Project& project, const ProjectFile& file, const Expr& type);

}  // namespace ormlint
