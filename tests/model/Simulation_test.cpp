#include "orgsim/model/Simulation.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>

using namespace orgsim::model;

namespace {

ModelParams march(double p1, double p2) {
  ModelParams params;
  params.firm.socialization = p1;
  params.firm.code_learning = p2;
  params.run.stop = StopRule::equilibrium;
  return params;
}

std::vector<double> code_scores(const ModelParams& params, std::uint64_t seed,
                                std::uint64_t replication) {
  Simulation simulation(params, seed, replication);
  std::vector<double> scores;
  while (!simulation.finished()) {
    simulation.advance();
    scores.push_back(simulation.observe()[0][Quantity::code_score]);
  }
  return scores;
}

}  // namespace

TEST_CASE("a run is a function of (params, seed, replication)", "[simulation]") {
  const ModelParams params = march(0.5, 0.5);
  CHECK(code_scores(params, 1, 0) == code_scores(params, 1, 0));
  CHECK(code_scores(params, 1, 0) != code_scores(params, 2, 0));
  CHECK(code_scores(params, 1, 0) != code_scores(params, 1, 1));
}

TEST_CASE("an equilibrium run stops once the firm is settled and not before", "[simulation]") {
  const ModelParams params = march(0.9, 0.9);
  Simulation simulation(params, 3, 0);
  while (!simulation.finished()) {
    REQUIRE_FALSE(simulation.firms()[0].settled(simulation.reality()));
    simulation.advance();
  }
  CHECK(simulation.firms()[0].settled(simulation.reality()));
  CHECK(simulation.period() < params.run.max_periods);
}

TEST_CASE("beliefs wider than one machine word learn and settle like narrow ones", "[simulation]") {
  // Multi-word vectors with a partial last word must still reach March's equilibrium.
  // (The equilibrium score itself falls with m: the superior group is chosen on the whole
  // score, so each dimension's vote carries less signal. Firm_test checks one period
  // exactly against a direct implementation at these widths.)
  ModelParams params = march(0.9, 0.9);
  params.env.dimensions = GENERATE(65, 130, 1024);
  Simulation simulation(params, 5, 0);
  while (!simulation.finished()) simulation.advance();
  CHECK(simulation.period() < params.run.max_periods);
  CHECK(simulation.firms()[0].settled(simulation.reality()));
}

TEST_CASE("max_periods guards an equilibrium run", "[simulation]") {
  ModelParams params = march(0.1, 0.1);
  params.run.max_periods = 3;
  Simulation simulation(params, 3, 0);
  while (!simulation.finished()) simulation.advance();
  CHECK(simulation.period() == 3);
}

TEST_CASE("a fixed-horizon run lasts run.periods", "[simulation]") {
  ModelParams params;
  params.run.periods = 17;
  params.env.turbulence = 0.1;
  params.firm.turnover = 0.1;
  Simulation simulation(params, 1, 0);
  while (!simulation.finished()) simulation.advance();
  CHECK(simulation.period() == 17);
  CHECK(simulation.summarise()[0].periods_run == 17);
}

TEST_CASE("a single firm holds the whole market and leads nobody", "[simulation]") {
  ModelParams params;
  params.run.periods = 5;
  Simulation simulation(params, 1, 0);
  while (!simulation.finished()) simulation.advance();
  const auto observation = simulation.observe()[0];
  CHECK(observation[Quantity::market_share] == 1.0);
  CHECK(observation[Quantity::lead] == 0.0);
  CHECK(observation[Quantity::innovation_lead] == 0.0);
  CHECK(observation[Quantity::rank] == 1.0);
  const auto summary = simulation.summarise()[0];
  CHECK(summary.share_periods_lead == 0.0);
  CHECK(std::isnan(summary.first_period_lead));
}

