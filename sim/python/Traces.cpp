// orgsim.trace: one run's employees into an HDF5 trace (io/TraceFile.h), as `orgsim trace`
// writes it: replication R is the very run replication R of orgsim.run makes. The size
// guard runs before anything is written; an interrupt leaves no file.

#include <pybind11/pybind11.h>

#include <filesystem>
#include <string>

#include "Bindings.h"
#include "Progress.h"
#include "ScenarioSource.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Study.h"
#include "orgsim/engine/Trace.h"
#include "orgsim/io/TraceFile.h"

namespace py = pybind11;

namespace orgsim::python {

void bind_traces(py::module_& module) {
  module.def(
      "trace",
      [](const ScenarioSource& scenario, long replication, const std::string& out,
         std::uint64_t max_bytes, bool force, const std::string& command_line) {
        const engine::Study study(scenario.resolved().settings, engine::Design{});
        if (replication < 0 || replication >= study.replications()) {
          throw ConfigError(
              "replication " + std::to_string(replication) + " is out of range [0, " +
              std::to_string(study.replications()) + "): the scenario has run.replications = " +
              std::to_string(study.replications()) + "; give a smaller one or raise it with " +
              ".set('run.replications', " + std::to_string(replication + 1) + ")");
        }
        if (std::filesystem::exists(out) && !force) {
          throw ConfigError("'" + out +
                            "' already exists; pass force=True to overwrite it or out= to choose "
                            "another file");
        }
        const engine::RunPlan plan = study.plan(static_cast<std::size_t>(replication));
        const std::string what =
            "replication " + std::to_string(replication) + " of " + scenario.name();
        bool interrupted = false;
        const auto signal = run_watched(
            [&](const std::atomic<bool>& cancel) {
              try {
                const engine::TraceShape shape = engine::measure_trace(plan, &cancel);
                io::check_trace_size(shape, max_bytes, what);
                io::TraceFile file(out, shape,
                                   io::trace_provenance(study, plan, command_line, scenario.path()),
                                   force);
                file.publish(engine::trace(plan, file, &cancel));
              } catch (const engine::Interrupted&) {
                interrupted = true;
              }
            },
            [] {});
        if (signal && !signal->matches(PyExc_KeyboardInterrupt)) throw *signal;
        if (signal || interrupted) {
          const std::string message =
              "orgsim.trace: interrupted; nothing was written (a trace is one run: call it "
              "again)";
          PyErr_SetString(PyExc_KeyboardInterrupt, message.c_str());
          throw py::error_already_set();
        }
        return out;
      },
      py::arg("scenario"), py::arg("replication"), py::arg("out"), py::arg("max_bytes"),
      py::arg("force"), py::arg("command_line"),
      "Writes one replication's employees per recorded period to an HDF5 trace");

  module.attr("default_trace_limit") = io::kDefaultTraceLimit;
}

}  // namespace orgsim::python
