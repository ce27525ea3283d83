// Python 3.14 lets an `except` clause list its exception types without parentheses (PEP 758:
// `except ValueError, TypeError:`); the tree-sitter-python 0.23 grammar that Debian's tree-sitter 0.20 runtime can
// load predates it and takes the list for a syntax error. A file that fails to parse is parsed once more from a
// copy of its bytes in which such a list's top-level commas are `|` — the same length, so every location holds —
// which reads as one exception expression.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ormlint {

// The source with the top-level commas of every unparenthesized `except`/`except*` type list turned into `|`;
// nullopt when it has no such list. A clause with `as` is left alone (PEP 758 requires parentheses there).
std::optional<std::string> with_except_lists_joined(std::string_view source);

}  // namespace ormlint
