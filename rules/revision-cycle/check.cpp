// revision-cycle: down_revision (or depends_on) links that loop back — a revision that is, through its parents, its
// own ancestor. Alembic refuses the whole history ("Cycle is detected in revisions (...)"): no command runs.
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "engine/rule.h"

namespace ormlint {

namespace {

constexpr size_t kSmallCycle = 64;  // larger loops get one shared path: a path per member would be quadratic

bool contains(const std::vector<size_t>& sorted, size_t v) { return std::binary_search(sorted.begin(), sorted.end(), v); }

// Successors of v inside the group: its parents, then its dependencies.
std::vector<size_t> steps(const RevisionLocation& location, const std::vector<size_t>& group, size_t v) {
  std::vector<size_t> out;
  for (size_t w : location.parent_nodes(v)) {
    if (contains(group, w)) out.push_back(w);
  }
  for (size_t w : location.dependency_nodes(v)) {
    if (contains(group, w)) out.push_back(w);
  }
  return out;
}

// The shortest walk start -> ... -> start along parent/dependency links, found breadth first inside the group.
std::vector<size_t> loop_through(const RevisionLocation& location, const std::vector<size_t>& group, size_t start) {
  std::vector<long> previous(location.nodes.size(), -2);  // -2: not reached
  std::deque<size_t> queue;
  for (size_t w : steps(location, group, start)) {
    if (w == start) return {start, start};
    if (previous[w] == -2) {
      previous[w] = static_cast<long>(start);
      queue.push_back(w);
    }
  }
  while (!queue.empty()) {
    size_t v = queue.front();
    queue.pop_front();
    for (size_t w : steps(location, group, v)) {
      if (w == start) {
        std::vector<size_t> path{start};
        for (long at = static_cast<long>(v); at != static_cast<long>(start); at = previous[at]) path.push_back(at);
        path.push_back(start);
        std::reverse(path.begin() + 1, path.end() - 1);
        return path;
      }
      if (previous[w] == -2) {
        previous[w] = static_cast<long>(v);
        queue.push_back(w);
      }
    }
  }
  return {start};
}

std::string id_of(const RevisionLocation& location, size_t v) {
  return location.nodes[v].id.empty() ? location.nodes[v].file->path() : location.nodes[v].id;
}

// In upgrade order, as `alembic history` writes it: "a1 -> b2 -> a1"; a depends_on link shows as -[depends_on]->.
// Long loops keep their first and last few steps.
std::string path_text(const RevisionLocation& location, const std::vector<size_t>& walk) {
  constexpr size_t kEnds = 4;
  std::vector<std::string> steps;  // each: the arrow into the revision, then its id
  for (size_t i = walk.size() - 1; i > 0; --i) {
    size_t child = walk[i - 1], parent = walk[i];
    std::vector<size_t> parents = location.parent_nodes(child);
    bool by_parent = std::find(parents.begin(), parents.end(), parent) != parents.end();
    steps.push_back((by_parent ? " -> " : " -[depends_on]-> ") + id_of(location, child));
  }
  std::string out = id_of(location, walk.back());
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps.size() > 2 * kEnds + 1 && i >= kEnds && i < steps.size() - kEnds) {
      if (i == kEnds) out += " -> ... (" + std::to_string(steps.size() - 2 * kEnds) + " more)";
      continue;
    }
    out += steps[i];
  }
  return out;
}

class RevisionCycle final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL304", "revision-cycle",
                               "down_revision / depends_on links form a cycle: Alembic refuses to load the history",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    for (const RevisionLocation& location : project.revision_locations()) {
      for (const std::vector<size_t>& group : location.cycles) {
        if (group.size() > kSmallCycle) {
          std::vector<size_t> shared = loop_through(location, group, group.front());
          std::string text = path_text(location, shared);
          for (size_t node : group) report(location, group, node, shared, text, out);
          continue;
        }
        for (size_t node : group) {
          std::vector<size_t> walk = loop_through(location, group, node);
          report(location, group, node, walk, path_text(location, walk), out);
        }
      }
    }
  }

 private:
  static void report(const RevisionLocation& location, const std::vector<size_t>& group, size_t node,
                     const std::vector<size_t>& walk, const std::string& path, Reporter& out) {
    const RevisionNode& n = location.nodes[node];
    // Point at the link this script adds to the loop: its down_revision, or its depends_on when only that loops.
    std::vector<size_t> parents = location.parent_nodes(node);
    bool via_parent = walk.size() < 2 || walk.front() != node ||
                      std::find(parents.begin(), parents.end(), walk[1]) != parents.end();
    const Location& loc = via_parent || !n.info->depends_on ? n.info->down_revision_loc : n.info->depends_on_loc;
    std::string message;
    // Alembic names loops through depends_on "dependency" cycles.
    std::string kind = path.find("[depends_on]") == std::string::npos ? "Cycle" : "Dependency cycle";
    if (group.size() == 1) {
      message = "revision '" + n.id + "' names itself in its " + (via_parent ? "down_revision" : "depends_on") +
                "; Alembic stops with \"" + (via_parent ? "Self-loop" : "Dependency self-loop") +
                " is detected in revisions (" + n.id + ")\"";
    } else if (walk.front() == node) {
      message = "revision '" + n.id + "' is its own ancestor: " + path + "; Alembic stops with \"" + kind +
                " is detected in revisions\"";
    } else {
      message = "revision '" + n.id + "' is one of " + std::to_string(group.size()) +
                " revisions linked in a cycle (" + path + "); Alembic stops with \"" + kind +
                " is detected in revisions\"";
    }
    out.report(*n.file, loc, message,
               "break the loop: the oldest revision of the cycle should name its real predecessor as down_revision "
               "(None for the first revision), and a depends_on may only name an older revision");
  }
};

ORMLINT_RULE(RevisionCycle);

}  // namespace

}  // namespace ormlint
