#include "cli/commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/check_baseline.h"
#include "cli/check_sources.h"
#include "cli/facts_dump.h"
#include "cli/graph_command.h"
#include "cli/hook_command.h"  // install-hook
#include "cli/init_command.h"  // init
#include "cli/models_command.h"
#include "core/parallel.h"
#include "core/phase_timer.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "engine/rule.h"
#include "git/repository.h"
#include "output/output.h"

namespace ormlint::cli {

namespace fs = std::filesystem;

namespace {

struct CheckArgs {
  std::vector<std::string> paths;
  std::string format = "terminal";
  std::string output;
  std::vector<std::string> select, extend_select, ignore;
  bool select_given = false;
  std::string profile;
  std::string config_file;
  unsigned jobs = 0;
  bool exit_zero = false;
  std::string color = "auto";
  std::string fail_level;
  bool no_cache = false;
  std::string cache_dir;  // --cache-dir
  SourceArgs sources;  // --staged, --changed-since, --stdin-filename (paths stay above)
  BaselineArgs baseline;  // --write-baseline[=FILE], --baseline, --no-baseline, --show-stale
};

std::vector<std::string> split_commas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& value : values) {
    std::stringstream stream(value);
    std::string item;
    while (std::getline(stream, item, ',')) {
      if (!item.empty()) out.push_back(item);
    }
  }
  return out;
}

// A project flagged at length by the portable profile's rules while it uses PostgreSQL's own types is most
// likely PostgreSQL-only and never chose a profile: say so once, under the summary (the terminal report
// only).
void write_profile_hint(const RunResult& result, const Config& config, const std::vector<const Rule*>& rules,
                        std::ostream& out) {
  constexpr size_t kManyFindings = 20;
  if (config.profile_chosen || config.profile != Profile::Portable) return;
  std::set<std::string, std::less<>> portable;
  for (const Rule* rule : rules) {
    if (rule->info().profile == Profile::Portable) portable.insert(rule->info().name);
  }
  size_t from_portable = 0;
  bool uses_postgresql = false;
  for (const Diagnostic& d : result.diagnostics) {
    if (!portable.count(d.rule)) continue;
    ++from_portable;
    uses_postgresql = uses_postgresql || d.rule == "postgresql-type" || d.rule == "postgresql-import";
  }
  if (from_portable < kManyFindings || !uses_postgresql) return;
  out << "hint: " << from_portable
      << " of these findings come from the rules of the default \"portable\" profile "
      << "(the schema must also run on MySQL or SQLite). A project that runs on PostgreSQL only sets "
      << "`profile = \"postgresql\"` in [tool.ormlint] (or passes --profile postgresql), which turns them "
         "off.\n";
}

// The settings file (explicit, or found upward from the first path) with the command line applied on top.
Config effective_config(const CheckArgs& args) {
  Config config;
  config.root = fs::current_path();
  std::optional<fs::path> file;
  if (!args.config_file.empty()) {
    file = args.config_file;
  } else {
    fs::path start = !args.sources.stdin_filename.empty() ? fs::path(args.sources.stdin_filename)
                     : args.paths.empty()                    ? fs::path(".")
                                                             : fs::path(args.paths.front());
    std::error_code ec;
    file = find_config_file(fs::absolute(start, ec));
  }
  if (file) config = load_config(*file);
  if (!args.profile.empty()) {
    auto profile = parse_profile(args.profile);
    if (!profile) throw ConfigError("--profile", 0, "unknown profile \"" + args.profile + "\" (portable, postgresql)");
    config.profile = *profile;
    config.profile_chosen = true;
  }
  if (!args.fail_level.empty()) {
    auto level = parse_severity(args.fail_level);
    if (!level) throw ConfigError("--fail-level", 0, "unknown level \"" + args.fail_level + "\" (info, warning, error)");
    config.fail_level = *level;
  }
  if (args.select_given) config.select = split_commas(args.select);
  for (const auto& rule : split_commas(args.extend_select)) config.extend_select.push_back(rule);
  for (const auto& rule : split_commas(args.ignore)) config.ignore.push_back(rule);
  return config;
}

