#include "cli/check_sources.h"

#include <iterator>
#include <set>

#include "engine/discovery.h"
#include "git/snapshot.h"

namespace ormlint::cli {

namespace fs = std::filesystem;

std::optional<fs::path> project_root(const fs::path& start, const Config& config) {
  if (config.source) return config.root;
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (; !dir.empty(); dir = dir.parent_path()) {
    for (const char* marker : {"pyproject.toml", "setup.cfg", "setup.py", "alembic.ini", ".git"}) {
      if (fs::exists(dir / marker, ec)) return dir;
    }
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

namespace {

// Display paths of the Python files and folders (ending in '/') git ignores around the project; none outside a
// git work tree.
std::vector<std::string> ignored_by_git(const std::string& project_root) {
  std::vector<std::string> ignored;
  try {
    git::Repository repo = git::Repository::containing(project_root);
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
  } catch (const git::GitError&) {
    // Not a git work tree, or no git: nothing is ignored.
  }
  return ignored;
}

// --staged / --changed-since: the repository holding the project decides contents, report scope and base.
void use_git_snapshot(const SourceArgs& args, ProjectSources& sources) {
  std::error_code ec;
  fs::path dir = sources.paths.front();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  git::Repository repo = git::Repository::containing(dir.empty() ? fs::path(".") : dir);
  if (args.staged) {
    git::use_staged_snapshot(repo, sources);
  } else {
    git::use_changes_since(repo, args.changed_since, sources);
  }
}

}  // namespace

ProjectSources resolve_sources(const SourceArgs& args, const Config& config, std::istream& stdin_stream) {
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
    if (sources.paths.empty() || !in_scope(path, {sources.paths.front()})) sources.paths.push_back(path);
  }
  // A named file is read whatever its extension (`ormlint check script.txt`), so it is also read explicitly.
  for (const auto& path : reported) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec) && !is_python_file(path) && !sources.contents.count(path)) {
      sources.paths.push_back(path);
    }
  }
  sources.report_scope = reported;
  // What git ignores is not part of the project (ruff's respect-gitignore): generated code, local environments.
  if (sources.project_root) sources.ignored = ignored_by_git(*sources.project_root);
  if (args.staged || !args.changed_since.empty()) use_git_snapshot(args, sources);
  return sources;
}

}  // namespace ormlint::cli
