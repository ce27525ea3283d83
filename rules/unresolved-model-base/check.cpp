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
      const std::string via(def.bases.front().text);
      std::string message = "`" + def.name + "` names its table `" + std::string(name->value->text) +
                            "`, but ormlint cannot follow `" + via + "` to a declarative base";
      std::string help;
      if (installed.empty()) {
        help = "make the base's module part of the checked paths (or check the import of `" + via +
               "`); a base from an installed package is not read";
      } else {
        // Where the chain leaves the checked code (bitcart: the local `RecordModel` was named, while the base
        // it could not read was advanced_alchemy's).
        message += " (the classes it derives from lead to `" + installed + "`, outside the checked code)";
        help =
            "a base from an installed package is not read: name it in the configuration, `declarative-bases "
            "= "
            "[\"" +
            installed + "\"]` (or make its module part of the checked paths)";
      }
      out.report(
          file, def.loc,
          message +
              ": its columns are not in ormlint's model, so the rules that read mapped classes (column types "
              "and defaults, reserved names, foreign-key targets, relationships) skip it",
          std::move(help));
    }
  }
};

ORMLINT_RULE(UnresolvedModelBase);

}  // namespace

}  // namespace ormlint
