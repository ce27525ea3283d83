// The project's schema as SQLAlchemy would build it at import time: every table (mapped classes and Core
// `Table(...)` objects) with its MetaData, schema, columns, foreign keys, relationships, indexes and constraints,
// plus the lookups cross-file rules need (by table name, by class, the foreign-key graph). Built once per run from
// the project's facts (`Project::tables()`), linear in the number of classes and tables; read-only afterwards, so
// rules on several threads may share it.
//
// Everything points back into the project's facts (ClassInfo, ClassAttribute, Expr, ProjectFile): the model lives
// as long as the Project. Strings are "" when the source does not say (or says it with a non-literal).
//
// Resolution notes (what "resolved" means, so rules can stay quiet where the model cannot know):
// - A string foreign key ("schema.table.col") is looked up in the source table's MetaData, with the written schema
//   or else that MetaData's default schema; failing that, among tables whose MetaData is unknown; when the source's
//   own MetaData is unknown, in any MetaData. `ForeignKey(User.id)` / `ForeignKey(users.c.id)` resolve through the
//   class / Table variable directly.
// - A relationship string names a class by its name (or "module.path.Name"): SQLAlchemy looks it up in the owner's
//   registry; when no class of that name is in the registry, other registries are tried (target_other_registry).
// - Names and MetaData come only from module-level code ormlint can read: a table whose `__tablename__` is computed
//   by a function has name "" (see has_unnamed_tables), a base from a third-party package has metadata "".
#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "project/project.h"

namespace ormlint {

struct TableDef;
struct ForeignKeyDef;
struct RelationshipDef;
struct ConstraintDef;

// One MetaData collection: tables with the same (schema, name) in one MetaData are the same table.
struct MetadataDef {
  // Identity: the qualified name of the MetaData variable ("app.db.metadata") when a base or Table uses one;
  // else the qualified name of the declarative base that owns an implicit or inline MetaData
  // ("app.models.base.Base"); Flask-SQLAlchemy: the `db` variable ("app.extensions.db", plus "[bind]" for a
  // `__bind_key__`); SQLModel: "sqlmodel.SQLModel".
  std::string key;
  const ProjectFile* file = nullptr;  // where it is written (the MetaData(...) call, the base, `db = ...`); may be null
  Location loc;
  const Expr* construct = nullptr;    // the MetaData(...) call; null when implicit (a base's own, SQLModel's)
  std::string schema;                 // MetaData(schema="x"): the default schema of its tables
  const Expr* naming_convention = nullptr;  // MetaData(naming_convention=...) (not a literal None), or null

  bool has_naming_convention() const { return naming_convention != nullptr; }
};

// Where a table's name comes from.
enum class TableNameSource {
  Literal,          // `__tablename__ = "users"` (own, or a mixin's/abstract class's), `Table("users", ...)`
  DeclaredAttr,     // a `@declared_attr __tablename__` whose return ormlint evaluates (a literal, cls.__name__.lower() ...)
  FlaskDerived,     // Flask-SQLAlchemy 3 without `__tablename__`: CamelCase -> camel_case
  SqlmodelDerived,  // SQLModel without `__tablename__`: the class name lower-cased
  Unknown,          // not a literal, or no name at all (then `name` is "")
};

struct ColumnDef {
  enum class NullableSource {
    Explicit,    // nullable=True/False written
    PrimaryKey,  // a primary key column (primary_key=True or in a PrimaryKeyConstraint): NOT NULL
    Annotation,  // SQLAlchemy 2.0 `Mapped[X]` (NOT NULL) / `Mapped[Optional[X]]`, `X | None` (NULL); SQLModel likewise
    Default,     // Column()/mapped_column() without annotation: nullable
    Unknown,     // nullable=<not a literal>
  };

