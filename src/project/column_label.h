// How a message names a column: `tools.type`, or for a mixin's column (no table yet) `StatusMixin.status`.
#pragma once
#include <string>

#include "project/project.h"

namespace ormlint {

std::string column_label(const ColumnInfo& column);

}  // namespace ormlint
