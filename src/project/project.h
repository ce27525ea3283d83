// The project model: every checked file's facts plus what only the whole project can tell — where a name comes
// from across modules, which classes are declarative bases, mapped classes and the mixins feeding them, and every
// column (models, Table objects and migrations) with its resolved type. Built once per run, then read-only.
#pragma once
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/source_file.h"
#include "engine/alembic_config.h"
#include "facts/module_builder.h"
#include "facts/module_facts.h"
#include "project/revision_graph.h"

namespace ormlint {

class TableModel;  // project/table_model.h
struct FileChange;

struct ProjectFile {
  ProjectFile(SourceFile source_file, std::string key, bool package)
      : source(std::move(source_file)), module_key(std::move(key)), is_package(package) {}

  SourceFile source;
  std::string module_key;  // "app.models.user"
  bool is_package = false;  // __init__.py
  // A package whose folder holds its own packaging file (pyproject.toml, setup.py, setup.cfg): a source root
  // as well, whose imports name its sub-packages without it (OpenHands' enterprise/: `from storage.base
  // import ...`).
  bool source_root = false;
  ModuleFacts facts;
  std::optional<SyntaxProblem> syntax_problem;  // also: binary, invalid UTF-8, parser gave up
  bool report = true;  // diagnostics in this file are shown (false: read only as context for other files)
  // Git-aware runs (--staged, --changed-since): how this file differs from the base commit; null when it does not.
  std::unique_ptr<const FileChange> change;

  const std::string& path() const { return source.display_path(); }
  bool is_revision() const { return facts.is_revision(); }
  // Whether the mapped classes and Table(...) objects this file defines are the application's schema. Not in a
  // revision script: classes declared there (often on a base of their own) are snapshots for reading and writing
  // data at that revision, and emit no DDL.
  bool declares_schema() const { return !is_revision(); }
  // `e` as the user wrote it, on one line, cut to `max_chars` (with "...") for a message; "" when its
  // location is not in this file.
  std::string written(const Expr& e, size_t max_chars) const;
};

// A file that differs from the base commit of a git-aware run (--staged: HEAD; --changed-since REF: the merge
// base with REF).
struct FileChange {
  enum class Status { Added, Modified, Renamed };
  Status status = Status::Modified;
  std::string base_path;  // display path of the base version (differs from the file's after a rename)
  // The base version, parsed into per-file facts (names not resolved across the project); null when added.
  std::unique_ptr<const ProjectFile> base;
  // Where the code first differs from the base version (comments and layout aside); nullopt: the same code.
  std::optional<Location> first_code_change;
};

// What a git-aware run compares with.
struct BaseSnapshot {
  std::string name;  // "HEAD", or "origin/main (merge base 1a2b3c4d)"
  // Files of the base that no longer exist, parsed into per-file facts (names not resolved).
  std::vector<std::unique_ptr<const ProjectFile>> deleted_files;
};

struct ClassInfo {
  enum class Role {
    Plain,            // not connected to a declarative base (Pydantic models, enums, plain classes)
    DeclarativeBase,  // Base = declarative_base(), class Base(DeclarativeBase), db.Model, SQLModel ...
    Mapped,           // a mapped class: derives from a base, not abstract
    Abstract,         // derives from a base with __abstract__ = True (or a SQLModel without table=True)
  };
  const ProjectFile* file = nullptr;
  const ClassDef* def = nullptr;
  FactText qualified_name;  // "app.models.User": its module's key and its name
  Role role = Role::Plain;
  // A mixin or abstract class whose attributes end up on at least one mapped class.
  bool feeds_mapped_class = false;
  bool flask_model = false;  // derives from Flask-SQLAlchemy's db.Model
  bool sqlmodel = false;     // derives from sqlmodel.SQLModel
  bool is_enum = false;      // derives from enum.Enum (directly or through project classes)
  // Maps through one of advanced-alchemy's bases (UUIDAuditBase, ...): its registry's type_annotation_map applies.
  bool advanced_alchemy = false;
  // Maps through a declarative base from an installed package (Config::declarative_bases): what its
  // type_annotation_map makes of a bare `Mapped[str]` is unknown.
  bool installed_base = false;
  const ClassInfo* declarative_base = nullptr;  // the base a mapped/abstract class maps through (project class)
  std::vector<const ClassInfo*> project_bases;  // base classes defined in the checked project
  std::vector<std::string> external_bases;      // resolved names of the other bases

