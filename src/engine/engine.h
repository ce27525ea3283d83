// The run: discover files, read and parse each once on a thread pool, build the project model, run the active
// rules, then filter (suppressions, per-file ignores, severities) and sort.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/diagnostic.h"

namespace ormlint {

struct RunOptions {
  std::vector<std::string> paths;  // files and folders; default "."
  unsigned jobs = 0;               // 0: all cores
  Config config;
  std::vector<const Rule*> rules;  // the active rule set
};

struct RunResult {
  std::vector<Diagnostic> diagnostics;  // sorted
  size_t files_checked = 0;
  std::vector<std::string> errors;  // files that could not be read, with the reason ("path: Permission denied")
};

RunResult run(const RunOptions& options);

class Project;
// Discovers, reads and parses the files and builds the project model, without running rules.
// Files that cannot be read are left out and named in `errors`.
std::unique_ptr<Project> load_project(const std::vector<std::string>& paths, const Config& config, unsigned jobs,
                                      std::vector<std::string>& errors);

// Parse-only timing support for bench/: reads and parses the files, builds no facts.
size_t parse_only(const std::vector<std::string>& paths, unsigned jobs);

}  // namespace ormlint
