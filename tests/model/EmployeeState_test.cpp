#include "orgsim/model/EmployeeState.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "orgsim/model/Streams.h"

using namespace orgsim;
using namespace orgsim::model;

namespace {

using Bytes = std::vector<std::int8_t>;

// Five employees in teams of two, four dimensions, managers at pressure 0.3.
Firm make_firm() {
  GroupParams params;
  params.firm.employees = 5;
  params.firm.span_of_control = 2;
  params.manager.pressure = 0.3;
  return Firm("test", params, 4, make_firm_streams(5, 0, firm_key("test", 0)));
}

Reality all_positive(int dimensions) {
  return Reality(dimensions, std::vector<Word>(1, ~Word{0}));
}

}  // namespace

TEST_CASE("a snapshot gives every employee's beliefs as int8 rows and the code", "[employees]") {
  Firm firm = make_firm();
  firm.set_state({{1, 0, -1, 1}, {-1, -1, -1, -1}, {0, 0, 0, 0}, {1, 1, 1, 1}, {0, 1, 0, -1}},
                 {1, 0, -1, 0});
  const EmployeeState state = snapshot(firm);
  CHECK(state.headcount == 5);
  CHECK(state.dimensions == 4);
  REQUIRE(state.beliefs.size() == 20);
  CHECK(Bytes(state.beliefs.begin(), state.beliefs.begin() + 4) == Bytes{1, 0, -1, 1});
  CHECK(Bytes(state.beliefs.begin() + 4, state.beliefs.begin() + 8) == Bytes{-1, -1, -1, -1});
  CHECK(Bytes(state.beliefs.begin() + 8, state.beliefs.begin() + 12) == Bytes{0, 0, 0, 0});
  CHECK(Bytes(state.beliefs.begin() + 16, state.beliefs.end()) == Bytes{0, 1, 0, -1});
  CHECK(state.belief(3, 2) == 1);
  CHECK(state.code == Bytes{1, 0, -1, 0});
}

TEST_CASE(
    "a snapshot gives roles, teams by place, the managers' pressure and this period's "
    "performance",
    "[employees]") {
  Firm firm = make_firm();
  // No 0 beliefs: acting is deterministic.
  firm.set_state({{1, 1, -1, 1}, {-1, -1, -1, -1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, -1, 1, -1}},
                 {0, 0, 0, 0});
  firm.set_role(2, Role::explorer);
  firm.act(all_positive(4));
  const EmployeeState state = snapshot(firm);
  CHECK(state.role == std::vector<std::uint8_t>{0, 0, 1, 0, 0});
  // Place i is in team i / 2 while it produces; the explorer in place 2 in none.
  CHECK(state.team == std::vector<std::int32_t>{0, 0, -1, 1, 2});
  CHECK(state.pressure[0] == 0.3);
  CHECK(state.pressure[4] == 0.3);
  CHECK(std::isnan(state.pressure[2]));
  CHECK(state.performance == std::vector<std::int32_t>{2, -4, 4, 4, 0});
  CHECK(state.output[0] == Approx(0.75));
  CHECK(state.output[2] == 0.0);  // explorers produce nothing
  CHECK(state.output[4] == Approx(0.5));
  CHECK(state.autonomy == std::vector<double>(5, 0.0));
}

TEST_CASE("a snapshot into a used one fits it to the new headcount", "[employees]") {
  EmployeeState state;
  state.beliefs.assign(1000, 7);
  state.team.assign(300, 7);
  snapshot(make_firm(), state);
  CHECK(state.beliefs.size() == 20);
  CHECK(state.team.size() == 5);
  for (auto value : state.beliefs) CHECK((value >= -1 && value <= 1));
}

TEST_CASE("reality as int8 values", "[employees]") {
  const Reality reality(5, std::vector<Word>{0b10110});
  CHECK(reality_values(reality) == Bytes{-1, 1, 1, -1, 1});
}
