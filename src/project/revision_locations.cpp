// Groups revision scripts into Alembic script locations and reads each script's graph identifiers.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_set>

#include "core/paths.h"
#include "facts/revision_builder.h"
#include "project/project.h"

namespace ormlint {

namespace fs = std::filesystem;

namespace {

// Literal strings of a str / tuple / list expression; `literal` is false when any part is not a string.
std::vector<std::string> strings_of(const Expr& e, bool& literal) {
  std::vector<std::string> out;
  literal = true;
  if (e.is_string()) {
    out.push_back(e.text);
  } else if (e.kind == Expr::Kind::Tuple || e.kind == Expr::Kind::List || e.kind == Expr::Kind::Set) {
    for (const Expr& item : e.items) {
      if (item.is_string()) {
        if (std::find(out.begin(), out.end(), item.text) == out.end()) out.push_back(item.text);
      } else {
        literal = false;
      }
    }
  } else if (e.kind != Expr::Kind::None) {
    literal = false;
  }
  return out;
}

RevisionNode node_for(const ProjectFile& file) {
  const RevisionInfo& info = *file.facts.revision;
  RevisionNode node;
  node.file = &file;
  node.info = &info;
  if (info.revision && info.revision->is_string()) node.id = info.revision->text;
  bool literal = true;
  if (!info.down_revision || info.down_revision->kind == Expr::Kind::None) {
    node.down_revision_none = true;
  } else if (info.down_revision->is_string() && info.down_revision->text.empty()) {
    node.down_revision_empty = true;
  } else {
    node.parents = strings_of(*info.down_revision, literal);
    node.down_revision_unknown = !literal;
    // `down_revision = ()`: Alembic turns an empty tuple into None, a base revision.
    node.down_revision_none = literal && node.parents.empty();
  }
  if (info.depends_on) node.depends_on = strings_of(*info.depends_on, literal);
  // `depends_on = ""` (or `("",)`): Alembic keeps a single dependency as a scalar, and an empty one is falsy, so it
  // adds no dependency (unlike `down_revision = ""`, which names a parent "").
  if (node.depends_on.size() == 1 && node.depends_on.front().empty()) node.depends_on.clear();
  if (info.branch_labels && info.branch_labels->kind != Expr::Kind::None) {
    node.branch_labels = strings_of(*info.branch_labels, literal);
    node.has_branch_labels = !node.branch_labels.empty() || !literal;
  }
  return node;
}

std::string display(const fs::path& dir) {
  fs::path relative = dir.lexically_relative(working_directory());
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return dir.generic_string();
}

bool is_under(const fs::path& dir, const fs::path& ancestor) {
  fs::path relative = dir.lexically_relative(ancestor);
  return !relative.empty() && *relative.begin() != "..";
}

// The configured location whose version folders hold `dir`, if any (the first one, as configs are sorted). A
// folder nested in a version folder of a non-recursive location belongs to it too when no location claims it:
// its scripts are loaded through version_locations set in code (keystone's versions/<release>/expand/), and all
// the version folders of a script directory form one graph.
const ScriptLocation* configured_location(const std::vector<ScriptLocation>& locations, const fs::path& dir) {
  for (const ScriptLocation& location : locations) {
    for (const fs::path& version_dir : location.version_dirs) {
      if (version_dir == dir || (location.recursive && is_under(dir, version_dir))) return &location;
    }
  }
  for (const ScriptLocation& location : locations) {
    for (const fs::path& version_dir : location.version_dirs) {
      if (is_under(dir, version_dir)) return &location;
    }
  }
  return nullptr;
}

// A folder of a configured Alembic environment (its script_location) outside its version folders (agenta's
// migrations/temp/): Alembic never loads the scripts there, so they belong to no revision graph.
bool outside_version_folders(const std::vector<ScriptLocation>& locations, const fs::path& dir) {
  return std::any_of(locations.begin(), locations.end(), [&](const ScriptLocation& location) {
    return !location.script_dir.empty() && (dir == location.script_dir || is_under(dir, location.script_dir));
  });
}

// Without a configuration, the `versions` folder a script lies in, however deep (Alembic's convention: its
// sub-folders are version locations of the same script directory); empty when there is none above `dir`. Except
// sub-folders named for a database (`versions/postgresql/` beside `versions/sqlite/`, prefect): the environment
// loads the one for the database it runs on, so each is a location of its own.
fs::path enclosing_versions_folder(const fs::path& dir) {
  fs::path below = dir;
  for (fs::path up = dir.parent_path(); !up.empty() && up != up.root_path(); below = up, up = up.parent_path()) {
    if (up.filename() == "versions") return folder_database(below).empty() ? up : below;
  }
  return {};
}

// The files Alembic would load as revision scripts from these folders: every `*.py` but `__init__.py` and editor
// lock files (`.#name.py`), in sub-folders too when the location is recursive.
std::vector<fs::path> scripts_in(const std::vector<fs::path>& dirs, bool recursive) {
  std::vector<fs::path> out;
  auto consider = [&](const fs::directory_entry& entry) {
    std::error_code ec;
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".py" || !entry.is_regular_file(ec)) return;
    if (name.rfind("__init__", 0) == 0 || name.rfind(".#", 0) == 0) return;
    out.push_back(entry.path().lexically_normal());
  };
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    if (recursive) {
      fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
      for (; !ec && it != end; it.increment(ec)) {
        if (it->path().filename() == "__pycache__") it.disable_recursion_pending();
        consider(*it);
      }
    } else {
      fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
      for (; !ec && it != end; it.increment(ec)) consider(*it);
    }
  }
  return out;
}

