#include "cli/models_command.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/check_sources.h"
#include "cli/commands.h"
#include "core/parallel.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "project/table_model.h"

namespace ormlint::cli {

namespace fs = std::filesystem;

namespace {

using nlohmann::ordered_json;

// "sqlalchemy.String" -> "String", "sqlalchemy.dialects.postgresql.JSONB" -> "postgresql.JSONB".
std::string short_type(const std::string& type) {
  if (type.empty()) return "?";
  std::string t = type;
  for (std::string_view prefix : {"sqlalchemy.dialects.", "sqlalchemy.", "sqlmodel."}) {
    if (t.rfind(prefix, 0) == 0) {
      t = t.substr(prefix.size());
      break;
    }
  }
  return t;
}

std::string where(const ProjectFile* file, const Location& loc) {
  return (file ? file->path() : std::string("?")) + ":" + std::to_string(loc.line);
}

std::string qualified_class_name(const ClassInfo* cls) {
  return cls ? std::string(cls->qualified_name) : "";
}

std::string table_label(const TableDef& t) {
  if (!t.name.empty()) return t.qualified_name();
  return "(unnamed" + (t.owner ? " " + t.owner->def->name : std::string()) + ")";
}

const char* kind_name(ConstraintDef::Kind kind) {
  switch (kind) {
    case ConstraintDef::Kind::Index: return "Index";
    case ConstraintDef::Kind::Unique: return "UniqueConstraint";
    case ConstraintDef::Kind::Check: return "CheckConstraint";
    case ConstraintDef::Kind::ForeignKey: return "ForeignKeyConstraint";
    case ConstraintDef::Kind::PrimaryKey: return "PrimaryKeyConstraint";
  }
  return "?";
}

const char* name_source(TableNameSource source) {
  switch (source) {
    case TableNameSource::Literal: return "literal";
    case TableNameSource::DeclaredAttr: return "declared_attr";
    case TableNameSource::FlaskDerived: return "flask-sqlalchemy";
    case TableNameSource::SqlmodelDerived: return "sqlmodel";
    case TableNameSource::Unknown: return "unknown";
  }
  return "?";
}

const char* nullable_source(ColumnDef::NullableSource source) {
  switch (source) {
    case ColumnDef::NullableSource::Explicit: return "explicit";
    case ColumnDef::NullableSource::PrimaryKey: return "primary_key";
    case ColumnDef::NullableSource::Annotation: return "annotation";
    case ColumnDef::NullableSource::Default: return "default";
    case ColumnDef::NullableSource::Unknown: return "unknown";
  }
  return "?";
}

const char* target_source(RelationshipDef::TargetSource source) {
  switch (source) {
    case RelationshipDef::TargetSource::String: return "string";
    case RelationshipDef::TargetSource::Reference: return "reference";
    case RelationshipDef::TargetSource::Lambda: return "lambda";
    case RelationshipDef::TargetSource::Annotation: return "annotation";
    case RelationshipDef::TargetSource::Unknown: return "unknown";
  }
  return "?";
}

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + (item.empty() ? std::string("?") : item);
  return out;
}

// "auth.users.id" / "users.(id, org_id)": the target as resolved, or as written.
std::string fk_target(const ForeignKeyDef& fk) {
  std::string table = fk.target ? fk.target->qualified_name()
                                : (fk.target_schema.empty() ? fk.target_table : fk.target_schema + "." + fk.target_table);
  if (table.empty()) return fk.target_text.empty() ? "?" : fk.target_text;
  if (fk.target_columns.size() == 1) return table + "." + (fk.target_columns[0].empty() ? "?" : fk.target_columns[0]);
  return table + ".(" + join(fk.target_columns) + ")";
}

std::string column_flags(const ColumnDef& c) {
  std::string out = c.nullable ? "NULL" : "NOT NULL";
  if (c.primary_key) out += " PK";
  if (c.unique) out += " UNIQUE";
  if (c.index) out += " INDEX";
  if (c.has_default()) out += " default";
  if (c.has_server_default()) out += " server_default";
  if (c.has_onupdate()) out += " onupdate";
  return out;
}

// ---- text ----------------------------------------------------------------------------------------------------------

void text_columns(const TableDef& t, std::ostream& out) {
  if (t.columns.empty()) return;
  out << "  columns:\n";
  for (const ColumnDef& c : t.columns) {
    out << "    " << (c.name.empty() ? "?" : c.name);
    if (!c.attribute.empty() && c.attribute != c.name) out << " (attribute " << c.attribute << ")";
    out << ": " << short_type(c.type) << (c.type_from_foreign_key ? " (from foreign key)" : "") << " " << column_flags(c);
    if (c.declared_in && c.inherited) out << "  [from " << c.declared_in->def->name << "]";
    if (c.declared_in && t.owner && c.declared_in != t.owner && c.declared_in->is_mapped()) {
      out << "  [subclass " << c.declared_in->def->name << "]";
    }
    out << "\n";
  }
}

void text_foreign_keys(const TableDef& t, std::ostream& out) {
  if (t.foreign_keys.empty()) return;
  out << "  foreign keys:\n";
  for (const ForeignKeyDef* fk : t.foreign_keys) {
    out << "    (" << join(fk->columns) << ") -> " << fk_target(*fk);
    if (!fk->target) out << " (not found)";
    if (!fk->ondelete.empty()) out << " ON DELETE " << fk->ondelete;
    if (!fk->onupdate.empty()) out << " ON UPDATE " << fk->onupdate;
    if (fk->use_alter) out << " use_alter";
    if (!fk->name.empty()) out << " name=" << fk->name;
    out << "  " << where(fk->file, fk->loc) << "\n";
  }
}

void text_relationships(const TableDef& t, std::ostream& out) {
  if (t.relationships.empty()) return;
  out << "  relationships:\n";
  for (const RelationshipDef* r : t.relationships) {
    out << "    " << r->owner->def->name << "." << r->attribute << " -> "
        << (r->target ? std::string(r->target->def->name)
                      : (r->target_name.empty() ? "?" : r->target_name + " (not found)"));
    if (!r->back_populates.empty()) out << " back_populates=" << r->back_populates;
    if (!r->backref.empty()) out << " backref=" << r->backref;
    if (r->secondary_expr) out << " secondary=" << (r->secondary_name.empty() ? "?" : r->secondary_name);
    if (r->primaryjoin) out << " primaryjoin";
    if (r->foreign_keys) out << " foreign_keys";
    if (!r->lazy.empty()) out << " lazy=" << r->lazy;
    if (r->uselist) out << " uselist=" << (*r->uselist ? "True" : "False");
    out << "  " << where(r->file, r->loc) << "\n";
  }
}

void text_constraints(const TableDef& t, std::ostream& out) {
  if (t.constraints.empty()) return;
  out << "  indexes and constraints:\n";
  for (const ConstraintDef* c : t.constraints) {
    out << "    " << kind_name(c->kind);
    if (c->kind == ConstraintDef::Kind::Index && c->unique) out << " (unique)";
    out << " " << (c->has_name() ? (c->name.empty() ? "<expression>" : c->name) : "<unnamed>");
    if (!c->columns.empty()) out << " (" << join(c->columns) << ")";
    for (const auto& [kw, value] : c->where) out << " " << kw << "=" << expression_text(*value);
    out << "  " << where(c->file, c->loc) << "\n";
  }
}

// ---- dot / mermaid ---------------------------------------------------------------------------------------------------

std::string dot_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Unique, readable node names: the qualified table name, "#2"... when it repeats (another MetaData, a duplicate).
std::vector<std::string> node_names(const TableModel& model) {
  std::vector<std::string> names;
  std::map<std::string, int> seen;
  for (const TableDef& t : model.tables()) {
    std::string base = table_label(t);
    int n = ++seen[base];
    names.push_back(n == 1 ? base : base + "#" + std::to_string(n));
  }
  return names;
}

std::string unresolved_node(const ForeignKeyDef& fk) { return fk_target(fk).substr(0, fk_target(fk).rfind('.')); }

std::string mermaid_word(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out.empty() ? "_" : out;
}

}  // namespace

