// What one Python file says, as facts: imports, module-level bindings, classes and their attributes, functions,
// comments, and — for Alembic revision scripts — the revision identifiers and every `op.*` operation.
// Built once per file from its syntax tree (facts/module_builder.cpp); names are resolved later, project-wide.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/flat_names.h"
#include "core/location.h"
#include "facts/expr.h"

namespace ormlint {

struct Import {
  FactText bound_name;  // the name this import binds in the module ("sa", "DT", "postgresql")
  FactText origin;      // the dotted name it stands for ("sqlalchemy", "sqlalchemy.DateTime")
  FactText module;      // the module named in the statement, absolute ("sqlalchemy.dialects.postgresql")
  bool is_star = false;    // `from x import *` (bound_name empty)
  bool is_relative = false;
  // In an `except ImportError:` (or ModuleNotFoundError) handler: it runs only where the import it stands in for
  // failed (`try: from sqlalchemy.orm import declarative_base` / `except ImportError: from ...ext.declarative`).
  bool is_fallback = false;
  Location loc;            // the imported name (`JSONB` in `from ... import JSONB, UUID`)
  Location statement_loc;  // the whole import statement
};

struct Assignment {
  FactText target;  // a plain name at module level
  Expr value;
  Location loc;  // the target's location
  // `db = None`, then `def init_db(app): global db; db = SQLAlchemy(app)`: the value is the function's (its
  // names are the function's: `app` is a parameter), written where the function assigns it.
  bool set_in_function = false;
};

// A module-level assignment to an attribute: `db.Model.metadata.naming_convention = convention`.
struct AttributeAssignment {
  Expr target;  // the Attribute assigned to
  Expr value;
};

// An attribute of a class body: `x = ...`, `x: T = ...`, `x: T`, a `@declared_attr` method (value = its
// return), or a call assigned to the class's attribute at module level after the body.
struct ClassAttribute {
  FactText name;
  Location loc;  // the name
  std::optional<Expr> annotation;
  std::optional<Expr> value;
  bool from_declared_attr = false;
  bool added_after_class = false;  // `Cls.name = relationship(...)` at module level, after the class body
};

// A `@hybrid_property` (or `@hybrid_method`) of a class body: at class level SQLAlchemy calls the same
// function with the class, so its body becomes SQL unless the class defines an expression for it.
struct HybridProperty {
  FactText name;
  Location loc;                  // the name
  std::optional<Expr> returned;  // the value of the body's first top-level `return`
  bool has_expression = false;   // `@name.expression` / `.inplace.expression` / `.comparator` in the body
};

struct ClassDef {
  FactText name;
  Location loc;  // the class name
  std::vector<Expr> bases;
  std::vector<Keyword> class_keywords;  // `table=True`, `metaclass=...`
  std::vector<Expr> decorators;
  std::vector<ClassAttribute> attributes;
  bool module_level = true;
  // Every name the class body binds, wherever in the body: attributes, defs, nested classes, imports, tuple
  // and loop targets (what a class-level expression may read besides the module's names).
  NameSet body_names;
  // Calls made as statements of the body, their results thrown away (`CheckConstraint("price >= 0")` on a line
  // of its own: built, and never attached to the table).
  std::vector<Expr> discarded_calls;
  std::vector<HybridProperty> hybrids;  // in source order

