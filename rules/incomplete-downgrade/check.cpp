// incomplete-downgrade: something upgrade() creates — a table, a column, an index, a named constraint, a PostgreSQL
// enum type — that downgrade() does not remove. After `alembic downgrade` the object is still there, and the next
// `alembic upgrade` fails on it ("already exists"). Matched by literal names; anything named by an expression is
// skipped, and a downgrade() that removes things by expression counts as removing every object of that kind.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"
#include "engine/rule.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"
#include "project/migration_ops.h"

namespace ormlint {

namespace {

enum class Kind { Table, Column, Index, Constraint, Type };

// One object upgrade() creates.
struct Created {
  Kind kind;
  std::string table;  // the table it belongs to (a table: itself; a type: "")
  std::string name;   // column, index, constraint or type name (a table: its name)
  std::vector<std::string> columns;  // an index's or constraint's literal columns
  std::string constraint_type;       // drop_constraint's type_: "unique", "primary", "check", "foreignkey"
  Location loc;
  uint32_t after_byte = 0;  // removals in upgrade() after this point undo it there already
  bool with_table = false;  // an enum type created by create_table (not by an explicit CREATE)
};

// What a function (downgrade(), or upgrade() itself) removes, each with where: the byte offset + 1 of the latest
// removal (0: none). downgrade() removals count whatever their place; upgrade() ones only after the creation.
using Marks = std::map<std::string, uint32_t, std::less<>>;
struct Removed {
  uint32_t at = 0;  // where the removal being recorded is
  Marks tables, indexes, constraints, types;
  std::map<std::pair<std::string, std::string>, uint32_t> columns;  // (table, column)
  Marks helper_arguments;  // literal arguments of a `drop_*` helper from another module
  // Removals by expression (`op.drop_table(name)`, an f-string DROP): any object of the kind may be among them,
  // on the tables listed (lower-cased), or on every table when the table is not known either.
  Marks any_column_on, any_index_on, any_constraint_on;
  uint32_t any_table = 0, any_column = 0, any_index = 0, any_constraint = 0, any_type = 0;

