#include "engine/python_requirements.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include "core/source_file.h"
#include "core/text.h"

namespace ormlint {

namespace fs = std::filesystem;

namespace {

using Versions = std::map<std::string, std::string, std::less<>>;

// Keeps the higher of two lower bounds.
void raise_bound(std::string& bound, std::string_view candidate) {
  if (!candidate.empty() && (bound.empty() || !version_at_least(bound, candidate)))
    bound = std::string(candidate);
}

// The version a specifier's operator leaves ("2.10" of ">=2.10"), "" for operators that set no lower bound
// (`<`, `<=`, `!=`) and wildcards' trailing `.*`.
std::string specifier_bound(std::string_view spec, bool poetry) {
  spec = trim(spec);
  for (std::string_view op : {"===", "==", ">=", "~=", ">"}) {
    if (spec.starts_with(op)) {
      std::string version(trim(spec.substr(op.size())));
      if (version.ends_with(".*")) version.resize(version.size() - 2);
      return version == "*" ? "" : version;
    }
  }
  // Poetry's caret and tilde (`^2.10`, `~2.10`) and bare versions (`2.10`: exactly that one).
  if (poetry) {
    if (spec.starts_with('^') || (spec.starts_with('~') && !spec.starts_with("~="))) spec.remove_prefix(1);
    spec = trim(spec);
    if (!spec.empty() && std::isdigit(static_cast<unsigned char>(spec.front()))) return std::string(spec);
  }
  return "";
}

std::string bound_of_specifiers(std::string_view specifiers, bool poetry) {
  std::string bound;
  size_t start = 0;
  while (start <= specifiers.size()) {
    size_t comma = specifiers.find(',', start);
    if (comma == std::string_view::npos) comma = specifiers.size();
    raise_bound(bound, specifier_bound(specifiers.substr(start, comma - start), poetry));
    start = comma + 1;
  }
  return bound;
}

void record(Versions& versions, const std::string& name, const std::string& bound) {
  if (name.empty() || bound.empty()) return;
  auto [it, inserted] = versions.try_emplace(name, bound);
  if (!inserted) raise_bound(it->second, bound);
}

std::optional<toml::table> parse_toml(const fs::path& file) {
  std::string error;
  std::optional<std::string> text = read_file_bytes(file, error);
  if (!text) return std::nullopt;
  try {
    return toml::parse(*text, file.string());
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
}

// uv.lock and poetry.lock: `[[package]]` tables with `name` and `version`.
void read_lock(const fs::path& file, Versions& versions) {
  std::optional<toml::table> doc = parse_toml(file);
  const toml::array* packages = doc ? (*doc)["package"].as_array() : nullptr;
  if (!packages) return;
  for (const toml::node& node : *packages) {
    const toml::table* package = node.as_table();
    if (!package) continue;
    auto name = (*package)["name"].value<std::string>();
    auto version = (*package)["version"].value<std::string>();
    if (name && version) versions.emplace(normalized_package_name(*name), *version);
  }
}

void read_pyproject(const fs::path& file, Versions& versions) {
  std::optional<toml::table> doc = parse_toml(file);
  if (!doc) return;
  if (const toml::array* dependencies = (*doc)["project"]["dependencies"].as_array()) {
    for (const toml::node& node : *dependencies) {
      if (auto text = node.value<std::string>()) {
        if (auto requirement = parse_requirement(*text))
          record(versions, requirement->name, requirement->lower_bound);
      }
    }
  }
  if (const toml::table* poetry = (*doc)["tool"]["poetry"]["dependencies"].as_table()) {
    for (const auto& [key, value] : *poetry) {
      std::optional<std::string> spec = value.value<std::string>();
      if (const toml::table* detail = value.as_table()) spec = (*detail)["version"].value<std::string>();
      if (spec) record(versions, normalized_package_name(key.str()), bound_of_specifiers(*spec, true));
    }
  }
}

void read_requirements_txt(const fs::path& file, Versions& versions) {
  std::string error;
  std::optional<std::string> text = read_file_bytes(file, error);
  if (!text) return;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    std::string_view content = trim(line);
    if (content.empty() || content.front() == '#' || content.front() == '-') continue;  // options, -r, -e
    if (auto requirement = parse_requirement(content))
      record(versions, requirement->name, requirement->lower_bound);
  }
}

}  // namespace

std::string normalized_package_name(std::string_view name) {
  std::string result;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (result.empty() || result.back() != '-') result += '-';
    } else {
      result += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return result;
}

std::optional<Requirement> parse_requirement(std::string_view line) {
  line = trim(line.substr(0, line.find(';')));     // environment markers
  line = line.substr(0, line.find(" #"));          // a trailing comment (requirements.txt)
  size_t end = 0;
  while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '-' ||
                               line[end] == '_' || line[end] == '.')) {
    ++end;
  }
  if (end == 0) return std::nullopt;
  Requirement requirement{normalized_package_name(line.substr(0, end)), ""};
  std::string_view rest = trim(line.substr(end));
  if (rest.starts_with('[')) {  // extras
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    rest = trim(rest.substr(close + 1));
  }
  if (rest.starts_with('(') && rest.ends_with(')')) rest = rest.substr(1, rest.size() - 2);
  if (rest.starts_with('@')) return requirement;  // a URL: no version to read
  requirement.lower_bound = bound_of_specifiers(rest, false);
  return requirement;
}

bool version_at_least(std::string_view a, std::string_view b) {
  // Release segments as numbers; stops at the first character that is neither a digit nor a dot.
  auto segments = [](std::string_view v) {
    std::vector<long> result;
    long current = 0;
    bool any = false;
    for (char c : v) {
      if (std::isdigit(static_cast<unsigned char>(c))) {
        current = current * 10 + (c - '0');
        any = true;
      } else if (c == '.' && any) {
        result.push_back(current);
        current = 0;
        any = false;
      } else {
        break;
      }
    }
    if (any) result.push_back(current);
    return result;
  };
  std::vector<long> x = segments(a), y = segments(b);
  size_t n = std::max(x.size(), y.size());
  x.resize(n, 0);
  y.resize(n, 0);
  return x >= y;
}

std::vector<fs::path> packaging_files(const fs::path& start) {
  static constexpr const char* kNames[] = {"uv.lock", "poetry.lock", "pyproject.toml", "requirements.txt"};
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (; !dir.empty(); dir = dir.parent_path()) {
    std::vector<fs::path> found;
    for (const char* name : kNames) {
      if (fs::is_regular_file(dir / name, ec)) found.push_back(dir / name);
    }
    if (!found.empty()) return found;
    // Not past the repository's top: a folder above it belongs to something else.
    if (dir == dir.root_path() || fs::exists(dir / ".git", ec)) break;
  }
  return {};
}

std::map<std::string, std::string, std::less<>> lowest_package_versions(const fs::path& start) {
  Versions locked, declared;
  for (const fs::path& file : packaging_files(start)) {
    const std::string name = file.filename().string();
    if (name == "uv.lock" || name == "poetry.lock") {
      read_lock(file, locked);
    } else if (name == "pyproject.toml") {
      read_pyproject(file, declared);
    } else {
      read_requirements_txt(file, declared);
    }
  }
  for (auto& [name, version] : locked) declared[name] = version;  // what is locked is what runs
  return declared;
}

}  // namespace ormlint
