// multiple-heads: more than one head revision in an Alembic script location — two migrations written on two
// branches that both follow the same revision. `alembic upgrade head` then stops with "Multiple head revisions
// are present"; deploys and test databases that run it fail until the heads are merged.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "engine/rule.h"

namespace ormlint {

namespace {

// "'b' (versions/b.py), 'c' (versions/c.py) and 3 more"
std::string list_of(const RevisionLocation& location, const std::vector<size_t>& nodes, size_t except) {
  constexpr size_t kShown = 4;
  std::string out;
  size_t shown = 0, others = 0;
  for (size_t n : nodes) {
    if (n == except) continue;
    ++others;
    if (shown == kShown) continue;
    out += (shown ? ", " : "") + location.describe(n);
    ++shown;
  }
  if (others > shown) out += " and " + std::to_string(others - shown) + " more";
  return out;
}

class MultipleHeads final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL301", "multiple-heads",
                               "More than one head revision in an Alembic location: `alembic upgrade head` fails "
                               "until the branches are merged",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    for (const RevisionLocation& location : project.revision_locations()) {
      // A location read in part, or with a down_revision we cannot read, has heads that are not real.
      if (location.heads.size() < 2 || !location.complete || location.has_unknown_links()) continue;
      std::vector<bool> labelled = location.labelled_heads();
      std::vector<size_t> unlabelled;
      std::set<std::string> ids;  // Alembic keeps one script per id: copies are duplicate-revision-id's finding
      for (size_t h : location.heads) {
        if (!labelled[h] && ids.insert(location.nodes[h].id).second) unlabelled.push_back(h);
      }
      if (unlabelled.size() < 2) continue;
      // `alembic merge heads` would also merge the labelled branches' heads: name the ones to merge instead.
      std::string merge = "alembic merge heads -m \"merge\"";
      std::string count = std::to_string(unlabelled.size()) + " heads";
      if (std::any_of(location.heads.begin(), location.heads.end(), [&](size_t h) { return labelled[h]; })) {
        merge = "alembic merge -m \"merge\"";
        for (size_t h : unlabelled) merge += " " + location.nodes[h].id;
        count = std::to_string(unlabelled.size()) + " heads outside labelled branches";
      }
      for (size_t head : unlabelled) report(location, head, unlabelled, count, merge, out);
    }
  }

 private:
  static void report(const RevisionLocation& location, size_t head, const std::vector<size_t>& heads,
                     const std::string& count, const std::string& merge, Reporter& out) {
    const RevisionNode& node = location.nodes[head];
    out.report(*node.file, node.info->revision_loc,
               count + " in " + location.name + ": revision '" + node.id +
                   "' and " + list_of(location, heads, head) +
                   " have no later revision; `alembic upgrade head` fails with \"Multiple head revisions are "
                   "present\"",
               "merge them with `" + merge + "` (one revision whose down_revision lists them all), or give each "
               "independent branch its own branch_labels");
  }
};

ORMLINT_RULE(MultipleHeads);

}  // namespace

}  // namespace ormlint
