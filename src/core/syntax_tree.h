// RAII ownership of tree-sitter objects and the few node helpers the fact builders share.
#pragma once
#include <tree_sitter/api.h>

#include <cstring>
#include <memory>
#include <string_view>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace ormlint {

struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};
using TreeHandle = std::unique_ptr<TSTree, TreeDeleter>;
using ParserHandle = std::unique_ptr<TSParser, ParserDeleter>;

// A Python parser. Not thread-safe: each worker thread owns one.
class PythonParser {
 public:
  PythonParser();
  // Returns null when tree-sitter gave up (timeout).
  TreeHandle parse(std::string_view text, uint64_t timeout_micros) const;

 private:
  ParserHandle parser_;
};

// Walks the children of a node with a cursor (ts_node_child(i) is linear in i, so index loops are quadratic).
class ChildCursor {
 public:
  explicit ChildCursor(TSNode parent) : cursor_(ts_tree_cursor_new(parent)), valid_(ts_tree_cursor_goto_first_child(&cursor_)) {}
  ~ChildCursor() { ts_tree_cursor_delete(&cursor_); }
  ChildCursor(const ChildCursor&) = delete;
  ChildCursor& operator=(const ChildCursor&) = delete;

  bool valid() const { return valid_; }
  TSNode node() const { return ts_tree_cursor_current_node(&cursor_); }
  const char* field() const { return ts_tree_cursor_current_field_name(&cursor_); }
  void next() { valid_ = ts_tree_cursor_goto_next_sibling(&cursor_); }

 private:
  TSTreeCursor cursor_;
  bool valid_;
};

// Calls fn(child, field_name_or_null) for every named child.
template <class Fn>
void for_each_named_child(TSNode parent, Fn&& fn) {
  for (ChildCursor c(parent); c.valid(); c.next()) {
    TSNode child = c.node();
    if (ts_node_is_named(child)) fn(child, c.field());
  }
}

inline bool is_type(TSNode node, const char* type) { return !ts_node_is_null(node) && std::strcmp(ts_node_type(node), type) == 0; }
// The Python grammar's id of a field name, 0 if it has none. A hash lookup: ts_language_field_id_for_name compares
// the name with every field name in turn, and the fact builders ask for fields on nearly every node.
TSFieldId python_field_id(std::string_view name);
inline TSNode field(TSNode node, const char* name) {
  if (TSFieldId id = python_field_id(name)) return ts_node_child_by_field_id(node, id);
  return ts_node_child_by_field_name(node, name, static_cast<uint32_t>(std::strlen(name)));
}

}  // namespace ormlint

namespace ormlint {

// Pre-order walk of a subtree without recursion. fn(node) returns whether to descend into node's children.
template <class Fn>
void walk_subtree(TSNode root, Fn&& fn) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  while (true) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (fn(node) && ts_tree_cursor_goto_first_child(&cursor)) {
      ++depth;
      continue;
    }
    bool moved = false;
    while (depth > 0) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        moved = true;
        break;
      }
      ts_tree_cursor_goto_parent(&cursor);
      --depth;
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&cursor);
}

}  // namespace ormlint
