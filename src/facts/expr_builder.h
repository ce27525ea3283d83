// Converts tree-sitter expression nodes into Expr values. Depth-limited, so pathological nesting (a 3 MB line of
// brackets) costs a bounded amount of work and stack.
#pragma once
#include <tree_sitter/api.h>

#include <string>

#include "core/source_file.h"
#include "facts/expr.h"

namespace ormlint {

class ExprBuilder {
 public:
  static constexpr int kMaxDepth = 200;  // CPython's own parser rejects deeper bracket nesting

  // Texts of the built expressions are kept in `texts` (the facts' store).
  ExprBuilder(const SourceFile& file, TextStore& texts) : file_(file), texts_(texts) {}

  Expr build(TSNode node) const { return build(node, 0); }
  Location locate(TSNode node) const { return file_.locate(ts_node_start_byte(node), ts_node_end_byte(node)); }
  std::string text(TSNode node) const { return std::string(slice(node)); }
  std::string_view slice(TSNode node) const;  // the node's source text, as long as the source
  FactText kept_text(TSNode node) const { return texts_.keep(slice(node)); }
  FactText keep(std::string_view text) const { return texts_.keep(text); }
  // A comparison's operator as written, its tokens joined by one space: `==`, `in`, `not in`, `is not`.
  std::string comparison_operator(TSNode comparison) const;
  // The unquoted content of a string node, and whether it has interpolations (f-string).
  std::string string_content(TSNode node, bool& is_fstring) const;

 private:
  Expr build(TSNode node, int depth) const;
  void build_arguments(TSNode arguments, Expr& call, int depth) const;

  const SourceFile& file_;
  TextStore& texts_;
};

}  // namespace ormlint
