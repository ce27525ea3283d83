// relative_inside: the string-only fast path must answer exactly as the lexical path arithmetic does.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/paths.h"

namespace fs = std::filesystem;
using ormlint::relative_inside;

namespace {

// The reference: what relative_inside answered before it had a fast path.
std::optional<std::string> by_path_arithmetic(const fs::path& path, const fs::path& folder) {
  auto normalised = [](const fs::path& p) {
    fs::path result = fs::absolute(p).lexically_normal();
    if (!result.has_filename() && result.has_relative_path()) result = result.parent_path();
    return result;
  };
  const fs::path relative = normalised(path).lexically_relative(normalised(folder));
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative.generic_string();
}

}  // namespace

TEST_CASE("relative_inside agrees with path arithmetic", "[paths]") {
  const std::string cwd = fs::current_path().string();
  const std::vector<std::string> paths = {
      "a/b.py", "a", "ab/c.py", "a/b/c.py", ".", "./a/b.py", "a/../b.py", "a//b.py", "a/b/", "../z.py",
      "/", "/x", "/x/y.py", "/xy/z", cwd, cwd + "/a/b.py", cwd + "/../q", "a/./b.py", "./.", "././a/b.py", ".//a"};
  const std::vector<std::string> folders = {".", "a", "a/b", "ab", "./a", "a/", "..", "/", "/x", cwd, cwd + "/a", cwd + "/"};
  for (const auto& path : paths) {
    for (const auto& folder : folders) {
      INFO("path " << path << ", folder " << folder);
      CHECK(relative_inside(path, folder) == by_path_arithmetic(path, folder));
    }
  }
}

TEST_CASE("relative_inside on the common cases", "[paths]") {
  CHECK(relative_inside("app/models/user.py", ".") == "app/models/user.py");
  CHECK(relative_inside("app/models/user.py", "app") == "models/user.py");
  CHECK(relative_inside("app", "app") == ".");
  CHECK(relative_inside("application/x.py", "app") == std::nullopt);
  CHECK(relative_inside("/srv/app/x.py", "/srv") == "app/x.py");
  CHECK(relative_inside("x.py", fs::current_path()) == "x.py");
}
