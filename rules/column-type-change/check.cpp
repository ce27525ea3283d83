// column-type-change: alter_column(type_=...) in upgrade() on a table that already exists. PostgreSQL rewrites the
// table (and rebuilds its indexes) under an ACCESS EXCLUSIVE lock for most type changes, MySQL copies it, and a
// value that does not cast to the new type fails the migration half-way through a deploy.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/assigned_value.h"
#include "project/migration_ops.h"
#include "project/sqlalchemy_names.h"

namespace ormlint {

namespace {

// A short rendering of a type for the message: `sa.String(length=255)`, `postgresql.JSONB()`.
std::string render(const Expr& e, int depth = 0) {
  if (e.kind == Expr::Kind::String) return "\"" + e.text + "\"";
  if (!e.is_call() || !e.target || depth > 2) return e.text;
  std::string out = e.target->text + "(";
  bool first = true;
  for (const Expr& arg : e.items) {
    out += (first ? "" : ", ") + render(arg, depth + 1);
    first = false;
  }
  for (const Keyword& kw : e.keywords) {
    out += (first ? "" : ", ") + kw.written_prefix() + render(kw.value, depth + 1);
    first = false;
  }
  return out + ")";
}

// A type as its source writes it, on one line (`sa.Enum(*NEW_STATUSES, name="status")`: arguments the facts
// do not keep, such as a `*values` splat, still show), shortened; rendered from the facts when it has no
// source here.
std::string written(const ProjectFile& file, const Expr& e) {
  std::string text = file.written(e, 100);
  return text.empty() ? render(e) : text;
}

std::string last_segment(const std::string& dotted) {
  size_t dot = dotted.rfind('.');
  return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

// A SQLAlchemy string type: its length (nullopt = unbounded: TEXT, or VARCHAR without a length).
struct StringType {
  bool is_string = false;
  std::optional<long> length;
  bool length_known = true;  // false: a length ormlint cannot read (`String(MAX_LENGTH)`)
};

StringType string_type(const Expr& type) {
  static const std::set<std::string, std::less<>> kBounded = {"String", "VARCHAR", "Unicode", "NVARCHAR"};
  static const std::set<std::string, std::less<>> kUnbounded = {"Text", "TEXT", "UnicodeText"};
  const FactText origin = type.origin();
  // SQLAlchemy-Utils types stored as strings (zou's ChoiceType): their `impl=`, else their documented
  // default.
  if (origin.rfind("sqlalchemy_utils.", 0) == 0) {
    if (const Expr* impl = type.is_call() ? type.keyword("impl") : nullptr) return string_type(*impl);
    const std::string name = last_segment(origin);
    if (name == "ChoiceType" || name == "EmailType") return {true, 255};
    if (name == "URLType" || name == "ScalarListType") return {true, std::nullopt};
    // Their `impl` (SQLAlchemy-Utils' sources): funnel's Unicode(40) -> TimezoneType widens.
    static const std::map<std::string, long, std::less<>> kFixed = {
        {"CountryType", 2},      {"CurrencyType", 3},   {"LocaleType", 10},  {"ColorType", 20},
        {"PhoneNumberType", 20}, {"IPAddressType", 50}, {"TimezoneType", 50}};
    if (auto it = kFixed.find(name); it != kFixed.end()) return {true, it->second};
    return {};
  }
  if (origin.rfind("sqlalchemy.", 0) != 0) return {};
  std::string name = last_segment(origin);
  // MySQL's text family, by the bytes each holds: TINYTEXT -> TEXT -> MEDIUMTEXT -> LONGTEXT widens (keep).
  if (origin.rfind("sqlalchemy.dialects.mysql.", 0) == 0) {
    if (name == "TINYTEXT") return {true, 255};
    if (name == "TEXT") return {true, 65535};
    if (name == "MEDIUMTEXT") return {true, 16777215};
    if (name == "LONGTEXT") return {true, std::nullopt};
  }
  if (kUnbounded.count(name)) return {true, std::nullopt};
  if (!kBounded.count(name)) return {};
  const Expr* length = type.is_call() ? type.keyword("length") : nullptr;
  if (!length && type.is_call()) length = type.arg(0);
  if (!length) return {true, std::nullopt};
  if (length->kind == Expr::Kind::None)
    return {true, std::nullopt};  // String(None): VARCHAR without a length
  if (length->kind != Expr::Kind::Number) return {true, std::nullopt, false};
  try {
    return {true, std::stol(length->text)};
  } catch (const std::exception&) {
    return {true, std::nullopt, false};
  }
}

// MySQL's own TEXT family (`mysql.MEDIUMTEXT()`): types only MySQL renders.
bool mysql_text_family(const Expr& type) {
  const FactText origin = type.origin();
  return origin.rfind("sqlalchemy.dialects.mysql.", 0) == 0 && origin.ends_with("TEXT");
}

// SQLAlchemy's generic `Text` / `TEXT` / `UnicodeText` without a length: TEXT on MySQL (a length would make
// MySQL pick the smallest type of the family that holds it).
bool generic_text(const Expr& type) {
  static const std::set<std::string, std::less<>> kGenericText = {"sqlalchemy.Text", "sqlalchemy.TEXT",
                                                                  "sqlalchemy.UnicodeText"};
  if (!kGenericText.count(type.origin())) return false;
  return !type.is_call() || (type.items.empty() && !type.keyword("length"));
}

// VARCHAR(n) -> VARCHAR(m >= n) or TEXT changes only the catalog on PostgreSQL (no rewrite, no scan), and every
// old value fits. Known only when existing_type says what the column was.
bool widens_string(const Expr& from, const Expr& to) {
  StringType old_type = string_type(from), new_type = string_type(to);
  if (!old_type.is_string || !new_type.is_string || !new_type.length_known) return false;
  // `sa.Text()` -> `mysql.MEDIUMTEXT()` (mistral) is TEXT -> MEDIUMTEXT: up the family, like mysql.TEXT's.
  if (generic_text(from) && mysql_text_family(to)) old_type.length = 65535;
  if (!new_type.length) return true;  // to TEXT: whatever the old length was
  return old_type.length_known && old_type.length && *new_type.length >= *old_type.length;
}

// A SQLAlchemy NUMERIC/DECIMAL type: its precision and scale (nullopt precision = unconstrained).
struct NumericType {
  bool is_numeric = false;
  bool known = false;  // both numbers readable (or none given)
  std::optional<long> precision;
  long scale = 0;
};

NumericType numeric_type(const Expr& type) {
  static const std::set<std::string, std::less<>> kNumeric = {"Numeric", "NUMERIC", "DECIMAL"};
  const FactText origin = type.origin();
  if (origin.rfind("sqlalchemy.", 0) != 0 || !kNumeric.count(last_segment(origin))) return {};
  NumericType out{true, true, std::nullopt, 0};
  auto number = [&](const char* keyword, size_t position) -> std::optional<long> {
    const Expr* e = type.is_call() ? type.keyword(keyword) : nullptr;
    if (!e && type.is_call()) e = type.arg(position);
    if (!e || e->kind == Expr::Kind::None) return std::nullopt;
    if (e->kind != Expr::Kind::Number) {
      out.known = false;
      return std::nullopt;
    }
    try {
      return std::stol(e->text);
    } catch (const std::exception&) {
      out.known = false;
      return std::nullopt;
    }
  };
  out.precision = number("precision", 0);
  out.scale = number("scale", 1).value_or(0);
  return out;
}

// NUMERIC(p, s) -> NUMERIC(q >= p, s) or unconstrained NUMERIC: PostgreSQL (9.2 on) changes only the catalog,
// and every old value fits.
bool widens_numeric(const Expr& from, const Expr& to) {
  NumericType old_type = numeric_type(from), new_type = numeric_type(to);
  if (!old_type.is_numeric || !new_type.is_numeric || !old_type.known || !new_type.known) return false;
  if (!new_type.precision) return true;
  return old_type.precision && *new_type.precision >= *old_type.precision && new_type.scale == old_type.scale;
}

bool widens(const Expr& from, const Expr& to) {
  return widens_string(from, to) || widens_numeric(from, to);
}

// An enum whose values ormlint cannot read (`existing_type=sa.Enum`, the bare class, a common idiom;
// `sa.Enum(*values_of(), name="t")`): it says only that the column is an enum, not which one.
bool enum_of_unknown_values(const Expr& type) {
  const FactText origin = type.origin();
  const bool enum_class = origin == "sqlalchemy.Enum" || origin == "sqlalchemy.dialects.postgresql.ENUM" ||
                          origin == "sqlalchemy.dialects.mysql.ENUM";
  return enum_class && (!type.is_call() || type.items.empty());
}

// The same enum with values appended at the end: nothing to rewrite and every old value fits (PostgreSQL keeps
// the named type, MySQL appends ENUM members in place).
std::optional<EnumType> appended_enum(const Expr& from, const Expr& to) {
  EnumType old_type = enum_type(from), new_type = enum_type(to);
  if (!old_type.is_enum || !new_type.is_enum || old_type.name != new_type.name ||
      new_type.values.size() < old_type.values.size() ||
      !std::equal(old_type.values.begin(), old_type.values.end(), new_type.values.begin())) {
    return std::nullopt;
  }
  return new_type;
}

// The type class of a type expression ("sqlalchemy.Boolean" for `sa.Boolean` and `sa.Boolean()`); "" when it is
// not a SQLAlchemy type (a reflected `table.c.x.type`, a variable).
std::string type_class(const Expr& type) {
  const FactText origin = type.is_call() ? type.origin() : type.resolved;
  return origin.rfind("sqlalchemy.", 0) == 0 ? origin : "";
}

// The same type, arguments and all: `sa.Boolean` and `sa.Boolean()`, `String(255)` and `sa.String(255)`.
bool same_type(const Expr& a, const Expr& b) {
  if (type_class(a).empty() || type_class(a) != type_class(b)) return false;
  auto arguments = [](const Expr& type) {
    std::string out;
    if (!type.is_call()) return out;
    for (const Expr& item : type.items) out += item.text + ",";
    for (const Keyword& keyword : type.keywords) out += keyword.name + "=" + keyword.value.text + ",";
    return out;
  };
  return arguments(a) == arguments(b);
}

// A project function whose body only returns a type, called without arguments (mistral's `st.MediumText()`,
// `return sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")`): that type, and the module it is read in.
const Expr* returned_type(const Project& project, const Expr& type, const ProjectFile** module) {
  if (!type.is_call() || !type.items.empty() || !type.keywords.empty()) return nullptr;
  const ProjectFile* found = nullptr;
  const FunctionDef* function = project_function(project, type.origin(), &found);
  if (!function || !function->returned_call || !function->parameters.empty()) return nullptr;
  *module = found;
  return &*function->returned_call;
}

// The strings a list or tuple of string literals holds, written out, bound to a module-level name, or the two
// joined by `+` (designate's `OLD_SERVICE_STATES + ["STOPPED"]`); nullopt for anything else.
std::optional<std::vector<Expr>> literal_strings(const Expr& e, const Project& project,
                                                 const ProjectFile& file, int depth = 0) {
  constexpr int kMaxHops = 8;  // names and imports followed, beyond which a cycle is assumed
  if (depth > kMaxHops) return std::nullopt;
  if (e.is(Expr::Kind::List) || e.is(Expr::Kind::Tuple)) {
    if (!std::all_of(e.items.begin(), e.items.end(), [](const Expr& v) { return v.is_string(); }))
      return std::nullopt;
    return std::vector<Expr>(e.items.begin(), e.items.end());
  }
  if (e.is(Expr::Kind::BinaryOp) && e.name == "+" && e.items.size() == 2) {
    auto left = literal_strings(e.items[0], project, file, depth + 1);
    auto right = literal_strings(e.items[1], project, file, depth + 1);
    if (!left || !right) return std::nullopt;
    left->insert(left->end(), right->begin(), right->end());
    return left;
  }
  if (!e.is_name_like()) return std::nullopt;
  const ProjectFile* holder = &file;
  const Expr* value = assigned_value(project, holder, std::string(e.text), kMaxHops);
  return value ? literal_strings(*value, project, *holder, depth + 1) : std::nullopt;
}

// `sa.Enum(*RECORD_TYPES, name="t")` with `RECORD_TYPES = ["A", "AAAA"]` (designate; a local of the function
// is written out by the facts): the values as if written. Only a splat that is the sole positional argument
// (where others stood relative to it, the facts do not keep); any other stays unread.
void spread_literal_values(Expr& type, const Project& project, const ProjectFile& file) {
  const Expr* splat = type.is_call() && type.items.empty() ? type.keyword(Expr::kListSplat) : nullptr;
  const auto values = splat ? literal_strings(*splat, project, file) : std::nullopt;
  if (!values) return;
  type.items.insert(type.items.end(), values->begin(), values->end());
  FactList<Keyword> rest;
  for (const Keyword& keyword : type.keywords) {
    if (!keyword.is_list_splat()) rest.push_back(keyword);
  }
  type.keywords = std::move(rest);
}

// The type the database stores: a project TypeDecorator's `impl` (zun's `JSONEncodedDict()`, `impl = TEXT`),
// through decorators of decorators, given the decorator's arguments when `impl` is a class (SQLAlchemy passes
// them on: flaskbb's `UTCDateTime(timezone=True)` with `impl = DateTime` stores `DateTime(timezone=True)`),
// what a project function returning a type returns, and the type a `Mutable*.as_mutable(...)` wraps; any
// other type itself, its literal values spread.
// Not a decorator that overrides load_dialect_impl(): its `impl` is only a fallback, so it stays itself (a
// type ormlint does not know). `*holder`, when given, is set to the file the result's names are read in.
Expr stored_type(const Expr& type, const Project& project, const ProjectFile& file,
                 const ProjectFile** holder = nullptr) {
  Expr stored = type;
  const ProjectFile* where = &file;
  for (int depth = 0; depth < 4; ++depth) {
    if (const Expr* returned = returned_type(project, stored, &where)) {
      stored = *returned;
      continue;
    }
    // `MutableDict.as_mutable(JsonEncoded)` (mistral's JsonDictType()): the type given, tracked in Python
    // only.
    if (stored.is_call() && stored.callee_name() == "as_mutable" && stored.arg(0) &&
        stored.origin().starts_with("sqlalchemy.ext.mutable.")) {
      stored = Expr(*stored.arg(0));
      continue;
    }
    const DecoratedImpl decorated = decorated_impl(project, *where, stored);
    if (!decorated.impl || decorated.chooses_per_dialect) break;
    if (stored.is_call() && decorated.impl->is_name_like()) {
      *stored.target = *decorated.impl;  // the impl class called with the decorator's arguments
    } else {
      stored = *decorated.impl;
    }
    where = decorated.file;
  }
  spread_literal_values(stored, project, *where);
  if (holder) *holder = where;
  return stored;
}

// `Text().with_variant(mysql.LONGTEXT(), "mysql")` (oslo.db's `mysql_as_long`, all over OpenStack; mistral's
// helpers and TypeDecorators return it): the base type on every database but the variants' own, which get
// theirs. A change that keeps or widens each of them is none. `to` is read in `file`.
bool keeps_or_widens_each_variant(const Expr& was, const Expr& to, const Project& project,
                                  const ProjectFile& file) {
  if (!to.is_call() || to.callee_name() != "with_variant") return false;
  const Expr* link = &to;
  for (; link && link->is_call() && link->callee_name() == "with_variant"; link = link->receiver()) {
    const Expr* variant = link->arg(0);
    if (!variant) return false;
    const Expr stored = stored_type(*variant, project, file);
    if (!widens(was, stored) && !same_type(was, stored)) return false;
  }
  if (!link) return false;
  const Expr base = stored_type(*link, project, file);
  return widens(was, base) || same_type(was, base);
}

// `to` (stored, read in `file`) keeps or widens the type `was`, on every database.
bool keeps_or_widens(const Expr& was, const Expr& to, const Project& project, const ProjectFile& file) {
  return widens(was, to) || same_type(was, to) || keeps_or_widens_each_variant(was, to, project, file);
}

// The types the revision history gives the column before `op` (every create_table / add_column /
// alter_column(type_=) of it in an upgrade() of the revisions before, and earlier in its own file), as
// stored; nullopt when one is not known.
std::optional<std::vector<Expr>> history_types(const Project& project, const ProjectFile& file,
                                               const OperationCall& op, const std::string& column) {
  std::vector<Expr> types;
  // What later revisions do to the column is not its history here (mistral widens String(80) to 200, then
  // 250, then 255: each step widens what came before it).
  RevisionsAround around(project, file);
  for (const ColumnInfo* c : project.migration_columns(op.table, column)) {
    if (c->operation == &op || c->operation->function != "upgrade") continue;
    if (c->file != &file && around.after(c->file)) continue;
    if (c->file == &file && c->operation->call.loc.start_byte > op.call.loc.start_byte) continue;
    if (!c->type.expr) return std::nullopt;
    types.push_back(stored_type(*c->type.expr, project, *c->file));
  }
  return types;
}

// When `to` is each type of the history, or widens each string type, it keeps or widens the one `op`
// replaces.
bool keeps_or_widens_history(const std::optional<std::vector<Expr>>& history, const Expr& to,
                             const Project& project, const ProjectFile& file) {
  return history && !history->empty() && std::all_of(history->begin(), history->end(), [&](const Expr& was) {
           return keeps_or_widens(was, to, project, file);
         });
}

// When `to` appends values to each enum of the history (gnocchi's resource_type_enum grows a value per
// revision): the longest of them, which `op` replaces.
const Expr* enum_appended_to_history(const std::optional<std::vector<Expr>>& history, const Expr& to) {
  if (!history || history->empty()) return nullptr;
  const Expr* longest = nullptr;
  for (const Expr& was : *history) {
    if (!appended_enum(was, to)) return nullptr;
    if (!longest || was.items.size() > longest->items.size()) longest = &was;
  }
  return longest;
}

// `ALTER TYPE <name> ADD VALUE` in the same function, as far as literal SQL shows (the name quoted or not).
bool adds_enum_value(const ModuleFacts& module, const RevisionInfo& revision, const OperationCall& op,
                     const std::string& type_name) {
  for (const OperationCall& other : revision.operations) {
    std::string sql;
    if (other.function != op.function || other.name != "execute" || !literal_sql(module, executed_sql(other), sql)) {
      continue;
    }
    for (const SqlStatement& statement : split_sql(sql)) {
      std::string added = lower(added_enum_type(std::string(statement.text)));
      added.erase(std::remove(added.begin(), added.end(), '"'), added.end());
      if (!added.empty() && added == lower(type_name)) return true;
    }
  }
  return false;
}

// Without existing_type: the type downgrade() gives the column back (`alter_column("updates", "alias",
// type_=Unicode(32))`, bodhi) is the one upgrade() replaces.
const Expr* type_restored_by_downgrade(const RevisionInfo& revision, const OperationCall& op) {
  const std::string column = op.column_name();
  if (op.table.empty() || column.empty()) return nullptr;
  for (const OperationCall& other : revision.operations) {
    if (other.function != "downgrade" || other.name != "alter_column" || other.table != op.table ||
        other.column_name() != column) {
      continue;
    }
    const Expr* type = other.call.keyword("type_");
    if (type && type->kind != Expr::Kind::None && !type_class(*type).empty()) return type;
  }
  return nullptr;
}

// What an existing_type= (or the downgrade's type) says the column was, as stored; nullopt when it says
// nothing ormlint can read: `existing_type=table.c.x.type` (reflected at run time, cinder), an enum of
// unknown values
// (`existing_type=sa.Enum`, designate). Then the types before it stand for it.
std::optional<Expr> known_type(const Expr* type, const Project& project, const ProjectFile& file) {
  if (!type) return std::nullopt;
  Expr stored = stored_type(*type, project, file);
  if (type_class(stored).empty() || enum_of_unknown_values(stored)) return std::nullopt;
  return stored;
}

class ColumnTypeChange final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL224", "column-type-change",
                               "upgrade() changes a column's type on an existing table: a locked table rewrite, and "
                               "values that do not cast fail the migration",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    for (const OperationCall& op : revision.operations) {
      if (op.function == "upgrade" && op.name == "execute") report_sql_type_change(file, revision, op, out);
      if (op.function != "upgrade" || op.name != "alter_column") continue;
      // A branch only SQLite runs (`if dialect.name == "sqlite":`, a sqlite_versions/ folder): batch mode
      // copies the table there anyway, with no lock for other sessions to wait on and nothing that fails to
      // cast.
      if (!op.runs_on("postgresql") && !op.runs_on("mysql")) continue;
      const Expr* type = op.call.keyword("type_");
      if (!type || type->kind == Expr::Kind::None || revision.creates_table_before(op)) continue;
      // Compared as stored; shown as written.
      const Expr* existing = op.call.keyword("existing_type");
      std::optional<Expr> stored_existing = known_type(existing, project, file);
      if (!stored_existing) {
        existing = type_restored_by_downgrade(revision, op);
        stored_existing = known_type(existing, project, file);
        if (!stored_existing) existing = nullptr;
      }
      const ProjectFile* to_file = &file;
      const Expr to = stored_type(*type, project, file, &to_file);
      const Expr* was = stored_existing ? &*stored_existing : nullptr;
      // Names held in variables are shown as such: `<table_name>.<column_name>`.
      std::string table = written_table(revision, op).shown();
      std::string column = written_column(op).shown();
      const std::optional<std::vector<Expr>> history =
          !was && written_column(op).literal ? history_types(project, file, op, written_column(op).text)
                                             : std::nullopt;
      if (was ? keeps_or_widens(*was, to, project, *to_file)
              : keeps_or_widens_history(history, to, project, *to_file)) {
        continue;
      }
      if (!was) was = enum_appended_to_history(history, to);
      if (const auto appended = was ? appended_enum(*was, to) : std::nullopt) {
        if (appended->mysql || !appended->native || appended->name.empty() ||
            adds_enum_value(file.facts, revision, op, appended->name)) {
          continue;
        }
        out.report(file, op.call.loc,
                   "upgrade() gives `" + table + "." + column + "` new enum values, but on PostgreSQL alter_column "
                       "keeps the type `" + appended->name + "` as it is: the new values are never added, and "
                       "inserting one fails",
                   "add each value with `op.execute(\"ALTER TYPE " + appended->name +
                       " ADD VALUE IF NOT EXISTS '...'\")` (inside `op.get_context().autocommit_block()` before "
                       "PostgreSQL 12)");
        continue;
      }
      std::string from =
          existing && existing->kind != Expr::Kind::None ? " from `" + written(file, *existing) + "`" : "";
      report_rewrite(
          file, op,
          "upgrade() changes `" + table + "." + column + "`" + from + " to `" + written(file, *type) + "`",
          column, out);
    }
  }

