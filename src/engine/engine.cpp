#include "engine/engine.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/parallel.h"
#include "engine/alembic_config.h"
#include "core/source_file.h"
#include "core/syntax_tree.h"
#include "engine/discovery.h"
#include "engine/rule.h"
#include "engine/suppression.h"
#include "facts/module_builder.h"
#include "project/project.h"

namespace ormlint {

namespace {

constexpr uint64_t kParseTimeoutMicros = 20'000'000;       // tree-sitter gives up on a file after 20 s
constexpr size_t kMaxFileBytes = 64u * 1024u * 1024u;      // larger "Python" files are not source code

PythonParser& thread_parser() {
  thread_local PythonParser parser;
  return parser;
}

std::optional<SyntaxProblem> decoding_problem(const SourceFile& source) {
  if (source.looks_binary()) {
    return SyntaxProblem{source.locate(0, 0), "binary file (contains NUL bytes): not Python source"};
  }
  if (auto bad = source.first_invalid_utf8()) {
    Location loc = source.locate(*bad, *bad + 1);
    return SyntaxProblem{loc, "not valid UTF-8 (invalid byte at line " + std::to_string(loc.line) + ", column " +
                                  std::to_string(loc.column) + "); Python source must be UTF-8"};
  }
  // Checked before parsing: such source crashes or exhausts the tree-sitter runtime (see source_file.cpp).
  if (auto limit = exceeds_parser_limits(source.text())) {
    return SyntaxProblem{source.locate(limit->byte, limit->byte + 1), std::move(limit->message)};
  }
  return std::nullopt;
}

// Reads, parses and builds the facts of one file. Returns null (and sets error) when it cannot be read.
std::unique_ptr<ProjectFile> load_file(const DiscoveredFile& found, std::string& error) {
  std::optional<std::string> bytes = read_file_bytes(found.path, error);
  if (!bytes) return nullptr;
  if (bytes->size() > kMaxFileBytes) {
    error = "file is larger than 64 MiB; not checked";
    return nullptr;
  }
  std::string key = module_key_for(found.display_path);
  bool is_package = found.path.stem() == "__init__";
  auto file = std::make_unique<ProjectFile>(SourceFile(found.path, found.display_path, std::move(*bytes)), key,
                                            is_package);
  file->syntax_problem = decoding_problem(file->source);
  if (file->syntax_problem) return file;
  TreeHandle tree = thread_parser().parse(file->source.text(), kParseTimeoutMicros);
  if (!tree) {
    file->syntax_problem = SyntaxProblem{file->source.locate(0, 0), "the parser gave up on this file (too complex)"};
    return file;
  }
  TSNode root = ts_tree_root_node(tree.get());
  file->syntax_problem = find_syntax_problem(root, file->source);
  // A file that does not parse contributes no facts — half a tree would only produce confusing findings — but
  // its comments still count, so `# ormlint: skip-file` and line suppressions work on it too.
  if (!file->syntax_problem) {
    file->facts = build_module_facts(root, file->source, key, is_package);
  } else {
    file->facts.comments = collect_comments(root, file->source);
  }
  return file;
}

const std::map<std::string, std::string>* settings_for(const Config& config, const Rule& rule) {
  auto it = config.rule_settings.find(rule.info().name);
  return it == config.rule_settings.end() ? nullptr : &it->second;
}

struct Filters {
  const Config& config;
  std::unordered_map<std::string, FileSuppressions> suppressions;  // by display path
  std::unordered_map<std::string, const ProjectFile*> files;       // by display path