  // Views into the facts, like ColumnInfo's: a project has tens of thousands of columns.
  FactText name;       // the database column name ("" when not a literal)
  FactText attribute;  // the mapped attribute ("" for Core Table columns)
  const ProjectFile* file = nullptr;  // where it is written: the mixin's file for an inherited column
  Location loc;                       // the attribute name; for a Core table, the Column(...) call
  const ClassInfo* declared_in = nullptr;  // the class whose body declares it; null for Core Table columns
  // Declared on a mixin, an abstract class or the declarative base (not on the table's own class or an STI subclass).
  bool inherited = false;
  const ClassAttribute* attr = nullptr;     // the attribute (models)
  const Expr* construct = nullptr;          // Column(...)/mapped_column(...)/Field(...); null for a bare `Mapped[T]`
  const ColumnInfo* info = nullptr;         // the engine's column fact (type details), when it has one
  FactText type;                            // canonical type ("sqlalchemy.String"); "" when unknown
  bool type_from_foreign_key = false;       // no type written: SQLAlchemy copies the FK target column's (`type`)
  bool nullable = true;
  NullableSource nullable_source = NullableSource::Default;
  bool primary_key = false;  // primary_key=True, or listed in a PrimaryKeyConstraint
  bool unique = false;       // unique=True on the column
  bool index = false;        // index=True on the column
  const Expr* default_value = nullptr;   // default= / insert_default= / SQLModel default_factory= (not a literal None)
  const Expr* server_default = nullptr;
  const Expr* onupdate = nullptr;
  const Expr* server_onupdate = nullptr;

  bool has_default() const { return default_value != nullptr; }
  bool has_server_default() const { return server_default != nullptr; }
  bool has_onupdate() const { return onupdate != nullptr; }
};

struct TableDef {
  enum class Kind {
    Model,  // a mapped class's own table (declarative)
    Table,  // a Core `Table(...)` call (module level, or a class's `__table__ = Table(...)`)
  };
  size_t index = 0;  // position in TableModel::tables(): use it for vectors in graph algorithms
  Kind kind = Kind::Model;
  std::string name;  // "" when unknown
  TableNameSource name_source = TableNameSource::Unknown;
  const ProjectFile* name_file = nullptr;  // where the name is written (a mixin's file for an inherited name)
  Location name_loc;                       // the literal; the class name when derived; `file`/`loc` when unknown
  std::string schema;                      // effective schema: written, else the MetaData's default; "" = none
  bool schema_explicit = false;            // written on the table (__table_args__ / Table(schema=...))
  // The schema cannot be read (`__table_args__` returned by a function, `schema=SCHEMA`): `schema` may be wrong,
  // so lookups and comparisons by schema are uncertain for this table.
  bool schema_unknown = false;
  std::string metadata;                    // MetadataDef key; "" when unknown
  std::string registry;                    // Model: the declarative registry's key (its base); Table: ""
  const ClassInfo* owner = nullptr;        // Model: the mapped class. Table: a class mapping it (`__table__`), or null
  std::vector<const ClassInfo*> single_table_subclasses;  // mapped subclasses sharing this table (single-table inh.)
  const ClassInfo* inherits = nullptr;     // Model: the mapped parent class (joined-table inheritance), or null
  const Expr* table_call = nullptr;        // Table: the Table(...) call
  const Assignment* assignment = nullptr;  // Table: `users = Table(...)` at module level, or null
  const ProjectFile* file = nullptr;       // where it is defined
  Location loc;                            // the class name; the assignment target; the Table(...) call
  const Expr* table_args = nullptr;        // the `__table_args__` in effect (possibly a mixin's), or null
  const ProjectFile* table_args_file = nullptr;
  bool extend_existing = false;            // extend_existing=True (Table kwarg or __table_args__)
  bool keep_existing = false;
  bool reflected = false;                  // autoload_with= / autoload=True: columns come from the database
  // Model: a class it maps through derives from a class outside the project and SQLAlchemy (a library mixin such
  // as fastapi-users' SQLAlchemyBaseUserTable): it may add columns and foreign keys ormlint cannot see.
  bool external_columns = false;
  // Its `__table_args__` cannot be read (computed: `cls._table_args + (...)`, a @declared_attr with several
  // returns): it may hold constraints and foreign keys ormlint does not see.
  bool constraints_unseen = false;
  // Own columns first, then inherited ones in MRO order (SQLAlchemy 2.0's order; SQLModel: base fields first),
  // then single-table subclasses' columns.
  std::vector<ColumnDef> columns;
  std::vector<const ForeignKeyDef*> foreign_keys;       // source order; inherited ones included
  std::vector<const ConstraintDef*> constraints;        // explicit Index/UniqueConstraint/... objects
  std::vector<const RelationshipDef*> relationships;    // of its class and its STI subclasses

