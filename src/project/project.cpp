#include "project/project.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/parallel.h"
#include "core/phase_timer.h"
#include "core/text.h"
#include "facts/revision_builder.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

constexpr int kMaxResolveDepth = 16;

const std::set<std::string, std::less<>> kBuiltins = {
    "int", "str", "float", "bool", "bytes", "dict", "list", "set", "tuple", "object", "type", "len", "print",
    "range", "super", "isinstance", "getattr", "setattr", "hasattr", "property", "staticmethod", "classmethod",
    "Exception", "ValueError", "TypeError", "KeyError", "NotImplementedError", "RuntimeError", "ImportError",
    "frozenset", "bytearray", "complex", "id", "filter", "map", "zip", "enumerate", "sorted", "min", "max", "sum",
    "any", "all", "abs", "open", "repr", "hash", "iter", "next", "callable", "vars", "dir", "format", "round",
    "__name__", "__file__", "NotImplemented", "Ellipsis", "AttributeError", "IndexError", "StopIteration"};

// Top-level modules that are never the checked project's own, so a project file named e.g. `enum.py`
// is not mistaken for them.
const std::set<std::string, std::less<>> kExternalTopLevel = {
    "sqlalchemy", "alembic", "sqlmodel", "flask_sqlalchemy", "pydantic", "datetime", "enum", "uuid", "typing",
    "decimal", "json", "os", "sys", "time", "typing_extensions", "geoalchemy2", "sqlalchemy_utils"};

// Names `from sqlalchemy.orm import *` brings in that `from sqlalchemy import *` does not.
const std::set<std::string, std::less<>> kOrmStarNames = {
    "relationship", "relation", "backref", "mapped_column", "column_property", "deferred", "synonym", "composite",
    "dynamic_loader", "query_expression", "with_expression", "Mapped", "WriteOnlyMapped", "DynamicMapped",
    "MappedColumn", "declared_attr", "declarative_base", "as_declarative", "DeclarativeBase", "DeclarativeBaseNoMeta",
    "DeclarativeMeta", "MappedAsDataclass", "registry", "Session", "sessionmaker", "scoped_session", "Query",
    "validates", "reconstructor", "foreign", "remote", "aliased", "joinedload", "selectinload", "subqueryload",
    "lazyload", "noload", "raiseload", "contains_eager", "load_only", "defer", "undefer", "object_session",
    "attribute_keyed_dict", "column_keyed_dict", "mapped_collection", "attribute_mapped_collection"};

// "a.b.c" -> "a" and "b.c" (views into `dotted`).
void split_head(std::string_view dotted, std::string_view& head, std::string_view& rest) {
  size_t dot = dotted.find('.');
  head = dotted.substr(0, dot);
  rest = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
}

std::string join(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return std::string(a).append(".").append(b);
}

}  // namespace

const Expr* ColumnType::keyword(std::string_view name) const {
  return expr && expr->is_call() ? expr->keyword(name) : nullptr;
}

Project::Project(std::vector<std::unique_ptr<ProjectFile>> files,
                 std::vector<ScriptLocation> script_locations, unsigned jobs,
                 std::unique_ptr<const BaseSnapshot> base,
                 std::set<std::string, std::less<>> declarative_bases,
                 std::function<PackageVersions()> read_package_versions)
    : files_(std::move(files)),
      base_(std::move(base)),
      declarative_bases_(std::move(declarative_bases)),
      read_package_versions_(std::move(read_package_versions)) {
  std::sort(files_.begin(), files_.end(), [](const auto& a, const auto& b) { return a->path() < b->path(); });
  // Each step is timed for ORMLINT_TIMINGS=1 (core/phase_timer.h).
  { PhaseTimer timer("project: modules"); index_modules(); }
  { PhaseTimer timer("project: names"); resolve_expressions(jobs); }
  {
    PhaseTimer timer("project: helpers and classes");
    resolve_imported_guards(jobs);
    expand_column_factories();
    classify_classes(jobs);
    name_model_tables_in_revisions();
    alias_class_columns();
    expand_annotated_columns(jobs);
  }
  { PhaseTimer timer("project: columns"); collect_columns(jobs); }
  {
    PhaseTimer timer("project: revision graphs");
    build_revision_graphs(script_locations);
    index_migration_history();
  }
  { PhaseTimer timer("project: table model"); table_model_ = std::make_unique<const TableModel>(*this, jobs); }
}

