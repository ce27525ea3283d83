#include "core/source_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ormlint {

SourceFile::SourceFile(std::filesystem::path path, std::string display_path, std::string text)
    : path_(std::move(path)), display_path_(std::move(display_path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  line_has_multibyte_.push_back(false);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      line_starts_.push_back(i + 1);
      line_has_multibyte_.push_back(false);
    } else if (static_cast<unsigned char>(text_[i]) >= 0x80) {
      line_has_multibyte_.back() = true;
    }
  }
}

std::string_view SourceFile::slice(uint32_t start_byte, uint32_t end_byte) const {
  start_byte = std::min<uint32_t>(start_byte, text_.size());
  end_byte = std::clamp<uint32_t>(end_byte, start_byte, text_.size());
  return std::string_view(text_).substr(start_byte, end_byte - start_byte);
}

std::string_view SourceFile::line_text(uint32_t line) const {
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

bool SourceFile::looks_binary() const { return text_.find('\0') != std::string::npos; }

std::optional<std::string> read_file_bytes(const std::filesystem::path& path, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return std::nullopt;
  }
  return std::move(buffer).str();
}

}  // namespace ormlint
