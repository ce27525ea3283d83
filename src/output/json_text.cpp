#include "output/json_text.h"

namespace ormlint {

std::string json_text(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string nested_json_text(const nlohmann::ordered_json& value, int depth) {
  const std::string text = json_text(value);
  const std::string indent(static_cast<size_t>(depth) * 2, ' ');
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  // JSON text holds raw newlines only between tokens (a string's are escaped): each starts an indented line.
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

void write_json_array(std::ostream& out, size_t count, int depth,
                      const std::function<nlohmann::ordered_json(size_t)>& element) {
  if (count == 0) {
    out << "[]";
    return;
  }
  const std::string indent(static_cast<size_t>(depth + 1) * 2, ' ');
  for (size_t i = 0; i < count; ++i)
    out << (i == 0 ? "[\n" : ",\n") << indent << nested_json_text(element(i), depth + 1);
  out << '\n' << std::string(static_cast<size_t>(depth) * 2, ' ') << ']';
}

}  // namespace ormlint
