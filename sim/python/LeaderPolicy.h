#pragma once
// A leader policy written in Python (leader.policy = python): a callable that takes an
// orgsim.LeaderView and returns the new exploration share, wrapped as the model's
// LeaderRule. The engine calls it from its worker threads; each call takes the GIL.

#include <pybind11/pybind11.h>

#include <memory>

#include "orgsim/model/LeaderRule.h"

namespace orgsim::python {

/// The rule that calls `callable` (None: no rule, nullptr). TypeError for an object that is
/// not callable. The returned rule holds a reference to `callable`: destroy it with the GIL.
std::unique_ptr<model::LeaderRule> python_leader_rule(const pybind11::object& callable);

}  // namespace orgsim::python
