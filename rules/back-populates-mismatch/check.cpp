// back-populates-mismatch: relationship(..., back_populates="x") where the target class has no relationship `x`,
// or where `x` points at some other class than the owner (or one of its ancestors). SQLAlchemy raises at mapper
// configuration time, i.e. on the first query, not at import.
#include <set>
#include <string>
#include <utility>

#include "engine/rule.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

// Whether `cls` is `ancestor` or derives from it through project classes.
bool is_same_or_subclass(const ClassInfo* cls, const ClassInfo* ancestor, int depth = 0) {
  if (!cls || depth > 32) return false;
  if (cls == ancestor) return true;
  for (const ClassInfo* base : cls->project_bases) {
    if (is_same_or_subclass(base, ancestor, depth + 1)) return true;
  }
  return false;
}

// A `backref="x"` elsewhere that creates `x` on the target: a different (conflicting) mistake, not this rule's.
bool created_by_backref(const TableModel& model, const ClassInfo& target, const std::string& name) {
  const MappedClassDef* mapped = model.mapped_class(target);
  if (!mapped) return false;
  for (const RelationshipDef* other : mapped->backrefs) {
    if (other->backref == name) return true;
  }
  return false;
}

class BackPopulatesMismatch final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL421", "back-populates-mismatch",
                               "back_populates names a relationship the target class lacks, or one that does not point back",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    const TableModel& model = project.tables();
    std::set<std::pair<const ProjectFile*, uint32_t>> seen;  // a mixin's relationship is shared by many owners
    for (const RelationshipDef& rel : model.relationships()) {
      if (rel.back_populates.empty() || !rel.target || rel.target_ambiguous || !rel.file || !rel.owner) continue;
      if (!seen.insert({rel.file, rel.loc.start_byte}).second) continue;
      check(model, rel, out);
    }
  }

 private:
  // `metadata` is reserved in a class body (reserved-attribute): that relationship is set after the body.
  static std::string add_relationship_help(const std::string& target, const std::string& name,
                                           const std::string& owner, const std::string& back) {
    const std::string call = "relationship(\"" + owner + "\", back_populates=\"" + back + "\")";
    if (name == "metadata") {
      return "set it after the class body, where the name is allowed: `" + target + ".metadata = " + call +
             "`, or fix the name in back_populates";
    }
    return "add `" + name + " = " + call + "` to `" + target + "`, or fix the name in back_populates";
  }

  static void check(const TableModel& model, const RelationshipDef& rel, Reporter& out) {
    const std::string owner = class_name(rel.owner);
    const std::string target = class_name(rel.target);
    const std::string shown = owner + "." + rel.attribute;
    const RelationshipDef* other = model.find_relationship(*rel.target, rel.back_populates);
    if (!other) {
      if (created_by_backref(model, *rel.target, rel.back_populates)) return;
      out.report(*rel.file, rel.loc,
                 "`" + shown + "` has back_populates=\"" + rel.back_populates + "\" but `" + target +
                     "` has no relationship `" + rel.back_populates +
                     "`: SQLAlchemy raises InvalidRequestError when the mappers configure",
                 add_relationship_help(target, rel.back_populates, owner, rel.attribute));
      return;
    }
    if (!other->target || other->target_ambiguous) return;  // cannot tell where it points
    if (is_same_or_subclass(rel.owner, other->target)) return;
    out.report(*rel.file, rel.loc,
               "`" + shown + "` has back_populates=\"" + rel.back_populates + "\" but `" + target + "." +
                   rel.back_populates + "` points at `" + class_name(other->target) + "`, not `" + owner +
                   "`: SQLAlchemy raises ArgumentError when the mappers configure",
               "point back_populates at the `" + target + "` relationship that targets `" + owner +
                   "` (both sides must name each other)");
  }
};

ORMLINT_RULE(BackPopulatesMismatch);

}  // namespace

}  // namespace ormlint
