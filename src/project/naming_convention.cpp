#include "project/naming_convention.h"

#include "project/assigned_value.h"

namespace ormlint {

const NamingConvention::Template* NamingConvention::of(ConstraintDef::Kind kind) const {
  auto it = templates.find(kind);
  return it == templates.end() ? nullptr : &it->second;
}

NamingConvention naming_convention(const Project& project, const MetadataDef& metadata) {
  NamingConvention convention;
  const Expr* dict = metadata.naming_convention;
  const ProjectFile* where = metadata.file;
  convention.present = dict != nullptr;
  if (dict && where && dict->is_name_like()) dict = assigned_value(project, where, dict->text, 4);
  if (!dict || !where || dict->kind != Expr::Kind::Dict) return convention;
  convention.readable = true;
  static const std::map<std::string_view, ConstraintDef::Kind> kKeys = {
      {"uq", ConstraintDef::Kind::Unique},     {"UniqueConstraint", ConstraintDef::Kind::Unique},
      {"ck", ConstraintDef::Kind::Check},      {"CheckConstraint", ConstraintDef::Kind::Check},
      {"fk", ConstraintDef::Kind::ForeignKey}, {"ForeignKeyConstraint", ConstraintDef::Kind::ForeignKey},
      {"pk", ConstraintDef::Kind::PrimaryKey}, {"PrimaryKeyConstraint", ConstraintDef::Kind::PrimaryKey},
      {"ix", ConstraintDef::Kind::Index},      {"Index", ConstraintDef::Kind::Index}};
  for (size_t i = 0; i + 1 < dict->items.size(); i += 2) {
    const Expr& key = dict->items[i];
    const Expr& value = dict->items[i + 1];
    // Keys are strings ("uq") or the classes themselves (UniqueConstraint).
    const std::string_view name = key.is_string() ? std::string_view(key.text) : std::string_view(key.name);
    auto it = kKeys.find(name);
    if (it == kKeys.end()) continue;
    if (!value.is_string()) {
      convention.readable = false;  // a template built by code: what it makes of a name is unknown
      continue;
    }
    convention.templates[it->second] = {value.text, where, value.loc};
  }
  return convention;
}

bool uses_constraint_name(std::string_view template_text) {
  return template_text.find("%(constraint_name)s") != std::string_view::npos;
}

std::string_view constraint_class(ConstraintDef::Kind kind) {
  switch (kind) {
    case ConstraintDef::Kind::Index:
      return "Index";
    case ConstraintDef::Kind::Unique:
      return "UniqueConstraint";
    case ConstraintDef::Kind::Check:
      return "CheckConstraint";
    case ConstraintDef::Kind::ForeignKey:
      return "ForeignKeyConstraint";
    case ConstraintDef::Kind::PrimaryKey:
      return "PrimaryKeyConstraint";
  }
  return "constraint";
}

std::string_view convention_key(ConstraintDef::Kind kind) {
  switch (kind) {
    case ConstraintDef::Kind::Index:
      return "ix";
    case ConstraintDef::Kind::Unique:
      return "uq";
    case ConstraintDef::Kind::Check:
      return "ck";
    case ConstraintDef::Kind::ForeignKey:
      return "fk";
    case ConstraintDef::Kind::PrimaryKey:
      return "pk";
  }
  return "";
}

}  // namespace ormlint
