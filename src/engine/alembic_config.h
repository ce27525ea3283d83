// Where Alembic keeps a project's revision scripts, read from alembic.ini (`script_location`,
// `version_locations`, `version_path_separator`) and from `[tool.alembic]` in pyproject.toml.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace ormlint {

struct ScriptLocation {
  std::string source;                             // the file that names it ("alembic.ini"), for messages
  std::vector<std::filesystem::path> version_dirs;  // absolute, normalised; together they form one revision graph
  // The environment folder (`script_location`, holding env.py), when a plain folder; empty otherwise.
  std::filesystem::path script_dir;
  bool recursive = false;  // `recursive_version_locations = true`: scripts in sub-folders belong to it too
};

// Reads one alembic.ini / pyproject.toml. Files without Alembic settings, or that cannot be parsed, give nothing:
// they are the user's files for another tool, never a reason to fail the run.
std::vector<ScriptLocation> read_script_locations(const std::filesystem::path& file);

// The alembic.ini and pyproject.toml files that configure the checked paths: inside checked folders (skipping the
// same folders as Python discovery) and in the folders above each checked path.
std::vector<std::filesystem::path> find_alembic_configs(const std::vector<std::string>& paths);

}  // namespace ormlint