  template <class Map, class Key>
  void mark(Map& map, const Key& key) {
    uint32_t& where = map[key];
    where = std::max(where, at);
  }
  void mark(uint32_t& flag) { flag = std::max(flag, at); }
};

// Removed at all (from = 0), or after the byte `from`.
bool since(uint32_t where, uint32_t from) { return where != 0 && where > from; }

template <class Map, class Key>
bool removed_in(const Map& map, const Key& key, uint32_t from) {
  auto it = map.find(key);
  return it != map.end() && since(it->second, from);
}

// A name given by an expression (not a literal, not None: `drop_constraint(None, ...)` names an unnamed one).
bool by_expression(const Expr* e, const std::string& literal) {
  return literal.empty() && e && e->kind != Expr::Kind::None;
}

// Records a removal by expression of some object of a table (`table` "" = unknown: every table).
void any_on(Removed& removed, const std::string& table, Marks& tables, uint32_t& everywhere) {
  if (table.empty()) {
    removed.mark(everywhere);
  } else {
    removed.mark(tables, table);
  }
}

std::vector<std::string> literal_list(const Expr* e) {
  std::vector<std::string> out;
  if (!e || !(e->is(Expr::Kind::List) || e->is(Expr::Kind::Tuple))) return out;
  for (const Expr& item : e->items) {
    if (item.is_string()) out.push_back(item.text);
  }
  return out;
}

const Expr* keyword_or_argument(const OperationCall& op, std::string_view keyword, size_t index) {
  const Expr* e = op.call.keyword(keyword);
  return e ? e : op.argument(index);
}

// ---- SQL in op.execute(): DROP TABLE/INDEX/TYPE, ALTER TABLE ... DROP COLUMN/CONSTRAINT, CREATE TYPE ----------

// The SQL text of op.execute("...") / op.execute(sa.text("...")); nullptr when it is not a plain literal.
const Expr* execute_sql(const OperationCall& op) {
  return unwrapped_sql_text(executed_sql(op));
}

// `ALTER TYPE [schema.]old RENAME TO new`: (old, new), unqualified.
std::optional<std::pair<std::string, std::string>> type_rename(const std::vector<std::string>& words) {
  if (words.size() < 6 || words[0] != "alter" || words[1] != "type" || words[3] != "rename" || words[4] != "to") {
    return std::nullopt;
  }
  return std::make_pair(unqualified_name(words[2]), unqualified_name(words[5]));
}

// Statements that take an index's or a constraint's name away without a DROP: `ALTER INDEX i RENAME TO j`,
// `ALTER TABLE t RENAME CONSTRAINT c TO d`, and PostgreSQL's `ALTER TABLE t ADD CONSTRAINT c UNIQUE USING
// INDEX i`, after which the constraint owns the index (renamed to c) and `DROP CONSTRAINT c` drops it
// (hypothesis swaps a new unique index in so). Marks the name given up.
void sql_renames(const std::vector<std::string>& words, Removed& removed) {
  if (words.size() < 3 || words[0] != "alter") return;
  if (words[1] == "index") {
    size_t i = 2;
    if (i + 1 < words.size() && words[i] == "if" && words[i + 1] == "exists") i += 2;
    if (i + 2 < words.size() && words[i + 1] == "rename" && words[i + 2] == "to") {
      removed.mark(removed.indexes, unqualified_name(words[i]));
    }
    return;
  }
  if (words[1] != "table") return;
  for (size_t i = 2; i + 2 < words.size(); ++i) {
    if (words[i] == "using" && words[i + 1] == "index")
      removed.mark(removed.indexes, unqualified_name(words[i + 2]));
    if (words[i] == "rename" && words[i + 1] == "constraint") removed.mark(removed.constraints, words[i + 2]);
  }
}

void sql_removals(std::string_view sql, Removed& removed) {
  for (const SqlDrop& drop : sql_drops(sql)) {
    switch (drop.kind) {
      case SqlDrop::Kind::Table:
        removed.mark(removed.tables, drop.name);
        break;
      case SqlDrop::Kind::Index:
        removed.mark(removed.indexes, drop.name);
        break;
      case SqlDrop::Kind::Type:
        removed.mark(removed.types, drop.name);
        break;
      case SqlDrop::Kind::Column:
        removed.mark(removed.columns, std::make_pair(drop.table, drop.name));
        break;
      case SqlDrop::Kind::Constraint:
        removed.mark(removed.constraints, drop.name);
        break;
    }
  }
  for (const SqlStatement& statement : split_sql(sql)) {
    // `ALTER TYPE status RENAME TO status_old`: the name is free again — the enum swap that replaces a type
    // (rename away, CREATE TYPE status, re-type the columns, drop the old one) re-creates `status`.
    const std::vector<std::string> words = sql_statement_words(statement.text);
    if (auto rename = type_rename(words)) removed.mark(removed.types, rename->first);
    sql_renames(words, removed);
  }
}

// `CREATE TYPE [schema.]name AS ENUM (...)`: the type's name.
std::vector<std::string> created_types(std::string_view sql) {
  std::vector<std::string> types;
  for (const SqlStatement& statement : split_sql(sql)) {
    std::vector<std::string> words = sql_statement_words(statement.text);
    if (words.size() >= 3 && words[0] == "create" && words[1] == "type")
      types.push_back(unqualified_name(words[2]));
  }
  return types;
}

// ---- removals ---------------------------------------------------------------------------------------------------

void operation_removals(const OperationCall& op, Removed& removed) {
  if (op.name == "drop_table") {
    if (op.table.empty()) removed.mark(removed.any_table);
    removed.mark(removed.tables, lower(op.table));
  } else if (op.name == "drop_column") {
    std::string column = op.column_name();
    if (column.empty()) any_on(removed, lower(op.table), removed.any_column_on, removed.any_column);
    removed.mark(removed.columns, std::make_pair(lower(op.table), lower(column)));
  } else if (op.name == "drop_index") {
    const Expr* expr = keyword_or_argument(op, "index_name", 0);
    std::string name = alembic_literal_name(expr);
    if (by_expression(expr, name)) any_on(removed, lower(op.table), removed.any_index_on, removed.any_index);
    removed.mark(removed.indexes, lower(name));
  } else if (op.name == "drop_constraint") {
    const Expr* expr = keyword_or_argument(op, "constraint_name", 0);
    std::string name = alembic_literal_name(expr);
    if (by_expression(expr, name)) {
      any_on(removed, lower(op.table), removed.any_constraint_on, removed.any_constraint);
    }
    removed.mark(removed.constraints, lower(name));
  } else if (op.name == "execute") {
    const Expr* sql = execute_sql(op);
    if (sql && sql->is_string()) {
      sql_removals(sql->text, removed);
    } else if (!sql || !sql->is_call()) {
      // An f-string or a variable holding SQL: it may drop anything.
      for (uint32_t* flag : {&removed.any_table, &removed.any_column, &removed.any_index, &removed.any_constraint,
                             &removed.any_type}) {
        removed.mark(*flag);
      }
    }
  }
}

// The enum call a module-level `status_enum = postgresql.ENUM(..., name="status")` holds, or null.
const Expr* module_enum_call(const ProjectFile& file, const std::string& variable) {
  for (const Assignment& assignment : file.facts.assignments) {
    if (assignment.target == variable) return enum_name(assignment.value).empty() ? nullptr : &assignment.value;
  }
  return nullptr;
}

// The enum type such a variable names; "" otherwise.
std::string module_enum(const ProjectFile& file, const std::string& variable) {
  const Expr* call = module_enum_call(file, variable);
  return call ? enum_name(*call) : "";
}

// `sa.Enum(name="status").drop(op.get_bind())`, `status_enum.drop(bind)`; a helper from another module named like
// a drop (`drop_enum("status")`) counts for every literal it is given. `local_drop`: where a `.drop()` on a local
// name is (0: none).
void call_removals(const ProjectFile& file, const Expr& call, Removed& removed, uint32_t& local_drop) {
  if (!call.is_call() || !call.target) return;
  const Expr& callee = *call.target;
  if (callee.is(Expr::Kind::Attribute) && callee.name == "drop" && callee.target) {
    const Expr& object = *callee.target;
    std::string name = object.is_call() ? enum_name(object) : module_enum(file, object.text);
    if (!name.empty()) {
      removed.mark(removed.types, lower(name));
    } else if (object.is(Expr::Kind::Name)) {
      removed.mark(local_drop);
    }
    return;
  }
  std::string callee_name = lower(callee.is_name_like() ? callee.name : "");
  if (callee_name.find("drop") == std::string::npos) return;
  for (const Expr& arg : call.items) {
    if (arg.is_string()) removed.mark(removed.helper_arguments, lower(arg.text));
  }
}

// Everything `function`'s operations and calls remove, with where.
// The name a rename gives: rename_table's new table name, or alter_column's `new_column_name=`; "" otherwise.
std::string new_name(const OperationCall& op) {
  if (op.name == "rename_table") return alembic_literal_name(keyword_or_argument(op, "new_table_name", 0));
  if (op.name == "alter_column") return alembic_literal_name(op.call.keyword("new_column_name"));
  return "";
}

Removed removals(const ProjectFile& file, const std::string& function) {
  Removed removed;
  const RevisionInfo& revision = *file.facts.revision;
  // A function may rename before it drops (`rename_table("new", "old")`, then `drop_column("old", "extra")`): the
  // drop removes what had the name in use when the function began.
  std::map<std::string, std::string> table_before;                           // name now -> name at the start
  std::map<std::pair<std::string, std::string>, std::string> column_before;  // (table, column now) -> at the start
  for (const OperationCall& op : revision.operations) {
    if (op.function != function) continue;
    removed.at = op.call.loc.start_byte + 1;
    operation_removals(op, removed);
    const std::string table = lower(op.table);
    const auto at_start = table_before.find(table);
    const std::string original_table = at_start == table_before.end() ? table : at_start->second;
    const std::string renamed = lower(new_name(op));
    if (op.name == "rename_table") {
      if (!renamed.empty()) table_before[renamed] = original_table;
    } else if (op.name == "alter_column") {
      const std::string column = lower(op.column_name());
      auto was = column_before.find({table, column});
      if (!renamed.empty() && !column.empty()) {
        column_before[{table, renamed}] = was == column_before.end() ? column : was->second;
      }
    } else if (op.name == "drop_table" && original_table != table) {
      removed.mark(removed.tables, original_table);
    } else if (op.name == "drop_column") {
      const std::string column = lower(op.column_name());
      auto was = column_before.find({table, column});
      const std::string original_column = was == column_before.end() ? column : was->second;
      if (original_table != table || original_column != column) {
        removed.mark(removed.columns, std::make_pair(original_table, original_column));
      }
    }
  }
  uint32_t local_drop = 0;
  std::set<std::string> local_enums;  // `status = postgresql.ENUM(..., name="status")` inside the function
  for (const RevisionCall& call : revision.calls) {
    if (call.function != function) continue;
    removed.at = call.call.loc.start_byte + 1;
    call_removals(file, call.call, removed, local_drop);
    // `op.get_bind().execute(text("ALTER TABLE t DROP COLUMN c"))` (augur) removes like op.execute.
    for (const ConnectionSql& sent : connection_sql(file.facts, call)) sql_removals(sent.sql, removed);
    call.call.walk([&](const Expr& e) {
      if (std::string name = enum_name(e); !name.empty()) local_enums.insert(lower(name));
    });
  }
  // An enum built in the function and a `.drop()` on a local name: the function drops that enum.
  removed.at = local_drop;
  for (const std::string& name : local_enums) {
    if (local_drop) removed.mark(removed.types, name);
  }
  return removed;
}

// Dropping a column drops the indexes and constraints that include it.
bool covers_column(const Removed& removed, const std::string& table, const std::vector<std::string>& columns,
                   uint32_t from) {
  for (const std::string& column : columns) {
    if (removed_in(removed.columns, std::make_pair(table, lower(column)), from)) return true;
  }
  return false;
}

// A removal under the name a naming convention gives: with `"ck": "ck_%(table_name)s_%(constraint_name)s"` in the
// target metadata, Alembic creates `create_check_constraint("positive_qty", "items", ...)` as
// `ck_items_positive_qty`, and that is the name a downgrade drops.
bool removed_under_convention(const Marks& marks, const std::string& table, const std::string& name, uint32_t from) {
  if (table.empty() || name.empty()) return false;
  const std::string suffix = "_" + name;
  for (const auto& [removed, where] : marks) {
    if (removed.size() > suffix.size() && removed.ends_with(suffix) && removed.find(table) != std::string::npos &&
        since(where, from)) {
      return true;
    }
  }
  return false;
}

// Whether `removed` removes the object (after `from`, for removals in upgrade() itself). Names compare
// lower-cased, as the database folds unquoted names (`DROP TYPE Status` drops "status").
bool is_removed(const Created& created, const Removed& removed, uint32_t from) {
  std::string name = lower(created.name), table = lower(created.table);
  if (removed_in(removed.helper_arguments, name, from)) return true;
  bool table_dropped = !table.empty() && (since(removed.any_table, from) || removed_in(removed.tables, table, from));
  switch (created.kind) {
    case Kind::Table:
      return table_dropped;
    case Kind::Column:
      // A drop of the column by name from a table given by an expression (`for table in reversed(tables):
      // op.drop_column(table, "expired_id")`, ckan) may be this one.
      return table_dropped || since(removed.any_column, from) ||
             removed_in(removed.any_column_on, table, from) ||
             removed_in(removed.columns, std::make_pair(table, name), from) ||
             removed_in(removed.columns, std::make_pair(std::string(), name), from);
    case Kind::Index:
      return table_dropped || since(removed.any_index, from) || removed_in(removed.any_index_on, table, from) ||
             removed_in(removed.indexes, name, from) || removed_under_convention(removed.indexes, table, name, from) ||
             covers_column(removed, table, created.columns, from);
    case Kind::Constraint:
      return table_dropped || since(removed.any_constraint, from) ||
             removed_in(removed.any_constraint_on, table, from) || removed_in(removed.constraints, name, from) ||
             removed_under_convention(removed.constraints, table, name, from) ||
             covers_column(removed, table, created.columns, from);
    case Kind::Type:
      return since(removed.any_type, from) || removed_in(removed.types, name, from);
  }
  return false;
}

// Whether upgrade() removed the very object (by its name) before creating it, or before giving it that name: it
// existed before the revision and is replaced (a foreign key re-pointed, a table rebuilt, a column swapped for a
// renamed copy), so after a downgrade it is there as it was.
bool recreated(const Created& created, const Removed& upgrade) {
  auto before = [&](uint32_t where) { return where != 0 && where <= created.after_byte; };
  auto find = [&](const auto& map, const auto& key) {
    auto it = map.find(key);
    return it != map.end() && before(it->second);
  };
  const std::string name = lower(created.name), table = lower(created.table);
  switch (created.kind) {
    case Kind::Table:
      return find(upgrade.tables, table);
    // What belongs to a table upgrade() dropped first and created again (sync-engine rebuilds `actionlog`
    // with its indexes) comes with the new table, which a downgrade keeps: the old one had its own.
    case Kind::Column:
      return find(upgrade.columns, std::make_pair(table, name)) || find(upgrade.tables, table);
    case Kind::Index:
      return find(upgrade.indexes, name) || find(upgrade.tables, table);
    case Kind::Constraint:
      return find(upgrade.constraints, name) || find(upgrade.tables, table);
    case Kind::Type:
      return find(upgrade.types, name);
  }
  return false;
}

// ---- creations --------------------------------------------------------------------------------------------------

const std::set<std::string, std::less<>> kConstraintCreations = {"create_unique_constraint", "create_primary_key",
                                                                  "create_check_constraint", "create_foreign_key"};

std::string constraint_type(const std::string& operation) {
  if (operation == "create_unique_constraint") return "unique";
  if (operation == "create_primary_key") return "primary";
  if (operation == "create_check_constraint") return "check";
  return "foreignkey";
}

// The names a CHECK condition reads (`(picture IS NULL) = (picture_kind IS NULL)`: picture, picture_kind), keywords
// and quoted literals aside: dropping one of those columns drops the constraint with it.
std::vector<std::string> sql_identifiers(std::string_view condition) {
  static const std::set<std::string, std::less<>> kKeywords = {
      "and", "or", "not", "is", "null", "in", "like", "ilike", "between", "true", "false", "case", "when",
      "then", "else", "end", "cast", "as", "any", "all", "exists", "similar", "to", "escape", "distinct", "from"};
  std::vector<std::string> names;
  for (size_t i = 0; i < condition.size();) {
    const char c = condition[i];
    if (c == '\'' || c == '"') {  // a string literal, or a quoted identifier kept whole
      size_t close = condition.find(c, i + 1);
      if (c == '"' && close != std::string_view::npos) names.push_back(lower(condition.substr(i + 1, close - i - 1)));
      i = close == std::string_view::npos ? condition.size() : close + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t end = i;
      while (end < condition.size() && (std::isalnum(static_cast<unsigned char>(condition[end])) || condition[end] == '_')) {
        ++end;
      }
      std::string word = lower(condition.substr(i, end - i));
      if (!kKeywords.count(word)) names.push_back(std::move(word));
      i = end;
    } else {
      ++i;
    }
  }
  return names;
}

// The SQL an expression spells out: a string, an f-string with its `{...}` parts left out (they interpolate values:
// f"mode != {ENABLED}" reads mode), or `sa.text("...")` of one; "" otherwise.
std::string spelled_sql(const Expr* e) {
  e = unwrapped_sql_text(e);
  if (!e || e->kind != Expr::Kind::String) return "";
  if (!e->is_fstring) return std::string(e->text);
  std::string sql;
  int depth = 0;
  for (char c : e->text) {
    if (c == '{') ++depth;
    if (depth == 0) sql += c;
    if (c == '}' && depth > 0) --depth;
  }
  return sql;
}

// The literal columns of a constraint: unique and primary key list them second, a foreign key third (local_cols).
std::vector<std::string> constraint_columns(const OperationCall& op) {
  if (op.name == "create_foreign_key") return literal_list(keyword_or_argument(op, "local_cols", 2));
  if (op.name == "create_check_constraint") return sql_identifiers(spelled_sql(keyword_or_argument(op, "condition", 1)));
  return literal_list(keyword_or_argument(op, "columns", 1));
}

// An index's columns: those listed by name, and those its expressions read (`sa.text("lower(email)")`: email).
std::vector<std::string> indexed_columns(const OperationCall& op) {
  std::vector<std::string> columns = index_columns(op);
  const Expr* list = keyword_or_argument(op, "columns", 1);
  if (!list || !(list->is(Expr::Kind::List) || list->is(Expr::Kind::Tuple))) return columns;
  for (const Expr& item : list->items) {
    if (item.is_string()) continue;
    for (std::string& name : sql_identifiers(spelled_sql(&item))) columns.push_back(std::move(name));
  }
  return columns;
}

void operation_creations(const OperationCall& op, std::vector<Created>& out) {
  uint32_t after = op.call.loc.start_byte + 1;
  if (op.table.empty() && op.name != "execute") return;
  if (op.name == "create_table") {
    out.push_back({Kind::Table, op.table, op.table, {}, "", op.call.loc, after});
  } else if (op.name == "add_column") {
    std::string column = op.column_name();
    if (!column.empty()) out.push_back({Kind::Column, op.table, column, {}, "", op.call.loc, after});
  } else if (op.name == "create_index") {
    std::string name = alembic_literal_name(keyword_or_argument(op, "index_name", 0));
    if (!name.empty()) {
      out.push_back({Kind::Index, op.table, name, indexed_columns(op), "", op.call.loc, after});
    }
  } else if (kConstraintCreations.count(op.name)) {
    std::string name = alembic_literal_name(keyword_or_argument(op, "constraint_name", 0));
    if (!name.empty()) {
      out.push_back({Kind::Constraint, op.table, name, constraint_columns(op), constraint_type(op.name), op.call.loc,
                     after});
    }
  } else if (op.name == "execute") {
    const Expr* sql = execute_sql(op);
    if (!sql || !sql->is_string()) return;
    for (const std::string& type : created_types(sql->text)) {
      out.push_back({Kind::Type, "", type, {}, "", op.call.loc, after});
    }
  }
}

// upgrade() may rename what it created — `add_column("item", sa.Column("tmp_code", ...))`, then
// `alter_column("item", "tmp_code", new_column_name="code")`, or `rename_table` — so downgrade() removes it under
// its new name (and an upgrade() removal undoes it only after the rename: before it, that name was another's).
void follow_renames(const OperationCall& op, std::vector<Created>& created) {
  if (op.table.empty()) return;
  const uint32_t after = op.call.loc.start_byte + 1;
  const std::string renamed = new_name(op);
  if (renamed.empty()) return;
  if (op.name == "alter_column") {
    const std::string column = op.column_name();
    if (column.empty()) return;
    for (Created& c : created) {
      if (c.kind == Kind::Column && c.table == op.table && c.name == column) {
        c.name = renamed;
        c.after_byte = after;
      }
    }
  } else {
    for (Created& c : created) {
      if (c.table != op.table) continue;
      if (c.kind == Kind::Table) c.name = renamed;
      c.table = renamed;
      c.after_byte = after;
    }
  }
}

// `ALTER TYPE status_new RENAME TO status` in op.execute: a type upgrade() created goes on under its new name
// (the enum swap's other spelling: create `status_new`, re-type the columns, drop `status`, rename).
void follow_type_renames(const OperationCall& op, std::vector<Created>& created) {
  const Expr* sql = op.name == "execute" ? execute_sql(op) : nullptr;
  if (!sql || !sql->is_string()) return;
  for (const SqlStatement& statement : split_sql(sql->text)) {
    auto rename = type_rename(sql_statement_words(statement.text));
    if (!rename) continue;
    for (Created& c : created) {
      if (c.kind != Kind::Type || lower(c.name) != rename->first) continue;
      c.name = rename->second;
      c.after_byte = op.call.loc.start_byte + 1;
    }
  }
}

// Enum types created with the tables: `sa.Enum(..., name="status")` in create_table (see
// enum_type_created_with_table), and `.create(bind)` on an enum.
// op.add_column creates no type: the type must exist already (or the ALTER fails with UndefinedObject).
void enum_creations(const ProjectFile& file, const Project& project, std::vector<Created>& out) {
  std::set<std::string> seen;
  for (const ColumnInfo* column : project.columns_in(file)) {
    const OperationCall* op = column->operation;
    if (column->context != ColumnInfo::Context::Migration || !op || op->function != "upgrade") continue;
    if (op->name != "create_table" || !column->type.expr) continue;
    // Only PostgreSQL has enum type objects: on SQLite and MySQL an Enum is a column's VARCHAR or ENUM(...) and
    // goes with its table (a branch or version folder for another database, bunkerweb).
    if (!op->runs_on("postgresql")) continue;
    // The enum itself, inside another type (`postgresql.ARRAY(sa.Enum(..., name="tag"))`), or a module-level
    // variable holding it (`sa.Column("plan", plan_enum)`).
    column->type.expr->walk([&](const Expr& written) {
      const Expr* call = written.is(Expr::Kind::Name) ? module_enum_call(file, written.text) : &written;
      if (!call) return;
      if (!enum_type_created_with_table(*call)) return;
      std::string name = enum_name(*call);
      if (seen.insert(name).second) {
        out.push_back({Kind::Type, "", name, {}, "", written.loc, op->call.loc.start_byte + 1, true});
      }
    });
  }
  for (const RevisionCall& call : file.facts.revision->calls) {
    if (call.function != "upgrade" || !call.call.target || call.call.target->name != "create") continue;
    const Expr* object = call.call.target->target.get();
    std::string name = !object ? "" : object->is_call() ? enum_name(*object) : module_enum(file, object->text);
    // `.create(bind, checkfirst=True)` — postgresql.ENUM's default — creates the type only when it is
    // missing: left behind by a downgrade, it makes the next upgrade do nothing, not fail.
    const Expr* type = !object ? nullptr : object->is_call() ? object : module_enum_call(file, object->text);
    const Expr* checkfirst = call.call.keyword("checkfirst");
    const bool checks_first = checkfirst ? !checkfirst->is_false() && checkfirst->kind != Expr::Kind::None
                                         : type && type->origin() == "sqlalchemy.dialects.postgresql.ENUM";
    if (!name.empty() && !checks_first && seen.insert(name).second) {
      out.push_back({Kind::Type, "", name, {}, "", call.call.loc, call.call.loc.start_byte + 1});
    }
  }
}

// Whether a revision before `file` (an ancestor in its location's graph) creates the enum type `name` with
// one of its tables (Project::enum_type_columns). A create_table naming it again reuses that type (dstack's
// second table of `backendtype`): the type is the earlier revision's to drop — dropping it here would fail
// while the earlier table still uses it.
bool enum_type_created_before(const ProjectFile& file, const Project& project, const std::string& name) {
  std::set<const ProjectFile*> creators;
  for (const ColumnInfo* column : project.enum_type_columns(name)) {
    if (column->file != &file && column->operation->function == "upgrade") creators.insert(column->file);
  }
  if (creators.empty()) return false;
  const std::set<const ProjectFile*> before = project.revisions_before(file);
  return std::any_of(creators.begin(), creators.end(),
                     [&](const ProjectFile* f) { return before.count(f) > 0; });
}

// ---- messages ---------------------------------------------------------------------------------------------------

struct Finding {
  std::string message;
  std::string help;
};

Finding describe(const Created& c) {
  const std::string rerun = "after `alembic downgrade` it is still there, and the next upgrade fails with ";
  switch (c.kind) {
    case Kind::Table:
      return {"upgrade() creates table `" + c.name + "` but downgrade() does not drop it: " + rerun +
                  "DuplicateTable (relation \"" + c.name + "\" already exists)",
              "add `op.drop_table(\"" + c.name + "\")` to downgrade()"};
    case Kind::Column:
      return {"upgrade() adds `" + c.table + "." + c.name + "` but downgrade() does not drop it: " + rerun +
                  "DuplicateColumn",
              "add `op.drop_column(\"" + c.table + "\", \"" + c.name + "\")` to downgrade()"};
    case Kind::Index:
      return {"upgrade() creates index `" + c.name + "` on `" + c.table + "` but downgrade() does not drop it: " +
                  rerun + "relation \"" + c.name + "\" already exists",
              "add `op.drop_index(\"" + c.name + "\", table_name=\"" + c.table + "\")` to downgrade()"};
    case Kind::Constraint:
      return {"upgrade() creates constraint `" + c.name + "` on `" + c.table + "` but downgrade() does not drop it: " +
                  rerun + "DuplicateObject (constraint \"" + c.name + "\" already exists)",
              "add `op.drop_constraint(\"" + c.name + "\", \"" + c.table + "\", type_=\"" + c.constraint_type +
                  "\")` to downgrade()"};
    case Kind::Type:
      return {"upgrade() creates the enum type `" + c.name + "` but downgrade() does not drop it" +
                  (c.with_table ? " (op.drop_table leaves the table's enum types behind)" : "") + ": " + rerun +
                  "DuplicateObject (type \"" + c.name + "\" already exists)",
              "add `sa.Enum(name=\"" + c.name + "\").drop(op.get_bind(), checkfirst=True)` to downgrade(), after "
              "the drop of the tables that use it"};
  }
  return {};
}

class IncompleteDowngrade final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL227", "incomplete-downgrade",
                               "downgrade() does not remove something upgrade() creates: after a downgrade, the next "
                               "upgrade fails with \"already exists\"",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    const RevisionInfo& revision = *file.facts.revision;
    // A missing or empty downgrade() is empty-downgrade's finding; one that raises documents irreversibility.
    if (!revision.downgrade || revision.downgrade->trivial_body || revision.downgrade->raises_only) return;
    std::vector<Created> created;
    for (const OperationCall& op : revision.operations) {
      if (op.function != "upgrade") continue;
      // Created only where the database says it is missing (`if not column_exists(...)`, faraday): left
      // behind, it makes the next upgrade skip the creation, not fail.
      if (!project.guarded(op)) operation_creations(op, created);
      follow_renames(op, created);
      follow_type_renames(op, created);
    }
    enum_creations(file, project, created);
    Removed downgrade = removals(file, "downgrade");
    Removed upgrade = removals(file, "upgrade");
    std::set<std::pair<uint32_t, std::string>> reported;  // a helper called twice records its operations twice
    for (const Created& c : created) {
      if (is_removed(c, downgrade, 0) || is_removed(c, upgrade, c.after_byte) || recreated(c, upgrade)) continue;
      if (c.with_table && enum_type_created_before(file, project, c.name)) continue;
      if (!reported.insert({c.loc.start_byte, c.name}).second) continue;
      Finding finding = describe(c);
      out.report(file, c.loc, std::move(finding.message), std::move(finding.help));
    }
  }
};

ORMLINT_RULE(IncompleteDowngrade);

}  // namespace

}  // namespace ormlint
