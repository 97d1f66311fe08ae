#include "orgsim/model/Firm.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "orgsim/model/Streams.h"

using namespace orgsim;
using namespace orgsim::model;

namespace {

ModelParams small_params(int employees, int dimensions) {
  ModelParams params;
  params.firm.employees = employees;
  params.env.dimensions = dimensions;
  return params;
}

Firm make_firm(const ModelParams& params, std::uint64_t replication = 0) {
  return Firm("test", params, params.env.dimensions,
              make_firm_streams(77, replication, firm_key("test", 0)));
}

// Reality with every dimension +1.
Reality all_positive(int dimensions) {
  return Reality(dimensions,
                 std::vector<Word>(static_cast<std::size_t>(words_for(dimensions)), ~Word{0}));
}

std::vector<int> values_of(BeliefView view, int dimensions) {
  std::vector<int> values;
  for (int j = 0; j < dimensions; ++j) {
    const bool known = (view.known[j / 64] >> (j % 64)) & 1;
    const bool positive = (view.positive[j / 64] >> (j % 64)) & 1;
    values.push_back(known ? (positive ? 1 : -1) : 0);
  }
  return values;
}

}  // namespace

TEST_CASE("hires draw each belief value with probability 1/3", "[firm]") {
  const Firm firm = make_firm(small_params(1000, 30));
  std::vector<long> counts(3, 0);
  for (int i = 0; i < 1000; ++i) {
    for (int value : values_of(firm.beliefs(i), 30)) ++counts[static_cast<std::size_t>(value + 1)];
  }
  // Binomial(30000, 1/3): sd 82.
  for (long count : counts) CHECK(std::abs(count - 10000) < 5 * 82);
  CHECK(values_of(firm.code(), 30) == std::vector<int>(30, 0));
}

TEST_CASE("autonomy follows the configured distribution", "[firm]") {
  ModelParams params = small_params(20000, 8);
  SECTION("fixed") {
    params.firm.autonomy.mean = 0.25;
    const Firm firm = make_firm(params);
    for (int i = 0; i < 100; ++i) REQUIRE(firm.autonomy(i) == 0.25);
  }
  SECTION("two_point") {
    params.firm.autonomy.distribution = AutonomyDistribution::two_point;
    params.firm.autonomy.low = 0.0;
    params.firm.autonomy.high = 8.0 / 9.0;
    params.firm.autonomy.share_high = 0.3;
    const Firm firm = make_firm(params);
    long high = 0;
    for (int i = 0; i < 20000; ++i) {
      REQUIRE((firm.autonomy(i) == 0.0 || firm.autonomy(i) == 8.0 / 9.0));
      high += firm.autonomy(i) > 0.0;
    }
    // Binomial(20000, 0.3): sd 65.
    CHECK(std::abs(high - 6000) < 5 * 65);
  }
  SECTION("beta") {
    params.firm.autonomy.distribution = AutonomyDistribution::beta;
    params.firm.autonomy.mean = 0.65;
    params.firm.autonomy.concentration = 10;
    const Firm firm = make_firm(params);
    double sum = 0;
    for (int i = 0; i < 20000; ++i) sum += firm.autonomy(i);
    // Variance 0.65 * 0.35 / 11 = 0.0207; se of the mean 0.001.
    CHECK(std::abs(sum / 20000 - 0.65) < 0.005);
  }
}

TEST_CASE("acting on full beliefs scores them, output is the share acted on correctly", "[firm]") {
  Firm firm = make_firm(small_params(2, 4));
  firm.set_state({{1, 1, 1, -1}, {-1, -1, -1, -1}}, {1, 0, 0, 0});
  firm.act(all_positive(4));
  CHECK(firm.performance(0) == 2);
  CHECK(firm.performance(1) == -4);
  CHECK(firm.code_score_at_start() == 1);
  CHECK(firm.output() == Approx(0.75 + 0.0));
}

TEST_CASE("acting on a 0 belief is a fair coin", "[firm]") {
  Firm firm = make_firm(small_params(1000, 30));
  firm.set_state(std::vector<std::vector<int>>(1000, std::vector<int>(30, 0)),
                 std::vector<int>(30, 0));
  firm.act(all_positive(30));
  // P_i = 2 * (right actions) - 30 with right actions ~ Binomial(30, 1/2): mean 0.
  double sum = 0;
  for (int i = 0; i < 1000; ++i) sum += firm.performance(i);
  // Var(P_i) = 4 * 7.5 = 30; se of the mean over 1000 = 0.173.
  CHECK(std::abs(sum / 1000) < 5 * 0.173);
}

TEST_CASE("socialisation moves a belief one step towards a non-zero code", "[firm]") {
  ModelParams params = small_params(1, 4);
  params.firm.socialization = 1.0;  // with autonomy 0 and pressure 0.5: probability exactly 1
  Firm firm = make_firm(params);
  firm.set_state({{0, 1, -1, 1}}, {1, -1, 0, 1});
  firm.socialise();
  CHECK(values_of(firm.beliefs(0), 4) == std::vector<int>{1, 0, -1, 1});
  firm.socialise();
  CHECK(values_of(firm.beliefs(0), 4) == std::vector<int>{1, -1, -1, 1});
}

