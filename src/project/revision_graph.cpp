#include "project/revision_graph.h"

#include <algorithm>
#include <functional>
#include <set>

namespace ormlint {

void RevisionLocation::build() {
  by_id.clear();
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].id.empty()) by_id[nodes[i].id].push_back(i);
  }
  std::set<std::string> labels;
  for (const auto& node : nodes) labels.insert(node.branch_labels.begin(), node.branch_labels.end());

  children.assign(nodes.size(), {});
  dangling.clear();
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& parent : nodes[i].parents) {
      auto it = by_id.find(parent);
      if (it == by_id.end()) {
        dangling.emplace_back(i, parent);
        continue;
      }
      for (size_t p : it->second) children[p].push_back(i);
    }
    // depends_on may name a revision or a branch label.
    for (const auto& dependency : nodes[i].depends_on) {
      if (!by_id.count(dependency) && !labels.count(dependency)) dangling.emplace_back(i, dependency);
    }
  }
  heads.clear();
  roots.clear();
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].id.empty()) continue;
    if (children[i].empty()) heads.push_back(i);
    if (nodes[i].is_root()) roots.push_back(i);
  }

  // Tarjan's strongly connected components over parent edges, iteratively (no recursion depth limit on
  // 10,000-revision histories).
  cycles.clear();
  std::vector<int> index(nodes.size(), -1), low(nodes.size(), 0);
  std::vector<bool> on_stack(nodes.size(), false);
  std::vector<size_t> stack;
  int counter = 0;
  auto parents_of = [&](size_t v) {
    std::vector<size_t> out;
    for (const auto& parent : nodes[v].parents) {
      if (auto it = by_id.find(parent); it != by_id.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
  };
  for (size_t start = 0; start < nodes.size(); ++start) {
    if (index[start] != -1) continue;
    std::vector<std::pair<size_t, std::vector<size_t>>> work;  // node, its remaining parents
    auto open = [&](size_t v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack[v] = true;
      work.emplace_back(v, parents_of(v));
    };
    open(start);
    while (!work.empty()) {
      auto& [v, pending] = work.back();
      if (!pending.empty()) {
        size_t w = pending.back();
        pending.pop_back();
        if (index[w] == -1) {
          open(w);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      size_t done = v;
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
      if (low[done] != index[done]) continue;
      std::vector<size_t> component;
      while (true) {
        size_t w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component.push_back(w);
        if (w == done) break;
      }
      bool self_loop = false;
      for (size_t p : parents_of(done)) self_loop = self_loop || p == done;
      if (component.size() > 1 || self_loop) {
        std::sort(component.begin(), component.end());
        cycles.push_back(std::move(component));
      }
    }
  }
  std::sort(cycles.begin(), cycles.end());
}

std::vector<size_t> RevisionLocation::ancestors(size_t node) const {
  std::vector<size_t> out;
  std::vector<bool> seen(nodes.size(), false);
  std::vector<size_t> stack{node};
  while (!stack.empty()) {
    size_t v = stack.back();
    stack.pop_back();
    if (seen[v]) continue;
    seen[v] = true;
    out.push_back(v);
    for (const auto& parent : nodes[v].parents) {
      if (auto it = by_id.find(parent); it != by_id.end()) stack.insert(stack.end(), it->second.begin(), it->second.end());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ormlint
