// The revision graph of each Alembic script location: which scripts belong together, their ids, parents
// (down_revision, merge tuples), dependencies and branch labels, and what follows — heads, roots, duplicate ids,
// dangling references and cycles. What `alembic heads` would say, without a database.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "facts/module_facts.h"

namespace ormlint {

struct ProjectFile;

struct RevisionNode {
  const ProjectFile* file = nullptr;
  const RevisionInfo* info = nullptr;
  std::string id;                    // the literal `revision`; "" when not a string literal
  std::vector<std::string> parents;  // literal down_revision members
  bool down_revision_none = false;   // `down_revision = None` (or absent): a root
  bool down_revision_empty = false;  // `down_revision = ""`: also a root, but not None
  bool down_revision_unknown = false;  // not a literal we can read
  std::vector<std::string> depends_on;
  std::vector<std::string> branch_labels;  // literal labels
  bool has_branch_labels = false;          // any labels, literal or not

  bool is_root() const { return down_revision_none || down_revision_empty; }
  bool is_merge() const { return parents.size() > 1; }
};

struct RevisionLocation {
  std::string name;    // the versions folder(s), as displayed
  std::string source;  // the alembic.ini / pyproject.toml naming it; "" when it is a folder of scripts
  std::vector<RevisionNode> nodes;  // sorted by path

  // Derived once by build():
  std::map<std::string, std::vector<size_t>> by_id;      // id -> nodes declaring it (duplicates have > 1)
  std::vector<std::vector<size_t>> children;             // node -> nodes naming it as a parent
  std::vector<size_t> heads;                             // no other node names them as a parent
  std::vector<size_t> roots;
  std::vector<std::vector<size_t>> cycles;               // strongly connected groups of parent edges
  std::vector<std::pair<size_t, std::string>> dangling;  // node, the parent or dependency that does not exist

  void build();
  // Node indices of every ancestor of `node` (itself included), following parents.
  std::vector<size_t> ancestors(size_t node) const;
};

}  // namespace ormlint
