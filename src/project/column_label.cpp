#include "project/column_label.h"

namespace ormlint {

std::string column_label(const ColumnInfo& column) {
  const std::string name = column.name.empty() && column.attribute ? column.attribute->name : column.name;
  if (!column.table.empty()) return column.table + "." + name;
  if (column.owner) return column.owner->def->name + "." + name;
  return name;
}

}  // namespace ormlint
