#include "git/snapshot.h"

#include <future>
#include <set>

#include "engine/discovery.h"

namespace ormlint::git {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSubmodule = "160000";
constexpr const char* kSymlink = "120000";

// Blob contents still to read, and where each goes: one `git cat-file --batch` serves them all.
using BlobFills = std::vector<std::pair<std::string*, std::string>>;  // target, object id

std::string display(const fs::path& root, const std::string& repo_path) {
  return display_path_for(root / repo_path);
}

// Records the changes as base versions (their contents added to `fills`) and narrows the report scope to the
// changed files.
void apply_changes(const fs::path& root, const std::vector<Change>& changes, ProjectSources& sources,
                   BlobFills& fills) {
  std::vector<std::string> changed;
  std::vector<std::string> version_blobs;  // parallel to sources.base_versions
  sources.base_versions.reserve(changes.size());
  for (const Change& change : changes) {
    bool now_python = !change.path.empty() && is_python_file(change.path);
    bool was_python = !change.base_path.empty() && is_python_file(change.base_path);
    if (!now_python && !was_python) continue;
    BaseVersion version;
    if (now_python) version.path = display(root, change.path);
    // A copy leaves its source in place: the new file has no history of its own.
    if (was_python && change.status != 'C' && !change.base_blob.empty()) {
      version.base_path = display(root, change.base_path);
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

std::vector<std::string> blob_ids(const BlobFills& fills) {
  std::vector<std::string> ids;
  for (const auto& fill : fills) ids.push_back(fill.second);
  return ids;
}

// Gives each fill its blob's content, from `blobs` (id -> content).
void fill_in(const BlobFills& fills, const std::map<std::string, std::string>& blobs) {
  for (const auto& [target, id] : fills) {
    auto it = blobs.find(id);
    if (it == blobs.end()) throw GitError("git object " + id + " is missing from the repository");
    *target = it->second;
  }
}

}  // namespace

void use_staged_snapshot(const fs::path& dir, ProjectSources& sources) {
  // Every question goes to git at once, from `dir`, without first waiting for git to name the top level:
  // starting git costs more than its answers take to read, so the hook waits for the slowest question, not
  // for their sum.
  // The slowest question (the index, with a stat of every tracked file) is started first.
  auto index = std::async(std::launch::async, [&] { return list_index(dir); });
  // The staged changes are asked against "HEAD" before HEAD is known to name a commit. Only a repository
  // without a commit yet asks again, against the empty tree.
  auto changes_from_head = std::async(std::launch::async, [&]() -> std::optional<std::vector<Change>> {
    try {
      return changes_since(dir, std::string("HEAD"), /*cached=*/true);
    } catch (const GitError&) {
      return std::nullopt;
    }
  });
  BlobReader blob_reader(dir);  // started now, told which blobs to read once the answers name them
  // Outside a work tree this throws, with git's own reason; the questions above fail alike (their futures and
  // the blob reader wait for their ends on the way out).
  const Checkout checkout = checkout_containing(dir);
  const fs::path& root = checkout.root;
  std::optional<std::vector<Change>> changes = changes_from_head.get();
  // HEAD missing: the empty tree; HEAD there but the question failed: asked again, for git's own error.
  if (!checkout.head || !changes) changes = changes_since(dir, checkout.head, /*cached=*/true);
  IndexListing listing = index.get();
  std::map<std::string, std::string> blob_of;  // repository path -> index blob, Python files only
  std::set<std::string> only;
  for (const IndexEntry& entry : listing.entries) {
    // Unmerged entries (stage 1-3) block the commit anyway; submodules and symlinks hold no source of their own.
    if (entry.stage != 0 || entry.mode == kSubmodule || entry.mode == kSymlink || !is_python_file(entry.path)) {
      continue;
    }
    blob_of[entry.path] = entry.blob;
    only.insert(display(root, entry.path));
  }
  BlobFills fills;
  for (const std::string& path : listing.unstaged_paths) {
    auto it = blob_of.find(path);
    if (it == blob_of.end()) continue;
    fills.emplace_back(&sources.contents[display(root, path)], it->second);
  }
  sources.base_name = checkout.head ? "HEAD" : "the empty tree (no commit yet)";
  sources.base_commit = checkout.head;
  apply_changes(root, *changes, sources, fills);
  sources.only = std::move(only);
  fill_in(fills, blob_reader.read(blob_ids(fills)));
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
  apply_changes(repo.root(), changes, sources, fills);
  fill_in(fills, repo.read_blobs(blob_ids(fills)));
}

}  // namespace ormlint::git