Project::~Project() = default;

std::string ProjectFile::written(const Expr& e, size_t max_chars) const {
  std::string text = one_line(source.slice(e.loc.start_byte, e.loc.end_byte));
  return text.size() > max_chars ? text.substr(0, max_chars - 3) + "..." : text;
}

std::string_view Project::lowest_version(std::string_view package) const {
  std::call_once(package_versions_read_, [&] {
    if (read_package_versions_) package_versions_ = read_package_versions_();
  });
  auto it = package_versions_.find(package);
  return it == package_versions_.end() ? std::string_view() : std::string_view(it->second);
}

void Project::index_modules() {
  // Register every dotted suffix of each module key: "app.models.user" answers to "user", "models.user"
  // and "app.models.user", so absolute imports resolve whatever folder the checked root is.
  for (const auto& file : files_) {
    const std::string& key = file->module_key;
    if (file->is_package && !file->source_root) package_keys_.insert(key);
    size_t pos = 0;
    while (true) {
      modules_by_suffix_[key.substr(pos)].push_back(file.get());
      size_t dot = key.find('.', pos);
      if (dot == std::string::npos) break;
      pos = dot + 1;
    }
  }
}

const ProjectFile* Project::find_module(std::string_view dotted) const {
  auto it = modules_by_suffix_.find(dotted);
  if (it == modules_by_suffix_.end() || it->second.empty()) return nullptr;
  bool single_segment = dotted.find('.') == std::string_view::npos;
  if (single_segment && kExternalTopLevel.count(dotted)) return nullptr;
  // Prefer the exact key, then the shortest (closest to a root). A suffix match drops a prefix of folders
  // that must be a source root (`src.shop.models` answers to `shop.models`); a prefix that is a package of
  // its own is not one — `packaging.utils` is the library, not the project's `shop.packaging.utils`, since
  // Python 3 imports a sub-package only by its full name — unless it has a packaging file of its own.
  const ProjectFile* best = nullptr;
  for (const ProjectFile* file : it->second) {
    const std::string& key = file->module_key;
    if (key == dotted) return file;
    if (package_keys_.count(std::string_view(key).substr(0, key.size() - dotted.size() - 1))) continue;
    if (!best || key.size() < best->module_key.size()) best = file;
  }
  return best;
}

Project::Target Project::resolve_expr_target(const ProjectFile& file, const Expr& expr, int depth) const {
  if (depth > kMaxResolveDepth) return {};
  if (expr.kind == Expr::Kind::Name) return resolve_target(file, expr.text, depth + 1);
  if (expr.kind == Expr::Kind::Attribute && expr.target) {
    if (expr.target->is_name_like()) return resolve_target(file, expr.text, depth + 1);
    Target object = resolve_expr_target(file, *expr.target, depth + 1);
    if (object.name.empty()) return {};
    return Target{canonical_name(object.name + "." + expr.name)};
  }
  if (expr.kind == Expr::Kind::Call && expr.target) {
    Target callee = resolve_expr_target(file, *expr.target, depth + 1);
    if (callee.cls) {
      // An instance of a project subclass of Flask-SQLAlchemy's extension (redash's `class
      // RedashSQLAlchemy(SQLAlchemy)`) is the extension's: db.Model, db.Column, ... are the library's.
      if (derives_from(*callee.file, *callee.cls, "flask_sqlalchemy.SQLAlchemy", depth + 1)) {
        return Target{"flask_sqlalchemy.SQLAlchemy()"};
      }
      return Target{callee.file->module_key + "." + callee.cls->name + "()"};
    }
    if (callee.name.empty()) return {};
    // `Column = functools.partial(db.Column, nullable=False)` (redash): calling it calls the wrapped callable.
    // Its arguments are kept (Target::partial) for the calls of it (Project::partial_applied).
    if (callee.name == "functools.partial" && !expr.items.empty()) {
      Target wrapped = resolve_expr_target(file, expr.items[0], depth + 1);
      wrapped.partial = &expr;
      wrapped.partial_file = &file;
      return wrapped;
    }
    // `Base = cast(DeclarativeMeta, declarative_base())` (osparc): cast() returns its second argument as it is.
    if (callee.name == "typing.cast" && expr.items.size() == 2) {
      return resolve_expr_target(file, expr.items[1], depth + 1);
    }
    return Target{callee.name + "()"};
  }
  return {};
}

