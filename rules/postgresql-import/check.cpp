// postgresql-import: a model module (mapped classes, mixins or abstract classes feeding them, a declarative
// base, or Core Table objects) that imports from sqlalchemy.dialects.postgresql, in any spelling. Revision
// scripts and plain modules (shared type modules, repositories using postgresql.insert) are left alone, and
// so are imports read only in code SQLAlchemy runs per database (a TypeDecorator's load_dialect_impl()).
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "engine/rule.h"

namespace ormlint {

namespace {

// `sqlalchemy.dialects.postgres` is the dialect's old, deprecated name.
constexpr std::array<std::string_view, 2> kDialectModules = {"sqlalchemy.dialects.postgresql",
                                                             "sqlalchemy.dialects.postgres"};

bool is_postgresql_path(std::string_view dotted) {
  return std::any_of(kDialectModules.begin(), kDialectModules.end(),
                     [&](std::string_view module) { return within_module(dotted, module); });
}

// What makes a module a model module: it declares what ends up in the mapped schema.
bool defines_models(const ProjectFile& file, const Project& project) {
  for (const ClassDef& def : file.facts.classes) {
    const ClassInfo* cls = project.class_info(def);
    if (!cls) continue;
    if (cls->role == ClassInfo::Role::Mapped || cls->role == ClassInfo::Role::DeclarativeBase ||
        cls->feeds_mapped_class) {
      return true;
    }
    // An `__abstract__` SQLAlchemy class is model code even before a subclass exists; a SQLModel data model
    // (no table=True) feeding no table is a schema, not a model.
    if (cls->role == ClassInfo::Role::Abstract && !cls->sqlmodel) return true;
  }
  for (const Assignment& assignment : file.facts.assignments) {
    const Expr& value = assignment.value;
    if (!value.is_call()) continue;
    const FactText origin = value.origin();
    // Base = declarative_base(); db = SQLAlchemy(); Base = registry().generate_base(); users = Table(...).
    if (origin == "sqlalchemy.Table" || origin == "sqlalchemy.orm.declarative_base" ||
        origin == "sqlalchemy.orm.registry" || origin == "flask_sqlalchemy.SQLAlchemy" ||
        (origin.rfind("sqlalchemy.orm.registry(", 0) == 0 && value.callee_name() == "generate_base")) {
      return true;
    }
  }
  return false;
}

// The name the import brings in from the dialect: `JSONB`, or the module itself.
std::string imported_name(const Import& import) {
  if (import.is_star) return "*";
  if (is_postgresql_path(import.module) && import.origin.size() > import.module.size()) {
    return std::string(import.origin.substr(import.module.size() + 1));
  }
  return is_postgresql_path(import.origin) ? import.origin : import.module;
}

// `from sqlalchemy.dialects.postgresql import insert` (`Insert`, the `dml` module): a statement for upserts,
// often beside the other dialects' own in a dispatch table (argilla's mixins); it builds no part of the
// schema.
bool is_statement_construct(const Import& import) {
  const std::string name = imported_name(import);
  return name == "insert" || name == "Insert" || name == "dml" || name.ends_with(".insert") ||
         name.ends_with(".Insert");
}

class PostgresqlImport final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL104", "postgresql-import",
                               "Model module imports from sqlalchemy.dialects.postgresql", Severity::Warning,
                               Profile::Portable, true};
    return info;
  }

  // One finding per import statement (naming every PostgreSQL name it brings in), at the statement.
  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (file.is_revision()) return;  // migrations may target PostgreSQL on purpose (e.g. to convert a column)
    std::vector<const Import*> found;
    for (const Import& import : file.facts.imports) {
      if (import.is_relative || !(is_postgresql_path(import.module) || is_postgresql_path(import.origin))) continue;
      if (is_statement_construct(import)) continue;
      // SQLAlchemy's "Backend-agnostic GUID Type" recipe (GNS3): `UUID()` only in load_dialect_impl() or
      // under `if dialect.name == "postgresql":`, a portable type for the other databases. The tables work
      // everywhere.
      if (file.facts.dialect_chosen_imports.contains(import.bound_name)) continue;
      found.push_back(&import);
    }
    if (found.empty() || !defines_models(file, project)) return;
    for (size_t i = 0; i < found.size();) {
      const Import& first = *found[i];
      std::string names;
      size_t j = i;
      for (; j < found.size() && found[j]->statement_loc.start_byte == first.statement_loc.start_byte; ++j) {
        names += (names.empty() ? "`" : ", `") + imported_name(*found[j]) + "`";
      }
      const bool whole_module = j == i + 1 && imported_name(first).find('.') != std::string::npos;
      out.report(file, first.statement_loc,
                 (whole_module ? "model module imports " + names : "model module imports " + names + " from `" +
                                                                        first.module + "`") +
                     ": the models now depend on PostgreSQL",
                 "use portable types from `sqlalchemy` (`sa.JSON`, `sa.Uuid`, `String(45)` for IP addresses, "
                 "`sa.Enum(..., native_enum=False)`); keep any PostgreSQL-only variant in a separate types module");
      i = j;
    }
  }
};

ORMLINT_RULE(PostgresqlImport);

}  // namespace

}  // namespace ormlint
