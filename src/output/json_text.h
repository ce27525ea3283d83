// JSON text as nlohmann::json's dump(2) lays it out, written piece by piece: the reports (JSON, SARIF) stream
// their findings one at a time instead of building one document of thousands of them, byte for byte as the
// whole document's dump would be.
#pragma once
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

namespace ormlint {

// dump(indent) with invalid UTF-8 (paths are bytes on Linux, messages may quote source text) replaced by
// U+FFFD instead of an exception that would lose the whole report.
std::string json_text(const nlohmann::ordered_json& value, int indent = 2);

// `value` as dump(2) prints it nested `depth` levels deep: every line after the first indented 2 * depth
// more.
std::string nested_json_text(const nlohmann::ordered_json& value, int depth);

// An array nested `depth` levels deep, as dump(2) prints it, its `count` elements made one at a time by
// `element(i)`: a report's thousands of findings never exist as one document.
void write_json_array(std::ostream& out, size_t count, int depth,
                      const std::function<nlohmann::ordered_json(size_t)>& element);
// The same, each element written as text by `element(i, text)` (into an empty string), e.g. with
// JsonObjectText.
void write_json_array(std::ostream& out, size_t count, int depth,
                      const std::function<void(size_t, std::string&)>& element);

// An object of string and number members nested `depth` levels deep, written as dump(2) prints it: a flat
// record (a finding of the JSON report) without building a document for it. Members come in the order
// written.
class JsonObjectText {
 public:
  JsonObjectText(std::string& out, int depth);
  JsonObjectText& member(std::string_view key, std::string_view value);
  JsonObjectText& member(std::string_view key, uint64_t value);
  void close();

 private:
  void key(std::string_view name);
  std::string& out_;
  std::string indent_;  // of the members
  bool empty_ = true;
};

}  // namespace ormlint
