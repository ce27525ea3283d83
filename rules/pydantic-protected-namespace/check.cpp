// pydantic-protected-namespace: a field of a Pydantic v2 model (a class deriving, directly or through
// project classes, from pydantic.BaseModel / pydantic_settings.BaseSettings, or a SQLModel class) whose name
// starts with a protected namespace — `model_` unless the class or an ancestor sets `protected_namespaces`
// (ConfigDict(...), a dict literal, a class keyword or a v1-style `class Config`). Pydantic 2.0-2.9 warns at
// import (`Field "model_id" has conflict with protected namespace "model_"`); a name that replaces a
// BaseModel member (model_dump, model_fields...) is an error. Pydantic v1 models have no such namespaces. A
// project whose packaging files require Pydantic 2.10 or later gets that version's narrower default.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/python_requirements.h"
#include "engine/rule.h"
#include "project/assigned_value.h"

namespace ormlint {

namespace {

const std::set<std::string, std::less<>> kPydanticBases = {
    "pydantic.BaseModel", "pydantic.main.BaseModel", "pydantic.RootModel", "pydantic_settings.BaseSettings",
    "pydantic_settings.main.BaseSettings"};

// BaseModel's own `model_*` members (Pydantic 2.x): a field with one of these names replaces the method.
const std::set<std::string, std::less<>> kBaseModelMembers = {"model_computed_fields",
                                                              "model_config",
                                                              "model_construct",
                                                              "model_copy",
                                                              "model_dump",
                                                              "model_dump_json",
                                                              "model_extra",
                                                              "model_fields",
                                                              "model_fields_set",
                                                              "model_json_schema",
                                                              "model_parametrized_name",
                                                              "model_post_init",
                                                              "model_rebuild",
                                                              "model_validate",
                                                              "model_validate_json",
                                                              "model_validate_strings"};

// The namespaces a config sets: string literals (`()` clears them all); `known` is false for anything else.
struct Namespaces {
  bool known = true;
  std::vector<std::string> prefixes;
};

std::optional<Namespaces> literal_namespaces(const Expr& value) {
  Namespaces result;
  if (value.kind != Expr::Kind::Tuple && value.kind != Expr::Kind::List && value.kind != Expr::Kind::Set) {
    result.known = false;  // a variable, a call: cannot tell, so stay quiet
    return result;
  }
  for (const Expr& item : value.items) {
    if (!item.is_string()) {
      result.known = false;
      return result;
    }
    result.prefixes.push_back(item.text);
  }
  return result;
}

// `model_config = ConfigDict(protected_namespaces=())`, `model_config = {"protected_namespaces": ()}`.
std::optional<Namespaces> from_config_value(const Expr& config) {
  if (config.is_call()) {
    if (const Expr* value = config.keyword("protected_namespaces")) return literal_namespaces(*value);
    return std::nullopt;
  }
  if (config.kind == Expr::Kind::Dict) {
    for (size_t i = 0; i + 1 < config.items.size(); i += 2) {
      if (config.items[i].is_string() && config.items[i].text == "protected_namespaces") {
        return literal_namespaces(config.items[i + 1]);
      }
    }
  }
  return std::nullopt;
}

// The v1-style `class Config:` nested in `def`: the nested class of that name that follows `def` before the
// next module-level class of the file (facts list classes in source order, nested ones right after their
// parent).
const ClassDef* nested_config(const ProjectFile& file, const ClassDef& def) {
  const auto& classes = file.facts.classes;
  for (size_t i = 0; i < classes.size(); ++i) {
    if (&classes[i] != &def) continue;
    for (size_t j = i + 1; j < classes.size() && !classes[j].module_level; ++j) {
      if (classes[j].name == "Config") return &classes[j];
    }
  }
  return nullptr;
}

// What one class itself says about protected_namespaces.
std::optional<Namespaces> declared_namespaces(const Project& project, const ClassInfo& cls) {
  for (const Keyword& kw : cls.def->class_keywords) {
    if (kw.name == "protected_namespaces") return literal_namespaces(kw.value);
  }
  if (const ClassAttribute* config = cls.def->attribute("model_config"); config && config->value) {
    const Expr* value = &*config->value;
    // `model_config = BASE_CONFIG`, a ConfigDict shared through a module-level name (here or imported).
    if (const ProjectFile* holder = cls.file; value->is_name_like()) {
      if (const Expr* assigned = assigned_value(project, holder, std::string(value->text), 8))
        value = assigned;
    }
    if (auto found = from_config_value(*value)) return found;
  }
  if (cls.def->module_level) {
    if (const ClassDef* config = nested_config(*cls.file, *cls.def)) {
      if (const ClassAttribute* attr = config->attribute("protected_namespaces"); attr && attr->value) {
        return literal_namespaces(*attr->value);
      }
    }
  }
  return std::nullopt;
}

// The setting in effect: the class's own, else the nearest ancestor's (depth first, in base order, as the MRO
// mostly goes); nullopt when no project class sets it (Pydantic's default `model_` applies).
std::optional<Namespaces> configured_namespaces(const Project& project, const ClassInfo& cls,
                                                std::set<const ClassInfo*>& seen) {
  if (!seen.insert(&cls).second) return std::nullopt;
  if (auto own = declared_namespaces(project, cls)) return own;
  for (const ClassInfo* base : cls.project_bases) {
    if (auto inherited = configured_namespaces(project, *base, seen)) return inherited;
  }
  return std::nullopt;
}

bool is_pydantic_model(const ClassInfo& cls, std::set<const ClassInfo*>& seen) {
  if (!seen.insert(&cls).second) return false;
  if (cls.sqlmodel) return true;
  for (const std::string& base : cls.external_bases) {
    if (kPydanticBases.count(base)) return true;
  }
  for (const ClassInfo* base : cls.project_bases) {
    if (is_pydantic_model(*base, seen)) return true;
  }
  return false;
}

// A Pydantic field: an annotated attribute that is not a ClassVar, private, the configuration, or a SQLModel
// Relationship (SQLModel takes those out before Pydantic sees the class).
bool is_field(const ClassAttribute& attr) {
  if (!attr.annotation || attr.from_declared_attr || attr.name == "model_config" ||
      attr.name.rfind('_', 0) == 0) {
    return false;
  }
  if (attr.value && attr.value->is_call() && attr.value->origin() == "sqlmodel.Relationship") return false;
  const Expr& a = *attr.annotation;
  const Expr* head = a.kind == Expr::Kind::Subscript && a.target ? a.target.get() : &a;
  return head->resolved != "typing.ClassVar" && head->text != "ClassVar";
}

// Pydantic's default: `model_` up to 2.9; from 2.10 only `model_validate` and `model_dump`. The project's
// packaging files say which versions it can run on (a lock file's version, a requirement's lower bound); when
// they do not, the older default, which every 2.x release's check includes.
Namespaces default_namespaces(const Project& project) {
  const std::string_view pydantic = project.lowest_version("pydantic");
  if (!pydantic.empty() && version_at_least(pydantic, "2.10"))
    return Namespaces{true, {"model_validate", "model_dump"}};
  return Namespaces{true, {"model_"}};
}

bool is_protected(const Namespaces& namespaces, std::string_view name) {
  for (const std::string& prefix : namespaces.prefixes) {
    if (!prefix.empty() && name.starts_with(prefix)) return true;
  }
  return false;
}

class PydanticProtectedNamespace final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL405",
                               "pydantic-protected-namespace",
                               "Pydantic model field starts with a protected namespace (`model_`) without "
                               "protected_namespaces configured",
                               Severity::Warning,
                               Profile::Any,
                               true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    for (const ClassDef& def : file.facts.classes) {
      const ClassInfo* cls = project.class_info(def);
      std::set<const ClassInfo*> seen;
      if (!cls || !is_pydantic_model(*cls, seen)) continue;
      std::optional<Namespaces> namespaces;  // looked up at the first field only
      bool configured = false;
      for (const ClassAttribute& attr : def.attributes) {
        if (!is_field(attr)) continue;
        if (!namespaces) {
          std::set<const ClassInfo*> visited;
          namespaces = configured_namespaces(project, *cls, visited);
          configured = namespaces.has_value();
          if (!namespaces) namespaces = default_namespaces(project);
        }
        if (!namespaces->known) break;
        for (const std::string& prefix : namespaces->prefixes) {
          if (prefix.empty() || attr.name.rfind(prefix, 0) != 0) continue;
          report(file, def, attr, prefix, configured, out);
          break;
        }
        // Pydantic 2.10+: a field named like another BaseModel member is no longer in a protected namespace,
        // but still replaces the member (Pydantic warns that it shadows it).
        if (!configured && kBaseModelMembers.count(attr.name) && !is_protected(*namespaces, attr.name)) {
          out.report(
              file, attr.loc,
              "Pydantic field `" + def.name + "." + attr.name + "` replaces `BaseModel." + attr.name +
                  "`: Pydantic warns at import (`Field name \"" + attr.name + "\" in \"" + def.name +
                  "\" shadows an attribute in parent \"BaseModel\"`), and code calling the member gets the "
                  "field",
              "rename the field and keep its JSON name with `Field(alias=\"" + attr.name + "\")`");
        }
      }
    }
  }

