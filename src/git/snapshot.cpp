#include "git/snapshot.h"

#include <future>
#include <set>

#include "engine/discovery.h"

namespace ormlint::git {

namespace {

constexpr const char* kSubmodule = "160000";
constexpr const char* kSymlink = "120000";

// Blob contents still to read, and where each goes: one `git cat-file --batch` serves them all.
using BlobFills = std::vector<std::pair<std::string*, std::string>>;  // target, object id

std::string display(const Repository& repo, const std::string& repo_path) {
  return display_path_for(repo.root() / repo_path);
}

// Records the changes as base versions (their contents added to `fills`) and narrows the report scope to the
// changed files.
void apply_changes(const Repository& repo, const std::vector<Change>& changes, ProjectSources& sources,
                   BlobFills& fills) {
  std::vector<std::string> changed;
  std::vector<std::string> version_blobs;  // parallel to sources.base_versions
  sources.base_versions.reserve(changes.size());
  for (const Change& change : changes) {
    bool now_python = !change.path.empty() && is_python_file(change.path);
    bool was_python = !change.base_path.empty() && is_python_file(change.base_path);
    if (!now_python && !was_python) continue;
    BaseVersion version;
    if (now_python) version.path = display(repo, change.path);
    // A copy leaves its source in place: the new file has no history of its own.
    if (was_python && change.status != 'C' && !change.base_blob.empty()) {
      version.base_path = display(repo, change.base_path);
      version.content = std::string();
    }
    if (!version.path.empty()) changed.push_back(version.path);
    version_blobs.push_back(version.content ? change.base_blob : "");
    sources.base_versions.push_back(std::move(version));
  }
  // Pointers into base_versions are taken only now that it no longer grows.
  for (size_t i = 0; i < sources.base_versions.size(); ++i) {
    if (!sources.base_versions[i].content) continue;
    fills.emplace_back(&*sources.base_versions[i].content, version_blobs[i]);
  }
  std::vector<std::string> scope;
  for (auto& path : changed) {
    if (!sources.report_scope || in_scope(path, *sources.report_scope)) scope.push_back(std::move(path));
  }
  sources.report_scope = std::move(scope);
}

void read_into(const Repository& repo, const BlobFills& fills) {
  std::vector<std::string> ids;
  for (const auto& fill : fills) ids.push_back(fill.second);
  std::map<std::string, std::string> blobs = repo.read_blobs(ids);
  for (const auto& [target, id] : fills) {
    auto it = blobs.find(id);
    if (it == blobs.end()) throw GitError("git object " + id + " is missing from the repository");
    *target = it->second;
  }
}

}  // namespace

void use_staged_snapshot(const Repository& repo, ProjectSources& sources) {
  // Independent questions go to git at once: starting git costs more than its answers take to read.
  auto index = std::async(std::launch::async, [&] { return repo.index(); });
  auto unstaged = std::async(std::launch::async, [&] { return repo.unstaged_paths(); });
  // The staged changes are asked against "HEAD" at once, not after HEAD's id: one git start less on the hook's
  // path. Only a repository without a commit yet asks again, against the empty tree.
  auto changes_from_head = std::async(std::launch::async, [&]() -> std::optional<std::vector<Change>> {
    try {
      return repo.changes_since(std::string("HEAD"), /*cached=*/true);
    } catch (const GitError&) {
      return std::nullopt;
    }
  });
  std::optional<std::string> head = repo.commit_id("HEAD");
  std::optional<std::vector<Change>> changes = changes_from_head.get();
  // HEAD missing: the empty tree; HEAD there but the question failed: asked again, for git's own error.
  if (!head || !changes) changes = repo.changes_since(head, /*cached=*/true);
  std::map<std::string, std::string> blob_of;  // repository path -> index blob, Python files only
  std::set<std::string> only;
  for (const IndexEntry& entry : index.get()) {
    // Unmerged entries (stage 1-3) block the commit anyway; submodules and symlinks hold no source of their own.
    if (entry.stage != 0 || entry.mode == kSubmodule || entry.mode == kSymlink || !is_python_file(entry.path)) {
      continue;
    }
    blob_of[entry.path] = entry.blob;
    only.insert(display(repo, entry.path));
  }
  BlobFills fills;
  for (const std::string& path : unstaged.get()) {
    auto it = blob_of.find(path);
    if (it == blob_of.end()) continue;
    fills.emplace_back(&sources.contents[display(repo, path)], it->second);
  }
  sources.base_name = head ? "HEAD" : "the empty tree (no commit yet)";
  sources.base_commit = head;
  apply_changes(repo, *changes, sources, fills);
  sources.only = std::move(only);
  read_into(repo, fills);
}

void use_changes_since(const Repository& repo, const std::string& ref, ProjectSources& sources) {
  std::optional<std::string> ref_id = repo.commit_id(ref);
  if (!ref_id) {
    throw GitError("--changed-since " + ref + ": no such commit or branch here (in CI, fetch it first: a shallow "
                   "clone lacks it; actions/checkout needs fetch-depth: 0)");
  }
  std::optional<std::string> head = repo.commit_id("HEAD");
  std::optional<std::string> base = head ? repo.merge_base(*ref_id, *head) : ref_id;
  if (!base) throw GitError("--changed-since " + ref + ": it has no common history with HEAD");
  sources.base_name = ref + (*base == *ref_id ? "" : " (merge base " + base->substr(0, 10) + ")");
  std::vector<Change> changes = repo.changes_since(base, /*cached=*/false);
  for (const std::string& path : repo.untracked_paths()) changes.push_back(Change{'A', "", path, ""});
  BlobFills fills;
  apply_changes(repo, changes, sources, fills);
  read_into(repo, fills);
}

}  // namespace ormlint::git
