#include "Progress.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace py = pybind11;

namespace orgsim::python {

std::optional<py::error_already_set> run_watched(
    const std::function<void(const std::atomic<bool>& cancel)>& work,
    const std::function<void()>& report) {
  std::atomic<bool> cancel{false};
  std::mutex mutex;
  std::condition_variable finished_changed;
  bool finished = false;
  std::exception_ptr failure;

  std::thread worker([&] {
    try {
      work(cancel);
    } catch (...) {
      failure = std::current_exception();
    }
    const std::lock_guard lock(mutex);
    finished = true;
    finished_changed.notify_all();
  });
  auto wait_for = [&](std::chrono::milliseconds period) {
    const py::gil_scoped_release release;
    std::unique_lock lock(mutex);
    finished_changed.wait_for(lock, period, [&] { return finished; });
    return finished;
  };

  // Waits for the work to return (it stops soon once `cancel` is set), the GIL released.
  auto join = [&] {
    const py::gil_scoped_release release;
    worker.join();
  };
  std::optional<py::error_already_set> signal;
  try {
    while (!wait_for(std::chrono::milliseconds(100))) {
      report();
      if (PyErr_CheckSignals() != 0) {
        signal.emplace();  // takes the exception the handler raised
        cancel = true;
        break;
      }
    }
  } catch (...) {
    // `report` raised (a progress bar that failed): stop the work before leaving.
    cancel = true;
    join();
    throw;
  }
  join();
  report();
  if (signal) return signal;
  if (failure) std::rethrow_exception(failure);
  return std::nullopt;
}

}  // namespace orgsim::python
