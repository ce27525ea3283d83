// modified-applied-migration: in a git-aware run (--staged, --changed-since), a revision script that already exists
// in the base commit has different code now. A revision in the base may already have run somewhere; Alembic never
// runs it again there, so the edit reaches only fresh databases and the schemas drift apart. Comment and layout
// edits and pure renames keep the code (FileChange::first_code_change is unset) and pass.
#include <string>

#include "engine/rule.h"

namespace ormlint {

namespace {

// The `revision = "..."` id as written, or "" when the script declares none.
std::string revision_id(const ProjectFile* file) {
  if (!file || !file->is_revision() || !file->facts.revision->revision) return "";
  return file->facts.revision->revision->text;
}

class ModifiedAppliedMigration final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL307", "modified-applied-migration",
                               "Revision script that exists in the base commit was edited (git-aware: --staged, "
                               "--changed-since): databases that already ran it never get the change",
                               Severity::Error, Profile::Any, true, /*git_aware=*/true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    const BaseSnapshot* base = project.base();
    const FileChange* change = file.change.get();
    if (!base || !change || !change->base || !change->first_code_change) return;
    const ProjectFile& before = *change->base;
    if (!before.is_revision() && !file.is_revision()) return;
    // The id databases recorded in alembic_version is the base's; fall back to the current one.
    std::string id = revision_id(&before);
    if (id.empty()) id = revision_id(&file);
    std::string what = id.empty() ? "revision script " + change->base_path : "revision `" + id + "`";
    std::string renamed = change->status == FileChange::Status::Renamed ? " (renamed from " + change->base_path + ")" : "";
    out.report(file, *change->first_code_change,
               what + renamed + " changed since " + base->name +
                   ": databases that already ran it never get this edit, new ones do",
               "revert this edit and put the change in a new revision: `alembic revision -m \"...\"`");
  }
};

ORMLINT_RULE(ModifiedAppliedMigration);

}  // namespace

}  // namespace ormlint