TEST_CASE("turbulence erodes a settled code's accuracy", "[simulation]") {
  // March (1991), Figure 6's premise: without turnover, a changing world makes the code
  // stale. Compare mean innovation after 400 periods with and without turbulence.
  auto mean_innovation = [](double turbulence) {
    ModelParams params;
    params.run.periods = 400;
    params.env.turbulence = turbulence;
    double sum = 0;
    for (std::uint64_t r = 0; r < 40; ++r) {
      Simulation simulation(params, 9, r);
      while (!simulation.finished()) simulation.advance();
      sum += simulation.observe()[0][Quantity::innovation];
    }
    return sum / 40;
  };
  CHECK(mean_innovation(0.02) < mean_innovation(0.0) - 0.1);
}

namespace {

ModelParams race(int rivals) {
  ModelParams params;
  params.run.periods = 60;
  params.env.turbulence = 0.02;
  params.leader.policy = LeaderPolicy::value;
  FirmGroup focal{"focal", 1, params};
  focal.params.firm.autonomy.distribution = AutonomyDistribution::beta;
  focal.params.firm.autonomy.mean = 0.65;
  focal.params.firm.experiment_rate = 0.2;
  params.groups.push_back(focal);
  if (rivals > 0) params.groups.push_back(FirmGroup{"rivals", rivals, params});
  return params;
}

}  // namespace

TEST_CASE("adding rivals leaves the focal firm's trajectory unchanged (common random numbers)",
          "[simulation]") {
  // With resource feedback and the board off, firms meet only in the market, and a firm's
  // streams are named by its group and index: the focal firm must not notice its rivals.
  for (std::uint64_t replication = 0; replication < 3; ++replication) {
    Simulation alone(race(0), 4, replication);
    Simulation crowded(race(4), 4, replication);
    REQUIRE(crowded.firms().size() == 5);
    while (!alone.finished()) {
      alone.advance();
      crowded.advance();
      const auto a = alone.observe()[0];
      const auto b = crowded.observe()[0];
      for (Quantity q : {Quantity::innovation, Quantity::code_score, Quantity::mean_knowledge,
                         Quantity::output, Quantity::explore_share, Quantity::mean_pressure,
                         Quantity::diversity, Quantity::headcount}) {
        REQUIRE(a[q] == b[q]);
      }
    }
  }
}

TEST_CASE("firms are named by group, and the leads and ranks are relative to rivals",
          "[simulation]") {
  Simulation simulation(race(4), 2, 0);
  CHECK(simulation.firm_names() ==
        std::vector<std::string>{"focal", "rivals-1", "rivals-2", "rivals-3", "rivals-4"});
  while (!simulation.finished()) simulation.advance();
  const auto observations = simulation.observe();
  double share_sum = 0.0;
  double best = 0.0;
  for (const auto& o : observations) {
    share_sum += o[Quantity::market_share];
    best = std::max(best, o[Quantity::market_share]);
  }
  CHECK(share_sum == Approx(1.0));
  for (const auto& o : observations) {
    CHECK((o[Quantity::rank] == 1) == (o[Quantity::market_share] == best));
    CHECK((o[Quantity::lead] > 0) == (o[Quantity::rank] == 1));
  }
}

TEST_CASE("resource feedback conserves the industry's headcount and respects the floor",
          "[simulation]") {
  ModelParams params = race(4);
  params.market.resource_feedback = 0.02;
  params.market.min_headcount = 30;
  params.run.periods = 150;
  Simulation simulation(params, 8, 0);
  const int initial = 250;
  bool moved = false;
  bool floor_reached = false;
  int conserved_periods = 0;
  while (!simulation.finished()) {
    simulation.advance();
    int total = 0;
    double debt = 0.0;
    for (const auto& firm : simulation.firms()) {
      REQUIRE(firm.headcount() >= 30);
      total += firm.headcount();
      debt += firm.resource_accumulator();
      floor_reached = floor_reached || firm.headcount() == 30;
      moved = moved || firm.headcount() != 50;
    }
    // Every hire is matched by debt accrued elsewhere: N + sum of accumulators = N0 exactly,
    // each accumulator stays in (-1, 1), so N is within 5 (the number of firms) of N0 --
    // until a firm at the floor stops shedding and its debt is capped.
    if (floor_reached) continue;
    ++conserved_periods;
    REQUIRE(total + debt == Approx(initial).margin(1e-6));
    REQUIRE(std::abs(total - initial) < 5);
  }
  CHECK(moved);
  CHECK(conserved_periods > 20);
}

