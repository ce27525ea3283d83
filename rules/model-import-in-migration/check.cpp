// model-import-in-migration: a revision script imports the application's models (a module of the checked project
// that defines mapped classes, the mixins or abstract classes feeding them, or the declarative base). A revision
// must describe the schema as it was when it was written; the models describe it as it is today. Once a model
// changes, the old revision silently does something else, or stops importing at all.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/rule.h"

namespace ormlint {

namespace {

bool is_model_class(const ClassInfo* cls) {
  return cls && (cls->role != ClassInfo::Role::Plain || cls->feeds_mapped_class);
}

// `Base = declarative_base()` (or `registry().generate_base()`): a declarative base without a class statement.
bool is_declarative_base_object(const std::string& resolved) {
  return resolved == "sqlalchemy.orm.declarative_base()" || resolved.ends_with(".generate_base()");
}

// What a project module holds that a revision must not import.
enum class ModelContent { None, Models, BaseOnly };

// Of two findings about one import, the one that says more: models over a base alone.
ModelContent strongest(ModelContent a, ModelContent b) {
  if (a == ModelContent::Models || b == ModelContent::Models) return ModelContent::Models;
  return a == ModelContent::None ? b : a;
}

ModelContent model_content(const ProjectFile& module, const Project& project) {
  bool base = false;
  for (const ClassDef& def : module.facts.classes) {
    const ClassInfo* cls = project.class_info(def);
    if (!is_model_class(cls)) continue;
    if (cls->role != ClassInfo::Role::DeclarativeBase) return ModelContent::Models;
    base = true;
  }
  for (const Assignment& assignment : module.facts.assignments) {
    if (assignment.value.is_call() && is_declarative_base_object(project.resolve(module, assignment.target))) base = true;
  }
  // A package that re-exports its models (`from .user import User` in app/models/__init__.py). An ordinary module
  // that imports a model for its own use (a constants or helpers module) is not a models module.
  for (const Import& import : module.is_package ? module.facts.imports : std::vector<Import>{}) {
    if (import.is_star || import.bound_name.empty()) continue;
    const ClassInfo* cls = project.resolve_class(module, import.bound_name);
    if (!is_model_class(cls)) continue;
    if (cls->role != ClassInfo::Role::DeclarativeBase) return ModelContent::Models;
    base = true;
  }
  return base ? ModelContent::BaseOnly : ModelContent::None;
}

// What `from M import X` brings when X is itself a model class (or base) that M imports from elsewhere
// (`from app.registry import User`).
ModelContent imported_class(const Import& import, const ProjectFile& module, const Project& project) {
  if (import.is_star || import.origin == import.module) return ModelContent::None;
  const size_t dot = import.origin.rfind('.');
  const ClassInfo* cls = project.resolve_class(module, import.origin.substr(dot == std::string::npos ? 0 : dot + 1));
  if (!is_model_class(cls)) return ModelContent::None;
  return cls->role == ClassInfo::Role::DeclarativeBase ? ModelContent::BaseOnly : ModelContent::Models;
}

// The project module an import brings in: the longest prefix of what it names that is a project module
// (`from app.models import User` -> app.models; `from app import models` -> app.models; `import app.models`).
const ProjectFile* imported_module(const Import& import, const Project& project, const ProjectFile& self) {
  std::string dotted = import.is_star ? import.module : import.origin;
  if (import.module.size() > dotted.size()) dotted = import.module;  // `import app.models` binds `app`
  while (!dotted.empty()) {
    const ProjectFile* module = project.find_module(dotted);
    if (module && module != &self && !module->is_revision()) return module;
    size_t dot = dotted.rfind('.');
    if (dot == std::string::npos) break;
    dotted.resize(dot);
  }
  return nullptr;
}

// A column type class of the project: it derives, however indirectly, from one of SQLAlchemy's type classes
// (TypeDecorator, UserDefinedType, TypeEngine, or a concrete type such as DateTime).
bool is_column_type_class(const ClassInfo* cls) {
  if (!cls || is_model_class(cls)) return false;
  auto sqlalchemy_type = [](const ClassInfo& c) {
    return std::any_of(c.external_bases.begin(), c.external_bases.end(), [](const std::string& base) {
      return base.starts_with("sqlalchemy.") && !base.starts_with("sqlalchemy.orm.") &&
             !base.starts_with("sqlalchemy.exc.") && !base.starts_with("sqlalchemy.ext.") &&
             base.find("Base") == std::string::npos;
    });
  };
  if (sqlalchemy_type(*cls)) return true;
  const std::set<const ClassInfo*> ancestors = cls->ancestors();
  return std::any_of(ancestors.begin(), ancestors.end(),
                     [&](const ClassInfo* c) { return sqlalchemy_type(*c); });
}

// `from app.models import UtcDateTime`: the import brings only the project's own column types, which is what
// a revision needs to spell a custom type; it does not depend on the models' shape. (A module imported whole
// — `import app.models` for `app.models.UtcDateTime()` — stays flagged: the facts do not keep every statement
// of upgrade(), so its other uses cannot be ruled out: mindsdb builds a model in a loop of the same
// revision.)
bool only_column_types(const Import& import, const ProjectFile& module, const Project& project) {
  if (import.is_star || !std::string_view(import.origin).starts_with(import.module + ".")) return false;
  // The name as the imported module binds it, not as the revision does: an import inside upgrade() binds no
  // module name (sync-engine's `def upgrade(): from inbox.sqlalchemy_ext.util import JSON`).
  const std::string_view imported = std::string_view(import.origin).substr(import.module.size() + 1);
  return is_column_type_class(project.resolve_class(module, imported));
}

struct Statement {
  Location loc;
  std::vector<std::string> names;
  bool models = false;  // something beyond a declarative base
  bool base = false;    // the declarative base itself (or the whole module), not only another name beside it
  // Every name it imports is something else than a model or a module (`from webapp import create_app`, an
  // app factory in a package that imports the models): the message must not call it a model.
  bool only_other_names = true;
};

// `from app import Base` / `import app`: the import brings the declarative base itself — not only another
// name of its module (Kotti's `from kotti import DBSession`, a session, or `get_settings`, a function).
bool brings_base_itself(const Import& import, const ProjectFile& module, const Project& project) {
  if (import.is_star || !std::string_view(import.origin).starts_with(import.module + ".")) return true;
  if (imported_class(import, module, project) != ModelContent::None) return true;
  const std::string name(std::string_view(import.origin).substr(import.module.size() + 1));
  return name == "metadata" || is_declarative_base_object(project.resolve(module, name));
}

// The deepest project module the revision reaches through the name `package` binds
// (`fief.models.generics.GUID`
// -> fief.models.generics), among its expressions, and its dotted name as written; null when it reaches none
// below the package itself.
const ProjectFile* module_used_through(const ProjectFile& file, std::string_view package,
                                       const Project& project, std::string& written) {
  const ProjectFile* found = nullptr;
  auto visit = [&](const Expr& root) {
    root.walk([&](const Expr& e) {
      if (found || e.kind != Expr::Kind::Attribute) return;
      std::string_view dotted = e.text;
      if (!dotted.starts_with(package) || dotted.size() <= package.size() || dotted[package.size()] != '.')
        return;
      for (size_t cut = dotted.rfind('.'); cut != std::string_view::npos && cut > package.size();
           cut = dotted.rfind('.', cut - 1)) {
        if (const ProjectFile* module = project.find_module(dotted.substr(0, cut))) {
          found = module;
          written = std::string(dotted.substr(0, cut));
          return;
        }
      }
    });
  };
  file.facts.for_each_expression(visit);
  for (const RevisionCall& call : file.facts.revision->calls) visit(call.call);
  return found;
}

class ModelImportInMigration final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL228", "model-import-in-migration",
                               "Revision imports the application's models: it changes meaning (or breaks) when the "
                               "models change later",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    if (!file.facts.revision) return;
    std::map<uint32_t, Statement> statements;  // one finding per import statement, in source order
    auto consider = [&](const Import& import) {
      const ProjectFile* module = imported_module(import, project, file);
      if (!module || only_column_types(import, *module, project)) return;
      const ModelContent named = imported_class(import, *module, project);
      ModelContent content = strongest(model_content(*module, project), named);
      if (content == ModelContent::None) return;
      Statement& statement = statements[import.statement_loc.start_byte];
      statement.loc = import.statement_loc;
      // `import app.models.user` binds `app` but names the module; a relative import is shown by the names it
      // binds (its absolute form depends on where the checker was started).
      std::string name = import.module.size() > import.origin.size() ? import.module : import.origin;
      if (import.is_relative) name = import.bound_name;
      if (import.is_star) name = import.is_relative ? "*" : import.module + ".*";
      statement.names.push_back(name);
      if (named != ModelContent::None || import.is_star || import.origin == import.module ||
          project.find_module(import.origin)) {  // `from redash import models`: a module of models
        statement.only_other_names = false;
      }
      statement.models = statement.models || content == ModelContent::Models;
      statement.base = statement.base || brings_base_itself(import, *module, project);
    };
    for (const Import& import : file.facts.imports) consider(import);
    for (const Import& import : file.facts.function_imports) consider(import);
    // `import fief` then `fief.models.generics.GUID()` (fief, barbican): the package's own module holds no
    // models, the module reached through it does — a whole-module import all the same.
    for (const Import& import : file.facts.imports) {
      if (import.is_star || import.is_relative || import.origin != import.module ||
          import.bound_name != import.origin || statements.count(import.statement_loc.start_byte)) {
        continue;
      }
      std::string written;
      const ProjectFile* used = module_used_through(file, import.bound_name, project, written);
      if (!used || model_content(*used, project) == ModelContent::None) continue;
      Statement& statement = statements[import.statement_loc.start_byte];
      statement.loc = import.statement_loc;
      statement.names.push_back(written);
      statement.only_other_names = false;
      statement.models = model_content(*used, project) == ModelContent::Models;
      statement.base = true;
    }
    for (const auto& [start, statement] : statements) report(file, statement, out);
  }

