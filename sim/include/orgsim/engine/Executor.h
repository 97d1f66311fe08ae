#pragma once
// Runs many plans on a pool of threads. Each run is executed whole by one thread from its
// own streams, so results do not depend on the number of threads or on the order in which
// runs finish; callbacks receive each result with its run index, never concurrently.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "orgsim/engine/RunPlan.h"
#include "orgsim/engine/Runner.h"

namespace orgsim::engine {

struct Progress {
  std::size_t done = 0;  ///< finished, failed ones included
  std::size_t failed = 0;
  std::size_t total = 0;
  std::chrono::steady_clock::duration elapsed{};
};

struct ExecutorOptions {
  int threads = 1;
  /// Set from outside (a signal handler) to stop early; execute() then throws Interrupted.
  const std::atomic<bool>* cancel = nullptr;
  /// Called after each finished run, never concurrently.
  std::function<void(const Progress&)> progress;
  /// The leader rule of the runs with leader.policy = python (see run()); called from every
  /// thread at once. Must outlive execute().
  const model::LeaderRule* leader_rule = nullptr;
};

/// Runs to execute, handed out one at a time so that no list of them need be held in
/// memory: `count` runs, each the value of a call of `next()` (made under a lock).
struct RunSequence {
  std::size_t count = 0;
  std::function<std::size_t()> next;
};

/// Runs the `runs.count` runs that `runs.next()` names, each from `plan_of(index)`. A run
/// whose plan or execution throws goes to `on_failure(index, message)` and the others go
/// on; successes go to `on_result(index, result)`. Except when the leader rule fails
/// (RuleFailed): then no further run starts, the runs in flight stop at their next rule
/// call (or finish, and are recorded), and the first RuleFailed is rethrown here.
void execute(const RunSequence& runs, const std::function<RunPlan(std::size_t)>& plan_of,
             const ExecutorOptions& options,
             const std::function<void(std::size_t, RunResult&&)>& on_result,
             const std::function<void(std::size_t, const std::string&)>& on_failure);

/// Runs the runs numbered `runs`, each from `plan_of(index)`. A run whose plan or execution
/// throws goes to `on_failure(index, message)` and the others go on; successes go to
/// `on_result(index, result)`. A failed leader rule stops them all, as above.
void execute(const std::vector<std::size_t>& runs,
             const std::function<RunPlan(std::size_t)>& plan_of, const ExecutorOptions& options,
             const std::function<void(std::size_t, RunResult&&)>& on_result,
             const std::function<void(std::size_t, const std::string&)>& on_failure);

/// Calls `task(k)` for k in [0, count) on up to `threads` threads (the caller's among them)
/// and returns when all are done; the first exception a task throws is rethrown here.
void for_each_parallel(std::size_t count, int threads,
                       const std::function<void(std::size_t)>& task);

/// Threads to use when the user does not say: the machine's hardware threads.
int default_thread_count();

}  // namespace orgsim::engine
