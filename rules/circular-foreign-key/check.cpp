// circular-foreign-key: tables whose foreign keys (none with use_alter=True) form a cycle.
// metadata.sorted_tables cannot order them (it warns, and leaves those keys out of the order, which Alembic
// autogenerate's create_table order follows); create_all() adds the keys with ALTER TABLE afterwards, and
// drop_all() can drop one first only by its name: with no key of the cycle named, drop_all() raises
// CircularDependencyError on PostgreSQL and MySQL. Self-references are fine: SQLAlchemy handles them.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "engine/rule.h"
#include "project/assigned_value.h"
#include "project/table_model.h"

namespace ormlint {

namespace {

bool counts(const ForeignKeyEdge& e) { return e.fk && !e.fk->use_alter && e.from != e.to; }

// Strongly connected components (Tarjan, iterative so deep schemas cannot overflow the stack).
class Components {
 public:
  explicit Components(const TableModel& model) : model_(model), n_(model.tables().size()) {
    index_.assign(n_, -1);
    low_.assign(n_, 0);
    on_stack_.assign(n_, false);
    component_.assign(n_, -1);
    for (size_t v = 0; v < n_; ++v) {
      if (index_[v] < 0) run(v);
    }
  }
  const std::vector<long>& of() const { return component_; }
  long count() const { return count_; }

 private:
  void run(size_t root) {
    std::vector<std::pair<size_t, size_t>> frames{{root, 0}};  // (vertex, next edge offset)
    enter(root);
    while (!frames.empty()) {
      auto& [v, next] = frames.back();
      auto edges = model_.edges_from(model_.tables()[v]);
      if (next < edges.size()) {
        const ForeignKeyEdge& e = edges[next++];
        if (!counts(e)) continue;
        if (index_[e.to] < 0) {
          enter(e.to);
          frames.push_back({e.to, 0});
        } else if (on_stack_[e.to]) {
          low_[v] = std::min(low_[v], index_[e.to]);
        }
        continue;
      }
      size_t done = v;
      if (low_[done] == index_[done]) pop_component(done);
      frames.pop_back();
      if (!frames.empty()) low_[frames.back().first] = std::min(low_[frames.back().first], low_[done]);
    }
  }
  void enter(size_t v) {
    index_[v] = low_[v] = next_index_++;
    stack_.push_back(v);
    on_stack_[v] = true;
  }
  void pop_component(size_t v) {
    size_t w;
    do {
      w = stack_.back();
      stack_.pop_back();
      on_stack_[w] = false;
      component_[w] = count_;
    } while (w != v);
    ++count_;
  }

  const TableModel& model_;
  size_t n_;
  long next_index_ = 0;
  long count_ = 0;
  std::vector<long> index_, low_, component_;
  std::vector<bool> on_stack_;
  std::vector<size_t> stack_;
};

// Whether the MetaData names foreign keys itself: a naming_convention (also through a module-level name) with
// an "fk" entry, keyed by the string or the ForeignKeyConstraint class; one ormlint cannot read gets the
// benefit of the doubt.
bool names_foreign_keys(const Project& project, const MetadataDef* metadata) {
  if (!metadata || !metadata->naming_convention) return false;
  const Expr* convention = metadata->naming_convention;
  if (const ProjectFile* file = metadata->file; file && convention->is_name_like()) {
    if (const Expr* value = assigned_value(project, file, convention->text, 8)) convention = value;
  }
  if (convention->kind != Expr::Kind::Dict) return true;
  for (size_t i = 0; i < convention->items.size(); i += 2) {
    const Expr& key = convention->items[i];
    if ((key.is_string() && key.text == "fk") || key.resolved == "sqlalchemy.ForeignKeyConstraint")
      return true;
  }
  return false;
}

// A foreign key drop_all() can drop by name to break the cycle: its own name=, or its MetaData's convention.
bool named(const Project& project, const ForeignKeyDef& fk) {
  return !fk.name.empty() || fk.name_expr ||
         names_foreign_keys(project, project.tables().find_metadata(fk.table->metadata));
}

auto position(const ForeignKeyDef& fk) { return std::make_tuple(fk.file->path(), fk.loc.line, fk.loc.column); }

class CircularForeignKey final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo info{"OL414", "circular-foreign-key",
                               "Foreign keys form a cycle between tables and none uses use_alter=True",
                               Severity::Error, Profile::Any, true};
    return info;
  }

  void check_project(const Project& project, Reporter& out) const override {
    const TableModel& model = project.tables();
    Components components(model);
    // Per component: its tables (in model order) and the first of its internal foreign keys.
    std::vector<std::vector<const TableDef*>> members(static_cast<size_t>(components.count()));
    std::vector<const ForeignKeyDef*> first(members.size(), nullptr);
    std::vector<bool> has_named(members.size(), false);
    for (const TableDef& t : model.tables()) members[components.of()[t.index]].push_back(&t);
    for (const ForeignKeyEdge& e : model.edges()) {
      long c = components.of()[e.from];
      if (!counts(e) || c != components.of()[e.to] || !e.fk->file) continue;
      if (!has_named[c] && named(project, *e.fk)) has_named[c] = true;
      const ForeignKeyDef*& best = first[c];
      if (!best || position(*e.fk) < position(*best)) best = e.fk;
    }
    for (size_t c = 0; c < members.size(); ++c) {
      if (members[c].size() < 2 || !first[c]) continue;
      std::string names;
      for (const TableDef* t : members[c]) names += (names.empty() ? "'" : ", '") + t->qualified_name() + "'";
      const std::string consequence =
          has_named[c]
              ? "metadata.sorted_tables cannot order the tables (it warns and leaves the cycle's foreign "
                "keys out of the order, which Alembic autogenerate's create_table order follows)"
              : "none has a name, so drop_all() cannot break the cycle (CircularDependencyError), and "
                "metadata.sorted_tables cannot order the tables";
      out.report(
          *first[c]->file, first[c]->loc,
          "foreign keys form a cycle between tables " + names + " with no use_alter=True: " + consequence,
          "add `use_alter=True` and a `name=` to one foreign key of the cycle (`ForeignKey(\"users.id\", "
          "use_alter=True, name=\"fk_...\")`): it is then created with ALTER TABLE after both tables "
          "exist and dropped before either");
    }
  }
};

ORMLINT_RULE(CircularForeignKey);

}  // namespace

}  // namespace ormlint
