#include "core/paths.h"

namespace ormlint {

namespace fs = std::filesystem;

namespace {

// Absolute and normalised, without a trailing separator ("/a/b/" would add an empty element that
// lexically_relative does not skip).
fs::path normalised(const fs::path& path) {
  std::error_code ec;
  fs::path result = fs::absolute(path, ec).lexically_normal();
  if (!result.has_filename() && result.has_relative_path()) result = result.parent_path();
  return result;
}

}  // namespace

std::optional<std::string> relative_inside(const fs::path& path, const fs::path& folder) {
  const fs::path relative = normalised(path).lexically_relative(normalised(folder));
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative.generic_string();
}

}  // namespace ormlint
