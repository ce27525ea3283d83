// Baselines: today's findings recorded in a file (`ormlint check --write-baseline`) so that later runs report only
// new ones. A team can adopt ormlint on a legacy code base without a wall of old findings, then prune the file as
// the old findings get fixed (`--show-stale`).
//
// A finding matches an entry by rule, path (relative to the project root, '/'-separated) and the offending line's
// text (trimmed), never by line number: editing unrelated lines above it must not resurrect it, while changing the
// flagged line itself must. Entries are a multiset (each carries a count): two identical findings need a count of 2,
// and a third identical one is new. Everything here is pure (no working-directory or global state) except the two
// functions that read and write the file.
#pragma once
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.h"

namespace ormlint {

inline constexpr std::string_view kDefaultBaselineName = ".ormlint-baseline.json";
inline constexpr int kBaselineFormatVersion = 1;

// A baseline file that cannot be read, parsed or written. what() names the file and the problem.
class BaselineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BaselineEntry {
  std::string path;         // relative to the project root, '/'-separated        (part of the match key)
  std::string rule;         // kebab-case rule name                                 (part of the match key)
  std::string source_line;  // the flagged line's text, whitespace-trimmed          (part of the match key)
  std::string code;         // "OL101": for people reading the file
  std::string message;      // for people; when several entries share a key, the one with the same message is used first
  size_t count = 1;         // how many identical findings this entry covers (>= 1)

  // Sort order of the file: path, rule, source line, message, code.
  friend bool operator<(const BaselineEntry& a, const BaselineEntry& b);
};

struct Baseline {
  std::vector<BaselineEntry> entries;  // sorted; entries that agree in every field but count are merged
  size_t total() const;                // the sum of the counts
};

// Turns display paths (relative to the working directory, or absolute) into baseline paths (relative to the project
// root, '/'-separated), so that a baseline matches whichever folder ormlint runs from.
class ProjectPaths {
 public:
  ProjectPaths(const std::filesystem::path& root, const std::filesystem::path& cwd);
  std::string relative(const std::string& display_path) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;  // absolute, normalised
  std::filesystem::path cwd_;   // absolute, normalised
};

// Which entries a run could have seen: those under the checked paths and of the rules that ran. Entries outside it
// are neither stale nor dropped when the baseline is rewritten.
class BaselineScope {
 public:
  // `checked_paths`: display paths of the files and folders reported on (relative to the working directory, or
  // absolute; "." for the working directory). `rule_names`: the rules that ran; nullopt: every rule.
  BaselineScope(const ProjectPaths& project, const std::vector<std::string>& checked_paths,
                std::optional<std::set<std::string>> rule_names);
  bool contains(const BaselineEntry& entry) const;
  // Widens the scope to every finding's file and rule, so a finding is never outside the scope of its own run
  // (and a rewrite never counts it twice: once as found, once as kept from the old file).
  void cover(const std::vector<Diagnostic>& diagnostics, const ProjectPaths& project);

 private:
  std::filesystem::path root_;
  std::vector<std::filesystem::path> paths_;  // absolute, normalised
  std::optional<std::set<std::string>> rules_;
};

// The trimmed line text an entry stores for a finding, with invalid UTF-8 replaced as the JSON file stores it (so
// a finding in a file with bad bytes still matches its own entry).
std::string baseline_source_line(std::string_view source_line);

// Sorts and merges entries that agree in every field but count.
Baseline normalised(std::vector<BaselineEntry> entries);

// The baseline recording these findings.
Baseline baseline_from(const std::vector<Diagnostic>& diagnostics, const ProjectPaths& paths);

// The file's text: pretty JSON with a version and the sorted entries; the same baseline always gives the same bytes.
std::string serialize_baseline(const Baseline& baseline);
// Parses a baseline file's text; throws BaselineError naming `file_name`, the entry and the problem.
Baseline parse_baseline(std::string_view text, const std::string& file_name);

// Reads and parses a baseline file; throws BaselineError naming the file.
Baseline load_baseline(const std::filesystem::path& file);
// Writes the file through a temporary file in the same folder and a rename, so a failed write never leaves a
// truncated baseline behind. Throws BaselineError naming the file.
void write_baseline(const std::filesystem::path& file, const Baseline& baseline);

// What --write-baseline writes: this run's findings, plus the old entries this run could not have seen (other
// paths, rules that did not run), so a run on part of the project does not erase the rest of the baseline.
Baseline merge_for_write(const Baseline& old_baseline, const Baseline& fresh, const BaselineScope& scope);

struct BaselineOutcome {
  std::vector<Diagnostic> kept;       // findings the baseline does not cover, in their original order
  size_t hidden = 0;                  // findings the baseline covers
  std::vector<BaselineEntry> stale;   // in-scope entries (count: the unmatched part) that matched no finding
};

BaselineOutcome apply_baseline(const Baseline& baseline, const std::vector<Diagnostic>& diagnostics,
                               const ProjectPaths& paths, const BaselineScope& scope);

}  // namespace ormlint
