#include "project/assigned_value.h"

#include "project/migration_ops.h"

namespace ormlint {

const Expr* assigned_value(const Project& project, const ProjectFile*& file, const std::string& dotted,
                           int max_hops, int hops) {
  if (hops > max_hops) return nullptr;  // an import cycle between project modules
  const std::string head = dotted.substr(0, dotted.find('.'));
  auto binding = file->facts.bindings.find(head);
  if (binding == file->facts.bindings.end()) return nullptr;
  if (binding->second.kind == ModuleFacts::BindingKind::Assignment) {
    if (head != dotted) return nullptr;
    return &file->facts.assignments[binding->second.index].value;
  }
  if (binding->second.kind != ModuleFacts::BindingKind::Import) return nullptr;
  const std::string origin =
      std::string(file->facts.imports[binding->second.index].origin) + dotted.substr(head.size());
  const size_t dot = origin.rfind('.');
  if (dot == std::string::npos) return nullptr;
  const ProjectFile* module = project.find_module(origin.substr(0, dot));
  if (!module || module == file) return nullptr;
  file = module;
  return assigned_value(project, file, origin.substr(dot + 1), max_hops, hops + 1);
}

const Expr* assigned_type(const Project& project, const ProjectFile*& file, const Expr& type, int max_hops) {
  if (!type.is_name_like() || type.resolved.find('(') == std::string_view::npos) return nullptr;
  return assigned_value(project, file, std::string(type.text), max_hops);
}

namespace {

void collect_enums(const Project& project, const ProjectFile& file, const Expr& type, const Expr* written,
                   int depth, std::vector<EnumTypeUse>& out) {
  constexpr int kMaxDepth = 4;  // variables followed into variables (an import cycle ends here)
  type.walk([&](const Expr& e) {
    const ProjectFile* holder = &file;
    if (const Expr* value = depth < kMaxDepth ? assigned_type(project, holder, e, kMaxDepth) : nullptr) {
      collect_enums(project, *holder, *value, written ? written : &e, depth + 1, out);
      return;
    }
    if (enum_name(e).empty()) return;
    const Expr* native = e.keyword("native_enum");
    if (!native || !native->is_false()) out.push_back({&e, &file, written ? written : &e});
  });
}

}  // namespace

std::vector<EnumTypeUse> named_native_enums(const Project& project, const ProjectFile& file,
                                            const Expr& type) {
  std::vector<EnumTypeUse> found;
  collect_enums(project, file, type, nullptr, 0, found);
  return found;
}

const Expr* string_literal(const Project& project, const ProjectFile& file, const Expr* e) {
  constexpr int kMaxHops = 8;  // imports followed (re-exports), beyond which a cycle is assumed
  if (!e || e->is_string()) return e && e->is_string() ? e : nullptr;
  if (!e->is_name_like()) return nullptr;
  const ProjectFile* holder = &file;
  const Expr* value = assigned_value(project, holder, std::string(e->text), kMaxHops);
  return value && value->is_string() ? value : nullptr;
}

const FunctionDef* project_function(const Project& project, std::string_view origin,
                                    const ProjectFile** module) {
  const size_t dot = origin.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  const ProjectFile* file = project.find_module(origin.substr(0, dot));
  if (!file) return nullptr;
  auto binding = file->facts.bindings.find(origin.substr(dot + 1));
  if (binding == file->facts.bindings.end() || binding->second.kind != ModuleFacts::BindingKind::Function) {
    return nullptr;
  }
  if (module) *module = file;
  return &file->facts.functions[binding->second.index];
}

}  // namespace ormlint
