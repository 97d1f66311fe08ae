#pragma once
// One background thread that runs tasks in the order they were submitted: work that must
// happen in order but need not hold up the caller, such as appending finished runs to a
// journal while the simulation threads go on. At most `capacity` tasks wait; a submit
// beyond that waits for room, so memory stays bounded when the work falls behind.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace orgsim::engine {

class SerialWorker {
 public:
  explicit SerialWorker(std::size_t capacity);
  /// Finishes the tasks already submitted (their failures are dropped), then stops.
  ~SerialWorker();
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  /// Queues `task`. Rethrows (once) the exception of a task that failed earlier; after a
  /// failure no further task runs, so nothing is done out of order.
  void submit(std::function<void()> task);

  /// Waits until every submitted task has run, and rethrows a failure as submit() does.
  void drain();

 private:
  void work();
  void rethrow_failure();  // with `mutex_` held

  const std::size_t capacity_;
  const std::size_t batch_;  // tasks queued before the worker is woken
  std::mutex mutex_;
  std::condition_variable wake_worker_;
  std::condition_variable room_;  // for submit() and drain()
  std::deque<std::function<void()>> tasks_;
  std::size_t waiting_ = 0;   // callers waiting in submit() or drain()
  bool worker_idle_ = false;  // the worker is waiting for tasks
  bool busy_ = false;         // a task is running
  bool stopping_ = false;
  bool failed_ = false;
  std::exception_ptr failure_;  // not yet reported
  std::thread thread_;
};

}  // namespace orgsim::engine
