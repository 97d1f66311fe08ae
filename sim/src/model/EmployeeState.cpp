#include "orgsim/model/EmployeeState.h"

#include <limits>

namespace orgsim::model {

void unpack_beliefs(BeliefView view, int dimensions, std::int8_t* out) {
  for (int j = 0; j < dimensions; ++j) {
    const Word bit = Word{1} << (j % 64);
    const bool known = (view.known[j / 64] & bit) != 0;
    const bool positive = (view.positive[j / 64] & bit) != 0;
    out[j] = static_cast<std::int8_t>(known ? (positive ? 1 : -1) : 0);
  }
}

void snapshot(const Firm& firm, EmployeeState& out) {
  const int n = firm.headcount();
  const int m = firm.dimensions();
  const auto rows = static_cast<std::size_t>(n);
  out.headcount = n;
  out.dimensions = m;
  out.beliefs.resize(rows * static_cast<std::size_t>(m));
  out.code.resize(static_cast<std::size_t>(m));
  out.performance.resize(rows);
  out.output.resize(rows);
  out.autonomy.resize(rows);
  out.role.resize(rows);
  out.team.resize(rows);
  out.pressure.resize(rows);
  unpack_beliefs(firm.code(), m, out.code.data());
  const std::vector<Manager>& managers = firm.managers();
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    unpack_beliefs(firm.beliefs(i), m, out.beliefs.data() + k * static_cast<std::size_t>(m));
    out.performance[k] = firm.performance(i);
    out.output[k] = firm.employee_output(i);
    out.autonomy[k] = firm.autonomy(i);
    const bool explorer = firm.role(i) == Role::explorer;
    out.role[k] = static_cast<std::uint8_t>(firm.role(i));
    out.team[k] = explorer ? -1 : firm.team(i);
    out.pressure[k] = explorer ? std::numeric_limits<double>::quiet_NaN()
                               : managers[static_cast<std::size_t>(firm.team(i))].pressure();
  }
}

EmployeeState snapshot(const Firm& firm) {
  EmployeeState state;
  snapshot(firm, state);
  return state;
}

std::vector<std::int8_t> reality_values(const Reality& reality) {
  std::vector<std::int8_t> values(static_cast<std::size_t>(reality.dimensions()));
  for (int j = 0; j < reality.dimensions(); ++j) {
    const bool positive = (reality.positive()[j / 64] >> (j % 64)) & 1;
    values[static_cast<std::size_t>(j)] = static_cast<std::int8_t>(positive ? 1 : -1);
  }
  return values;
}

}  // namespace orgsim::model
