// SourceFile's line index: byte offsets to 1-based lines and code-point columns.
#include "core/source_file.h"

#include <catch2/catch.hpp>

namespace ormlint {
namespace {

TEST_CASE("source file: lines and code-point columns", "[source_file]") {
  // Line 2 has a two-byte character past the first eight bytes (the index reads eight bytes at a time); line 3
  // is ASCII; the text ends with a line break, so a fourth, empty line follows.
  const std::string text = "x = 1\nname = 'Zoë'  # café\ny = 2\n";
  const SourceFile file("f.py", "f.py", text);
  CHECK(file.line_count() == 4);
  CHECK(file.line_text(2) == "name = 'Zoë'  # café");
  CHECK(file.line_text(4).empty());

  const uint32_t hash = static_cast<uint32_t>(text.find('#'));
  const Location comment = file.locate(hash, static_cast<uint32_t>(text.find('\n', hash)));
  CHECK(comment.line == 2);
  CHECK(comment.column == 15);  // "name = 'Zoë'  " is 14 code points (15 bytes)
  CHECK(comment.end_line == 2);
  CHECK(comment.end_column == 21);

  const uint32_t y = static_cast<uint32_t>(text.find('y'));
  const Location ascii = file.locate(y, y + 1);
  CHECK(ascii.line == 3);
  CHECK(ascii.column == 1);
  CHECK(ascii.end_column == 2);
}

TEST_CASE("source file: a file without a final line break, and an empty file", "[source_file]") {
  const SourceFile last("f.py", "f.py", "a\nbé");
  CHECK(last.line_count() == 2);
  CHECK(last.locate(4, 4).column == 3);  // after "bé": two code points
  const SourceFile empty("e.py", "e.py", "");
  CHECK(empty.line_count() == 1);
  CHECK(empty.locate(0, 0).line == 1);
}

}  // namespace
}  // namespace ormlint