  bool is_mapped() const { return role == Role::Mapped; }
  // Its attributes become mapped attributes: a mapped class, or a mixin/abstract class feeding one.
  bool contributes_mapped_attributes() const { return role == Role::Mapped || feeds_mapped_class; }
  // A model ormlint cannot map: a schema class that names its table (`__tablename__ = "users"`, literally) but
  // whose bases lead to no declarative base ormlint can follow (`db.Model` of an unresolved `db`, a base from an
  // unseen package). Its table name, or null. Its table may well exist at run time.
  const ClassAttribute* unmapped_table_name() const;
  // The dotted names its external bases resolve to (`shared_models.base.Base`), as Config::declarative_bases
  // takes them, in the order written.
  std::vector<std::string> installed_bases() const;
  // The project classes it derives from, however indirectly (not itself); an inheritance cycle ends the walk.
  std::set<const ClassInfo*> ancestors() const;
  // Of those, the one most likely the declarative base: the first whose last part says Base or Model, else
  // the first; "" when there is none.
  std::string likely_installed_base() const;
};

// A class's name as written, for messages; "?" when unknown.
inline std::string class_name(const ClassInfo* cls) { return cls && cls->def ? cls->def->name : "?"; }

struct ColumnType {
  FactText origin;               // canonical type class ("sqlalchemy.DateTime"); "" when unknown
  const Expr* expr = nullptr;    // the type as written (a Name/Attribute, or a Call with arguments); may be in
                                 // another file when it comes from a base's type_annotation_map
  bool inferred = false;         // taken from a Mapped[...] / SQLModel annotation, not written in the column
  FactText python_type;          // for inferred types: the annotation's resolved Python type ("datetime.datetime")
  Location loc;                  // where to point: the type as written, or the annotation

  // The type's keyword argument, when the type is written as a call ("DateTime(timezone=True)").
  const Expr* keyword(std::string_view name) const;
};

// A foreign key a revision's upgrade() creates (project/migration_ops.h: foreign_keys_of).
struct MigrationForeignKey {
  const ProjectFile* file = nullptr;
  const OperationCall* operation = nullptr;
  std::vector<std::string> columns;  // literal source columns; empty when not literal
  bool has_ondelete = false;
  std::string referred_table;  // as written, without a schema; "" when not literal
};

struct ColumnInfo {
  enum class Context { Model, Table, Migration };
  Context context = Context::Model;
  const ProjectFile* file = nullptr;
  const ClassInfo* owner = nullptr;                 // Model: the class that declares the attribute
  const ClassAttribute* attribute = nullptr;        // Model: the attribute
  const OperationCall* operation = nullptr;         // Migration: the operation holding the column
  // Views into the facts (a project has tens of thousands of columns: copies would cost memory and time).
  FactText table;                                   // "" when unknown (mixins, non-literal names)
  FactText name;                                    // the database column name
  const Expr* construct = nullptr;  // Column(...)/mapped_column(...)/Field(...); null for a bare `x: Mapped[T]`
  ColumnType type;
  bool nullable_known = false;
  Location loc;  // the column as a whole: the attribute name, or the Column(...) call
  // A keyword argument of the construct (`nullable`, `default`, `server_default`, ...), or null.
  const Expr* keyword(std::string_view name) const { return construct ? construct->keyword(name) : nullptr; }
};

// Package name -> the lowest version the project can be installed with (Project::lowest_version).
using PackageVersions = std::map<std::string, std::string, std::less<>>;

class Project {
 public:
  // Takes the parsed files (sorted by path here) and builds every project-level fact. `script_locations` are
  // the Alembic locations configured by alembic.ini / pyproject.toml; revision scripts outside them are
  // grouped by their folder. `jobs` threads resolve the files' names and collect their columns (the other
  // steps are serial). `base` is set in git-aware runs (the files' own FileChange say which changed).
  // `declarative_bases`: declarative bases from installed packages, by dotted name
  // (Config::declarative_bases). `read_package_versions`: what lowest_version() answers from, read on its
  // first call (reading a lock file is work only a rule asking for a version should cost).
  explicit Project(std::vector<std::unique_ptr<ProjectFile>> files,
                   std::vector<ScriptLocation> script_locations = {}, unsigned jobs = 1,
                   std::unique_ptr<const BaseSnapshot> base = nullptr,
                   std::set<std::string, std::less<>> declarative_bases = {},
                   std::function<PackageVersions()> read_package_versions = {});
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;
  ~Project();

