#include "orgsim/engine/SerialWorker.h"

#include <algorithm>
#include <chrono>

namespace orgsim::engine {

SerialWorker::SerialWorker(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      batch_(std::max<std::size_t>(capacity_ / 2, 1)),
      thread_([this] { work(); }) {}

SerialWorker::~SerialWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_worker_.notify_one();
  thread_.join();
}

void SerialWorker::rethrow_failure() {
  if (failure_) {
    std::exception_ptr failure = failure_;
    failure_ = nullptr;
    std::rethrow_exception(failure);
  }
}

void SerialWorker::submit(std::function<void()> task) {
  std::unique_lock lock(mutex_);
  if (tasks_.size() >= capacity_ && !failed_) {
    ++waiting_;
    wake_worker_.notify_one();
    room_.wait(lock, [this] { return tasks_.size() < capacity_ || failed_; });
    --waiting_;
  }
  rethrow_failure();
  if (failed_) return;  // reported already; later work would be out of order
  tasks_.push_back(std::move(task));
  // Waking a thread is a system call (costly in a VM): wake the worker for a batch of
  // tasks, not for each; it also looks by itself every few milliseconds.
  if (worker_idle_ && tasks_.size() >= batch_) wake_worker_.notify_one();
}

void SerialWorker::drain() {
  std::unique_lock lock(mutex_);
  ++waiting_;
  wake_worker_.notify_one();
  room_.wait(lock, [this] { return (tasks_.empty() && !busy_) || failed_; });
  if (failed_) room_.wait(lock, [this] { return !busy_; });
  --waiting_;
  rethrow_failure();
}

void SerialWorker::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (tasks_.empty()) {
      if (stopping_) return;
      if (waiting_ > 0) room_.notify_all();  // a drain() waits for this
      // Woken for a batch, by a caller that waits, or to stop; and looks every few
      // milliseconds anyway, so that a lone task does not wait long.
      worker_idle_ = true;
      wake_worker_.wait_for(lock, std::chrono::milliseconds(5), [this] {
        return stopping_ || tasks_.size() >= batch_ || (waiting_ > 0 && !tasks_.empty());
      });
      worker_idle_ = false;
      continue;
    }
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    if (failed_) continue;  // drop what follows a failure
    busy_ = true;
    if (waiting_ > 0) room_.notify_all();  // room for a submit that waits
    lock.unlock();
    std::exception_ptr failure;
    try {
      task();
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    busy_ = false;
    if (failure) {
      failed_ = true;
      failure_ = failure;
      tasks_.clear();
    }
    if (waiting_ > 0) room_.notify_all();
  }
}

}  // namespace orgsim::engine
