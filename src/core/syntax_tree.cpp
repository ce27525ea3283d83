#include "core/syntax_tree.h"

#include <stdexcept>

namespace ormlint {

PythonParser::PythonParser() : parser_(ts_parser_new()) {
  if (!parser_ || !ts_parser_set_language(parser_.get(), tree_sitter_python())) {
    throw std::runtime_error("the tree-sitter Python grammar is not compatible with this tree-sitter runtime");
  }
}

TreeHandle PythonParser::parse(std::string_view text, uint64_t timeout_micros) const {
  ts_parser_reset(parser_.get());
  ts_parser_set_timeout_micros(parser_.get(), timeout_micros);
  return TreeHandle(ts_parser_parse_string(parser_.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
}

}  // namespace ormlint
