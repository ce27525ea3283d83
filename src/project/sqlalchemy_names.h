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
// `mapped_column(use_existing_column=True)`: maps the column a single-table parent declares, adds none of its own.
bool reuses_parent_column(const Expr& construct);

}  // namespace ormlint