void write_models_text(const TableModel& model, std::ostream& out) {
  for (const MetadataDef& md : model.metadata()) {
    out << "metadata " << md.key;
    if (!md.schema.empty()) out << " schema=" << md.schema;
    out << " naming_convention=" << (md.has_naming_convention() ? "yes" : "no");
    if (md.file) out << "  " << where(md.file, md.loc);
    out << "\n";
  }
  if (!model.metadata().empty()) out << "\n";
  for (const TableDef& t : model.tables()) {
    out << "table " << (t.name.empty() ? table_label(t) : t.name) << " (";
    if (!t.schema.empty()) out << "schema " << t.schema << ", ";
    out << "metadata " << (t.metadata.empty() ? "?" : t.metadata);
    if (t.extend_existing) out << ", extend_existing";
    if (t.reflected) out << ", reflected";
    out << ")\n";
    if (t.owner) {
      out << "  class " << qualified_class_name(t.owner) << "  " << where(t.owner->file, t.owner->def->loc) << "\n";
    }
    if (t.kind == TableDef::Kind::Table) out << "  Table(...)  " << where(t.file, t.loc) << "\n";
    for (const ClassInfo* sub : t.single_table_subclasses) {
      out << "  single-table subclass " << qualified_class_name(sub) << "  " << where(sub->file, sub->def->loc) << "\n";
    }
    text_columns(t, out);
    text_foreign_keys(t, out);
    text_relationships(t, out);
    text_constraints(t, out);
    out << "\n";
  }
  for (const ConstraintDef& c : model.constraints()) {
    if (c.table) continue;
    out << "unattached " << kind_name(c.kind) << " " << (c.name.empty() ? "<unnamed>" : c.name) << " ("
        << join(c.columns) << ")  " << where(c.file, c.loc) << "\n";
  }
  out << model.tables().size() << " tables, " << model.foreign_keys().size() << " foreign keys, "
      << model.relationships().size() << " relationships\n";
}

