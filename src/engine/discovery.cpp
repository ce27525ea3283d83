#include "engine/discovery.h"

#include <algorithm>
#include <set>
#include <system_error>

#include "core/paths.h"

namespace ormlint {

namespace fs = std::filesystem;

namespace {

// Folders that hold no code of the project's own: VCS data, virtualenvs, caches, dependencies, build output.
const std::set<std::string, std::less<>> kSkippedFolders = {
    ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", "node_modules", "__pycache__", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ormlint_cache", "build", "dist", "site-packages", ".eggs", "_build", ".direnv"};

// A project template (cookiecutter, copier: `{{cookiecutter.project_slug}}`): Jinja source, not Python yet.
bool is_template_folder(const fs::path& dir) {
  std::string name = dir.filename().string();
  return name.find("{{") != std::string::npos && name.find("}}") != std::string::npos;
}

bool is_skipped_folder(const fs::path& dir) {
  std::string name = dir.filename().string();
  if (kSkippedFolders.count(name)) return true;
  if (name.size() > 9 && name.compare(name.size() - 9, 9, ".egg-info") == 0) return true;
  if (is_template_folder(dir)) return true;
  std::error_code ec;
  return fs::exists(dir / "pyvenv.cfg", ec);  // a virtualenv under any name
}


}  // namespace

bool is_python_file(const fs::path& path) {
  std::string ext = path.extension().string();
  return ext == ".py" || ext == ".pyi";
}

std::string display_path_for(const fs::path& path) {
  if (auto relative = relative_inside(path, working_directory())) return *relative;
  std::error_code ec;
  return fs::absolute(path, ec).lexically_normal().generic_string();
}

std::string relative_to_root(const std::string& display_path, const Config& config) {
  return relative_inside(display_path, config.root).value_or(display_path);
}

bool is_excluded(const std::string& display_path, const Config& config) {
  std::string relative = relative_to_root(display_path, config);
  for (const auto& pattern : config.exclude) {
    if (path_matches(relative, pattern)) return true;
  }
  return false;
}

bool in_scope(const std::string& display_path, const std::vector<std::string>& scope) {
  for (const std::string& entry : scope) {
    if (entry == ".") {
      if (display_path.empty() || display_path[0] != '/') return true;  // absolute: outside the working directory
      continue;
    }
    if (entry == display_path) return true;
    std::string folder = entry.back() == '/' ? entry : entry + "/";
    if (display_path.compare(0, folder.size(), folder) == 0) return true;
    // A folder outside the working directory that holds it (`ormlint check ..` from a subfolder): the paths
    // shown relative to the working directory are all inside it.
    if (entry[0] == '/' && !display_path.empty() && display_path[0] != '/') {
      const std::string& cwd = working_directory();
      if (cwd == entry || cwd.compare(0, folder.size(), folder) == 0) return true;
    }
  }
  return false;
}

std::string module_key_for(const std::string& display_path) {
  std::string key = display_path;
  while (key.rfind("./", 0) == 0) key = key.substr(2);
  if (!key.empty() && key[0] == '/') key = key.substr(1);
  for (const char* suffix : {".pyi", ".py"}) {
    size_t n = std::char_traits<char>::length(suffix);
    if (key.size() >= n && key.compare(key.size() - n, n, suffix) == 0) {
      key.resize(key.size() - n);
      break;
    }
  }
  std::replace(key.begin(), key.end(), '/', '.');
  const std::string init = "__init__";
  if (key == init) return "";
  if (key.size() > init.size() && key.compare(key.size() - init.size() - 1, init.size() + 1, "." + init) == 0) {
    key.resize(key.size() - init.size() - 1);
  }
  return key;
}

Discovery discover_files(const std::vector<std::string>& paths, const Config& config) {
  Discovery result;
  std::set<std::string> seen;
  auto excluded = [&](const std::string& display) { return is_excluded(display, config); };
  auto add = [&](const fs::path& path) {
    std::string display = display_path_for(path);
    if (excluded(display) || !seen.insert(display).second) return;
    result.files.push_back(DiscoveredFile{path, display, {}});
  };

  for (const std::string& arg : paths) {
    fs::path path(arg);
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec) {
      result.errors.push_back(arg + ": " + ec.message());
      continue;
    }
    if (fs::is_regular_file(status)) {
      add(path);  // explicit files are checked whatever their extension
      continue;
    }
    if (!fs::is_directory(status)) {
      result.errors.push_back(arg + ": not a regular file or folder");
      continue;
    }
    // Symlinked folders are not followed (no loops); symlinked files are read like any file.
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      result.errors.push_back(arg + ": " + ec.message());
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        result.errors.push_back(it->path().generic_string() + ": " + ec.message());
        ec.clear();
        continue;
      }
      const fs::directory_entry& entry = *it;
      std::error_code entry_ec;
      if (entry.is_directory(entry_ec) && !entry.is_symlink(entry_ec)) {
        if (is_skipped_folder(entry.path()) || excluded(display_path_for(entry.path()) + "/")) {
          if (is_template_folder(entry.path()) && !excluded(display_path_for(entry.path()) + "/")) {
            result.skipped_templates.push_back(display_path_for(entry.path()) + "/");
          }
          it.disable_recursion_pending();
        } else if (std::error_code open_ec; fs::directory_iterator(entry.path(), open_ec), open_ec) {
          // skip_permission_denied would pass over a folder we may not list without a word: name it, as an
          // unreadable file is named.
          result.errors.push_back(entry.path().generic_string() + ": " + open_ec.message());
          it.disable_recursion_pending();
        }
        continue;
      }
      if (!is_python_file(entry.path())) continue;
      if (!entry.is_regular_file(entry_ec)) {
        if (entry.is_symlink(entry_ec)) {
          result.errors.push_back(entry.path().generic_string() + ": broken or looping symbolic link");
        }
        continue;
      }
      add(entry.path());
    }
  }
  std::sort(result.files.begin(), result.files.end(),
            [](const DiscoveredFile& a, const DiscoveredFile& b) { return a.display_path < b.display_path; });
  return result;
}

}  // namespace ormlint
