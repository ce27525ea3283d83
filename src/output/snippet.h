// The source excerpt under a terminal diagnostic: the flagged line made safe to print, and where its carets go.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/location.h"

namespace ormlint {

struct Snippet {
  std::string text;          // the line to print: tabs expanded, control characters replaced, maybe truncated
  size_t caret_offset = 0;   // display cells before the first caret
  size_t caret_count = 1;    // always at least one
};

// Lines wider than this many display cells are cut to a window around the carets (marked with "..."), so a
// minified 3 MB line cannot flood the terminal.
inline constexpr size_t kMaxSnippetWidth = 200;

// Columns in `loc` are 1-based code points of `line` (as the engine counts them: every byte that is not a UTF-8
// continuation byte starts one). Carets run from loc.column to loc.end_column on the same line, or to the end
// of the line when the span continues onto later lines. Every code point takes one display cell, except tabs,
// which advance to the next multiple of kTabWidth.
Snippet render_snippet(std::string_view line, const Location& loc);

inline constexpr size_t kTabWidth = 4;

// Replaces terminal control characters (C0, DEL, C1 — escape sequences in a file name or message could
// otherwise drive the terminal) and malformed UTF-8 with U+FFFD; keeps everything else as is.
std::string sanitize_for_terminal(std::string_view text);

}  // namespace ormlint