  const std::vector<std::unique_ptr<ProjectFile>>& files() const { return files_; }
  // The base commit of a git-aware run; null otherwise (then no file has a FileChange).
  const BaseSnapshot* base() const { return base_.get(); }
  const std::vector<ClassInfo>& classes() const { return classes_; }
  const ClassInfo* class_info(const ClassDef& def) const;
  const std::vector<ColumnInfo>& columns() const { return columns_; }
  // The lowest version of a Python package (its normalized name: "pydantic") the project can be installed
  // with, as its packaging files say (engine/python_requirements.h: the lock file's, else the requirement's
  // lower bound); "" when they do not say.
  std::string_view lowest_version(std::string_view package) const;
  // Every Alembic script location that holds a checked revision script, sorted by name.
  const std::vector<RevisionLocation>& revision_locations() const { return revision_locations_; }
  // The revision scripts before `file` in its location's graph (its ancestors), or after it (its
  // descendants); `file` itself is in neither. Empty for a file that is not a revision of a location.
  std::set<const ProjectFile*> revisions_before(const ProjectFile& file) const;
  std::set<const ProjectFile*> revisions_after(const ProjectFile& file) const;
  // Every table, column, foreign key, relationship and constraint of the models (include project/table_model.h).
  const TableModel& tables() const { return *table_model_; }
  // The columns defined in one file, in source order.
  std::vector<const ColumnInfo*> columns_in(const ProjectFile& file) const;
  // Every column revisions' operations give `table`.`column` (create_table, add_column, alter_column(type_=)), in
  // project order: the column's history, for rules that judge one operation against the others.
  std::span<const ColumnInfo* const> migration_columns(std::string_view table, std::string_view column) const;
  // The create_table columns of revisions typed by a named enum (`sa.Enum(..., name="status")`,
  // `postgresql.ENUM(..., name="status")`, `sa.Enum(Status)` as "status" — see enum_name —, also inside
  // another type, or held by a module-level variable) whose table creates the type (see
  // enum_type_created_with_table: not `postgresql.ENUM(..., create_type=False)`): which revisions may create
  // it.
  std::span<const ColumnInfo* const> enum_type_columns(std::string_view name) const;
  // Every foreign key revisions' upgrade() operations create on `table` (see foreign_keys_of), in project
  // order.
  std::span<const MigrationForeignKey> migration_foreign_keys(std::string_view table) const;
  // The upgrade() drop_table / drop_column operations of revisions on `table` (lower case), and their `DROP
  // TABLE` / `ALTER TABLE ... DROP COLUMN` in op.execute SQL, in project order.
  struct MigrationDrop {
    const ProjectFile* file;
    const OperationCall* operation;  // drop_table, drop_column, or the execute
    std::string column;              // lower case; "" when the whole table goes
  };
  std::span<const MigrationDrop> migration_drops(std::string_view table) const;
  // The type changes upgrade() SQL spells (`op.execute("ALTER TABLE t ALTER COLUMN c TYPE timestamptz")`), by
  // table and column (lower case), in project order.
  struct MigrationSqlTypeChange {
    const ProjectFile* file;
    const OperationCall* operation;  // the execute
    std::string type;                // as SqlTypeChange spells it
  };
  std::span<const MigrationSqlTypeChange> sql_type_changes(std::string_view table,
                                                           std::string_view column) const;
  // Whether an upgrade() after `op` of `file` — a later operation of its revision, or a later revision —
  // drops `table` (lower case), or its `column` when one is given.
  bool dropped_after(const ProjectFile& file, const OperationCall& op, const std::string& table,
                     const std::string& column = "") const;

  // The canonical origin of a dotted name as written in `file` ("pg.ARRAY" -> "sqlalchemy.dialects.postgresql.ARRAY"),
  // following imports and assignments through the project's own modules. "" when unknown.
  std::string resolve(const ProjectFile& file, std::string_view dotted) const;
  // The project class a dotted name refers to, if any.
  const ClassInfo* resolve_class(const ProjectFile& file, std::string_view dotted) const;
  // The project module with this dotted key (exact, or the unique/first file whose key ends with it).
  const ProjectFile* find_module(std::string_view dotted) const;
  // Whether a revision operation stands under an existence check: one its own file shows (OperationCall::guarded),
  // or a call of a function imported from the project that asks the database what exists.
  bool guarded(const OperationCall& op) const { return op.guarded || guarded_by_import_.count(&op) > 0; }
  // Guarded by a check that can tell whether a column exists: not one that asks only which tables exist
  // (OperationCall::guard_checks_tables_only). An imported guard function counts.
  bool column_guarded(const OperationCall& op) const {
    return (op.guarded && !op.guard_checks_tables_only) || guarded_by_import_.count(&op) > 0;
  }
  // The column a call of a column factory makes — a project function whose body only returns a Column(...) or
  // mapped_column(...) — with the call's arguments in place of the parameters, located at the call
  // (project/column_factories.cpp); likewise the call of a `functools.partial` of one (`Column = partial(db.Column,
  // nullable=False)`, then `Column(db.String(50))`), with the partial's arguments as defaults; `e` itself for any
  // other expression.
  const Expr& column_call(const Expr& e) const;

