// duplicate-table-name: two mapped classes or Core Tables defining the same (schema, name) in one MetaData.
// SQLAlchemy raises at import: "Table 'users' is already defined for this MetaData instance."
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "engine/rule.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

std::string where(const TableDef& t) { return t.file->path() + ":" + std::to_string(t.loc.line); }

// The project's modules grouped by the imports between them (either way, however indirectly): two definitions
// meet in one MetaData only when one process loads both. A library's MetaData (SQLModel's, shared by every
// SQLModel class) joins nothing, so stand-alone scripts each defining `class Hero(SQLModel, table=True)`
// (SQLModel's docs_src, examples folders) never collide; an application's models do, through the modules that
// import them or their base.
class ImportGroups {
 public:
  explicit ImportGroups(const Project& project) {
    const auto& files = project.files();
    for (size_t i = 0; i < files.size(); ++i) index_[files[i].get()] = i;
    parent_.resize(files.size());
    for (size_t i = 0; i < files.size(); ++i) parent_[i] = i;
    for (size_t i = 0; i < files.size(); ++i) {
      auto join_import = [&](const Import& import) {
        for (std::string_view name : {std::string_view(import.origin), std::string_view(import.module)}) {
          if (const ProjectFile* module = project.find_module(name)) join(i, index_.at(module));
        }
      };
      for (const Import& import : files[i]->facts.imports) join_import(import);
      for (const Import& import : files[i]->facts.function_imports) join_import(import);
    }
  }

  size_t of(const ProjectFile* file) { return root(index_.at(file)); }

 private:
  size_t root(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(size_t a, size_t b) { parent_[root(a)] = root(b); }

  std::unordered_map<const ProjectFile*, size_t> index_;
  std::vector<size_t> parent_;
};

class DuplicateTableName final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL411", "duplicate-table-name",
                               "Two tables with the same name in the same MetaData", Severity::Error, Profile::Any,
                               true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    // Unknown names, schemas and MetaData cannot be compared; extend_existing/keep_existing redefinitions are legal.
    ImportGroups loaded_together(project);
    std::map<std::tuple<std::string, std::string, std::string, size_t>, std::vector<const TableDef*>> groups;
    for (const TableDef& t : project.tables().tables()) {
      if (t.name.empty() || t.metadata.empty() || t.schema_unknown || !t.file) continue;
      if (t.extend_existing || t.keep_existing) continue;
      groups[{t.metadata, t.schema, t.name, loaded_together.of(t.file)}].push_back(&t);
    }
    for (const auto& [key, defs] : groups) {
      if (defs.size() < 2) continue;
      for (const TableDef* t : defs) report(*t, defs, out);
    }
  }

 private:
  static void report(const TableDef& t, const std::vector<const TableDef*>& defs, Reporter& out) {
    // The first few places, and how many more: a long list helps no one read the message.
    constexpr size_t kShown = 5;
    std::string others;
    size_t shown = 0;
    for (const TableDef* other : defs) {
      if (other == &t || shown == kShown) continue;
      others += (others.empty() ? "" : ", ") + where(*other);
      ++shown;
    }
    if (defs.size() - 1 > kShown) others += " and " + std::to_string(defs.size() - 1 - kShown) + " more";
    out.report(*t.file, t.loc,
               "Table '" + t.qualified_name() + "' is already defined for this MetaData instance (also at " + others +
                   ")",
               "rename one of the tables (`__tablename__`), or pass `extend_existing=True` if redefining it is "
               "intended");
  }
};

ORMLINT_RULE(DuplicateTableName);

}  // namespace

}  // namespace ormlint
