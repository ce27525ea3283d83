#include "project/sqlalchemy_names.h"

#include <algorithm>
#include <set>

namespace ormlint {

namespace {
const std::set<std::string, std::less<>> kMappedConstructs = {
    "sqlalchemy.Column",           "sqlalchemy.orm.mapped_column", "sqlalchemy.orm.relationship",
    "sqlalchemy.orm.relation",     "sqlalchemy.orm.column_property", "sqlalchemy.orm.deferred",
    "sqlalchemy.orm.synonym",      "sqlalchemy.orm.composite",      "sqlalchemy.orm.dynamic_loader",
    "sqlalchemy.orm.query_expression", "sqlmodel.Field",            "sqlmodel.Relationship",
    "sqlalchemy.ext.associationproxy.association_proxy", "sqlalchemy.ext.hybrid.hybrid_property"};

// Arguments of Column(...)/mapped_column(...) that are not its type.
const std::set<std::string, std::less<>> kSchemaItems = {"sqlalchemy.ForeignKey",
                                                         "sqlalchemy.Sequence",
                                                         "sqlalchemy.Identity",
                                                         "sqlalchemy.Computed",
                                                         "sqlalchemy.CheckConstraint",
                                                         "sqlalchemy.UniqueConstraint",
                                                         "sqlalchemy.FetchedValue",
                                                         "sqlalchemy.DefaultClause",
                                                         "sqlalchemy.Index",
                                                         "sqlalchemy.PrimaryKeyConstraint",
                                                         "sqlalchemy.ForeignKeyConstraint"};

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

bool reuses_existing_column(const Expr& construct) {
  if (!construct.is_call() || construct.origin() != "sqlalchemy.orm.mapped_column") return false;
  const Expr* reuse = construct.keyword("use_existing_column");
  return reuse && reuse->is_true();
}

bool is_schema_item(const Expr& e) {
  return (e.is_call() && kSchemaItems.count(e.origin())) ||
         (e.is_name_like() && kSchemaItems.count(e.resolved));
}

const Expr* column_type_argument(const Expr& call) {
  // Neither the name, nor a schema item, nor None (`mapped_column(None, nullable=True)`: no name and no type,
  // as when left out).
  auto type_candidate = [](const Expr& arg) {
    return arg.kind != Expr::Kind::String && arg.kind != Expr::Kind::None && !is_schema_item(arg);
  };
  if (const Expr* type = call.keyword("type_")) return type->kind == Expr::Kind::None ? nullptr : type;
  for (size_t i = 0; i < call.items.size(); ++i) {
    const Expr& arg = call.items[i];
    if (!type_candidate(arg)) continue;
    // `sa.Column(column_name, sa.String(50))` (the seeds' safe-migration template): a first argument naming
    // nothing the resolver knows (a local variable), followed by a type, is the column name held in a
    // variable.
    if (i == 0 && arg.is_name_like() && arg.resolved.empty() &&
        std::any_of(call.items.begin() + 1, call.items.end(), type_candidate)) {
      continue;
    }
    return &arg;
  }
  return nullptr;
}

DecoratedImpl decorated_impl(const Project& project, const ProjectFile& file, const Expr& type) {
  const Expr* name = type.is_call() ? type.target.get() : &type;
  if (!name || !name->is_name_like() || name->resolved.starts_with("sqlalchemy.")) return {};
  const ClassInfo* cls = project.resolve_class(file, name->text);
  // Breadth first: the class, then its bases in the order written, then theirs (a cycle ends the walk). The
  // nearest `impl` wins; load_dialect_impl() counts wherever it is defined, as any inherited method does.
  std::vector<const ClassInfo*> queue;
  if (cls) queue.push_back(cls);
  std::set<const ClassInfo*> seen(queue.begin(), queue.end());
  DecoratedImpl found;
  for (size_t next = 0; next < queue.size(); ++next) {
    const ClassDef& def = *queue[next]->def;
    found.chooses_per_dialect = found.chooses_per_dialect || def.body_names.contains("load_dialect_impl");
    const ClassAttribute* impl = def.attribute("impl");
    if (!found.impl && impl && impl->value) {
      found.impl = &*impl->value;
      found.file = queue[next]->file;
    }
    for (const ClassInfo* base : queue[next]->project_bases) {
      if (seen.insert(base).second) queue.push_back(base);
    }
  }
  return found.impl ? found : DecoratedImpl{};
}

}  // namespace ormlint
