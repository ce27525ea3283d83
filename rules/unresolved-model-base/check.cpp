// unresolved-model-base (info): a class that names its table (`__tablename__ = "users"`) but derives from nothing
// ormlint can follow to a declarative base — `db.Model` of a `db` it cannot resolve, a base from an unseen
// package. Every model rule then skips the class in silence; this says so, once per class.
#include <string>

#include "engine/rule.h"

namespace ormlint {

namespace {

class UnresolvedModelBase final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL409", "unresolved-model-base",
                               "Class with a __tablename__ whose declarative base ormlint cannot find: the model rules "
                               "skip it",
                               Severity::Info, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    for (const ClassDef& def : file.facts.classes) {
      const ClassInfo* cls = project.class_info(def);
      const ClassAttribute* name = cls ? cls->unmapped_table_name() : nullptr;
      if (!name) continue;
      const std::string installed = cls->likely_installed_base();
      std::string help = "make the base's module part of the checked paths (or check the import of `" +
                         std::string(def.bases.front().text) +
                         "`); a base from an installed package is not read";
      if (!installed.empty()) {
        help += ": name it in the configuration, `declarative-bases = [\"" + installed + "\"]`";
      }
      out.report(
          file, def.loc,
          "`" + def.name + "` names its table `" + name->value->text + "`, but ormlint cannot follow `" +
              def.bases.front().text +
              "` to a declarative base: its columns are not in ormlint's model, so the rules that read "
              "mapped "
              "classes (column types and defaults, reserved names, foreign-key targets, relationships) skip "
              "it",
          std::move(help));
    }
  }
};

ORMLINT_RULE(UnresolvedModelBase);

}  // namespace

}  // namespace ormlint
