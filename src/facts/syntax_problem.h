// The first syntax problem of a parsed file, described for a human.
#pragma once
#include <tree_sitter/api.h>

#include <optional>
#include <string>

#include "core/location.h"
#include "core/source_file.h"

namespace ormlint {

struct SyntaxProblem {
  Location loc;
  std::string message;
};

// The first syntax error in the tree, if any, described for a human: the parse errors tree-sitter recovered from,
// and the constructs its grammar accepts but CPython rejects.
std::optional<SyntaxProblem> find_syntax_problem(TSNode root, const SourceFile& file);

}  // namespace ormlint
