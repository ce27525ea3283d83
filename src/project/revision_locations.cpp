// Groups revision scripts into Alembic script locations and reads each script's graph identifiers.
#include <algorithm>
#include <filesystem>
#include <map>

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
        out.push_back(item.text);
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
  }
  if (info.depends_on) node.depends_on = strings_of(*info.depends_on, literal);
  if (info.branch_labels && info.branch_labels->kind != Expr::Kind::None) {
    node.branch_labels = strings_of(*info.branch_labels, literal);
    node.has_branch_labels = !node.branch_labels.empty() || !literal;
  }
  return node;
}

std::string display(const fs::path& dir) {
  std::error_code ec;
  fs::path relative = dir.lexically_relative(fs::current_path(ec));
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return dir.generic_string();
}

}  // namespace

void Project::build_revision_graphs(const std::vector<ScriptLocation>& script_locations) {
  std::map<std::string, RevisionLocation> by_name;
  for (const auto& file : files_) {
    if (!file->is_revision()) continue;
    std::error_code ec;
    fs::path dir = fs::absolute(file->source.path(), ec).parent_path().lexically_normal();
    // A configured location claims the scripts in its version folders; any other folder is its own location.
    std::string name, source;
    for (const ScriptLocation& location : script_locations) {
      for (const fs::path& version_dir : location.version_dirs) {
        if (version_dir == dir) {
          source = location.source;
          for (const fs::path& d : location.version_dirs) name += (name.empty() ? "" : ", ") + display(d);
        }
      }
      if (!source.empty()) break;
    }
    if (name.empty()) name = display(dir);
    RevisionLocation& location = by_name[name];
    location.name = name;
    location.source = source;
    location.nodes.push_back(node_for(*file));
  }
  for (auto& [name, location] : by_name) {
    std::sort(location.nodes.begin(), location.nodes.end(),
              [](const RevisionNode& a, const RevisionNode& b) { return a.file->path() < b.file->path(); });
    location.build();
    revision_locations_.push_back(std::move(location));
  }
}

}  // namespace ormlint
