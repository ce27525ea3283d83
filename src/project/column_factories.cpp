// Column factories: project functions whose body only returns a column (osparc's
// `def column_created_datetime(*, timezone=True) -> sa.Column: return sa.Column("created", sa.DateTime(timezone=
// timezone), ...)`, called in a hundred Table(...) definitions). Each call of one is, to the model and the rules,
// the column the factory returns with the call's arguments in place of its parameters, located at the call: a
// finding about that column belongs where the column is made, and the arguments there decide it.
#include <iterator>
#include <list>
#include <map>
#include <optional>
#include <unordered_set>

#include "project/project.h"

namespace ormlint {

namespace {

bool returns_column(const FunctionDef& fn) {
  if (!fn.returned_call) return false;
  const FactText origin = fn.returned_call->origin();
  // SQLModel's Field(sa_column=Column(...)) too (zenml's build_foreign_key_field).
  return origin == "sqlalchemy.Column" || origin == "sqlalchemy.orm.mapped_column" ||
         origin == "sqlmodel.Field";
}

}  // namespace

// Puts the bound arguments in place of the parameters `e` reads. Returns whether `e` itself was replaced or its
// dotted text changed (so that an attribute of it reads anew: `users_table.c.id` with `users_table=users`).
bool Project::substitute_parameters(Expr& e, const std::map<std::string, const Expr*, std::less<>>& bound,
                                    const ProjectFile& file, const Location& call_loc) {
  if (e.kind == Expr::Kind::String && e.is_fstring) {
    auto value_of = [&](std::string_view name) -> const Expr* {
      auto it = bound.find(name);
      return it == bound.end() ? nullptr : it->second;
    };
    if (auto filled = filled_fstring(e.text, value_of)) {
      e.text = texts_.keep(*filled);
      e.is_fstring = false;
    }
    return false;
  }
  if (e.kind == Expr::Kind::Name) {
    auto it = bound.find(e.text);
    if (it == bound.end()) return false;
    if (it->second) {
      e = *it->second;
    } else {
      e = Expr();  // unknown: Kind::Other, read by no rule as a value
      e.text = texts_.keep(it->first);
      e.loc = call_loc;
    }
    return true;
  }
  bool target_changed = e.target && substitute_parameters(*e.target, bound, file, call_loc);
  for (Expr& item : e.items) substitute_parameters(item, bound, file, call_loc);
  for (Keyword& keyword : e.keywords) substitute_parameters(keyword.value, bound, file, call_loc);
  if (!target_changed || e.kind != Expr::Kind::Attribute) return false;
  if (e.target->is_name_like()) {
    e.text = texts_.keep(e.target->text + "." + e.name);
    e.name = FactText(e.text.substr(e.text.size() - e.name.size()));
    e.resolved = texts_.keep(resolve(file, e.text));
  } else {
    e.resolved = texts_.keep(resolve_expr_target(file, e, 0).name);
  }
  return true;
}

std::optional<Expr> Project::partial_applied(const ProjectFile& file, const Expr& call) const {
  if (!call.is_call() || !call.target || !call.target->is_name_like()) return std::nullopt;
  std::optional<Expr> applied;
  Target t = resolve_expr_target(file, *call.target, 0);
  // partial(partial(db.Column, nullable=False), index=True): each level's defaults, the outermost's first.
  for (int level = 0; t.partial && level < 8; ++level) {
    if (!applied) applied = call;  // the call's own target (`Column`) resolves to the wrapped callable already
    const Expr& partial = *t.partial;
    std::vector<Expr> items(partial.items.begin() + 1, partial.items.end());
    for (Expr& item : items) item.relocate(call.loc);
    applied->items.insert(applied->items.begin(), std::make_move_iterator(items.begin()),
                          std::make_move_iterator(items.end()));
    for (const Keyword& keyword : partial.keywords) {
      if (applied->keyword(keyword.name)) continue;
      applied->keywords.push_back(keyword);
      applied->keywords.back().loc = call.loc;
      applied->keywords.back().value.relocate(call.loc);
    }
    t = resolve_expr_target(*t.partial_file, partial.items[0], 0);
  }
  return applied;
}

void Project::expand_column_factories() {
  // "app.columns.created_column" -> its def and module
  std::unordered_map<std::string, std::pair<const FunctionDef*, const ProjectFile*>> factories;
  for (const auto& file : files_) {
    for (const FunctionDef& fn : file->facts.functions) {
      if (returns_column(fn)) factories.emplace(file->module_key + "." + fn.name, std::pair{&fn, file.get()});
    }
    for (const Assignment& a : file->facts.assignments) {
      if (a.value.is_call() && a.value.origin() == "functools.partial" && !a.value.items.empty() &&
          !a.value.items[0].resolved.empty()) {
        partial_targets_.insert(a.value.items[0].resolved);
      }
    }
  }
  if (factories.empty() && partial_targets_.empty()) return;
  for (const auto& file : files_) {
    file->facts.for_each_expression([&](const Expr& root) {
      root.walk([&](const Expr& call) {
        if (!call.is_call()) return;
        std::optional<Expr> applied;
        if (partial_targets_.count(call.origin())) applied = partial_applied(*file, call);
        const Expr& made = applied ? *applied : call;  // the call as it happens, partials applied
        auto factory = factories.find(made.origin());
        if (factory == factories.end()) {
          if (applied) column_factory_calls_.emplace(&call, std::make_unique<Expr>(std::move(*applied)));
          return;
        }
        const auto [fn, factory_file] = factory->second;
        // The factory's own code (its returned call, its parameters' defaults) is located at the call; the
        // arguments put in keep their places. Its returned call may itself call a partial (redash's
        // `def primary_key(): return Column(db.Integer, primary_key=True)` with `Column = partial(...)`).
        std::optional<Expr> returned = partial_applied(*factory_file, *fn->returned_call);
        auto column = std::make_unique<Expr>(returned ? std::move(*returned) : *fn->returned_call);
        column->relocate(call.loc);
        std::list<Expr> defaults;
        std::map<std::string, const Expr*, std::less<>> bound;
        for (const auto& [name, argument] : bind_arguments(fn->parameters, made)) {
          bound[name] = argument.value;
          if (!argument.is_default) continue;
          defaults.push_back(*argument.value);
          defaults.back().relocate(call.loc);
          bound[name] = &defaults.back();
        }
        substitute_parameters(*column, bound, *file, call.loc);
        column_factory_calls_.emplace(&call, std::move(column));
      });
    });
  }
}

void Project::alias_class_columns() {
  for (const ClassInfo& cls : classes_) {
    if (!cls.contributes_mapped_attributes()) continue;
    for (const ClassAttribute& attr : cls.def->attributes) {
      const Expr* value = attr.value ? &*attr.value : nullptr;
      if (!value || value->kind != Expr::Kind::Attribute || !value->target || !value->target->is_name_like())
        continue;
      const ClassInfo* other = resolve_class(*cls.file, value->target->text);
      const ClassAttribute* aliased = other && other != &cls ? other->def->attribute(value->name) : nullptr;
      if (!aliased || !aliased->value) continue;
      const Expr& column = column_call(*aliased->value);
      const FactText origin = column.origin();
      if (!column.is_call() || (origin != "sqlalchemy.Column" && origin != "sqlalchemy.orm.mapped_column"))
        continue;
      auto copy = std::make_unique<Expr>(column);
      copy->relocate(value->loc);  // a finding about it belongs to the class that maps it
      column_factory_calls_.emplace(value, std::move(copy));
    }
  }
}

const Expr* Project::partial_type(const ProjectFile& file, const Expr& type) {
  if (!type.is_name_like() || !partial_targets_.count(type.resolved)) return nullptr;
  // SQLAlchemy instantiates a type class given to a column: the partial's call is the type.
  Expr call;
  call.kind = Expr::Kind::Call;
  call.loc = type.loc;
  call.text = type.text;
  call.target = std::make_unique<Expr>(type);
  std::optional<Expr> applied = partial_applied(file, call);
  if (!applied) return nullptr;
  std::lock_guard lock(partial_types_mutex_);
  return &partial_types_.emplace_back(std::move(*applied));
}

const Expr& Project::column_call(const Expr& e) const {
  if (column_factory_calls_.empty()) return e;
  auto it = column_factory_calls_.find(&e);
  return it == column_factory_calls_.end() ? e : *it->second;
}

}  // namespace ormlint
