// What ormlint asks git: the index, what changed since a base commit, and blob contents. Every call runs the
// `git` program without a shell and reads its -z (NUL-separated) output, so any file name works: spaces,
// newlines, non-ASCII, leading dashes.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/subprocess.h"

namespace ormlint::git {

// git is missing, the folder is not in a repository, a ref does not exist, ... what() says which, in full.
class GitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct IndexEntry {
  std::string mode;  // "100644", "100755", "120000" (symlink), "160000" (submodule)
  std::string blob;  // object id
  int stage = 0;     // 0; 1-3 while a merge conflict is unresolved
  std::string path;  // relative to the repository root, '/'-separated
};

// One changed file between a base commit and the index or working tree.
struct Change {
  char status = 'M';         // 'A' added, 'M' modified, 'D' deleted, 'R' renamed, 'C' copied, 'T' type change
  std::string base_path;     // the path in the base ("" when added)
  std::string path;          // the path now ("" when deleted)
  std::string base_blob;     // the base version's object id ("" when added)
};

class Repository {
 public:
  // The repository holding `dir`. Throws GitError when git is missing or `dir` is not inside a work tree.
  static Repository containing(const std::filesystem::path& dir);

  const std::filesystem::path& root() const { return root_; }

  // Untracked, not ignored files.
  std::vector<std::string> untracked_paths() const;
  // Files and folders git ignores (.gitignore, .git/info/exclude, core.excludesFile) that are not tracked;
  // a wholly ignored folder is one entry ending in '/'.
  std::vector<std::string> ignored_paths() const;
  // What changed from `base` (a commit id) to the index (`cached`) or to the working tree, renames detected.
  // With no base (a repository without commits), everything in the index is added.
  std::vector<Change> changes_since(const std::optional<std::string>& base, bool cached) const;
  // The commit id of `ref`, or nullopt when it names no commit (e.g. HEAD in a fresh repository).
  std::optional<std::string> commit_id(const std::string& ref) const;
  // The best common ancestor of two commits, or nullopt when they have none.
  std::optional<std::string> merge_base(const std::string& a, const std::string& b) const;
  // The contents of these blobs (one git process for all of them).
  std::map<std::string, std::string> read_blobs(const std::vector<std::string>& ids) const;

 private:
  explicit Repository(std::filesystem::path root) : root_(std::move(root)) {}
  // Runs `git args...` in the root; throws GitError with git's own message when it fails.
  std::string run(std::vector<std::string> args, const std::string& input = {}) const;

  std::filesystem::path root_;
};

// Questions asked from any folder of a work tree, not only its top level: their answers name paths from the
// top level whatever folder asks, so the pre-commit hook can ask them all at once instead of first waiting
// for git to name the top level (each git start costs more than reading its answer).

// The work tree holding `dir`: its top level and the commit HEAD names (one `git rev-parse`).
struct Checkout {
  std::filesystem::path root;
  std::optional<std::string> head;  // nullopt before the first commit
};
// Throws GitError, as Repository::containing does, when git is missing or `dir` is not inside a work tree.
Checkout checkout_containing(const std::filesystem::path& dir);

// The whole index (one `git ls-files`).
struct IndexListing {
  std::vector<IndexEntry> entries;  // in index order: by path (bytewise), then stage
  // Paths whose working-tree file differs from the index: modified, deleted or a type change. Files whose
  // timestamps alone changed are not listed (git compares their content).
  std::vector<std::string> unstaged_paths;
};
IndexListing list_index(const std::filesystem::path& dir);

// Repository::changes_since, asked from `dir`.
std::vector<Change> changes_since(const std::filesystem::path& dir, const std::optional<std::string>& base,
                                  bool cached);

// `git cat-file --batch`, started at construction and told which blobs to read later: its start-up overlaps
// the questions whose answers name those blobs.
class BlobReader {
 public:
  // Throws GitError when git cannot be started.
  explicit BlobReader(const std::filesystem::path& dir);
  // The contents of these blobs (those missing from the repository are left out). Call at most once.
  std::map<std::string, std::string> read(const std::vector<std::string>& ids);

 private:
  StartedProcess cat_file_;
};

}  // namespace ormlint::git
