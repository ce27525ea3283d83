// From the command line to what `ormlint check` reads and reports: the paths given are what is reported on, the
// project they belong to is read for context (bases defined elsewhere, the revision graph, the foreign-key
// graph), and --staged / --changed-since / --stdin-filename narrow the report and replace file contents.
#pragma once
#include <filesystem>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/engine.h"

namespace ormlint::cli {

struct SourceArgs {
  std::vector<std::string> paths;
  bool staged = false;
  std::string changed_since;   // "" when not given
  std::string stdin_filename;  // "" when not given
};

// The folder whose files make up the project that `start` belongs to: the configuration file's folder when there
// is one, else the nearest folder above `start` holding pyproject.toml, setup.cfg, setup.py, alembic.ini or .git
// (an alembic.ini inside a package counts only when nothing above it does, and then for the folder holding the
// package); nullopt when there is none.
std::optional<std::filesystem::path> project_root(const std::filesystem::path& start, const Config& config);

// Exactly the files under `paths` (default "."), for commands that show the model of what they are given
// (`models`, `graph`): modules are named from the project folder, as `check` names them, so `from app.base import
// Base` resolves when they run inside app/.
ProjectSources sources_under(const std::vector<std::string>& paths, const Config& config);

// Throws ConfigError for a bad combination and git::GitError when git cannot answer.
// `while_asking_git`, when given and git is asked (--staged, --changed-since), runs on this thread while git
// answers, with the sources as known before (paths, project folder): work that does not wait for git's
// answers.
ProjectSources resolve_sources(const SourceArgs& args, const Config& config, std::istream& stdin_stream,
                               const std::function<void(const ProjectSources&)>& while_asking_git = {});

}  // namespace ormlint::cli