  const ClassAttribute* attribute(std::string_view attr_name) const;
};

// A parameter of a module-level function (FunctionDef::parameters).
struct Parameter {
  enum class Kind : uint8_t { Positional, KeywordOnly, VarPositional, VarKeyword };  // x, (*,) x, *args, **kwargs
  FactText name;
  Kind kind = Kind::Positional;
  std::optional<Expr> default_value;
};

// What a parameter stands for at one call: the argument given (by position or keyword), else its default (then
// `is_default`: the function's own code); null when neither is known (`*args` / `**kwargs`, an argument missing).
struct BoundArgument {
  const Expr* value = nullptr;
  bool is_default = false;
};
std::map<std::string, BoundArgument, std::less<>> bind_arguments(const std::vector<Parameter>& parameters,
                                                                const Expr& call);

struct FunctionDef {
  FactText name;
  Location loc;  // the function name
  Location def_loc;  // the `def` keyword through the name
  // The body holds nothing but `pass`, `...`, a docstring and/or early-return guards (`if legacy: return`).
  bool trivial_body = false;
  bool raises_only = false;  // the body's only statement (besides those) is a `raise`
  // The function asks the database what exists (facts/existence_check.h): a module-level helper that revision
  // scripts may call as a guard (`if "x" not in get_columns_for_table(op, "t"):`).
  bool checks_existence = false;
  // When the body (after a docstring) is only `return <call>`: that call, and the function's parameters, which
  // it may read. A column factory (`def created_column(): return Column(DateTime(timezone=True), ...)`) gives a
  // column at each call site (Project::column_call). Both empty for any other function.
  std::optional<Expr> returned_call;
  std::vector<Parameter> parameters;
  // When the function takes only `*args, **kwargs` and ends by returning a call that passes exactly those on
  // (buildbot's `def Table(*args, **kwargs): kwargs['mysql_character_set'] = 'utf8'; return sa.Table(*args,
  // **kwargs)`), with no other return: that call's callee. The function then stands for the callee (Project
  // resolves its name as the callee's), whatever else its body does to the arguments. Empty otherwise.
  std::optional<Expr> forwarded_callee;
};

// One `op.<name>(...)` / `batch_op.<name>(...)` call inside a revision's upgrade() or downgrade().
struct OperationCall {
  FactText function;  // "upgrade" or "downgrade" (a helper's operations count for the function calling it)
  FactText name;      // "add_column", "create_table", "execute", ...
  FactText receiver;  // the source text before the dot ("op", "batch_op")
  bool in_batch = false;  // inside `with op.batch_alter_table(...) as batch_op:`
  FactText table;      // the literal table name it touches, "" when not a literal
  // Stands under an existence check this file shows (inspector get_columns / has_table / a helper doing so);
  // rules ask Project::guarded, which adds the checks made through imported helpers.
  bool guarded = false;
  // When not guarded: functions imported from other modules (as called: "get_columns_for_table",
  // "utils.columns_of") that guard it if they check existence (resolved by Project::guarded).
  std::vector<std::string> guard_candidates;
  // Guarded, but every check around it asks only which tables exist (`if "t" in insp.get_table_names():`,
  // `if not has_table("t"): return`): it proves nothing about a column (unguarded-add-column).
  bool guard_checks_tables_only = false;
  // Runs only when a test says so: it stands under an `if` (any branch), or after an `if ...: return` of its
  // block, whatever the test asks (`if result.rowcount == 0:` after a pg_enum lookup). A test of the
  // database's name is no such test (its branch runs on every run on that database: OperationCall::dialect),
  // nor a helper's literal direction flag (`if upgrade:`, whose branch is taken or left out).
  bool conditional = false;
  bool in_autocommit_block = false;  // inside `with op.get_context().autocommit_block():`
  // An `execute` sent through the migration's own connection (`conn = op.get_bind()`, `conn.execute(...)`,
  // `op.get_bind().exec_driver_sql(...)`): the same as op.execute; `receiver` is the connection as written.
  bool through_connection = false;
  // The database the branch it stands in is for: "postgresql" under `if bind.dialect.name == "postgresql":`,
  // "sqlite,mssql" under `if ... in ("sqlite", "mssql"):`, "!sqlite" in the else branch of `if ... ==
  // "sqlite":` (or under `!= "sqlite"`), "!sqlite,postgresql" after an elif for PostgreSQL too; "" when not
  // in such a branch. In a version folder named for one database
  // (`sqlite_versions/`), that database for every operation not in such a branch.
  FactText dialect;
  int table_position = -1;  // which positional argument names the table (-1: none, a keyword, or a batch op)
  Expr call;
  FactText result_name;  // `jobs = op.create_table(...)`: "jobs"; "" when the result is not assigned to a name

  // The call's positional argument `index`, counting as a batch operation does (without the table argument):
  // `op.add_column("users", col)` and `batch_op.add_column(col)` both give `col` for argument(0);
  // `op.create_index("ix", "users", ["email"])` gives ["email"] for argument(1).
  const Expr* argument(size_t index) const;
  // The literal column name of add_column (from its Column), drop_column and alter_column; "" otherwise.
  std::string column_name() const;
  // A batch operation given op's arguments, table first (`batch_op.drop_column("t", "c")`,
  // batch-op-table-argument's error): its column is the one after the table.
  bool repeats_table() const;
  // Whether it runs on that database ("postgresql", "mysql", "sqlite", ...), as far as its branch shows.
  bool runs_on(std::string_view database) const;
  // The operation as the script calls it, for messages: "op.add_column", "batch_op.add_column", or
  // "add_column" for a function imported from alembic.op (then `receiver` is "").
  std::string written_callee() const {
    return receiver.empty() ? std::string(name) : std::string(receiver) + "." + std::string(name);
  }
};

// Whether two operations stand in branches for different databases, so never run in the same migration.
bool excludes_dialect_of(const OperationCall& a, const OperationCall& b);

// Any other call in a revision's upgrade() or downgrade() (or a helper they call): `Session(bind=...)`,
// `conn.execute(sa.text("UPDATE ..."))`, `sa.Enum(name="status").drop(op.get_bind())`. Only the outermost call of
// each expression is kept (its arguments hold the inner ones); methods of `op` itself (`op.get_bind()`) are not.
// Names in `call` are resolved by the project like the operations'.
struct RevisionCall {
  FactText function;  // "upgrade" or "downgrade"
  Expr call;
  bool in_autocommit_block = false;  // inside `with op.get_context().autocommit_block():`
};

// An operation named on a line of its own and never called: `op.bulk_insert` with `(table, rows)` on the next
// line (two statements: an attribute, then a tuple), so it does nothing.
struct UncalledOperation {
  FactText function;  // "upgrade" or "downgrade"
  Expr attribute;     // `op.bulk_insert`
};

struct RevisionInfo {
  std::optional<Expr> revision;  // the value assigned to `revision`
  Location revision_loc;
  std::optional<Expr> down_revision;
  Location down_revision_loc;
  std::optional<Expr> branch_labels;
  Location branch_labels_loc;
  std::optional<Expr> depends_on;
  Location depends_on_loc;
  std::optional<std::string> docstring;
  std::optional<FunctionDef> upgrade;
  std::optional<FunctionDef> downgrade;
  std::vector<OperationCall> operations;  // in source order
  std::vector<RevisionCall> calls;        // in source order
  std::vector<UncalledOperation> uncalled_operations;  // in source order
  // The string literals upgrade() and downgrade() compare the database's name with (`bind.dialect.name ==
  // "postgresql"`, `in ("sqlite", "mssql")`, also in a helper of the file), each once, in the order met.
  std::vector<Expr> database_names;

