// NameSet and NameMap<V>: the sets of names a file's facts keep (names a module or a class body binds, and
// which statement binds each), as sorted arrays of FactText.
//
// Why not std::set<std::string> / std::map: a run keeps these for every file of the project, tens of
// thousands of names; a tree node and a string each cost an allocation (and the memory a run first touches
// costs about a millisecond per megabyte on the virtual machines ormlint runs on), while the names themselves
// are already kept by the facts' TextStore (or lie in the mapped facts cache). Both are built once, complete,
// and then only read — by several threads at once, so they never change after construction.
#pragma once
#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "core/fact_text.h"

namespace ormlint {

class NameSet {
 public:
  NameSet() = default;
  // Any order, duplicates allowed.
  explicit NameSet(std::vector<FactText> names) : names_(std::move(names)) {
    if (!std::is_sorted(names_.begin(), names_.end())) std::sort(names_.begin(), names_.end());
    names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
  }

  size_t count(std::string_view name) const {
    return std::binary_search(names_.begin(), names_.end(), name) ? 1 : 0;
  }
  bool contains(std::string_view name) const { return count(name) != 0; }
  size_t size() const { return names_.size(); }
  bool empty() const { return names_.empty(); }
  auto begin() const { return names_.begin(); }
  auto end() const { return names_.end(); }
  bool operator==(const NameSet& other) const = default;

 private:
  std::vector<FactText> names_;
};

template <class V>
class NameMap {
 public:
  using Entry = std::pair<FactText, V>;
  using const_iterator = typename std::vector<Entry>::const_iterator;

  NameMap() = default;
  // Any order; of entries with the same name, the first one given is kept (as std::map::try_emplace would).
  explicit NameMap(std::vector<Entry> entries) : entries_(std::move(entries)) {
    auto by_name = [](const Entry& a, const Entry& b) { return a.first < b.first; };
    if (!std::is_sorted(entries_.begin(), entries_.end(), by_name)) {
      std::stable_sort(entries_.begin(), entries_.end(), by_name);
    }
    auto same_name = [](const Entry& a, const Entry& b) { return a.first == b.first; };
    entries_.erase(std::unique(entries_.begin(), entries_.end(), same_name), entries_.end());
  }

  const_iterator find(std::string_view name) const {
    auto it =
        std::lower_bound(entries_.begin(), entries_.end(), name,
                         [](const Entry& entry, std::string_view wanted) { return entry.first < wanted; });
    return it != entries_.end() && it->first == name ? it : entries_.end();
  }
  size_t count(std::string_view name) const { return find(name) == end() ? 0 : 1; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
};

}  // namespace ormlint