 private:
  struct Target {
    std::string name;                  // canonical origin, when external (or a call result)
    const ProjectFile* file = nullptr; // when the name is a project class
    const ClassDef* cls = nullptr;
    // When the name is a `functools.partial(...)` call (`Column = partial(db.Column, nullable=False)`): the
    // outermost such call, and the file it is written in; `name` is then what the partial wraps.
    const Expr* partial = nullptr;
    const ProjectFile* partial_file = nullptr;
  };
  Target resolve_target(const ProjectFile& file, std::string_view dotted, int depth) const;
  Target resolve_expr_target(const ProjectFile& file, const Expr& expr, int depth) const;
  void index_modules();
  void resolve_expressions(unsigned jobs);
  // Revision operations under a test calling an imported function are guarded when that function checks
  // existence (OperationCall::guard_candidates, FunctionDef::checks_existence): fills guarded_by_import_.
  void resolve_imported_guards(unsigned jobs);
  bool names_existence_check(const ProjectFile& file, std::string_view dotted) const;
  // Whether a project class derives, through project classes, from the external class `external`.
  bool derives_from(const ProjectFile& file, const ClassDef& cls, std::string_view external, int depth) const;
  void classify_classes(unsigned jobs);
  void name_model_tables_in_revisions();
  void expand_column_factories();
  // `id = BaseMixin.id` in a class body (zou): the attribute is the column the other class declares, which
  // SQLAlchemy copies onto the mapped class (kept with the factories' columns: column_call gives it).
  void alias_class_columns();
  // A call of a name bound to `functools.partial(f, *a, **kw)` (here or imported) as the call of `f` it makes: the
  // partial's positional arguments first, its keywords where the call sets none (those written at the call win),
  // located at the call. Nested partials apply outermost first. nullopt when the callee is no partial.
  std::optional<Expr> partial_applied(const ProjectFile& file, const Expr& call) const;
  // A column type written as a name bound to a partial (`Text = partial(sa.String, 200)`, then `Column(Text)`): the
  // call SQLAlchemy makes of it, kept here (thread-safe); null for any other type.
  const Expr* partial_type(const ProjectFile& file, const Expr& type);
  // `x: Mapped[intpk]` with `intpk = Annotated[int, mapped_column(...)]` (project/annotated_columns.cpp): the
  // column the annotation declares, merged under the attribute's own mapped_column, and the Python type.
  struct AnnotatedColumn {
    const ProjectFile* python_file = nullptr;  // where `python` is written (an alias may be in another module)
    const Expr* python = nullptr;              // `int` in Annotated[int, ...]
    std::unique_ptr<const Expr> construct;     // the merged mapped_column(...) call
  };
  void expand_annotated_columns(unsigned jobs);
  const AnnotatedColumn* annotated_column(const ClassAttribute& attr) const;
  bool substitute_parameters(Expr& e, const std::map<std::string, const Expr*, std::less<>>& bound,
                             const ProjectFile& file, const Location& call_loc);
  void collect_columns(unsigned jobs);
  void build_revision_graphs(const std::vector<ScriptLocation>& script_locations);