 private:
  static void report(const ProjectFile& file, const Statement& statement, Reporter& out) {
    std::string names;
    for (const std::string& name : statement.names) names += (names.empty() ? "`" : ", `") + name + "`";
    if (statement.models) {
      const std::string what =
          statement.only_other_names
              ? "revision imports " + names + " from a module that loads the application's models"
              : "revision imports from the application's models (" + names + ")";
      out.report(
          file, statement.loc,
          what +
              ": it runs against today's model code, so when a model changes or moves this old migration "
              "does something else or fails to import",
          "describe what the migration needs inside it: plain `op.*` operations for the schema, "
          "`sa.table(\"users\", sa.column(\"id\"), ...)` for data");
    } else if (!statement.base) {
      out.report(
          file, statement.loc,
          "revision imports " + names +
              " from the module that defines the declarative base: importing it loads the application's "
              "model package, so the revision depends on today's models",
          "take it from a module without the models, or build what the revision needs inside it (a "
          "session on `op.get_bind()`, the setting's value)");
    } else {
      out.report(file, statement.loc,
                 "revision imports the declarative base (" + names +
                     "): a revision must not depend on the application's model package; `target_metadata` "
                     "belongs in env.py",
                 "remove the import; write the operations out with `op.*`, and set `target_metadata = Base.metadata` "
                 "in env.py only");
    }
  }
};

ORMLINT_RULE(ModelImportInMigration);

}  // namespace

}  // namespace ormlint
