// reserved-attribute: a mapped attribute named `metadata`, `registry`, or `query` on a Flask-SQLAlchemy model.
#include "engine/rule.h"
#include "project/sqlalchemy_names.h"

namespace ormlint {

namespace {

class ReservedAttribute final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL101", "reserved-attribute",
                               "Mapped attribute named after a reserved declarative attribute (metadata, registry, query)",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_file(const ProjectFile& file, const Project& project, Reporter& out) const override {
    for (const ClassDef& def : file.facts.classes) {
      const ClassInfo* cls = project.class_info(def);
      if (!cls || !cls->contributes_mapped_attributes()) continue;
      for (const ClassAttribute& attr : def.attributes) {
        if (!is_mapped_attribute(*cls, attr)) continue;
        // Set after the body, `metadata` is only an attribute: declarative reserves the name in the body
        // alone.
        if (attr.name == "metadata" && !attr.added_after_class) {
          out.report(file, attr.loc,
                     "`metadata` is reserved by the Declarative API: importing `" + def.name +
                         "` raises InvalidRequestError",
                     "rename the attribute and keep the column name: `extra_metadata = Column(\"metadata\", JSON)`");
        } else if (attr.name == "registry") {
          out.report(file, attr.loc, "`registry` shadows the declarative base's `registry` attribute on `" + def.name + "`",
                     "rename the attribute; pass the column name as the first argument if the database needs it",
                     Severity::Warning);
        } else if (attr.name == "query" && cls->flask_model) {
          out.report(file, attr.loc,
                     "`query` shadows Flask-SQLAlchemy's `Model.query` on `" + def.name + "`",
                     "rename the attribute (e.g. `query_text`); keep the column name with Column(\"query\", ...)",
                     Severity::Warning);
        }
      }
    }
  }
};

ORMLINT_RULE(ReservedAttribute);

}  // namespace

}  // namespace ormlint