TEST_CASE("socialisation probability is min(1, p1 (1 - a) (0.5 + pressure))", "[firm]") {
  auto [p1, autonomy, pressure] = GENERATE(table<double, double, double>({
      {0.3, 0.0, 0.5}, {0.3, 0.5, 0.5}, {0.3, 0.5, 1.0}, {0.9, 0.0, 1.0},  // 1.35 capped at 1
  }));
  ModelParams params = small_params(2000, 30);
  params.firm.socialization = p1;
  params.firm.autonomy.mean = autonomy;
  params.manager.pressure = pressure;
  Firm firm = make_firm(params);
  // Every belief is the opposite of the code: every cell may move (to 0).
  firm.set_state(std::vector<std::vector<int>>(2000, std::vector<int>(30, -1)),
                 std::vector<int>(30, 1));
  firm.socialise();
  long moved = 0;
  for (int i = 0; i < 2000; ++i) {
    for (int value : values_of(firm.beliefs(i), 30)) {
      REQUIRE(value != 1);  // one step only: never straight to the code's value
      moved += value == 0;
    }
  }
  const double expected = std::min(1.0, p1 * (1 - autonomy) * (0.5 + pressure));
  const double cells = 60000;
  CHECK(std::abs(moved / cells - expected) <=
        5 * std::sqrt(expected * (1 - expected) / cells) + 1e-12);
}

TEST_CASE("socialisation moves each employee's cells with that employee's own probability",
          "[firm]") {
  // Two autonomy levels: p = 0.3 for a = 0 and 0.3 * (1 - 0.8) = 0.06 for a = 0.8, so the
  // cells of the second group are candidates at 0.3 and accepted a fifth of the time.
  ModelParams params = small_params(4000, 70);  // two words per employee
  params.firm.socialization = 0.3;
  params.firm.autonomy.distribution = AutonomyDistribution::two_point;
  params.firm.autonomy.low = 0.0;
  params.firm.autonomy.high = 0.8;
  params.firm.autonomy.share_high = 0.5;
  Firm firm = make_firm(params);
  // Beliefs alternate 0 and -1 against a code of all +1: every cell may move.
  std::vector<int> belief(70);
  for (int j = 0; j < 70; ++j) belief[static_cast<std::size_t>(j)] = j % 2 == 0 ? 0 : -1;
  firm.set_state(std::vector<std::vector<int>>(4000, belief), std::vector<int>(70, 1));
  firm.socialise();
  long moved[2] = {0, 0};
  long cells[2] = {0, 0};
  std::vector<long> moved_by_dimension(70, 0);
  for (int i = 0; i < 4000; ++i) {
    const int group = firm.autonomy(i) > 0.0 ? 1 : 0;
    const std::vector<int> now = values_of(firm.beliefs(i), 70);
    for (int j = 0; j < 70; ++j) {
      const bool moved_here =
          now[static_cast<std::size_t>(j)] != belief[static_cast<std::size_t>(j)];
      REQUIRE(now[static_cast<std::size_t>(j)] ==
              belief[static_cast<std::size_t>(j)] + (moved_here ? 1 : 0));
      moved[group] += moved_here;
      moved_by_dimension[static_cast<std::size_t>(j)] += moved_here && group == 0;
    }
    cells[group] += 70;
  }
  for (int group = 0; group < 2; ++group) {
    const double p = group == 0 ? 0.3 : 0.06;
    const double n = static_cast<double>(cells[group]);
    CHECK(std::abs(moved[group] / n - p) < 5 * std::sqrt(p * (1 - p) / n));
  }
  // No dimension is favoured, across the word boundary at 64 too: the a = 0 group's
  // per-dimension counts are Binomial(about 2000, 0.3), sd about 20.
  const double per_dimension = static_cast<double>(cells[0]) / 70 * 0.3;
  for (long count : moved_by_dimension) CHECK(std::abs(count - per_dimension) < 5 * 20.5);
}

TEST_CASE("code learning adopts the superior group's majority with probability 1-(1-p2)^k",
          "[firm]") {
  const double p2 = GENERATE(0.2, 0.5);
  ModelParams params = small_params(10, 4);
  params.firm.code_learning = p2;
  const Reality reality = all_positive(4);
  // Superior (P_i > S_c = 0): four all +1 and one with -1 on dimension 3. The five all -1
  // employees are not superior and must not vote, or they would outvote the others.
  std::vector<std::vector<int>> beliefs(4, std::vector<int>(4, 1));
  beliefs.push_back({1, 1, 1, -1});
  for (int i = 0; i < 5; ++i) beliefs.push_back(std::vector<int>(4, -1));
  const int trials = 4000;
  long adopted_margin5 = 0, adopted_margin3 = 0;
  for (int trial = 0; trial < trials; ++trial) {
    Firm firm = make_firm(params, static_cast<std::uint64_t>(trial));
    firm.set_state(beliefs, std::vector<int>(4, 0));
    firm.act(reality);
    firm.learn_code();
    const auto code = values_of(firm.code(), 4);
    for (int j = 0; j < 3; ++j) {
      REQUIRE(code[static_cast<std::size_t>(j)] != -1);
      adopted_margin5 += code[static_cast<std::size_t>(j)] == 1;
    }
    REQUIRE(code[3] != -1);
    adopted_margin3 += code[3] == 1;
  }
  const double expected5 = 1 - std::pow(1 - p2, 5);
  const double expected3 = 1 - std::pow(1 - p2, 3);
  CHECK(std::abs(adopted_margin5 / (3.0 * trials) - expected5) <
        5 * std::sqrt(expected5 * (1 - expected5) / (3.0 * trials)));
  CHECK(std::abs(adopted_margin3 / double(trials) - expected3) <
        5 * std::sqrt(expected3 * (1 - expected3) / trials));
}