void write_models_json(const TableModel& model, std::ostream& out) {
  auto loc = [](ordered_json& j, const ProjectFile* file, const Location& l) {
    j["file"] = file ? ordered_json(file->path()) : ordered_json(nullptr);
    j["line"] = l.line;
    j["column"] = l.column;
  };
  auto or_null = [](const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); };
  ordered_json metadata = ordered_json::array();
  for (const MetadataDef& md : model.metadata()) {
    ordered_json j = {{"key", md.key}, {"schema", or_null(md.schema)}, {"naming_convention", md.has_naming_convention()}};
    loc(j, md.file, md.loc);
    metadata.push_back(std::move(j));
  }
  ordered_json tables = ordered_json::array();
  for (const TableDef& t : model.tables()) {
    ordered_json columns = ordered_json::array();
    for (const ColumnDef& c : t.columns) {
      ordered_json j = {{"name", or_null(c.name)},
                        {"attribute", or_null(c.attribute)},
                        {"type", or_null(c.type)},
                        {"type_from_foreign_key", c.type_from_foreign_key},
                        {"nullable", c.nullable},
                        {"nullable_source", nullable_source(c.nullable_source)},
                        {"primary_key", c.primary_key},
                        {"unique", c.unique},
                        {"index", c.index},
                        {"default", c.has_default()},
                        {"server_default", c.has_server_default()},
                        {"onupdate", c.has_onupdate()},
                        {"declared_in", or_null(qualified_class_name(c.declared_in))},
                        {"inherited", c.inherited}};
      loc(j, c.file, c.loc);
      columns.push_back(std::move(j));
    }
    ordered_json fks = ordered_json::array();
    for (const ForeignKeyDef* fk : t.foreign_keys) {
      ordered_json j = {{"columns", fk->columns},
                        {"target", fk->target_text},
                        {"target_schema", or_null(fk->effective_target_schema)},
                        {"target_table", or_null(fk->target_table)},
                        {"target_columns", fk->target_columns},
                        {"resolved", fk->target != nullptr},
                        {"ondelete", or_null(fk->ondelete)},
                        {"onupdate", or_null(fk->onupdate)},
                        {"use_alter", fk->use_alter},
                        {"name", or_null(fk->name)},
                        {"constraint", fk->is_constraint}};
      loc(j, fk->file, fk->loc);
      fks.push_back(std::move(j));
    }
    ordered_json rels = ordered_json::array();
    for (const RelationshipDef* r : t.relationships) {
      ordered_json j = {{"class", qualified_class_name(r->owner)},
                        {"attribute", r->attribute},
                        {"target", or_null(r->target_name)},
                        {"target_source", target_source(r->target_source)},
                        {"target_class", or_null(qualified_class_name(r->target))},
                        {"back_populates", or_null(r->back_populates)},
                        {"backref", or_null(r->backref)},
                        {"secondary", or_null(r->secondary_name)},
                        {"primaryjoin", r->primaryjoin != nullptr},
                        {"foreign_keys", r->foreign_keys != nullptr},
                        {"lazy", or_null(r->lazy)},
                        {"uselist", r->uselist ? ordered_json(*r->uselist) : ordered_json(nullptr)}};
      loc(j, r->file, r->loc);
      rels.push_back(std::move(j));
    }
    ordered_json constraints = ordered_json::array();
    for (const ConstraintDef* c : t.constraints) {
      ordered_json where = ordered_json::object();
      for (const auto& [kw, value] : c->where) where[kw] = expression_text(*value);
      ordered_json j = {{"kind", kind_name(c->kind)},
                        {"name", or_null(c->name)},
                        {"named", c->has_name()},
                        {"columns", c->columns},
                        {"unique", c->unique},
                        {"where", std::move(where)}};
      loc(j, c->file, c->loc);
      constraints.push_back(std::move(j));
    }
    ordered_json subclasses = ordered_json::array();
    for (const ClassInfo* sub : t.single_table_subclasses) subclasses.push_back(qualified_class_name(sub));
    ordered_json j = {{"name", or_null(t.name)},
                      {"name_source", name_source(t.name_source)},
                      {"schema", or_null(t.schema)},
                      {"metadata", or_null(t.metadata)},
                      {"kind", t.kind == TableDef::Kind::Model ? "model" : "table"},
                      {"class", or_null(qualified_class_name(t.owner))},
                      {"single_table_subclasses", std::move(subclasses)},
                      {"extend_existing", t.extend_existing},
                      {"reflected", t.reflected}};
    loc(j, t.file, t.loc);
    j["columns"] = std::move(columns);
    j["foreign_keys"] = std::move(fks);
    j["relationships"] = std::move(rels);
    j["constraints"] = std::move(constraints);
    tables.push_back(std::move(j));
  }
  ordered_json report = {{"version", ORMLINT_VERSION}, {"metadata", std::move(metadata)}, {"tables", std::move(tables)}};
  out << report.dump(2, ' ', false, ordered_json::error_handler_t::replace) << '\n';
}

