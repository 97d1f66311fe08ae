#pragma once
// Long work from Python: on a thread of its own, so that the interpreter stays responsive.
// The calling thread, which holds the GIL, waits with it released (so the work's threads,
// and a leader policy written in Python, can take it), wakes about ten times a second to
// report progress and to let Python handle signals: Ctrl-C in a terminal, or Jupyter's
// interrupt, which raise KeyboardInterrupt on the main thread only.

#include <pybind11/pybind11.h>

#include <atomic>
#include <functional>
#include <optional>

namespace orgsim::python {

/// Runs `work(cancel)` and waits for it, calling `report` (with the GIL) between waits and
/// once at the end. When a signal handler raises (KeyboardInterrupt), sets `cancel`, waits
/// for `work` to return and gives back that Python exception for the caller to raise with
/// what it knows (what was kept, how to resume); nullopt otherwise. Exceptions from `work`
/// are rethrown (after a signal's, which wins).
std::optional<pybind11::error_already_set> run_watched(
    const std::function<void(const std::atomic<bool>& cancel)>& work,
    const std::function<void()>& report);

}  // namespace orgsim::python