TEST_CASE("code learning leaves the code alone without a superior group or on a tie", "[firm]") {
  SECTION("nobody beats the code") {
    ModelParams params = small_params(2, 2);
    params.firm.code_learning = 1.0;
    Firm firm = make_firm(params);
    firm.set_state({{1, -1}, {-1, 1}}, {1, 1});  // S_c = 2; both perform 0
    firm.act(all_positive(2));
    firm.learn_code();
    CHECK(values_of(firm.code(), 2) == std::vector<int>{1, 1});
  }
  SECTION("a tied vote") {
    ModelParams params = small_params(2, 3);
    params.firm.code_learning = 1.0;
    Firm firm = make_firm(params);
    firm.set_state({{1, 1, 1}, {1, 1, -1}}, {0, 0, 0});  // P = 3 and 1, both beat S_c = 0
    firm.act(all_positive(3));
    firm.learn_code();
    // Dimensions 0 and 1: both vote +1 and p2 = 1 adopts; dimension 2: one each way.
    CHECK(values_of(firm.code(), 3) == std::vector<int>{1, 1, 0});
  }
}

TEST_CASE("turnover replaces each employee with probability p3", "[firm]") {
  ModelParams params = small_params(1000, 30);
  params.firm.turnover = 0.2;
  Firm firm = make_firm(params);
  long replaced = 0;
  const int periods = 20;
  for (int t = 0; t < periods; ++t) {
    std::vector<std::vector<int>> before;
    for (int i = 0; i < 1000; ++i) before.push_back(values_of(firm.beliefs(i), 30));
    firm.turnover();
    for (int i = 0; i < 1000; ++i) {
      replaced += values_of(firm.beliefs(i), 30) != before[static_cast<std::size_t>(i)];
    }
  }
  // A hire repeats the old beliefs with probability 3^-30: negligible. Binomial(20000, 0.2):
  // sd 57.
  CHECK(std::abs(replaced - 4000) < 5 * 57);
}

TEST_CASE("the equilibrium rule on hand-built states", "[firm]") {
  const Reality reality = all_positive(4);
  Firm firm = make_firm(small_params(2, 4));
  SECTION("everyone holds a perfect code") {
    firm.set_state({{1, 1, 1, 1}, {1, 1, 1, 1}}, {1, 1, 1, 1});
    CHECK(firm.settled(reality));
  }
  SECTION("everyone holds a wrong code: stuck for good") {
    firm.set_state({{1, 1, -1, 1}, {1, 1, -1, 1}}, {1, 1, -1, 1});
    CHECK(firm.settled(reality));
  }
  SECTION("an employee with an open belief could still beat the code") {
    firm.set_state({{1, 1, 1, 0}, {1, 1, 1, 0}}, {1, 1, 1, 0});  // 3 + 1 unknown > 3
    CHECK_FALSE(firm.settled(reality));
  }
  SECTION("an employee who differs from a non-zero code can still be socialised") {
    firm.set_state({{1, 1, 1, 1}, {1, 1, 1, -1}}, {1, 1, 1, 1});
    CHECK_FALSE(firm.settled(reality));
  }
  SECTION("a belief off a zero code dimension that cannot win changes nothing") {
    firm.set_state({{1, 1, 1, -1}, {1, 1, 1, -1}}, {1, 1, 1, 0});  // 2 + 0 <= 3
    CHECK(firm.settled(reality));
  }
}

TEST_CASE("observed knowledge and diversity follow their definitions", "[firm]") {
  Firm firm = make_firm(small_params(3, 2));
  firm.set_state({{1, 1}, {1, -1}, {-1, 0}}, {1, 0});
  Observation observation;
  firm.observe(all_positive(2), observation);
  CHECK(observation[Quantity::mean_knowledge] == Approx(3.0 / 6.0));
  // Dimension 0: majority +1 (2 to 1), one cell opposes. Dimension 1: tied, none opposes.
  CHECK(observation[Quantity::diversity] == Approx(1.0 / 6.0));
  CHECK(observation[Quantity::innovation] == Approx(0.5));
  CHECK(observation[Quantity::code_score] == Approx(0.5));
  CHECK(observation[Quantity::headcount] == 3);
}

