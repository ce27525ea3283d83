// Which files a run reads: explicit files always, folders recursively minus the usual non-source folders.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "engine/config.h"

namespace ormlint {

struct DiscoveredFile {
  std::filesystem::path path;  // as found
  std::string display_path;    // relative to the working directory when inside it, '/'-separated
  std::string module_path;     // relative to the project folder (for the module name); "" = display_path
};

struct Discovery {
  std::vector<DiscoveredFile> files;  // sorted by display path, no duplicates
  std::vector<std::string> errors;    // "path: reason" for arguments that do not exist or cannot be read
  // Folders left out as project templates (`{{cookiecutter.project_slug}}/`: Jinja, not Python yet), display
  // paths: a run says so, or checking a cookiecutter repository would report "All checks passed" on nothing.
  std::vector<std::string> skipped_templates;
};

Discovery discover_files(const std::vector<std::string>& paths, const Config& config);

// How a path is shown: relative to the working directory when inside it, else absolute; '/'-separated.
std::string display_path_for(const std::filesystem::path& path);
bool is_python_file(const std::filesystem::path& path);
// What config patterns (exclude, per-file-ignores) are matched against: the path relative to config.root when
// inside it, else the display path itself.
std::string relative_to_root(const std::string& display_path, const Config& config);
// Whether config's `exclude` patterns cover a file (display path).
bool is_excluded(const std::string& display_path, const Config& config);
// Whether a display path is one of `scope` (display paths of files or folders) or inside one of its folders.
bool in_scope(const std::string& display_path, const std::vector<std::string>& scope);

// "app/models/user.py" -> "app.models.user"; "app/models/__init__.py" -> "app.models".
std::string module_key_for(const std::string& display_path);

}  // namespace ormlint
