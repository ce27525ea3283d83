#include "core/syntax_tree.h"

#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ormlint {

PythonParser::PythonParser() : parser_(ts_parser_new()) {
  if (!parser_ || !ts_parser_set_language(parser_.get(), tree_sitter_python())) {
    throw std::runtime_error("the tree-sitter Python grammar is not compatible with this tree-sitter runtime");
  }
}

TSFieldId python_field_id(std::string_view name) {
  // Built once (thread-safe static initialisation), read-only afterwards. The names are the grammar's own strings.
  static const std::unordered_map<std::string_view, TSFieldId> ids = [] {
    std::unordered_map<std::string_view, TSFieldId> map;
    const TSLanguage* language = tree_sitter_python();
    uint32_t count = ts_language_field_count(language);
    for (uint32_t id = 1; id <= count; ++id) {
      if (const char* field_name = ts_language_field_name_for_id(language, static_cast<TSFieldId>(id))) {
        map.emplace(field_name, static_cast<TSFieldId>(id));
      }
    }
    return map;
  }();
  auto it = ids.find(name);
  return it == ids.end() ? 0 : it->second;
}

namespace {

// The cursors of one thread: in_use are on loan (innermost last), the rest wait to be reset and lent again.
class CursorPool {
 public:
  CursorPool() = default;
  CursorPool(const CursorPool&) = delete;
  CursorPool& operator=(const CursorPool&) = delete;
  ~CursorPool() {
    for (auto& cursor : cursors_) ts_tree_cursor_delete(cursor.get());
  }

  TSTreeCursor* lend(TSNode node) {
    if (in_use_ == cursors_.size()) {
      // Held by pointer: earlier loans must stay where they are when the vector grows.
      cursors_.push_back(std::make_unique<TSTreeCursor>(ts_tree_cursor_new(node)));
    } else {
      ts_tree_cursor_reset(cursors_[in_use_].get(), node);
    }
    return cursors_[in_use_++].get();
  }
  void give_back() { --in_use_; }

 private:
  std::vector<std::unique_ptr<TSTreeCursor>> cursors_;
  size_t in_use_ = 0;
};

CursorPool& thread_cursor_pool() {
  thread_local CursorPool pool;
  return pool;
}

NodeTypeInfo describe_type(const char* name) {
  NodeTypeInfo info;
  if (!name) return info;
  std::string_view type = name;
#define ORMLINT_NODE_KIND_MATCH(kind_name, type_name) \
  if (type == type_name) info.kind = NodeKind::kind_name;
  ORMLINT_NODE_KINDS(ORMLINT_NODE_KIND_MATCH)
#undef ORMLINT_NODE_KIND_MATCH
  if (type.ends_with("_statement")) info.suffix |= kSuffixStatement;
  if (type.ends_with("_definition")) info.suffix |= kSuffixDefinition;
  if (type.ends_with("_clause")) info.suffix |= kSuffixClause;
  return info;
}

}  // namespace

PooledCursor::PooledCursor(TSNode node) : cursor_(thread_cursor_pool().lend(node)) {}
PooledCursor::~PooledCursor() { thread_cursor_pool().give_back(); }

const NodeTypeTable& node_type_table() {
  // Built once (thread-safe static initialisation), read-only afterwards. Indexed by ts_node_symbol, whose name is
  // what ts_node_type returns.
  static const std::vector<NodeTypeInfo> infos = [] {
    const TSLanguage* language = tree_sitter_python();
    std::vector<NodeTypeInfo> by_symbol(ts_language_symbol_count(language));
    for (uint32_t symbol = 0; symbol < by_symbol.size(); ++symbol) {
      by_symbol[symbol] = describe_type(ts_language_symbol_name(language, static_cast<TSSymbol>(symbol)));
    }
    return by_symbol;
  }();
  static const NodeTypeTable table = [] {
    const TSLanguage* language = tree_sitter_python();
    return NodeTypeTable{infos.data(), static_cast<uint32_t>(infos.size()),
                         describe_type(ts_language_symbol_name(language, static_cast<TSSymbol>(-1))),
                         describe_type(ts_language_symbol_name(language, static_cast<TSSymbol>(-2)))};
  }();
  return table;
}

TreeHandle PythonParser::parse(std::string_view text, uint64_t timeout_micros) const {
  ts_parser_reset(parser_.get());
  ts_parser_set_timeout_micros(parser_.get(), timeout_micros);
  return TreeHandle(ts_parser_parse_string(parser_.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
}

}  // namespace ormlint
