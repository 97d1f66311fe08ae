#pragma once
// A snapshot of one firm's employees at the current period, as plain arrays (one value per
// employee, or per employee and dimension), for a trace to write or a Python binding to
// expose as numpy arrays without copying. Taken after a period has run (Simulation::advance):
//
//   beliefs      headcount x dimensions, row-major, int8 in {-1, 0, +1}
//   code         dimensions, int8 in {-1, 0, +1}
//   performance  P_i = score(action_i) of this period's action (EmployeeTable)
//   output       y_i of this period (0 for explorers)
//   autonomy     a_i
//   role         0 producer, 1 explorer (model::Role)
//   team         the team a producer is in: place / span_of_control (Firm::team); -1 for
//                explorers
//   pressure     the pressure of a producer's team manager (Manager::pressure); NaN for
//                explorers, who have no manager (the model lets them socialise as under a
//                neutral pressure of 0.5, Firm.cpp's kExplorerPressure)
//
// Employees hired by resource feedback at the end of the period (step 9) have not acted
// yet: their performance and output are 0. Employees are in place order, the order the
// firm keeps them in; a lay-off moves the last place's employee into the freed place, so a
// place is not a person over time.

#include <cstdint>
#include <vector>

#include "orgsim/model/Firm.h"
#include "orgsim/model/Reality.h"

namespace orgsim::model {

struct EmployeeState {
  int headcount = 0;
  int dimensions = 0;
  std::vector<std::int8_t> beliefs;  ///< headcount x dimensions, row-major
  std::vector<std::int8_t> code;     ///< dimensions
  std::vector<std::int32_t> performance;
  std::vector<double> output;
  std::vector<double> autonomy;
  std::vector<std::uint8_t> role;
  std::vector<std::int32_t> team;
  std::vector<double> pressure;

  /// Employee `employee`'s belief on dimension `dimension`.
  std::int8_t belief(int employee, int dimension) const {
    return beliefs[static_cast<std::size_t>(employee) * static_cast<std::size_t>(dimensions) +
                   static_cast<std::size_t>(dimension)];
  }
};

/// The employees of `firm` as they stand now.
EmployeeState snapshot(const Firm& firm);
/// The same into `out`, reusing its memory (no allocation once it has grown).
void snapshot(const Firm& firm, EmployeeState& out);

/// A belief vector of `dimensions` as int8 values in {-1, 0, +1}, into out[0, dimensions).
void unpack_beliefs(BeliefView view, int dimensions, std::int8_t* out);

/// Reality as int8 values in {-1, +1}.
std::vector<std::int8_t> reality_values(const Reality& reality);

}  // namespace orgsim::model
