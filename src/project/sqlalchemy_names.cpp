#include "project/sqlalchemy_names.h"

#include <set>

namespace ormlint {

namespace {
const std::set<std::string, std::less<>> kMappedConstructs = {
    "sqlalchemy.Column",           "sqlalchemy.orm.mapped_column", "sqlalchemy.orm.relationship",
    "sqlalchemy.orm.relation",     "sqlalchemy.orm.column_property", "sqlalchemy.orm.deferred",
    "sqlalchemy.orm.synonym",      "sqlalchemy.orm.composite",      "sqlalchemy.orm.dynamic_loader",
    "sqlalchemy.orm.query_expression", "sqlmodel.Field",            "sqlmodel.Relationship",
    "sqlalchemy.ext.associationproxy.association_proxy", "sqlalchemy.ext.hybrid.hybrid_property"};

const std::set<std::string, std::less<>> kMappedAnnotations = {"sqlalchemy.orm.Mapped", "sqlalchemy.orm.WriteOnlyMapped",
                                                                 "sqlalchemy.orm.DynamicMapped"};
}  // namespace

bool is_mapped_construct_call(std::string_view canonical) { return kMappedConstructs.count(canonical) > 0; }

bool is_mapped_annotation(const Expr& annotation) {
  const Expr* head = annotation.kind == Expr::Kind::Subscript && annotation.target ? annotation.target.get() : &annotation;
  return kMappedAnnotations.count(head->resolved) > 0;
}

bool is_mapped_attribute(const ClassInfo& owner, const ClassAttribute& attribute) {
  if (attribute.value && attribute.value->is_call() && is_mapped_construct_call(attribute.value->origin())) return true;
  if (attribute.annotation && is_mapped_annotation(*attribute.annotation)) return true;
  if (owner.sqlmodel && attribute.annotation) {
    // SQLModel maps every annotated field except class variables and its own configuration.
    const Expr& a = *attribute.annotation;
    const Expr* head = a.kind == Expr::Kind::Subscript && a.target ? a.target.get() : &a;
    if (head->resolved == "typing.ClassVar" || attribute.name == "model_config" || attribute.name.rfind("__", 0) == 0) {
      return false;
    }
    return true;
  }
  return false;
}

bool reuses_parent_column(const Expr& construct) {
  if (!construct.is_call() || construct.origin() != "sqlalchemy.orm.mapped_column") return false;
  const Expr* reuse = construct.keyword("use_existing_column");
  return reuse && reuse->is_true();
}

}  // namespace ormlint