TEST_CASE("one period equals a direct implementation of MODEL.md at any width", "[firm]") {
  // With p1 = p2 = 1 and no belief at 0, a period draws nothing that changes its outcome,
  // so the bit-plane kernels can be compared exactly with plain loops over {-1, 0, +1}.
  const int m = GENERATE(5, 64, 65, 130, 1024);
  const int n = 20;
  ModelParams params = small_params(n, m);
  params.firm.socialization = 1.0;
  params.firm.code_learning = 1.0;
  RandomStream stream(StreamName{21, static_cast<std::uint64_t>(m), 0, 0});
  for (int trial = 0; trial < 10; ++trial) {
    std::vector<int> truth(static_cast<std::size_t>(m));
    std::vector<Word> truth_plane(static_cast<std::size_t>(words_for(m)), 0);
    for (int j = 0; j < m; ++j) {
      truth[static_cast<std::size_t>(j)] = stream.below(2) ? 1 : -1;
      if (truth[static_cast<std::size_t>(j)] > 0) truth_plane[j / 64] |= Word{1} << (j % 64);
    }
    const Reality reality(m, truth_plane);
    std::vector<std::vector<int>> beliefs(n, std::vector<int>(static_cast<std::size_t>(m)));
    for (auto& belief : beliefs) {
      for (auto& value : belief) value = stream.below(2) ? 1 : -1;
    }
    std::vector<int> code(static_cast<std::size_t>(m));
    for (auto& value : code) value = static_cast<int>(stream.below(3)) - 1;

    Firm firm = make_firm(params, static_cast<std::uint64_t>(trial));
    firm.set_state(beliefs, code);
    firm.act(reality);
    firm.socialise();
    firm.learn_code();

    auto score = [&](const std::vector<int>& v) {
      int total = 0;
      for (int j = 0; j < m; ++j)
        total += v[static_cast<std::size_t>(j)] * truth[static_cast<std::size_t>(j)];
      return total;
    };
    const int code_score = score(code);
    std::vector<int> plus(static_cast<std::size_t>(m), 0), minus(static_cast<std::size_t>(m), 0);
    for (int i = 0; i < n; ++i) {
      const auto& belief = beliefs[static_cast<std::size_t>(i)];
      REQUIRE(firm.performance(i) == score(belief));
      if (score(belief) <= code_score) continue;
      for (int j = 0; j < m; ++j) {
        (belief[static_cast<std::size_t>(j)] > 0 ? plus : minus)[static_cast<std::size_t>(j)]++;
      }
    }
    std::vector<int> expected_code = code;
    for (int j = 0; j < m; ++j) {
      const auto k = static_cast<std::size_t>(j);
      if (plus[k] != minus[k]) expected_code[k] = plus[k] > minus[k] ? 1 : -1;
    }
    for (int i = 0; i < n; ++i) {
      std::vector<int> expected = beliefs[static_cast<std::size_t>(i)];
      for (int j = 0; j < m; ++j) {
        const auto k = static_cast<std::size_t>(j);
        if (code[k] != 0 && expected[k] != code[k]) expected[k] = expected[k] == 0 ? code[k] : 0;
      }
      REQUIRE(values_of(firm.beliefs(i), m) == expected);
    }
    REQUIRE(values_of(firm.code(), m) == expected_code);
    // Nothing may leak into the unused bits of a partial last word: the next period's
    // code score must be the expected code's.
    firm.act(reality);
    REQUIRE(firm.code_score_at_start() == score(expected_code));
  }
}

TEST_CASE("an experiment with accuracy 1 never makes a belief wrong", "[firm]") {
  ModelParams params = small_params(40, 30);
  params.firm.experiment_rate = 1.0;
  params.firm.experiment_accuracy = 1.0;
  params.firm.explore_probes = 3;
  params.firm.autonomy.mean = 1.0;  // e_i = 1 * 1 * (1 - 0): every producer experiments
  params.manager.policy = ManagerPolicy::fixed;
  params.manager.pressure = 0.0;
  Firm firm = make_firm(params);
  for (int i = 0; i < 10; ++i) firm.set_role(i, Role::explorer);
  RandomStream truth_stream(StreamName{5, 0, 0, 0});
  const Reality reality(30, truth_stream);
  const std::vector<Word> everything(1, ~Word{0});
  const auto truth = values_of({everything.data(), reality.positive()}, 30);
  for (int period = 0; period < 20; ++period) {
    std::vector<std::vector<int>> before;
    for (int i = 0; i < 40; ++i) before.push_back(values_of(firm.beliefs(i), 30));
    firm.act(reality);
    firm.experiment(reality);
    for (int i = 0; i < 40; ++i) {
      const auto after = values_of(firm.beliefs(i), 30);
      for (std::size_t j = 0; j < 30; ++j) {
        if (after[j] != before[static_cast<std::size_t>(i)][j]) REQUIRE(after[j] == truth[j]);
      }
    }
  }
}

TEST_CASE("an experiment sees the truth with probability q", "[firm]") {
  ModelParams params = small_params(3000, 30);
  params.firm.experiment_accuracy = 0.7;
  params.firm.explore_probes = 1;
  Firm firm = make_firm(params);
  firm.set_state(std::vector<std::vector<int>>(3000, std::vector<int>(30, 0)),
                 std::vector<int>(30, 0));
  for (int i = 0; i < 3000; ++i) firm.set_role(i, Role::explorer);
  RandomStream truth_stream(StreamName{6, 0, 0, 0});
  const Reality reality(30, truth_stream);
  const std::vector<Word> everything(1, ~Word{0});
  const auto truth = values_of({everything.data(), reality.positive()}, 30);
  firm.act(reality);
  firm.experiment(reality);
  long right = 0, seen = 0;
  for (int i = 0; i < 3000; ++i) {
    const auto belief = values_of(firm.beliefs(i), 30);
    for (std::size_t j = 0; j < 30; ++j) {
      if (belief[j] == 0) continue;
      ++seen;
      right += belief[j] == truth[j];
    }
  }
  CHECK(seen == 3000);  // one probe each, on one dimension
  // Binomial(3000, 0.7): sd 25.
  CHECK(std::abs(right - 2100) < 5 * 25);
}

TEST_CASE("output is (1 - e_i)((P_i/m + 1)/2 - gamma D_i) for producers, 0 for explorers",
          "[firm]") {
  ModelParams params = small_params(3, 4);
  params.firm.coordination_cost = 0.5;
  params.firm.experiment_rate = 0.4;
  params.firm.autonomy.mean = 0.5;
  params.manager.policy = ManagerPolicy::fixed;
  params.manager.pressure = 0.5;  // e_i = 0.5 * 0.4 * (1 - 0.5) = 0.1
  Firm firm = make_firm(params);
  firm.set_state({{1, 1, 1, -1}, {1, -1, -1, -1}, {1, 1, 1, 1}}, {1, 1, 0, 1});
  firm.set_role(2, Role::explorer);
  firm.act(all_positive(4));
  // Employee 0: 3 of 4 right; deviates from the code on dimension 3 only: D = 1/4.
  CHECK(firm.employee_output(0) == Approx(0.9 * (0.75 - 0.5 * 0.25)));
  // Employee 1: 1 of 4 right; deviates on dimensions 1 and 3: D = 2/4.
  CHECK(firm.employee_output(1) == Approx(0.9 * (0.25 - 0.5 * 0.5)));
  CHECK(firm.employee_output(2) == 0.0);
  CHECK(firm.output() == Approx(firm.employee_output(0) + firm.employee_output(1)));
  CHECK(firm.performance(2) == 4);  // explorers act too (and may join the superior group)
}

