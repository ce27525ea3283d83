// A file's schema signature: what of its models and Core tables reaches the database, as comparable entries —
// one per mapped class (its table options), per column attribute, per Core `Table(...)`, per Table column and per
// module-level `Index(...)`. Computed from one file's facts alone (names read through that file's own imports),
// because a base version is not part of the project: both sides of a change must be computed the same way.
// Layout, comments, docstrings, methods, relationships and Python-side options (default=, onupdate=, doc=...) do
// not count; `Optional[X]`, `Union[X, None]` and `X | None` read the same.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "core/location.h"
#include "facts/module_facts.h"

namespace ormlint::schema_signature {

// The module-level classes whose attributes are (or feed) mapped columns, by name.
struct ModelClasses {
  std::set<std::string> models;
  std::set<std::string> sqlmodels;  // SQLModel classes: every annotated attribute is a column

  void merge(const ModelClasses& other);
};

// What the file alone shows: classes with __tablename__ / __table__ / __table_args__, `table=True`, a Column(...) /
// mapped_column(...) attribute or a Mapped[...] annotation, and the classes of the same file they derive from.
ModelClasses model_classes(const ModuleFacts& facts);

struct Entry {
  enum class Kind { Table, Column, Index };
  Kind kind = Kind::Table;
  std::string key;        // identity across versions and files: "Table users", "Table users.email" (a model
                          // with a literal __tablename__, or a Core Table), "class TimestampMixin.created_at",
                          // "Index ix_users_email"
  std::string owner_key;  // a column's table entry; "" for tables and indexes
  std::string label;      // for messages: "table `users`", "column `users.email`", "index `ix_users_email`"
  std::string subject;    // for a revision message: "users", "users.email", "ix_users_email"
  std::string definition; // the normalised schema-relevant text
  Location loc;           // where it is written
};

// The entries of a file, in source order. `classes` says which classes are models (see model_classes).
std::vector<Entry> entries(const ModuleFacts& facts, const ModelClasses& classes);

}  // namespace ormlint::schema_signature
