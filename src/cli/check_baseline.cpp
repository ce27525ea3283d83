#include "cli/check_baseline.h"

#include <set>
#include <system_error>

#include "cli/commands.h"
#include "core/paths.h"
#include "engine/rule.h"
#include "output/snippet.h"

namespace ormlint::cli {

namespace fs = std::filesystem;

namespace {

// What CLI11 stores for a flag given without "=value".
constexpr std::string_view kBareFlagValue = "true";

bool given(const CLI::Option* option) {
  return option != nullptr && option->count() > 0;
}

std::string plural(size_t count, const std::string& singular, const std::string& plural_form) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural_form);
}

// Relative to the working directory when inside it (as the report shows paths), else absolute.
fs::path shown(const fs::path& file, const fs::path& cwd) {
  const fs::path absolute = (file.is_absolute() ? file : cwd / file).lexically_normal();
  if (auto relative = relative_inside(absolute, cwd)) return *relative;
  return absolute;
}

// The baseline a run reads, and --write-baseline writes when given no FILE: --baseline FILE, else the
// configuration's `baseline`, else the default name in the project root. `named` tells whether someone chose it
// (then it must exist when read).
struct BaselineLocation {
  fs::path file;
  bool named = false;
};

BaselineLocation locate(const BaselineArgs& args, const Config& config, const fs::path& root, const fs::path& cwd) {
  if (!args.file.empty()) return {shown(args.file, cwd), true};
  if (config.baseline) return {shown(*config.baseline, cwd), true};
  return {shown(root / kDefaultBaselineName, cwd), false};
}

// Baseline paths are relative to the project's folder (cli/check_sources.h), so a run from a sub-folder matches.
fs::path baseline_root(const Config& config, const ProjectSources& sources) {
  return sources.project_root ? fs::path(*sources.project_root) : config.root;
}

std::set<std::string> rule_names(const std::vector<const Rule*>& rules) {
  std::set<std::string> names;
  for (const Rule* rule : rules) names.insert(rule->info().name);
  return names;
}

int write_step(const BaselineArgs& args, const Config& config, const ProjectPaths& project, const BaselineScope& scope,
               const RunResult& result, std::ostream& out, std::ostream& err) {
  const fs::path cwd = fs::current_path();
  const fs::path target =
      args.write_file != kBareFlagValue ? shown(args.write_file, cwd) : locate(args, config, project.root(), cwd).file;
  // A baseline without the findings of unreadable files would report them all as new once they can be read.
  if (!result.errors.empty()) {
    for (const std::string& error : result.errors) err << "ormlint: error: " << error << "\n";
    err << "ormlint: error: " << target.string() << ": baseline not written, because "
        << plural(result.errors.size(), "file", "files") << " could not be read\n";
    return kExitError;
  }
  try {
    Baseline old_baseline;
    std::error_code ec;
    if (fs::status(target, ec).type() != fs::file_type::not_found) {
      try {
        old_baseline = load_baseline(target);
      } catch (const BaselineError& e) {
        err << "ormlint: error: " << e.what() << "\n"
            << "ormlint: error: the baseline was not rewritten: it keeps the entries of paths and rules outside this "
               "run, so fix or delete "
            << target.string() << " first\n";
        return kExitError;
      }
    }
    const Baseline fresh = baseline_from(result.diagnostics, project);
    const Baseline merged = merge_for_write(old_baseline, fresh, scope);
    write_baseline(target, merged);
    out << "wrote " << plural(fresh.total(), "finding", "findings") << " to " << target.string();
    if (merged.total() > fresh.total()) {
      out << " (and kept " << plural(merged.total() - fresh.total(), "finding", "findings")
          << " of other paths or rules from the old baseline)";
    }
    out << "\n";
    return kExitClean;
  } catch (const BaselineError& e) {
    err << "ormlint: error: " << e.what() << "\n";
    return kExitError;
  }
}

}  // namespace

