#include "facts/expr_builder.h"

#include <cstring>

#include "core/syntax_tree.h"

namespace ormlint {

namespace {
constexpr size_t kMaxOtherText = 200;  // long source snippets are only for messages; keep them short
}  // namespace

std::string_view ExprBuilder::slice(TSNode node) const {
  return file_.slice(ts_node_start_byte(node), ts_node_end_byte(node));
}

std::string ExprBuilder::comparison_operator(TSNode comparison) const {
  std::string op;
  for (uint32_t i = 0; i < ts_node_child_count(comparison); ++i) {
    TSNode child = ts_node_child(comparison, i);
    if (!ts_node_is_named(child)) op += (op.empty() ? "" : " ") + text(child);
  }
  return op;
}

std::string ExprBuilder::string_content(TSNode node, bool& is_fstring) const {
  std::string content;
  if (is_kind(node, NodeKind::ConcatenatedString)) {
    for_each_named_child(node, [&](TSNode part) {
      bool part_f = false;
      content += string_content(part, part_f);
      is_fstring = is_fstring || part_f;
    });
    return content;
  }
  bool raw = false;
  for_each_named_child(node, [&](TSNode part) {
    if (is_kind(part, NodeKind::StringContent)) {
      content += text(part);
    } else if (is_kind(part, NodeKind::Interpolation)) {
      is_fstring = true;
      content += text(part);
    } else if (is_kind(part, NodeKind::StringStart)) {
      std::string start = text(part);
      if (start.find_first_of("fF") != std::string::npos) is_fstring = true;
      raw = start.find_first_of("rR") != std::string::npos;
    }
  });
  // A backslash ending a line inside the literal continues it: Python drops both (tacker's multi-line SQL,
  // whose `\` was read as a column name). Other escapes stay as written.
  if (!raw && content.find('\\') != std::string::npos) {
    std::string joined;
    joined.reserve(content.size());
    for (size_t i = 0; i < content.size(); ++i) {
      if (content[i] == '\\' && i + 1 < content.size() && content[i + 1] == '\n') {
        ++i;
      } else if (content[i] == '\\' && i + 2 < content.size() && content[i + 1] == '\r' &&
                 content[i + 2] == '\n') {
        i += 2;
      } else {
        joined += content[i];
      }
    }
    content = std::move(joined);
  }
  return content;
}

void ExprBuilder::build_arguments(TSNode arguments, Expr& call, int depth) const {
  if (is_kind(arguments, NodeKind::GeneratorExpression)) {
    call.items.push_back(build(arguments, depth + 1));
    return;
  }
  for_each_named_child(arguments, [&](TSNode arg) {
    if (is_kind(arg, NodeKind::KeywordArgument)) {
      TSNode name = field(arg, "name");
      TSNode value = field(arg, "value");
      if (ts_node_is_null(name) || ts_node_is_null(value)) return;
      call.keywords.push_back(Keyword{kept_text(name), build(value, depth + 1), locate(arg)});
    } else if (is_kind(arg, NodeKind::ListSplat)) {
      // `sa.Enum(*RECORD_TYPES, name="t")`: what is spread may be a module-level list a rule can read. Kept
      // as the keyword `*` (not among the positional arguments, whose positions it would shift); the first
      // only.
      TSNode value = ts_node_named_child(arg, 0);
      if (!ts_node_is_null(value) && !call.keyword(Expr::kListSplat)) {
        call.keywords.push_back(Keyword{FactText(Expr::kListSplat), build(value, depth + 1), locate(arg)});
      }
    } else if (is_kind(arg, NodeKind::Comment) || is_kind(arg, NodeKind::DictionarySplat)) {
      // `**kwargs` carries nothing we can read statically.
    } else {
      call.items.push_back(build(arg, depth + 1));
    }
  });
}

Expr ExprBuilder::build(TSNode node, int depth) const {
  Expr e;
  e.loc = locate(node);
  if (depth > kMaxDepth) {
    e.kind = Expr::Kind::Other;
    e.name = "too-deep";
    return e;
  }
  auto children_into_items = [&](TSNode parent) {
    for_each_named_child(parent, [&](TSNode child) {
      if (!is_kind(child, NodeKind::Comment)) e.items.push_back(build(child, depth + 1));
    });
  };

  NodeKind kind = kind_of(node);
  if (kind == NodeKind::Identifier) {
    e.kind = Expr::Kind::Name;
    e.text = kept_text(node);
    e.name = e.text;
  } else if (kind == NodeKind::Attribute) {
    e.kind = Expr::Kind::Attribute;
    TSNode object = field(node, "object");
    TSNode attribute = field(node, "attribute");
    std::string_view attribute_text = ts_node_is_null(attribute) ? "" : slice(attribute);
    if (!ts_node_is_null(object)) {
      e.target = std::make_unique<Expr>(build(object, depth + 1));
      if (e.target->is_name_like()) {
        // The dotted name is kept once: the attribute is its end.
        e.text = texts_.keep(std::string(e.target->text).append(".").append(attribute_text));
        e.name = FactText(e.text.substr(e.text.size() - attribute_text.size()));
      } else {
        e.text = kept_text(node);
      }
    }
    if (e.name.empty()) e.name = texts_.keep(attribute_text);
  } else if (kind == NodeKind::Call) {
    e.kind = Expr::Kind::Call;
    TSNode function = field(node, "function");
    if (!ts_node_is_null(function)) e.target = std::make_unique<Expr>(build(function, depth + 1));
    TSNode arguments = field(node, "arguments");
    if (!ts_node_is_null(arguments)) build_arguments(arguments, e, depth);
    if (e.target) e.text = texts_.keep(e.target->text + "(...)");
  } else if (kind == NodeKind::String || kind == NodeKind::ConcatenatedString) {
    e.kind = Expr::Kind::String;
    e.text = texts_.keep(string_content(node, e.is_fstring));
  } else if (kind == NodeKind::Integer || kind == NodeKind::Float) {
    e.kind = Expr::Kind::Number;
    e.text = kept_text(node);
  } else if (kind == NodeKind::True || kind == NodeKind::False) {
    e.kind = Expr::Kind::Bool;
    e.text = kind == NodeKind::True ? FactText("True") : FactText("False");
  } else if (kind == NodeKind::None) {
    e.kind = Expr::Kind::None;
    e.text = "None";
  } else if (kind == NodeKind::List || kind == NodeKind::Tuple || kind == NodeKind::ExpressionList ||
             kind == NodeKind::Set) {
    e.kind = kind == NodeKind::List  ? Expr::Kind::List
             : kind == NodeKind::Set ? Expr::Kind::Set
                                     : Expr::Kind::Tuple;
    children_into_items(node);
  } else if (kind == NodeKind::Dictionary) {
    e.kind = Expr::Kind::Dict;
    for_each_named_child(node, [&](TSNode pair) {
      if (!is_kind(pair, NodeKind::Pair)) return;
      TSNode key = field(pair, "key");
      TSNode value = field(pair, "value");
      if (ts_node_is_null(key) || ts_node_is_null(value)) return;
      e.items.push_back(build(key, depth + 1));
      e.items.push_back(build(value, depth + 1));
    });
  } else if (kind == NodeKind::ParenthesizedExpression || kind == NodeKind::Type) {
    // Parentheses and annotation wrappers add nothing: use the inner expression.
    TSNode inner = ts_node_named_child(node, 0);
    if (!ts_node_is_null(inner) && !is_kind(inner, NodeKind::Comment)) return build(inner, depth + 1);
  } else if (kind == NodeKind::Lambda) {
    e.kind = Expr::Kind::Lambda;
    TSNode body = field(node, "body");
    if (!ts_node_is_null(body)) e.target = std::make_unique<Expr>(build(body, depth + 1));
  } else if (kind == NodeKind::Subscript) {
    e.kind = Expr::Kind::Subscript;
    for (ChildCursor c(node); c.valid(); c.next()) {
      TSNode child = c.node();
      const char* f = c.field();
      if (!f || !ts_node_is_named(child)) continue;
      if (std::strcmp(f, "value") == 0) e.target = std::make_unique<Expr>(build(child, depth + 1));
      if (std::strcmp(f, "subscript") == 0) e.items.push_back(build(child, depth + 1));
    }
  } else if (kind == NodeKind::GenericType) {
    // `Mapped[int]` in an annotation: same shape as a subscript.
    e.kind = Expr::Kind::Subscript;
    for_each_named_child(node, [&](TSNode child) {
      if (is_kind(child, NodeKind::TypeParameter)) {
        children_into_items(child);
      } else if (!e.target) {
        e.target = std::make_unique<Expr>(build(child, depth + 1));
      }
    });
  } else if (kind == NodeKind::BinaryOperator || kind == NodeKind::UnionType) {
    e.kind = Expr::Kind::BinaryOp;
    TSNode op = field(node, "operator");
    e.name = ts_node_is_null(op) ? FactText("|") : kept_text(op);
    children_into_items(node);
  } else {
    e.kind = Expr::Kind::Other;
    e.name = FactText(std::string_view(ts_node_type(node)));  // the grammar's static names
    children_into_items(node);
  }
  if (e.text.empty() && e.kind != Expr::Kind::String) {
    uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    e.text = texts_.keep(file_.slice(start, std::min<uint32_t>(end, start + kMaxOtherText)));
  }
  // The facts of every file stay in memory for the whole run: no growth slack is kept.
  e.items.shrink_to_fit();
  e.keywords.shrink_to_fit();
  return e;
}

}  // namespace ormlint
