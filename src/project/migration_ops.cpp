#include "project/migration_ops.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "core/text.h"
#include "facts/core_statement.h"
#include "facts/revision_builder.h"
#include "facts/sql_literal.h"
#include "facts/sql_statements.h"

namespace ormlint {

WrittenName written_name(const Expr* e) {
  if (!e) return {"?", false};
  // An f-string as written, so that a help line's Python is Python: `f"{col}_new"`.
  if (e->kind == Expr::Kind::String && e->is_fstring) return {"f\"" + e->text + "\"", false};
  return {e->text, e->is_string()};
}

WrittenName written_table(const RevisionInfo& revision, const OperationCall& op) {
  if (!op.table.empty()) return {op.table, true};
  if (!op.in_batch) {
    const Expr* table = op.call.keyword("table_name");
    return written_name(table ? table : op.call.arg(0));
  }
  const OperationCall* batch = nullptr;
  for (const OperationCall& earlier : revision.operations) {
    if (&earlier == &op) break;
    if (earlier.function == op.function && earlier.name == "batch_alter_table") batch = &earlier;
  }
  if (!batch) return {"?", false};
  const Expr* table = batch->call.keyword("table_name");
  return written_name(table ? table : batch->call.arg(0));
}

WrittenName written_column(const OperationCall& op) {
  const Expr* column = op.call.keyword(op.name == "add_column" ? "column" : "column_name");
  // Positional: after the table, which a batch operation does not repeat — unless the call repeats it anyway
  // (batch-op-table-argument's error): then the column is the one meant.
  if (!column) column = op.call.arg(op.in_batch && !op.repeats_table() ? 0 : 1);
  if (column && column->is_call()) {  // add_column's Column(name, ...): its name, however written
    const Expr* name = column->keyword("name");
    if (!name) name = column->arg(0);
    if (name) return written_name(name);
  }
  return written_name(column);
}

std::string shown_column(const RevisionInfo& revision, const OperationCall& op) {
  return written_table(revision, op).shown() + "." + written_column(op).shown();
}

std::string alembic_literal_name(const Expr* e) {
  if (!e) return "";
  if (e->is_string()) return e->text;
  // `op.f("ix_users_email")`: the name as Alembic's naming convention receives it.
  if (e->is_call() && e->callee_name() == "f" && e->arg(0) && e->arg(0)->is_string()) return e->arg(0)->text;
  return "";
}

std::string enum_name(const Expr& e) {
  if (!e.is_call()) return "";
  const FactText origin = e.origin();
  if (origin != "sqlalchemy.Enum" && origin != "sqlalchemy.dialects.postgresql.ENUM") return "";
  if (const Expr* name = e.keyword("name")) return alembic_literal_name(name);
  // `sa.Enum(Color)`: given one enum class (one argument that is a name, not a value), SQLAlchemy names the
  // type after the class, lower-cased (Enum._enum_init: `kw.setdefault("name",
  // enum_class.__name__.lower())`), so `CREATE TYPE color` (flaskbb). Values (`sa.Enum("a", "b")`,
  // `sa.Enum(*VALUES)`) give no name.
  const Expr* only = e.items.size() == 1 ? e.arg(0) : nullptr;
  if (!only || !only->is_name_like()) return "";
  const std::string_view text = only->text;
  return lower(text.substr(text.rfind('.') + 1));
}

bool enum_type_created_with_table(const Expr& e) {
  if (enum_name(e).empty()) return false;
  const Expr* native = e.keyword("native_enum");
  if (native && native->is_false()) return false;
  const Expr* create_type =
      e.origin() == "sqlalchemy.dialects.postgresql.ENUM" ? e.keyword("create_type") : nullptr;
  return !create_type || !create_type->is_false();
}

std::string index_name(const OperationCall& op) {
  const Expr* name = op.call.keyword("index_name");
  return alembic_literal_name(name ? name : op.argument(0));
}

const Expr* constraint_name_of(const OperationCall& op) {
  const Expr* name = op.call.keyword("constraint_name");
  return name ? name : op.argument(0);
}

std::string constraint_name(const OperationCall& op) {
  return alembic_literal_name(constraint_name_of(op));
}

std::vector<std::string> index_columns(const OperationCall& op) {
  const Expr* list = op.call.keyword("columns");
  if (!list) list = op.argument(1);
  std::vector<std::string> columns;
  if (!list || !(list->is(Expr::Kind::List) || list->is(Expr::Kind::Tuple))) return columns;
  for (const Expr& column : list->items) {
    if (column.is_string()) columns.push_back(column.text);
  }
  return columns;
}

const Expr* added_column_call(const OperationCall& op) {
  const Expr* column = op.call.keyword("column");
  if (!column) column = op.argument(0);
  return column && column->is_call() ? column : nullptr;
}

const Expr* alter_column_given_column(const OperationCall& op) {
  if (op.name != "alter_column") return nullptr;
  const Expr* column = op.argument(0);  // `column_name=` too: the facts put it at its position
  return column && column->is_call() && column->origin() == "sqlalchemy.Column" ? column : nullptr;
}

bool alter_column_changes_nothing(const OperationCall& op) {
  if (op.name != "alter_column") return false;
  for (const char* parameter :
       {"nullable", "type_", "server_default", "new_column_name", "comment", "autoincrement"}) {
    if (op.call.keyword(parameter)) return false;
  }
  return true;
}

bool flag_may_be_set(const OperationCall& op, const std::string& flag) {
  const Expr* value = op.call.keyword(flag);
  return value && !value->is_false() && value->kind != Expr::Kind::None;
}

bool declares_concurrently(const OperationCall& op) {
  const Expr* value = op.call.keyword("postgresql_concurrently");
  return value && value->is_true();
}

bool may_run_concurrently(const OperationCall& op) {
  return flag_may_be_set(op, "postgresql_concurrently");
}

namespace {

// The operations before / after `op` in the same function, each until `visit` returns true (then: true).
template <class Visit>
bool any_earlier(const RevisionInfo& revision, const OperationCall& op, Visit&& visit) {
  for (const OperationCall& earlier : revision.operations) {
    if (&earlier == &op) return false;
    if (earlier.function == op.function && visit(earlier)) return true;
  }
  return false;
}

template <class Visit>
bool any_later(const RevisionInfo& revision, const OperationCall& op, Visit&& visit) {
  bool after = false;
  for (const OperationCall& later : revision.operations) {
    if (&later == &op) {
      after = true;
    } else if (after && later.function == op.function && visit(later)) {
      return true;
    }
  }
  return false;
}

// A test for operations `name` on the column `op` names, of the same table, both as written.
auto on_same_column(const RevisionInfo& revision, const OperationCall& op, std::string_view name) {
  return [&revision, name, table = written_table(revision, op),
          column = written_column(op)](const OperationCall& other) {
    return other.name == name && written_table(revision, other) == table && written_column(other) == column;
  };
}

// Whether `holds(statement)` is true of a statement `function` sends: an op.execute's (its argument, null
// when absent) or that of a connection's execute inside another call — when `after` is given, only those
// after it (operations later in the list, calls that start after it).
template <class Holds>
bool any_statement_sent(const ModuleFacts& module, std::string_view function, const OperationCall* after,
                        Holds&& holds) {
  const RevisionInfo& revision = *module.revision;
  bool past = after == nullptr;
  for (const OperationCall& op : revision.operations) {
    if (&op == after) {
      past = true;
    } else if (past && op.function == function && op.name == "execute" && holds(executed_sql(op))) {
      return true;
    }
  }
  return std::any_of(revision.calls.begin(), revision.calls.end(), [&](const RevisionCall& call) {
    if (call.function != function || (after && call.call.loc.start_byte < after->call.loc.start_byte))
      return false;
    bool found = false;
    call.call.walk([&](const Expr& e) {
      if (!found && is_connection_execute(e)) found = holds(e.arg(0));
    });
    return found;
  });
}

}  // namespace

const OperationCall* restored_constraint(const RevisionInfo& revision, const OperationCall& op) {
  if (!op.name.starts_with("create_") || op.name == "create_table" || op.name == "create_index")
    return nullptr;
  const std::string created = constraint_name(op);
  if (created.empty()) return nullptr;
  const WrittenName table = written_table(revision, op);
  const OperationCall* found = nullptr;
  any_earlier(revision, op, [&](const OperationCall& earlier) {
    if (earlier.name != "drop_constraint") return false;
    if (constraint_name(earlier) == created && written_table(revision, earlier) == table) found = &earlier;
    return found != nullptr;
  });
  return found;
}

bool column_added_before(const RevisionInfo& revision, const OperationCall& op) {
  return any_earlier(revision, op, on_same_column(revision, op, "add_column"));
}

const OperationCall* column_addition_before(const RevisionInfo& revision, const OperationCall& op,
                                            const std::string& table, const std::string& column) {
  const OperationCall* found = nullptr;
  any_earlier(revision, op, [&](const OperationCall& earlier) {
    if (earlier.name == "add_column" && !excludes_dialect_of(earlier, op) && lower(earlier.table) == table &&
        lower(earlier.column_name()) == column) {
      found = &earlier;
    }
    return false;  // the last one before `op` counts
  });
  return found;
}

bool column_added_before(const RevisionInfo& revision, const OperationCall& op, const std::string& table,
                         const std::string& column) {
  return column_addition_before(revision, op, table, column) != nullptr;
}

namespace {

// An operation that writes rows: op.execute (SQL), bulk_insert, an execute through the migration's connection.
bool writes_rows(const OperationCall& op) {
  return op.name == "execute" || op.name == "bulk_insert" || op.through_connection;
}

// A call of a connection or a session that may write rows (`conn.execute(...)`, `session.add(...)`, `commit()`).
bool call_may_write_rows(const RevisionCall& call) {
  bool writes = false;
  call.call.walk([&](const Expr& e) {
    if (!e.is_call()) return;
    const std::string_view callee = e.callee_name();
    writes = writes || is_connection_execute(e) || callee == "scalar" || callee == "add" || callee == "add_all" ||
             callee == "merge" || callee == "update" || callee == "commit" || callee == "flush" ||
             callee.starts_with("bulk_");
  });
  return writes;
}

}  // namespace

bool rows_may_be_written(const RevisionInfo& revision, std::string_view function, const OperationCall* after,
                         const OperationCall* before) {
  bool inside = after == nullptr;
  for (const OperationCall& other : revision.operations) {
    if (&other == before) break;
    if (inside && &other != after && other.function == function && writes_rows(other)) return true;
    if (&other == after) inside = true;
  }
  return calls_may_write_rows(revision, function);
}

bool calls_may_write_rows(const RevisionInfo& revision, std::string_view function) {
  return std::any_of(revision.calls.begin(), revision.calls.end(), [&](const RevisionCall& call) {
    return call.function == function && call_may_write_rows(call);
  });
}

bool column_all_null_at(const RevisionInfo& revision, const OperationCall& op, const std::string& table,
                        const std::string& column) {
  const OperationCall* added = column_addition_before(revision, op, table, column);
  const Expr* column_call = added ? added_column_call(*added) : nullptr;
  if (!column_call) return false;
  auto given = [&](const char* keyword) {
    const Expr* value = column_call->keyword(keyword);
    return value && value->kind != Expr::Kind::None && !value->is_false();
  };
  if (given("server_default") || given("primary_key") || given("autoincrement") || given("identity"))
    return false;
  if (const Expr* nullable = column_call->keyword("nullable"); nullable && !nullable->is_true()) return false;
  for (const Expr& item : column_call->items) {
    // sa.Identity() / sa.Computed(...) fill every row.
    if (item.is_call() && (item.callee_name() == "Identity" || item.callee_name() == "Computed"))
      return false;
  }
  // Anything between that may write rows: SQL or a bulk insert through Alembic, or a connection or session of the
  // function.
  return !rows_may_be_written(revision, op.function, added, &op);
}

bool column_renamed_into_place(const RevisionInfo& revision, const OperationCall& op,
                               const std::string& table, const std::string& column) {
  return any_later(revision, op, [&](const OperationCall& later) {
    const Expr* new_name = later.call.keyword("new_column_name");
    return later.name == "alter_column" && lower(later.table) == table && new_name && new_name->is_string() &&
           lower(new_name->text) == column;
  });
}

namespace {

// Either side of `op` in its function.
template <class Visit>
bool any_other(const RevisionInfo& revision, const OperationCall& op, Visit&& visit) {
  return any_earlier(revision, op, visit) || any_later(revision, op, visit);
}

}  // namespace

bool column_renamed_away(const RevisionInfo& revision, const OperationCall& op) {
  const auto same_column = on_same_column(revision, op, "alter_column");
  const WrittenName column = written_column(op);
  return any_other(revision, op, [&](const OperationCall& other) {
    const Expr* new_name = other.call.keyword("new_column_name");
    return same_column(other) && new_name && new_name->kind != Expr::Kind::None &&
           !(written_name(new_name) == column);
  });
}

bool column_renamed_to(const RevisionInfo& revision, const OperationCall& op) {
  const WrittenName table = written_table(revision, op);
  const WrittenName column = written_column(op);
  return any_other(revision, op, [&](const OperationCall& other) {
    return other.name == "alter_column" && written_table(revision, other) == table &&
           written_name(other.call.keyword("new_column_name")) == column &&
           !(written_column(other) == column);
  });
}

bool column_operation_after(const RevisionInfo& revision, const OperationCall& op, std::string_view name) {
  return any_later(revision, op, on_same_column(revision, op, name));
}

bool column_made_not_null_after(const RevisionInfo& revision, const OperationCall& op) {
  auto same_column = on_same_column(revision, op, "alter_column");
  return any_later(revision, op, [&](const OperationCall& later) {
    const Expr* nullable = later.call.keyword("nullable");
    return nullable && nullable->is_false() && same_column(later);
  });
}

namespace {

// Whether the function of `op` writes `table`.`column` (literal names) after `op`: an `UPDATE <table> SET
// <column> = ...` or a Core update setting it, through op.execute or the migration's connection.
bool column_refilled_after(const ModuleFacts& module, const OperationCall& op, const std::string& table,
                           const std::string& column) {
  return any_statement_sent(module, op.function, &op, [&](const Expr* statement) {
    std::string sql;
    if (statement && literal_sql(module, statement, sql)) return updates_column(sql, table, column);
    const auto set = statement ? core_update_columns(*statement) : std::nullopt;
    return set && std::find(set->begin(), set->end(), column) != set->end();
  });
}

}  // namespace

bool column_swapped(const ModuleFacts& module, const OperationCall& drop) {
  const RevisionInfo& revision = *module.revision;
  const WrittenName table = written_table(revision, drop);
  const WrittenName column = written_column(drop);
  // Renamed into place.
  if (any_later(revision, drop, [&](const OperationCall& later) {
        return later.name == "alter_column" && written_table(revision, later) == table &&
               written_name(later.call.keyword("new_column_name")) == column;
      })) {
    return true;
  }
  if (!column.literal || !table.literal) return false;
  // Added again under its name and refilled: `UPDATE secret SET name = name_new` (mage-ai), or the same as a
  // Core update (`queries.update().values(schedule=...)`, redash), through op.execute or the connection.
  if (column_operation_after(revision, drop, "add_column") &&
      column_refilled_after(module, drop, table.text, column.text)) {
    return true;
  }
  // Moved aside first, a new column added under the old name and filled from it (open-webui: `chat` renamed
  // to `old_chat`, a JSON `chat` added and filled, `old_chat` dropped).
  return any_earlier(revision, drop, [&](const OperationCall& rename) {
    if (rename.name != "alter_column" || !(written_table(revision, rename) == table) ||
        !(written_name(rename.call.keyword("new_column_name")) == column)) {
      return false;
    }
    const WrittenName original = written_column(rename);
    return original.literal && column_operation_after(revision, rename, "add_column") &&
           column_refilled_after(module, rename, table.text, original.text);
  });
}

bool updates_column(std::string_view sql, const std::string& table, const std::string& column) {
  for (const SqlStatement& statement : split_sql(sql)) {
    SqlWords words(statement.text);
    if (words.next_is("update") && words.next_is(lower(table)) && words.next_is("set") &&
        words.next_is(lower(column))) {
      return true;
    }
  }
  return false;
}

bool table_operation_after(const RevisionInfo& revision, const OperationCall& op, const std::string& name) {
  const WrittenName table = written_table(revision, op);
  return any_later(revision, op, [&](const OperationCall& later) {
    return later.name == name && written_table(revision, later) == table;
  });
}

bool table_operation_before(const RevisionInfo& revision, const OperationCall& op, const std::string& name) {
  const WrittenName table = written_table(revision, op);
  return any_earlier(revision, op, [&](const OperationCall& earlier) {
    return earlier.name == name && written_table(revision, earlier) == table;
  });
}

namespace {

// `INSERT INTO <into> ... FROM <from>`.
bool copies_rows(const std::string& sql, const std::string& into, const std::string& from) {
  const std::vector<std::string> words = sql_identifier_words(sql);
  for (size_t i = 0; i + 2 < words.size(); ++i) {
    // `INSERT INTO <into> ... FROM <from>`, or `CREATE TABLE <into> AS SELECT ... FROM <from>` (blazar).
    const bool insert = words[i] == "insert" && words[i + 1] == "into" && words[i + 2] == into;
    const bool create_as = words[i] == "create" && words[i + 1] == "table" && words[i + 2] == into &&
                           i + 3 < words.size() && words[i + 3] == "as";
    if (!insert && !create_as) continue;
    for (size_t j = i + 3; j + 1 < words.size(); ++j) {
      if (words[j] == "from" && words[j + 1] == from) return true;
    }
  }
  return false;
}

}  // namespace

namespace {

// The table renames of one function (lower case, old -> new): op.rename_table, and `ALTER TABLE [IF EXISTS]
// [ONLY] old RENAME TO new` in an op.execute (mwdb).
std::vector<std::pair<std::string, std::string>> table_renames(const ModuleFacts& module,
                                                               std::string_view function) {
  std::vector<std::pair<std::string, std::string>> renames;
  for (const OperationCall& op : module.revision->operations) {
    if (op.function != function) continue;
    if (op.name == "rename_table") {
      const Expr* old_name = op.call.keyword("old_table_name");
      if (!old_name) old_name = op.call.arg(0);
      const Expr* new_name = op.call.keyword("new_table_name");
      if (!new_name) new_name = op.call.arg(1);
      if (old_name && new_name && old_name->is_string() && new_name->is_string()) {
        renames.emplace_back(lower(old_name->text), lower(new_name->text));
      }
      continue;
    }
    std::string sql;
    if (op.name != "execute" || !literal_sql(module, executed_sql(op), sql)) continue;
    for (const SqlStatement& statement : split_sql(sql)) {
      SqlWords words(statement.text);
      const std::string table = altered_table(words);
      if (!table.empty() && words.next_is("rename") && words.next_is("to") && !words.at_end()) {
        renames.emplace_back(table, words.take());
      }
    }
  }
  return renames;
}

// `new = op.create_table("prompt_new", ...)`: the name `new` holds the table `into` (lower case).
bool holds_created_table(const RevisionInfo& revision, std::string_view function, const Expr* table,
                         const std::string& into) {
  if (!table) return false;
  if (lower(core_table_name(table)) == into) return true;
  return table->is(Expr::Kind::Name) &&
         std::any_of(revision.operations.begin(), revision.operations.end(), [&](const OperationCall& op) {
           return op.function == function && op.name == "create_table" && lower(op.table) == into &&
                  op.result_name == table->text;
         });
}

// Created again under the dropped name after the drop, and filled by `op.bulk_insert(new, rows)` with rows
// the code computed — not a literal list (pgadmin reads them into Python before the drop): the rows survive.
// Seed rows written out in the script replace the data, which is lost: still a finding.
bool refilled_after_drop(const ModuleFacts& module, const OperationCall& drop, const std::string& dropped) {
  const RevisionInfo& revision = *module.revision;
  return any_later(revision, drop, [&](const OperationCall& later) {
    const Expr* rows =
        later.call.arg(1);  // `table=` and `rows=` stand at their positions (keywords_to_positions)
    return later.name == "bulk_insert" && rows && !rows->is(Expr::Kind::List) &&
           holds_created_table(revision, drop.function, later.call.arg(0), dropped);
  });
}

// A class of the revision itself mapped to `into` (`class NewEventCounter(Base): __tablename__ =
// "eventcounter_new"`), instantiated in `call`.
bool instantiates_model_of(const ModuleFacts& module, const Expr& call, const std::string& into) {
  bool found = false;
  call.walk([&](const Expr& e) {
    if (found || !e.is_call() || !e.target || !e.target->is(Expr::Kind::Name)) return;
    for (const ClassDef& def : module.classes) {
      const ClassAttribute* table = def.name == e.target->text ? def.attribute("__tablename__") : nullptr;
      if (table && table->value && table->value->is_string() && lower(table->value->text) == into)
        found = true;
    }
  });
  return found;
}

}  // namespace

bool table_rebuilt(const ModuleFacts& module, const OperationCall& drop) {
  if (drop.name != "drop_table" || drop.table.empty()) return false;
  return table_rebuilt(module, drop, lower(drop.table));
}

bool table_rebuilt(const ModuleFacts& module, const OperationCall& drop, const std::string& dropped) {
  if (!module.revision) return false;
  // The copy is renamed to the dropped table's name (`t_new` -> `t`, after the drop), or the dropped table is
  // the old one renamed away (`t` -> `t_old`, before a new `t` is filled from it): either way the rename
  // gives the dropped name, and the rows went from the dropped table into the rename's other one — or into a
  // table the function created to replace it under another name (open-event-server: `user` -> `temp_user`,
  // copied into a new `users`).
  const RevisionInfo& revision = *module.revision;
  if (refilled_after_drop(module, drop, dropped)) return true;
  for (const auto& [old_name, new_name] : table_renames(module, drop.function)) {
    if (new_name != dropped) continue;
    // Rows inserted by code into the table that takes the name (its source is not read: the rename says it).
    if (rows_copied(module, drop.function, dropped, old_name) ||
        rows_inserted_by_code(module, drop.function, old_name)) {
      return true;
    }
    const bool copied_into_new_table = any_earlier(revision, drop, [&](const OperationCall& earlier) {
      return earlier.name == "create_table" && !earlier.table.empty() &&
             rows_copied(module, drop.function, dropped, lower(earlier.table));
    });
    if (copied_into_new_table) return true;
  }
  return false;
}

bool rows_copied(const ModuleFacts& module, std::string_view function, const std::string& from,
                 const std::string& into) {
  // Through op.execute or the connection (`op.get_bind().execute("INSERT ...")`, securedrop).
  return any_statement_sent(module, function, nullptr, [&](const Expr* statement) {
    std::string sql;
    return literal_sql(module, statement, sql) && copies_rows(sql, into, from);
  });
}

bool rows_inserted_by_code(const ModuleFacts& module, std::string_view function, const std::string& into) {
  const RevisionInfo& revision = *module.revision;
  auto inserts = [&](const Expr* statement) {
    const auto core = statement ? read_core_statement(*statement) : std::nullopt;
    return core && core->verb == CoreStatement::Verb::Insert &&
           holds_created_table(revision, function, core->table, into);
  };
  if (any_statement_sent(module, function, nullptr, inserts)) return true;
  for (const OperationCall& op : revision.operations) {
    if (op.function != function || op.name != "bulk_insert") continue;
    if (holds_created_table(revision, function, op.call.arg(0), into)) return true;
  }
  // An ORM session filled with the revision's own model of the new table (privacyidea).
  static const std::set<std::string, std::less<>> kSessionAdds = {"add", "add_all", "bulk_save_objects",
                                                                  "merge"};
  return std::any_of(revision.calls.begin(), revision.calls.end(), [&](const RevisionCall& call) {
    return call.function == function && kSessionAdds.count(call.call.callee_name()) &&
           instantiates_model_of(module, call.call, into);
  });
}

std::optional<std::vector<std::string>> core_update_columns(const Expr& statement) {
  const auto read = read_core_statement(statement);
  if (!read || read->verb != CoreStatement::Verb::Update) return std::nullopt;
  return std::vector<std::string>(read->set_columns.begin(), read->set_columns.end());
}

bool literal_sql_all(const ModuleFacts& module, const Expr* executed,
                     const std::function<bool(const SqlStatement&)>& holds) {
  std::string sql;
  if (!executed || !literal_sql(module, executed, sql)) return false;
  const std::vector<SqlStatement> statements = split_sql(sql);
  return !statements.empty() && std::all_of(statements.begin(), statements.end(), holds);
}

bool literal_sql_only(const ModuleFacts& module, const Expr* executed,
                      std::initializer_list<std::string_view> verbs) {
  return literal_sql_all(module, executed, [&](const SqlStatement& s) {
    const std::string verb = sql_statement_verb(s);
    return !verb.empty() && std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
  });
}

bool only_updates_or_deletes(const ModuleFacts& module, const Expr* executed) {
  if (!executed) return false;
  if (const auto core = read_core_statement(*executed); core && core->verb != CoreStatement::Verb::Insert)
    return true;
  return literal_sql_only(module, executed, {"UPDATE", "DELETE"});
}

bool is_connection_execute(const Expr& e) {
  if (!e.is_call() || !e.target || !e.target->is(Expr::Kind::Attribute)) return false;
  const std::string_view callee = e.callee_name();
  // `conn.scalar(stmt)` / `conn.scalars(stmt)` execute too (a Result's `.scalar()` takes no statement).
  return callee == "execute" || callee == "exec_driver_sql" ||
         ((callee == "scalar" || callee == "scalars") && e.arg(0));
}

bool is_session_factory(std::string_view origin) {
  static const std::set<std::string, std::less<>> kFactories = {"Session", "sessionmaker", "scoped_session",
                                                                "AsyncSession", "async_sessionmaker"};
  if (!origin.starts_with("sqlalchemy.") && !origin.starts_with("sqlmodel.")) return false;
  if (origin.ends_with("()")) origin.remove_suffix(2);
  size_t dot = origin.rfind('.');
  return kFactories.count(origin.substr(dot + 1)) > 0;
}

std::vector<ConnectionSql> connection_sql(const ModuleFacts& module, const RevisionCall& call) {
  std::vector<ConnectionSql> found;
  call.call.walk([&](const Expr& e) {
    std::string sql;
    if (is_connection_execute(e) && literal_sql(module, e.arg(0), sql)) found.push_back({&e, std::move(sql)});
  });
  return found;
}

bool any_sql_before(const ModuleFacts& module, const OperationCall& op,
                    const std::function<bool(const std::string& sql)>& holds) {
  return any_earlier(*module.revision, op, [&](const OperationCall& earlier) {
    std::string sql;
    return earlier.name == "execute" && !excludes_dialect_of(earlier, op) &&
           literal_sql(module, executed_sql(earlier), sql) && holds(sql);
  });
}

bool committed_before(const ModuleFacts& module, const OperationCall& op) {
  return any_sql_before(module, op, [](const std::string& sql) {
    for (const SqlStatement& statement : split_sql(sql)) {
      if (!statement.words.empty() && (statement.words[0] == "COMMIT" || statement.words[0] == "END"))
        return true;
    }
    return false;
  });
}

bool sql_run_in_transaction(const ModuleFacts& module, const OperationCall& op, std::string& sql) {
  if (op.name != "execute" || op.in_autocommit_block) return false;
  return literal_sql(module, executed_sql(op), sql);
}

namespace {

// The literal strings of a list/tuple argument (`["user_id"]`), or of a single string; empty when one of
// them is not a literal string.
std::vector<std::string> literal_strings(const Expr* e) {
  std::vector<std::string> out;
  if (!e) return out;
  if (e->is_string()) return {std::string(e->text)};
  if (e->kind != Expr::Kind::List && e->kind != Expr::Kind::Tuple) return out;
  for (const Expr& item : e->items) {
    if (!item.is_string()) return {};
    out.push_back(item.text);
  }
  return out;
}

}  // namespace

bool sql_interpolates(std::string_view sql, const std::string& word) {
  if (word.empty()) return false;
  const std::string text = lower(sql);
  // `{table}` of an f-string or str.format, `%s` / `%(table)s` of %-formatting.
  return text.find("{" + word) != std::string::npos || text.find("%" + word) != std::string::npos ||
         text.find("%(" + word) != std::string::npos;
}

namespace {

// The table of a `"[schema.]table.column"` target (ForeignKey's, ForeignKeyConstraint's first refcolumn); ""
// when not a literal.
std::string table_of_target(const Expr* target) {
  if (target && (target->is(Expr::Kind::List) || target->is(Expr::Kind::Tuple))) target = target->arg(0);
  if (!target || !target->is_string()) return "";
  const std::string_view text = target->text;
  const size_t column_dot = text.rfind('.');
  if (column_dot == std::string_view::npos) return "";
  const std::string_view qualified = text.substr(0, column_dot);
  return std::string(qualified.substr(qualified.rfind('.') + 1));  // npos + 1 == 0: no schema
}

}  // namespace

EnumType enum_type(const Expr& type) {
  const FactText origin = type.origin();
  const bool mysql = origin == "sqlalchemy.dialects.mysql.ENUM";
  if (!type.is_call() ||
      (origin != "sqlalchemy.Enum" && origin != "sqlalchemy.dialects.postgresql.ENUM" && !mysql)) {
    return {};
  }
  EnumType result{true, mysql, true, {}, {}};
  for (const Expr& value : type.items) {
    if (!value.is_string()) return {};  // an enum class, a list splat: values unknown
    result.values.push_back(value.text);
  }
  if (const Expr* native = type.keyword("native_enum"); native && native->is_false()) result.native = false;
  if (const Expr* name = type.keyword("name")) {
    if (!name->is_string()) return {};
    result.name = name->text;
  }
  if (result.values.empty()) return {};
  return result;
}

std::vector<OperationForeignKey> foreign_keys_of(const OperationCall& op) {
  std::vector<OperationForeignKey> keys;
  if (op.name == "create_foreign_key") {
    const Expr* local = op.call.keyword("local_cols");
    if (!local) local = op.call.arg(op.in_batch ? 2 : 3);
    const Expr* referent = op.call.keyword("referent_table");
    if (!referent) referent = op.call.arg(op.in_batch ? 1 : 2);
    keys.push_back({&op.call, literal_strings(local), op.call.keyword("ondelete") != nullptr,
                    referent && referent->is_string() ? std::string(referent->text) : ""});
    return keys;
  }
  if (op.name != "create_table" && op.name != "add_column") return keys;
  for (const Expr& item : op.call.items) {
    if (!item.is_call()) continue;
    const FactText origin = item.origin();
    if (origin == "sqlalchemy.ForeignKeyConstraint") {
      const Expr* local = item.keyword("columns");
      const Expr* referred = item.keyword("refcolumns");
      keys.push_back({&item, literal_strings(local ? local : item.arg(0)),
                      item.keyword("ondelete") != nullptr,
                      table_of_target(referred ? referred : item.arg(1))});
    } else if (origin == "sqlalchemy.Column") {
      for (const Expr& part : item.items) {
        if (part.is_call() && part.origin() == "sqlalchemy.ForeignKey") {
          const Expr* column = part.keyword("column");
          keys.push_back({&part, literal_strings(item.arg(0)), part.keyword("ondelete") != nullptr,
                          table_of_target(column ? column : part.arg(0))});
        }
      }
    }
  }
  return keys;
}

namespace {

// `ALTER TABLE [IF EXISTS] [ONLY] t ADD [CONSTRAINT name] UNIQUE (...)`, MySQL's `ADD UNIQUE [KEY|INDEX]
// [name] (...)` too, or `ADD [CONSTRAINT name] PRIMARY KEY (...)` (`words` past ALTER): the unique index it
// builds. Not `UNIQUE USING INDEX ix` / `PRIMARY KEY USING INDEX ix`, which only adopt an index built before.
std::optional<SqlIndexBuild> unique_constraint_added(SqlWords& words, std::string_view statement) {
  if (!words.next_is("table")) return std::nullopt;
  if (words.next_is("if") && !words.next_is("exists")) return std::nullopt;
  words.next_is("only");
  const std::string table = words.take();
  if (table.empty() || sql_interpolates(statement, table) || !words.next_is("add")) return std::nullopt;
  SqlIndexBuild build;
  build.unique = true;
  build.constraint = true;
  if (words.next_is("constraint")) build.name = words.take();
  build.primary_key = words.next_is("primary") && words.next_is("key");
  if ((!build.primary_key && !words.next_is("unique")) || words.next_is("using")) return std::nullopt;
  if ((words.next_is("key") || words.next_is("index")) && build.name.empty()) build.name = words.take();
  if (sql_interpolates(statement, build.name)) build.name.clear();
  build.table = unqualified_name(table);
  return build;
}

}  // namespace

std::vector<SqlIndexBuild> sql_index_builds(const ModuleFacts& module, const OperationCall& op) {
  std::vector<SqlIndexBuild> builds;
  std::string sql;
  if (op.name != "execute" || !literal_sql(module, executed_sql(op), sql)) return builds;
  // Tables an earlier statement of the same SQL creates (a TEMPORARY one, indico): new, so no lock matters.
  std::set<std::string> created;
  for (const SqlStatement& statement : split_sql(sql)) {
    if (std::string table = sql_created_table(statement.text); !table.empty()) {
      created.insert(std::move(table));
      continue;
    }
    SqlWords words(statement.text);
    if (words.next_is("alter")) {
      if (auto build = unique_constraint_added(words, statement.text);
          build && !created.count(build->table)) {
        builds.push_back(std::move(*build));
      }
      continue;
    }
    if (!words.next_is("create")) continue;
    SqlIndexBuild build;
    build.unique = words.next_is("unique");
    if (!words.next_is("index")) continue;
    build.concurrently = words.next_is("concurrently");
    if (words.next_is("if") && !(words.next_is("not") && words.next_is("exists"))) continue;
    if (!words.at_end() && words.peek() != "on") build.name = words.take();
    if (!words.next_is("on")) continue;
    words.next_is("only");
    if (words.at_end()) continue;
    const std::string table = words.take();
    // `f"CREATE INDEX {name} ON {table} ..."` in a loop (zou): the names are not these words.
    if (created.count(table) || sql_interpolates(statement.text, table)) continue;
    if (sql_interpolates(statement.text, build.name)) build.name.clear();
    build.table = table.substr(table.rfind('.') == std::string::npos ? 0 : table.rfind('.') + 1);
    builds.push_back(std::move(build));
  }
  return builds;
}

}  // namespace ormlint