TEST_CASE("at the start the leader staffs exploration with the least knowledgeable", "[firm]") {
  // No output has been seen yet: knowledge decides.
  ModelParams params = small_params(10, 10);
  params.leader.policy = LeaderPolicy::fixed;
  params.leader.explore_share = 0.25;  // 2.5 rounds half up to 3
  params.leader.cycle = 1;
  Firm firm = make_firm(params);
  std::vector<std::vector<int>> beliefs;
  for (int i = 0; i < 10; ++i) {
    std::vector<int> belief(10, -1);
    for (int j = 0; j < 9 - i; ++j) belief[static_cast<std::size_t>(j)] = 1;  // knows 9 - i
    beliefs.push_back(belief);
  }
  firm.set_state(beliefs, std::vector<int>(10, 0));
  const Reality reality = all_positive(10);
  firm.start(reality);
  CHECK(firm.explorers() == 3);
  for (int i = 0; i < 10; ++i) CHECK((firm.role(i) == Role::explorer) == (i >= 7));
}

TEST_CASE("the target number of explorers is x_f times headcount, rounded half up", "[firm]") {
  auto [share, employees, expected] = GENERATE(table<double, int, int>({
      {0.25, 10, 3},  // 2.5: half up (half to even would give 2, truncation 2)
      {0.45, 10, 5},  // 4.5: half up (half to even would give 4)
      {0.05, 10, 1},  // 0.5
      {0.24, 10, 2},  // 2.4
      {0.5, 5, 3},    // 2.5
      {0.0, 10, 0},
  }));
  ModelParams params = small_params(employees, 10);
  params.leader.policy = LeaderPolicy::fixed;
  params.leader.explore_share = share;
  Firm firm = make_firm(params);
  firm.start(all_positive(10));
  CHECK(firm.explorers() == expected);
}

namespace {

// The staffing and lay-off firm: ten employees on ten dimensions, reality all +1, a code of
// +1 on dimensions 0-4 and 0 on 5-9, coordination cost 1 and no experiments, so that every
// action is the belief and an employee believing +1 on a of dimensions 0-4 and on b of 5-9
// (-1 elsewhere) knows K = (a + b) / 10 and produces y = (2a + b - 5) / 10: output and
// knowledge rank employees differently. The leader is relative, stepping 0.25 at a time.
struct Staffing {
  int a, b;
};

std::vector<int> staffing_belief(Staffing s) {
  std::vector<int> belief(10, -1);
  for (int j = 0; j < s.a; ++j) belief[static_cast<std::size_t>(j)] = 1;
  for (int j = 0; j < s.b; ++j) belief[static_cast<std::size_t>(5 + j)] = 1;
  return belief;
}

// Position: (a, b), then y x 10 and K x 10.
const std::vector<Staffing> kStaff = {
    {5, 5},  // 0: y 10, K 10
    {0, 5},  // 1: y 0, K 5
    {2, 2},  // 2: y 1, K 4
    {5, 4},  // 3: y 9, K 9
    {0, 1},  // 4: y -4, K 1
    {4, 5},  // 5: y 8, K 9
    {1, 5},  // 6: y 2, K 6
    {0, 3},  // 7: y -2, K 3
    {4, 4},  // 8: y 7, K 8
    {3, 5},  // 9: y 6, K 8
};

Firm staffing_firm(const std::vector<Staffing>& staff = kStaff, double explore_share = 0.0) {
  ModelParams params = small_params(10, 10);
  params.firm.coordination_cost = 1.0;
  params.leader.policy = LeaderPolicy::relative;
  params.leader.explore_share = explore_share;
  params.leader.step = 0.25;
  params.leader.max_share = 0.5;
  params.leader.cycle = 1;
  Firm firm = make_firm(params);
  std::vector<std::vector<int>> beliefs;
  for (Staffing s : staff) beliefs.push_back(staffing_belief(s));
  firm.set_state(beliefs, {1, 1, 1, 1, 1, 0, 0, 0, 0, 0});
  return firm;
}

std::vector<int> explorers_of(const Firm& firm) {
  std::vector<int> explorers;
  for (int i = 0; i < firm.headcount(); ++i) {
    if (firm.role(i) == Role::explorer) explorers.push_back(i);
  }
  return explorers;
}

// The relative leader steps x_f up when the best rival is far ahead, down when far behind.
constexpr double kRivalFarAhead = 2.0;
constexpr double kRivalFarBehind = -2.0;

}  // namespace

TEST_CASE("the staffing firm's outputs and knowledge are as constructed", "[firm]") {
  Firm firm = staffing_firm();
  const Reality reality = all_positive(10);
  firm.start(reality);  // x_f = 0: nobody moves
  CHECK(firm.explorers() == 0);
  firm.act(reality);
  for (int i = 0; i < 10; ++i) {
    const Staffing s = kStaff[static_cast<std::size_t>(i)];
    CHECK(firm.employee_output(i) == Approx((2 * s.a + s.b - 5) / 10.0));
    CHECK(firm.performance(i) == 2 * (s.a + s.b) - 10);
  }
}

