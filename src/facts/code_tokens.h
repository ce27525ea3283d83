// A file's code as a token sequence, comments and formatting aside: two versions of a file have the same code
// when their sequences are equal. Used to tell where a changed file's code (not just its comments) first
// differs from its base version.
#pragma once
#include <optional>
#include <string_view>
#include <tree_sitter/api.h>
#include <vector>

#include "core/source_file.h"

namespace ormlint {

struct CodeToken {
  std::string_view text;  // points into the SourceFile's text
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  bool quote = false;  // a string's opening or closing quote (with its prefix)
};

// What a formatter changes is not code: comments, layout, the quote character of a string (`'x'` / `"x"`) and
// a trailing comma before a closing bracket (not a tuple's).
std::vector<CodeToken> code_tokens(TSNode root, const SourceFile& source);
// Whether two tokens are the same code (quotes compared by kind, not character).
bool same_code_token(const CodeToken& a, const CodeToken& b);

// The first token of `now` that differs from `base` (or where `now` ends early: its last token); nullopt when
// the code is the same.
std::optional<CodeToken> first_code_difference(const std::vector<CodeToken>& base, const std::vector<CodeToken>& now);

}  // namespace ormlint
