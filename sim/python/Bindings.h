#pragma once
// The parts of the Python module _orgsim (Module.cpp), each registered by its own file.
// The module is the engine's Python face beside the command line: it parses scenarios
// with the same code, runs campaigns into the same result files and raises the same
// one-line errors as Python exceptions. The package users import, orgsim
// (analysis/src/orgsim), wraps it with keyword arguments, progress bars and Result objects.

#include <pybind11/pybind11.h>

namespace orgsim::python {

void bind_errors(pybind11::module_& module);         // Errors.cpp
void bind_scenario(pybind11::module_& module);       // ScenarioSource.cpp
void bind_campaigns(pybind11::module_& module);      // Campaigns.cpp
void bind_simulation(pybind11::module_& module);     // SimulationHandle.cpp
void bind_traces(pybind11::module_& module);         // Traces.cpp
void bind_leader_policy(pybind11::module_& module);  // LeaderPolicy.cpp

}  // namespace orgsim::python
