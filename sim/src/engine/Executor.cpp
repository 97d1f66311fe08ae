#include "orgsim/engine/Executor.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>

namespace orgsim::engine {
namespace {

// The pool behind both forms of execute(): `attempt(i)` runs the i-th entry; it returns
// false to stop the whole batch.
void run_pool(std::size_t count, int requested_threads, const std::atomic<bool>* cancel,
              const std::function<bool(std::size_t)>& attempt) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  auto worker = [&] {
    for (;;) {
      if (stop.load() || (cancel != nullptr && cancel->load())) return;
      const std::size_t k = next.fetch_add(1);
      if (k >= count) return;
      if (!attempt(k)) stop.store(true);
    }
  };
  const int threads =
      std::clamp(requested_threads, 1, static_cast<int>(std::max<std::size_t>(count, 1)));
  std::vector<std::jthread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  pool.clear();  // joins
}

}  // namespace

void for_each_parallel(std::size_t count, int threads,
                       const std::function<void(std::size_t)>& task) {
  std::mutex mutex;
  std::exception_ptr failure;
  run_pool(count, threads, nullptr, [&](std::size_t k) {
    try {
      task(k);
      return true;
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      return false;
    }
  });
  if (failure) std::rethrow_exception(failure);
}

int default_thread_count() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void execute(const std::vector<std::size_t>& runs,
             const std::function<RunPlan(std::size_t)>& plan_of, const ExecutorOptions& options,
             const std::function<void(std::size_t, RunResult&&)>& on_result,
             const std::function<void(std::size_t, const std::string&)>& on_failure) {
  std::size_t at = 0;
  execute(RunSequence{runs.size(), [&] { return runs[at++]; }}, plan_of, options, on_result,
          on_failure);
}

void execute(const RunSequence& runs, const std::function<RunPlan(std::size_t)>& plan_of,
             const ExecutorOptions& options,
             const std::function<void(std::size_t, RunResult&&)>& on_result,
             const std::function<void(std::size_t, const std::string&)>& on_failure) {
  const auto start = std::chrono::steady_clock::now();
  std::mutex mutex;           // guards the callbacks, the counts and `callback_failure`
  std::mutex sequence_mutex;  // guards runs.next()
  Progress progress;
  progress.total = runs.count;
  // A callback that throws (the journal's disk is full, say) stops the batch; its
  // exception is rethrown here rather than escaping a worker thread.
  std::exception_ptr callback_failure;
  // The first RuleFailed: it stops the batch. The runs in flight learn of it at their next
  // call of the rule (which then throws Interrupted, so they are not recorded).
  std::exception_ptr rule_failure;
  std::atomic<bool> rule_failed{false};
  model::LeaderRule stoppable;
  const model::LeaderRule* rule = options.leader_rule;
  if (rule != nullptr) {
    stoppable = [&rule_failed, rule](const model::LeaderView& view) {
      if (rule_failed.load(std::memory_order_relaxed)) throw Interrupted();
      return (*rule)(view);
    };
    rule = &stoppable;
  }
  run_pool(runs.count, options.threads, options.cancel, [&](std::size_t) {
    if (rule_failed.load()) return false;
    std::size_t index = 0;
    {
      std::lock_guard lock(sequence_mutex);
      index = runs.next();
    }
    std::string error;
    RunResult result;
    try {
      result = run(plan_of(index), options.cancel, rule);
    } catch (const Interrupted&) {
      return false;
    } catch (const RuleFailed&) {
      std::lock_guard lock(mutex);
      if (!rule_failure) rule_failure = std::current_exception();
      rule_failed.store(true);
      return false;
    } catch (const std::exception& exception) {
      error = exception.what();
      if (error.empty()) error = "run failed";
    }
    std::lock_guard lock(mutex);
    if (callback_failure) return false;
    try {
      if (error.empty()) {
        on_result(index, std::move(result));
      } else {
        on_failure(index, error);
        ++progress.failed;
      }
      ++progress.done;
      progress.elapsed = std::chrono::steady_clock::now() - start;
      if (options.progress) options.progress(progress);
    } catch (...) {
      callback_failure = std::current_exception();
      return false;
    }
    return true;
  });
  if (callback_failure) std::rethrow_exception(callback_failure);
  if (rule_failure) std::rethrow_exception(rule_failure);
  if (options.cancel != nullptr && options.cancel->load()) throw Interrupted();
}

}  // namespace orgsim::engine