  // "schema.name", or "name" without a schema.
  std::string qualified_name() const { return schema.empty() ? name : schema + "." + name; }
  const ColumnDef* column(std::string_view column_name) const;      // by database column name
  const ColumnDef* column_by_attribute(std::string_view attribute) const;
};

struct ForeignKeyDef {
  const TableDef* table = nullptr;      // the source table
  bool is_constraint = false;           // ForeignKeyConstraint([...], [...]) rather than an inline ForeignKey(...)
  const ColumnDef* column = nullptr;    // inline: the column holding the ForeignKey (or SQLModel Field(foreign_key=))
  std::vector<std::string> columns;     // source column names, one per target column
  std::string target_text;              // as written: "auth.users.id", "User.id", "users_table.c.id"
  bool target_is_string = false;        // a "table.column" string (else an expression, or unknown)
  std::string target_schema;            // written schema; "" when none written (see effective_target_schema)
  std::string target_table;             // target table name; "" when unknown
  std::vector<std::string> target_columns;  // per source column; "" where unknown
  // Where the target was looked up: the written schema, else the source table's MetaData default schema.
  std::string effective_target_schema;
  const TableDef* target = nullptr;     // the resolved target table (see the resolution notes above), or null
  std::vector<const ColumnDef*> target_column_defs;  // per target column; null where not found
  std::string ondelete;                 // literal, upper-cased as written ("CASCADE"); "" when absent
  std::string onupdate;
  const Expr* ondelete_expr = nullptr;  // as written (also when not a literal)
  bool use_alter = false;               // use_alter=True
  std::string name;                     // name="fk_..."; "" when absent or not a literal
  const Expr* name_expr = nullptr;
  const Expr* construct = nullptr;      // the ForeignKey(...)/ForeignKeyConstraint(...) call, or the Field(...)
  const ProjectFile* file = nullptr;    // where it is written (a mixin's file when inherited)
  Location loc;                         // the ForeignKey(...) call (SQLModel: the foreign_key= value)
  bool inherited = false;               // written on a mixin/abstract class
  const ConstraintDef* constraint = nullptr;  // is_constraint: the matching ConstraintDef
};

// An edge of the foreign-key graph: `from` references `to` (indexes into TableModel::tables()).
struct ForeignKeyEdge {
  size_t from = 0;
  size_t to = 0;
  const ForeignKeyDef* fk = nullptr;
};

struct RelationshipDef {
  enum class TargetSource {
    String,      // relationship("User") / relationship("app.models.User")
    Reference,   // relationship(User)
    Lambda,      // relationship(lambda: User)
    Annotation,  // no argument: Mapped["User"], Mapped[List["User"]], Mapped[list[User]], SQLModel List["Hero"] ...
    Unknown,
  };
  const ClassInfo* owner = nullptr;        // the mapped class the relationship is on
  const ClassInfo* declared_in = nullptr;  // the class whose body declares it (owner, or a mixin/abstract class)
  bool inherited = false;                  // declared on a mixin/abstract class
  const TableDef* table = nullptr;         // the owner's table (an STI subclass: the shared one); may be null
  std::string attribute;
  const ClassAttribute* attr = nullptr;
  const Expr* construct = nullptr;  // relationship(...)/Relationship(...) call
  const ProjectFile* file = nullptr;
  Location loc;                     // the attribute name
  TargetSource target_source = TargetSource::Unknown;
  std::string target_name;          // as written ("User", "app.models.User"); "" when unknown
  const ClassInfo* target = nullptr;  // resolved mapped class, or null
  bool target_ambiguous = false;      // several mapped classes answer to the name (SQLAlchemy raises)
  bool target_other_registry = false; // resolved only outside the owner's registry (SQLAlchemy would not find it)
  bool annotated_collection = false;  // the annotation is a collection (List[...], list[...], set, dict, WriteOnlyMapped)
  std::string back_populates;         // literal; "" when absent
  const Expr* back_populates_expr = nullptr;
  std::string backref;                // backref="x" or backref=backref("x", ...)
  const Expr* backref_expr = nullptr;
  std::string secondary_name;         // the association table's name (a string, or the Table variable's table)
  const Expr* secondary_expr = nullptr;  // secondary= (positional 2nd argument too); SQLModel link_model=
  const TableDef* secondary = nullptr;   // resolved association table, or null
  const Expr* primaryjoin = nullptr;
  const Expr* secondaryjoin = nullptr;
  const Expr* foreign_keys = nullptr;
  const Expr* remote_side = nullptr;
  std::string lazy;                   // lazy="joined"; "" when absent
  const Expr* lazy_expr = nullptr;
  std::optional<bool> uselist;        // uselist=True/False when written as a literal
  bool viewonly = false;

