// Turns git's view of a change into what a run reads (engine/engine.h ProjectSources): which files, with what
// content, which of them to report on, and the base versions the git-aware rules compare with.
#pragma once
#include <filesystem>
#include <string>

#include "engine/engine.h"
#include "git/repository.h"

namespace ormlint::git {

// `ormlint check --staged`: the project as it will be committed. The index's Python files make up the
// project, each read from the index where the working tree differs (partially staged files are judged as
// staged); findings are shown for the staged files (within an existing report scope); the base is HEAD. `dir`
// is any folder of the work tree (git is asked from there); throws GitError when it is not inside one.
void use_staged_snapshot(const std::filesystem::path& dir, ProjectSources& sources);

// `ormlint check --changed-since REF`: the working tree as it is; findings are shown for files changed since the
// merge base of REF and HEAD (committed, staged, unstaged or untracked); the base is that merge base.
void use_changes_since(const Repository& repo, const std::string& ref, ProjectSources& sources);

}  // namespace ormlint::git
