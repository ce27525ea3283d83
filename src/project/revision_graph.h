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
  std::vector<std::string> parents;  // literal down_revision members, without repeats
  bool down_revision_none = false;   // `down_revision = None` (or absent, or an empty tuple): a root
  bool down_revision_empty = false;  // `down_revision = ""`: Alembic reads it as a parent named "", not as None
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
  // Every script of the version folders was checked and read. When only some files are checked (a pre-commit
  // hook passes the changed ones) or one does not parse, the graph has holes: an existing parent looks missing
  // and its parent looks like a head, so heads and missing references are only judged on a complete location.
  bool complete = true;

  // Derived once by build():
  std::map<std::string, std::vector<size_t>> by_id;      // id -> nodes declaring it (duplicates have > 1)
  std::map<std::string, std::vector<size_t>> by_label;   // literal branch label -> nodes declaring it
  std::vector<std::vector<size_t>> children;             // node -> nodes naming it as a parent
  std::vector<size_t> heads;                             // no other node names them as a parent (ascending)
  std::vector<size_t> roots;                             // ascending
  // Strongly connected groups over parent and depends_on edges (Alembic refuses both kinds of loop), each sorted;
  // a single node when it names itself.
  std::vector<std::vector<size_t>> cycles;
  // Node, the parent or dependency that does not exist, and whether it came from depends_on.
  struct Dangling {
    size_t node;
    std::string name;
    bool dependency = false;
  };
  std::vector<Dangling> dangling;

  void build();
  // The nodes a node's parents / depends_on entries (revision ids or branch labels) stand for.
  std::vector<size_t> parent_nodes(size_t node) const;
  std::vector<size_t> dependency_nodes(size_t node) const;
  // Node indices of every ancestor of `node` (itself included), following parents.
  std::vector<size_t> ancestors(size_t node) const;
  // Node indices of every descendant of `node` (itself included), following children.
  std::vector<size_t> descendants(size_t node) const;
  // Indexed by node: heads whose branch carries its own branch_labels — a labelled revision that leads to this head
  // and to no other. Such independent branches are how Alembic keeps several heads on purpose (`alembic upgrade
  // billing@head`). Linear in the size of the graph.
  std::vector<bool> labelled_heads() const;
  // Whether some node's down_revision or revision could not be read: heads and roots are then uncertain.
  bool has_unknown_links() const;
  // For messages: `'ae1027a6acf0' (alembic/versions/ae1027a6acf0_add_users.py)`.
  std::string describe(size_t node) const;
  // The first line of the script's docstring (what `alembic history` shows), or "".
  std::string message(size_t node) const;
};

}  // namespace ormlint
