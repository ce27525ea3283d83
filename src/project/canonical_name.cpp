// One name per SQLAlchemy object, whatever module path or proxy the user imported it through.
#include <array>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "project/project.h"

namespace ormlint {

namespace {

bool starts_with(const std::string& s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

bool replace_prefix(std::string& s, std::string_view from, std::string_view to) {
  if (!starts_with(s, from)) return false;
  s = std::string(to) + s.substr(from.size());
  return true;
}

// Internal SQLAlchemy modules whose public names are re-exported at the package top level.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kModuleAliases = {{
    {"sqlalchemy.sql.sqltypes.", "sqlalchemy."},
    {"sqlalchemy.sql.schema.", "sqlalchemy."},
    {"sqlalchemy.sql.expression.", "sqlalchemy."},
    {"sqlalchemy.sql.functions.", "sqlalchemy."},
    {"sqlalchemy.sql.", "sqlalchemy."},
    {"sqlalchemy.types.", "sqlalchemy."},
    {"sqlalchemy.schema.", "sqlalchemy."},
    {"sqlalchemy.orm.decl_api.", "sqlalchemy.orm."},
    {"sqlalchemy.orm.relationships.", "sqlalchemy.orm."},
    {"sqlalchemy.orm.properties.", "sqlalchemy.orm."},
    {"sqlalchemy.orm._orm_constructors.", "sqlalchemy.orm."},
    {"sqlalchemy.orm.base.", "sqlalchemy.orm."},
    {"sqlalchemy.dialects.postgres.", "sqlalchemy.dialects.postgresql."},
    {"sqlmodel.main.", "sqlmodel."},
    {"flask_sqlalchemy.model.", "flask_sqlalchemy."},
    {"sqlalchemy.ext.declarative.api.", "sqlalchemy.ext.declarative."},
}};

// Names Flask-SQLAlchemy's `db` and sqlmodel proxy from sqlalchemy.orm rather than from sqlalchemy.
const std::set<std::string, std::less<>> kOrmNames = {
    "relationship", "relation",      "backref",        "mapped_column", "column_property", "deferred",
    "synonym",      "composite",     "dynamic_loader", "Mapped",        "declared_attr",   "DeclarativeBase",
    "registry",     "declarative_base", "query_expression", "with_expression"};

// sqlmodel's own names; everything else it exports is SQLAlchemy's.
const std::set<std::string, std::less<>> kSqlmodelOwn = {"SQLModel", "Field", "Relationship", "Session", "select",
                                                           "create_engine", "col", "text"};

const std::set<std::string, std::less<>> kPostgresSubmodules = {
    "base", "types", "json", "array", "ranges", "named_types", "hstore", "ext", "asyncpg", "psycopg2", "psycopg"};

std::string first_segment(const std::string& s) { return s.substr(0, s.find('.')); }

}  // namespace

std::string canonical_name(std::string name) {
  // Every rewrite below is of a SQLAlchemy, sqlmodel or Flask-SQLAlchemy name; the project's own names and
  // other libraries' (most of what a run resolves) leave at once.
  if (!starts_with(name, "sqlalchemy.") && !starts_with(name, "sqlmodel.") &&
      !starts_with(name, "flask_sqlalchemy")) {
    return name;
  }
  // SQLAlchemy's test-suite wrappers of Column, Table and mapped_column (privacyidea imports mapped_column from
  // there): they build the same objects.
  if (replace_prefix(name, "sqlalchemy.testing.schema.", "sqlalchemy.")) {
    if (name.rfind("sqlalchemy.mapped_column", 0) == 0) name.insert(std::string_view("sqlalchemy.").size(), "orm.");
    return name;
  }
  for (const auto& [from, to] : kModuleAliases) {
    if (replace_prefix(name, from, to)) break;
  }
  // The old declarative extension re-exports the ORM's declarative API.
  constexpr std::string_view kOldDeclarative = "sqlalchemy.ext.declarative.";
  if (starts_with(name, kOldDeclarative)) {
    std::string_view rest = std::string_view(name).substr(kOldDeclarative.size());
    for (std::string_view moved : {"declarative_base", "declared_attr", "as_declarative", "DeclarativeMeta"}) {
      if (rest.substr(0, moved.size()) != moved) continue;
      if (rest.size() == moved.size() || rest[moved.size()] == '(' || rest[moved.size()] == '.') {
        name = "sqlalchemy.orm." + std::string(rest);
        break;
      }
    }
  }
  if (starts_with(name, "sqlalchemy.dialects.postgresql.")) {
    std::string rest = name.substr(std::string_view("sqlalchemy.dialects.postgresql.").size());
    std::string head = first_segment(rest);
    if (kPostgresSubmodules.count(head) && rest.size() > head.size()) {
      name = "sqlalchemy.dialects.postgresql." + rest.substr(head.size() + 1);
    }
  }
  // Flask-SQLAlchemy: `db = SQLAlchemy()`; db.Column is sqlalchemy.Column, db.relationship is the ORM's.
  for (std::string_view db_prefix : {"flask_sqlalchemy.SQLAlchemy().", "flask_sqlalchemy_lite.SQLAlchemy()."}) {
    if (!starts_with(name, db_prefix)) continue;
    std::string rest = name.substr(db_prefix.size());
    std::string head = first_segment(rest);
    if (head == "Model") return name;  // kFlaskModelBase (project.h), kept apart from the plain Model class
    if (head == "session" || head == "engine" || head == "metadata") return name;
    if (head == "orm" || head == "sa") return canonical_name("sqlalchemy." + rest.substr(std::min(rest.size(), head.size() + 1)));
    return (kOrmNames.count(head) ? "sqlalchemy.orm." : "sqlalchemy.") + rest;
  }
  if (starts_with(name, "sqlmodel.")) {
    std::string rest = name.substr(std::string_view("sqlmodel.").size());
    if (!kSqlmodelOwn.count(first_segment(rest))) {
      return (kOrmNames.count(first_segment(rest)) ? "sqlalchemy.orm." : "sqlalchemy.") + rest;
    }
  }
  return name;
}

}  // namespace ormlint
