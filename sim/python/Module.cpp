// _orgsim: orgsim's engine as a Python module (see Bindings.h).

#include "Bindings.h"
#include "orgsim/Version.h"

PYBIND11_MODULE(_orgsim, module) {
  module.doc() = "orgsim's engine in-process: import orgsim rather than this module";
  module.attr("__version__") = orgsim::kOrgsimVersion;
  module.attr("git_revision") = orgsim::kGitRevision;
  orgsim::python::bind_errors(module);
  orgsim::python::bind_scenario(module);
  orgsim::python::bind_leader_policy(module);
  orgsim::python::bind_campaigns(module);
  orgsim::python::bind_simulation(module);
  orgsim::python::bind_traces(module);
}
