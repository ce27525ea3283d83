#include "cli/facts_dump.h"

#include <filesystem>

#include "core/parallel.h"
#include "engine/engine.h"
#include "project/project.h"

namespace ormlint::cli {

namespace {

const char* role_name(ClassInfo::Role role) {
  switch (role) {
    case ClassInfo::Role::Plain: return "plain";
    case ClassInfo::Role::DeclarativeBase: return "declarative-base";
    case ClassInfo::Role::Mapped: return "mapped";
    case ClassInfo::Role::Abstract: return "abstract";
  }
  return "?";
}

const char* context_name(ColumnInfo::Context context) {
  switch (context) {
    case ColumnInfo::Context::Model: return "model";
    case ColumnInfo::Context::Table: return "table";
    case ColumnInfo::Context::Migration: return "migration";
  }
  return "?";
}

}  // namespace

int dump_facts(const std::vector<std::string>& paths, std::ostream& out) {
  Config config;
  config.root = std::filesystem::current_path();
  std::vector<std::string> errors;
  auto project = load_project(paths, config, default_jobs(), errors);
  for (const auto& e : errors) out << "error: " << e << "\n";
  for (const auto& file : project->files()) {
    out << "file " << file->path() << " (module " << file->module_key << ")";
    if (file->syntax_problem) out << " syntax-problem: " << file->syntax_problem->message;
    out << "\n";
    for (const auto& import : file->facts.imports) {
      out << "  import " << (import.is_star ? "*" : import.bound_name) << " = " << import.origin << "\n";
    }
    for (const ClassDef& def : file->facts.classes) {
      const ClassInfo* info = project->class_info(def);
      out << "  class " << def.name << ":" << def.loc.line << " role=" << role_name(info->role)
          << (info->feeds_mapped_class ? " feeds-mapped" : "") << (info->flask_model ? " flask" : "")
          << (info->sqlmodel ? " sqlmodel" : "") << (info->is_enum ? " enum" : "");
      if (info->declarative_base) out << " base=" << info->declarative_base->def->name;
      for (const auto& b : info->external_bases) out << " ext-base=" << b;
      out << "\n";
    }
    for (const ColumnInfo* column : project->columns_in(*file)) {
      out << "  column " << context_name(column->context) << " " << column->table << "." << column->name << ":"
          << column->loc.line << " type=" << (column->type.origin.empty() ? "?" : column->type.origin)
          << (column->type.inferred ? " inferred-from=" + column->type.python_type : "") << "\n";
    }
    if (const auto& rev = file->facts.revision) {
      out << "  revision " << (rev->revision ? rev->revision->text : "?") << " down="
          << (rev->down_revision ? rev->down_revision->text : "-") << "\n";
      for (const auto& op : rev->operations) {
        out << "  op " << op.function << " " << op.receiver << "." << op.name << ":" << op.call.loc.line
            << " table=" << op.table << (op.guarded ? " guarded" : "") << (op.in_batch ? " batch" : "")
            << (op.conditional ? " conditional" : "") << (op.in_autocommit_block ? " autocommit" : "")
            << "\n";
      }
    }
  }
  return 0;
}

}  // namespace ormlint::cli
