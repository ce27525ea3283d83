#include "output/uri.h"

namespace ormlint {

namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

std::string percent_encode_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(path.size());
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || c == '/') {
      encoded += ch;
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  return encoded;
}

std::string file_uri(const std::filesystem::path& absolute_path) {
  std::string path = absolute_path.lexically_normal().generic_string();
  // "file://" + "/abs" gives the empty-authority form "file:///abs" that every SARIF consumer accepts.
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  return "file://" + percent_encode_path(path);
}

std::string directory_file_uri(const std::filesystem::path& directory) {
  std::error_code ec;
  std::filesystem::path absolute = directory.empty() ? std::filesystem::current_path(ec)
                                                     : std::filesystem::absolute(directory, ec);
  if (ec) absolute = directory;
  std::string uri = file_uri(absolute);
  if (uri.back() != '/') uri += '/';
  return uri;
}

}  // namespace ormlint
