// One file's bytes, read once, with the line index that turns byte offsets into line/column positions. A file whose
// facts came from the cache (engine/facts_cache.h, by its size and times) is read only if something asks for its
// bytes — a snippet, a rule reading its lines — so that a warm run does not read the whole project.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/location.h"

namespace ormlint {

class SourceFile {
 public:
  // display_path is what diagnostics show (relative to the working directory where possible).
  SourceFile(std::filesystem::path path, std::string display_path, std::string text);
  // The file at `path`, read on first use (thread-safe); a file that can no longer be read reads as empty.
  static SourceFile deferred(std::filesystem::path path, std::string display_path);

  const std::filesystem::path& path() const { return path_; }
  const std::string& display_path() const { return display_path_; }
  const std::string& text() const {
    load();
    return text_;
  }
  std::string_view slice(uint32_t start_byte, uint32_t end_byte) const;
  std::string_view line_text(uint32_t line) const;  // 1-based, without the line break
  uint32_t line_count() const {
    load();
    return static_cast<uint32_t>(line_starts_.size());
  }

  // Byte offset -> 1-based line and code-point column.
  Location locate(uint32_t start_byte, uint32_t end_byte) const;

  // The first byte offset that is not valid UTF-8, if any.
  std::optional<uint32_t> first_invalid_utf8() const;
  bool looks_binary() const;  // contains a NUL byte, as git's own heuristic


 private:
  SourceFile(std::filesystem::path path, std::string display_path) : path_(std::move(path)),
      display_path_(std::move(display_path)), unread_(std::make_unique<std::once_flag>()) {}
  void load() const {
    if (unread_) std::call_once(*unread_, [this] { read_deferred(); });
  }
  void read_deferred() const;
  void index_lines() const;
  uint32_t line_of(uint32_t byte) const;
  uint32_t column_of(uint32_t line, uint32_t byte) const;

  std::filesystem::path path_;
  std::string display_path_;
  // Filled at construction, or by the first load() of a deferred file (then `unread_` guards them).
  mutable std::string text_;
  mutable std::vector<uint32_t> line_starts_;
  mutable std::vector<bool> line_has_multibyte_;
  std::unique_ptr<std::once_flag> unread_;  // null once constructed with the bytes
};

// Source the tree-sitter runtime must never be given, found by one quick tokenizer pass (strings and comments
// skipped): nesting deeper than CPython allows, or a run of tokens long enough to overflow the runtime's 16-bit
// child count (see source_file.cpp). Where the problem starts and what it is; nullopt for any ordinary source.
struct ParserLimitProblem {
  uint32_t byte;
  std::string message;
};
std::optional<ParserLimitProblem> exceeds_parser_limits(std::string_view text);

// Reads a whole file. On failure returns nullopt and sets `error` to a human-readable reason.
std::optional<std::string> read_file_bytes(const std::filesystem::path& path, std::string& error);

}  // namespace ormlint
