#include "facts/code_tokens.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include "core/syntax_tree.h"

namespace ormlint {

namespace {

// A comma a formatter adds or removes without changing the code: before the closing bracket of a call, a
// parameter list, a list, a dict, a set or an import list (black's "magic trailing comma"). Not in a tuple:
// `(x,)` is a tuple, `(x)` is not.
bool optional_trailing_comma(TSNode comma) {
  const TSNode next = ts_node_next_sibling(comma);
  if (ts_node_is_null(next)) return false;
  const std::string_view closing = ts_node_type(next);
  if (closing != ")" && closing != "]" && closing != "}") return false;
  const std::string_view parent = ts_node_type(ts_node_parent(comma));
  return parent != "tuple" && parent != "tuple_pattern" && parent != "parenthesized_expression";
}

// A string's opening or closing quote (with its prefix: `f"`, `rb'''`), compared without the quote character
// or the prefix's case: `'x'` and `"x"` are the same string.
std::string normalised_quote(std::string_view text) {
  std::string out;
  for (char c : text) {
    out += c == '\'' ? '"' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::vector<CodeToken> code_tokens(TSNode root, const SourceFile& source) {
  std::vector<CodeToken> tokens;
  walk_subtree(root, [&](TSNode node) {
    if (is_kind(node, NodeKind::Comment)) return false;
    if (ts_node_child_count(node) == 0) {
      uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
      if (end <= start) return false;  // zero-width: layout
      const std::string_view type = ts_node_type(node);
      if (type == "," && optional_trailing_comma(node)) return false;
      const bool quote = type == "string_start" || type == "string_end";
      tokens.push_back(CodeToken{source.slice(start, end), start, end, quote});
      return false;
    }
    return true;
  });
  return tokens;
}

bool same_code_token(const CodeToken& a, const CodeToken& b) {
  if (a.quote && b.quote) return normalised_quote(a.text) == normalised_quote(b.text);
  return a.quote == b.quote && a.text == b.text;
}

std::optional<CodeToken> first_code_difference(const std::vector<CodeToken>& base, const std::vector<CodeToken>& now) {
  size_t i = 0;
  while (i < base.size() && i < now.size() && same_code_token(base[i], now[i])) ++i;
  if (i < now.size()) return now[i];
  if (i < base.size()) {  // code was removed at the end
    if (now.empty()) return CodeToken{};
    return now.back();
  }
  return std::nullopt;
}

}  // namespace ormlint
