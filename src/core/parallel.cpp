#include "core/parallel.h"

namespace ormlint {

unsigned default_jobs() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

}  // namespace ormlint
