// Which build of the program and its libraries is running, for caches that must not outlive them.
#pragma once
#include <string>

namespace ormlint {

// The GNU build ids (a hash of each linked file's contents) of the executable and every shared library it loaded
// (the tree-sitter runtime among them), in hex, in load order; "" when none carries one.
std::string loaded_build_ids();

}  // namespace ormlint
