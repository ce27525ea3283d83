// model-change-without-migration: in a git-aware run (--staged, --changed-since), the change adds, removes or
// alters mapped tables or columns (declarative models, SQLModel tables, Core `Table(...)`, module-level
// `Index(...)`) but adds no revision script. The schema signatures (schema_signature.h) of every changed file are
// compared with those of their base versions and of the deleted files, across files — a model moved to another
// file is no change. One finding per file, at its first difference. A deleted file has nothing to point at: what
// it removed is reported on the first changed model file. Projects without any revision script (not using
// Alembic) are left alone.
#include <algorithm>
#include <list>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "engine/rule.h"
#include "schema_signature.h"

namespace ormlint {

namespace {

namespace sig = schema_signature;

// An entry of one side of the change, and where it lives now.
struct Placed {
  const sig::Entry* entry = nullptr;
  const ProjectFile* file = nullptr;    // the current file (for a base entry: its file's current version); null
                                        // when the file was deleted
  const ProjectFile* origin = nullptr;  // the version the entry was read from
};

using Side = std::map<std::string, std::vector<Placed>>;  // by entry key

struct Difference {
  enum class Kind { Added, Changed, Removed };
  Kind kind;
  Placed placed;  // the current entry (added, changed) or the base one (removed)
  Location loc;   // where to report it
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
// of the current one (a mixin or SQLModel base feeding a model of another file). Declarative bases are left out
// on both sides: they are the models' base, not a table.
sig::ModelClasses model_classes(const ProjectFile& file, const ProjectFile* before, const Project& project) {
  sig::ModelClasses classes = sig::model_classes(file.facts);
  if (before) classes.merge(sig::model_classes(before->facts));
  for (const ClassDef& def : file.facts.classes) {
    const ClassInfo* info = project.class_info(def);
    if (!info || !def.module_level || info->role == ClassInfo::Role::DeclarativeBase) continue;
    if (info->contributes_mapped_attributes()) classes.models.insert(def.name);
    if (info->sqlmodel) classes.sqlmodels.insert(def.name);
  }
  return classes;
}

// Both sides of the change, with the entries they point into.
class SchemaChange {
 public:
  const ProjectFile* first_model_file = nullptr;  // the first changed file holding models in either version
  Side now, then;

  void add_changed_file(const ProjectFile& file, const Project& project) {
    const ProjectFile* before = file.change->base.get();
    if (before && !has_facts(*before)) return;
    sig::ModelClasses classes = model_classes(file, before, project);
    bool models = add(now, sig::entries(file.facts, classes), &file, &file);
    if (before) models |= add(then, sig::entries(before->facts, classes), &file, before);
    if (models && !first_model_file) first_model_file = &file;
  }

  void add_deleted_file(const ProjectFile& file) {
    if (has_facts(file)) add(then, sig::entries(file.facts, sig::model_classes(file.facts)), nullptr, &file);
  }

 private:
  bool add(Side& side, std::vector<sig::Entry> entries, const ProjectFile* file, const ProjectFile* origin) {
    if (entries.empty()) return false;
    const std::vector<sig::Entry>& kept = storage_.emplace_back(std::move(entries));
    for (const sig::Entry& entry : kept) side[entry.key].push_back(Placed{&entry, file, origin});
    return true;
  }

