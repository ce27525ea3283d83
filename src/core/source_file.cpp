#include "core/source_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>


#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace ormlint {

namespace {

// Whether any byte of `bytes` is outside ASCII, eight bytes at a time: the index is built for every file a run
// reads, cached or not.
bool has_non_ascii(std::string_view bytes) {
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  size_t i = 0;
  uint64_t seen = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, 8);
    seen |= word;
  }
  for (; i < bytes.size(); ++i) seen |= static_cast<unsigned char>(bytes[i]);
  return (seen & kHighBits) != 0;
}

}  // namespace

SourceFile::SourceFile(std::filesystem::path path, std::string display_path, std::string text)
    : path_(std::move(path)), display_path_(std::move(display_path)), text_(std::move(text)) {
  index_lines();
}

SourceFile SourceFile::deferred(std::filesystem::path path, std::string display_path) {
  return SourceFile(std::move(path), std::move(display_path));
}

void SourceFile::read_deferred() const {
  std::string error;
  if (auto bytes = read_file_bytes(path_, error)) text_ = std::move(*bytes);
  index_lines();
}

void SourceFile::index_lines() const {
  const std::string_view bytes = text_;
  size_t start = 0;
  while (true) {
    line_starts_.push_back(static_cast<uint32_t>(start));
    const size_t newline = bytes.find('\n', start);
    const size_t end = newline == std::string_view::npos ? bytes.size() : newline;
    line_has_multibyte_.push_back(has_non_ascii(bytes.substr(start, end - start)));
    if (newline == std::string_view::npos) break;
    start = newline + 1;
  }
}

std::string_view SourceFile::slice(uint32_t start_byte, uint32_t end_byte) const {
  load();
  start_byte = std::min<uint32_t>(start_byte, text_.size());
  end_byte = std::clamp<uint32_t>(end_byte, start_byte, text_.size());
  return std::string_view(text_).substr(start_byte, end_byte - start_byte);
}

std::string_view SourceFile::line_text(uint32_t line) const {
  load();
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  return slice(start, end);
}

uint32_t SourceFile::line_of(uint32_t byte) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte);
  return static_cast<uint32_t>(it - line_starts_.begin());
}

uint32_t SourceFile::column_of(uint32_t line, uint32_t byte) const {
  uint32_t start = line_starts_[line - 1];
  // Pure-ASCII lines (nearly all Python) map bytes to columns directly; this keeps huge lines linear.
  if (!line_has_multibyte_[line - 1]) return std::min<uint32_t>(byte, text_.size()) - start + 1;
  uint32_t column = 1;
  for (uint32_t i = start; i < byte && i < text_.size(); ++i) {
    // Count code points: every byte that is not a UTF-8 continuation byte starts one.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

Location SourceFile::locate(uint32_t start_byte, uint32_t end_byte) const {
  load();
  Location loc;
  loc.start_byte = start_byte;
  loc.end_byte = end_byte;
  loc.line = line_of(start_byte);
  loc.column = column_of(loc.line, start_byte);
  loc.end_line = line_of(end_byte);
  loc.end_column = column_of(loc.end_line, end_byte);
  return loc;
}

std::optional<uint32_t> SourceFile::first_invalid_utf8() const {
  load();
  const auto* s = reinterpret_cast<const unsigned char*>(text_.data());
  size_t n = text_.size(), i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
    } else {
      return static_cast<uint32_t>(i);
    }
    if (i + len > n) return static_cast<uint32_t>(i);
    uint32_t cp = c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return static_cast<uint32_t>(i);
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return static_cast<uint32_t>(i);
    i += len;
  }
  return std::nullopt;
}

bool SourceFile::looks_binary() const {
  load();
  return text_.find('\0') != std::string::npos;
}

