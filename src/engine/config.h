// Configuration: `[tool.ormlint]` in pyproject.toml or a top-level table in ormlint.toml, found upward from the
// checked paths; command-line options are applied on top by the CLI.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/diagnostic.h"

namespace ormlint {

class Rule;

// A configuration or usage problem, with where it was found. Its what() is the full message.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, uint32_t line, std::string problem);
  const std::string& file() const { return file_; }
  uint32_t line() const { return line_; }

 private:
  std::string file_;
  uint32_t line_;
};

struct Config {
  std::optional<std::filesystem::path> source;  // the file the settings came from, if any
  std::filesystem::path root;                   // patterns are relative to this (the config file's folder, or cwd)
  Profile profile = Profile::Portable;
  bool profile_chosen = false;  // `profile` in the config file or --profile: the default was not just taken
  std::optional<std::vector<std::string>> select;  // replaces the default rule set when given
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;  // glob -> rules
  std::vector<std::string> exclude;                                                // globs
  std::map<std::string, Severity> severity;  // rule name -> severity override
  Severity fail_level = Severity::Warning;   // exit 1 when a finding is at or above this
  bool require_suppression_reason = false;   // turns on suppression-without-reason
  // `baseline = "..."`: the baseline file (resolved against `root`); unset: <root>/.ormlint-baseline.json if present.
  std::optional<std::filesystem::path> baseline;
  // `cache-dir = "..."`: the facts cache folder (resolved against `root`); unset: .ormlint_cache in the project folder.
  std::optional<std::filesystem::path> cache_dir;
  // `declarative-bases = ["shared_models.base.Base"]`: dotted names of declarative bases defined in installed
  // packages, which ormlint cannot read: a class deriving from one is a mapped class (or abstract).
  std::set<std::string, std::less<>> declarative_bases;
  // `[tool.ormlint.<rule-name>]` tables: rule name -> setting -> value (validated against RuleInfo::settings).
  std::map<std::string, std::map<std::string, std::string>> rule_settings;
};

// The nearest ormlint.toml, or pyproject.toml with a [tool.ormlint] table, in `start` or its parents.
std::optional<std::filesystem::path> find_config_file(const std::filesystem::path& start);
// Reads a config file; throws ConfigError naming the file, line and problem.
Config load_config(const std::filesystem::path& file);

// The rules that run: defaults for the profile, then select / extend-select / ignore. Names or codes;
// an unknown one throws ConfigError with the closest valid name. `origin` names where the list came from.
std::vector<const Rule*> active_rules(const Config& config, const std::string& origin);
// A rule name or code, or throws ConfigError suggesting the closest valid one.
const Rule* rule_or_error(const std::string& name, const std::string& origin, uint32_t line);
// The rule whose name or code is closest to `typed` (a plausible typo: "reserved-atribute", "ol101"), or null
// when none is close. For "did you mean" suggestions wherever users write rule names.
const Rule* closest_rule(std::string_view typed);

// Glob match of a path (relative to config.root, with '/' separators) against a pattern: `*` and `?` match
// within and across folders, `**/` matches any folders; a pattern without '/' also matches the base name.
bool path_matches(const std::string& relative_path, const std::string& pattern);

}  // namespace ormlint