bool declares_revision(const ProjectFile& file) {
  return std::any_of(file.facts.assignments.begin(), file.facts.assignments.end(),
                     [](const Assignment& a) { return a.target == "revision"; });
}

struct Group {
  RevisionLocation location;
  std::vector<fs::path> dirs;  // the folders whose scripts form it
  bool recursive = false;
};

}  // namespace

namespace {

template <class Related>
std::set<const ProjectFile*> related_revisions(const std::vector<RevisionLocation>& locations,
                                               const ProjectFile& file, Related&& related) {
  std::set<const ProjectFile*> files;
  for (const RevisionLocation& location : locations) {
    for (size_t node = 0; node < location.nodes.size(); ++node) {
      if (location.nodes[node].file != &file) continue;
      for (size_t other : related(location, node)) {
        if (other != node) files.insert(location.nodes[other].file);
      }
    }
  }
  return files;
}

}  // namespace

std::set<const ProjectFile*> Project::revisions_before(const ProjectFile& file) const {
  return related_revisions(revision_locations_, file, [](const RevisionLocation& location, size_t node) {
    return location.ancestors(node);
  });
}

std::set<const ProjectFile*> Project::revisions_after(const ProjectFile& file) const {
  return related_revisions(revision_locations_, file, [](const RevisionLocation& location, size_t node) {
    return location.descendants(node);
  });
}

void Project::build_revision_graphs(const std::vector<ScriptLocation>& script_locations) {
  std::map<std::string, Group> by_name;
  // Every checked file whose revision graph facts we have, by absolute normalised path (as text: comparing
  // fs::path values walks their components): the rest leave holes in a location.
  std::unordered_set<std::string> understood;
  for (const auto& file : files_) {
    const fs::path& source = file->source.path();
    fs::path path = (source.is_absolute() ? source : working_directory() / source).lexically_normal();
    if (file->is_revision() || (!file->syntax_problem && !declares_revision(*file))) understood.insert(path.native());
    if (!file->is_revision()) continue;
    fs::path dir = path.parent_path();
    // A configured location claims the scripts in its version folders; any other folder is its own location.
    std::string name;
    const ScriptLocation* configured = configured_location(script_locations, dir);
    const fs::path versions = configured ? fs::path() : enclosing_versions_folder(dir);
    // In a configured environment, and in no `versions` folder (which may be another environment's).
    if (!configured && versions.empty() && outside_version_folders(script_locations, dir)) continue;
    if (configured) {
      for (const fs::path& d : configured->version_dirs) name += (name.empty() ? "" : ", ") + display(d);
    } else {
      name = display(versions.empty() ? dir : versions);
    }
    Group& group = by_name[name];
    group.location.name = name;
    if (configured) {
      group.location.source = configured->source;
      group.dirs = configured->version_dirs;
      group.recursive = configured->recursive;
    } else if (!versions.empty()) {
      group.dirs = {versions};
      group.recursive = true;
    } else {
      group.dirs = {dir};
    }
    group.location.nodes.push_back(node_for(*file));
  }
  for (auto& [name, group] : by_name) {
    RevisionLocation& location = group.location;
    std::sort(location.nodes.begin(), location.nodes.end(),
              [](const RevisionNode& a, const RevisionNode& b) { return a.file->path() < b.file->path(); });
    for (const fs::path& script : scripts_in(group.dirs, group.recursive)) {
      if (!understood.count(script.native())) location.complete = false;
    }
    location.build();
    revision_locations_.push_back(std::move(location));
  }
}

}  // namespace ormlint
