// Shared by the engine-facts tests (imports, bases, columns, guards): write a small Python project into a
// temporary folder, load it with the real engine (`load_project`), and look facts up by file, class and name.
#pragma once
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/engine.h"
#include "fixture_support.h"
#include "project/project.h"
#include "project/table_model.h"

namespace ormlint::testing::facts {

class Loaded {
 public:
  // `text` holds one or more files, each starting at a `# file: rel/path.py` line (else one file, default_name).
  explicit Loaded(const std::string& text, const std::string& default_name = "models.py",
                  Config config = {}) {
    write_files(dir_.path(), text, default_name);
    config.root = dir_.path();
    project_ = load_project({dir_.path().string()}, config, 2, errors_);
    INFO("errors: " << join_errors());
    REQUIRE(errors_.empty());
    REQUIRE(project_);
    // A file that does not parse contributes no facts; a test written with a typo would pass vacuously.
    for (const auto& f : project_->files()) {
      INFO(f->path() << ": " << (f->syntax_problem ? f->syntax_problem->message : ""));
      REQUIRE_FALSE(f->syntax_problem.has_value());
    }
  }

  const Project& project() const { return *project_; }

  // The loaded file whose path ends with `/rel` (rel uses '/').
  const ProjectFile& file(const std::string& rel) const {
    const std::string suffix = "/" + rel;
    for (const auto& f : project_->files()) {
      const std::string& p = f->path();
      if (p == rel || (p.size() >= suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0)) {
        return *f;
      }
    }
    FAIL("no loaded file named " << rel);
    throw std::logic_error("unreachable");
  }

  // The names of every table the project's table model holds, in its order.
  std::vector<std::string> table_names() const {
    std::vector<std::string> names;
    for (const TableDef& t : project_->tables().tables()) names.push_back(t.name);
    return names;
  }

  std::string resolve(const std::string& rel, const std::string& dotted) const {
    return project_->resolve(file(rel), dotted);
  }

  // The module-level assignment `name = ...` in the file.
  const Assignment& assignment(const std::string& rel, const std::string& name) const {
    for (const auto& a : file(rel).facts.assignments) {
      if (a.target == name) return a;
    }
    FAIL("no module-level assignment " << name << " in " << rel);
    throw std::logic_error("unreachable");
  }

  // What the value of `name = <value>` resolved to: a name's own origin, or a call's callee.
  std::string value_origin(const std::string& rel, const std::string& name) const {
    return assignment(rel, name).value.origin();
  }

  const ClassDef& class_def(const std::string& rel, const std::string& name) const {
    for (const auto& c : file(rel).facts.classes) {
      if (c.name == name) return c;
    }
    FAIL("no class " << name << " in " << rel);
    throw std::logic_error("unreachable");
  }

  const ClassInfo& class_info(const std::string& rel, const std::string& name) const {
    const ClassInfo* info = project_->class_info(class_def(rel, name));
    REQUIRE(info != nullptr);
    return *info;
  }

  // The model column declared by attribute `attr` of class `owner` in the file, or null.
  const ColumnInfo* model_column(const std::string& rel, const std::string& owner, const std::string& attr) const {
    for (const ColumnInfo* c : project_->columns_in(file(rel))) {
      if (c->context == ColumnInfo::Context::Model && c->owner && c->owner->def->name == owner && c->attribute &&
          c->attribute->name == attr) {
        return c;
      }
    }
    return nullptr;
  }

  // The columns of one context in the file, in source order.
  std::vector<const ColumnInfo*> columns(const std::string& rel, ColumnInfo::Context context) const {
    std::vector<const ColumnInfo*> out;
    for (const ColumnInfo* c : project_->columns_in(file(rel))) {
      if (c->context == context) out.push_back(c);
    }
    return out;
  }

  // The operations of a revision file, in source order (the file must be a revision).
  const std::vector<OperationCall>& operations(const std::string& rel) const {
    const auto& revision = file(rel).facts.revision;
    REQUIRE(revision.has_value());
    return revision->operations;
  }

  // The only operation named `name` in the file (e.g. "add_column").
  const OperationCall& only_operation(const std::string& rel, const std::string& name) const {
    const OperationCall* found = nullptr;
    for (const auto& op : operations(rel)) {
      if (op.name != name) continue;
      INFO("operation " << name << " appears more than once in " << rel);
      REQUIRE(found == nullptr);
      found = &op;
    }
    INFO("no operation " << name << " in " << rel);
    REQUIRE(found != nullptr);
    return *found;
  }

 private:
  std::string join_errors() const {
    std::string all;
    for (const auto& e : errors_) all += e + "\n";
    return all;
  }

  TempDir dir_;
  std::unique_ptr<Project> project_;
  std::vector<std::string> errors_;
};

}  // namespace ormlint::testing::facts
