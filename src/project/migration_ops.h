// How the migration rules read an Alembic operation: the names it gives (table, column, index), the flags it
// sets, and what else the same upgrade()/downgrade() does to its table. Several rules ask the same questions
// of an OperationCall; answering them once keeps their exemptions and messages in step.
#pragma once
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facts/module_facts.h"
#include "facts/sql_statements.h"

namespace ormlint {

// A name as the user wrote it: a literal bare (`users`), anything else as its source text.
struct WrittenName {
  std::string text;
  bool literal = false;

  // For a help line's Python: a literal quoted, an expression as written.
  std::string python() const { return literal ? "\"" + text + "\"" : text; }
  // For a message: a literal as is, an expression as a placeholder (`<table>.deleted_at`).
  std::string shown() const { return literal ? text : "<" + text + ">"; }
  // The same name, known ("?" is a name that could not be read, and matches nothing).
  bool operator==(const WrittenName& other) const {
    return literal == other.literal && text == other.text && text != "?";
  }
};

// `e` as written: a string literal bare, anything else as its source text, "?" when absent.
WrittenName written_name(const Expr* e);

// The table an operation touches. A batch operation names no table: it is the batch_alter_table's, the
// closest one recorded before it in the same function.
WrittenName written_table(const RevisionInfo& revision, const OperationCall& op);

// The column of drop_column / alter_column (`column_name`) or add_column (the name given to its Column(...)).
WrittenName written_column(const OperationCall& op);

// `table.column` of an add_column / drop_column / alter_column as a message shows it (`users.email`,
// `<table>.email`). A loop over literal names gives each run's operation its own (`for name in ("a", "b"):
// op.drop_column("t", name)`: `t.a`, `t.b`), so a rule reporting per operation names every value.
std::string shown_column(const RevisionInfo& revision, const OperationCall& op);

// A literal name, also through Alembic's naming-convention marker `op.f("ix_users_email")`; "" otherwise.
std::string alembic_literal_name(const Expr* e);

// The literal name of an `sa.Enum(..., name="x")` / `postgresql.ENUM(..., name="x")` call, or the one
// SQLAlchemy gives `sa.Enum(SomeEnumClass)` without name= (the class name lower-cased: "someenumclass"); ""
// otherwise.
std::string enum_name(const Expr& e);
// Whether a create_table column typed by the enum call `e` (see enum_name) creates its type with the table:
// not with `native_enum=False` (no type at all), nor `postgresql.ENUM(..., create_type=False)` (the type is
// used, and must exist already; `sa.Enum` ignores create_type).
bool enum_type_created_with_table(const Expr& e);

// An enum type written with literal values: `sa.Enum("a", "b", name="status")`, `postgresql.ENUM(...)`,
// `mysql.ENUM(...)`.
struct EnumType {
  bool is_enum = false;
  bool mysql = false;  // MySQL's ENUM: the values are the column's, no type object
  bool native = true;  // false: `native_enum=False`, a VARCHAR (and CHECK): no type object either
  std::vector<std::string> values;
  std::string name;
};
// `type` as such an enum; is_enum false for any other type, and for an enum whose values or name= are not
// literals (an enum class, a `*values` splat).
EnumType enum_type(const Expr& type);

// The literal name of create_index / drop_index (`index_name=` or the first argument); "" when not a literal.
std::string index_name(const OperationCall& op);

// The name a constraint operation gives (create_foreign_key, create_unique_constraint,
// create_check_constraint, create_primary_key, drop_constraint: `constraint_name=` or the first argument), as
// written; null when none.
const Expr* constraint_name_of(const OperationCall& op);
// The same as a literal (alembic_literal_name); "" when not a literal.
std::string constraint_name(const OperationCall& op);

// The literal column names of create_index (`columns=` or the second argument, a list or tuple): the ones
// written as strings.
std::vector<std::string> index_columns(const OperationCall& op);

// The Column(...) of an add_column when written in place (`column=` or the first argument), else null.
const Expr* added_column_call(const OperationCall& op);

// The Column(...) an alter_column is given as its column_name (`op.alter_column("settings",
// sa.Column("sound", sa.Boolean(), nullable=False))`, OpenHands): Alembic reads nothing from it, not even its
// name; else null.
const Expr* alter_column_given_column(const OperationCall& op);
// An alter_column given none of the parameters that change a column (nullable, type_, server_default,
// new_column_name, comment, autoincrement): Alembic emits no SQL for it (`existing_*=` only describe).
bool alter_column_changes_nothing(const OperationCall& op);

// The keyword `flag` is given and is not the literal False or None: Alembic acts on it (`if_exists=True`, and
// a variable gets the benefit of the doubt).
bool flag_may_be_set(const OperationCall& op, const std::string& flag);

// create_index / drop_index with the literal `postgresql_concurrently=True`: it must run outside a
// transaction.
bool declares_concurrently(const OperationCall& op);
// create_index / drop_index whose `postgresql_concurrently=` is anything but absent, False or None: it may
// well run concurrently (a variable may hold True), so no lock is blamed on it.
bool may_run_concurrently(const OperationCall& op);

// An op.add_column earlier in the same function of the column `op` names, to the same table, both as written (a
// literal, or the same expression: `f"{col}_new"` twice): the column is new there (a temporary column).
bool column_added_before(const RevisionInfo& revision, const OperationCall& op);
// Whether an add_column before `op` in the same function adds `table`.`column` (lower case, as SQL names
// them).
bool column_added_before(const RevisionInfo& revision, const OperationCall& op, const std::string& table,
                         const std::string& column);
// That add_column (the last one before `op`), or null.
const OperationCall* column_addition_before(const RevisionInfo& revision, const OperationCall& op,
                                            const std::string& table, const std::string& column);
// Whether `function` may write rows between `after` and `before` (null: its start / its end): an op.execute,
// a bulk_insert or an execute through the migration's connection among its operations there, or any call of a
// connection or session in it (those are not ordered against the operations).
bool rows_may_be_written(const RevisionInfo& revision, std::string_view function, const OperationCall* after,
                         const OperationCall* before);
// Whether a call of a connection or a session in `function` may write rows (`conn.execute(...)`,
// `session.add(...)`): calls are not ordered against the operations, so any of the function's counts.
bool calls_may_write_rows(const RevisionInfo& revision, std::string_view function);
// Every existing row holds NULL in `table`.`column` (lower case) when `op` runs: an add_column before it in
// the same function added the column nullable, without a server default, identity or computed value, and
// nothing between may have written rows (no op.execute or bulk_insert, no connection or session writes in
// that function). A new column nothing filled.
bool column_all_null_at(const RevisionInfo& revision, const OperationCall& op, const std::string& table,
                        const std::string& column);

// A create_foreign_key / create_unique_constraint / create_check_constraint / create_primary_key (`op`) that
// puts back, under the same name on the same table, a constraint a `drop_constraint` earlier in the same
// function dropped (Mailu drops its keys around a data fix; octavia around a MySQL column change): the drop
// it pairs with, or null. Whether the constraint comes back unchanged, the facts cannot tell.
const OperationCall* restored_constraint(const RevisionInfo& revision, const OperationCall& op);

// A drop_column whose name a later alter_column of the same function gives to another column of the table — a
// column swap (`add_column("cfg", Column("pw_new"))`, copy, `drop_column("cfg", "pw")`, `alter_column("cfg",
// "pw_new", new_column_name="pw")`) — or that the function adds again and refills (`add_column("cfg",
// Column("pw"))`, `op.execute("UPDATE cfg SET pw = pw_new")`): the column lives on under its name.
bool column_swapped(const ModuleFacts& module, const OperationCall& drop);
// Whether a later alter_column of the same function gives `table`'s column `column` (lower case) to another
// one
// (`alter_column("user_file", "new_id", new_column_name="id")`): a column dropped in SQL and replaced so.
bool column_renamed_into_place(const RevisionInfo& revision, const OperationCall& op,
                               const std::string& table, const std::string& column);
// A later operation `name` ("add_column", "drop_column") of the same function on the column `op` names, of
// the same table, both as written.
bool column_operation_after(const RevisionInfo& revision, const OperationCall& op, std::string_view name);
// A later alter_column of the same function makes the column `op` names NOT NULL (`nullable=False`).
bool column_made_not_null_after(const RevisionInfo& revision, const OperationCall& op);
// An alter_column of the same function, before or after `op`, that renames `op`'s column (of the same table,
// both as written) to another name: a copy renamed away into the original's place, or the original moved
// aside for a new column of its name.
bool column_renamed_away(const RevisionInfo& revision, const OperationCall& op);
// An alter_column of the same function, before or after `op`, that gives another column of `op`'s table
// `op`'s column's name (`new_column_name=`, both as written): the name lives on after the run, or was made by
// it.
bool column_renamed_to(const RevisionInfo& revision, const OperationCall& op);
// `UPDATE <table> SET <column> = ...` (the first column set), any case, in one of the SQL's statements.
bool updates_column(std::string_view sql, const std::string& table, const std::string& column);
// An operation `name` (e.g. "drop_table") on `op`'s table, both as written (a literal, or the same
// expression: the `table_name` of a `batch_alter_table(table_name)` in a loop), later (before) in the same
// function.
bool table_operation_after(const RevisionInfo& revision, const OperationCall& op, const std::string& name);
bool table_operation_before(const RevisionInfo& revision, const OperationCall& op, const std::string& name);

// A drop_table of a table whose rows the same function copied into the table that takes its name — a rebuild:
// `create_table("t_new")`, `INSERT INTO t_new ... FROM t`, `drop_table("t")`, `rename_table("t_new", "t")`
// (or the old table first renamed away to `t_old` and copied from there; the rename may be SQL, `ALTER TABLE
// t_new RENAME TO t`). The rows live on.
bool table_rebuilt(const ModuleFacts& module, const OperationCall& drop);
// The same for the table `dropped` (lower case) that `drop` removes in SQL (`op.execute("DROP TABLE t")`).
bool table_rebuilt(const ModuleFacts& module, const OperationCall& drop, const std::string& dropped);
// `function` of the revision copies rows from table `from` into table `into` (lower case): an `INSERT INTO
// <into> ... FROM <from>` through op.execute or a connection, as far as literals show it.
bool rows_copied(const ModuleFacts& module, std::string_view function, const std::string& from,
                 const std::string& into);
// `function` of the revision inserts rows into the table `into` (lower case) by code rather than SQL: a Core
// insert (`sa.insert(new)`, `new.insert()`) or `op.bulk_insert(new, rows)` of the table `new =
// op.create_table(...)` made or a `sa.table(...)` of its name, through op.execute or the connection
// (open-webui), or an ORM session given instances of the revision's own model of it (privacyidea) — a
// rebuild's copy when the rows come from the table it replaces.
bool rows_inserted_by_code(const ModuleFacts& module, std::string_view function, const std::string& into);

// The columns a Core UPDATE statement sets, as written — `t.update().where(...).values(c=...)`,
// `.values({"c": ...})`, `sa.update(t).values(...)` — empty when none is literal; nullopt when `statement` is
// not such a statement.
std::optional<std::vector<std::string>> core_update_columns(const Expr& statement);
// The statement an op.execute or a connection's execute sends (`executed`: its argument) rewrites or removes
// existing rows and nothing else: literal SQL made only of UPDATE and DELETE statements, or a Core update() /
// delete().
bool only_updates_or_deletes(const ModuleFacts& module, const Expr* executed);
// The literal SQL (see literal_sql) of `executed` is one or more statements, each one `holds` is true of.
bool literal_sql_all(const ModuleFacts& module, const Expr* executed,
                     const std::function<bool(const SqlStatement&)>& holds);
// The same, each starting with one of `verbs` (upper case: "UPDATE", "SELECT").
bool literal_sql_only(const ModuleFacts& module, const Expr* executed,
                      std::initializer_list<std::string_view> verbs);

// `conn.execute(...)`, `op.get_bind().execute(...)`, `session.execute(...)`, `conn.exec_driver_sql(...)`,
// `conn.scalar(...)` / `conn.scalars(...)`: a call
// sending a statement through a connection (or a session) instead of op.execute; the statement is argument 0.
bool is_connection_execute(const Expr& e);

// Whether a resolved callee opens an ORM session: `Session(bind=...)`, `sessionmaker(bind=...)()`, a module's
// `Session = sa.orm.sessionmaker()` called (meltano): a session class or a factory's instance
// ("sqlalchemy.orm.sessionmaker()").
bool is_session_factory(std::string_view origin);

// SQL a revision's other call (RevisionCall) sends through a connection: each such execute within it, with its
// SQL as far as literals show it (see literal_sql); the executes whose SQL is not visible are left out.
struct ConnectionSql {
  const Expr* execute;
  std::string sql;
};
std::vector<ConnectionSql> connection_sql(const ModuleFacts& module, const RevisionCall& call);

// Whether `holds` is true of the literal SQL (see literal_sql) of an op.execute before `op` in the same
// function, one the same database runs (not in a branch for another).
bool any_sql_before(const ModuleFacts& module, const OperationCall& op,
                    const std::function<bool(const std::string& sql)>& holds);

// An earlier `op.execute("COMMIT")` (or END) in the same function (bodhi, after alembic issue #123): it ends
// Alembic's transaction, and the driver starts no new one, so what follows runs outside any transaction.
bool committed_before(const ModuleFacts& module, const OperationCall& op);

// The SQL of an op.execute that runs inside the transaction Alembic holds for the migration (not in an
// autocommit_block()), as far as literals show it (see literal_sql). False for any other operation.
bool sql_run_in_transaction(const ModuleFacts& module, const OperationCall& op, std::string& sql);

// A foreign key an operation creates: op.create_foreign_key itself, or a ForeignKey(...) in a Column /
// a ForeignKeyConstraint(...) of op.create_table / op.add_column (of the operation's table).
struct OperationForeignKey {
  const Expr* construct =
      nullptr;  // the ForeignKey(...) / ForeignKeyConstraint(...) call, or the operation's call
  std::vector<std::string> columns;  // the source columns, when literal; else empty
  bool has_ondelete = false;         // ondelete= written (any value)
  std::string referred_table;        // the table it refers to, as written (no schema); "" when not literal
};
std::vector<OperationForeignKey> foreign_keys_of(const OperationCall& op);

// Whether `word` (lower case) stands in an interpolation of the SQL (`{table}`, `%s`, `%(table)s`): a name
// the program fills in, not the word itself.
bool sql_interpolates(std::string_view sql, const std::string& word);

// An index an op.execute builds in SQL: `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON
// [ONLY] table ...`, or the unique index of `ALTER TABLE table ADD [CONSTRAINT name] UNIQUE | PRIMARY KEY
// (...)` (names lower-cased, without quotes or schema), as far as literals show the SQL.
struct SqlIndexBuild {
  std::string name;  // "" when the statement leaves it to the database
  std::string table;
  bool unique = false;
  bool concurrently = false;
  bool constraint =
      false;  // ALTER TABLE ... ADD ... UNIQUE: under an ACCESS EXCLUSIVE lock, never concurrently
  bool primary_key = false;  // ADD ... PRIMARY KEY: the constraint also makes its columns NOT NULL
};
std::vector<SqlIndexBuild> sql_index_builds(const ModuleFacts& module, const OperationCall& op);

}  // namespace ormlint
