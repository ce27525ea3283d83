// soft-delete-unique: a table with a soft-delete column (`deleted_at`, `is_deleted`) whose unique columns or
// unique constraints ignore it: a deleted row keeps its value reserved, so re-creating "the same" row (a user
// signing up again with the same email) fails with IntegrityError. Exempt: constraints that include the
// soft-delete column, partial unique indexes whose `*_where=` mentions it, and columns generated per row (a
// sequence, a new UUID).
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "project/assigned_value.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

const ColumnDef* soft_delete_column(const TableDef& table) {
  for (const char* name : {"deleted_at", "is_deleted"}) {
    if (const ColumnDef* column = table.column(name)) return column;
  }
  return nullptr;
}

// The table's columns that mark a row deleted: the one above, and oslo.db's `deleted` (SoftDeleteMixin sets it to
// the row's id on delete, so a unique constraint holding it never meets a deleted row; cinder, nova).
std::vector<std::string> deletion_markers(const TableDef& table) {
  std::vector<std::string> markers;
  for (const char* name : {"deleted_at", "is_deleted", "deleted"}) {
    if (table.column(name)) markers.emplace_back(name);
  }
  return markers;
}

bool mentions(const Expr* e, const std::string& column) {
  return e && (e->text.find(column) != std::string::npos || expression_text(*e).find(column) != std::string::npos);
}

// The constraint takes soft deletion into account: a deletion marker is part of it, or a partial index excludes
// deleted rows.
bool aware(const ConstraintDef& c, const std::vector<std::string>& markers) {
  for (const std::string& column : markers) {
    if (std::find(c.columns.begin(), c.columns.end(), column) != c.columns.end()) return true;
    for (const auto& [keyword, expr] : c.where) {
      if (mentions(expr, column)) return true;
    }
  }
  return false;
}

// A unique constraint that holds the whole primary key, or only primary-key columns (`UniqueConstraint("id",
// "label")` as a composite foreign key's target): it conflicts only where the row's own identity does, which a
// re-created row does not share.
bool identifies_row(const TableDef& table, const ConstraintDef& c) {
  std::vector<std::string> key;
  for (const ColumnDef& column : table.columns) {
    if (column.primary_key) key.push_back(column.name);
  }
  if (key.empty()) return false;
  auto in = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  const bool holds_key = std::all_of(key.begin(), key.end(), [&](const std::string& k) { return in(c.columns, k); });
  const bool only_key = !c.columns.empty() &&
                        std::all_of(c.columns.begin(), c.columns.end(), [&](const std::string& k) { return in(key, k); });
  return holds_key || only_key;
}

// Whether a value names a generator of fresh values: `nextval(...)`, `gen_random_uuid()`, `uuid.uuid4`,
// `secrets.token_hex`, or a lambda calling one.
bool names_generator(const Expr& e) {
  bool found = false;
  e.walk([&](const Expr& part) {
    const std::string_view text =
        part.is_call() ? std::string_view(part.origin()) : std::string_view(part.resolved);
    const std::string_view written = part.is_string() ? std::string_view(part.text) : std::string_view();
    for (std::string_view generator : {"nextval", "gen_random_uuid", "uuid_generate_", "uuid.uuid1",
                                       "uuid.uuid4", "uuid.uuid7", "secrets.token_", "newid", "NEWID"}) {
      if (text.find(generator) != std::string_view::npos ||
          written.find(generator) != std::string_view::npos) {
        found = true;
      }
    }
  });
  return found;
}

// A column whose every row gets a fresh value it never chose: an identity or sequence, a server-side
// generator (`server_default=text("nextval('seq')")`, FetchedValue()), or a Python default making a new UUID
// or token. A re-created row gets a new one, so its uniqueness never meets a deleted row.
bool generated_per_row(const Project& project, const ColumnDef& column) {
  const Expr* construct = column.construct;
  if (!construct || !construct->is_call()) return false;
  for (const Expr& arg : construct->items) {
    const FactText origin = arg.is_call() ? arg.origin() : arg.resolved;
    if (origin == "sqlalchemy.Identity" || origin == "sqlalchemy.Sequence" ||
        origin == "sqlalchemy.FetchedValue") {
      return true;
    }
  }
  if (const Expr* autoincrement = construct->keyword("autoincrement");
      autoincrement && autoincrement->is_true()) {
    return true;
  }
  if (const Expr* server = construct->keyword("server_default");
      server && server->is_call() && server->origin() == "sqlalchemy.FetchedValue") {
    return true;  // a trigger or the database fills it
  }
  for (const char* keyword : {"server_default", "default"}) {
    if (const Expr* value = construct->keyword(keyword); value && names_generator(*value)) return true;
  }
  // `default=generate_token`, a project function whose body is `return secrets.token_urlsafe(32)` (polar).
  if (const Expr* value = construct->keyword("default"); value && value->is_name_like()) {
    const FunctionDef* fn = project_function(project, value->resolved, nullptr);
    if (fn && fn->returned_call && names_generator(*fn->returned_call)) return true;
  }
  return false;
}

