// ORMLINT_TIMINGS=1 in the environment: each phase of a run (asking git, reading the files, each step of the
// project model, the rules) prints its wall time and the process's peak memory so far on stderr, to find
// where a slow run spends its time (bench/README.md). Without the variable a PhaseTimer only reads a flag.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

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
  // The whole process's CPU time at the start: a phase's "cpu" counts every thread's, including work that
  // overlaps it (the facts decoded while git answers). CPU time near wall time with --jobs 2 marks a serial phase.
  double start_cpu_ms_ = 0;
};

// The time of many small calls, summed per item (each rule, over every file and thread), for
// ORMLINT_TIMINGS=1: `report` prints the slowest items, as clang-tidy's --enable-check-profile does for its
// checks.
class TimeTally {
 public:
  explicit TimeTally(size_t items) : nanos_(PhaseTimer::enabled() ? items : 0) {}

  // Runs fn(), adding its time to `item` when timings are on. Safe from several threads.
  template <class Fn>
  void time(size_t item, Fn&& fn) {
    if (nanos_.empty()) {
      fn();
      return;
    }
    const auto start = std::chrono::steady_clock::now();
    fn();
    const auto spent = std::chrono::steady_clock::now() - start;
    nanos_[item].fetch_add(std::chrono::duration_cast<std::chrono::nanoseconds>(spent).count(),
                           std::memory_order_relaxed);
  }

  // Prints the `shown` slowest items ("ormlint: timing:   rule foo  12.3 ms"), named by name_of(item).
  void report(std::string_view kind, const std::function<std::string_view(size_t)>& name_of,
              size_t shown = 10) const;

 private:
  std::vector<std::atomic<int64_t>> nanos_;
};

}  // namespace ormlint
