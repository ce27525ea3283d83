// How a message names a column: `tools.type`, or for a mixin's column (no table yet) `StatusMixin.status`; in
// a migration whose names are held in variables or f-strings, those as placeholders (`<table_name>.status`,
// `<f"{prefix}users">.age`); "?" for a name nothing gives.
#pragma once
#include <string>

#include "project/project.h"

namespace ormlint {

std::string column_label(const ColumnInfo& column);

}  // namespace ormlint