TEST_CASE("the leader moves the lowest-output producers to exploration first", "[firm]") {
  Firm firm = staffing_firm();
  const Reality reality = all_positive(10);
  firm.start(reality);
  firm.act(reality);
  firm.lead(1, reality, kRivalFarAhead);  // x_f 0 -> 0.25: 2.5 explorers, rounded up to 3
  CHECK(firm.leader().explore_share() == 0.25);
  // Outputs -4, -2 and 0 (K 1, 3 and 5); by knowledge it would be 4, 7 and 2 (K 4).
  CHECK(explorers_of(firm) == std::vector<int>{1, 4, 7});
  firm.act(reality);
  firm.lead(2, reality, kRivalFarAhead);  // x_f 0.5: 5 explorers
  // The next two lowest outputs among the producers: 1 (position 2) and 2 (position 6).
  CHECK(explorers_of(firm) == std::vector<int>{1, 2, 4, 6, 7});
}

TEST_CASE("the leader brings the most knowledgeable explorers back first", "[firm]") {
  // x_f starts at 0.5 with five explorers put in place by hand (start() is not called).
  Firm firm = staffing_firm(kStaff, 0.5);
  const Reality reality = all_positive(10);
  for (int i : {1, 2, 4, 6, 7}) firm.set_role(i, Role::explorer);
  firm.act(reality);
  firm.lead(1, reality, kRivalFarBehind);  // x_f 0.5 -> 0.25: 3 explorers
  CHECK(firm.leader().explore_share() == 0.25);
  // Knowledge 6 (position 6) and 5 (position 1) come back. Explorers produce nothing, so
  // by output the first two, positions 1 and 2, would have.
  CHECK(explorers_of(firm) == std::vector<int>{2, 4, 7});
  CHECK(firm.role(1) == Role::producer);
  CHECK(firm.role(6) == Role::producer);
}

namespace {

MarketParams one_for_one() {
  MarketParams market;
  market.resource_feedback = 1.0;  // accrues share * industry - headcount per period
  return market;
}

// The firm's beliefs, position by position.
std::vector<std::vector<int>> beliefs_of(const Firm& firm) {
  std::vector<std::vector<int>> beliefs;
  for (int i = 0; i < firm.headcount(); ++i) beliefs.push_back(values_of(firm.beliefs(i), 10));
  return beliefs;
}

}  // namespace

TEST_CASE("a lay-off takes the lowest-output producer unless the explorers must shrink", "[firm]") {
  Firm firm = staffing_firm();
  const Reality reality = all_positive(10);
  firm.start(reality);
  SECTION("a producer: the explorer share needs no fewer explorers") {
    // 3 explorers of 10: keeping the share at 9 needs round(2.7) = 3.
    for (int i : {4, 7, 9}) firm.set_role(i, Role::explorer);
    firm.act(reality);
    std::vector<std::vector<int>> expected = beliefs_of(firm);
    const double moved_output = firm.employee_output(9);
    const int moved_performance = firm.performance(9);
    firm.adjust_headcount(0.5, 18, one_for_one(), reality);  // 9 - 10: one lay-off
    CHECK(firm.headcount() == 9);
    CHECK(firm.explorers() == 3);
    // Position 1 produced least (0; position 2 knows least, K 4, and position 0 is first).
    // The last position's employee, an explorer, moves into the freed place with all it
    // has: beliefs, role, this period's output and performance.
    expected[1] = expected[9];
    expected.pop_back();
    CHECK(beliefs_of(firm) == expected);
    CHECK(firm.role(1) == Role::explorer);
    CHECK(firm.employee_output(1) == moved_output);
    CHECK(firm.performance(1) == moved_performance);
    CHECK(explorers_of(firm) == std::vector<int>{1, 4, 7});
  }
  SECTION("an explorer: the explorer share needs one fewer") {
    // 6 explorers of 10: keeping the share at 9 needs round(5.4) = 5.
    for (int i : {1, 2, 4, 6, 7, 9}) firm.set_role(i, Role::explorer);
    firm.act(reality);
    std::vector<std::vector<int>> expected = beliefs_of(firm);
    firm.adjust_headcount(0.5, 18, one_for_one(), reality);
    CHECK(firm.headcount() == 9);
    CHECK(firm.explorers() == 5);
    // Position 4 knows least (K 1); explorers produce nothing, so output would have taken
    // the first, position 1. Position 9 moves into its place.
    expected[4] = expected[9];
    expected.pop_back();
    CHECK(beliefs_of(firm) == expected);
    CHECK(explorers_of(firm) == std::vector<int>{1, 2, 4, 6, 7});
  }
  SECTION("two lay-offs, one of them the last position") {
    // 5 explorers of 10: a producer first (round(4.5) = 5 kept), then at 9 an explorer
    // (round(4.44) = 4 kept).
    std::vector<Staffing> staff = kStaff;
    std::swap(staff[4], staff[9]);  // position 9 now knows least (K 1), position 4 has K 8
    firm = staffing_firm(staff);
    firm.start(reality);
    for (int i : {1, 2, 6, 7, 9}) firm.set_role(i, Role::explorer);
    firm.act(reality);
    std::vector<std::vector<int>> expected = beliefs_of(firm);
    firm.adjust_headcount(0.5, 16, one_for_one(), reality);  // 8 - 10: two lay-offs
    CHECK(firm.headcount() == 8);
    CHECK(firm.explorers() == 4);
    // Position 4 produced least among the producers (0.6) and position 9 knows least among
    // the explorers. Position 9 goes first, from the top, so nobody moves for it; then
    // position 8, the last by then, moves into 4.
    expected[4] = expected[8];
    expected.resize(8);
    CHECK(beliefs_of(firm) == expected);
    CHECK(explorers_of(firm) == std::vector<int>{1, 2, 6, 7});
  }
}

