#include "core/phase_timer.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>

namespace ormlint {

namespace {

// The process's CPU time so far (user + system, every thread), in ms.
double process_cpu_ms(const rusage& usage) {
  auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

rusage usage_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // ru_maxrss is in KiB on Linux
  return usage;
}

}  // namespace

bool PhaseTimer::enabled() {
  static const bool on = [] {
    const char* value = std::getenv("ORMLINT_TIMINGS");
    return value && *value && std::string_view(value) != "0";
  }();
  return on;
}

PhaseTimer::PhaseTimer(std::string_view phase) : phase_(phase) {
  if (!enabled()) return;
  start_ = std::chrono::steady_clock::now();
  start_cpu_ms_ = process_cpu_ms(usage_now());
}

PhaseTimer::~PhaseTimer() {
  if (!enabled()) return;
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  const rusage usage = usage_now();
  // One fprintf per line: phases timed on different threads do not interleave within a line.
  std::fprintf(stderr, "ormlint: timing: %-28.*s %8.1f ms   cpu %8.1f ms   peak memory %6.1f MB\n",
               static_cast<int>(phase_.size()), phase_.data(), ms, process_cpu_ms(usage) - start_cpu_ms_,
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