Project::Target Project::resolve_target(const ProjectFile& file, std::string_view dotted, int depth) const {
  if (depth > kMaxResolveDepth || dotted.empty()) return {};
  std::string_view head, rest;
  split_head(dotted, head, rest);
  const ModuleFacts& facts = file.facts;
  auto binding = facts.bindings.find(head);
  if (binding == facts.bindings.end()) {
    // A star import may have brought the name in: a project module answers for the names it defines; a SQLAlchemy
    // or sqlmodel module is taken to export any other name but the builtins. Of several such star imports, the
    // ORM's names come from `sqlalchemy.orm` and the others from a module that is not (else the first one).
    const Import* external = nullptr;
    bool orm_name = kOrmStarNames.count(head) > 0;
    auto fits = [&](const Import& import) { return (import.module == "sqlalchemy.orm") == orm_name; };
    for (const auto& import : facts.imports) {
      if (!import.is_star) continue;
      if (const ProjectFile* module = find_module(import.module); module && module != &file) {
        Target t = resolve_target(*module, dotted, depth + 1);
        if (!t.name.empty() || t.cls) return t;
      } else if (import.module.rfind("sqlalchemy", 0) == 0 || import.module.rfind("sqlmodel", 0) == 0) {
        if (!external || (!fits(*external) && fits(import))) external = &import;
      }
    }
    if (kBuiltins.count(head)) return Target{join(std::string("builtins.").append(head), rest)};
    if (external) return Target{canonical_name(external->module + "." + std::string(dotted))};
    return {};
  }
  switch (binding->second.kind) {
    case ModuleFacts::BindingKind::Import: {
      const Import& import = facts.imports[binding->second.index];
      // `from pkg import name`: Python reads `name` from the package first, so what pkg/__init__.py binds wins over
      // a submodule of the same name (`from .db import db` in app/models/__init__.py, beside app/models/db.py).
      if (import.origin.size() > import.module.size() + 1 && !import.is_star) {
        const std::string name(import.origin.substr(import.module.size() + 1));
        if (const ProjectFile* package = find_module(import.module);
            package && package != &file && package->is_package && package->facts.bindings.count(name)) {
          Target t = resolve_target(*package, join(name, rest), depth + 1);
          if (!t.name.empty() || t.cls) return t;
        }
      }
      std::string qualified = join(import.origin, rest);
      // Follow into the project's own modules: the longest prefix that is a project module.
      for (size_t cut = qualified.rfind('.'); cut != std::string::npos && cut > 0; cut = qualified.rfind('.', cut - 1)) {
        const ProjectFile* module = find_module(std::string_view(qualified).substr(0, cut));
        if (!module) continue;
        if (module == &file && qualified.substr(cut + 1) == dotted) break;  // `from . import x` of itself
        Target t = resolve_target(*module, qualified.substr(cut + 1), depth + 1);
        if (!t.name.empty() || t.cls) return t;
        break;
      }
      // `from invenio_db import db` (an installed package's Flask-SQLAlchemy extension, by the universal name):
      // db.Model, db.Column, ... are Flask-SQLAlchemy's.
      if (import.bound_name == "db" && import.origin.size() > 3 && import.origin.ends_with(".db") &&
          !within_module(import.origin, "sqlalchemy") && !within_module(import.origin, "alembic") &&
          !find_module(import.module)) {
        return Target{canonical_name(join("flask_sqlalchemy.SQLAlchemy()", rest))};
      }
      return Target{canonical_name(qualified)};
    }
    case ModuleFacts::BindingKind::Class: {
      const ClassDef& cls = facts.classes[binding->second.index];
      if (rest.empty()) return Target{"", &file, &cls};
      return Target{join(file.module_key + "." + cls.name, rest)};
    }
    case ModuleFacts::BindingKind::Function: {
      // A pass-through wrapper (`def Table(*args, **kwargs): ...; return sa.Table(*args, **kwargs)`, buildbot)
      // makes what its callee makes: calling it is calling the callee, as far as the schema goes.
      const FunctionDef& fn = facts.functions[binding->second.index];
      if (fn.forwarded_callee && rest.empty()) {
        Target t = resolve_expr_target(file, *fn.forwarded_callee, depth + 1);
        if (!t.name.empty() || t.cls) return t;
      }
      return Target{join(file.module_key + "." + std::string(head), rest)};
    }
    case ModuleFacts::BindingKind::Assignment: {
      const Expr& value = facts.assignments[binding->second.index].value;
      Target t = resolve_expr_target(file, value, depth + 1);
      if (rest.empty()) return t;
      if (t.cls) return Target{join(t.file->module_key + "." + t.cls->name, rest)};
      if (t.name.empty()) return {};
      return Target{canonical_name(join(t.name, rest))};
    }
  }
  return {};
}

