#include "orgsim/model/LeaderRule.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "orgsim/core/Error.h"
#include "orgsim/model/ParameterTable.h"
#include "orgsim/model/Simulation.h"

using namespace orgsim;
using namespace orgsim::model;

namespace {

// A race: one empowered focal firm with `policy` against three value-policy rivals, with
// turbulence, resource feedback and (with `patience`) a board.
ModelParams race(LeaderPolicy policy, int patience = 0) {
  ModelParams params;
  params.run.periods = 120;
  params.env.turbulence = 0.03;
  params.firm.coordination_cost = 0.2;
  params.market.resource_feedback = 0.02;
  params.market.min_headcount = 10;
  params.board.patience = patience;
  params.leader.policy = LeaderPolicy::value;
  params.leader.explore_share = 0.1;
  FirmGroup focal{"focal", 1, params};
  focal.params.leader.policy = policy;
  focal.params.firm.experiment_rate = 0.2;
  focal.params.firm.autonomy.distribution = AutonomyDistribution::beta;
  focal.params.firm.autonomy.mean = 0.65;
  params.groups = {focal, FirmGroup{"rivals", 3, params}};
  return params;
}

// Every firm's observations, period after period.
std::vector<Observation> trajectory(const ModelParams& params, const LeaderRule* rule = nullptr) {
  Simulation simulation(params, 7, 2, rule);
  std::vector<Observation> observations;
  while (!simulation.finished()) {
    simulation.advance();
    simulation.observe(observations);
  }
  return observations;
}

void require_same(const std::vector<Observation>& a, const std::vector<Observation>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    INFO("observation " << k);
    REQUIRE(a[k].values == b[k].values);
  }
}

}  // namespace

TEST_CASE("leader.policy = python is the external policy, named in the parameter table",
          "[leader_rule]") {
  ModelParams params;
  assign_parameter(params, "leader.policy", "python", "test");
  CHECK(params.leader.policy == LeaderPolicy::external);
  CHECK(uses_leader_rule(params));
  CHECK_FALSE(uses_leader_rule(race(LeaderPolicy::fixed)));
  CHECK(uses_leader_rule(race(LeaderPolicy::external)));
  const ParameterSpec* spec = find_parameter("leader.policy");
  REQUIRE(spec != nullptr);
  CHECK(spec->range_text() == "fixed | value | relative | python");
  CHECK(spec->meaning.find("python: a Python function passed to orgsim.run / "
                           "orgsim.Simulation (see docs/python.md); the command line "
                           "refuses it") != std::string::npos);
}

TEST_CASE("a simulation with the python policy and no rule is a ConfigError", "[leader_rule]") {
  const ModelParams params = race(LeaderPolicy::external);
  try {
    Simulation simulation(params, 1, 0);
    FAIL("constructed without a rule");
  } catch (const ConfigError& error) {
    CHECK(std::string(error.what()) == kLeaderRuleMissing);
  }
  // Other policies need none, and ignore one given.
  const LeaderRule rule = [](const LeaderView&) -> double { throw std::logic_error("called"); };
  Simulation plain(race(LeaderPolicy::value), 1, 0, &rule);
  while (!plain.finished()) plain.advance();
}

TEST_CASE("a rule keeping the current share reproduces the fixed policy to the bit",
          "[leader_rule]") {
  int calls = 0;
  const LeaderRule keep = [&calls](const LeaderView& view) {
    ++calls;
    return view.explore_share;
  };
  require_same(trajectory(race(LeaderPolicy::external), &keep),
               trajectory(race(LeaderPolicy::fixed)));
  CHECK(calls == 12);  // the focal firm's cycle ends: periods 10, 20, .., 120

  // With a board, fixed returns to explore_share after a replacement: so does this rule.
  const LeaderRule baseline = [](const LeaderView&) { return 0.1; };
  const std::vector<Observation> with_board = trajectory(race(LeaderPolicy::fixed, 1));
  require_same(trajectory(race(LeaderPolicy::external, 1), &baseline), with_board);
  CHECK(with_board.back()[Quantity::leader_changes] > 0);  // the board did act
}

TEST_CASE("the view is the state at step 8: shares from the last period's market step",
          "[leader_rule]") {
  ModelParams params = race(LeaderPolicy::external);
  params.groups[0].params.leader.min_share = 0.05;
  params.groups[0].params.leader.max_share = 0.4;
  std::vector<LeaderView> views;
  const LeaderRule rule = [&views](const LeaderView& view) {
    views.push_back(view);
    return view.explore_share + 0.05;
  };
  Simulation simulation(params, 7, 2, &rule);
  std::vector<std::vector<Observation>> observed = {simulation.observe()};  // period 0
  while (!simulation.finished()) {
    const std::size_t before = views.size();
    simulation.advance();
    observed.push_back(simulation.observe());
    if (views.size() == before) continue;
    REQUIRE(views.size() == before + 1);
    const LeaderView& view = views.back();
    const int t = simulation.period();
    INFO("period " << t);
    CHECK(view.period == t);
    CHECK(t % 10 == 0);
    CHECK(view.firm == 0);
    CHECK(view.name == "focal");
    CHECK(view.min_share == 0.05);
    CHECK(view.max_share == 0.4);
    const std::vector<Observation>& now = observed[static_cast<std::size_t>(t)];
    const std::vector<Observation>& last = observed[static_cast<std::size_t>(t) - 1];
    CHECK(view.innovation == now[0][Quantity::innovation]);
    CHECK(view.output == now[0][Quantity::output]);
    CHECK(view.market_share == last[0][Quantity::market_share]);
    REQUIRE(view.rival_innovation.size() == 3);
    REQUIRE(view.rival_market_share.size() == 3);
    for (std::size_t g = 0; g < 3; ++g) {
      CHECK(view.rival_innovation[g] == now[g + 1][Quantity::innovation]);
      CHECK(view.rival_market_share[g] == last[g + 1][Quantity::market_share]);
    }
    // Before this decision: the firm as it stood after the last one.
    CHECK(view.headcount == static_cast<int>(last[0][Quantity::headcount]));
    CHECK(view.explorers ==
          static_cast<int>(std::lround(last[0][Quantity::explore_share] * view.headcount)));
  }
  REQUIRE(views.size() == 12);
  // 0.1 at the start, one 0.05 step per cycle up to the ceiling.
  CHECK(views[0].explore_share == Approx(0.1));
  CHECK(views[1].explore_share == Approx(0.15));
  CHECK(views.back().explore_share == 0.4);
}

