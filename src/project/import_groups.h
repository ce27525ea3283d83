// The project's modules grouped by the imports between them (either way, however indirectly): two definitions
// meet in one process only when one process loads both. A library's MetaData (SQLModel's, shared by every
// SQLModel class) joins nothing, so stand-alone scripts that each define `class Hero(SQLModel, table=True)`
// (SQLModel's docs_src, examples folders) never meet; an application's models do, through the modules that
// import them or their base.
#pragma once
#include <cstddef>
#include <unordered_map>
#include <vector>

#include "project/project.h"

namespace ormlint {

class ImportGroups {
 public:
  explicit ImportGroups(const Project& project);

  // The group of a project file: equal for two files when one process loads both.
  size_t of(const ProjectFile* file);

 private:
  size_t root(size_t i);
  void join(size_t a, size_t b) { parent_[root(a)] = root(b); }

  std::unordered_map<const ProjectFile*, size_t> index_;
  std::vector<size_t> parent_;  // union-find
};

}  // namespace ormlint