bool Project::derives_from(const ProjectFile& file, const ClassDef& cls, std::string_view external, int depth) const {
  if (depth > kMaxResolveDepth) return false;
  for (const Expr& base : cls.bases) {
    Target t = resolve_expr_target(file, base, depth + 1);
    if (t.name == external) return true;
    if (t.cls && derives_from(*t.file, *t.cls, external, depth + 1)) return true;
  }
  return false;
}

std::string Project::resolve(const ProjectFile& file, std::string_view dotted) const {
  Target t = resolve_target(file, dotted, 0);
  if (t.cls) return t.file->module_key + "." + t.cls->name;
  return t.name;
}

const ClassInfo* Project::resolve_class(const ProjectFile& file, std::string_view dotted) const {
  Target t = resolve_target(file, dotted, 0);
  return t.cls ? class_info(*t.cls) : nullptr;
}

const ClassInfo* Project::class_info(const ClassDef& def) const {
  auto it = class_index_.find(&def);
  return it == class_index_.end() ? nullptr : &classes_[it->second];
}

void Project::resolve_expressions(unsigned jobs) {
  // Names are resolved once, here, so rules compare canonical strings. Per-file caches: the same
  // dotted name ("sa.Column") repeats many times in a file.
  // One file per task: a task writes only its own file's `resolved` fields, and resolution reads other files'
  // facts (bindings, imports, assigned expressions' kind/text/name/target), never their `resolved` fields.
  parallel_for(files_.size(), jobs, [&](size_t index) {
    ProjectFile& file = *files_[index];
    TextStore& texts = *file.facts.texts;
    std::unordered_map<std::string_view, FactText> cache;  // keyed by texts of the file's facts
    auto resolve_names = [&](Expr& root) {
      root.walk_mutable([&](Expr& e) {
        if (e.kind == Expr::Kind::Name || (e.kind == Expr::Kind::Attribute && e.target && e.target->is_name_like())) {
          auto [it, inserted] = cache.try_emplace(e.text);
          if (inserted) it->second = texts.keep(resolve(file, e.text));
          e.resolved = it->second;
        } else if (e.kind == Expr::Kind::Attribute) {
          e.resolved = texts.keep(resolve_expr_target(file, e, 0).name);
        }
      });
    };
    file.facts.for_each_expression(resolve_names);
    // What a column factory returns (project/column_factories.cpp) reads names of the factory's module.
    for (FunctionDef& fn : file.facts.functions) {
      if (!fn.returned_call) continue;
      resolve_names(*fn.returned_call);
      for (Parameter& p : fn.parameters) {
        if (p.default_value) resolve_names(*p.default_value);
      }
    }
    // A revision's other calls are not among for_each_expression's (rules scanning every construct would judge
    // throwaway `sa.table(...)` helpers), but their names resolve the same way.
    if (file.facts.revision) {
      for (RevisionCall& call : file.facts.revision->calls) resolve_names(call.call);
    }
  });
}

