// Runs a program without a shell (no quoting, no injection: arguments go to execvp as they are), feeding it
// standard input and capturing standard output and error. Used to ask git about the repository; never used on
// the user's code.
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <memory>
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

// A program started with its standard input still open, for one whose input is known only later: git cat-file
// --batch is started beside the questions whose answers name the objects it reads, so its start-up (several
// ms) overlaps theirs instead of following them.
class StartedProcess {
 public:
  // Starts argv[0] (looked up on PATH) with `argv` in `dir` (the current folder when empty). `env` entries
  // ("NAME=value") replace or add to the environment. Returns nullopt and sets `error` when it cannot be
  // started (e.g. "git: No such file or directory").
  static std::optional<StartedProcess> start(const std::vector<std::string>& argv,
                                             const std::filesystem::path& dir, std::string& error,
                                             const std::vector<std::string>& env = {});
  StartedProcess(StartedProcess&&) noexcept;
  StartedProcess& operator=(StartedProcess&&) noexcept;
  // A process never finished gets end-of-file on its input and is waited for (no zombie, no blocked child).
  ~StartedProcess();

  // Writes `input`, closes the program's standard input, reads both outputs to their end and waits for it to
  // exit. Call at most once.
  ProcessResult finish(std::string_view input = {});

 private:
  struct Pipes;
  StartedProcess(pid_t pid, std::unique_ptr<Pipes> pipes);

  pid_t pid_ = -1;
  std::unique_ptr<Pipes> pipes_;
};

// Runs argv[0] (looked up on PATH) with `argv` in `dir` to its end. Returns nullopt and sets `error` when it
// cannot be started (e.g. "git: No such file or directory").
std::optional<ProcessResult> run_process(const std::vector<std::string>& argv,
                                         const std::filesystem::path& dir, std::string_view input,
                                         std::string& error, const std::vector<std::string>& env = {});

}  // namespace ormlint
