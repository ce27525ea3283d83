// circular-foreign-key: tables whose foreign keys (none with use_alter=True) form a cycle. SQLAlchemy cannot order
// them for CREATE/DROP ("Can't sort tables ... unresolvable foreign key dependency"), and rows cannot be inserted
// or deleted without deferring a constraint. Self-references are fine: SQLAlchemy handles them.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "engine/rule.h"
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
    for (const TableDef& t : model.tables()) members[components.of()[t.index]].push_back(&t);
    for (const ForeignKeyEdge& e : model.edges()) {
      long c = components.of()[e.from];
      if (!counts(e) || c != components.of()[e.to] || !e.fk->file) continue;
      const ForeignKeyDef*& best = first[c];
      if (!best || position(*e.fk) < position(*best)) best = e.fk;
    }
    for (size_t c = 0; c < members.size(); ++c) {
      if (members[c].size() < 2 || !first[c]) continue;
      std::string names;
      for (const TableDef* t : members[c]) names += (names.empty() ? "'" : ", '") + t->qualified_name() + "'";
      out.report(*first[c]->file, first[c]->loc,
                 "foreign keys form a cycle between tables " + names +
                     ": SQLAlchemy cannot order them for CREATE/DROP",
                 "add `use_alter=True` (and a `name=`) to one foreign key of the cycle, so it is created with ALTER "
                 "TABLE after both tables exist");
    }
  }
};

ORMLINT_RULE(CircularForeignKey);

}  // namespace

}  // namespace ormlint
