// Code that SQLAlchemy runs for chosen databases only: a TypeDecorator's load_dialect_impl() (SQLAlchemy asks
// it for the type to use on each dialect), and a branch under a test of the dialect's name (`if dialect.name
// == "postgresql":`, `UUID() if dialect.name == "postgresql" else CHAR(32)`). SQLAlchemy's "Backend-agnostic
// GUID Type" recipe imports PostgreSQL's UUID for such code alone: the module's tables still work everywhere.
#pragma once
#include <tree_sitter/api.h>

#include <vector>

#include "core/flat_names.h"
#include "facts/module_facts.h"

namespace ormlint {

class ExprBuilder;

// The names of the module-level imports from `sqlalchemy.dialects` that the module reads, and reads only in
// such code (ModuleFacts::dialect_chosen_imports). A name read anywhere else — or never — is not among them.
NameSet dialect_chosen_imports(TSNode root, const std::vector<Import>& imports, const ExprBuilder& exprs);

}  // namespace ormlint
