#include "core/except_lists.h"

#include <cctype>
#include <vector>

namespace ormlint {

namespace {

bool is_identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whether `source[at]` starts the keyword `except` as the first word of a line.
bool starts_except_clause(std::string_view source, size_t at) {
  constexpr std::string_view kKeyword = "except";
  if (source.compare(at, kKeyword.size(), kKeyword) != 0) return false;
  const size_t after = at + kKeyword.size();
  return after < source.size() && !is_identifier_char(source[after]);
}

// The positions of the commas at bracket depth 0 between an `except` keyword (at `at`) and the colon ending its
// header; empty when the header has none, uses `as`, or does not end on its line (an unparenthesized list cannot
// continue on the next one; stopping there also keeps the scan linear in the file, whatever brackets it leaves
// open).
std::vector<size_t> top_level_commas(std::string_view source, size_t at) {
  std::vector<size_t> commas;
  int depth = 0;
  for (size_t i = at + 6; i < source.size(); ++i) {
    const char c = source[i];
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (--depth < 0) return {};
    } else if (c == ',' && depth == 0) {
      commas.push_back(i);
    } else if (c == ':' && depth == 0) {
      return commas;
    } else if (c == '\n' || c == '#' || c == '"' || c == '\'') {
      return {};  // no colon on this line, or a comment or string in the header: not a plain type list
    } else if (depth == 0 && source.compare(i, 2, "as") == 0 && !is_identifier_char(source[i - 1]) &&
               (i + 2 >= source.size() || !is_identifier_char(source[i + 2]))) {
      return {};
    }
  }
  return {};
}

}  // namespace

std::optional<std::string> with_except_lists_joined(std::string_view source) {
  std::optional<std::string> joined;
  size_t line = 0;
  while (line < source.size()) {
    size_t at = line;
    while (at < source.size() && (source[at] == ' ' || source[at] == '\t')) ++at;
    if (starts_except_clause(source, at)) {
      for (size_t comma : top_level_commas(source, at)) {
        if (!joined) joined.emplace(source);
        (*joined)[comma] = '|';
      }
    }
    const size_t end = source.find('\n', at);
    if (end == std::string_view::npos) break;
    line = end + 1;
  }
  return joined;
}

}  // namespace ormlint