// Where the facts cache lives, as ruff finds its own: --cache-dir, then ORMLINT_CACHE_DIR, then `cache-dir` in the
// configuration, else .ormlint_cache in the project folder. None with --no-cache (or ORMLINT_NO_CACHE set).
std::optional<fs::path> cache_folder(const CheckArgs& args, const Config& config, const ProjectSources& sources) {
  const char* no_cache = std::getenv("ORMLINT_NO_CACHE");
  if (args.no_cache || (no_cache && *no_cache)) return std::nullopt;
  if (!args.cache_dir.empty()) return fs::path(args.cache_dir);
  if (const char* env = std::getenv("ORMLINT_CACHE_DIR"); env && *env) return fs::path(env);
  if (config.cache_dir) return *config.cache_dir;
  return (sources.project_root ? fs::path(*sources.project_root) : config.root) / ".ormlint_cache";
}

int run_check(const CheckArgs& args) {
  Config config;
  std::vector<const Rule*> rules;
  try {
    config = effective_config(args);
    rules = active_rules(config, config.source ? config.source->string() : "command line");
    check_baseline_usage(args.baseline, args.paths);
  } catch (const ConfigError& e) {
    std::cerr << "ormlint: error: " << e.what() << "\n";
    return kExitError;
  }
  RunOptions options;
  // While git answers (--staged, --changed-since), the cached facts of the files on disk are decoded.
  PreloadedFiles preloaded;
  auto preload = [&](const ProjectSources& before_git) {
    ProjectSources sources = before_git;
    sources.cache_folder = cache_folder(args, config, sources);
    preloaded = preload_cached_files(sources, config, args.jobs ? args.jobs : default_jobs());
  };
  try {
    SourceArgs source_args = args.sources;
    source_args.paths = args.paths;
    static_cast<ProjectSources&>(options) = resolve_sources(source_args, config, std::cin, preload);
  } catch (const ConfigError& e) {
    std::cerr << "ormlint: error: " << e.what() << "\n";
    return kExitError;
  } catch (const git::GitError& e) {
    std::cerr << "ormlint: error: " << e.what() << "\n";
    return kExitError;
  }
  options.cache_folder = cache_folder(args, config, options);
  options.preloaded = &preloaded;
  options.jobs = args.jobs;
  options.config = config;
  options.rules = rules;
  RunResult result = run(options);
  // The project model is millions of small allocations: the process exit reclaims them at once, where freeing
  // them one by one would cost a git hook run a sixth of its time. Deliberately never freed.
  static_cast<void>(result.project.release());
  // Baselines (cli/check_baseline.h): write one and stop, or hide the findings it records.
  const BaselineStep baseline = apply_baseline_args(args.baseline, config, options, rules, result, std::cout, std::cerr);
  if (baseline.exit_code) return *baseline.exit_code;

  std::ofstream file_out;
  if (!args.output.empty()) {
    file_out.open(args.output, std::ios::binary | std::ios::trunc);
    if (!file_out) {
      std::cerr << "ormlint: error: cannot write " << args.output << ": " << std::strerror(errno) << "\n";
      return kExitError;
    }
  }
  std::ostream& out = args.output.empty() ? std::cout : file_out;
  OutputOptions output;
  output.root = fs::current_path();
  output.rules = rules;
  ColorMode mode = args.color == "always" ? ColorMode::Always : args.color == "never" ? ColorMode::Never : ColorMode::Auto;
  output.color = args.output.empty() && should_use_color(mode, isatty(STDOUT_FILENO));
  PhaseTimer timer("write the report");
  if (args.format == "json") {
    write_json(result, output, out);
  } else if (args.format == "sarif") {
    write_sarif(result, output, out);
  } else if (args.format == "github") {
    write_github(result, output, out);
  } else if (args.format == "gitlab") {
    write_gitlab(result, output, out);
  } else {
    write_terminal(result, output, out);
    write_profile_hint(result, config, rules, out);
  }
  out.flush();
  if (!out) {
    std::cerr << "ormlint: error: writing the report failed\n";
    return kExitError;
  }
  report_stale(args.baseline, baseline, std::cerr);  // --show-stale; never changes the exit code
  // Machine formats carry read errors in the report; still say them on stderr, where people look.
  if (args.format != "terminal" || !args.output.empty()) {
    for (const auto& error : result.errors) std::cerr << "ormlint: error: " << error << "\n";
  }
  for (const auto& warning : result.warnings) std::cerr << "ormlint: warning: " << warning << "\n";
  if (!result.errors.empty()) return kExitError;
  if (args.exit_zero) return kExitClean;
  for (const auto& d : result.diagnostics) {
    if (d.severity >= config.fail_level) return kExitFindings;
  }
  return kExitClean;
}