void add_baseline_options(CLI::App& check, BaselineArgs& args) {
  CLI::Option* write = check.add_flag("--write-baseline", args.write_file,
                                      "Record today's findings in the baseline file and exit 0 (default: the one "
                                      "--baseline or the configuration names, else .ormlint-baseline.json in the "
                                      "project root); a FILE needs the '='");
  write->type_name("[=FILE]");
  CLI::Option* file = check.add_option("--baseline", args.file,
                                       "Hide the findings recorded in this baseline file (default: "
                                       ".ormlint-baseline.json in the project root, if present)");
  file->type_name("FILE");
  CLI::Option* none = check.add_flag("--no-baseline", args.none, "Report every finding, ignoring any baseline");
  CLI::Option* stale = check.add_flag("--show-stale", args.show_stale,
                                      "List baseline entries that no longer match a finding (on standard error)");
  none->excludes(file);
  none->excludes(write);
  none->excludes(stale);
  stale->excludes(write);
  args.write = write;
}

void check_baseline_usage(const BaselineArgs& args, const std::vector<std::string>& paths) {
  if (!given(args.write) || args.write_file != kBareFlagValue) return;
  for (const std::string& path : paths) {
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
      throw ConfigError("--write-baseline", 0,
                        "\"" + path + "\" would be checked as Python; to write the baseline to it, attach it with '=': "
                        "--write-baseline=" + path);
    }
  }
}

BaselineStep apply_baseline_args(const BaselineArgs& args, const Config& config, const ProjectSources& sources,
                                 const std::vector<const Rule*>& rules, RunResult& result, std::ostream& out,
                                 std::ostream& err) {
  BaselineStep step;
  if (args.none) return step;
  const fs::path cwd = fs::current_path();
  const fs::path root = baseline_root(config, sources);
  const ProjectPaths project(root, cwd);
  // The entries this run could have matched: those of the files it reported on and the rules it ran.
  std::vector<std::string> reported = sources.report_scope ? *sources.report_scope : sources.paths;
  if (!sources.report_scope && reported.empty()) reported.push_back(".");
  // The scope is only needed once a baseline is written or read (most runs have none: no work for them).
  auto scope = [&] {
    BaselineScope scope(project, reported, rule_names(rules));
    scope.cover(result.diagnostics, project);
    return scope;
  };

  if (given(args.write)) {
    step.exit_code = write_step(args, config, project, scope(), result, out, err);
    return step;
  }

  const BaselineLocation location = locate(args, config, project.root(), cwd);
  step.file = location.file;
  std::error_code ec;
  if (fs::status(location.file, ec).type() == fs::file_type::not_found) {
    if (location.named) {
      err << "ormlint: error: " << location.file.string()
          << ": baseline file not found (create it with `ormlint check --write-baseline`)\n";
      step.exit_code = kExitError;
    }
    return step;
  }
  try {
    const Baseline baseline = load_baseline(location.file);
    BaselineOutcome outcome = apply_baseline(baseline, result.diagnostics, project, scope());
    result.diagnostics = std::move(outcome.kept);
    result.baseline_hidden = outcome.hidden;
    step.stale = std::move(outcome.stale);
    step.loaded = true;
  } catch (const BaselineError& e) {
    err << "ormlint: error: " << e.what() << "\n";
    step.exit_code = kExitError;
  }
  return step;
}

void report_stale(const BaselineArgs& args, const BaselineStep& step, std::ostream& err) {
  if (!args.show_stale || !step.file) return;
  const std::string file = sanitize_for_terminal(step.file->string());
  if (!step.loaded) {
    err << "ormlint: no baseline in use (" << file << " does not exist), so nothing is stale\n";
    return;
  }
  size_t total = 0;
  for (const BaselineEntry& entry : step.stale) total += entry.count;
  if (total == 0) {
    err << "ormlint: no stale baseline entries in " << file << "\n";
    return;
  }
  err << "ormlint: " << plural(total, "stale baseline entry", "stale baseline entries") << " in " << file
      << " (fixed, or the line changed; `ormlint check --write-baseline` prunes them):\n";
  for (const BaselineEntry& entry : step.stale) {
    err << "  " << sanitize_for_terminal(entry.path) << ": " << sanitize_for_terminal(entry.rule) << ": "
        << sanitize_for_terminal(entry.source_line);
    if (entry.count > 1) err << " (x" << entry.count << ")";
    err << "\n";
  }
}

}  // namespace ormlint::cli