 private:
  static void report(const ProjectFile& file, const ClassDef& def, const ClassAttribute& attr,
                     const std::string& prefix, bool configured, Reporter& out) {
    const std::string field = "`" + def.name + "." + attr.name + "`";
    std::string message;
    if (kBaseModelMembers.count(attr.name)) {
      message = "Pydantic field " + field + " replaces `BaseModel." + attr.name + "`: Pydantic " +
                (configured ? "raises" : "raises or warns (depending on the version)") +
                " at import (`NameError: Field \"" + attr.name +
                "\" conflicts with member ... of protected " + "namespace \"" + prefix + "\"`)";
    } else {
      message = "Pydantic field " + field + " is in the protected namespace `" + prefix + "`: Pydantic " +
                (configured ? "warns" : "2.0-2.9 warn") + " at import (`Field \"" + attr.name +
                "\" has conflict with protected namespace \"" + prefix + "\"`)";
    }
    std::string help = "rename the field and keep its JSON name with `Field(alias=\"" + attr.name + "\")`";
    if (!kBaseModelMembers.count(attr.name)) {
      help = "add `model_config = ConfigDict(protected_namespaces=())` to `" + def.name +
             "` (or its base), or " + help;
    }
    out.report(file, attr.loc, std::move(message), std::move(help));
  }
};

ORMLINT_RULE(PydanticProtectedNamespace);

}  // namespace

}  // namespace ormlint