TEST_CASE("the board replaces the leader of a firm that stays last", "[simulation]") {
  ModelParams params;
  params.run.periods = 20;
  params.board.patience = 2;
  params.leader.cycle = 5;
  FirmGroup hopeless{"hopeless", 1, params};
  hopeless.params.firm.code_learning = 0.0;  // its code never learns: innovation stays 0
  hopeless.params.firm.socialization = 0.0;
  params.groups = {hopeless, FirmGroup{"others", 2, params}};
  Simulation simulation(params, 3, 0);
  std::vector<double> changes;
  while (!simulation.finished()) {
    simulation.advance();
    changes.push_back(simulation.observe()[0][Quantity::leader_changes]);
  }
  // Last at the cycle ends of periods 5 and 10: replaced at 10; again at 20.
  CHECK(changes[8] == 0);
  CHECK(changes[9] == 1);
  CHECK(changes[18] == 1);
  CHECK(changes[19] == 2);
  CHECK(simulation.observe()[1][Quantity::leader_changes] == 0);
}

namespace {

// The race with resource feedback (hires and lay-offs), turnover, and firm-level settings
// changed in every group.
template <class F>
ModelParams moving_race(F&& firm_settings) {
  ModelParams params = race(4);
  params.market.resource_feedback = 0.05;
  params.market.min_headcount = 20;
  params.run.periods = 80;
  firm_settings(params.firm);
  for (auto& group : params.groups) {
    group.params.firm.turnover = 0.02;
    firm_settings(group.params.firm);
  }
  return params;
}

std::vector<Observation> trajectory(const ModelParams& params, std::uint64_t replication) {
  Simulation simulation(params, 9, replication);
  std::vector<Observation> all;
  while (!simulation.finished()) {
    simulation.advance();
    simulation.observe(all);
  }
  return all;
}

bool same_bytes(const std::vector<Observation>& a, const std::vector<Observation>& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(Observation)) == 0;
}

}  // namespace

TEST_CASE("with peer_learning = 0 the cross rate changes nothing", "[simulation][peer]") {
  for (std::uint64_t replication = 0; replication < 3; ++replication) {
    const auto reference = trajectory(moving_race([](FirmParams&) {}), replication);
    for (double lambda : {0.0, 1.0, 7.5, 100.0}) {
      INFO("lambda " << lambda << ", replication " << replication);
      const auto other = trajectory(
          moving_race([lambda](FirmParams& f) { f.peer.cross_rate = lambda; }), replication);
      CHECK(same_bytes(reference, other));
    }
    for (const auto& observation : reference) CHECK(observation[Quantity::peer_adoptions] == 0.0);
  }
}

TEST_CASE("the peer network follows headcount through hires and lay-offs", "[simulation][peer]") {
  const ModelParams params = moving_race([](FirmParams& f) {
    f.peer_learning = 0.2;
    f.peer.cross_rate = 1.5;
  });
  Simulation simulation(params, 10, 0);
  bool changed = false;
  double adoptions = 0.0;
  while (!simulation.finished()) {
    simulation.advance();
    for (const auto& firm : simulation.firms()) {
      const PeerNetwork& network = firm.peer_network();
      REQUIRE(network.positions() == firm.headcount());
      changed = changed || firm.headcount() != 50;
      const int s = network.block_size();
      for (int p = 0; p < network.positions(); ++p) {
        const auto list = network.neighbours(p);
        for (int k : list) REQUIRE(k < network.positions());
        // Every place keeps its block's ties.
        for (int q = p / s * s; q < std::min(p / s * s + s, network.positions()); ++q) {
          if (q != p) REQUIRE(std::binary_search(list.begin(), list.end(), q));
        }
      }
    }
    for (const auto& observation : simulation.observe()) {
      adoptions += observation[Quantity::peer_adoptions];
    }
  }
  CHECK(changed);
  CHECK(adoptions > 0.0);
}
