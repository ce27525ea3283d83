#include "facts/dialect_chosen.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "core/syntax_tree.h"
#include "facts/expr_builder.h"

namespace ormlint {

namespace {

using Range = std::pair<uint32_t, uint32_t>;  // [start, end) bytes

// `"postgresql"`, or a tuple/list/set of string literals (`in ("postgresql", "cockroachdb")`).
bool names_databases(TSNode node) {
  if (is_kind(node, NodeKind::String)) return true;
  if (!is_kind(node, NodeKind::Tuple) && !is_kind(node, NodeKind::List) && !is_kind(node, NodeKind::Set)) {
    return false;
  }
  bool all_strings = ts_node_named_child_count(node) > 0;
  for_each_named_child(node,
                       [&](TSNode item) { all_strings = all_strings && is_kind(item, NodeKind::String); });
  return all_strings;
}

// What a condition says about the dialect SQLAlchemy compiles for: true for `dialect.name == "postgresql"` /
// `in (...)` (the branch runs on those databases only), false for `!=` / `not in` (the other branch does);
// nullopt for any other test.
std::optional<bool> dialect_test(TSNode condition, const ExprBuilder& exprs) {
  condition = without_parentheses(condition);
  if (!is_type(condition, "comparison_operator") || ts_node_named_child_count(condition) != 2)
    return std::nullopt;
  const std::string_view subject = exprs.slice(ts_node_named_child(condition, 0));
  if (subject != "dialect.name" && !subject.ends_with(".dialect.name")) return std::nullopt;
  if (!names_databases(without_parentheses(ts_node_named_child(condition, 1)))) return std::nullopt;
  const std::string op = exprs.comparison_operator(condition);
  if (op == "==" || op == "in") return true;
  if (op == "!=" || op == "not in") return false;
  return std::nullopt;
}

void add(std::vector<Range>& ranges, TSNode node) {
  if (!ts_node_is_null(node)) ranges.emplace_back(ts_node_start_byte(node), ts_node_end_byte(node));
}

// The branch of an `if` that runs for the databases its test names: the consequence after `==`, the else
// clause after `!=` (when no elif stands between).
void if_branches(TSNode stmt, const ExprBuilder& exprs, std::vector<Range>& ranges) {
  const std::optional<bool> test = dialect_test(field(stmt, "condition"), exprs);
  if (!test) return;
  if (*test) {
    add(ranges, field(stmt, "consequence"));
    return;
  }
  TSNode otherwise{};
  bool elif = false;
  for_each_named_child(stmt, [&](TSNode clause) {
    elif = elif || is_kind(clause, NodeKind::ElifClause);
    if (is_kind(clause, NodeKind::ElseClause)) otherwise = field(clause, "body");
  });
  if (!elif) add(ranges, otherwise);
}

// Every stretch of code that runs for chosen dialects only (see the header).
std::vector<Range> chosen_ranges(TSNode root, const ExprBuilder& exprs) {
  std::vector<Range> ranges;
  walk_subtree(root, [&](TSNode n) {
    switch (kind_of(n)) {
      case NodeKind::FunctionDefinition:
        if (exprs.slice(field(n, "name")) == "load_dialect_impl") add(ranges, field(n, "body"));
        break;
      case NodeKind::IfStatement:
        if_branches(n, exprs, ranges);
        break;
      case NodeKind::ElifClause:
        if (dialect_test(field(n, "condition"), exprs).value_or(false)) add(ranges, field(n, "consequence"));
        break;
      default:
        // `UUID() if dialect.name == "postgresql" else CHAR(32)`: value, test, alternative.
        if (is_type(n, "conditional_expression") && ts_node_named_child_count(n) == 3) {
          if (const auto test = dialect_test(ts_node_named_child(n, 1), exprs)) {
            add(ranges, ts_node_named_child(n, *test ? 0 : 2));
          }
        }
    }
    return true;
  });
  return ranges;
}

// An identifier that reads a name: not the attribute of `x.name`, nor a keyword argument's name.
bool reads_name(TSNode identifier) {
  TSNode parent = ts_node_parent(identifier);
  if (is_kind(parent, NodeKind::Attribute)) return !ts_node_eq(field(parent, "attribute"), identifier);
  if (is_kind(parent, NodeKind::KeywordArgument)) return !ts_node_eq(field(parent, "name"), identifier);
  return true;
}

bool from_dialects(std::string_view dotted) {
  return dotted == "sqlalchemy.dialects" || dotted.starts_with("sqlalchemy.dialects.");
}

}  // namespace

NameSet dialect_chosen_imports(TSNode root, const std::vector<Import>& imports, const ExprBuilder& exprs) {
  std::map<std::string_view, FactText> candidates;
  for (const Import& import : imports) {
    if (!import.is_star && !import.bound_name.empty() &&
        (from_dialects(import.module) || from_dialects(import.origin))) {
      candidates.emplace(import.bound_name, import.bound_name);
    }
  }
  // A module that names no dialect holds no such code: most modules are not walked.
  if (candidates.empty() || exprs.slice(root).find("dialect") == std::string_view::npos) return {};
  const std::vector<Range> ranges = chosen_ranges(root, exprs);
  if (ranges.empty()) return {};
  std::set<std::string_view> chosen, elsewhere;
  walk_subtree(root, [&](TSNode n) {
    const NodeKind kind = kind_of(n);
    if (kind == NodeKind::ImportStatement || kind == NodeKind::ImportFromStatement ||
        kind == NodeKind::FutureImportStatement) {
      return false;
    }
    if (kind != NodeKind::Identifier) return true;
    const std::string_view name = exprs.slice(n);
    if (!candidates.count(name) || !reads_name(n)) return false;
    const uint32_t at = ts_node_start_byte(n);
    const bool inside = std::any_of(ranges.begin(), ranges.end(),
                                    [&](const Range& r) { return r.first <= at && at < r.second; });
    (inside ? chosen : elsewhere).insert(name);
    return false;
  });
  std::vector<FactText> names;
  for (std::string_view name : chosen) {
    if (!elsewhere.count(name)) names.push_back(candidates.at(name));
  }
  return NameSet(std::move(names));
}

}  // namespace ormlint
