// `ormlint init [--dry-run] [--profile portable|postgresql]`: writes a starting configuration for the project in
// the current folder — a `[tool.ormlint]` table appended to pyproject.toml when there is one, else a new
// ormlint.toml — with the profile chosen from what the project imports, its Alembic locations noted, and commented
// examples of the other settings. It never changes existing configuration: when some exists it refuses.
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/diagnostic.h"

namespace CLI {
class App;
}

namespace ormlint::cli {

struct InitArgs {
  bool dry_run = false;
  std::string profile;  // "" = detect
  unsigned jobs = 0;
};

// Why init will not write: configuration exists, pyproject.toml does not parse, ... what() says which and what
// to do instead.
class InitRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct InitPlan {
  std::filesystem::path target;  // pyproject.toml or ormlint.toml in the folder
  bool append = false;           // appended to an existing pyproject.toml; otherwise a new file
  std::string text;              // exactly the bytes appended or written
  Profile profile = Profile::Portable;
  std::vector<std::string> reasons;  // why each choice was made, one line each, for the person running init
};

// Adds the `init` subcommand to `app`, filling `args`; returns it so the caller can test `parsed()`.
CLI::App* add_init_command(CLI::App& app, InitArgs& args);
int run_init(const InitArgs& args);

// What init would write in `folder`, after checking the result loads as a configuration. Reads the project's
// Python files (parses them; never runs them). Throws InitRefused.
InitPlan plan_init(const std::filesystem::path& folder, const InitArgs& args);
// Appends to / creates plan.target; a file created meanwhile is never overwritten. Throws InitRefused on failure.
void apply_init(const InitPlan& plan);

}  // namespace ormlint::cli
