#include "core/phase_timer.h"

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>

namespace ormlint {

bool PhaseTimer::enabled() {
  static const bool on = [] {
    const char* value = std::getenv("ORMLINT_TIMINGS");
    return value && *value && std::string_view(value) != "0";
  }();
  return on;
}

PhaseTimer::PhaseTimer(std::string_view phase) : phase_(phase) {
  if (enabled()) start_ = std::chrono::steady_clock::now();
}

PhaseTimer::~PhaseTimer() {
  if (!enabled()) return;
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // ru_maxrss is in KiB on Linux
  // One fprintf per line: phases timed on different threads do not interleave within a line.
  std::fprintf(stderr, "ormlint: timing: %-28.*s %8.1f ms   peak memory %6.1f MB\n", static_cast<int>(phase_.size()),
               phase_.data(), ms, static_cast<double>(usage.ru_maxrss) / 1024.0);
}

}  // namespace ormlint
