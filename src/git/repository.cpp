#include "git/repository.h"

#include <algorithm>
#include <string_view>

#include "core/subprocess.h"

namespace ormlint::git {

namespace fs = std::filesystem;

namespace {

// The NUL-terminated fields of git's -z output.
std::vector<std::string_view> split_nul(std::string_view text) {
  std::vector<std::string_view> fields;
  while (!text.empty()) {
    size_t end = text.find('\0');
    if (end == std::string_view::npos) end = text.size();
    fields.push_back(text.substr(0, end));
    text.remove_prefix(std::min(text.size(), end + 1));
  }
  return fields;
}

std::string trim_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string command_text(const std::vector<std::string>& args) {
  std::string text = "git";
  for (const auto& arg : args) text += " " + arg;
  return text;
}

// Starts `git args...` in `dir` (its input still open); throws GitError when git cannot be started.
StartedProcess start_git(const fs::path& dir, const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string error;
  std::optional<StartedProcess> process = StartedProcess::start(argv, dir, error, env);
  if (!process) throw GitError("cannot run git (" + error + "); is git installed?");
  return std::move(*process);
}

ProcessResult run_git(const fs::path& dir, const std::vector<std::string>& args, const std::string& input,
                      const std::vector<std::string>& env = {}) {
  return start_git(dir, args, env).finish(input);
}

// The output of `git args...`; throws GitError with git's own message when it failed.
std::string output_of(const std::vector<std::string>& args, ProcessResult result) {
  if (result.exit_code != 0) {
    std::string message = trim_line(result.err);
    throw GitError("`" + command_text(args) + "` failed" + (message.empty() ? "" : ": " + message));
  }
  return std::move(result.out);
}

std::string run_in(const fs::path& dir, const std::vector<std::string>& args, const std::string& input = {},
                   const std::vector<std::string>& env = {}) {
  return output_of(args, run_git(dir, args, input, env));
}

GitError not_a_work_tree(const fs::path& dir, const std::string& git_error) {
  std::error_code ec;
  return GitError(fs::absolute(dir, ec).lexically_normal().generic_string() +
                  " is not inside a git work tree (" + trim_line(git_error) + ")");
}

// One line of `git ls-files --stage`: "<mode> <object> <stage>\t<path>".
std::optional<IndexEntry> parse_index_record(std::string_view record) {
  size_t tab = record.find('\t');
  if (tab == std::string_view::npos) return std::nullopt;
  std::string_view head = record.substr(0, tab);
  size_t first = head.find(' '), last = head.rfind(' ');
  if (first == std::string_view::npos || first == last) return std::nullopt;
  IndexEntry entry;
  entry.mode = std::string(head.substr(0, first));
  entry.blob = std::string(head.substr(first + 1, last - first - 1));
  entry.stage = head.back() - '0';
  entry.path = std::string(record.substr(tab + 1));
  return entry;
}

// `git cat-file --batch`'s answers: "<id> <type> <size>\n<content>\n" each, or "<id> missing\n".
std::map<std::string, std::string> parse_batch(const std::string& out) {
  std::map<std::string, std::string> blobs;
  size_t at = 0;
  while (at < out.size()) {
    size_t eol = out.find('\n', at);
    if (eol == std::string::npos) break;
    std::string_view header(out.data() + at, eol - at);
    at = eol + 1;
    size_t first = header.find(' '), last = header.rfind(' ');
    if (first == std::string_view::npos || first == last) continue;  // "<id> missing"
    size_t size = std::stoull(std::string(header.substr(last + 1)));
    if (at + size > out.size()) throw GitError("`git cat-file --batch` gave a truncated answer");
    blobs.emplace(std::string(header.substr(0, first)), out.substr(at, size));
    at += size + 1;
  }
  return blobs;
}

// An all-zero object id: "not in the object database" (a working-tree side of a diff).
bool is_null_id(std::string_view id) {
  return id.find_first_not_of('0') == std::string_view::npos;
}

}  // namespace

Repository Repository::containing(const fs::path& dir) {
  ProcessResult result = run_git(dir, {"rev-parse", "--show-toplevel"}, {});
  if (result.exit_code != 0) throw not_a_work_tree(dir, result.err);
  return Repository(fs::path(trim_line(result.out)));
}

std::string Repository::run(std::vector<std::string> args, const std::string& input) const {
  return run_in(root_, args, input);
}

std::vector<std::string> Repository::untracked_paths() const {
  const std::string out = run({"ls-files", "--others", "--exclude-standard", "-z"});  // split_nul's views point into it
  std::vector<std::string> paths;
  for (std::string_view path : split_nul(out)) paths.emplace_back(path);
  return paths;
}

std::vector<std::string> Repository::ignored_paths() const {
  const std::string out =
      run({"ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"});  // views point into it
  std::vector<std::string> paths;
  for (std::string_view path : split_nul(out)) paths.emplace_back(path);
  return paths;
}

std::vector<Change> Repository::changes_since(const std::optional<std::string>& base, bool cached) const {
  return git::changes_since(root_, base, cached);
}

std::optional<std::string> Repository::commit_id(const std::string& ref) const {
  ProcessResult result =
      run_git(root_, {"rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"}, {});
  if (result.exit_code != 0) return std::nullopt;
  return trim_line(result.out);
}

std::optional<std::string> Repository::merge_base(const std::string& a, const std::string& b) const {
  ProcessResult result = run_git(root_, {"merge-base", a, b}, {});
  if (result.exit_code != 0) return std::nullopt;
  return trim_line(result.out);
}

std::map<std::string, std::string> Repository::read_blobs(const std::vector<std::string>& ids) const {
  if (ids.empty()) return {};
  return BlobReader(root_).read(ids);
}

Checkout checkout_containing(const fs::path& dir) {
  // --show-toplevel prints first whatever --verify finds next; --verify --quiet prints nothing and exits with
  // 1 when HEAD names no commit yet (any other failure, e.g. not a repository, exits with 128).
  ProcessResult result =
      run_git(dir, {"rev-parse", "--show-toplevel", "--verify", "--quiet", "HEAD^{commit}"}, {});
  std::string out = trim_line(std::move(result.out));
  if ((result.exit_code != 0 && result.exit_code != 1) || out.empty()) throw not_a_work_tree(dir, result.err);
  Checkout checkout;
  if (result.exit_code == 0) {
    // The commit id is the last line: the top level's own name may hold a newline.
    const size_t eol = out.rfind('\n');
    if (eol == std::string::npos) throw not_a_work_tree(dir, result.err);
    checkout.head = out.substr(eol + 1);
    out.resize(eol);
  }
  checkout.root = fs::path(out);
  return checkout;
}

IndexListing list_index(const fs::path& dir) {
  // --full-name and the pathspec ":/" (the top level) list the whole index from any folder, with the paths
  // the top level would show. -t tags each line, so --modified's lines ("C ") give the unstaged paths in the
  // same pass (diff-files would be one more git start). Neither refreshes the index: a hook must not write it
  // while `git commit` holds its lock. GIT_LITERAL_PATHSPECS, which `git --literal-pathspecs commit` (magit's
  // way) passes on to the hook, would read ":/" as a file name: it is turned off for this one call.
  const std::vector<std::string> args{"ls-files", "--cached",    "--modified", "--stage", "-t",
                                      "-z",       "--full-name", "--",         ":/"};
  const std::string out = run_in(dir, args, {}, {"GIT_LITERAL_PATHSPECS=0"});
  IndexListing listing;
  for (std::string_view record : split_nul(out)) {
    // "<tag> " then the --stage record; "H" cached, "S" skip-worktree, "M" unmerged, "C" modified.
    if (record.size() < 2 || record[1] != ' ') continue;
    std::optional<IndexEntry> entry = parse_index_record(record.substr(2));
    if (!entry) continue;
    if (record[0] == 'C') {
      listing.unstaged_paths.push_back(std::move(entry->path));
    } else {
      listing.entries.push_back(std::move(*entry));
    }
  }
  return listing;
}

std::vector<Change> changes_since(const fs::path& dir, const std::optional<std::string>& base, bool cached) {
  std::string tree =
      base ? *base : trim_line(run_in(dir, {"hash-object", "-t", "tree", "--stdin"}));  // the empty tree
  std::vector<std::string> args{"diff-index", "-z", "-M", "--no-abbrev", "--no-ext-diff"};
  if (cached) args.push_back("--cached");
  args.push_back(tree);
  args.push_back("--");
  std::string out = run_in(dir, args);
  std::vector<std::string_view> fields = split_nul(out);
  std::vector<Change> changes;
  for (size_t i = 0; i < fields.size(); ++i) {
    // ":<old mode> <new mode> <old id> <new id> <status>[score]" then one path, or two for renames and copies.
    std::string_view meta = fields[i];
    if (meta.empty() || meta.front() != ':') continue;
    std::vector<std::string_view> parts;
    for (size_t start = 1; start <= meta.size();) {
      size_t space = std::min(meta.find(' ', start), meta.size());
      parts.push_back(meta.substr(start, space - start));
      start = space + 1;
    }
    if (parts.size() < 5 || parts[4].empty()) continue;
    Change change;
    change.status = parts[4].front();
    bool two_paths = change.status == 'R' || change.status == 'C';
    if (i + 1 >= fields.size() || (two_paths && i + 2 >= fields.size())) break;
    std::string first(fields[++i]);
    std::string second = two_paths ? std::string(fields[++i]) : first;
    if (change.status != 'A') {
      change.base_path = first;
      if (!is_null_id(parts[2])) change.base_blob = std::string(parts[2]);
    }
    if (change.status != 'D') change.path = second;
    changes.push_back(std::move(change));
  }
  return changes;
}

BlobReader::BlobReader(const fs::path& dir) : cat_file_(start_git(dir, {"cat-file", "--batch"})) {}

std::map<std::string, std::string> BlobReader::read(const std::vector<std::string>& ids) {
  std::string input;
  for (const auto& id : ids) input += id + "\n";
  return parse_batch(output_of({"cat-file", "--batch"}, cat_file_.finish(input)));
}

}  // namespace ormlint::git
