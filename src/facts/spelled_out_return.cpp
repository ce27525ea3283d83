#include "facts/spelled_out_return.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/syntax_tree.h"

namespace ormlint {

namespace {

// Locals by name; nullopt for a name bound more than once (its value is then unknown).
using Locals = std::map<std::string, std::optional<Expr>, std::less<>>;

class SpelledOut {
 public:
  SpelledOut(const ExprBuilder& exprs, const Locals& locals) : exprs_(exprs), locals_(locals) {}

  Expr value(TSNode node) const {
    if (std::optional<Expr> parts = fstring_parts(node)) return std::move(*parts);
    Expr e = exprs_.build(node);
    substitute(e);
    return e;
  }

 private:
  // Every name bound to a known local becomes (a copy of) the local's value, itself spelled out already.
  void substitute(Expr& root) const {
    root.walk_mutable([&](Expr& e) {
      if (e.kind != Expr::Kind::Name) return;
      auto it = locals_.find(std::string_view(e.text));
      if (it != locals_.end() && it->second) e = *it->second;
    });
  }

  // f"tbl_{name}" as "tbl_" + name; nullopt for any other node, and for an f-string with a conversion (`!r`),
  // a format spec or an escaped brace, whose text is not the plain concatenation.
  std::optional<Expr> fstring_parts(TSNode node) const {
    if (!is_kind(node, NodeKind::String)) return std::nullopt;
    std::vector<Expr> parts;
    bool interpolated = false;
    bool plain = true;
    for_each_named_child(node, [&](TSNode part) {
      if (!plain) return;
      if (is_kind(part, NodeKind::StringContent)) {
        std::string_view text = exprs_.slice(part);
        if (text.find_first_of("{}\\") != std::string_view::npos) plain = false;
        Expr literal;
        literal.kind = Expr::Kind::String;
        literal.text = exprs_.keep(text);
        literal.loc = exprs_.locate(part);
        parts.push_back(std::move(literal));
      } else if (is_kind(part, NodeKind::Interpolation)) {
        interpolated = true;
        TSNode expression = field(part, "expression");
        if (ts_node_is_null(expression) || ts_node_named_child_count(part) != 1) {
          plain = false;  // `{x!r}`, `{x:>8}`
          return;
        }
        parts.push_back(value(expression));
      }
    });
    if (!interpolated || !plain || parts.empty()) return std::nullopt;
    Expr joined = std::move(parts.front());
    for (size_t i = 1; i < parts.size(); ++i) {
      Expr sum;
      sum.kind = Expr::Kind::BinaryOp;
      sum.name = "+";
      sum.text = exprs_.kept_text(node);
      sum.loc = exprs_.locate(node);
      sum.items.push_back(std::move(joined));
      sum.items.push_back(std::move(parts[i]));
      joined = std::move(sum);
    }
    return joined;
  }

  const ExprBuilder& exprs_;
  const Locals& locals_;
};

// `name = <expr>` with a single name target: the name and the value node.
std::optional<std::pair<TSNode, TSNode>> simple_assignment(TSNode stmt) {
  if (!is_kind(stmt, NodeKind::ExpressionStatement) || ts_node_named_child_count(stmt) != 1)
    return std::nullopt;
  TSNode assignment = ts_node_named_child(stmt, 0);
  if (!is_kind(assignment, NodeKind::Assignment)) return std::nullopt;
  TSNode left = field(assignment, "left");
  TSNode right = field(assignment, "right");
  if (!is_kind(left, NodeKind::Identifier) || ts_node_is_null(right)) return std::nullopt;
  return std::pair{left, right};
}

}  // namespace

std::optional<Expr> spelled_out_return(TSNode body, const ExprBuilder& exprs) {
  Locals locals;
  bool substituting = true;
  std::optional<Expr> returned;
  for_each_named_child(body, [&](TSNode stmt) {
    if (returned) return;
    if (is_kind(stmt, NodeKind::ReturnStatement)) {
      TSNode value = ts_node_named_child(stmt, 0);
      if (ts_node_is_null(value)) return;
      returned = substituting ? SpelledOut(exprs, locals).value(value) : exprs.build(value);
      return;
    }
    if (auto assignment = simple_assignment(stmt)) {
      std::string name = exprs.text(assignment->first);
      auto [it, first] = locals.try_emplace(name);
      if (first) {
        it->second = SpelledOut(exprs, locals).value(assignment->second);
      } else {
        it->second.reset();
      }
      return;
    }
    // Another statement may bind a name in ways these steps do not follow (a loop, a branch, a `with`):
    // from here on, names stay as written.
    bool harmless = is_kind(stmt, NodeKind::Comment) || is_kind(stmt, NodeKind::PassStatement) ||
                    is_kind(stmt, NodeKind::ImportStatement) ||
                    is_kind(stmt, NodeKind::ImportFromStatement) ||
                    (is_kind(stmt, NodeKind::ExpressionStatement) &&
                     !is_kind(ts_node_named_child(stmt, 0), NodeKind::Assignment) &&
                     !is_kind(ts_node_named_child(stmt, 0), NodeKind::AugmentedAssignment));
    if (!harmless) substituting = false;
  });
  return returned;
}

}  // namespace ormlint
