#include "change_support.h"

#include <map>
#include <set>
#include <sstream>

#include "engine/discovery.h"
#include "fixture_support.h"

namespace ormlint::testing {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFileMarker = "# file: ";
constexpr std::string_view kBaseSuffix = " (HEAD)";
constexpr std::string_view kNewSuffix = " (new)";
constexpr std::string_view kRenamedFrom = " (renamed from ";

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

WrittenChange write_change(const fs::path& dir, const std::string& text, const std::string& default_name) {
  std::map<std::string, std::string> base;  // by relative path
  std::set<std::string> current, added;
  std::map<std::string, std::string> renamed_from;  // base path -> current path
  std::string files;    // the text for write_files: every block but the base versions
  std::string* target = &files;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(kFileMarker, 0) == 0) {
      std::string path = line.substr(kFileMarker.size());
      if (ends_with(path, kBaseSuffix)) {
        target = &base[path.substr(0, path.size() - kBaseSuffix.size())];
        continue;
      }
      if (ends_with(path, kNewSuffix)) {
        path.resize(path.size() - kNewSuffix.size());
        added.insert(path);
      } else if (size_t from = path.find(kRenamedFrom); from != std::string::npos && ends_with(path, ")")) {
        size_t start = from + kRenamedFrom.size();
        renamed_from[path.substr(start, path.size() - 1 - start)] = path.substr(0, from);
        path.resize(from);
      }
      current.insert(path);
      target = &files;
      *target += std::string(kFileMarker) + path + "\n";
      continue;
    }
    *target += line + "\n";
  }
  write_files(dir, files, default_name);

  WrittenChange change;
  if (base.empty() && added.empty() && renamed_from.empty()) return change;
  change.base_name = "HEAD";
  auto display = [&](const std::string& path) { return display_path_for(dir / path); };
  for (const auto& [path, content] : base) {
    auto renamed = renamed_from.find(path);
    std::string now = renamed != renamed_from.end() ? display(renamed->second) : current.count(path) ? display(path) : "";
    change.base_versions.push_back(BaseVersion{now, display(path), content});
  }
  for (const auto& path : added) change.base_versions.push_back(BaseVersion{display(path), "", std::nullopt});
  return change;
}

RunResult run_change(const fs::path& dir, const WrittenChange& change, const std::vector<const Rule*>& rules,
                     bool git_aware) {
  RunOptions options;
  options.paths = {dir.string()};
  options.jobs = 2;
  options.config.root = dir;
  options.rules = rules;
  if (git_aware) {
    options.base_name = change.base_name;
    options.base_versions = change.base_versions;
  }
  return run(options);
}

}  // namespace ormlint::testing
