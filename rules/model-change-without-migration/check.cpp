// model-change-without-migration: in a git-aware run (--staged, --changed-since), the change adds, removes or
// alters mapped tables or columns (declarative models, SQLModel tables, Core `Table(...)`, module-level
// `Index(...)`) but adds no revision script. Each changed file's schema signature (schema_signature.h) is compared
// with its base version's; a deleted model file counts against the first changed model file, since it has no file
// of its own to point at. Projects without any revision script (not using Alembic) are left alone.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "engine/rule.h"
#include "schema_signature.h"

namespace ormlint {

namespace {

namespace sig = schema_signature;

struct Difference {
  enum class Kind { Added, Changed, Removed };
  Kind kind;
  const sig::Entry* entry;  // the current entry (added, changed) or the base one (removed)
  Location loc;             // where to report it in the current file
};

struct Comparison {
  bool model_file = false;  // either version holds models or tables
  std::vector<Difference> differences;  // the first one is reported
};

bool has_facts(const ProjectFile& file) { return !file.syntax_problem && !file.is_revision(); }

// A changed file that is a revision script now and was not one in the base: a new migration.
bool adds_revision(const Project& project) {
  return std::any_of(project.files().begin(), project.files().end(), [](const auto& file) {
    return file->change && file->is_revision() && (!file->change->base || !file->change->base->is_revision());
  });
}

// The project manages its schema with Alembic: it has (or had) a revision script.
bool uses_migrations(const Project& project) {
  auto is_revision = [](const auto& file) { return file->is_revision(); };
  return std::any_of(project.files().begin(), project.files().end(), is_revision) ||
         std::any_of(project.base()->deleted_files.begin(), project.base()->deleted_files.end(), is_revision);
}

// Which classes are models, the same for both versions: what either version shows, plus what the project knows
// of the current one (a mixin or SQLModel base feeding a model of another file).
sig::ModelClasses model_classes(const ProjectFile& file, const ProjectFile* before, const Project& project) {
  sig::ModelClasses classes = sig::model_classes(file.facts);
  if (before) classes.merge(sig::model_classes(before->facts));
  for (const ClassDef& def : file.facts.classes) {
    const ClassInfo* info = project.class_info(def);
    if (!info || !def.module_level) continue;
    if (info->contributes_mapped_attributes()) classes.models.insert(def.name);
    if (info->sqlmodel) classes.sqlmodels.insert(def.name);
  }
  return classes;
}

// A column belongs to a table that is itself added or removed: one difference, not one per column.
bool owner_in(const sig::Entry& entry, const std::map<std::string, const sig::Entry*>& entries) {
  return !entry.owner_key.empty() && entries.count(entry.owner_key);
}

Comparison compare(const ProjectFile& file, const std::vector<sig::Entry>& now, const std::vector<sig::Entry>& then) {
  Comparison out;
  out.model_file = !now.empty() || !then.empty();
  std::map<std::string, const sig::Entry*> now_by_key, then_by_key, added, removed;
  for (const auto& entry : now) now_by_key.emplace(entry.key, &entry);
  for (const auto& entry : then) then_by_key.emplace(entry.key, &entry);
  for (const auto& entry : now) {
    auto before = then_by_key.find(entry.key);
    if (before == then_by_key.end()) {
      added.emplace(entry.key, &entry);
      if (!owner_in(entry, added)) out.differences.push_back({Difference::Kind::Added, &entry, entry.loc});
    } else if (before->second->definition != entry.definition) {
      out.differences.push_back({Difference::Kind::Changed, &entry, entry.loc});
    }
  }
  for (const auto& entry : then) {
    if (now_by_key.count(entry.key)) continue;
    removed.emplace(entry.key, &entry);
    if (owner_in(entry, removed)) continue;
    // Point at the table that lost the column, else at the first changed code.
    auto owner = now_by_key.find(entry.owner_key);
    Location loc = owner != now_by_key.end()       ? owner->second->loc
                   : file.change && file.change->first_code_change ? *file.change->first_code_change
                                                                   : Location{};
    out.differences.push_back({Difference::Kind::Removed, &entry, loc});
  }
  return out;
}

std::string_view verb(Difference::Kind kind) {
  switch (kind) {
    case Difference::Kind::Added: return "added";
    case Difference::Kind::Changed: return "changed";
    case Difference::Kind::Removed: return "removed";
  }
  return "changed";
}

std::string more(size_t count) {
  return count > 1 ? " (and " + std::to_string(count - 1) + " more schema change" + (count > 2 ? "s" : "") + ")" : "";
}

std::string help_for(std::string_view action, const std::string& subject) {
  return "generate a revision and review it: `alembic revision --autogenerate -m \"" + std::string(action) + " " +
         subject + "\"`";
}

constexpr std::string_view kConsequence = ", but the change adds no revision script: existing databases keep the old schema";

class ModelChangeWithoutMigration final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL431", "model-change-without-migration",
                               "Models or tables changed but no revision script added (git-aware: --staged, "
                               "--changed-since): existing databases keep the old schema",
                               Severity::Warning, Profile::Any, true, /*git_aware=*/true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    const BaseSnapshot* base = project.base();
    if (!base || !uses_migrations(project) || adds_revision(project)) return;
    const ProjectFile* first_model_file = nullptr;
    for (const auto& file : project.files()) {
      const FileChange* change = file->change.get();
      if (!change || !change->first_code_change || !has_facts(*file)) continue;
      const ProjectFile* before = change->base.get();
      if (before && !has_facts(*before)) continue;
      sig::ModelClasses classes = model_classes(*file, before, project);
      std::vector<sig::Entry> now = sig::entries(file->facts, classes);
      std::vector<sig::Entry> then = before ? sig::entries(before->facts, classes) : std::vector<sig::Entry>{};
      Comparison comparison = compare(*file, now, then);
      if (comparison.model_file && !first_model_file) first_model_file = file.get();
      if (comparison.differences.empty()) continue;
      const Difference& first = comparison.differences.front();
      out.report(*file, first.loc,
                 first.entry->label + " " + std::string(verb(first.kind)) + " since " + base->name +
                     more(comparison.differences.size()) + std::string(kConsequence),
                 help_for(first.kind == Difference::Kind::Added     ? "add"
                          : first.kind == Difference::Kind::Removed ? "remove"
                                                                    : "change",
                          first.entry->subject));
    }
    if (first_model_file) report_deleted_files(*first_model_file, *base, out);
  }

 private:
  // A deleted file has nothing to point at: its tables are reported on the first changed model file.
  static void report_deleted_files(const ProjectFile& at, const BaseSnapshot& base, Reporter& out) {
    std::vector<const ProjectFile*> deleted;
    for (const auto& file : base.deleted_files) deleted.push_back(file.get());
    std::sort(deleted.begin(), deleted.end(), [](const ProjectFile* a, const ProjectFile* b) { return a->path() < b->path(); });
    for (const ProjectFile* file : deleted) {
      if (!has_facts(*file)) continue;
      std::vector<sig::Entry> then = sig::entries(file->facts, sig::model_classes(file->facts));
      Comparison comparison = compare(at, {}, then);
      if (comparison.differences.empty()) continue;
      const sig::Entry& first = *comparison.differences.front().entry;
      out.report(at, at.change->first_code_change.value_or(Location{}),
                 first.label + " removed with " + file->path() + " (deleted since " + base.name + ")" +
                     more(comparison.differences.size()) + std::string(kConsequence),
                 help_for("remove", first.subject));
    }
  }
};

ORMLINT_RULE(ModelChangeWithoutMigration);

}  // namespace

}  // namespace ormlint
