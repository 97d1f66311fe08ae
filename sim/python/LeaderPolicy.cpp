#include "LeaderPolicy.h"

#include <pybind11/stl.h>

#include <sstream>
#include <string>

#include "Bindings.h"

namespace py = pybind11;

namespace orgsim::python {

std::unique_ptr<model::LeaderRule> python_leader_rule(const py::object& callable) {
  if (callable.is_none()) return nullptr;
  if (!PyCallable_Check(callable.ptr())) {
    throw py::type_error(
        "leader_policy must be a function taking an orgsim.LeaderView and "
        "returning the exploration share, got " +
        std::string(py::str(py::type::of(callable).attr("__name__"))));
  }
  return std::make_unique<model::LeaderRule>([callable](const model::LeaderView& view) {
    const py::gil_scoped_acquire gil;
    const py::object answer = callable(py::cast(view, py::return_value_policy::copy));
    const double share = PyFloat_AsDouble(answer.ptr());
    if (share == -1.0 && PyErr_Occurred()) {
      PyErr_Clear();
      std::ostringstream message;
      message << "leader_policy returned " << std::string(py::repr(answer)) << " for firm '"
              << view.name << "' at period " << view.period
              << "; return the exploration share, a number between " << view.min_share << " and "
              << view.max_share;
      PyErr_SetString(PyExc_TypeError, message.str().c_str());
      throw py::error_already_set();
    }
    return share;
  });
}

void bind_leader_policy(py::module_& module) {
  py::class_<model::LeaderView>(module, "LeaderView",
                                "What a leader sees at the end of a leader cycle (step 8): the "
                                "argument of a leader policy written in Python")
      .def_readonly("period", &model::LeaderView::period, "the period now ending")
      .def_readonly("firm", &model::LeaderView::firm, "the firm's index in industry order")
      .def_readonly("name", &model::LeaderView::name, "the firm's name")
      .def_readonly("innovation", &model::LeaderView::innovation,
                    "I_f now: the share of reality's dimensions the code gets right, in [0, 1]")
      .def_readonly("output", &model::LeaderView::output, "Y_f this period (output units)")
      .def_readonly("explorers", &model::LeaderView::explorers,
                    "people in exploration now, before this decision")
      .def_readonly("headcount", &model::LeaderView::headcount, "employees now")
      .def_readonly("explore_share", &model::LeaderView::explore_share,
                    "x_f now, before this decision")
      .def_readonly("min_share", &model::LeaderView::min_share,
                    "leader.min_share: the answer is clipped to [min_share, max_share]")
      .def_readonly("max_share", &model::LeaderView::max_share, "leader.max_share")
      .def_readonly("rival_innovation", &model::LeaderView::rival_innovation,
                    "the other firms' I_f now, in industry order")
      .def_readonly("rival_market_share", &model::LeaderView::rival_market_share,
                    "the other firms' market shares of the last period's market step")
      .def_readonly("market_share", &model::LeaderView::market_share,
                    "the firm's own market share of the last period's market step (0 at "
                    "period 1)")
      .def("__repr__", [](const model::LeaderView& view) {
        return "LeaderView(period=" + std::to_string(view.period) + ", name='" + view.name +
               "', innovation=" + std::to_string(view.innovation) +
               ", explore_share=" + std::to_string(view.explore_share) +
               ", headcount=" + std::to_string(view.headcount) + ")";
      });
}

}  // namespace orgsim::python
