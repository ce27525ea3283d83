// `ormlint models [PATH...] [--format text|json|dot|mermaid]`: prints the project's table model — tables, columns,
// foreign keys, relationships, indexes and constraints — so users can see what ormlint understood of their models,
// or draws the foreign-key graph (Graphviz dot, Mermaid erDiagram).
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ormlint {
class TableModel;
}

namespace ormlint::cli {

struct ModelsArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string config_file;
  unsigned jobs = 0;
};

// Adds the `models` subcommand to `app`, filling `args`; returns it so the caller can test `parsed()`.
CLI::App* add_models_command(CLI::App& app, ModelsArgs& args);
int run_models(const ModelsArgs& args);

// The renderers, for tests and other front ends.
void write_models_text(const TableModel& model, std::ostream& out);
void write_models_json(const TableModel& model, std::ostream& out);
void write_models_dot(const TableModel& model, std::ostream& out);
void write_models_mermaid(const TableModel& model, std::ostream& out);

}  // namespace ormlint::cli