namespace {

// The deepest nesting CPython accepts (Parser/tokenizer.c, MAXLEVEL and MAXINDENT): deeper is a SyntaxError there too.
constexpr size_t kMaxBracketDepth = 200;
constexpr size_t kMaxIndentLevels = 99;
// The tree-sitter runtime of Debian 12 (0.20.7) keeps a node's child count in 16 bits: a node with 65,536 children
// or more corrupts the heap and aborts the process (fixed upstream in 0.20.8, "Fix integer size of subtree's child
// count field"). Error recovery makes one ERROR node of everything pending on the parse stack, and comments become
// children of the node around them, so a run of tokens that no comma or statement end closes — `x = - - ... 1`,
// `[[[[...` left open, `a = a = ... =`, 65,536 comment lines in a row (valid Python) — must stay well below that.
constexpr uint32_t kMaxPendingTokens = 50'000;

// Letters, digits, `_` and any non-ASCII byte (identifiers may be Unicode): a table, as this runs over every byte.
constexpr auto kIdentifierChars = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
  }
  return table;
}();
bool is_identifier_char(unsigned char c) { return kIdentifierChars[c]; }

bool is_string_prefix(std::string_view word) {
  return word.size() <= 2 && word.find_first_not_of("rRbBuUfF") == std::string_view::npos;
}

// The offset just past the string literal whose opening quote is at `i`.
size_t skip_string(std::string_view s, size_t i) {
  const char quote = s[i];
  const bool triple = i + 2 < s.size() && s[i + 1] == quote && s[i + 2] == quote;
  i += triple ? 3 : 1;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\\') {
      i += 2;
    } else if (c == quote && (!triple || (i + 2 < s.size() && s[i + 1] == quote && s[i + 2] == quote))) {
      return i + (triple ? 3 : 1);
    } else if (c == '\n' && !triple) {
      return i;  // unterminated: the tokenizer stops at the line end
    } else {
      ++i;
    }
  }
  return s.size();
}

}  // namespace

