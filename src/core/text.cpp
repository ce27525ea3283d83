#include "core/text.h"

namespace ormlint {

std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    // No space just inside brackets: `Column(\n    JSON,\n)` -> `Column(JSON,)`.
    if (space && !(c == ')' || c == ']' || out.back() == '(' || out.back() == '[')) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace ormlint
