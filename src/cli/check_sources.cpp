#include "cli/check_sources.h"

#include <future>
#include <iterator>
#include <set>

#include "core/phase_timer.h"
#include "engine/discovery.h"
#include "git/snapshot.h"

namespace ormlint::cli {

namespace fs = std::filesystem;

std::optional<fs::path> project_root(const fs::path& start, const Config& config) {
  if (config.source) return config.root;
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  std::optional<fs::path> alembic_in_package;
  for (; !dir.empty(); dir = dir.parent_path()) {
    const bool package = fs::exists(dir / "__init__.py", ec);
    for (const char* marker : {"pyproject.toml", "setup.cfg", "setup.py", ".git"}) {
      // A setup.py inside a package is one of its modules (mage-ai's orchestration/db/setup.py), not a
      // distribution's: the project, and the module names, start above the package.
      if (package && std::string_view(marker) == "setup.py") continue;
      if (fs::exists(dir / marker, ec)) return dir;
    }
    if (fs::exists(dir / "alembic.ini", ec)) {
      // An alembic.ini inside a package (jupyterhub keeps it in jupyterhub/) does not start the module names:
      // `from jupyterhub import orm` names the package from above it.
      if (!package) return dir;
      if (!alembic_in_package) alembic_in_package = dir;
    }
    if (dir == dir.root_path()) break;
  }
  if (!alembic_in_package) return std::nullopt;
  fs::path root = *alembic_in_package;
  while (fs::exists(root / "__init__.py", ec) && root != root.root_path()) root = root.parent_path();
  return root;
}

namespace {

// The repository holding `dir`, or nullopt outside a git work tree (or without git).
std::optional<git::Repository> repository_at(const fs::path& dir) {
  try {
    return git::Repository::containing(dir);
  } catch (const git::GitError&) {
    return std::nullopt;
  }
}

// Display paths of the Python files and folders (ending in '/') git ignores around the project.
std::vector<std::string> ignored_by_git(const git::Repository& repo, const std::string& project_root) {
  std::vector<std::string> ignored;
  // A project inside an ignored folder (a generated or vendored one) is still checked as a whole.
  const std::string root_folder = project_root == "." ? "" : project_root + "/";
  for (std::string path : repo.ignored_paths()) {
    const bool folder = !path.empty() && path.back() == '/';
    if (!folder && !is_python_file(path)) continue;  // *.pyc and the like would only slow the matching
    if (folder) path.pop_back();
    std::string display = display_path_for(repo.root() / path);
    if (folder && (display == "." || root_folder.compare(0, display.size() + 1, display + "/") == 0)) continue;
    ignored.push_back(display + (folder ? "/" : ""));
  }
  return ignored;
}

// --staged / --changed-since: the repository holding the project decides contents, report scope and base.
// Outside a work tree, asking for it again gives git's own error.
void use_git_snapshot(const SourceArgs& args, const std::optional<git::Repository>& project_repo,
                      ProjectSources& sources) {
  std::error_code ec;
  fs::path dir = sources.paths.front();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  if (dir.empty()) dir = ".";
  PhaseTimer timer("git");
  if (args.staged) {
    // Not through project_repo (never asked for in staged mode): the snapshot asks for the top level itself,
    // beside its other questions.
    git::use_staged_snapshot(dir, sources);
    return;
  }
  const git::Repository repo = project_repo ? *project_repo : git::Repository::containing(dir);
  git::use_changes_since(repo, args.changed_since, sources);
}

}  // namespace

ProjectSources sources_under(const std::vector<std::string>& paths, const Config& config) {
  ProjectSources sources;
  sources.paths = paths;
  if (auto root = project_root(paths.empty() ? fs::path(".") : fs::path(paths.front()), config)) {
    sources.project_root = display_path_for(*root);
  }
  return sources;
}

ProjectSources resolve_sources(const SourceArgs& args, const Config& config, std::istream& stdin_stream,
                               const std::function<void(const ProjectSources&)>& while_asking_git) {
  ProjectSources sources;
  std::vector<std::string> reported;  // display paths of the files and folders to report on
  if (!args.stdin_filename.empty()) {
    std::string display = display_path_for(args.stdin_filename);
    sources.contents[display] = std::string(std::istreambuf_iterator<char>(stdin_stream), {});
    reported.push_back(display);
  } else {
    for (const auto& path : args.paths.empty() ? std::vector<std::string>{"."} : args.paths) {
      reported.push_back(display_path_for(path));
    }
  }
  // Read the whole project for context; paths outside it are read as they are.
  const fs::path first = args.stdin_filename.empty() ? fs::path(reported.front()) : fs::path(args.stdin_filename);
  if (auto root = project_root(first, config)) {
    sources.project_root = display_path_for(*root);
    sources.paths.push_back(*sources.project_root);
  }
  if (!args.stdin_filename.empty() && sources.paths.empty()) {
    // No project around the buffer: it is checked alone (its folder is searched, but only the buffer belongs).
    const fs::path folder = fs::path(reported.front()).parent_path();
    sources.paths.push_back(folder.empty() ? "." : folder.generic_string());
    sources.only = std::set<std::string>{reported.front()};
  }
  for (const auto& path : reported) {
    // A named path that does not exist is read too, for discovery to name it as an error: inside the project
    // it would otherwise stand for nothing, and a typo in a CI path would pass (hypothesis).
    std::error_code ec;
    const bool missing = args.stdin_filename.empty() && !fs::exists(path, ec);
    if (missing || sources.paths.empty() || !in_scope(path, {sources.paths.front()}))
      sources.paths.push_back(path);
  }
  // A named file is read whatever its extension (`ormlint check script.txt`), so it is also read explicitly.
  for (const auto& path : reported) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec) && !is_python_file(path) && !sources.contents.count(path)) {
      sources.paths.push_back(path);
    }
  }
  sources.report_scope = reported;
  // What git ignores is not part of the project (ruff's respect-gitignore): generated code, local
  // environments. Not in staged mode: it reads only what the index tracks, and git lists only untracked files
  // (and folders holding nothing tracked) as ignored. The staged snapshot finds the repository itself, beside
  // its other questions to git (the pre-commit hook's path); otherwise one `git rev-parse` serves both the
  // ignore list and --changed-since.
  const std::optional<git::Repository> repo =
      sources.project_root && !args.staged ? repository_at(*sources.project_root) : std::nullopt;
  // Asked of git while the snapshot below asks its own questions.
  std::future<std::vector<std::string>> ignored;
  if (repo) {
    ignored = std::async(std::launch::async,
                         [&repo = *repo, root = *sources.project_root] { return ignored_by_git(repo, root); });
  }
  if (args.staged || !args.changed_since.empty()) {
    if (while_asking_git) {
      const ProjectSources before_git = sources;
      auto asking = std::async(std::launch::async, [&] { use_git_snapshot(args, repo, sources); });
      while_asking_git(before_git);  // should it throw, the future waits for git on the way out
      asking.get();
    } else {
      use_git_snapshot(args, repo, sources);
    }
  }
  if (ignored.valid()) sources.ignored = ignored.get();
  return sources;
}

}  // namespace ormlint::cli
