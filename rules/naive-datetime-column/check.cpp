// naive-datetime-column: a DateTime/TIMESTAMP column declared without timezone=True — written out
// (`Column(DateTime)`, `DateTime()`, `DateTime(timezone=False)`) or inferred (`Mapped[datetime]` and SQLModel
// `datetime` fields, unless the base's type_annotation_map maps datetime to an aware type) — in models, Core
// tables and the upgrade() operations of revision scripts.
#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_statements.h"
#include "project/column_label.h"
#include "project/migration_ops.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

enum class Storage {
  None,         // not a date-and-time type
  ZoneCapable,  // timezone=True gives TIMESTAMP WITH TIME ZONE (PostgreSQL, Oracle; DATETIMEOFFSET on SQL Server)
  Zoneless,     // MySQL / SQLite dialect types: the database keeps no time zone whatever the flag says
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Storage storage_of(std::string_view origin) {
  static const std::set<std::string, std::less<>> kZoneCapable = {
      "sqlalchemy.DateTime", "sqlalchemy.TIMESTAMP", "sqlalchemy.DATETIME",
      "sqlalchemy.dialects.postgresql.TIMESTAMP", "sqlalchemy.dialects.oracle.TIMESTAMP"};
  if (kZoneCapable.count(origin)) return Storage::ZoneCapable;
  // Dialect modules may be imported through their submodules (sqlalchemy.dialects.mysql.types.DATETIME).
  bool mysql = origin.rfind("sqlalchemy.dialects.mysql.", 0) == 0;
  bool sqlite = origin.rfind("sqlalchemy.dialects.sqlite.", 0) == 0;
  if ((mysql && (ends_with(origin, ".DATETIME") || ends_with(origin, ".TIMESTAMP"))) ||
      (sqlite && ends_with(origin, ".DATETIME"))) {
    return Storage::Zoneless;
  }
  return Storage::None;
}

enum class Zone { Aware, Naive, Unknown };

// The timezone flag of a type as written. The flag is also the first positional argument of DateTime and of
// every dialect's TIMESTAMP/DATETIME, so `DateTime(True)` is aware. A non-literal flag is left alone.
Zone zone_of(const Expr* type) {
  if (!type || type->is_name_like()) return Zone::Naive;  // SQLAlchemy's default: timezone=False
  if (!type->is_call()) return Zone::Unknown;
  const Expr* flag = type->keyword("timezone");
  if (!flag) flag = type->arg(0);
  if (!flag) return Zone::Naive;
  if (flag->is_true()) return Zone::Aware;
  if (flag->is_false() || flag->kind == Expr::Kind::None) return Zone::Naive;
  return Zone::Unknown;
}

// The type's callable as the user wrote it ("sa.DateTime", "DT", "postgresql.TIMESTAMP").
std::string written_type(const Expr& type) {
  if (type.is_call() && type.target) return type.target->text;
  return type.text;
}

bool from_annotation_map(const ColumnInfo& column) { return column.type.inferred && column.type.expr; }

// A migration's column that the models map through a type of their own (a project TypeDecorator storing UTC
// in a plain DateTime, FitTrackee's TZDateTime; a library's type): the migration only creates its storage,
// and the model's type, which this rule does not judge, decides what the application reads and writes.
bool mapped_through_own_type(const Project& project, const ColumnInfo& column) {
  if (column.context != ColumnInfo::Context::Migration || column.table.empty() || column.name.empty())
    return false;
  for (const TableDef* table : project.tables().named(column.table)) {
    const ColumnDef* mapped = table->column(column.name);
    if (mapped && mapped->type.find('.') != std::string_view::npos &&
        !mapped->type.starts_with("sqlalchemy.")) {
      return true;
    }
  }
  return false;
}

// A column a revision creates naive that another revision's upgrade() (or a later operation of the same one)
// turns aware with `alter_column(type_=DateTime(timezone=True))` (tracecat), makes another type (open-webui's
// BigInteger epoch seconds), also in SQL, or drops: the history already fixes it, and an applied migration
// cannot be edited anyway.
bool fixed_later(const Project& project, const ColumnInfo& column) {
  const OperationCall* op = column.operation;
  if (column.context != ColumnInfo::Context::Migration || !op || op->name == "alter_column" ||
      column.table.empty() || column.name.empty()) {
    return false;
  }
  for (const ColumnInfo* other : project.migration_columns(column.table, column.name)) {
    const OperationCall* change = other->operation;
    if (change->name != "alter_column" || change->function != "upgrade") continue;
    if (other->file == column.file && change->call.loc.start_byte < op->call.loc.start_byte) continue;
    if (storage_of(other->type.origin) == Storage::ZoneCapable && zone_of(other->type.expr) == Zone::Aware) {
      return true;
    }
    if (other->type.origin.starts_with("sqlalchemy.") && storage_of(other->type.origin) == Storage::None)
      return true;
  }
  // The same change in SQL (funnel's `ALTER TABLE ... ALTER COLUMN ... TYPE TIMESTAMP WITH TIME ZONE`).
  for (const Project::MigrationSqlTypeChange& change :
       project.sql_type_changes(lower(column.table), lower(column.name))) {
    if (change.file == column.file && change.operation->call.loc.start_byte < op->call.loc.start_byte)
      continue;
    if (!sql_type_is_naive_datetime(change.type)) return true;
  }
  return project.dropped_after(*column.file, *op, lower(column.table), lower(column.name));
}

class NaiveDatetimeColumn final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL106", "naive-datetime-column",
                               "DateTime/TIMESTAMP column without timezone=True: stores and returns naive datetimes",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    std::set<uint32_t> seen;  // a helper called twice records its operations (and columns) twice
    for (const ColumnInfo* column : project.columns_in(file)) {
      // A downgrade() restores the old schema, naive columns included: that is its job.
      if (column->operation && column->operation->function == "downgrade") continue;
      Storage storage = storage_of(column->type.origin);
      if (storage == Storage::None || zone_of(column->type.expr) != Zone::Naive) continue;
      if (mapped_through_own_type(project, *column) || fixed_later(project, *column) ||
          !seen.insert(column->type.loc.start_byte).second) {
        continue;
      }
      report(file, *column, storage, out);
    }
  }

 private:
  static void report(const ProjectFile& file, const ColumnInfo& column, Storage storage, Reporter& out) {
    const std::string label = "`" + column_label(column) + "`";
    if (storage == Storage::Zoneless) {
      const std::string type = written_type(*column.type.expr);
      out.report(file, column.type.loc,
                 label + " is `" + type +
                     "`, which keeps no time zone: aware datetimes lose their offset when stored and come back naive",
                 "timezone=True changes nothing on MySQL/SQLite: store UTC only, and re-attach timezone.utc on load "
                 "with a TypeDecorator (impl = DateTime)");
      return;
    }
    const std::string consequence =
        " is TIMESTAMP WITHOUT TIME ZONE: the offset of an aware datetime is silently dropped when stored, and "
        "values come back naive";
    if (!column.type.inferred) {
      const std::string type = written_type(*column.type.expr);
      out.report(file, column.type.loc, label + consequence + " (`" + type + "` without timezone=True)",
                 "declare `" + type + "(timezone=True)`" +
                     (column.context == ColumnInfo::Context::Migration
                          ? std::string()
                          : std::string(", and migrate the existing column with op.alter_column(type_=...)")));
    } else if (from_annotation_map(column)) {
      out.report(file, column.type.loc,
                 label + consequence + " (the base's type_annotation_map maps datetime to a naive `" +
                     written_type(*column.type.expr) + "`)",
                 "map it to an aware type on the base: `type_annotation_map = {datetime: DateTime(timezone=True)}`");
    } else if (column.owner && column.owner->sqlmodel) {
      out.report(file, column.type.loc, label + consequence + " (SQLModel maps `datetime` to `DateTime()`)",
                 "give the field an aware type: `Field(sa_type=DateTime(timezone=True))`");
    } else {
      out.report(file, column.type.loc, label + consequence + " (`Mapped[datetime]` maps to `DateTime()`)",
                 "write `mapped_column(DateTime(timezone=True))`, or map it once on the base: "
                 "`type_annotation_map = {datetime: DateTime(timezone=True)}`");
    }
  }
};

ORMLINT_RULE(NaiveDatetimeColumn);

}  // namespace

}  // namespace ormlint
