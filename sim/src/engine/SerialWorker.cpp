#include "orgsim/engine/SerialWorker.h"

#include <algorithm>

namespace orgsim::engine {

SerialWorker::SerialWorker(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)), thread_([this] { work(); }) {}

SerialWorker::~SerialWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
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
  changed_.wait(lock, [this] { return tasks_.size() < capacity_ || failed_; });
  rethrow_failure();
  if (failed_) return;  // reported already; later work would be out of order
  tasks_.push_back(std::move(task));
  lock.unlock();
  changed_.notify_all();
}

void SerialWorker::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return (tasks_.empty() && !busy_) || failed_; });
  if (failed_) changed_.wait(lock, [this] { return !busy_; });
  rethrow_failure();
}

void SerialWorker::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return !tasks_.empty() || stopping_; });
    if (tasks_.empty()) return;  // stopping, and nothing left
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    if (failed_) continue;  // drop what follows a failure
    busy_ = true;
    lock.unlock();
    changed_.notify_all();  // room for a waiting submit
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
    changed_.notify_all();
  }
}

}  // namespace orgsim::engine
