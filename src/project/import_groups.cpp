#include "project/import_groups.h"

#include <string_view>

namespace ormlint {

ImportGroups::ImportGroups(const Project& project) {
  const auto& files = project.files();
  for (size_t i = 0; i < files.size(); ++i) index_[files[i].get()] = i;
  parent_.resize(files.size());
  for (size_t i = 0; i < files.size(); ++i) parent_[i] = i;
  for (size_t i = 0; i < files.size(); ++i) {
    auto join_import = [&](const Import& import) {
      for (std::string_view name : {std::string_view(import.origin), std::string_view(import.module)}) {
        if (const ProjectFile* module = project.find_module(name)) join(i, index_.at(module));
      }
    };
    for (const Import& import : files[i]->facts.imports) join_import(import);
    for (const Import& import : files[i]->facts.function_imports) join_import(import);
  }
}

size_t ImportGroups::of(const ProjectFile* file) {
  return root(index_.at(file));
}

size_t ImportGroups::root(size_t i) {
  while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
  return i;
}

}  // namespace ormlint