std::optional<ParserLimitProblem> exceeds_parser_limits(std::string_view s) {
  const size_t n = s.size();
  // Per open bracket level (the file itself is level 0): tokens since the last comma / statement end, where that
  // run started, and where the bracket opened.
  std::vector<uint32_t> pending{0}, run_start{0}, opened_at{0};
  uint32_t total_pending = 0;
  std::vector<uint32_t> indents{0};
  bool line_start = true;      // at the first byte of a physical line that starts a logical line
  bool line_has_code = false;  // the logical line holds a token other than a comment
  auto count_token = [&](size_t at) {
    if (pending.back()++ == 0) run_start.back() = static_cast<uint32_t>(at);
    ++total_pending;
  };
  auto end_run = [&] {
    total_pending -= pending.back();
    pending.back() = 0;
  };
  auto too_many_pending = [&] {
    const std::string limit = std::to_string(kMaxPendingTokens);
    if (pending.size() > 1) {
      // Inside brackets: most likely one that is never closed, so point at the outermost open one.
      return ParserLimitProblem{opened_at[1], "this `" + std::string(1, s[opened_at[1]]) + "` is followed by more than " +
                                                  limit + " tokens (or comment lines) with no comma between them "
                                                  "(is it closed?): too many for the parser, so this file is not "
                                                  "checked"};
    }
    return ParserLimitProblem{run_start[0], "more than " + limit +
                                                " tokens (or comment lines) in a row with no statement end between "
                                                "them: too many for the parser, so this file is not checked"};
  };
  size_t i = 0;
  while (i < n) {
    if (total_pending > kMaxPendingTokens) return too_many_pending();
    if (line_start) {
      line_start = false;
      if (pending.size() == 1) {
        size_t j = i;
        uint32_t column = 0;
        for (; j < n; ++j) {
          if (s[j] == ' ') {
            ++column;
          } else if (s[j] == '\t') {
            column = (column / 8 + 1) * 8;
          } else if (s[j] == '\f') {
            column = 0;
          } else {
            break;
          }
        }
        // Blank and comment-only lines do not indent.
        if (j < n && s[j] != '\n' && s[j] != '\r' && s[j] != '#') {
          if (column > indents.back()) {
            indents.push_back(column);
            if (indents.size() - 1 > kMaxIndentLevels) {
              return ParserLimitProblem{static_cast<uint32_t>(j),
                                  "more than " + std::to_string(kMaxIndentLevels) +
                                      " levels of indentation: Python rejects this too (\"too many levels of "
                                      "indentation\")"};
            }
          } else {
            while (indents.size() > 1 && column < indents.back()) indents.pop_back();
          }
        }
        i = j;
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      if (pending.size() == 1 && line_has_code) {
        end_run();  // NEWLINE: the statement ends
        line_has_code = false;
      }
      line_start = true;
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
      ++i;
    } else if (c == '\\' && i + 1 < n && (s[i + 1] == '\n' || (s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n'))) {
      i += s[i + 1] == '\n' ? 2 : 3;  // explicit line joining: the logical line goes on
    } else if (c == '#') {
      count_token(i);  // a comment is a child of the node being built, like any token
      size_t end = s.find('\n', i);
      i = end == std::string_view::npos ? n : end;
    } else if (c == '"' || c == '\'') {
      count_token(i);
      line_has_code = true;
      i = skip_string(s, i);
    } else if (is_identifier_char(c)) {
      count_token(i);
      line_has_code = true;
      size_t start = i;
      bool number = c >= '0' && c <= '9';
      while (i < n) {
        unsigned char d = static_cast<unsigned char>(s[i]);
        if (is_identifier_char(d) || (number && d == '.')) {
          ++i;
        } else if (number && (d == '+' || d == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E') &&
                   !(i - start > 1 && (s[start + 1] == 'x' || s[start + 1] == 'X'))) {
          ++i;  // an exponent's sign: 1e-5
        } else {
          break;
        }
      }
      if (!number && i < n && (s[i] == '"' || s[i] == '\'') && is_string_prefix(s.substr(start, i - start))) {
        i = skip_string(s, i);  // r"...", b'...', f"""..."""
      }
    } else if (c == '(' || c == '[' || c == '{') {
      count_token(i);
      line_has_code = true;
      if (pending.size() > kMaxBracketDepth) {
        return ParserLimitProblem{static_cast<uint32_t>(i),
                            "brackets nested more than " + std::to_string(kMaxBracketDepth) +
                                " deep: Python rejects this too (\"too many nested parentheses\")"};
      }
      pending.push_back(0);
      run_start.push_back(static_cast<uint32_t>(i));
      opened_at.push_back(static_cast<uint32_t>(i));
      ++i;
    } else if (c == ')' || c == ']' || c == '}') {
      line_has_code = true;
      if (pending.size() > 1) {
        end_run();  // the bracketed expression is one subtree now, counted by its opening bracket
        pending.pop_back();
        run_start.pop_back();
        opened_at.pop_back();
      } else {
        count_token(i);  // an unmatched closing bracket
      }
      ++i;
    } else if (c == ',' || c == ';') {
      line_has_code = true;
      end_run();
      ++i;
    } else {
      count_token(i);  // operators, one character at a time (`---1` is three tokens)
      line_has_code = true;
      ++i;
    }
  }
  if (total_pending > kMaxPendingTokens) return too_many_pending();
  return std::nullopt;
}

std::optional<std::string> read_file_bytes(const std::filesystem::path& path, std::string& error) {
  // One open, one fstat and (usually) one read into a buffer of the right size: runs read thousands of files.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  if (S_ISDIR(info.st_mode)) {
    error = "is a directory";
    return std::nullopt;
  }
  std::string bytes;
  // The size is a hint (a FIFO or a file that grows while read has another): read until the end either way.
  bytes.resize(S_ISREG(info.st_mode) && info.st_size > 0 ? static_cast<size_t>(info.st_size) + 1 : 4096);
  size_t filled = 0;
  while (true) {
    if (filled == bytes.size()) bytes.resize(bytes.size() * 2);
    ssize_t got = ::read(fd, bytes.data() + filled, bytes.size() - filled);
    if (got < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      return std::nullopt;
    }
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  bytes.resize(filled);
  return bytes;
}

}  // namespace ormlint
