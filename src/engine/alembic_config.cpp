#include "engine/alembic_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/text.h"

namespace ormlint {

namespace fs = std::filesystem;

namespace {

// The [alembic] section of an INI file, with continuation lines joined (as configparser does).
std::map<std::string, std::string> read_ini_section(const fs::path& file, const std::string& wanted) {
  std::map<std::string, std::string> values;
  std::ifstream in(file);
  std::string line, section, last_key;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if ((line[0] == ' ' || line[0] == '\t') && !last_key.empty() && section == wanted) {
      values[last_key] += " " + std::string(trim(line));
      continue;
    }
    std::string t(trim(line));
    if (t.empty()) continue;
    if (t.front() == '[' && t.back() == ']') {
      section = t.substr(1, t.size() - 2);
      last_key.clear();
      continue;
    }
    size_t eq = t.find_first_of("=:");
    if (eq == std::string::npos || section != wanted) continue;
    last_key = trim(t.substr(0, eq));
    values[last_key] = trim(t.substr(eq + 1));
  }
  return values;
}

// An absolute folder that does not exist on this machine was written for another one (a container's
// `/app/migrations`, agenta): it is the folder of this checkout whose path ends the same way — one below
// `here` (`here/migrations`), or `here` itself when the configuration sits inside it. Unchanged when none is.
fs::path relocated(const fs::path& absolute, const fs::path& here) {
  const fs::path below_root = absolute.relative_path();
  const std::vector<fs::path> parts(below_root.begin(), below_root.end());
  const fs::path here_normal = fs::absolute(here).lexically_normal();
  const std::vector<fs::path> here_parts(here_normal.begin(), here_normal.end());
  for (size_t keep = parts.size(); keep >= 1; --keep) {
    const auto tail_begin = parts.end() - static_cast<std::ptrdiff_t>(keep);
    fs::path tail;
    for (auto part = tail_begin; part != parts.end(); ++part) tail /= *part;
    std::error_code error;
    if (fs::is_directory(here_normal / tail, error)) return here_normal / tail;
    if (here_parts.size() >= keep &&
        std::equal(tail_begin, parts.end(), here_parts.end() - (parts.end() - tail_begin))) {
      return here_normal;
    }
  }
  return absolute;
}

// `%(here)s` is the ini file's folder; other interpolations are left as they are (and will simply not exist).
fs::path resolve_dir(const std::string& value, const fs::path& here) {
  std::string v = value;
  for (size_t at = v.find("%(here)s"); at != std::string::npos; at = v.find("%(here)s")) {
    v.replace(at, 8, here.string());
  }
  fs::path p(v);
  if (p.is_relative()) {
    // Alembic reads a relative location from the folder it runs in, which is usually the ini file's; an ini
    // kept inside the migrations package (`api/src/db/migrations/alembic.ini` naming `src/db/migrations`, run
    // from `api/`) names it from a folder above: the nearest one where it exists.
    std::error_code error;
    for (fs::path from = fs::absolute(here); !from.empty(); from = from.parent_path()) {
      const fs::path candidate = (from / p).lexically_normal();
      if (fs::is_directory(candidate, error)) return candidate;
      if (from == from.parent_path()) break;
    }
    return fs::absolute(here / p).lexically_normal();
  }
  p = p.lexically_normal();
  std::error_code error;
  return fs::exists(p, error) || value.find("%(here)s") != std::string::npos ? p : relocated(p, here);
}

std::vector<std::string> split_locations(const std::string& value, const std::string& separator) {
  std::vector<std::string> parts;
  std::string current;
  auto flush = [&] {
    if (!trim(current).empty()) parts.push_back(std::string(trim(current)));
    current.clear();
  };
  for (char c : value) {
    bool split = separator == "os" || separator == ":" ? c == ':'
                 : separator == ";"                    ? c == ';'
                 : separator == ","                    ? c == ','
                 : separator == "space" || separator == "newline" ? (c == ' ' || c == '\n')
                                                         : (c == ' ' || c == ',');  // Alembic's legacy default
    if (split) {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  return parts;
}

ScriptLocation location_from(const std::string& source, const fs::path& here, const std::string& script_location,
                             const std::string& version_locations, const std::string& separator) {
  ScriptLocation location;
  location.source = source;
  if (!script_location.empty() && script_location.find(':') == std::string::npos) {
    location.script_dir = resolve_dir(script_location, here);
  }
  if (!version_locations.empty()) {
    for (const auto& dir : split_locations(version_locations, separator)) {
      location.version_dirs.push_back(resolve_dir(dir, here));
    }
  } else if (!script_location.empty() && script_location.find(':') == std::string::npos) {
    // "package:path" locations name an installed package; only plain folders are followed.
    location.version_dirs.push_back(resolve_dir(script_location, here) / "versions");
  }
  return location;
}

}  // namespace

std::vector<ScriptLocation> read_script_locations(const fs::path& file) {
  std::vector<ScriptLocation> result;
  fs::path here = fs::absolute(file).parent_path().lexically_normal();
  std::error_code ec;
  std::string source = fs::relative(file, fs::current_path(), ec).generic_string();
  if (source.empty() || source.rfind("..", 0) == 0) source = fs::absolute(file).generic_string();
  if (file.filename() == "pyproject.toml") {
    try {
      toml::table doc = toml::parse_file(file.string());
      const toml::table* alembic = doc["tool"]["alembic"].as_table();
      if (!alembic) return result;
      std::string script_location = (*alembic)["script_location"].value_or(std::string());
      std::string versions;
      if (const toml::array* list = (*alembic)["version_locations"].as_array()) {
        for (const auto& item : *list) versions += item.value_or(std::string()) + "\n";
      }
      ScriptLocation location = location_from(source, here, script_location, versions, "newline");
      auto recursive = (*alembic)["recursive_version_locations"];
      location.recursive = recursive.value_or(false) || recursive.value_or(std::string()) == "true";
      if (!location.version_dirs.empty()) result.push_back(std::move(location));
    } catch (const toml::parse_error&) {
      // Not ours to report: ormlint's own configuration errors are reported where it reads them.
    }
    return result;
  }
  auto values = read_ini_section(file, "alembic");
  std::string separator = values.count("version_path_separator") ? values["version_path_separator"] : "";
  ScriptLocation location =
      location_from(source, here, values["script_location"], values["version_locations"], separator);
  location.recursive = values["recursive_version_locations"] == "true";  // Alembic compares with "true" too
  if (!location.version_dirs.empty()) result.push_back(std::move(location));
  return result;
}

std::vector<fs::path> find_alembic_configs(const std::vector<std::string>& paths) {
  std::set<fs::path> found;
  auto consider = [&](const fs::path& dir) {
    std::error_code ec;
    for (const char* name : {"alembic.ini", "pyproject.toml"}) {
      fs::path candidate = dir / name;
      if (fs::is_regular_file(candidate, ec)) found.insert(candidate.lexically_normal());
    }
  };
  for (const auto& arg : paths) {
    std::error_code ec;
    fs::path start = fs::absolute(arg, ec).lexically_normal();
    for (fs::path dir = fs::is_directory(start, ec) ? start : start.parent_path(); !dir.empty(); dir = dir.parent_path()) {
      consider(dir);
      if (dir == dir.root_path()) break;
    }
    if (!fs::is_directory(start, ec)) continue;
    // alembic.ini files inside the checked folder (a monorepo may hold several services, agenta's six folders
    // down: api/ee/databases/postgres/migrations/core), not in dependencies.
    fs::recursive_directory_iterator it(start, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it.depth() > 8) it.disable_recursion_pending();
      std::string name = it->path().filename().string();
      if (it->is_directory(ec)) {
        if (name.front() == '.' || name == "node_modules" || name == "__pycache__" || name == "venv" ||
            name == "site-packages") {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (name == "alembic.ini") found.insert(it->path().lexically_normal());
    }
  }
  return {found.begin(), found.end()};
}

}  // namespace ormlint
