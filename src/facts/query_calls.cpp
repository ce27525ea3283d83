#include "facts/query_calls.h"

#include <array>
#include <string>

#include "core/source_file.h"
#include "core/syntax_tree.h"
#include "facts/expr_builder.h"

namespace ormlint {

namespace {

constexpr std::array<std::string_view, 9> kSqlExpressionCalls = {"where", "filter", "having", "and_",     "or_",
                                                                  "not_",  "case",   "join",   "outerjoin"};

// The name a call is made by: `f` of `f(...)`, `m` of `x.m(...)`; "" otherwise. `", ".join(...)` is the string
// method, never a query's.
std::string_view callee_name(TSNode call, const ExprBuilder& exprs) {
  TSNode function = field(call, "function");
  if (ts_node_is_null(function)) return {};
  if (is_kind(function, NodeKind::Identifier)) return exprs.slice(function);
  if (!is_kind(function, NodeKind::Attribute)) return {};
  TSNode object = field(function, "object");
  if (ts_node_is_null(object) || is_kind(object, NodeKind::String)) return {};
  TSNode attribute = field(function, "attribute");
  return ts_node_is_null(attribute) ? std::string_view() : exprs.slice(attribute);
}

// A module that calls none of them by name holds no query call, and is not walked.
bool may_hold_query_calls(std::string_view text) {
  for (std::string_view name : kSqlExpressionCalls) {
    for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
      if (at + name.size() < text.size() && text[at + name.size()] == '(') return true;
    }
  }
  return false;
}

}  // namespace

bool takes_sql_expressions(std::string_view callee) {
  for (std::string_view name : kSqlExpressionCalls) {
    if (callee == name) return true;
  }
  return false;
}

std::vector<Expr> query_calls(TSNode root, const SourceFile& file, const ExprBuilder& exprs) {
  std::vector<Expr> calls;
  if (!may_hold_query_calls(file.text())) return calls;
  walk_subtree(root, [&](TSNode node) {
    if (!is_kind(node, NodeKind::Call) || !takes_sql_expressions(callee_name(node, exprs))) return true;
    calls.push_back(exprs.build(node));
    return false;
  });
  return calls;
}

}  // namespace ormlint