void Project::resolve_imported_guards(unsigned jobs) {
  // One file per task, each into its own list; the tasks read other files' functions.
  std::vector<std::vector<const OperationCall*>> found(files_.size());
  parallel_for(files_.size(), jobs, [&](size_t index) {
    const ProjectFile& file = *files_[index];
    if (!file.facts.revision) return;
    std::map<std::string, bool, std::less<>> checks;  // candidate as called -> whether it checks existence
    auto is_guard = [&](const std::string& candidate) {
      auto [it, added] = checks.try_emplace(candidate, false);
      if (added) it->second = names_existence_check(file, candidate);
      return it->second;
    };
    for (const OperationCall& op : file.facts.revision->operations) {
      if (!op.guarded && std::any_of(op.guard_candidates.begin(), op.guard_candidates.end(), is_guard)) {
        found[index].push_back(&op);
      }
    }
  });
  for (const auto& ops : found) guarded_by_import_.insert(ops.begin(), ops.end());
}

// `op.create_table(Hook.__tablename__, ...)`, `op.create_index("ix", Hook.__tablename__, ...)` (mlflow): the
// table a revision names through a model's `__tablename__` is that model's literal table name, written into
// the operation (and into the batch operations of a `batch_alter_table(Hook.__tablename__)`) as if spelled
// out, so every rule sees which table it touches and that two such operations touch the same one. Classes
// must be classified; what the facts cache keeps of a file was saved before.
void Project::name_model_tables_in_revisions() {
  for (const auto& file : files_) {
    if (!file->facts.revision) continue;
    // function -> the table of its latest batch_alter_table
    std::map<std::string_view, FactText> batch_table;
    for (OperationCall& op : file->facts.revision->operations) {
      if (op.table.empty() && op.in_batch) {
        op.table = batch_table[op.function];
        continue;
      }
      const Expr* written = written_table_argument(op);
      if (op.table.empty() && written && written->is(Expr::Kind::Attribute) &&
          written->name == "__tablename__" && written->target && written->target->is_name_like()) {
        const ClassInfo* cls = resolve_class(*file, written->target->text);
        const ClassAttribute* name = cls ? cls->def->attribute("__tablename__") : nullptr;
        if (name && name->value && name->value->is_string()) op.table = name->value->text;
      }
      if (op.name == "batch_alter_table") batch_table[op.function] = op.table;
    }
  }
}

// Whether `dotted`, as called in `file`, is a function of the project that checks existence.
bool Project::names_existence_check(const ProjectFile& file, std::string_view dotted) const {
  const std::string origin = resolve(file, dotted);
  const size_t dot = origin.rfind('.');
  if (dot == std::string::npos) return false;
  const ProjectFile* module = find_module(std::string_view(origin).substr(0, dot));
  if (!module) return false;
  const std::string_view name = std::string_view(origin).substr(dot + 1);
  const auto& functions = module->facts.functions;
  return std::any_of(functions.begin(), functions.end(),
                     [&](const FunctionDef& fn) { return fn.name == name && fn.checks_existence; });
}

}  // namespace ormlint
