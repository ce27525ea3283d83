// The table name a `@declared_attr __tablename__` computes for a class, worked out without running anything:
// from the class name through what such functions are made of — `cls.__name__`, string literals and module
// constants, `+`, f-strings, `.lower()`/`.upper()`/`.strip("_")`/`.replace(a, b)`, the
// camel-case-to-snake-case regular expressions people write (`re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__)`,
// a module-level `re.compile(...)`'s `.sub`), inflection's `underscore()`, and the project's own one-line
// helper functions (`return to_snake(cls.__name__)`, whose body is `return <call>`:
// FunctionDef::returned_call). Only patterns on a fixed list are applied, each by code of its own: a user's
// regular expression is never run.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "facts/expr.h"
#include "project/project.h"

namespace ormlint {

// The name `value` (the function's return, facts/spelled_out_return.h) gives a class named `class_name`;
// nullopt when it cannot be known. `file` holds `value`.
std::optional<std::string> computed_table_name(const Project& project, const ProjectFile& file,
                                               const Expr& value, std::string_view class_name);

}  // namespace ormlint
