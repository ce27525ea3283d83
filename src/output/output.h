// The report formats: terminal (for people), JSON (for scripts) and SARIF 2.1.0 (for code-scanning services).
// Each writer prints a RunResult whose diagnostics are already sorted, keeps their order, and is deterministic:
// the same result always gives the same bytes.
#pragma once
#include <filesystem>
#include <ostream>
#include <vector>

#include "engine/engine.h"
#include "engine/rule.h"

namespace ormlint {

enum class ColorMode { Auto, Always, Never };

struct OutputOptions {
  bool color = false;              // already decided by the CLI (should_use_color); terminal only
  std::filesystem::path root;      // the working directory: SARIF's %SRCROOT%
  std::vector<const Rule*> rules;  // the rules that ran, in the order SARIF lists them
};

void write_terminal(const RunResult& result, const OutputOptions& options, std::ostream& out);
void write_json(const RunResult& result, const OutputOptions& options, std::ostream& out);
void write_sarif(const RunResult& result, const OutputOptions& options, std::ostream& out);
// CI formats: GitHub Actions workflow commands (inline annotations; github.cpp) and a GitLab Code Quality report
// (`artifacts: reports: codequality`; gitlab.cpp).
void write_github(const RunResult& result, const OutputOptions& options, std::ostream& out);
void write_gitlab(const RunResult& result, const OutputOptions& options, std::ostream& out);

// Always and Never win; Auto means colour on a terminal unless NO_COLOR is set to a non-empty value
// (https://no-color.org).
bool should_use_color(ColorMode mode, bool is_tty);

}  // namespace ormlint