// `ormlint rules`: a table for people, JSON for tools, Markdown for the README (kept in sync by a test).
int run_rules(const std::string& format) {
  const auto& rules = all_rules();
  if (format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Rule* rule : rules) {
      const RuleInfo& r = rule->info();
      list.push_back({{"code", r.code}, {"name", r.name}, {"severity", to_string(r.severity)},
                      {"profile", to_string(r.profile)}, {"enabled_by_default", r.enabled_by_default},
                      {"summary", r.summary}});
    }
    std::cout << list.dump(2) << "\n";
  } else if (format == "markdown") {
    std::cout << "| Code | Name | Severity | Profile | Default | Summary |\n|---|---|---|---|---|---|\n";
    for (const Rule* rule : rules) {
      const RuleInfo& r = rule->info();
      std::cout << "| " << r.code << " | `" << r.name << "` | " << to_string(r.severity) << " | " << to_string(r.profile)
                << " | " << (r.enabled_by_default ? "on" : "off") << " | " << r.summary << " |\n";
    }
  } else {
    std::cout << std::left << std::setw(7) << "CODE" << std::setw(40) << "NAME" << std::setw(9) << "SEVERITY"
              << std::setw(11) << "PROFILE" << std::setw(9) << "DEFAULT" << "SUMMARY\n";
    for (const Rule* rule : rules) {
      const RuleInfo& r = rule->info();
      std::cout << std::left << std::setw(7) << r.code << std::setw(40) << r.name << std::setw(9)
                << to_string(r.severity) << std::setw(11) << to_string(r.profile) << std::setw(9)
                << (r.enabled_by_default ? "on" : "off") << r.summary << "\n";
    }
  }
  return kExitClean;
}