  std::list<std::vector<sig::Entry>> storage_;  // stable addresses for the pointers in the sides
};

struct Place {
  const ProjectFile* file = nullptr;  // null: nowhere to report
  Location loc;
};

// Where to report a removed entry: on the table that lost it, else at the file's first changed code, else (the
// file was deleted) at the first changed model file's first changed code.
Place removal_place(const Placed& removed, const SchemaChange& change) {
  const ProjectFile* file = removed.file ? removed.file : change.first_model_file;
  if (!file) return {};
  auto owner = change.now.find(removed.entry->owner_key);
  if (removed.file && owner != change.now.end()) {
    for (const Placed& table : owner->second) {
      if (table.file == removed.file) return Place{file, table.entry->loc};
    }
  }
  return Place{file, file->change->first_code_change.value_or(Location{})};
}

// Pairs the entries of one key: equal definitions match (wherever they live); the rest are changed (paired in
// order), added or removed.
void compare_key(const std::vector<Placed>& now, const std::vector<Placed>& then, std::vector<Difference>& out) {
  std::vector<const Placed*> unmatched_now, unmatched_then;
  std::vector<bool> used(then.size(), false);
  for (const Placed& entry : now) {
    size_t match = 0;
    while (match < then.size() && (used[match] || then[match].entry->definition != entry.entry->definition)) ++match;
    if (match < then.size()) {
      used[match] = true;
    } else {
      unmatched_now.push_back(&entry);
    }
  }
  for (size_t i = 0; i < then.size(); ++i) {
    if (!used[i]) unmatched_then.push_back(&then[i]);
  }
  for (size_t i = 0; i < unmatched_now.size(); ++i) {
    auto kind = i < unmatched_then.size() ? Difference::Kind::Changed : Difference::Kind::Added;
    out.push_back(Difference{kind, *unmatched_now[i], unmatched_now[i]->entry->loc});
  }
  for (size_t i = unmatched_now.size(); i < unmatched_then.size(); ++i) {
    out.push_back(Difference{Difference::Kind::Removed, *unmatched_then[i], {}});
  }
}

std::vector<Difference> differences(const SchemaChange& change) {
  std::vector<Difference> out;
  static const std::vector<Placed> none;
  for (const auto& [key, now] : change.now) {
    auto then = change.then.find(key);
    compare_key(now, then == change.then.end() ? none : then->second, out);
  }
  for (const auto& [key, then] : change.then) {
    if (!change.now.count(key)) compare_key(none, then, out);
  }
  // A column of a table that is itself added or removed is part of that one difference.
  std::map<std::string, Difference::Kind> whole;
  for (const Difference& d : out) {
    if (d.placed.entry->owner_key.empty() && d.kind != Difference::Kind::Changed) whole.emplace(d.placed.entry->key, d.kind);
  }
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const Difference& d) {
                             auto owner = whole.find(d.placed.entry->owner_key);
                             return owner != whole.end() && owner->second == d.kind;
                           }),
            out.end());
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

std::string_view revision_verb(Difference::Kind kind) {
  switch (kind) {
    case Difference::Kind::Added: return "add";
    case Difference::Kind::Changed: return "change";
    case Difference::Kind::Removed: return "remove";
  }
  return "change";
}

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
    SchemaChange change;
    for (const auto& file : project.files()) {
      if (file->change && file->change->first_code_change && has_facts(*file)) change.add_changed_file(*file, project);
    }
    std::vector<const ProjectFile*> deleted;
    for (const auto& file : base->deleted_files) deleted.push_back(file.get());
    std::sort(deleted.begin(), deleted.end(), [](const auto* a, const auto* b) { return a->path() < b->path(); });
    for (const ProjectFile* file : deleted) change.add_deleted_file(*file);

    // One finding per file, at its first addition or change in source order, else its first removal.
    std::map<const ProjectFile*, std::vector<Difference>> by_file;
    for (Difference& d : differences(change)) {
      Place place{d.placed.file, d.loc};
      if (d.kind == Difference::Kind::Removed) place = removal_place(d.placed, change);
      d.loc = place.loc;
      if (place.file) by_file[place.file].push_back(std::move(d));
    }
    for (auto& [file, found] : by_file) {
      std::stable_sort(found.begin(), found.end(), [](const Difference& a, const Difference& b) {
        bool a_removed = a.kind == Difference::Kind::Removed, b_removed = b.kind == Difference::Kind::Removed;
        if (a_removed != b_removed) return b_removed;
        return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
      });
      report(*file, found, base->name, out);
    }
  }

 private:
  static void report(const ProjectFile& file, const std::vector<Difference>& found, const std::string& base_name,
                     Reporter& out) {
    const Difference& first = found.front();
    const sig::Entry& entry = *first.placed.entry;
    std::string message = entry.label + " " + std::string(verb(first.kind)) + " since " + base_name;
    if (!first.placed.file) message += " (" + first.placed.origin->path() + " was deleted)";
    if (found.size() > 1) {
      message += " (and " + std::to_string(found.size() - 1) + " more schema change" + (found.size() > 2 ? "s" : "") + ")";
    }
    message += ", but the change adds no revision script: existing databases keep the old schema";
    out.report(file, first.loc, std::move(message),
               "generate a revision and review it: `alembic revision --autogenerate -m \"" +
                   std::string(revision_verb(first.kind)) + " " + entry.subject + "\"`");
  }
};

ORMLINT_RULE(ModelChangeWithoutMigration);

}  // namespace

}  // namespace ormlint