void write_models_dot(const TableModel& model, std::ostream& out) {
  const auto names = node_names(model);
  out << "digraph foreign_keys {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const TableDef& t : model.tables()) out << "  " << dot_quote(names[t.index]) << ";\n";
  std::set<std::string> missing;
  for (const ForeignKeyDef& fk : model.foreign_keys()) {
    if (fk.target) continue;
    std::string node = "? " + unresolved_node(fk);
    if (missing.insert(node).second) out << "  " << dot_quote(node) << " [style=dashed];\n";
  }
  for (const ForeignKeyDef& fk : model.foreign_keys()) {
    std::string label = join(fk.columns);
    if (fk.use_alter) label += " (use_alter)";
    out << "  " << dot_quote(names[fk.table->index]) << " -> "
        << dot_quote(fk.target ? names[fk.target->index] : "? " + unresolved_node(fk)) << " [label=" << dot_quote(label)
        << (fk.target ? "" : ", style=dashed") << "];\n";
  }
  out << "}\n";
}

void write_models_mermaid(const TableModel& model, std::ostream& out) {
  const auto names = node_names(model);
  out << "erDiagram\n";
  for (const TableDef& t : model.tables()) {
    out << "    " << mermaid_word(names[t.index]) << " {\n";
    std::set<std::string> fk_columns;
    for (const ForeignKeyDef* fk : t.foreign_keys) fk_columns.insert(fk->columns.begin(), fk->columns.end());
    for (const ColumnDef& c : t.columns) {
      std::vector<std::string> keys;
      if (c.primary_key) keys.push_back("PK");
      if (fk_columns.count(c.name)) keys.push_back("FK");
      if (c.unique) keys.push_back("UK");
      out << "        " << mermaid_word(c.type.empty() ? "unknown" : short_type(c.type)) << " "
          << mermaid_word(c.name.empty() ? "unknown" : c.name);
      if (!keys.empty()) out << " " << join(keys);
      out << "\n";
    }
    out << "    }\n";
  }
  for (const ForeignKeyDef& fk : model.foreign_keys()) {
    // Many (or one, for a unique/primary-key source) rows point at zero-or-one (nullable) or exactly one parent.
    bool source_unique = false, source_nullable = false;
    if (fk.columns.size() == 1) {
      size_t primary_keys = 0;
      for (const ColumnDef& c : fk.table->columns) primary_keys += c.primary_key;
      if (const ColumnDef* col = fk.table->column(fk.columns[0])) {
        source_unique = col->unique || (col->primary_key && primary_keys == 1);
        source_nullable = col->nullable;
      }
    }
    out << "    " << mermaid_word(names[fk.table->index]) << " " << (source_unique ? "|o" : "}o") << "--"
        << (source_nullable ? "o|" : "||") << " "
        << mermaid_word(fk.target ? names[fk.target->index] : unresolved_node(fk)) << " : "
        << dot_quote(join(fk.columns)) << "\n";
  }
}

