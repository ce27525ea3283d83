// Which classes are declarative bases, mapped classes, abstract classes and mixins feeding them.
#include <functional>
#include <set>

#include "core/parallel.h"
#include "core/text.h"
#include "project/project.h"

namespace ormlint {

namespace {

// External names a class can derive from to *be* a declarative base.
const std::set<std::string, std::less<>> kBaseClasses = {"sqlalchemy.orm.DeclarativeBase",
                                                          "sqlalchemy.orm.DeclarativeBaseNoMeta"};

// External values a class can derive from to be *mapped* (the value is itself a declarative base).
bool is_base_value(const std::string& name) {
  return name == "sqlalchemy.orm.declarative_base()" || name == kFlaskModelBase ||
         (name.rfind("sqlalchemy.orm.registry()", 0) == 0 && name.size() > 16 &&
          name.compare(name.size() - 16, 16, ".generate_base()") == 0) ||
         name == "sqlalchemy.orm.declarative_base().Model";
}

// advanced-alchemy's (and Litestar's re-exported) declarative bases: `UUIDAuditBase`, `BigIntBase`,
// `DefaultBase`, `AdvancedDeclarativeBase`, ... — DeclarativeBase subclasses with the library's own registry.
bool is_advanced_alchemy_base(const std::string& name) {
  for (std::string_view module : {"advanced_alchemy.base.", "advanced_alchemy.extensions.litestar.base.",
                                  "litestar.plugins.sqlalchemy.base.", "litestar.contrib.sqlalchemy.base."}) {
    if (name.rfind(module, 0) == 0 && name.size() > 4 && name.compare(name.size() - 4, 4, "Base") == 0 &&
        name.find('(') == std::string::npos) {
      return true;
    }
  }
  return false;
}

bool is_enum_base(const std::string& name) {
  return name == "enum.Enum" || name == "enum.IntEnum" || name == "enum.StrEnum" || name == "enum.Flag" ||
         name == "enum.IntFlag";
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_true_attribute(const ClassDef& def, std::string_view name) {
  const ClassAttribute* attr = def.attribute(name);
  return attr && attr->value && attr->value->is_true();
}

}  // namespace

const ClassAttribute* ClassInfo::unmapped_table_name() const {
  if (role != Role::Plain || feeds_mapped_class || !def || def->bases.empty() || !file->declares_schema()) {
    return nullptr;
  }
  const ClassAttribute* name = def->attribute("__tablename__");
  if (!name || !name->value || !name->value->is_string() || name->from_declared_attr) return nullptr;
  return name;
}

std::set<const ClassInfo*> ClassInfo::ancestors() const {
  std::set<const ClassInfo*> seen;
  std::vector<const ClassInfo*> stack(project_bases.begin(), project_bases.end());
  while (!stack.empty()) {
    const ClassInfo* ancestor = stack.back();
    stack.pop_back();
    if (ancestor == this || !seen.insert(ancestor).second) continue;
    stack.insert(stack.end(), ancestor->project_bases.begin(), ancestor->project_bases.end());
  }
  return seen;
}

std::vector<std::string> ClassInfo::installed_bases() const {
  std::vector<std::string> names;
  auto add_from = [&](const ClassInfo& cls) {
    for (const std::string& name : cls.external_bases) {
      // A factory's result (`BASE = get_base()`: "sqlalchemy_helpers.get_base()") is one too, named so.
      const size_t call = name.find('(');
      const bool factory_result =
          call != std::string::npos && call + 2 == name.size() && name.ends_with("()");
      if (name.find('.') != std::string::npos && (call == std::string::npos || factory_result) &&
          std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
  };
  // Its own first, then those of the project classes it derives from, nearest first (simpler-grants-gov's
  // models list a mixin and reach the base through their abstract `ApiSchemaTable(base.Base)`).
  add_from(*this);
  std::vector<const ClassInfo*> queue(project_bases.begin(), project_bases.end());
  std::set<const ClassInfo*> seen(queue.begin(), queue.end());
  for (size_t next = 0; next < queue.size(); ++next) {
    add_from(*queue[next]);
    for (const ClassInfo* base : queue[next]->project_bases) {
      if (base != this && seen.insert(base).second) queue.push_back(base);
    }
  }
  return names;
}

std::string ClassInfo::likely_installed_base() const {
  const std::vector<std::string> names = installed_bases();
  // A name that ends as a base does (`Base`, `DeclarativeBase`, `ModelBase`) before one that only mentions it
  // (`BaseUser`, a mixin of the base's package), then the first.
  for (const std::string& name : names) {
    if (lower(name.substr(name.rfind('.') + 1)).ends_with("base")) return name;
  }
  for (const std::string& name : names) {
    const std::string last = lower(name.substr(name.rfind('.') + 1));
    if (last.find("base") != std::string::npos || last.find("model") != std::string::npos) return name;
  }
  return names.empty() ? "" : names.front();
}

void Project::classify_classes(unsigned jobs) {
  for (const auto& file : files_) {
    for (const ClassDef& def : file->facts.classes) {
      class_index_[&def] = classes_.size();
      ClassInfo info;
      info.file = file.get();
      info.def = &def;
      info.qualified_name = texts_.keep(file->module_key + "." + def.name);
      classes_.push_back(info);
    }
  }
  // Bases first (resolution reads only the facts, so every class can be linked before any is classified).
  // Each class's bases, classes in parallel: resolving reads the project; a task writes only its own class.
  parallel_for(classes_.size(), jobs, [&](size_t index) {
    ClassInfo& info = classes_[index];
    for (const Expr& written : info.def->bases) {
      // `class Child(ChildMixin[int], Base)`: a generic class subscripted is that class (fastapi-users).
      const bool generic = written.kind == Expr::Kind::Subscript && written.target;
      const Expr& base = generic ? *written.target : written;
      Target t = resolve_expr_target(*info.file, base, 0);
      if (t.cls) {
        info.project_bases.push_back(class_info(*t.cls));
      } else {
        info.external_bases.push_back(t.name.empty() ? std::string(base.text) : t.name);
      }
    }
  });

  enum class State { Unvisited, Visiting, Done };
  std::vector<State> state(classes_.size(), State::Unvisited);
  std::function<void(ClassInfo&)> classify = [&](ClassInfo& info) {
    size_t index = &info - classes_.data();
    if (state[index] != State::Unvisited) return;  // Visiting: an inheritance cycle; leave it Plain
    state[index] = State::Visiting;
    const ClassDef& def = *info.def;
    bool derives_from_base = false;
    bool is_base = false;
    bool abstract_concrete = false;  // derives from AbstractConcreteBase itself: abstract, its subclasses are tables
    for (const ClassInfo* base : info.project_bases) {
      classify(const_cast<ClassInfo&>(*base));
      if (base->role != ClassInfo::Role::Plain) {
        derives_from_base = true;
        if (!info.declarative_base) {
          info.declarative_base = base->role == ClassInfo::Role::DeclarativeBase ? base : base->declarative_base;
        }
      }
      info.flask_model = info.flask_model || base->flask_model;
      info.sqlmodel = info.sqlmodel || base->sqlmodel;
      info.is_enum = info.is_enum || base->is_enum;
      info.advanced_alchemy = info.advanced_alchemy || base->advanced_alchemy;
      info.installed_base = info.installed_base || base->installed_base;
    }
    for (const std::string& name : info.external_bases) {
      if (kBaseClasses.count(name)) is_base = true;
      if (is_base_value(name) || declarative_bases_.count(name)) derives_from_base = true;
      if (declarative_bases_.count(name)) info.installed_base = true;
      if (is_advanced_alchemy_base(name)) {
        derives_from_base = true;
        info.advanced_alchemy = true;
      }
      if (name == kFlaskModelBase) info.flask_model = true;
      if (is_sqlmodel_base(name)) info.sqlmodel = true;
      if (is_enum_base(name)) info.is_enum = true;
      if (ends_with(name, ".AbstractConcreteBase")) abstract_concrete = true;
    }
    for (const Expr& decorator : def.decorators) {
      const FactText origin = decorator.is_call() ? decorator.origin() : decorator.resolved;
      if (origin == "sqlalchemy.orm.as_declarative" || ends_with(origin, ".as_declarative_base")) is_base = true;
      if (origin.rfind("sqlalchemy.orm.registry()", 0) == 0 &&
          (ends_with(origin, ".mapped") || ends_with(origin, ".mapped_as_dataclass"))) {
        derives_from_base = true;
      }
    }
    if (is_base) {
      info.role = ClassInfo::Role::DeclarativeBase;
    } else if (info.sqlmodel) {
      bool table = false;
      for (const Keyword& kw : def.class_keywords) table = table || (kw.name == "table" && kw.value.is_true());
      info.role = table ? ClassInfo::Role::Mapped : ClassInfo::Role::Abstract;
    } else if (derives_from_base) {
      const bool abstract = abstract_concrete || is_true_attribute(def, "__abstract__");
      info.role = abstract ? ClassInfo::Role::Abstract : ClassInfo::Role::Mapped;
    }
    state[index] = State::Done;
  };
  for (ClassInfo& info : classes_) classify(info);

  // Mixins, abstract classes and declarative bases whose attributes end up on mapped classes — of the
  // application's schema: a mixin only revision scripts' snapshot classes use (zou's frozen migration mixins)
  // is a migration helper, as those classes are.
  for (ClassInfo& info : classes_) {
    if (!info.is_mapped() || !info.file->declares_schema()) continue;
    for (const ClassInfo* found : info.ancestors()) {
      auto* ancestor = const_cast<ClassInfo*>(found);  // classes_ is this Project's own, being built
      ancestor->feeds_mapped_class = true;
      if (!ancestor->declarative_base && ancestor->role == ClassInfo::Role::Plain) {
        ancestor->declarative_base = info.declarative_base;
      }
    }
  }
}

}  // namespace ormlint
