// Alembic revision scripts: identifiers, upgrade()/downgrade(), and every operation with its guard context.
#pragma once
#include <tree_sitter/api.h>

#include <optional>

#include "core/source_file.h"
#include "facts/module_facts.h"

namespace ormlint {

// Returns the revision facts when the module is a revision script (a `revision =` assignment and an upgrade()).
// `module` must already hold the module's imports, assignments and functions.
std::optional<RevisionInfo> build_revision_info(TSNode root, const SourceFile& file, const ModuleFacts& module,
                                                 TextStore& texts);

}  // namespace ormlint
