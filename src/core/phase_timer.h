// ORMLINT_TIMINGS=1 in the environment: each phase of a run (asking git, reading the files, each step of the
// project model, the rules) prints its wall time and the process's peak memory so far on stderr, to find where a
// slow run spends its time (bench/README.md). Without the variable a PhaseTimer only reads a flag.
#pragma once
#include <chrono>
#include <string_view>

namespace ormlint {

class PhaseTimer {
 public:
  explicit PhaseTimer(std::string_view phase);
  ~PhaseTimer();
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

  static bool enabled();

 private:
  std::string_view phase_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ormlint
