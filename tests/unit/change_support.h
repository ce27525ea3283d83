// A git change written as test text, for the git-aware rules (RuleInfo::git_aware), used by their unit tests and
// by the rule documentation test. The text holds the project's files as `# file: P` blocks (see write_files),
// and these markers:
//   `# file: P (HEAD)`  P as it is in the base commit, not written to disk: P is modified, or deleted when no
//                       `# file: P` block follows;
//   `# file: P (new)`   P is added by the change;
//   `# file: P (renamed from Q)`  P is Q renamed, compared with Q's `(HEAD)` block.
// Other files are unchanged. A text with none of these markers is a plain project: a run without a base.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace ormlint::testing {

struct WrittenChange {
  std::optional<std::string> base_name;  // "HEAD" when the text holds a marker
  std::vector<BaseVersion> base_versions;
};

// Writes the current files into `dir` and returns the base versions (display paths, as discovery names them).
WrittenChange write_change(const std::filesystem::path& dir, const std::string& text, const std::string& default_name);

// Runs the engine on `dir` with `rules`, against the change's base when `git_aware` (as --staged would).
RunResult run_change(const std::filesystem::path& dir, const WrittenChange& change,
                     const std::vector<const Rule*>& rules, bool git_aware = true);

}  // namespace ormlint::testing
