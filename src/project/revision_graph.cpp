#include "project/revision_graph.h"

#include <algorithm>
#include <cstdint>

#include "project/project.h"

namespace ormlint {

namespace {

void append(std::vector<size_t>& out, const std::vector<size_t>& more) { out.insert(out.end(), more.begin(), more.end()); }

// Tarjan's strongly connected components, iteratively (no recursion depth limit on 10,000-revision histories).
// `edges(v)` gives v's successors.
template <class Edges>
std::vector<std::vector<size_t>> strongly_connected(size_t count, const Edges& edges) {
  std::vector<std::vector<size_t>> groups;
  std::vector<int> index(count, -1), low(count, 0);
  std::vector<bool> on_stack(count, false);
  std::vector<size_t> stack;
  int counter = 0;
  for (size_t start = 0; start < count; ++start) {
    if (index[start] != -1) continue;
    std::vector<std::pair<size_t, std::vector<size_t>>> work;  // node, its successors still to visit
    auto open = [&](size_t v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack[v] = true;
      work.emplace_back(v, edges(v));
    };
    open(start);
    while (!work.empty()) {
      size_t v = work.back().first;
      std::vector<size_t>& pending = work.back().second;
      if (!pending.empty()) {
        size_t w = pending.back();
        pending.pop_back();
        if (index[w] == -1) {
          open(w);  // may reallocate `work`: `pending` is not used after this
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[v]);
      if (low[v] != index[v]) continue;
      std::vector<size_t> component;
      while (true) {
        size_t w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component.push_back(w);
        if (w == v) break;
      }
      std::vector<size_t> next = edges(v);
      bool self_loop = std::find(next.begin(), next.end(), v) != next.end();
      if (component.size() > 1 || self_loop) {
        std::sort(component.begin(), component.end());
        groups.push_back(std::move(component));
      }
    }
  }
  std::sort(groups.begin(), groups.end());
  return groups;
}

}  // namespace

void RevisionLocation::build() {
  by_id.clear();
  by_label.clear();
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].id.empty()) by_id[nodes[i].id].push_back(i);
    for (const auto& label : nodes[i].branch_labels) by_label[label].push_back(i);
  }

  children.assign(nodes.size(), {});
  dangling.clear();
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& parent : nodes[i].parents) {
      auto it = by_id.find(parent);
      if (it == by_id.end()) {
        dangling.push_back({i, parent, false});
        continue;
      }
      for (size_t p : it->second) {
        if (std::find(children[p].begin(), children[p].end(), i) == children[p].end()) children[p].push_back(i);
      }
    }
    // depends_on may name a revision or a branch label.
    for (const auto& dependency : nodes[i].depends_on) {
      if (!by_id.count(dependency) && !by_label.count(dependency)) dangling.push_back({i, dependency, true});
    }
  }
  heads.clear();
  roots.clear();
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].id.empty()) continue;
    if (children[i].empty()) heads.push_back(i);
    if (nodes[i].is_root()) roots.push_back(i);
  }

  cycles = strongly_connected(nodes.size(), [&](size_t v) {
    std::vector<size_t> out = parent_nodes(v);
    append(out, dependency_nodes(v));
    return out;
  });
}

std::vector<size_t> RevisionLocation::parent_nodes(size_t node) const {
  std::vector<size_t> out;
  for (const auto& parent : nodes[node].parents) {
    if (auto it = by_id.find(parent); it != by_id.end()) append(out, it->second);
  }
  return out;
}

std::vector<size_t> RevisionLocation::dependency_nodes(size_t node) const {
  std::vector<size_t> out;
  for (const auto& dependency : nodes[node].depends_on) {
    if (auto it = by_id.find(dependency); it != by_id.end()) {
      append(out, it->second);
    } else if (auto label = by_label.find(dependency); label != by_label.end()) {
      append(out, label->second);  // Alembic maps a label to the revision that declares it
    }
  }
  return out;
}

namespace {

// Which heads a revision leads to, as far as labelled_heads() needs: none, exactly one (which), or several.
struct Reach {
  static constexpr size_t kNone = SIZE_MAX;
  size_t first = kNone, second = kNone;

  void add(size_t head) {
    if (first == kNone || first == head) {
      first = head;
    } else if (second == kNone) {
      second = head;
    }
  }
  void add(const Reach& other) {
    if (other.first != kNone) add(other.first);
    if (other.second != kNone) add(other.second);
  }
  bool exactly_one() const { return first != kNone && second == kNone; }
};

template <class Next>
std::vector<size_t> reachable(size_t count, size_t start, const Next& next) {
  std::vector<size_t> out;
  std::vector<bool> seen(count, false);
  std::vector<size_t> stack{start};
  while (!stack.empty()) {
    size_t v = stack.back();
    stack.pop_back();
    if (seen[v]) continue;
    seen[v] = true;
    out.push_back(v);
    next(v, stack);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<size_t> RevisionLocation::ancestors(size_t node) const {
  return reachable(nodes.size(), node, [&](size_t v, std::vector<size_t>& stack) { append(stack, parent_nodes(v)); });
}

std::vector<size_t> RevisionLocation::descendants(size_t node) const {
  return reachable(nodes.size(), node, [&](size_t v, std::vector<size_t>& stack) { append(stack, children[v]); });
}

// One pass from the heads towards the bases (each revision once its children are done), so the cost stays linear
// however many labels and heads there are; revisions in a cycle are never done and label nothing.
std::vector<bool> RevisionLocation::labelled_heads() const {
  const size_t count = nodes.size();
  std::vector<Reach> reach(count);
  std::vector<size_t> waiting(count);
  std::vector<size_t> ready;
  for (size_t i = 0; i < count; ++i) {
    waiting[i] = children[i].size();
    if (waiting[i] == 0) ready.push_back(i);
  }
  for (size_t h : heads) reach[h].add(h);
  std::vector<bool> done(count, false), labelled(count, false);
  while (!ready.empty()) {
    size_t v = ready.back();
    ready.pop_back();
    done[v] = true;
    for (size_t p : parent_nodes(v)) {
      reach[p].add(reach[v]);
      if (--waiting[p] == 0) ready.push_back(p);
    }
  }
  for (size_t i = 0; i < count; ++i) {
    if (done[i] && nodes[i].has_branch_labels && reach[i].exactly_one()) labelled[reach[i].first] = true;
  }
  return labelled;
}

bool RevisionLocation::has_unknown_links() const {
  return std::any_of(nodes.begin(), nodes.end(),
                     [](const RevisionNode& n) { return n.id.empty() || n.down_revision_unknown; });
}

std::string RevisionLocation::describe(size_t node) const {
  const RevisionNode& n = nodes[node];
  std::string id = n.id.empty() ? "(revision not a literal)" : "'" + n.id + "'";
  return id + " (" + n.file->path() + ")";
}

std::string RevisionLocation::message(size_t node) const {
  const auto& doc = nodes[node].info->docstring;
  if (!doc) return "";
  size_t start = doc->find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  size_t end = doc->find_first_of("\r\n", start);
  std::string line = doc->substr(start, end == std::string::npos ? std::string::npos : end - start);
  line.erase(line.find_last_not_of(" \t") + 1);
  return line;
}

}  // namespace ormlint
