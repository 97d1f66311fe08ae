#include "orgsim/engine/Executor.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>

namespace orgsim::engine {

int default_thread_count() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void execute(const std::vector<RunPlan>& plans, const ExecutorOptions& options,
             const std::function<void(std::size_t, RunResult&&)>& sink) {
  const auto start = std::chrono::steady_clock::now();
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;  // guards sink, progress, done and failure
  std::size_t done = 0;
  std::exception_ptr failure;

  auto worker = [&] {
    for (;;) {
      if (stop.load() || (options.cancel != nullptr && options.cancel->load())) return;
      const std::size_t index = next.fetch_add(1);
      if (index >= plans.size()) return;
      try {
        RunResult result = run(plans[index], options.cancel);
        std::lock_guard lock(mutex);
        sink(index, std::move(result));
        ++done;
        if (options.progress) {
          options.progress(Progress{done, plans.size(), std::chrono::steady_clock::now() - start});
        }
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop.store(true);
        return;
      }
    }
  };

  const int threads =
      std::clamp(options.threads, 1, static_cast<int>(std::max<std::size_t>(plans.size(), 1)));
  std::vector<std::jthread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  pool.clear();  // joins

  if (failure) std::rethrow_exception(failure);
  if (options.cancel != nullptr && options.cancel->load()) throw Interrupted();
}

}  // namespace orgsim::engine
