// The project-wide findings of a staged run's base commit, kept in the facts cache folder. Staged runs compare
// with them to show what a staged change causes in files it leaves alone; the base is HEAD, which stays the same
// across the attempts at one commit, so the git hook computes them once per commit instead of on every run.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/diagnostic.h"

namespace ormlint {

// The findings saved under `key` (everything they depend on, as text), or nullopt when there are none, they were
// saved under another key, or the file is unusable.
std::optional<std::vector<Diagnostic>> load_base_findings(const std::filesystem::path& folder, const std::string& key);
// Replaces the saved findings. Returns "" or why they could not be written.
std::string save_base_findings(const std::filesystem::path& folder, const std::string& key,
                               const std::vector<Diagnostic>& findings);

}  // namespace ormlint