TEST_CASE("resource feedback hires and lays off towards the market share, down to the floor",
          "[firm]") {
  ModelParams params = small_params(20, 10);
  MarketParams market;
  market.resource_feedback = 0.5;
  market.min_headcount = 15;
  Firm firm = make_firm(params);
  const Reality reality = all_positive(10);
  firm.start(reality);
  firm.act(reality);
  // Share 0.5 of an industry of 60: accrues 0.5 * (30 - 20) = 5 hires.
  firm.adjust_headcount(0.5, 60, market, reality);
  CHECK(firm.headcount() == 25);
  CHECK(firm.resource_accumulator() == Approx(0.0));
  // Share 0.1 of 60: 0.5 * (6 - 25) = -9.5 -> 9 lay-offs, but the floor stops it at 15.
  firm.adjust_headcount(0.1, 60, market, reality);
  CHECK(firm.headcount() == 16);
  firm.adjust_headcount(0.1, 60, market, reality);
  CHECK(firm.headcount() == 15);
  CHECK(firm.resource_accumulator() == Approx(-1.0));
  Observation observation;
  firm.observe(reality, observation);
  CHECK(observation[Quantity::headcount] == 15);
}

TEST_CASE("a share floor keeps at least one explorer, at the start and after every decision",
          "[firm]") {
  // 0.04 * 10 = 0.4 would round to no explorer: the floor keeps one.
  ModelParams params = small_params(10, 10);
  params.leader.policy = LeaderPolicy::value;
  params.leader.explore_share = 0.0;
  params.leader.min_share = 0.04;
  params.leader.cycle = 1;
  Firm firm = make_firm(params);
  const Reality reality = all_positive(10);
  firm.start(reality);
  CHECK(firm.leader().explore_share() == 0.04);
  CHECK(firm.explorers() == 1);
  for (int period = 1; period <= 20; ++period) {
    firm.act(reality);
    firm.lead(period, reality, kRivalFarBehind);
    CHECK(firm.leader().explore_share() >= 0.04);
    CHECK(firm.explorers() >= 1);
  }
  // Without a floor the same share rounds to no explorer.
  params.leader.min_share = 0.0;
  params.leader.explore_share = 0.04;
  Firm unfloored = make_firm(params);
  unfloored.start(reality);
  CHECK(unfloored.explorers() == 0);
}

TEST_CASE("the board's new leader draws its share in [min_share, max_share]", "[firm]") {
  const Reality reality = all_positive(10);
  for (const double floor : {0.0, 0.3}) {
    ModelParams params = small_params(10, 10);
    params.leader.policy = LeaderPolicy::fixed;
    params.leader.explore_share = 0.4;
    params.leader.max_share = 0.45;
    params.leader.min_share = floor;
    params.leader.cycle = 1;
    double lowest = 1.0;
    for (std::uint64_t replication = 0; replication < 200; ++replication) {
      Firm firm("test", params, 10, make_firm_streams(77, replication, firm_key("test", 0)),
                /*board_patience=*/1);
      firm.start(reality);
      firm.review_board(1, /*ranked_last=*/true, reality);
      REQUIRE(firm.leader_changes() == 1);
      const double share = firm.leader().explore_share();
      INFO("floor " << floor << ", share " << share);
      CHECK(share >= floor);
      CHECK(share <= 0.45);
      CHECK(firm.explorers() >= (floor > 0.0 ? 1 : 0));
      lowest = std::min(lowest, share);
    }
    // The draw uses the whole range: 200 uniform draws come within 0.03 of its bottom.
    CHECK(lowest < floor + 0.03);
  }
}

namespace {

// One period of the steps inside a firm, in Simulation::advance's order.
void firm_period(Firm& firm, const Reality& reality, int period) {
  firm.turnover();
  firm.act(reality);
  firm.experiment(reality);
  firm.socialise();
  firm.learn_from_peers();
  firm.learn_code();
  firm.manage(period);
}

bool same_stream(RandomStream a, RandomStream b) {
  return a.next64() == b.next64() && a.next64() == b.next64();
}

}  // namespace

TEST_CASE("with peer_learning = 0 no network is built and no peer draw is made", "[firm][peer]") {
  ModelParams params = small_params(30, 30);
  params.firm.autonomy.mean = 0.7;
  params.firm.peer.cross_rate = 5.0;
  Firm firm = make_firm(params);
  const Reality reality = all_positive(30);
  for (int t = 1; t <= 5; ++t) firm_period(firm, reality, t);
  CHECK(firm.peer_network().positions() == 0);
  CHECK(firm.peer_adoptions() == 0);
  const FirmStreams fresh = make_firm_streams(77, 0, firm_key("test", 0));
  CHECK(same_stream(firm.streams().network, fresh.network));
  CHECK(same_stream(firm.streams().peer, fresh.peer));
}

