// A MetaData's naming_convention as rules need it: which template SQLAlchemy applies to each kind of
// constraint. Read from a literal dict (directly, or through a module-level name); anything else is
// "unreadable".
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "project/table_model.h"

namespace ormlint {

struct NamingConvention {
  bool present = false;   // the MetaData has a naming_convention
  bool readable = false;  // ... and it is a dict ormlint can read (else its templates are unknown)
  struct Template {
    std::string_view text;  // "uq_%(table_name)s_%(column_0_name)s"
    const ProjectFile* file = nullptr;
    Location loc;  // the template string
  };
  // By kind, under the keys SQLAlchemy looks up ("uq" or "UniqueConstraint", ...).
  std::map<ConstraintDef::Kind, Template> templates;

  // The template for `kind`, or null when the convention has none for it.
  const Template* of(ConstraintDef::Kind kind) const;
};

NamingConvention naming_convention(const Project& project, const MetadataDef& metadata);

// Whether a template uses the constraint's own name (`%(constraint_name)s`): SQLAlchemy then builds the full
// name from the name given, and an unnamed constraint of that kind raises InvalidRequestError.
bool uses_constraint_name(std::string_view template_text);

// The class a constraint kind is written with ("UniqueConstraint"), and its naming_convention key ("uq").
std::string_view constraint_class(ConstraintDef::Kind kind);
std::string_view convention_key(ConstraintDef::Kind kind);

}  // namespace ormlint