  bool has_join_condition() const { return primaryjoin || foreign_keys; }
};

struct ConstraintDef {
  enum class Kind { Index, Unique, Check, ForeignKey, PrimaryKey };
  enum class Origin {
    TableArgs,       // in `__table_args__`
    TableCall,       // a positional argument of Table(...)
    ColumnArgument,  // a positional argument of a Column(...) (e.g. CheckConstraint)
    ModuleLevel,     // `Index("ix", Model.col)` / `ix = Index(...)` at module level
  };
  Kind kind = Kind::Index;
  Origin origin = Origin::TableArgs;
  const TableDef* table = nullptr;  // null: a module-level Index whose columns name no known table
  const Expr* construct = nullptr;  // the call
  const ProjectFile* file = nullptr;
  Location loc;                     // the call
  std::string name;                 // literal name; "" when absent or not a literal
  const Expr* name_expr = nullptr;  // the name as written (a string, op.f(...), conv(...), a variable); null: none
  // Index(...) whose first positional argument is a column or expression instead of a name (or no argument at all).
  bool index_name_missing = false;
  std::vector<std::string> columns;          // column names; an expression gives its source text
  std::vector<const Expr*> column_exprs;     // as written
  bool unique = false;                       // UniqueConstraint, or Index(..., unique=True)
  std::vector<std::pair<std::string, const Expr*>> where;  // dialect `*_where` keywords: {"postgresql_where", expr}
  const Expr* sqltext = nullptr;             // CheckConstraint's condition
  const ForeignKeyDef* foreign_key = nullptr;  // Kind::ForeignKey
  bool inherited = false;                    // from a mixin's/abstract class's __table_args__

  bool has_name() const { return name_expr && name_expr->kind != Expr::Kind::None; }
};

struct MappedClassDef {
  const ClassInfo* cls = nullptr;
  const TableDef* table = nullptr;        // its own table, or (single-table inheritance) the parent's; may be null
  bool single_table_inheritance = false;  // no table of its own: shares `table` with its mapped parent
  const ClassInfo* parent = nullptr;      // the nearest mapped project ancestor, or null
  std::string registry;                   // the declarative registry's key; "" when unknown
  std::string metadata;                   // MetadataDef key; "" when unknown
  std::vector<const RelationshipDef*> relationships;  // its own and its mixins' (not those of mapped parents)
  // Relationships of other classes whose `backref=` creates an attribute on this class.
  std::vector<const RelationshipDef*> backrefs;
};

class TableModel {
 public:
  // `jobs` threads build the tables' columns.
  explicit TableModel(const Project& project, unsigned jobs = 1);
  TableModel(const TableModel&) = delete;
  TableModel& operator=(const TableModel&) = delete;