  // Whether `op`'s table was created by an op.create_table (or a literal CREATE TABLE through op.execute)
  // earlier in the same function of this revision, not in a branch for another database: such a table is new
  // and empty, so lock, rewrite and re-run concerns do not apply to it.
  bool creates_table_before(const OperationCall& op) const;
  // The same for the table `table` names (any case: the name SQL gives an index or a type change).
  bool creates_table_before(const OperationCall& op, std::string_view table) const;
  // Whether the same function creates the table `table` names (any case) again after `op`, with
  // op.create_table or a literal CREATE TABLE, not in a branch for another database: a table dropped and
  // created again.
  bool creates_table_after(const OperationCall& op, std::string_view table) const;
  // In a root revision (down_revision = None and no depends_on: no other revision ran before it), whether the
  // same function created a table earlier under a name that is not read (`op.create_table("shadow_" + name,
  // ...)` over reflected names, nova's initial migration): `op`'s table may be one of them, so it is not
  // known to exist.
  bool creates_unread_table_in_root_before(const OperationCall& op) const;
  // Whether an earlier op.execute in the same function removed every row of `op`'s table (`DELETE FROM t` without
  // WHERE, `TRUNCATE t`): the table is empty, as a new one, for what needs existing rows (not for locks).
  bool empties_table_before(const OperationCall& op) const;
};

struct Comment {
  uint32_t line;
  FactText text;  // including the leading '#'
  Location loc;
};

struct ModuleFacts {
  std::vector<Import> imports;
  // Imports inside module-level functions (`def upgrade(): from app.models import User`): they bind no module
  // name, so they are kept apart from `imports`.
  std::vector<Import> function_imports;
  std::vector<Assignment> assignments;  // module level, simple-name targets, in source order
  std::vector<AttributeAssignment> attribute_assignments;  // module level, attribute targets, in source order
  std::vector<ClassDef> classes;        // module level and nested, in source order
  std::vector<FunctionDef> functions;   // module level
  std::vector<Comment> comments;
  // Every call expression outside class bodies and module-level assignments (e.g. `Index(...)` statements,
  // calls inside functions) is not kept; rules read the constructs above.
  std::vector<Expr> module_expressions;  // module-level expression statements (e.g. `Index("ix", ...)`)
  std::optional<RevisionInfo> revision;  // set for Alembic revision scripts
  std::optional<std::string> docstring;
  // The calls taking SQL expressions (`.where()`, `.filter()`, `and_()`...) anywhere in the module, function
  // and method bodies too, outermost first (facts/query_calls.h). Their names are not resolved.
  std::vector<Expr> query_calls;

  // Which statement binds each module-level name first (imports, classes, functions, assignments).
  enum class BindingKind { Import, Class, Function, Assignment };
  struct Binding {
    BindingKind kind;
    size_t index;  // into imports / classes / functions / assignments
  };
  NameMap<Binding> bindings;
  bool has_star_import = false;
  // Every name bound at module level, however: imports and defs anywhere at module level (also inside
  // if/try/for/while/with blocks), assignment targets of any shape (tuples, augmented, annotated),
  // for/with/except/walrus targets, type aliases, match captures, and `global` names assigned in functions.
  NameSet module_names;
  // The module may bind names no statement shows (globals()/vars()/locals()/exec, sys.modules[__name__]).
  bool dynamic_globals = false;
  // Module-level imports from `sqlalchemy.dialects` read only in code SQLAlchemy runs for chosen databases —
  // a TypeDecorator's load_dialect_impl(), a branch under `if dialect.name == "postgresql":`
  // (facts/dialect_chosen.h).
  NameSet dialect_chosen_imports;
  // Holds the bytes of every FactText above (shared by copies of these facts; see core/fact_text.h).
  std::shared_ptr<TextStore> texts = std::make_shared<TextStore>();

  bool is_revision() const { return revision.has_value(); }

  // Every top-level expression the facts hold — module assignments and expression statements, class bases,
  // keywords, decorators, attribute annotations and values, revision operations — for rules that look for a
  // construct wherever it is written (e.g. every ForeignKey(...) call). Use Expr::walk for sub-expressions.
  void for_each_expression(const std::function<void(const Expr&)>& fn) const;
  void for_each_expression(const std::function<void(Expr&)>& fn);
};

}  // namespace ormlint
