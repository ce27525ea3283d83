#include "engine/baseline.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "core/atomic_write.h"
#include "core/text.h"

namespace ormlint {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// The fields of an entry, in the order the file lists them.
constexpr const char* kPath = "path";
constexpr const char* kRule = "rule";
constexpr const char* kCode = "code";
constexpr const char* kSourceLine = "source_line";
constexpr const char* kMessage = "message";
constexpr const char* kCount = "count";

// Paths are bytes on Linux and lines come from files that may hold invalid UTF-8; the file stores such text with
// U+FFFD, so keys are built the same way or a finding would never match its own entry.
std::string json_safe(std::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return std::string(text);
  const std::string encoded = json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
  return json::parse(encoded).get<std::string>();
}

// "/a/b/" -> "/a/b": a trailing separator would add an empty element that lexically_relative does not skip.
fs::path without_trailing_separator(fs::path path) {
  path = path.lexically_normal();
  if (!path.has_filename() && path.has_relative_path()) path = path.parent_path();
  return path;
}

bool is_under(const fs::path& path, const fs::path& folder) {
  const fs::path relative = path.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

using Key = std::tuple<std::string, std::string, std::string>;  // path, rule, source line

Key key_of(const BaselineEntry& entry) {
  return {entry.path, entry.rule, entry.source_line};
}

BaselineEntry entry_for(const Diagnostic& d, const ProjectPaths& paths) {
  BaselineEntry entry;
  entry.path = json_safe(paths.relative(d.path));
  entry.rule = json_safe(d.rule);
  entry.source_line = baseline_source_line(d.source_line);
  entry.code = json_safe(d.code);
  entry.message = json_safe(d.message);
  entry.count = 1;
  return entry;
}

// Throws the error for entry number `index` (1-based) of `file`.
[[noreturn]] void entry_error(const std::string& file, size_t index, const std::string& problem) {
  throw BaselineError(file + ": entry " + std::to_string(index) + ": " + problem);
}

std::string string_field(const json& entry, const char* name, bool required, bool non_empty, const std::string& file,
                         size_t index) {
  const auto found = entry.find(name);
  if (found == entry.end()) {
    if (required) entry_error(file, index, std::string("missing \"") + name + "\"");
    return {};
  }
  if (!found->is_string() || (non_empty && found->get_ref<const std::string&>().empty())) {
    entry_error(file, index, std::string("\"") + name + "\" must be a " + (non_empty ? "non-empty " : "") + "string");
  }
  return found->get<std::string>();
}

BaselineEntry parse_entry(const json& item, const std::string& file, size_t index) {
  if (!item.is_object()) entry_error(file, index, "must be an object");
  for (const auto& [name, value] : item.items()) {
    static const std::set<std::string> known = {kPath, kRule, kCode, kSourceLine, kMessage, kCount};
    if (!known.count(name)) {
      entry_error(file, index, "unknown key \"" + name + "\" (expected path, rule, code, source_line, message, count)");
    }
  }
  BaselineEntry entry;
  entry.path = string_field(item, kPath, true, true, file, index);
  entry.rule = string_field(item, kRule, true, true, file, index);
  entry.source_line = string_field(item, kSourceLine, true, false, file, index);
  entry.code = string_field(item, kCode, false, false, file, index);
  entry.message = string_field(item, kMessage, false, false, file, index);
  const auto count = item.find(kCount);
  if (count == item.end()) entry_error(file, index, "missing \"count\"");
  if (!count->is_number_unsigned() || count->get<uint64_t>() == 0) {
    entry_error(file, index, "\"count\" must be a positive integer");
  }
  entry.count = count->get<size_t>();
  return entry;
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the rest is what a person needs.
std::string without_exception_id(const std::string& what) {
  const size_t end = what.find("] ");
  return what.rfind("[json.exception.", 0) == 0 && end != std::string::npos ? what.substr(end + 2) : what;
}

}  // namespace

bool operator<(const BaselineEntry& a, const BaselineEntry& b) {
  return std::tie(a.path, a.rule, a.source_line, a.message, a.code) <
         std::tie(b.path, b.rule, b.source_line, b.message, b.code);
}

size_t Baseline::total() const {
  size_t sum = 0;
  for (const BaselineEntry& entry : entries) sum += entry.count;
  return sum;
}

ProjectPaths::ProjectPaths(const fs::path& root, const fs::path& cwd)
    : root_(without_trailing_separator(root.is_absolute() ? root : cwd / root)),
      cwd_(without_trailing_separator(cwd)) {}

std::string ProjectPaths::relative(const std::string& display_path) const {
  const fs::path path(display_path);
  const fs::path absolute = (path.is_absolute() ? path : cwd_ / path).lexically_normal();
  const fs::path relative = absolute.lexically_relative(root_);
  // Empty only when the two cannot be related at all (different root names: not on POSIX).
  return relative.empty() ? absolute.generic_string() : relative.generic_string();
}

BaselineScope::BaselineScope(const ProjectPaths& project, const std::vector<std::string>& checked_paths,
                             std::optional<std::set<std::string>> rule_names)
    : root_(project.root()), rules_(std::move(rule_names)) {
  for (const std::string& checked : checked_paths) {
    paths_.push_back(without_trailing_separator(root_ / project.relative(checked)));
  }
}

bool BaselineScope::contains(const BaselineEntry& entry) const {
  if (rules_ && !rules_->count(entry.rule)) return false;
  const fs::path absolute = (root_ / entry.path).lexically_normal();
  return std::any_of(paths_.begin(), paths_.end(), [&](const fs::path& checked) { return is_under(absolute, checked); });
}

void BaselineScope::cover(const std::vector<Diagnostic>& diagnostics, const ProjectPaths& project) {
  std::set<std::string> seen;
  for (const Diagnostic& d : diagnostics) {
    if (rules_) rules_->insert(d.rule);
    if (!seen.insert(d.path).second) continue;
    const fs::path file = (root_ / project.relative(d.path)).lexically_normal();
    const bool covered = std::any_of(paths_.begin(), paths_.end(), [&](const fs::path& p) { return is_under(file, p); });
    if (!covered) paths_.push_back(file);
  }
}

std::string baseline_source_line(std::string_view source_line) {
  return json_safe(trim(source_line));
}

Baseline normalised(std::vector<BaselineEntry> entries) {
  std::sort(entries.begin(), entries.end());
  Baseline baseline;
  for (BaselineEntry& entry : entries) {
    if (!baseline.entries.empty()) {
      BaselineEntry& last = baseline.entries.back();
      if (!(last < entry) && !(entry < last)) {
        last.count += entry.count;
        continue;
      }
    }
    baseline.entries.push_back(std::move(entry));
  }
  return baseline;
}

Baseline baseline_from(const std::vector<Diagnostic>& diagnostics, const ProjectPaths& paths) {
  std::vector<BaselineEntry> entries;
  entries.reserve(diagnostics.size());
  for (const Diagnostic& d : diagnostics) entries.push_back(entry_for(d, paths));
  return normalised(std::move(entries));
}

std::string serialize_baseline(const Baseline& baseline) {
  ordered_json entries = ordered_json::array();
  for (const BaselineEntry& entry : baseline.entries) {
    ordered_json item;
    item[kPath] = entry.path;
    item[kRule] = entry.rule;
    item[kCode] = entry.code;
    item[kSourceLine] = entry.source_line;
    item[kMessage] = entry.message;
    item[kCount] = entry.count;
    entries.push_back(std::move(item));
  }
  ordered_json document;
  document["version"] = kBaselineFormatVersion;
  document["entries"] = std::move(entries);
  return document.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

Baseline parse_baseline(std::string_view text, const std::string& file_name) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    throw BaselineError(file_name + ": not a valid baseline file (JSON): " + without_exception_id(e.what()));
  }
  if (!document.is_object()) {
    throw BaselineError(file_name + ": not a valid baseline file: expected a JSON object with \"version\" and \"entries\"");
  }
  for (const auto& [name, value] : document.items()) {
    if (name != "version" && name != "entries") {
      throw BaselineError(file_name + ": unknown key \"" + name + "\" (expected \"version\" and \"entries\")");
    }
  }
  const auto version = document.find("version");
  if (version == document.end() || !version->is_number_integer()) {
    throw BaselineError(file_name + ": not a valid baseline file: missing \"version\" (an integer)");
  }
  if (version->get<int64_t>() != kBaselineFormatVersion) {
    const std::string found = std::to_string(version->get<int64_t>());
    const std::string supported = std::to_string(kBaselineFormatVersion);
    throw BaselineError(file_name + ": baseline format version " + found +
                        (version->get<int64_t>() > kBaselineFormatVersion ? " was written by a newer ormlint" : " is not supported") +
                        "; this ormlint reads version " + supported);
  }
  const auto entries = document.find("entries");
  if (entries == document.end() || !entries->is_array()) {
    throw BaselineError(file_name + ": not a valid baseline file: \"entries\" must be an array");
  }
  std::vector<BaselineEntry> parsed;
  parsed.reserve(entries->size());
  size_t index = 0;
  for (const json& item : *entries) parsed.push_back(parse_entry(item, file_name, ++index));
  return normalised(std::move(parsed));
}

Baseline load_baseline(const fs::path& file) {
  std::error_code ec;
  if (fs::is_directory(file, ec)) throw BaselineError(file.string() + ": is a folder, not a baseline file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BaselineError(file.string() + ": cannot read the baseline: " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw BaselineError(file.string() + ": cannot read the baseline");
  return parse_baseline(buffer.str(), file.string());
}

void write_baseline(const fs::path& file, const Baseline& baseline) {
  std::error_code ec;
  if (fs::is_directory(file, ec)) throw BaselineError(file.string() + ": is a folder; name a file to write the baseline to");
  // A symlinked baseline (shared between checkouts) is rewritten where it points; the rename must not replace the
  // link itself.
  const fs::path destination = fs::is_symlink(file, ec) ? fs::weakly_canonical(file, ec) : file;
  const std::string reason = write_file_atomically(destination, serialize_baseline(baseline));
  if (!reason.empty()) throw BaselineError(file.string() + ": cannot write the baseline: " + reason);
}

Baseline merge_for_write(const Baseline& old_baseline, const Baseline& fresh, const BaselineScope& scope) {
  std::vector<BaselineEntry> entries = fresh.entries;
  for (const BaselineEntry& entry : old_baseline.entries) {
    if (!scope.contains(entry)) entries.push_back(entry);
  }
  return normalised(std::move(entries));
}

BaselineOutcome apply_baseline(const Baseline& baseline, const std::vector<Diagnostic>& diagnostics,
                               const ProjectPaths& paths, const BaselineScope& scope) {
  std::vector<size_t> remaining;
  std::map<Key, std::vector<size_t>> by_key;  // entry indices, in file order
  for (size_t i = 0; i < baseline.entries.size(); ++i) {
    remaining.push_back(baseline.entries[i].count);
    by_key[key_of(baseline.entries[i])].push_back(i);
  }

  std::vector<BaselineEntry> findings;
  findings.reserve(diagnostics.size());
  for (const Diagnostic& d : diagnostics) findings.push_back(entry_for(d, paths));
  std::vector<bool> matched(diagnostics.size(), false);

  // Two passes: an entry with the same message first (so the stale list names the right one when messages
  // differ), then any entry with the same key.
  for (bool same_message_only : {true, false}) {
    for (size_t i = 0; i < findings.size(); ++i) {
      if (matched[i]) continue;
      const auto candidates = by_key.find(key_of(findings[i]));
      if (candidates == by_key.end()) continue;
      for (size_t index : candidates->second) {
        if (remaining[index] == 0) continue;
        if (same_message_only && baseline.entries[index].message != findings[i].message) continue;
        --remaining[index];
        matched[i] = true;
        break;
      }
    }
  }

  BaselineOutcome outcome;
  for (size_t i = 0; i < diagnostics.size(); ++i) {
    if (matched[i]) {
      ++outcome.hidden;
    } else {
      outcome.kept.push_back(diagnostics[i]);
    }
  }
  for (size_t i = 0; i < baseline.entries.size(); ++i) {
    if (remaining[i] == 0 || !scope.contains(baseline.entries[i])) continue;
    BaselineEntry stale = baseline.entries[i];
    stale.count = remaining[i];
    outcome.stale.push_back(std::move(stale));
  }
  return outcome;
}

}  // namespace ormlint
