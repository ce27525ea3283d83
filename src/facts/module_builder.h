// Turns one parsed file into ModuleFacts. Pure function of the syntax tree and the source bytes.
#pragma once
#include <tree_sitter/api.h>

#include <optional>
#include <string>

#include "core/source_file.h"
#include "facts/module_facts.h"

namespace ormlint {

struct SyntaxProblem {
  Location loc;
  std::string message;
};

// module_key is the file's dotted module path ("app.models.user"), used to make relative imports absolute.
// is_package is true for __init__.py files.
ModuleFacts build_module_facts(TSNode root, const SourceFile& file, const std::string& module_key, bool is_package);

// Only the comments (for suppressions), from a tree that may hold syntax errors.
std::vector<Comment> collect_comments(TSNode root, const SourceFile& file);

class ExprBuilder;
// Name, location and body shape of a `def` node.
FunctionDef describe_function(TSNode def, const ExprBuilder& exprs);

// The first syntax error in the tree, if any, described for a human.
std::optional<SyntaxProblem> find_syntax_problem(TSNode root, const SourceFile& file);

}  // namespace ormlint
