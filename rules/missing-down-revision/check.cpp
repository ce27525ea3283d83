// missing-down-revision: a down_revision (or a member of a merge tuple, or a depends_on entry) names a revision that
// no script in the location declares. Alembic cannot build the history: every command (`upgrade`, `heads`,
// `history`) stops with "Revision X referenced from Y is not present" before touching the database.
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "engine/rule.h"

namespace ormlint {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Whether `stem` holds `id` as a whole token (`ae1027a6acf0_add_users` holds `ae1027a6acf0`).
bool holds_token(const std::string& stem, const std::string& id) {
  for (size_t at = stem.find(id); at != std::string::npos; at = stem.find(id, at + 1)) {
    if ((at == 0 || !word_char(stem[at - 1])) && (at + id.size() == stem.size() || !word_char(stem[at + id.size()]))) {
      return true;
    }
  }
  return false;
}

// A likely intended revision for a name that does not exist: the only script whose id starts with it (an id
// shortened by hand), or the only one whose file is named after it (a script whose `revision` was edited, or the
// file name written instead of the id).
std::string suggestion(const RevisionLocation& location, const std::string& missing) {
  if (missing.empty()) return "";
  auto it = location.by_id.lower_bound(missing);
  if (it != location.by_id.end() && it->first.rfind(missing, 0) == 0) {
    auto next = std::next(it);
    if (next == location.by_id.end() || next->first.rfind(missing, 0) != 0) return location.describe(it->second.front());
  }
  std::vector<size_t> named;
  for (size_t i = 0; i < location.nodes.size(); ++i) {
    const RevisionNode& node = location.nodes[i];
    if (!node.id.empty() && holds_token(node.file->source.path().stem().string(), missing)) named.push_back(i);
  }
  if (named.size() != 1) return "";
  return location.describe(named.front());
}

class MissingDownRevision final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL302", "missing-down-revision",
                               "down_revision or depends_on names a revision that does not exist: Alembic cannot "
                               "load the history",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    for (const RevisionLocation& location : project.revision_locations()) {
      // When some scripts of the folder were not checked (or do not parse), the revision may well be there.
      if (!location.complete) continue;
      // A suggestion scans the location's files: only the first few findings get one, so a history whose every
      // link is broken stays linear.
      constexpr size_t kSuggested = 50;
      for (size_t i = 0; i < location.dangling.size(); ++i) report(location, location.dangling[i], i < kSuggested, out);
    }
  }

 private:
  static void report(const RevisionLocation& location, const RevisionLocation::Dangling& dangling, bool suggest,
                     Reporter& out) {
    const RevisionNode& node = location.nodes[dangling.node];
    std::string hint = suggest ? suggestion(location, dangling.name) : "";
    std::string meant = hint.empty() ? "" : " (did you mean " + hint + "?)";
    std::string self = node.id.empty() ? "this script" : "revision '" + node.id + "'";
    if (dangling.dependency) {
      out.report(*node.file, node.info->depends_on_loc,
                 "depends_on '" + dangling.name + "' of " + self + " is neither a revision nor a branch label in " +
                     location.name + meant + "; Alembic fails with KeyError on every command that reads the history",
                 "name an existing revision id or branch_labels entry in depends_on, or remove the dependency");
      return;
    }
    std::string what = node.is_merge() ? "merge parent '" : "down_revision '";
    out.report(*node.file, node.info->down_revision_loc,
               what + dangling.name + "' of " + self + " is not a revision in " + location.name + meant +
                   "; Alembic warns \"Revision " + dangling.name + " referenced from ... is not present\" and "
                   "then fails with KeyError on every command that reads the history",
               "set down_revision to the `revision` of the script this one follows (`alembic heads` before "
               "adding it), or restore the deleted script");
  }
};

ORMLINT_RULE(MissingDownRevision);

}  // namespace

}  // namespace ormlint
