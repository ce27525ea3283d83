// The run: discover files, read and parse each once on a thread pool, build the project model, run the active
// rules, then filter (suppressions, per-file ignores, severities) and sort.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/config.h"
#include "engine/diagnostic.h"
#include "engine/discovery.h"

namespace ormlint {

class FactsCache;
struct ProjectFile;

// A changed file as it was in the base commit of a git-aware run.
struct BaseVersion {
  std::string path;                    // display path now; "" when the file was deleted
  std::string base_path;               // display path in the base; "" when the file was added
  std::optional<std::string> content;  // the base version; nullopt when added
};

// What a run reads: files and folders on disk, and what replaces the disk for some of them.
struct ProjectSources {
  std::vector<std::string> paths;  // files and folders read (the project); default "."
  // The project's folder, when known: module names (`app.models.user`) are taken relative to it. Otherwise they
  // are taken relative to the working directory.
  std::optional<std::string> project_root;
  // Content to read instead of the disk, by display path (the index in staged mode, an editor's buffer). A path
  // here belongs to the project even when it is missing on disk, if it lies within `paths`.
  std::map<std::string, std::string> contents;
  // When set, only these display paths belong to the project (staged mode: the files in the index).
  std::optional<std::set<std::string>> only;
  // Files and folders (ending in '/') left out unless named in `paths`: what git ignores (build output, local
  // environments), as display paths.
  std::vector<std::string> ignored;
  // When set, findings are shown only for files within these (display paths of files or folders); the others
  // are read as context (bases, the revision graph, the foreign-key graph).
  std::optional<std::vector<std::string>> report_scope;
  // Where the facts cache lives (engine/facts_cache.h); unset: no cache, every file is parsed.
  std::optional<std::filesystem::path> cache_folder;
  // Git-aware runs: the base commit's name and every changed file's base version.
  std::optional<std::string> base_name;
  std::optional<std::string> base_commit;  // its commit id (staged mode: HEAD's), when there is one
  std::vector<BaseVersion> base_versions;
};

struct PreloadedFiles;

struct RunOptions : ProjectSources {
  unsigned jobs = 0;  // 0: all cores
  Config config;
  std::vector<const Rule*> rules;  // the active rule set
  // Files whose facts were decoded from the cache while git answered (preload_cached_files); the run takes
  // those it reads from disk. Null: none.
  PreloadedFiles* preloaded = nullptr;
};

class Project;
// Lets RunResult own a Project where Project is an incomplete type.
struct ProjectDeleter {
  void operator()(const Project* project) const;
};

struct RunResult {
  std::vector<Diagnostic> diagnostics;  // sorted
  size_t files_checked = 0;  // files whose findings are shown
  std::vector<std::string> errors;  // files that could not be read, with the reason ("path: Permission denied")
  std::vector<std::string> warnings;  // problems that do not change the findings (the facts cache not written)
  // The project model the run built (for callers that look further; the CLI leaves it to the process exit).
  std::unique_ptr<const Project, ProjectDeleter> project;
  size_t baseline_hidden = 0;  // known findings the baseline matched and left out of `diagnostics` (engine/baseline.h)
};

RunResult run(const RunOptions& options);

// Discovers, reads and parses the files and builds the project model, without running rules.
// Files that cannot be read are left out and named in `errors`; `warnings` receives what does not change the
// project (a facts cache that could not be written).
std::unique_ptr<Project> load_project(const ProjectSources& sources, const Config& config, unsigned jobs,
                                      std::vector<std::string>& errors,
                                      std::vector<std::string>* warnings = nullptr,
                                      PreloadedFiles* preloaded = nullptr);

// A git-aware run first waits for git (the index, the staged changes: tens of milliseconds of process
// starts), yet which files git will name changes nothing in the facts of a file on disk: they follow from its
// bytes, which its stamp vouches for. So while git answers, the files under `sources.paths` whose stamp the
// facts cache knows are decoded ahead (`sources` as known before asking git: paths, project folder, cache
// folder). The run then takes each one it reads from disk with no base version to compare; it reads the rest
// itself, as usual. Only cached files are taken ahead: a file never checked (one git does not track) costs
// nothing here.
struct PreloadedFiles {
  // What the files were found and named with, to match the run's.
  std::vector<std::string> paths;
  std::optional<std::string> project_root;
  std::optional<std::filesystem::path> cache_folder;
  Discovery discovery;
  std::unique_ptr<FactsCache> cache;  // the run's cache: it records which entries were used
  std::unordered_map<std::string, std::unique_ptr<ProjectFile>> files;  // by display path
  PreloadedFiles();
  PreloadedFiles(PreloadedFiles&&) noexcept;
  PreloadedFiles& operator=(PreloadedFiles&&) noexcept;
  ~PreloadedFiles();
};
PreloadedFiles preload_cached_files(const ProjectSources& sources, const Config& config, unsigned jobs);
std::unique_ptr<Project> load_project(const std::vector<std::string>& paths, const Config& config, unsigned jobs,
                                      std::vector<std::string>& errors);

// Parse-only timing support for bench/: reads and parses the files, builds no facts.
size_t parse_only(const std::vector<std::string>& paths, unsigned jobs);

}  // namespace ormlint
