// `ormlint check` and baselines (engine/baseline.h): --write-baseline[=FILE] records today's findings, later runs
// hide the findings the baseline records (--baseline FILE, `baseline = "..."` in the configuration, or
// .ormlint-baseline.json in the project root), --no-baseline shows everything, --show-stale lists the entries
// nothing matched any more.
//
// --write-baseline takes its FILE only attached with '=' (as GNU getopt's optional arguments do), so
// `ormlint check --write-baseline src/` checks src/ and writes the default baseline; a following argument that
// looks like a baseline file (*.json) is refused with a hint rather than checked as Python.
#pragma once
#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/baseline.h"
#include "engine/config.h"
#include "engine/engine.h"

namespace ormlint::cli {

struct BaselineArgs {
  const CLI::Option* write = nullptr;  // --write-baseline[=FILE]; given when write->count() > 0
  std::string write_file;              // its value: FILE, or "true" (CLI11's value for a bare flag)
  std::string file;                    // --baseline FILE; "" when not given
  bool none = false;                   // --no-baseline
  bool show_stale = false;             // --show-stale
};

void add_baseline_options(CLI::App& check, BaselineArgs& args);

// Usage problems that are known before the run; throws ConfigError.
void check_baseline_usage(const BaselineArgs& args, const std::vector<std::string>& paths);

struct BaselineStep {
  std::optional<int> exit_code;                // set when the run ends here (baseline written, or unusable)
  std::optional<std::filesystem::path> file;   // the baseline looked for (unset with --no-baseline)
  bool loaded = false;                         // whether it existed and was applied
  std::vector<BaselineEntry> stale;            // for --show-stale
};

// After run(), before the report: writes the baseline (--write-baseline), or takes the findings it records out of
// `result`. `sources` are the run's (what it reported on decides which entries can be stale). Messages go to
// `out` (the written summary) and `err` (errors).
BaselineStep apply_baseline_args(const BaselineArgs& args, const Config& config, const ProjectSources& sources,
                                 const std::vector<const Rule*>& rules, RunResult& result, std::ostream& out,
                                 std::ostream& err);

// After the report, for --show-stale: the stale entries, on `err` so that a machine-readable report on standard
// output stays machine-readable (and the report itself is the same with or without the flag).
void report_stale(const BaselineArgs& args, const BaselineStep& step, std::ostream& err);

}  // namespace ormlint::cli
