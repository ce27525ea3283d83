// Runs a program without a shell (no quoting, no injection: arguments go to execvp as they are), feeding it
// standard input and capturing standard output and error. Used to ask git about the repository; never used on
// the user's code.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ormlint {

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up on PATH) with `argv` in `dir`. Returns nullopt and sets `error` when it cannot be
// started (e.g. "git: No such file or directory").
std::optional<ProcessResult> run_process(const std::vector<std::string>& argv, const std::filesystem::path& dir,
                                         std::string_view input, std::string& error);

}  // namespace ormlint
