#include "core/paths.h"

namespace ormlint {

namespace fs = std::filesystem;

namespace {

std::string& cached_working_directory() {
  static std::string cwd = [] {
    std::error_code ec;
    return fs::current_path(ec).native();
  }();
  return cwd;
}

// Absolute and normalised, without a trailing separator ("/a/b/" would add an empty element that
// lexically_relative does not skip).
fs::path normalised(const fs::path& path) {
  fs::path result = (path.is_absolute() ? path : fs::path(working_directory()) / path).lexically_normal();
  if (!result.has_filename() && result.has_relative_path()) result = result.parent_path();
  return result;
}

// A relative path with no ".", ".." or empty components ("app/models/user.py"): already normal, so two such
// paths compare as they are. Display paths are almost always like this.
bool plain_relative(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  size_t start = 0;
  while (true) {
    size_t end = path.find('/', start);
    std::string_view part = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

// `path` made absolute by plain string work when that is safe ("/a/b", "a/b" or "." with a plain working
// directory); nullopt when it needs lexical normalisation.
std::optional<std::string> plain_absolute(std::string_view path) {
  if (path == "/") return std::string(path);
  if (!path.empty() && path.front() == '/') {
    if (plain_relative(path.substr(1))) return std::string(path);
    return std::nullopt;
  }
  while (path.substr(0, 2) == "./") path.remove_prefix(2);  // how discovery joins "." and a file name
  if (path != "." && !plain_relative(path)) return std::nullopt;
  const std::string& cwd = working_directory();
  if (cwd.empty() || (cwd != "/" && !plain_relative(std::string_view(cwd).substr(1)))) return std::nullopt;
  if (path == ".") return cwd;
  return (cwd == "/" ? "" : cwd) + "/" + std::string(path);
}

}  // namespace

std::optional<std::string> relative_inside(const fs::path& path, const fs::path& folder) {
  // The common case by string work alone: fs::absolute and lexically_normal allocate a path per component,
  // and runs ask this for every file and every finding.
  if (auto full = plain_absolute(path.native())) {
    if (auto base = plain_absolute(folder.native())) {
      if (*full == *base) return ".";
      const size_t skip = *base == "/" ? 1 : base->size() + 1;
      if (full->size() > skip && full->compare(0, base->size(), *base) == 0 && (*base == "/" || (*full)[base->size()] == '/')) {
        return full->substr(skip);
      }
      return std::nullopt;
    }
  }
  const fs::path relative = normalised(path).lexically_relative(normalised(folder));
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative.generic_string();
}

const std::string& working_directory() { return cached_working_directory(); }

void change_working_directory(const fs::path& dir) {
  fs::current_path(dir);
  cached_working_directory() = fs::current_path().native();
}

}  // namespace ormlint