TEST_CASE("what the rule returns is clipped to [min_share, max_share]", "[leader_rule]") {
  ModelParams params = race(LeaderPolicy::external);
  params.groups[0].params.leader.min_share = 0.02;
  params.groups[0].params.leader.max_share = 0.3;
  double answer = 7.0;
  const LeaderRule rule = [&answer](const LeaderView&) { return answer; };
  Simulation simulation(params, 3, 0, &rule);
  for (int t = 0; t < 10; ++t) simulation.advance();
  CHECK(simulation.firms()[0].leader().explore_share() == 0.3);
  answer = -1.0;
  for (int t = 0; t < 10; ++t) simulation.advance();
  CHECK(simulation.firms()[0].leader().explore_share() == 0.02);
  answer = 0.25;
  for (int t = 0; t < 10; ++t) simulation.advance();
  CHECK(simulation.firms()[0].leader().explore_share() == 0.25);
}

TEST_CASE("a rule returning NaN or an infinity is a RuleError naming firm, period and range",
          "[leader_rule]") {
  for (const auto& [value, text] : {std::pair{std::numeric_limits<double>::quiet_NaN(), "nan"},
                                    std::pair{std::numeric_limits<double>::infinity(), "inf"},
                                    std::pair{-std::numeric_limits<double>::infinity(), "-inf"}}) {
    ModelParams params = race(LeaderPolicy::external);
    params.groups[0].params.leader.cycle = 20;
    const LeaderRule rule = [value = value](const LeaderView&) { return value; };
    Simulation simulation(params, 1, 0, &rule);
    for (int t = 1; t < 20; ++t) simulation.advance();
    try {
      simulation.advance();
      FAIL("no RuleError");
    } catch (const RuleError& error) {
      CHECK(std::string(error.what()) ==
            std::string("leader.policy = python: the function returned ") + text +
                " for firm 'focal' at period 20; return a number between 0 and 0.5");
    }
  }
  static_assert(std::is_base_of_v<std::runtime_error, RuleError>);
}

TEST_CASE("the rule's own exception comes out of advance unchanged", "[leader_rule]") {
  struct Mine {
    int code;
  };
  const LeaderRule rule = [](const LeaderView& view) -> double {
    if (view.period == 30) throw Mine{42};
    return 0.2;
  };
  Simulation simulation(race(LeaderPolicy::external), 1, 0, &rule);
  for (int t = 1; t < 30; ++t) simulation.advance();
  try {
    simulation.advance();
    FAIL("no exception");
  } catch (const Mine& mine) {
    CHECK(mine.code == 42);
  }
}

TEST_CASE("with the python policy the board still replaces the leader, in range", "[leader_rule]") {
  ModelParams params;
  params.run.periods = 20;
  params.board.patience = 2;
  params.leader.cycle = 5;
  params.leader.min_share = 0.1;
  params.leader.max_share = 0.3;
  FirmGroup hopeless{"hopeless", 1, params};
  hopeless.params.firm.code_learning = 0.0;  // innovation stays 0: last every cycle
  hopeless.params.firm.socialization = 0.0;
  hopeless.params.leader.policy = LeaderPolicy::external;
  params.groups = {hopeless, FirmGroup{"others", 2, params}};
  std::vector<double> seen;
  const LeaderRule keep = [&seen](const LeaderView& view) {
    seen.push_back(view.explore_share);
    return view.explore_share;
  };
  Simulation simulation(params, 3, 0, &keep);
  std::vector<double> shares;
  while (!simulation.finished()) {
    simulation.advance();
    shares.push_back(simulation.firms()[0].leader().explore_share());
  }
  CHECK(simulation.firms()[0].leader_changes() == 2);  // at 10 and 20, as in Simulation_test
  REQUIRE(seen.size() == 4);                           // periods 5, 10, 15, 20
  CHECK(seen[0] == 0.1);
  CHECK(seen[1] == 0.1);
  // Replaced at 10 after the rule's decision: the rule sees the board's draw at 15.
  CHECK(seen[2] == shares[9]);
  CHECK(seen[2] != 0.1);
  for (const double share : shares) {
    CHECK(share >= 0.1);
    CHECK(share <= 0.3);
  }
}