int run_explain(const std::string& name) {
  try {
    const Rule* rule = rule_or_error(name, "explain", 0);
    std::string_view doc = rule_documentation(rule->info().name);
    if (doc.empty()) {
      std::cout << rule->info().name << " (" << rule->info().code << "): " << rule->info().summary << "\n";
    } else {
      std::cout << doc;
      if (doc.back() != '\n') std::cout << "\n";
    }
    return kExitClean;
  } catch (const ConfigError& e) {
    std::cerr << "ormlint: error: " << e.what() << "\n";
    return kExitError;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ormlint: a static checker for SQLAlchemy models and Alembic migrations"};
  app.set_version_flag("--version", std::string("ormlint ") + ORMLINT_VERSION);
  app.require_subcommand(1);

  CheckArgs check;
  CLI::App* check_cmd = app.add_subcommand("check", "Check files and folders (default: the current folder)");
  check_cmd->add_option("paths", check.paths, "Files and folders to check");
  check_cmd->add_option("--format", check.format, "Output format")
      ->check(CLI::IsMember({"terminal", "json", "sarif", "github", "gitlab"}));
  check_cmd->add_option("-o,--output", check.output, "Write the report to this file instead of standard output");
  // One value per occurrence (comma-separated lists allowed), so `--select a path/` keeps the path a path.
  auto* select = check_cmd->add_option("--select", check.select, "Run only these rules (names or codes, comma-separated)")
                     ->expected(1)->allow_extra_args(false)
                     ->take_all();
  check_cmd->add_option("--extend-select", check.extend_select, "Also run these rules")->expected(1)->allow_extra_args(false)->take_all();
  check_cmd->add_option("--ignore", check.ignore, "Do not run these rules")->expected(1)->allow_extra_args(false)->take_all();
  check_cmd->add_option("--profile", check.profile, "Rule profile: portable (default) or postgresql");
  check_cmd->add_option("--config", check.config_file, "Use this config file instead of searching for one");
  check_cmd->add_option("-j,--jobs", check.jobs, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
  check_cmd->add_flag("--exit-zero", check.exit_zero, "Exit 0 even when there are findings");
  check_cmd->add_flag("--no-cache", check.no_cache, "Parse every file, without reading or writing the facts cache");
  check_cmd->add_option("--cache-dir", check.cache_dir, "The facts cache folder (default: .ormlint_cache in the project)");
  check_cmd->add_option("--color", check.color, "Colour the terminal output")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  auto* staged = check_cmd->add_flag("--staged", check.sources.staged,
                                     "Check the project as it will be committed (the git index); report the staged "
                                     "files");
  auto* changed = check_cmd->add_option("--changed-since", check.sources.changed_since,
                                        "Report only files changed since this git commit or branch (merge base "
                                        "with HEAD); the whole project is still read");
  auto* stdin_name = check_cmd->add_option("--stdin-filename", check.sources.stdin_filename,
                                           "Check standard input as if it were this file (editors), with the "
                                           "project on disk as context");
  staged->excludes(changed)->excludes(stdin_name);
  changed->excludes(stdin_name);
  check_cmd->add_option("--fail-level", check.fail_level, "Lowest severity that makes the exit code 1 (default: warning)")
      ->check(CLI::IsMember({"info", "warning", "error"}));
  add_baseline_options(*check_cmd, check.baseline);

  std::string rules_format = "table";
  CLI::App* rules_cmd = app.add_subcommand("rules", "List every rule");
  rules_cmd->add_option("--format", rules_format, "table, json or markdown")
      ->check(CLI::IsMember({"table", "json", "markdown"}));

  std::string explain_name;
  CLI::App* explain_cmd = app.add_subcommand("explain", "Show a rule's documentation");
  explain_cmd->add_option("rule", explain_name, "Rule name or code")->required();

  // For bench/: parse only, no facts or rules, to measure the engine's overhead over tree-sitter.
  std::vector<std::string> parse_paths;
  unsigned parse_jobs = 0;
  CLI::App* parse_cmd = app.add_subcommand("parse", "");
  parse_cmd->group("");
  parse_cmd->add_option("paths", parse_paths);
  parse_cmd->add_option("-j,--jobs", parse_jobs);

  ModelsArgs models;
  CLI::App* models_cmd = add_models_command(app, models);

  InitArgs init;
  CLI::App* init_cmd = add_init_command(app, init);
  HookArgs hook;
  CLI::App* hook_cmd = add_hook_command(app, hook);

  std::vector<std::string> graph_paths;
  std::string graph_format = "text";
  CLI::App* graph_cmd = app.add_subcommand("graph", "Show each Alembic location's revisions as a tree (heads, roots, merges)");
  graph_cmd->add_option("paths", graph_paths, "Files and folders to read (default: the current folder)");
  graph_cmd->add_option("--format", graph_format, "text or json")->check(CLI::IsMember({"text", "json"}));

  std::vector<std::string> facts_paths;
  CLI::App* facts_cmd = app.add_subcommand("facts", "");
  facts_cmd->group("");
  facts_cmd->add_option("paths", facts_paths);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitClean : kExitError;
  }
  if (check_cmd->parsed()) {
    check.select_given = select->count() > 0;
    return run_check(check);
  }
  if (rules_cmd->parsed()) return run_rules(rules_format);
  if (explain_cmd->parsed()) return run_explain(explain_name);
  if (models_cmd->parsed()) return run_models(models);
  if (init_cmd->parsed()) return run_init(init);
  if (hook_cmd->parsed()) return run_install_hook(hook, fs::current_path(), std::cout, std::cerr);
  if (graph_cmd->parsed()) return run_graph(graph_paths, graph_format, std::cout, std::cerr);
  if (facts_cmd->parsed()) return dump_facts(facts_paths, std::cout);
  if (parse_cmd->parsed()) {
    std::cout << "parsed " << parse_only(parse_paths.empty() ? std::vector<std::string>{"."} : parse_paths, parse_jobs)
              << " files\n";
    return kExitClean;
  }
  return kExitError;
}

}  // namespace ormlint::cli
