#include "output/json_text.h"

#include <algorithm>

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
  write_json_array(out, count, depth,
                   [&](size_t i, std::string& text) { text = nested_json_text(element(i), depth + 1); });
}

void write_json_array(std::ostream& out, size_t count, int depth,
                      const std::function<void(size_t, std::string&)>& element) {
  if (count == 0) {
    out << "[]";
    return;
  }
  const std::string indent(static_cast<size_t>(depth + 1) * 2, ' ');
  std::string text;
  for (size_t i = 0; i < count; ++i) {
    text.clear();
    element(i, text);
    out << (i == 0 ? "[\n" : ",\n") << indent << text;
  }
  out << '\n' << std::string(static_cast<size_t>(depth) * 2, ' ') << ']';
}

namespace {

// A string as dump() writes it. Printable ASCII other than `"` and `\` is written as it is, as dump() would;
// anything else (escapes, UTF-8, invalid bytes) goes through nlohmann's own serializer.
void append_json_string(std::string& out, std::string_view value) {
  const bool plain = std::all_of(value.begin(), value.end(),
                                 [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
  if (!plain) {
    out += json_text(nlohmann::ordered_json(std::string(value)), -1);
    return;
  }
  out += '"';
  out += value;
  out += '"';
}

}  // namespace

JsonObjectText::JsonObjectText(std::string& out, int depth)
    : out_(out), indent_(static_cast<size_t>(depth + 1) * 2, ' ') {
  out_ += '{';
}

void JsonObjectText::key(std::string_view name) {
  out_ += empty_ ? "\n" : ",\n";
  empty_ = false;
  out_ += indent_;
  append_json_string(out_, name);
  out_ += ": ";
}

JsonObjectText& JsonObjectText::member(std::string_view name, std::string_view value) {
  key(name);
  append_json_string(out_, value);
  return *this;
}

JsonObjectText& JsonObjectText::member(std::string_view name, uint64_t value) {
  key(name);
  out_ += std::to_string(value);
  return *this;
}

void JsonObjectText::close() {
  if (!empty_) {
    out_ += '\n';
    out_.append(indent_.size() - 2, ' ');
  }
  out_ += '}';
}

}  // namespace ormlint
