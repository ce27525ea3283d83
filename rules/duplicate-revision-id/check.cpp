// duplicate-revision-id: two scripts of one Alembic location declare the same `revision`. Alembic keeps whichever
// file it loads last ("Revision X is present more than once") and silently drops the other: its upgrade never
// runs, and scripts that follow the dropped one now follow the wrong parent.
#include <string>

#include "engine/rule.h"

namespace ormlint {

namespace {

class DuplicateRevisionId final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL303", "duplicate-revision-id",
                               "Two revision scripts declare the same revision id: Alembic keeps one and skips "
                               "the other",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    for (const RevisionLocation& location : project.revision_locations()) {
      for (const auto& [id, declaring] : location.by_id) {
        if (declaring.size() < 2) continue;
        for (size_t node : declaring) report(location, id, declaring, node, out);
      }
    }
  }

 private:
  static void report(const RevisionLocation& location, const std::string& id, const std::vector<size_t>& declaring,
                     size_t node, Reporter& out) {
    std::string others;
    for (size_t other : declaring) {
      if (other != node) others += (others.empty() ? "" : ", ") + location.nodes[other].file->path();
    }
    const RevisionNode& n = location.nodes[node];
    out.report(*n.file, n.info->revision_loc,
               "revision id '" + id + "' is also declared by " + others + "; Alembic loads only one of them (\"Revision " +
                   id + " is present more than once\") and never runs the other",
               "give the newer script a fresh id (`python -c \"import uuid; print(uuid.uuid4().hex[-12:])\"`) and "
               "update the down_revision of the scripts that follow it");
  }
};

ORMLINT_RULE(DuplicateRevisionId);

}  // namespace

}  // namespace ormlint
