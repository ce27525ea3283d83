#include "core/syntax_tree.h"

#include <stdexcept>
#include <unordered_map>

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

TreeHandle PythonParser::parse(std::string_view text, uint64_t timeout_micros) const {
  ts_parser_reset(parser_.get());
  ts_parser_set_timeout_micros(parser_.get(), timeout_micros);
  return TreeHandle(ts_parser_parse_string(parser_.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
}

}  // namespace ormlint
