#include "core/phase_timer.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>

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
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // ru_maxrss is in KiB on Linux
  // One fprintf per line: phases timed on different threads do not interleave within a line.
  std::fprintf(stderr, "ormlint: timing: %-28.*s %8.1f ms   peak memory %6.1f MB\n",
               static_cast<int>(phase_.size()), phase_.data(), ms,
               static_cast<double>(usage.ru_maxrss) / 1024.0);
}

void TimeTally::report(std::string_view kind, const std::function<std::string_view(size_t)>& name_of,
                       size_t shown) const {
  std::vector<size_t> order(nanos_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return nanos_[a] > nanos_[b]; });
  order.resize(std::min(order.size(), shown));
  for (size_t item : order) {
    const std::string_view name = name_of(item);
    std::fprintf(stderr, "ormlint: timing:   %.*s %-40.*s %8.1f ms\n", static_cast<int>(kind.size()),
                 kind.data(), static_cast<int>(name.size()), name.data(),
                 static_cast<double>(nanos_[item].load()) / 1e6);
  }
}

}  // namespace ormlint
