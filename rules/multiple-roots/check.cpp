// multiple-roots: a second base revision (down_revision = None) without branch_labels in an Alembic location
// — usually a script copied from the initial migration, or generated against an empty database, that should
// follow the latest revision. Also `down_revision = ""`: Alembic reads an empty string as the id of a parent
// revision, not as "no parent", and cannot load the history. Bases whose histories a merge revision joins are
// one history.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "engine/rule.h"

namespace ormlint {

namespace {

const Location& down_revision_statement(const RevisionNode& node) {
  // A script without any down_revision line is a root too: point at its revision line instead.
  return node.info->down_revision ? node.info->down_revision_loc : node.info->revision_loc;
}

// A base whose id another script in the location declares with a parent (zou's squash base, sharing its id
// with the legacy revision it replaces): Alembic keeps one of the two, and whether the history has a second
// base depends on which. duplicate-revision-id reports the clash itself.
bool copy_of_a_child(const RevisionLocation& location, const RevisionNode& node) {
  auto it = location.by_id.find(node.id);
  if (node.id.empty() || it == location.by_id.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](size_t other) { return !location.nodes[other].is_root(); });
}

// Whether the bases meet: a merge revision (`down_revision = (a, b)`) joins the histories they start, into
// one head (fides merged two products' histories so). Then `alembic upgrade head` runs them all, on purpose.
bool histories_merged(const RevisionLocation& location, const std::vector<size_t>& roots) {
  std::vector<int> reached_by(location.nodes.size(), -1);  // the first root that reaches a node
  std::vector<size_t> group(roots.size());
  for (size_t i = 0; i < roots.size(); ++i) group[i] = i;
  auto find = [&](size_t i) {
    while (group[i] != i) i = group[i] = group[group[i]];
    return i;
  };
  for (size_t i = 0; i < roots.size(); ++i) {
    std::vector<size_t> stack{roots[i]};
    std::vector<bool> seen(location.nodes.size(), false);
    while (!stack.empty()) {
      const size_t node = stack.back();
      stack.pop_back();
      if (seen[node]) continue;
      seen[node] = true;
      if (reached_by[node] >= 0) {
        group[find(i)] = find(static_cast<size_t>(reached_by[node]));
        continue;
      }
      reached_by[node] = static_cast<int>(i);
      for (size_t child : location.children[node]) stack.push_back(child);
    }
  }
  for (size_t i = 1; i < roots.size(); ++i) {
    if (find(i) != find(0)) return false;
  }
  return true;
}

class MultipleRoots final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL305", "multiple-roots",
                               "More than one base revision (down_revision = None) without branch_labels, or "
                               "down_revision = \"\" instead of None",
                               Severity::Warning, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    for (const RevisionLocation& location : project.revision_locations()) {
      std::vector<size_t> unlabelled;
      std::set<std::string, std::less<>> ids;
      for (size_t root : location.roots) {
        // `down_revision = ""` is not a base to Alembic (it names a parent ""): reported on its own below. Copies
        // of one revision (the same id twice) are one base: duplicate-revision-id reports the copy.
        const RevisionNode& node = location.nodes[root];
        if (node.has_branch_labels || node.down_revision_empty || copy_of_a_child(location, node)) continue;
        if (node.id.empty() || ids.insert(node.id).second) unlabelled.push_back(root);
      }
      if (unlabelled.size() > 1 && histories_merged(location, unlabelled)) unlabelled.clear();
      for (size_t root : location.roots) {
        const RevisionNode& node = location.nodes[root];
        if (node.down_revision_empty) {
          report_empty(node, out);
        } else if (unlabelled.size() > 1 && std::find(unlabelled.begin(), unlabelled.end(), root) != unlabelled.end()) {
          report_second_root(location, root, unlabelled, out);
        }
      }
    }
  }

 private:
  static void report_empty(const RevisionNode& node, Reporter& out) {
    out.report(*node.file, node.info->down_revision_loc,
               "down_revision = \"\" in revision '" + node.id +
                   "' is not None: Alembic reads it as the id of a parent revision named \"\", which does not "
                   "exist, so this script is not a base and the history does not load",
               "write `down_revision = None` for the first revision, or the id of the revision this one follows");
  }

  static void report_second_root(const RevisionLocation& location, size_t root, const std::vector<size_t>& roots,
                                 Reporter& out) {
    constexpr size_t kShown = 4;
    std::string others;
    size_t shown = 0;
    for (size_t other : roots) {
      if (other == root || shown == kShown) continue;
      others += (shown++ ? ", " : "") + location.describe(other);
    }
    if (roots.size() - 1 > shown) others += " and " + std::to_string(roots.size() - 1 - shown) + " more";
    const RevisionNode& node = location.nodes[root];
    out.report(*node.file, down_revision_statement(node),
               "revision '" + node.id + "' has no down_revision, like " + others + ": " +
                   std::to_string(roots.size()) + " base revisions in " + location.name +
                   " start separate histories, and an empty database runs each of them from scratch",
               "set down_revision to the revision this script follows (`alembic heads` shows it); an intentionally "
               "independent history needs its own branch_labels (`alembic revision --head=base --branch-label=NAME`)");
  }
};

ORMLINT_RULE(MultipleRoots);

}  // namespace

}  // namespace ormlint
