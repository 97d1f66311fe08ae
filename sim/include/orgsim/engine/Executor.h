#pragma once
// Runs many plans on a pool of threads. Each run is executed whole by one thread from its
// own streams, so results do not depend on the number of threads or on the order in which
// runs finish; the sink receives each result with its plan index.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

#include "orgsim/engine/RunPlan.h"
#include "orgsim/engine/Runner.h"

namespace orgsim::engine {

struct Progress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::chrono::steady_clock::duration elapsed{};
};

struct ExecutorOptions {
  int threads = 1;
  /// Set from outside (a signal handler) to stop early; execute() then throws Interrupted.
  const std::atomic<bool>* cancel = nullptr;
  /// Called after each finished run, never concurrently.
  std::function<void(const Progress&)> progress;
};

/// Runs every plan and hands each result to `sink(index, result)`, never concurrently.
/// The first exception thrown by a run stops the others and is rethrown here.
void execute(const std::vector<RunPlan>& plans, const ExecutorOptions& options,
             const std::function<void(std::size_t, RunResult&&)>& sink);

/// Threads to use when the user does not say: the machine's hardware threads.
int default_thread_count();

}  // namespace orgsim::engine
