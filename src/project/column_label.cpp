#include "project/column_label.h"

#include "project/migration_ops.h"

namespace ormlint {

std::string column_label(const ColumnInfo& column) {
  std::string owner = column.table;
  if (owner.empty() && column.owner) owner = column.owner->def->name;
  std::string name = column.name.empty() && column.attribute ? std::string(column.attribute->name)
                                                             : std::string(column.name);
  if (const OperationCall* op = column.operation; op && column.file && column.file->facts.revision) {
    if (owner.empty()) owner = written_table(*column.file->facts.revision, *op).shown();
    if (name.empty()) name = written_column(*op).shown();
  }
  if (name.empty()) name = "?";
  return owner.empty() ? name : owner + "." + name;
}

}  // namespace ormlint
