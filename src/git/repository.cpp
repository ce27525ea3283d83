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

ProcessResult run_git(const fs::path& dir, const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string error;
  auto result = run_process(argv, dir, input, error);
  if (!result) throw GitError("cannot run git (" + error + "); is git installed?");
  return std::move(*result);
}

// An all-zero object id: "not in the object database" (a working-tree side of a diff).
bool is_null_id(std::string_view id) { return id.find_first_not_of('0') == std::string_view::npos; }

}  // namespace

Repository Repository::containing(const fs::path& dir) {
  ProcessResult result = run_git(dir, {"rev-parse", "--show-toplevel"}, {});
  if (result.exit_code != 0) {
    std::error_code ec;
    throw GitError(fs::absolute(dir, ec).lexically_normal().generic_string() + " is not inside a git work tree (" + trim_line(result.err) + ")");
  }
  return Repository(fs::path(trim_line(result.out)));
}

std::string Repository::run(std::vector<std::string> args, const std::string& input) const {
  ProcessResult result = run_git(root_, args, input);
  if (result.exit_code != 0) {
    std::string message = trim_line(result.err);
    throw GitError("`" + command_text(args) + "` failed" + (message.empty() ? "" : ": " + message));
  }
  return std::move(result.out);
}

std::vector<IndexEntry> Repository::index() const {
  std::vector<IndexEntry> entries;
  std::string out = run({"ls-files", "--stage", "-z"});
  for (std::string_view record : split_nul(out)) {
    // "<mode> <object> <stage>\t<path>"
    size_t tab = record.find('\t');
    if (tab == std::string_view::npos) continue;
    std::string_view head = record.substr(0, tab);
    size_t first = head.find(' '), last = head.rfind(' ');
    if (first == std::string_view::npos || first == last) continue;
    IndexEntry entry;
    entry.mode = std::string(head.substr(0, first));
    entry.blob = std::string(head.substr(first + 1, last - first - 1));
    entry.stage = head.back() - '0';
    entry.path = std::string(record.substr(tab + 1));
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(), [](const IndexEntry& a, const IndexEntry& b) {
    return a.path != b.path ? a.path < b.path : a.stage < b.stage;
  });
  return entries;
}

std::vector<std::string> Repository::unstaged_paths() const {
  // Without refreshing the index (a hook must not write it while `git commit` holds its lock), a file whose
  // timestamps changed is listed too; reading such a file from the index still gives the right content.
  const std::string out = run({"diff-files", "--name-only", "-z"});  // split_nul's views point into it
  std::vector<std::string> paths;
  for (std::string_view path : split_nul(out)) paths.emplace_back(path);
  return paths;
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
  std::string tree = base ? *base : trim_line(run({"hash-object", "-t", "tree", "--stdin"}));  // the empty tree
  std::vector<std::string> args{"diff-index", "-z", "-M", "--no-abbrev", "--no-ext-diff"};
  if (cached) args.push_back("--cached");
  args.push_back(tree);
  args.push_back("--");
  std::string out = run(args);
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

std::optional<std::string> Repository::commit_id(const std::string& ref) const {
  ProcessResult result = run_git(root_, {"rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"}, {});
  if (result.exit_code != 0) return std::nullopt;
  return trim_line(result.out);
}

std::optional<std::string> Repository::merge_base(const std::string& a, const std::string& b) const {
  ProcessResult result = run_git(root_, {"merge-base", a, b}, {});
  if (result.exit_code != 0) return std::nullopt;
  return trim_line(result.out);
}

std::map<std::string, std::string> Repository::read_blobs(const std::vector<std::string>& ids) const {
  std::map<std::string, std::string> blobs;
  if (ids.empty()) return blobs;
  std::string input;
  for (const auto& id : ids) input += id + "\n";
  std::string out = run({"cat-file", "--batch"}, input);
  // Each answer: "<id> <type> <size>\n<content>\n", or "<id> missing\n".
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

}  // namespace ormlint::git
