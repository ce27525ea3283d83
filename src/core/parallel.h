// Runs fn(i) for i in [0, count) on `jobs` threads (work is handed out one index at a time, so uneven files
// balance). Exceptions thrown by fn are rethrown on the calling thread.
#pragma once
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ormlint {

unsigned default_jobs();

template <class Fn>
void parallel_for(size_t count, unsigned jobs, Fn&& fn) {
  if (jobs <= 1 || count <= 1) {
    for (size_t i = 0; i < count; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    try {
      for (size_t i = next++; i < count; i = next++) fn(i);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = count;
    }
  };
  std::vector<std::jthread> threads;
  size_t thread_count = std::min<size_t>(jobs, count);
  for (size_t t = 1; t < thread_count; ++t) threads.emplace_back(worker);
  worker();
  threads.clear();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace ormlint