CLI::App* add_models_command(CLI::App& app, ModelsArgs& args) {
  CLI::App* cmd = app.add_subcommand("models", "Print the tables, columns, foreign keys and relationships ormlint sees");
  cmd->add_option("paths", args.paths, "Files and folders (default: the current folder)");
  cmd->add_option("--format", args.format, "text, json, dot (Graphviz) or mermaid (erDiagram)")
      ->check(CLI::IsMember({"text", "json", "dot", "mermaid"}));
  cmd->add_option("--config", args.config_file, "Use this config file instead of searching for one");
  cmd->add_option("-j,--jobs", args.jobs, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
  return cmd;
}

int run_models(const ModelsArgs& args) {
  // The settings file matters for which files are read (exclude); rules are not run.
  Config config;
  config.root = fs::current_path();
  try {
    std::optional<fs::path> file;
    if (!args.config_file.empty()) {
      file = args.config_file;
    } else {
      std::error_code ec;
      file = find_config_file(fs::absolute(args.paths.empty() ? fs::path(".") : fs::path(args.paths.front()), ec));
    }
    if (file) config = load_config(*file);
  } catch (const ConfigError& e) {
    std::cerr << "ormlint: error: " << e.what() << "\n";
    return kExitError;
  }
  std::vector<std::string> errors;
  auto project = load_project(sources_under(args.paths, config), config, args.jobs ? args.jobs : default_jobs(), errors);
  const TableModel& model = project->tables();
  if (args.format == "json") {
    write_models_json(model, std::cout);
  } else if (args.format == "dot") {
    write_models_dot(model, std::cout);
  } else if (args.format == "mermaid") {
    write_models_mermaid(model, std::cout);
  } else {
    write_models_text(model, std::cout);
  }
  std::cout.flush();
  for (const auto& error : errors) std::cerr << "ormlint: error: " << error << "\n";
  return errors.empty() ? kExitClean : kExitError;
}

}  // namespace ormlint::cli