TEST_CASE("a firm whose employees all follow orders is unchanged by peer_learning",
          "[firm][peer]") {
  // Autonomy 0 everywhere: every weight is 0, no vote is non-zero, no candidate, no draw.
  ModelParams off = small_params(40, 70);
  off.firm.turnover = 0.05;
  off.firm.span_of_control = 8;
  ModelParams on = off;
  on.firm.peer_learning = 1.0;
  on.firm.peer.cross_rate = 3.0;
  Firm a = make_firm(off);
  Firm b = make_firm(on);
  REQUIRE(b.peer_network().positions() == 40);
  RandomStream turbulence = make_stream(1, 0, kEnvironmentKey, StreamPurpose::turbulence);
  Reality reality(70, turbulence);
  for (int t = 1; t <= 40; ++t) {
    firm_period(a, reality, t);
    firm_period(b, reality, t);
    REQUIRE(b.peer_adoptions() == 0);
    for (int i = 0; i < 40; ++i) {
      REQUIRE(values_of(a.beliefs(i), 70) == values_of(b.beliefs(i), 70));
    }
    REQUIRE(values_of(a.code(), 70) == values_of(b.code(), 70));
  }
  const FirmStreams fresh = make_firm_streams(77, 0, firm_key("test", 0));
  CHECK(same_stream(b.streams().peer, fresh.peer));
}

TEST_CASE("adoptions happen at the rule's rate p5 |E| / W on a constructed firm",
          "[firm][peer][statistical]") {
  // Four employees in one team (one block: no cross ties), autonomy 0.5 each, reality all
  // +1, m = 64, socialisation off. Beliefs, all known, so that actions are the beliefs:
  //   0: +1 everywhere (P = 64)          1: +1 everywhere (P = 64, ties 0: neither leads)
  //   2: +1 on 0..15, -1 elsewhere (P = -32)
  //   3: -1 everywhere (P = -64)
  // Employee 2's better peers are 0 and 1: E = 2a = W on every dimension; its 48 -1 beliefs
  // move to 0 with probability p5. Employee 3's are 0, 1 and 2: on 0..15 E = 3a = W
  // (probability p5), on 16..63 E = a, W = 3a (probability p5 / 3). Over R replications
  // each class is Binomial(R * cells, p); allowed: 4 standard deviations.
  const double p5 = 0.6;
  const int replications = 1000;
  ModelParams params = small_params(4, 64);
  params.firm.span_of_control = 4;
  params.firm.socialization = 0.0;
  params.firm.autonomy.mean = 0.5;
  params.firm.peer_learning = p5;
  std::vector<int> one(64, 1), minus(64, -1), mixed(64, -1);
  for (int j = 0; j < 16; ++j) mixed[static_cast<std::size_t>(j)] = 1;
  const Reality reality = all_positive(64);
  long moved2 = 0, moved3_unanimous = 0, moved3_split = 0, others = 0;
  for (int r = 0; r < replications; ++r) {
    Firm firm = make_firm(params, static_cast<std::uint64_t>(r));
    firm.set_state({one, one, mixed, minus}, std::vector<int>(64, 0));
    firm.act(reality);
    REQUIRE(firm.performance(2) == -32);
    firm.learn_from_peers();
    const std::vector<int> b2 = values_of(firm.beliefs(2), 64);
    const std::vector<int> b3 = values_of(firm.beliefs(3), 64);
    for (int j = 0; j < 64; ++j) {
      const auto at = static_cast<std::size_t>(j);
      // One step only: -1 becomes 0, never +1; employee 2's +1 beliefs have no candidate.
      REQUIRE(b2[at] == (j < 16 ? 1 : b2[at] == 0 ? 0 : -1));
      REQUIRE(b3[at] != 1);
      if (j >= 16) moved2 += b2[at] == 0;
      (j < 16 ? moved3_unanimous : moved3_split) += b3[at] == 0;
    }
    others += (values_of(firm.beliefs(0), 64) != one) + (values_of(firm.beliefs(1), 64) != one);
    REQUIRE(firm.peer_adoptions() ==
            std::count(b2.begin(), b2.end(), 0) + std::count(b3.begin(), b3.end(), 0));
  }
  CHECK(others == 0);
  auto within = [](long count, double cells, double p) {
    const double sd = std::sqrt(cells * p * (1 - p));
    INFO(count << " moves of " << cells << " cells, expected " << cells * p << " +- 4 * " << sd);
    CHECK(std::abs(count - cells * p) < 4 * sd);
  };
  within(moved2, 48.0 * replications, p5);
  within(moved3_unanimous, 16.0 * replications, p5);
  within(moved3_split, 48.0 * replications, p5 / 3);
}

TEST_CASE("step 5b gives the same bytes with Eigen's votes and the bit-planes'", "[firm][peer]") {
  const int dimensions = GENERATE(30, 100);
  ModelParams params = small_params(60, dimensions);
  params.firm.turnover = 0.02;
  params.firm.span_of_control = 7;
  params.firm.autonomy.distribution = AutonomyDistribution::beta;
  params.firm.autonomy.mean = 0.5;
  params.firm.peer_learning = 0.5;
  params.firm.peer.cross_rate = 2.0;
  Firm a = make_firm(params);
  Firm b = make_firm(params);
  b.set_vote_method(VoteMethod::eigen);
  RandomStream turbulence = make_stream(2, 0, kEnvironmentKey, StreamPurpose::turbulence);
  Reality reality(dimensions, turbulence);
  long adoptions = 0;
  for (int t = 1; t <= 30; ++t) {
    firm_period(a, reality, t);
    firm_period(b, reality, t);
    REQUIRE(a.peer_adoptions() == b.peer_adoptions());
    adoptions += a.peer_adoptions();
    for (int i = 0; i < 60; ++i) {
      REQUIRE(values_of(a.beliefs(i), dimensions) == values_of(b.beliefs(i), dimensions));
    }
  }
  CHECK(adoptions > 0);
  CHECK(same_stream(a.streams().peer, b.streams().peer));
}
