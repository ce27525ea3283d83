#include "facts/code_tokens.h"

#include <cstring>

#include "core/syntax_tree.h"

namespace ormlint {

std::vector<CodeToken> code_tokens(TSNode root, const SourceFile& source) {
  std::vector<CodeToken> tokens;
  walk_subtree(root, [&](TSNode node) {
    if (is_kind(node, NodeKind::Comment)) return false;
    if (ts_node_child_count(node) == 0) {
      uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
      if (end > start) tokens.push_back(CodeToken{source.slice(start, end), start, end});  // zero-width: layout
      return false;
    }
    return true;
  });
  return tokens;
}

std::optional<CodeToken> first_code_difference(const std::vector<CodeToken>& base, const std::vector<CodeToken>& now) {
  size_t i = 0;
  while (i < base.size() && i < now.size() && base[i].text == now[i].text) ++i;
  if (i < now.size()) return now[i];
  if (i < base.size()) {  // code was removed at the end
    if (now.empty()) return CodeToken{};
    return now.back();
  }
  return std::nullopt;
}

}  // namespace ormlint