  bool keep(const Diagnostic& d) const {
    auto file = files.find(d.path);
    if (file != files.end() && !file->second->report) return false;
    if (auto s = suppressions.find(d.path); s != suppressions.end()) {
      if (s->second.skip_file || s->second.suppresses(d.loc.line, d.rule, d.code)) return false;
    }
    std::error_code ec;
    std::string relative = std::filesystem::absolute(d.path, ec)
                               .lexically_normal()
                               .lexically_relative(std::filesystem::absolute(config.root, ec).lexically_normal())
                               .generic_string();
    if (relative.empty() || relative.rfind("..", 0) == 0) relative = d.path;
    for (const auto& [pattern, rules] : config.per_file_ignores) {
      if (!path_matches(relative, pattern)) continue;
      for (const auto& rule : rules) {
        if (rule == d.rule || rule == d.code) return false;
      }
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<Project> load_project(const std::vector<std::string>& paths, const Config& config, unsigned jobs,
                                      std::vector<std::string>& errors) {
  Discovery discovery = discover_files(paths.empty() ? std::vector<std::string>{"."} : paths, config);
  errors = std::move(discovery.errors);
  // Read + parse + per-file facts, in parallel: each file is read once and parsed once.
  std::vector<std::unique_ptr<ProjectFile>> loaded(discovery.files.size());
  std::vector<std::string> load_errors(discovery.files.size());
  parallel_for(discovery.files.size(), jobs, [&](size_t i) {
    loaded[i] = load_file(discovery.files[i], load_errors[i]);
  });
  std::vector<std::unique_ptr<ProjectFile>> files;
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (loaded[i]) {
      files.push_back(std::move(loaded[i]));
    } else {
      errors.push_back(discovery.files[i].display_path + ": " + load_errors[i]);
    }
  }
  std::vector<ScriptLocation> script_locations;
  for (const auto& config_file : find_alembic_configs(paths.empty() ? std::vector<std::string>{"."} : paths)) {
    for (auto& location : read_script_locations(config_file)) script_locations.push_back(std::move(location));
  }
  return std::make_unique<Project>(std::move(files), std::move(script_locations), jobs);
}

RunResult run(const RunOptions& options) {
  RunResult result;
  unsigned jobs = options.jobs ? options.jobs : default_jobs();
  auto project_ptr = load_project(options.paths, options.config, jobs, result.errors);
  const Project& project = *project_ptr;
  result.files_checked = project.files().size();
  Filters filters{options.config, {}, {}};
  for (const auto& file : project.files()) {
    filters.files[file->path()] = file.get();
    filters.suppressions[file->path()] = parse_suppressions(file->facts.comments);
  }

  // Per-file checks in parallel (one reporter per file and rule), then the project-wide ones.
  const auto& rules = options.rules;
  const auto& project_files = project.files();
  std::vector<std::vector<Diagnostic>> per_file(project_files.size());
  parallel_for(project_files.size(), jobs, [&](size_t i) {
    const ProjectFile& file = *project_files[i];
    if (!file.report) return;
    for (const Rule* rule : rules) {
      Reporter reporter(*rule, settings_for(options.config, *rule));
      rule->check_file(file, project, reporter);
      auto& found = reporter.diagnostics();
      per_file[i].insert(per_file[i].end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    }
  });
  std::vector<Diagnostic> all;
  for (auto& found : per_file) all.insert(all.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  for (const Rule* rule : rules) {
    Reporter reporter(*rule, settings_for(options.config, *rule));
    rule->check_project(project, reporter);
    auto& found = reporter.diagnostics();
    all.insert(all.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }

  for (auto& d : all) {
    if (!filters.keep(d)) continue;
    if (auto it = options.config.severity.find(d.rule); it != options.config.severity.end()) d.severity = it->second;
    result.diagnostics.push_back(std::move(d));
  }
  std::sort(result.diagnostics.begin(), result.diagnostics.end());
  result.diagnostics.erase(std::unique(result.diagnostics.begin(), result.diagnostics.end(),
                                       [](const Diagnostic& a, const Diagnostic& b) { return !(a < b) && !(b < a); }),
                           result.diagnostics.end());
  std::sort(result.errors.begin(), result.errors.end());
  return result;
}

size_t parse_only(const std::vector<std::string>& paths, unsigned jobs) {
  Config config;
  config.root = std::filesystem::current_path();
  Discovery discovery = discover_files(paths, config);
  std::atomic<size_t> parsed{0};
  parallel_for(discovery.files.size(), jobs ? jobs : default_jobs(), [&](size_t i) {
    std::string error;
    auto bytes = read_file_bytes(discovery.files[i].path, error);
    if (!bytes || exceeds_parser_limits(*bytes)) return;
    TreeHandle tree = thread_parser().parse(*bytes, kParseTimeoutMicros);
    if (tree) ++parsed;
  });
  return parsed;
}

}  // namespace ormlint