 private:
  static void report_sql_type_change(const ProjectFile& file, const RevisionInfo& revision,
                                     const OperationCall& op, Reporter& out);
  // The finding for a type change that rewrites the table: `change` says what changes ("upgrade() changes
  // ...").
  static void report_rewrite(const ProjectFile& file, const OperationCall& op, const std::string& change,
                             const std::string& column, Reporter& out) {
    out.report(
        file, op.call.loc,
        change +
            ": the database rewrites the whole table (PostgreSQL under an ACCESS EXCLUSIVE lock: reads "
            "and writes wait; MySQL as a table copy: writes wait), and a value that does not cast fails "
            "the migration",
        "add a new column of the new type, backfill it in batches, switch the code to it, then drop `" +
            column + "` in a later release");
  }
};

// `op.execute("ALTER TABLE updates ALTER COLUMN status TYPE ck_update_status USING ...")` (bodhi): the same
// rewrite as alter_column(type_=...). What the column was, SQL does not say: every such change is reported.
void ColumnTypeChange::report_sql_type_change(const ProjectFile& file, const RevisionInfo& revision,
                                              const OperationCall& op, Reporter& out) {
  std::string sql;
  if (!literal_sql(file.facts, executed_sql(op), sql)) return;
  for (const SqlTypeChange& change : sql_type_changes(sql)) {
    if (revision.creates_table_before(op, change.table)) continue;
    // Names an f-string fills in (a loop over tables) are shown as unknown.
    auto shown = [&](const std::string& word) { return sql_interpolates(sql, word) ? "?" : word; };
    report_rewrite(file, op,
                   "upgrade() changes the type of `" + shown(change.table) + "." + shown(change.column) +
                       "` to `" + change.type + "` in SQL",
                   shown(change.column), out);
    return;  // one finding per operation
  }
}

ORMLINT_RULE(ColumnTypeChange);

}  // namespace

}  // namespace ormlint
