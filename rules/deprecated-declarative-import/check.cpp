// deprecated-declarative-import: the declarative API taken from `sqlalchemy.ext.declarative`, its pre-1.4
// home: `from sqlalchemy.ext.declarative import declarative_base` (any alias), or `import
// sqlalchemy.ext.declarative` / `from sqlalchemy.ext import declarative` then `declarative.declarative_base`.
// Since 1.4 the API lives in `sqlalchemy.orm`; SQLAlchemy 2.0 keeps only deprecated shims there. The
// extension's own classes (ConcreteBase, AbstractConcreteBase, DeferredReflection) are not flagged.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"

namespace ormlint {

namespace {

constexpr std::string_view kOldModule = "sqlalchemy.ext.declarative";
constexpr std::string_view kOldApiModule = "sqlalchemy.ext.declarative.api";  // 1.3's internal module

enum class Fate {
  Warns,       // a shim that emits MovedIn20Warning on 2.0
  ReExported,  // re-exported silently, but documented under sqlalchemy.orm since 1.4
  Removed,     // gone in 2.0: ImportError
};

struct MovedName {
  std::string_view name;
  Fate fate;
};
constexpr MovedName kMoved[] = {
    {"declarative_base", Fate::Warns},         {"as_declarative", Fate::Warns},
    {"has_inherited_table", Fate::Warns},      {"synonym_for", Fate::Warns},
    {"declared_attr", Fate::ReExported},       {"DeclarativeMeta", Fate::ReExported},
    {"instrument_declarative", Fate::Removed},
};

std::optional<Fate> moved(std::string_view name) {
  for (const MovedName& m : kMoved) {
    if (m.name == name) return m.fate;
  }
  return std::nullopt;
}

bool is_old_module(std::string_view module) {
  return module == kOldModule || module == kOldApiModule;
}

std::string why(std::string_view name, Fate fate, std::string_view module) {
  std::string shown = "`" + std::string(name) + "`";
  if (module == kOldApiModule)
    return shown + " from `sqlalchemy.ext.declarative.api`: that module is gone since 1.4";
  switch (fate) {
    case Fate::Warns:
      return shown +
             " from `sqlalchemy.ext.declarative` is a deprecated shim: SQLAlchemy 2.0 emits MovedIn20Warning on "
             "every call (an error under `-W error`)";
    case Fate::ReExported:
      return shown +
             " from `sqlalchemy.ext.declarative`, its pre-1.4 location: the declarative API moved to "
             "`sqlalchemy.orm` in 1.4";
    case Fate::Removed:
      return shown +
             " from `sqlalchemy.ext.declarative` was removed in SQLAlchemy 2.0: importing it raises "
             "ImportError";
  }
  return shown;
}

std::string fix(std::string_view name) {
  if (name == "instrument_declarative")
    return "map the class with `registry().map_declaratively(cls)` from `sqlalchemy.orm`";
  return "import it from `sqlalchemy.orm`: `from sqlalchemy.orm import " + std::string(name) + "`";
}

// How the old module is written in expressions, for `import sqlalchemy.ext.declarative [as d]` and
// `from sqlalchemy.ext import declarative [as d]`: "sqlalchemy.ext.declarative" / "d" / "declarative".
std::optional<std::string> module_prefix(const Import& import) {
  if (import.is_star) return std::nullopt;
  if (is_old_module(import.origin)) {
    // `import sqlalchemy.ext.declarative` binds `sqlalchemy`; any alias or from-import binds the module
    // itself.
    return import.bound_name == "sqlalchemy" ? import.origin : import.bound_name;
  }
  if (import.origin == "sqlalchemy" && is_old_module(import.module)) return import.module;
  return std::nullopt;
}

class DeprecatedDeclarativeImport final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL404",
                               "deprecated-declarative-import",
                               "declarative_base / declared_attr imported from sqlalchemy.ext.declarative "
                               "(moved to sqlalchemy.orm)",
                               Severity::Warning,
                               Profile::Any,
                               true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& /*project*/, Reporter& out) const override {
    std::vector<std::string> prefixes;
    bool star = false;
    for (const Import& import : file.facts.imports) {
      // `try: from sqlalchemy.orm import declarative_base` / `except ImportError: from sqlalchemy.ext.declarative
      // import declarative_base`: the fallback runs only before 1.4, where the old module is the only home.
      if (import.is_fallback) continue;
      if (import.is_star && is_old_module(import.module)) star = true;
      if (auto prefix = module_prefix(import)) {
        prefixes.push_back(*prefix);
        continue;
      }
      if (import.is_star || !is_old_module(import.module)) continue;
      // `from sqlalchemy.ext.declarative import declarative_base as make_base`: origin names the imported
      // object.
      std::string name(import.origin.substr(import.module.size() + 1));
      auto fate = moved(name);
      if (!fate) continue;
      out.report(file, import.loc, why(name, *fate, import.module), fix(name));
    }
    if (prefixes.empty() && !star) return;
    file.facts.for_each_expression(
        [&](const Expr& top) { top.walk([&](const Expr& e) { check_use(file, e, prefixes, star, out); }); });
  }

 private:
  // `declarative.declarative_base` through a module import, or a bare `declarative_base` from a star import.
  static void check_use(const ProjectFile& file, const Expr& e, const std::vector<std::string>& prefixes,
                        bool star, Reporter& out) {
    if (e.kind == Expr::Kind::Name && star && moved(e.name) && !file.facts.bindings.count(e.name)) {
      out.report(file, e.loc, why(e.name, *moved(e.name), kOldModule) + " (through `import *`)", fix(e.name));
      return;
    }
    if (e.kind != Expr::Kind::Attribute || !e.target || !moved(e.name)) return;
    for (const std::string& prefix : prefixes) {
      if (e.target->text != prefix) continue;
      std::string_view module =
          prefix.rfind("sqlalchemy.ext.declarative.api", 0) == 0 ? kOldApiModule : kOldModule;
      out.report(file, e.loc, why(e.name, *moved(e.name), module), fix(e.name));
      return;
    }
  }
};

ORMLINT_RULE(DeprecatedDeclarativeImport);

}  // namespace

}  // namespace ormlint
