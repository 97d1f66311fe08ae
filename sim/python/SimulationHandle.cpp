// orgsim.Simulation: one run of the model stepped from Python, period by period, with the
// employees of each firm as read-only numpy arrays. It is the engine's run of the same
// scenario, seed and replication (engine::run): stepping it to the end gives the trajectory
// `orgsim run` records for that replication.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>

#include "Bindings.h"
#include "LeaderPolicy.h"
#include "ScenarioSource.h"
#include "orgsim/core/Error.h"
#include "orgsim/model/EmployeeState.h"
#include "orgsim/model/Observation.h"
#include "orgsim/model/Simulation.h"

namespace py = pybind11;

namespace orgsim::python {
namespace {

// A numpy array over `values`, which `owner` keeps alive; read-only: it shows the state
// the snapshot was taken of, and writing to it would change nothing in the model.
template <class T>
py::array_t<T> read_only(const std::vector<T>& values, std::vector<py::ssize_t> shape,
                         const py::object& owner) {
  py::array_t<T> array(std::move(shape), values.data(), owner);
  array.attr("flags").attr("writeable") = false;
  return array;
}

class SimulationHandle {
 public:
  SimulationHandle(const ScenarioSource& scenario, std::optional<std::uint64_t> seed,
                   std::uint64_t replication, const py::object& leader_policy)
      : params_(scenario.resolved().params),
        seed_(seed.value_or(scenario.resolved().run.seed)),
        replication_(replication),
        rule_(python_leader_rule(leader_policy)),
        simulation_(params_, seed_, replication_, rule_.get()) {}

  int step(int periods) {
    if (periods < 0) {
      throw ConfigError("step(" + std::to_string(periods) +
                        "): periods must be 0 or more; step(1) runs one period");
    }
    for (int p = 0; p < periods && !simulation_.finished(); ++p) simulation_.advance();
    return simulation_.period();
  }

  int run_to_end() {
    while (!simulation_.finished()) simulation_.advance();
    return simulation_.period();
  }

  std::size_t firm_index(const py::object& firm) const {
    const auto names = simulation_.firm_names();
    if (py::isinstance<py::str>(firm)) {
      const auto name = firm.cast<std::string>();
      for (std::size_t f = 0; f < names.size(); ++f) {
        if (names[f] == name) return f;
      }
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw ConfigError("no firm '" + name + "' in this simulation; its firms are " + known);
    }
    const long index = firm.cast<long>();
    if (index < 0 || index >= static_cast<long>(names.size())) {
      throw ConfigError("firm " + std::to_string(index) + " is out of range [0, " +
                        std::to_string(names.size() - 1) + "]; give an index or a firm's name");
    }
    return static_cast<std::size_t>(index);
  }

  py::dict employees(const py::object& firm) const {
    const std::size_t f = firm_index(firm);
    auto state = std::make_shared<model::EmployeeState>(model::snapshot(simulation_.firms()[f]));
    // The arrays share the snapshot: a capsule owns it until the last array goes.
    const py::capsule owner(new std::shared_ptr<model::EmployeeState>(state), [](void* p) {
      delete static_cast<std::shared_ptr<model::EmployeeState>*>(p);
    });
    const auto n = static_cast<py::ssize_t>(state->headcount);
    const auto m = static_cast<py::ssize_t>(state->dimensions);
    py::dict out;
    out["firm"] = simulation_.firm_names()[f];
    out["period"] = simulation_.period();
    out["beliefs"] = read_only(state->beliefs, {n, m}, owner);
    out["code"] = read_only(state->code, {m}, owner);
    out["performance"] = read_only(state->performance, {n}, owner);
    out["output"] = read_only(state->output, {n}, owner);
    out["autonomy"] = read_only(state->autonomy, {n}, owner);
    out["role"] = read_only(state->role, {n}, owner);
    out["team"] = read_only(state->team, {n}, owner);
    out["pressure"] = read_only(state->pressure, {n}, owner);
    return out;
  }

  py::dict observe() const {
    const auto observed = simulation_.observe();
    py::dict out;
    const auto& info = model::quantity_info();
    for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
      py::array_t<double> values(static_cast<py::ssize_t>(observed.size()));
      auto view = values.mutable_unchecked<1>();
      for (std::size_t f = 0; f < observed.size(); ++f) {
        view(static_cast<py::ssize_t>(f)) = observed[f].values[q];
      }
      out[py::str(std::string(info[q].name))] = values;
    }
    return out;
  }

  py::array_t<std::int8_t> reality() const {
    const auto values = model::reality_values(simulation_.reality());
    py::array_t<std::int8_t> array(static_cast<py::ssize_t>(values.size()), values.data());
    array.attr("flags").attr("writeable") = false;
    return array;
  }

  const model::Simulation& simulation() const { return simulation_; }
  std::uint64_t seed() const { return seed_; }
  std::uint64_t replication() const { return replication_; }

 private:
  model::ModelParams params_;
  std::uint64_t seed_;
  std::uint64_t replication_;
  std::unique_ptr<model::LeaderRule> rule_;  // before simulation_, which points to it
  model::Simulation simulation_;
};

}  // namespace

void bind_simulation(py::module_& module) {
  py::class_<SimulationHandle>(module, "SimulationHandle")
      .def(py::init<const ScenarioSource&, std::optional<std::uint64_t>, std::uint64_t,
                    const py::object&>(),
           py::arg("scenario"), py::arg("seed"), py::arg("replication"), py::arg("leader_policy"))
      .def("step", &SimulationHandle::step, py::arg("periods"))
      .def("run_to_end", &SimulationHandle::run_to_end)
      .def("employees", &SimulationHandle::employees, py::arg("firm"))
      .def("observe", &SimulationHandle::observe)
      .def("reality", &SimulationHandle::reality)
      .def_property_readonly("period",
                             [](const SimulationHandle& s) { return s.simulation().period(); })
      .def_property_readonly("finished",
                             [](const SimulationHandle& s) { return s.simulation().finished(); })
      .def_property_readonly("firm_names",
                             [](const SimulationHandle& s) { return s.simulation().firm_names(); })
      .def_property_readonly("seed", &SimulationHandle::seed)
      .def_property_readonly("replication", &SimulationHandle::replication);
}

}  // namespace orgsim::python
