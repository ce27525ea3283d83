// alter-column-ignored-keyword: `op.alter_column(...)` / `batch_op.alter_column(...)` given a keyword that is
// not one of its parameters (`type=` for `type_=`, `default=` for `server_default=`). alter_column takes **kw
// for dialect options and hands them to the dialect, which ignores the ones it does not know: the migration
// runs, reports success, and the column is not changed (`name=` fails instead: it collides with the name
// Alembic passes on). Dialect-prefixed options (`postgresql_using=`) are left alone. Also a Column(...) given
// where the column's name goes: Alembic reads none of its settings, so the call alters nothing.
#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

// alter_column's own parameters (Alembic 1.x), those the MySQL dialect reads from **kw, and the batch-only
// ones.
constexpr std::array<std::string_view, 19> kParameters = {"table_name",
                                                          "column_name",
                                                          "nullable",
                                                          "comment",
                                                          "server_default",
                                                          "new_column_name",
                                                          "type_",
                                                          "existing_type",
                                                          "existing_server_default",
                                                          "existing_nullable",
                                                          "existing_comment",
                                                          "schema",
                                                          "autoincrement",
                                                          "existing_autoincrement",
                                                          "insert_before",
                                                          "insert_after",
                                                          "postgresql_using",
                                                          "mysql_charset",
                                                          "mysql_collate"};

constexpr std::array<std::string_view, 6> kDialects = {"postgresql_", "mysql_", "mariadb_",
                                                       "sqlite_",     "mssql_", "oracle_"};

bool is_parameter(std::string_view keyword) {
  for (std::string_view parameter : kParameters) {
    if (keyword == parameter) return true;
  }
  // PostgreSQL's alter_column reads only `postgresql_using`: another postgresql_ keyword (`postgresql_usin`)
  // is lost the same way. Other dialects' options are taken as they come.
  if (keyword.starts_with("postgresql_")) return false;
  for (std::string_view dialect : kDialects) {
    if (keyword.starts_with(dialect)) return true;
  }
  return false;
}

// The parameter the keyword was meant to be, where the mistake is a common one.
std::string meant(std::string_view keyword) {
  if (keyword == "type") return "type_";
  if (keyword == "default") return "server_default";
  if (keyword == "existing_default") return "existing_server_default";
  if (keyword == "new_name" || keyword == "name" || keyword == "new_column") return "new_column_name";
  if (keyword == "existing_type_") return "existing_type";
  return "";
}

// `op.alter_column("settings", sa.Column("sound", sa.Boolean(), nullable=False))`: a Column where the
// column's name goes. Without a keyword that changes something Alembic emits nothing (checked with
// Alembic 1.8's SQL output); with one, quoting the Column as a name raises AttributeError.
void report_column_given(const ProjectFile& file, const OperationCall& op, const Expr& column,
                         Reporter& out) {
  const RevisionInfo& revision = *file.facts.revision;
  const WrittenName table = written_table(revision, op);
  const WrittenName name = written_column(op);
  const std::string call = op.written_callee() + "(...)";
  // A batch that rebuilds the table (SQLite) looks the Column up among the table's columns instead.
  const std::string effect =
      alter_column_changes_nothing(op)
          ? std::string(
                "Alembic reads nothing from it (not its type, nullable= or default=) and is given "
                "nothing to change, so no SQL is emitted: nothing is altered and the migration still "
                "succeeds") +
                (op.in_batch ? " (where the batch rebuilds the table, as on SQLite, it fails with KeyError)"
                             : "")
          : "Alembic quotes it as a name, which fails with AttributeError";
  const std::string type = column.arg(1) ? file.written(*column.arg(1), 40) : "<type>";
  out.report(file, column.loc,
             "`" + call + "` is given a Column as its column_name (for `" + shown_column(revision, op) +
                 "`): " + effect,
             "name the column and say what changes: `" + op.written_callee() + "(" +
                 (op.in_batch ? "" : table.python() + ", ") + name.python() + ", existing_type=" + type +
                 ", nullable=..., server_default=...)`");
}

// Whether some revision's SQL creates or alters the enum type `name` (`CREATE TYPE record_types AS ENUM
// (...)`, `ALTER TYPE record_types ADD VALUE ...`, FitTrackee): its values are then not what the operations
// show.
bool enum_type_in_sql(const Project& project, const std::string& name) {
  auto same = [&](const std::string& type) { return sql_type_name(type) == lower(name); };
  for (const auto& file : project.files()) {
    if (!file->facts.revision) continue;
    for (const OperationCall& op : file->facts.revision->operations) {
      std::string sql;
      if (op.name != "execute" || !literal_sql(file->facts, executed_sql(op), sql)) continue;
      if (same(added_enum_type(sql))) return true;
      for (const std::string& created : created_enum_types(sql)) {
        if (same(created)) return true;
      }
    }
  }
  return false;
}