  // Sorted by the defining file's path, then position.
  const std::vector<TableDef>& tables() const { return tables_; }
  // Every mapped class, in project order.
  const std::vector<MappedClassDef>& mapped_classes() const { return classes_; }
  // Every foreign key (inline and ForeignKeyConstraint), by table, then source order.
  const std::vector<ForeignKeyDef>& foreign_keys() const { return foreign_keys_; }
  const std::vector<RelationshipDef>& relationships() const { return relationships_; }
  const std::vector<ConstraintDef>& constraints() const { return constraints_; }
  // Every MetaData the tables belong to, sorted by key.
  const std::vector<MetadataDef>& metadata() const { return metadata_; }
  // Resolved foreign keys between tables, sorted by (from, position of the FK): the graph for cycle searches.
  const std::vector<ForeignKeyEdge>& edges() const { return edges_; }
  std::span<const ForeignKeyEdge> edges_from(const TableDef& table) const;

  // The tables named `name` in schema `schema` ("" = none) of MetaData `metadata`: normally one, several when the
  // name is defined twice. An empty `metadata` matches tables of unknown MetaData only.
  std::vector<const TableDef*> find(std::string_view metadata, std::string_view schema, std::string_view name) const;
  // Every table with this name, in any MetaData and schema.
  std::span<const TableDef* const> named(std::string_view name) const;
  // A mapped class's table (its own, or the shared one for single-table inheritance); null when not mapped.
  const TableDef* table_of(const ClassInfo& cls) const;
  const MappedClassDef* mapped_class(const ClassInfo& cls) const;
  // Mapped classes with this class name (any module, any registry).
  std::span<const MappedClassDef* const> classes_named(std::string_view name) const;
  const MetadataDef* find_metadata(std::string_view key) const;
  // The relationship `attribute` of a mapped class: its own, a mixin's, or a mapped ancestor's. Null if none
  // (a `backref=` from elsewhere is not a RelationshipDef: see MappedClassDef::backrefs).
  const RelationshipDef* find_relationship(const ClassInfo& cls, std::string_view attribute) const;
  // Whether some table of this MetaData has a name ormlint cannot compute (`__tablename__ = some_function(...)`,
  // a `@declared_attr` it cannot evaluate): a failed lookup by name may then be that table.
  bool has_unnamed_tables(std::string_view metadata) const;
  // Whether a table may have columns ormlint does not see: some definition of it (several with
  // extend_existing) is reflected (`autoload_with=`), maps through a class from an installed package that may
  // add columns, or holds a column it cannot name.
  bool columns_unseen(const TableDef& table) const;
  // The table a Core `Table(...)` call defines.
  const TableDef* table_of_call(const Expr& table_call) const;
  // Tables defined in a file (by TableDef::file), in source order.
  std::vector<const TableDef*> tables_in(const ProjectFile& file) const;

 private:
  friend class TableModelBuilder;
  std::vector<TableDef> tables_;
  std::vector<MappedClassDef> classes_;
  std::vector<ForeignKeyDef> foreign_keys_;
  std::vector<RelationshipDef> relationships_;
  std::vector<ConstraintDef> constraints_;
  std::vector<MetadataDef> metadata_;
  std::vector<ForeignKeyEdge> edges_;
  std::vector<size_t> edge_offsets_;  // edges_from(t) = [edge_offsets_[t], edge_offsets_[t + 1])
  std::unordered_map<std::string, std::vector<const TableDef*>> by_key_;   // metadata \x1f schema \x1f name
  std::unordered_map<std::string, std::vector<const TableDef*>> by_name_;
  std::unordered_map<const ClassInfo*, size_t> class_index_;
  std::unordered_map<std::string, std::vector<const MappedClassDef*>> classes_by_name_;
  std::unordered_map<const Expr*, size_t> table_by_call_;
  std::unordered_map<const ProjectFile*, std::vector<size_t>> tables_by_file_;
  std::unordered_set<std::string> unnamed_metadata_;
};

// Flask-SQLAlchemy 3's table name for a model without `__tablename__` ("HTTPResponse" -> "http_response").
std::string flask_table_name(std::string_view class_name);
// SQLModel's table name for a table model without `__tablename__` (the class name lower-cased).
std::string sqlmodel_table_name(std::string_view class_name);
// A short source-like rendering of an expression, calls with their arguments (`func.lower(User.email)`,
// `text("deleted_at IS NULL")`): how the model names expression columns and non-string foreign-key targets.
std::string expression_text(const Expr& e);

}  // namespace ormlint
