// The value a module-level name is bound to, across the project's own modules: rules that judge a type object
// defined once and shared (`status_type = sa.Enum(...)`, `IPList = ARRAY(INET)`) read its definition here.
#pragma once
#include <string>
#include <vector>

#include "project/project.h"

namespace ormlint {

// The value assigned at module level to `dotted` in `*file`, following imports into other project modules;
// `*file` is updated to the file holding the returned expression. Null when the name is not an assignment
// (a class, a function, an external module) or when more than `max_hops` imports lead to it (an import
// cycle).
const Expr* assigned_value(const Project& project, const ProjectFile*& file, const std::string& dotted,
                           int max_hops, int hops = 0);

// The call a module-level type variable holds when `type` is one (`status_enum = sa.Enum(..., name="s")`,
// then `sa.Column("status", status_enum)`: a name the resolver saw bound to a call's result), through imports
// as assigned_value; `*file` is updated to the file holding it. Null for anything else.
const Expr* assigned_type(const Project& project, const ProjectFile*& file, const Expr& type, int max_hops);

// A native enum within a column's type expression: an `sa.Enum(...)` / `postgresql.ENUM(...)` call with a
// type name (see enum_name in project/migration_ops.h) and without `native_enum=False`, itself, inside
// another type (`ARRAY(sa.Enum(...))`) or held by a module-level type variable (assigned_type) — the
// revisions' usual way to share one enum between upgrade() and downgrade(). `file`: where the call is
// written.
struct EnumTypeUse {
  const Expr* call = nullptr;
  const ProjectFile* file = nullptr;
  const Expr* written = nullptr;  // in the type expression: the call, or the variable naming it
};
std::vector<EnumTypeUse> named_native_enums(const Project& project, const ProjectFile& file,
                                            const Expr& type);

// The string literal `e` stands for: `e` itself, or the literal a module-level name is bound to, in `file` or
// (through imports) another project module — `ForeignKey(USER_ID)` with `USER_ID = "user.id"`,
// `__tablename__ = AUDIT_TABLE`. Null for anything else (f-strings, calls, unknown names).
const Expr* string_literal(const Project& project, const ProjectFile& file, const Expr* e);

// The project function a resolved name ("app.security.generate_token") stands for, defined at module level in
// one of the project's modules (`*module` is set to it); null for anything else.
const FunctionDef* project_function(const Project& project, std::string_view origin,
                                    const ProjectFile** module);

}  // namespace ormlint