// A unique constraint holding a column generated per row (`UniqueConstraint("case_id", "id")` with
// `id = ... default=uuid.uuid4`, a composite foreign key's target): a re-created row never repeats it.
bool holds_generated(const Project& project, const TableDef& table, const ConstraintDef& c) {
  for (const std::string& name : c.columns) {
    const ColumnDef* column = table.column(name);
    if (column && generated_per_row(project, *column)) return true;
  }
  return false;
}

class SoftDeleteUnique final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL424", "soft-delete-unique",
                               "Unique constraint on a soft-deleted table ignores the soft-delete column",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    std::set<std::pair<const ProjectFile*, uint32_t>> seen;  // a mixin's column or constraint serves many tables
    for (const TableDef& table : project.tables().tables()) {
      if (table.reflected || table.name.empty()) continue;
      const ColumnDef* soft = soft_delete_column(table);
      if (!soft) continue;
      const std::vector<std::string> markers = deletion_markers(table);
      for (const ColumnDef& column : table.columns) {
        if (!column.unique || column.primary_key || !column.file || &column == soft ||
            generated_per_row(project, column)) {
          continue;
        }
        if (!seen.insert({column.file, column.loc.start_byte}).second) continue;
        report(*column.file, column.loc, table, table.name + "." + column.name, "has unique=True", soft->name, out);
      }
      for (const ConstraintDef* c : table.constraints) {
        if (!c->unique || !c->file || identifies_row(table, *c) || holds_generated(project, table, *c))
          continue;
        if (const std::string nullable = nullable_marker_in(table, *c, markers); !nullable.empty()) {
          if (!seen.insert({c->file, c->loc.start_byte}).second) continue;
          report_null_marker(*c->file, c->loc, table, *c, nullable, out);
          continue;
        }
        if (aware(*c, markers)) continue;
        if (!seen.insert({c->file, c->loc.start_byte}).second) continue;
        std::string shown = table.name + "(" + joined(c->columns) + ")";
        report(*c->file, c->loc, table, shown,
               c->kind == ConstraintDef::Kind::Index ? "is a unique index" : "is a unique constraint",
               soft->name, out);
      }
    }
  }

 private:
  // A marker the constraint's columns hold that is nullable (`deleted_at`), with no partial-index filter and
  // no `postgresql_nulls_not_distinct=True`: every live row holds NULL there, and NULLs are never equal in a
  // unique index (PostgreSQL before 15's NULLS NOT DISTINCT, MySQL, SQLite), so the key stops no duplicate
  // among live rows (mindsdb's predictor_index). "" otherwise.
  static std::string nullable_marker_in(const TableDef& table, const ConstraintDef& c,
                                        const std::vector<std::string>& markers) {
    if (!c.where.empty()) return "";
    if (const Expr* distinct = c.construct ? c.construct->keyword("postgresql_nulls_not_distinct") : nullptr;
        distinct && distinct->is_true()) {
      return "";
    }
    for (const std::string& marker : markers) {
      const ColumnDef* column = table.column(marker);
      // A default (oslo.db's `deleted = Column(Integer, default=0)`) gives live rows a value, not NULL.
      if (column && column->nullable && !column->has_default() && !column->has_server_default() &&
          std::find(c.columns.begin(), c.columns.end(), marker) != c.columns.end()) {
        return marker;
      }
    }
    return "";
  }

  static void report_null_marker(const ProjectFile& file, const Location& loc, const TableDef& table,
                                 const ConstraintDef& c, const std::string& marker, Reporter& out) {
    std::vector<std::string> others;
    for (const std::string& column : c.columns) {
      if (column != marker) others.push_back(column);
    }
    out.report(
        file, loc,
        "`" + table.name + "(" + joined(c.columns) + ")` holds the nullable `" + marker +
            "`: every live row has NULL there, and NULLs are never equal in a unique index, so two live rows "
            "may share `" +
            joined(others) + "`",
        "make it a partial unique index over live rows: `Index(\"uq_...\", " + joined(others) +
            ", unique=True, postgresql_where=text(\"" + marker +
            " IS NULL\"))`, or on PostgreSQL 15+ add `postgresql_nulls_not_distinct=True`");
  }

  static void report(const ProjectFile& file, const Location& loc, const TableDef& table, const std::string& shown,
                     const std::string& what, const std::string& soft, Reporter& out) {
    out.report(file, loc,
               "`" + shown + "` " + what + " but `" + table.name + "` is soft-deleted with `" + soft +
                   "`: a deleted row keeps the value taken, so re-creating it raises IntegrityError",
               "replace it with a partial unique index over live rows: `Index(\"uq_...\", <columns>, unique=True, "
               "postgresql_where=text(\"" + soft + (soft == "is_deleted" ? " = false" : " IS NULL") + "\"))`");
  }
};

ORMLINT_RULE(SoftDeleteUnique);

}  // namespace

}  // namespace ormlint
