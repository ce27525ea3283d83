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
};

struct Discovery {
  std::vector<DiscoveredFile> files;  // sorted by display path, no duplicates
  std::vector<std::string> errors;    // "path: reason" for arguments that do not exist or cannot be read
};

Discovery discover_files(const std::vector<std::string>& paths, const Config& config);

// "app/models/user.py" -> "app.models.user"; "app/models/__init__.py" -> "app.models".
std::string module_key_for(const std::string& display_path);

}  // namespace ormlint
