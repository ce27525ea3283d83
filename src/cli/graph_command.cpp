#include "cli/graph_command.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/check_sources.h"
#include "core/parallel.h"
#include "core/text.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "project/project.h"

namespace ormlint::cli {

namespace fs = std::filesystem;

namespace {

// One printed line of the tree: a revision (the first time it is reached), or a reference back to one already
// printed (a revision reached twice outside the base-to-head walk: a cycle, or a merge of detached branches).
struct Visit {
  size_t node;  // SIZE_MAX: an empty line between two trees
  std::string prefix;  // tree drawing before the id
  bool reference = false;
};

struct Layout {
  std::vector<Visit> visits;
  size_t first_detached = SIZE_MAX;  // index in visits where revisions not reachable from a base start
};

// Tree drawing, one segment per nesting level.
enum Segment : uint8_t { kBar, kBlank, kTee, kCorner };

std::string draw(const std::vector<uint8_t>& segments) {
  static const char* const kText[] = {"│   ", "    ", "├── ", "└── "};
  std::string out;
  for (uint8_t s : segments) out += kText[s];
  return out;
}

// Depth first from each base revision. A revision with one child continues on the same indentation (a 10,000-step
// chain stays flat); a branch point indents each child. A merge waits until every branch leading to it has been
// printed, then continues at the indentation the branches share, so a history that branches and merges again
// returns to the left edge instead of drifting right. Iterative: histories are arbitrarily long.
Layout layout(const RevisionLocation& location) {
  const size_t count = location.nodes.size();
  Layout out;
  std::vector<bool> visited(count, false);
  // How many parents will reach each revision from the base revisions; a merge is printed at the last of them.
  std::vector<size_t> expected(count, 0), arrived(count, 0);
  std::vector<std::vector<uint8_t>> shared(count);  // common indentation of the branches that reached a merge
  {
    std::vector<bool> reachable(count, false);
    std::vector<size_t> stack(location.roots.begin(), location.roots.end());
    while (!stack.empty()) {
      size_t v = stack.back();
      stack.pop_back();
      if (reachable[v]) continue;
      reachable[v] = true;
      for (size_t c : location.children[v]) {
        ++expected[c];
        stack.push_back(c);
      }
    }
  }
  struct Pending {
    size_t node;
    std::vector<uint8_t> first, rest;  // indentation of this revision's line, and of the lines below it
  };
  auto walk_from = [&](size_t start, bool wait_for_merges) {
    std::vector<Pending> stack{{start, {}, {}}};
    while (!stack.empty()) {
      Pending p = std::move(stack.back());
      stack.pop_back();
      if (visited[p.node]) {
        out.visits.push_back({p.node, draw(p.first), true});
        continue;
      }
      if (wait_for_merges && expected[p.node] > 1) {
        std::vector<uint8_t>& common = shared[p.node];
        if (arrived[p.node]++ == 0) {
          common = p.rest;
        } else {
          size_t n = 0;
          while (n < common.size() && n < p.rest.size() && common[n] == p.rest[n]) ++n;
          common.resize(n);
        }
        if (arrived[p.node] < expected[p.node]) continue;  // other branches still lead here
        p.first = p.rest = common;
      }
      visited[p.node] = true;
      out.visits.push_back({p.node, draw(p.first), false});
      const std::vector<size_t>& children = location.children[p.node];
      if (children.size() == 1) {
        stack.push_back({children.front(), p.rest, p.rest});
        continue;
      }
      for (size_t i = children.size(); i-- > 0;) {
        bool last = i + 1 == children.size();
        Pending child{children[i], p.rest, p.rest};
        child.first.push_back(last ? kCorner : kTee);
        child.rest.push_back(last ? kBlank : kBar);
        stack.push_back(std::move(child));
      }
    }
  };
  for (size_t root : location.roots) {
    if (visited[root]) continue;
    // Separate trees are set apart by an empty line: a line at the same indentation means "child of the line above".
    if (!out.visits.empty()) out.visits.push_back({SIZE_MAX, "", false});
    walk_from(root, true);
  }
  // The rest hangs from a missing parent, an unreadable down_revision, or a cycle: start with revisions whose
  // parents are all absent, so their subtrees print top-down, then whatever remains (cycles).
  out.first_detached = out.visits.size();
  auto detached = [&](size_t i) {
    if (out.visits.size() > out.first_detached) out.visits.push_back({SIZE_MAX, "", false});
    walk_from(i, false);
  };
  for (size_t i = 0; i < count; ++i) {
    if (!visited[i] && location.parent_nodes(i).empty()) detached(i);
  }
  for (size_t i = 0; i < count; ++i) {
    if (!visited[i]) detached(i);
  }
  return out;
}

std::string id_of(const RevisionNode& node) { return node.id.empty() ? "?" : node.id; }

std::string spaced(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += " " + item;
  return out;
}

std::vector<std::string> ids_of(const RevisionLocation& location, const std::vector<size_t>& nodes) {
  std::vector<std::string> out;
  for (size_t n : nodes) out.push_back(id_of(location.nodes[n]));
  return out;
}

// The heads as Alembic counts them: one per id (of two scripts declaring one id, Alembic keeps one).
std::vector<std::string> head_ids(const RevisionLocation& location) {
  std::vector<std::string> out = ids_of(location, location.heads);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool is_head(const RevisionLocation& location, size_t node) {
  // Heads are few, except in broken histories with thousands of them: binary search keeps that linear-ish.
  return std::binary_search(location.heads.begin(), location.heads.end(), node);
}

std::string marks(const RevisionLocation& location, size_t i) {
  const RevisionNode& node = location.nodes[i];
  std::string out;
  if (node.is_root()) out += node.down_revision_empty ? " (root: down_revision = \"\")" : " (root)";
  if (is_head(location, i)) out += " (head)";
  if (node.is_merge()) out += " (merge of " + joined(node.parents) + ")";
  if (node.down_revision_unknown) out += " (down_revision not a literal)";
  if (!node.branch_labels.empty()) out += " [" + joined(node.branch_labels) + "]";
  else if (node.has_branch_labels) out += " [branch labels not literal]";
  if (!node.depends_on.empty()) out += " (depends on " + joined(node.depends_on) + ")";
  return out;
}

struct Warning {
  std::string kind;  // heads, labelled-heads, dangling, duplicate, cycle, empty-down-revision, incomplete
  std::string message;
  std::vector<size_t> nodes;
};

std::string cycle_text(const RevisionLocation& location, const std::vector<size_t>& group) {
  constexpr size_t kShown = 8;
  std::vector<std::string> ids;
  for (size_t n : group) {
    if (ids.size() == kShown) {
      ids.push_back("... (" + std::to_string(group.size() - kShown) + " more)");
      break;
    }
    ids.push_back(id_of(location.nodes[n]));
  }
  return joined(ids);
}

// Several heads: a warning naming the ones to merge, or a note when all but one sit on their own labelled branch
// (kept apart on purpose).
std::optional<Warning> heads_warning(const RevisionLocation& location) {
  std::vector<std::string> all = head_ids(location);
  if (all.size() < 2) return std::nullopt;
  std::vector<bool> labelled = location.labelled_heads();
  std::vector<size_t> unlabelled;
  for (size_t h : location.heads) {
    if (!labelled[h]) unlabelled.push_back(h);
  }
  std::vector<std::string> to_merge = ids_of(location, unlabelled);
  std::sort(to_merge.begin(), to_merge.end());
  to_merge.erase(std::unique(to_merge.begin(), to_merge.end()), to_merge.end());
  std::string text = std::to_string(all.size()) + " heads (" + joined(all) + "): ";
  if (to_merge.size() < 2) {
    return Warning{"labelled-heads",
                   text + "branches kept apart by branch_labels; upgrade them with `alembic upgrade heads` "
                          "(`alembic upgrade head` fails)",
                   location.heads};
  }
  // `alembic merge heads` would merge the labelled branches too: then name the heads to merge.
  std::string merge = to_merge.size() == all.size() ? "`alembic merge heads -m \"merge\"`"
                                                    : "`alembic merge -m \"merge\"" + spaced(to_merge) + "`";
  return Warning{"heads",
                 text + "`alembic upgrade head` fails; merge them with " + merge +
                     " (or give each branch its own branch_labels)",
                 unlabelled};
}

std::vector<Warning> warnings_for(const RevisionLocation& location) {
  std::vector<Warning> out;
  if (!location.complete) {
    out.push_back({"incomplete", "not every script in this location was read (not checked, or does not parse): "
                                 "heads and missing revisions may be wrong", {}});
  }
  if (auto heads = heads_warning(location)) out.push_back(std::move(*heads));
  for (const auto& d : location.dangling) {
    const RevisionNode& node = location.nodes[d.node];
    out.push_back({"dangling",
                   id_of(node) + " (" + node.file->path() + ") " + (d.dependency ? "depends on" : "follows") + " '" +
                       d.name + "', which is not a revision" + (d.dependency ? " or branch label" : "") +
                       " in this location",
                   {d.node}});
  }
  for (const auto& [id, declaring] : location.by_id) {
    if (declaring.size() < 2) continue;
    std::vector<std::string> paths;
    for (size_t n : declaring) paths.push_back(location.nodes[n].file->path());
    out.push_back({"duplicate", "revision id '" + id + "' is declared by " + joined(paths) + "; Alembic keeps one",
                   declaring});
  }
  for (const auto& group : location.cycles) {
    out.push_back({"cycle", "cycle: " + cycle_text(location, group) + " are their own ancestors; Alembic refuses the "
                            "history", group});
  }
  for (size_t i = 0; i < location.nodes.size(); ++i) {
    if (!location.nodes[i].down_revision_empty) continue;
    out.push_back({"empty-down-revision",
                   id_of(location.nodes[i]) + " has down_revision = \"\": Alembic reads it as a parent named \"\"; "
                                               "write None",
                   {i}});
  }
  return out;
}

void print_text(const std::vector<RevisionLocation>& locations, std::ostream& out) {
  bool first = true;
  for (const RevisionLocation& location : locations) {
    if (!first) out << "\n";
    first = false;
    out << location.name;
    if (!location.source.empty()) out << " (from " << location.source << ")";
    size_t heads = head_ids(location).size();
    out << ": " << location.nodes.size() << (location.nodes.size() == 1 ? " revision, " : " revisions, ") << heads
        << (heads == 1 ? " head, " : " heads, ") << location.roots.size()
        << (location.roots.size() == 1 ? " root" : " roots") << "\n";
    Layout tree = layout(location);
    for (size_t v = 0; v < tree.visits.size(); ++v) {
      if (v == tree.first_detached) out << "not reachable from a base revision:\n";
      const Visit& visit = tree.visits[v];
      if (visit.node == SIZE_MAX) {
        out << "\n";
        continue;
      }
      const RevisionNode& node = location.nodes[visit.node];
      out << visit.prefix << id_of(node);
      if (visit.reference) {
        out << (node.is_merge() ? " (merge, listed above)\n" : " (listed above)\n");
        continue;
      }
      out << marks(location, visit.node);
      std::string message = location.message(visit.node);
      if (!message.empty()) out << "  " << message;
      out << "  " << node.file->path() << "\n";
    }
    for (const Warning& warning : warnings_for(location)) {
      // Facts about the run or deliberate branches are notes; the rest breaks Alembic.
      bool note = warning.kind == "labelled-heads" || warning.kind == "incomplete";
      out << (note ? "note: " : "warning: ") << warning.message << "\n";
    }
  }
}

nlohmann::ordered_json revision_json(const RevisionLocation& location, size_t i) {
  const RevisionNode& node = location.nodes[i];
  nlohmann::ordered_json children = nlohmann::ordered_json::array();
  for (const std::string& id : ids_of(location, location.children[i])) children.push_back(id);
  nlohmann::ordered_json r = {
      {"id", node.id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(node.id)},
      {"path", node.file->path()},
      {"line", node.info->revision_loc.line},
      {"message", location.message(i)},
      {"parents", node.parents},
      {"children", children},
      {"is_head", is_head(location, i)},
      {"is_root", node.is_root()},
      {"is_merge", node.is_merge()},
      {"branch_labels", node.branch_labels},
      {"depends_on", node.depends_on},
  };
  if (node.down_revision_empty) r["down_revision_empty"] = true;
  if (node.down_revision_unknown) r["down_revision_unknown"] = true;
  return r;
}

void print_json(const std::vector<RevisionLocation>& locations, std::ostream& out) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const RevisionLocation& location : locations) {
    nlohmann::ordered_json revisions = nlohmann::ordered_json::array();
    for (const Visit& visit : layout(location).visits) {
      if (visit.node != SIZE_MAX && !visit.reference) revisions.push_back(revision_json(location, visit.node));
    }
    nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
    for (const Warning& warning : warnings_for(location)) {
      nlohmann::ordered_json paths = nlohmann::ordered_json::array();
      for (size_t n : warning.nodes) paths.push_back(location.nodes[n].file->path());
      warnings.push_back({{"kind", warning.kind}, {"message", warning.message},
                          {"revisions", ids_of(location, warning.nodes)}, {"paths", paths}});
    }
    list.push_back({{"name", location.name},
                    {"source", location.source.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(location.source)},
                    {"complete", location.complete},
                    {"heads", head_ids(location)},
                    {"roots", ids_of(location, location.roots)},
                    {"revisions", revisions},
                    {"warnings", warnings}});
  }
  out << nlohmann::ordered_json{{"locations", list}}.dump(2) << "\n";
}

}  // namespace

int run_graph(const std::vector<std::string>& paths, const std::string& format, std::ostream& out, std::ostream& err) {
  Config config;
  config.root = fs::current_path();
  try {
    // The project's exclude patterns apply, as for `check`.
    std::error_code ec;
    fs::path start = fs::absolute(paths.empty() ? fs::path(".") : fs::path(paths.front()), ec);
    if (auto file = find_config_file(start)) config = load_config(*file);
  } catch (const ConfigError& e) {
    err << "ormlint: error: " << e.what() << "\n";
    return 2;
  }
  std::vector<std::string> errors;
  auto project = load_project(sources_under(paths, config), config, default_jobs(), errors);
  const auto& locations = project->revision_locations();
  if (format == "json") {
    print_json(locations, out);
  } else if (locations.empty()) {
    out << "no Alembic revision scripts found\n";
  } else {
    print_text(locations, out);
  }
  for (const auto& error : errors) err << "ormlint: error: " << error << "\n";
  return errors.empty() ? 0 : 2;
}

}  // namespace ormlint::cli
