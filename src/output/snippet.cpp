#include "output/snippet.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace ormlint {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "...";
// Display cells kept before the first caret when a long line is truncated.
constexpr size_t kContextBefore = 60;

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// A code point as the engine counts columns: a byte that is not a continuation byte, plus the continuation
// bytes after it. Continuation bytes at the very start belong to no code point (starts_code_point false).
struct Glyph {
  std::string_view bytes;
  bool starts_code_point = true;
};

template <class F>
void for_each_glyph(std::string_view text, F&& visit) {
  size_t i = 0;
  while (i < text.size()) {
    size_t next = i + 1;
    while (next < text.size() && is_continuation(static_cast<unsigned char>(text[next]))) ++next;
    visit(Glyph{text.substr(i, next - i), !is_continuation(static_cast<unsigned char>(text[i]))});
    i = next;
  }
}

std::optional<char32_t> decode(std::string_view bytes) {
  auto lead = static_cast<unsigned char>(bytes[0]);
  size_t length;
  char32_t min;
  if (lead < 0x80) return lead;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (bytes.size() != length) return std::nullopt;
  char32_t cp = lead & (0xFF >> (length + 1));
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(bytes[k]) & 0x3F);
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return cp;
}

// Characters that change what the terminal does rather than print: C0/C1 controls and DEL, plus the Unicode
// line separators and bidirectional overrides/isolates (which can make printed code read differently from
// what it is — "Trojan Source").
bool is_unsafe(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// What to print for a glyph that is not a tab: its own bytes when they are valid and harmless, else U+FFFD.
std::string_view printable(const Glyph& glyph) {
  if (!glyph.starts_code_point) return kReplacement;
  std::optional<char32_t> cp = decode(glyph.bytes);
  if (!cp || is_unsafe(*cp)) return kReplacement;
  return glyph.bytes;
}

bool is_tab(const Glyph& glyph) { return glyph.bytes == "\t"; }

size_t advance(const Glyph& glyph, size_t display_column) {
  return is_tab(glyph) ? kTabWidth - display_column % kTabWidth : 1;
}

}  // namespace

std::string sanitize_for_terminal(std::string_view text) {
  std::string safe;
  safe.reserve(text.size());
  for_each_glyph(text, [&](const Glyph& glyph) { safe += is_tab(glyph) ? glyph.bytes : printable(glyph); });
  return safe;
}

Snippet render_snippet(std::string_view line, const Location& loc) {
  // Pass 1: display cells of the caret span, and of the whole line.
  const size_t first_index = loc.column > 0 ? loc.column - 1 : 0;
  const bool same_line = loc.end_line == loc.line;
  const size_t end_index = same_line && loc.end_column > 0 ? loc.end_column - 1 : 0;
  std::optional<size_t> start_cell, end_cell;
  size_t code_points = 0, total = 0;
  for_each_glyph(line, [&](const Glyph& glyph) {
    if (glyph.starts_code_point) {
      if (code_points == first_index) start_cell = total;
      if (same_line && code_points == end_index) end_cell = total;
      ++code_points;
    }
    total += advance(glyph, total);
  });
  // A column past the end of the line (a span at the line break, or at the end of the file) points just after it.
  const size_t start = start_cell.value_or(total);
  size_t end = start + 1;
  if (same_line && loc.end_column > loc.column) end = end_cell.value_or(total);
  if (loc.end_line > loc.line) end = total;
  end = std::max(end, start + 1);

  // Choose the window of cells to print.
  size_t window_start = 0, window_end = total;
  if (total > kMaxSnippetWidth) {
    window_start = start > kContextBefore ? start - kContextBefore : 0;
    window_end = std::min(total, window_start + kMaxSnippetWidth);
    if (window_end - window_start < kMaxSnippetWidth) window_start = window_end - kMaxSnippetWidth;
  }

  // Pass 2: print the cells inside the window.
  Snippet snippet;
  if (window_start > 0) snippet.text += kEllipsis;
  size_t cell = 0;
  for_each_glyph(line, [&](const Glyph& glyph) {
    const size_t width = advance(glyph, cell);
    const size_t from = std::max(cell, window_start), to = std::min(cell + width, window_end);
    if (from < to) {
      // A tab straddling the window edge prints only its visible spaces.
      if (is_tab(glyph)) {
        snippet.text.append(to - from, ' ');
      } else {
        snippet.text += printable(glyph);
      }
    }
    cell += width;
  });
  if (window_end < total) snippet.text += kEllipsis;

  snippet.caret_offset = (window_start > 0 ? kEllipsis.size() : 0) + (start - window_start);
  const size_t caret_end = std::max(std::min(end, window_end), start + 1);
  snippet.caret_count = caret_end - start;
  return snippet;
}

}  // namespace ormlint