  // The texts of expressions the project writes itself (column factories' columns); declared before what uses it.
  TextStore texts_;
  std::vector<std::unique_ptr<ProjectFile>> files_;
  // Looked up by views (every name resolved asks for a module), so the hash and the equality take them as
  // they are.
  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<const ProjectFile*>, ViewHash, std::equal_to<>>
      modules_by_suffix_;
  // Module keys of the project's packages (their __init__.py) that are no source root
  // (ProjectFile::source_root).
  std::unordered_set<std::string, ViewHash, std::equal_to<>> package_keys_;
  std::vector<ClassInfo> classes_;
  std::unordered_map<const ClassDef*, size_t> class_index_;
  std::unordered_set<const OperationCall*> guarded_by_import_;
  // What the project's module-level partials wrap ("sqlalchemy.Column"): only names resolving to one of these may
  // be calls (or types) of a partial.
  std::unordered_set<std::string_view> partial_targets_;
  std::mutex partial_types_mutex_;
  std::list<Expr> partial_types_;  // partial_type()'s calls
  std::unordered_map<const Expr*, std::unique_ptr<const Expr>> column_factory_calls_;  // call -> its column
                                                                                     // (factories, partials)
  std::unordered_map<const ClassAttribute*, AnnotatedColumn> annotated_columns_;
  std::vector<ColumnInfo> columns_;
  std::unordered_map<const ProjectFile*, std::vector<size_t>> columns_by_file_;
  std::unordered_map<std::string, std::vector<const ColumnInfo*>> migration_columns_;  // "table\x1fcolumn" -> ...
  std::unordered_map<std::string, std::vector<MigrationForeignKey>> migration_foreign_keys_;  // table -> ...
  std::unordered_map<std::string, std::vector<MigrationDrop>> migration_drops_;  // lower-case table -> ...
  // "table\x1fcolumn" -> ...
  std::unordered_map<std::string, std::vector<MigrationSqlTypeChange>> sql_type_changes_;
  std::unordered_map<std::string, std::vector<const ColumnInfo*>> enum_type_columns_;  // enum name -> ...
  void index_migration_history();  // migration foreign keys, drops, SQL type changes
  std::vector<RevisionLocation> revision_locations_;
  std::unique_ptr<const TableModel> table_model_;
  std::unique_ptr<const BaseSnapshot> base_;
  std::set<std::string, std::less<>> declarative_bases_;  // configured: external declarative bases
  // lowest_version(): read once, by the first rule that asks (rules run on several threads).
  std::function<PackageVersions()> read_package_versions_;
  mutable std::once_flag package_versions_read_;
  mutable PackageVersions package_versions_;
};

// The revisions before and after one revision script (Project::revisions_before / revisions_after), each
// worked out on first use and then kept: a rule asking for every operation of a file pays for each set once
// (a long chain makes them costly).
class RevisionsAround {
 public:
  RevisionsAround(const Project& project, const ProjectFile& file) : project_(project), file_(file) {}
  bool before(const ProjectFile* other) {
    if (!before_) before_ = project_.revisions_before(file_);
    return before_->count(other) > 0;
  }
  bool after(const ProjectFile* other) {
    if (!after_) after_ = project_.revisions_after(file_);
    return after_->count(other) > 0;
  }

 private:
  const Project& project_;
  const ProjectFile& file_;
  std::optional<std::set<const ProjectFile*>> before_;
  std::optional<std::set<const ProjectFile*>> after_;
};

// Maps the many public spellings of one SQLAlchemy object to one name: "sqlalchemy.sql.sqltypes.DateTime" and
// "sqlalchemy.types.DateTime" become "sqlalchemy.DateTime"; Flask-SQLAlchemy's `db.Column` becomes
// "sqlalchemy.Column"; dialect submodules collapse to "sqlalchemy.dialects.postgresql.X".
std::string canonical_name(std::string name);

// `db.Model` of a Flask-SQLAlchemy `db = SQLAlchemy()` (or of a project subclass of it): the declarative base the
// app's models derive from. Not the plain `flask_sqlalchemy.Model` class (`flask_sqlalchemy.model.Model`), which
// is only a mixin handed to `SQLAlchemy(model_class=...)`.
inline constexpr std::string_view kFlaskModelBase = "flask_sqlalchemy.SQLAlchemy().Model";

// SQLModel, or a framework's subclass of it that a project's table models derive from instead: Reflex's
// `rx.Model` (`reflex.Model`, defined in reflex.model; it adds an `id` primary key the project does not see).
inline bool is_sqlmodel_base(std::string_view resolved) {
  return resolved == "sqlmodel.SQLModel" || resolved == "reflex.Model" || resolved == "reflex.model.Model";
}

// Whether a dotted name is `module` itself or a name inside it ("sqlalchemy.dialects.postgresql.JSONB" is within
// "sqlalchemy.dialects.postgresql"; "sqlalchemy.dialects.postgresql_ext" is not).
inline bool within_module(std::string_view dotted, std::string_view module) {
  return dotted.substr(0, module.size()) == module && (dotted.size() == module.size() || dotted[module.size()] == '.');
}

// A Core `Table(...)` call that runs when its module is imported, so that its table is in its MetaData: assigned
// at module level, a module-level statement, or a class attribute (`class Model: users = sa.Table(...)`,
// buildbot) — not `__table__ = Table(...)`, which maps its class (ClassInfo). In source order within each kind.
struct CoreTableCall {
  const Expr* call;
  const Assignment* assignment;  // module-level `users = Table(...)`, else null
  Location loc;                  // the assignment, the statement or the class attribute
  const ClassDef* scope;         // the class of a class attribute, else null
};
std::vector<CoreTableCall> core_table_calls(const ProjectFile& file);

}  // namespace ormlint