// `existing_type=sa.Enum("GPU", "FPGA", "SSD", ...)` and no `type_=` on a column whose enum, as an earlier
// revision (or an earlier step of this one) made it, lacks some of those values (cyborg adds enum values
// this way): existing_type= only describes the column, so outside MySQL (whose MODIFY restates the column
// with it) nothing changes, and inserting a new value fails. The values it adds, or empty.
std::vector<std::string> values_given_as_existing(const Project& project, const ProjectFile& file,
                                                  const OperationCall& op) {
  const Expr* existing = op.call.keyword("existing_type");
  const EnumType given_enum = existing ? enum_type(*existing) : EnumType{};
  const std::vector<std::string>& given = given_enum.values;
  const std::string column = op.column_name();
  // MySQL's own ENUM lives in the column, which MySQL's MODIFY restates from existing_type anyway.
  if (given.empty() || given_enum.mysql || op.call.keyword("type_") || op.table.empty() || column.empty())
    return {};
  if (!given_enum.name.empty() && enum_type_in_sql(project, given_enum.name)) return {};
  RevisionsAround around(project, file);
  for (const ColumnInfo* c : project.migration_columns(op.table, column)) {
    if (c->operation == &op || c->operation->function != "upgrade") continue;
    if (c->file == &file ? c->operation->call.loc.start_byte > op.call.loc.start_byte
                         : !around.before(c->file)) {
      continue;
    }
    const std::vector<std::string> had =
        c->type.expr ? enum_type(*c->type.expr).values : std::vector<std::string>{};
    if (had.empty() || had.size() >= given.size()) continue;
    std::vector<std::string> added;
    for (const std::string& value : given) {
      if (std::find(had.begin(), had.end(), value) == had.end()) added.push_back(value);
    }
    if (added.size() == given.size() - had.size()) return added;  // every old value kept: only additions
  }
  return {};
}

class AlterColumnIgnoredKeyword final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{
        "OL234",
        "alter-column-ignored-keyword",
        "alter_column given a keyword it does not have (type= for type_=), or a Column for the "
        "column's name: Alembic ignores it, and the column is not changed",
        Severity::Error,
        Profile::Any,
        true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    // A call in a loop over literal names is one operation per name (senlin's typo in a loop over four
    // tables): reported once, at the call.
    std::set<uint32_t> seen;
    for (const OperationCall& op : file.facts.revision->operations) {
      if (op.name != "alter_column" || !seen.insert(op.call.loc.start_byte).second) continue;
      if (const Expr* column = alter_column_given_column(op)) report_column_given(file, op, *column, out);
      if (const auto added = values_given_as_existing(project, file, op); !added.empty()) {
        std::string listed;
        for (const std::string& value : added) listed += (listed.empty() ? "'" : ", '") + value + "'";
        const Expr& existing = *op.call.keyword("existing_type");
        out.report(
            file, existing.loc,
            "`existing_type=` only describes `" + shown_column(*file.facts.revision, op) +
                "` as it is, yet it lists enum values the column does not have (" + listed +
                "): nothing asks for a type change, so PostgreSQL keeps the old enum and inserting a new "
                "value fails (only MySQL, which restates the column from existing_type, gets them)",
            "pass the new enum as `type_=` and the old one as `existing_type=` (on PostgreSQL, add the "
            "values with `ALTER TYPE ... ADD VALUE`)");
      }
      for (const Keyword& keyword : op.call.keywords) {
        if (keyword.is_list_splat() || is_parameter(keyword.name)) continue;
        const std::string call = op.written_callee() + "(...)";
        // The parameter meant, unless the call has it already (`server_default="f", default=False`: the
        // Python-side default only, which has no DDL to drop).
        std::string instead = meant(keyword.name);
        if (!instead.empty() && op.call.keyword(instead)) instead.clear();
        // `name=` collides with the `name` Alembic itself passes on (the new_column_name): a TypeError.
        const std::string effect =
            keyword.name == "name"
                ? "Alembic passes its own `name` to the dialect too, so the migration fails with TypeError "
                  "(multiple values for keyword argument 'name')"
            : !alter_column_changes_nothing(op)
                ? "Alembic hands it to the dialect, which ignores it: the rest of the call "
                  "is applied, this part of it never is"
                : "Alembic hands it to the dialect, which ignores it, so the migration "
                  "succeeds and the column is not changed";
        const std::string column = shown_column(*file.facts.revision, op);
        out.report(
            file, keyword.loc,
            "`" + std::string(keyword.name) + "=` is not a parameter of `" + call + "` (for `" + column +
                "`): " + effect,
            instead.empty() && op.call.keyword("server_default") && keyword.name == "default"
                ? "drop `default=`: a Python-side default means nothing to the database; `server_default=` "
                  "says what it stores"
            : instead.empty()
                ? "use one of alter_column's parameters (`type_=`, `nullable=`, `server_default=`, "
                  "`new_column_name=`, `comment=`, `existing_*=`) or a dialect option "
                  "(`postgresql_using=`)"
                : "write `" + instead + "=" + file.written(keyword.value, 60) + "`");
      }
    }
  }
};

ORMLINT_RULE(AlterColumnIgnoredKeyword);

}  // namespace

}  // namespace ormlint
