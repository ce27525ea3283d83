// Turns one parsed file into ModuleFacts. Pure function of the syntax tree and the source bytes.
#pragma once
#include <tree_sitter/api.h>

#include <optional>
#include <string>

#include "core/source_file.h"
#include "facts/module_facts.h"
#include "facts/syntax_problem.h"  // SyntaxProblem and find_syntax_problem, long declared here

namespace ormlint {

// module_key is the file's dotted module path ("app.models.user"), used to make relative imports absolute.
// is_package is true for __init__.py files.
ModuleFacts build_module_facts(TSNode root, const SourceFile& file, const std::string& module_key, bool is_package);

// Facts holding only the comments (for suppressions), from a tree that may hold syntax errors.
ModuleFacts comments_only_facts(TSNode root, const SourceFile& file);

class ExprBuilder;
// Name, location and body shape of a `def` node.
FunctionDef describe_function(TSNode def, const ExprBuilder& exprs);
// The parameters of a `def` node's `parameters` field, in order.
std::vector<Parameter> describe_parameters(TSNode parameters, const ExprBuilder& exprs);

}  // namespace ormlint
