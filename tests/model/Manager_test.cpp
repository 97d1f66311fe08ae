#include "orgsim/model/Manager.h"

#include <catch2/catch.hpp>
#include <cmath>

using namespace orgsim;
using namespace orgsim::model;

namespace {

ManagerParams hill_climber(double start, int window = 1, TieRule on_tie = TieRule::hold) {
  ManagerParams params;
  params.policy = ManagerPolicy::hill_climb;
  params.on_tie = on_tie;
  params.pressure = start;
  params.step = 0.05;
  params.kpi_window = window;
  return params;
}

// A synthetic team whose output per producer peaks at pressure 0.7.
double output_at(double pressure) {
  return 1.0 - (pressure - 0.7) * (pressure - 0.7);
}

}  // namespace

TEST_CASE("a hill-climbing manager climbs an output curve and stays near its peak", "[manager]") {
  // (A start on a bound heading out of [0, 1] would stay there: with equal output the
  // myopic manager keeps its direction, as MODEL.md specifies.)
  const double start = GENERATE(0.05, 0.2, 0.95);
  RandomStream stream(StreamName{1, static_cast<std::uint64_t>(start * 100), 0, 0});
  Manager manager(hill_climber(start), stream);
  for (int period = 1; period <= 200; ++period) {
    manager.record(10 * output_at(manager.pressure()), 10);
    manager.end_period(period);
  }
  // It oscillates around the peak, one or two steps either side.
  for (int period = 201; period <= 220; ++period) {
    manager.record(10 * output_at(manager.pressure()), 10);
    manager.end_period(period);
    CHECK(std::abs(manager.pressure() - 0.7) <= 0.1 + 1e-9);
  }
}

TEST_CASE("a hill-climber reverses when output falls and keeps going when it does not",
          "[manager]") {
  // Revision 1's rule, keep: equal output takes one more step.
  RandomStream stream(StreamName{2, 0, 0, 0});
  Manager manager(hill_climber(0.5, 1, TieRule::keep), stream);
  const int first = manager.direction();
  manager.record(1.0, 1);
  manager.end_period(1);  // first review: moves in its initial direction
  CHECK(manager.pressure() == Approx(0.5 + 0.05 * first));
  manager.record(1.0, 1);  // equal output keeps the direction
  manager.end_period(2);
  CHECK(manager.direction() == first);
  CHECK(manager.pressure() == Approx(0.5 + 0.10 * first));
  manager.record(0.5, 1);  // output fell: turn round
  manager.end_period(3);
  CHECK(manager.direction() == -first);
  CHECK(manager.pressure() == Approx(0.5 + 0.05 * first));
}

TEST_CASE("a hill-climber reviews once per KPI window, on the window's mean", "[manager]") {
  RandomStream stream(StreamName{3, 0, 0, 0});
  Manager manager(hill_climber(0.5, 3), stream);
  const int first = manager.direction();
  // Window 1, periods 1-3: one producer at 1.0 each period, mean 1.0.
  for (int period = 1; period <= 3; ++period) {
    manager.record(1.0, 1);
    CHECK(manager.end_period(period) == (period == 3));
  }
  // One review, one step, in the initial direction.
  const double after_first = 0.5 + 0.05 * first;
  CHECK(manager.pressure() == after_first);
  // Window 2, periods 4-6: the team doubled and its output per head fell, to a mean of
  // 3.8 / 6 = 0.63, though the total rose (3.8 against 3.0) and the last period's output,
  // per head (1.5) or in all (3.0), is above anything window 1 had. Only the mean says
  // output fell: the manager turns round.
  manager.record(0.4, 2);
  CHECK_FALSE(manager.end_period(4));
  manager.record(0.4, 2);
  CHECK_FALSE(manager.end_period(5));
  CHECK(manager.pressure() == after_first);
  manager.record(3.0, 2);
  CHECK(manager.end_period(6));
  CHECK(manager.direction() == -first);
  CHECK(manager.pressure() == after_first + 0.05 * -first);
  // Window 3, periods 7-9: mean 0.7 > 0.63, though every period is below window 2's last.
  for (int period = 7; period <= 9; ++period) {
    manager.record(1.4, 2);
    manager.end_period(period);
  }
  CHECK(manager.direction() == -first);
  CHECK(manager.pressure() == (after_first + 0.05 * -first) + 0.05 * -first);
}

TEST_CASE("pressure stays in [0, 1] and a fixed manager never moves", "[manager]") {
  RandomStream stream(StreamName{4, 0, 0, 0});
  Manager climber(hill_climber(1.0), stream);
  for (int period = 1; period <= 50; ++period) {
    climber.record(period, 1);  // ever-rising output: never turns round
    climber.end_period(period);
    REQUIRE(climber.pressure() >= 0.0);
    REQUIRE(climber.pressure() <= 1.0);
  }
  ManagerParams fixed;
  fixed.policy = ManagerPolicy::fixed;
  fixed.pressure = 0.3;
  Manager steady(fixed, stream);
  for (int period = 1; period <= 20; ++period) {
    steady.record(period % 3, 1);
    CHECK_FALSE(steady.end_period(period));
  }
  CHECK(steady.pressure() == 0.3);
}

TEST_CASE("a hill-climber's first direction is a fair coin", "[manager]") {
  int up = 0;
  for (std::uint64_t r = 0; r < 2000; ++r) {
    RandomStream stream(StreamName{5, r, 0, 0});
    up += Manager(hill_climber(0.5), stream).direction() == 1;
  }
  // Binomial(2000, 1/2): sd 22.4.
  CHECK(std::abs(up - 1000) < 5 * 22.4);
}

TEST_CASE("under hold a tie within the tolerance holds the pressure, one just outside moves",
          "[manager]") {
  RandomStream stream(StreamName{6, 0, 0, 0});
  Manager manager(hill_climber(0.5), stream);
  const int first = manager.direction();
  // The first review has no previous window: it moves in the initial direction.
  manager.record(2.0, 1);
  CHECK(manager.end_period(1));
  const double after_first = 0.5 + 0.05 * first;
  CHECK(manager.pressure() == after_first);
  // A tie: |mean - previous| <= 1e-12 * max(1, |previous|) = 2e-12. It holds, either way.
  manager.record(2.0 + 1.5e-12, 1);
  CHECK_FALSE(manager.end_period(2));
  CHECK(manager.pressure() == after_first);
  CHECK(manager.direction() == first);
  manager.record(2.0, 1);  // -1.5e-12 from the previous window: a tie, no reversal
  CHECK_FALSE(manager.end_period(3));
  CHECK(manager.pressure() == after_first);
  CHECK(manager.direction() == first);
  manager.record(2.0, 1);  // exactly equal: a tie
  CHECK_FALSE(manager.end_period(4));
  CHECK(manager.pressure() == after_first);
  // Just outside the tolerance, upwards: a move in the kept direction.
  manager.record(2.0 + 3e-12, 1);
  CHECK(manager.end_period(5));
  CHECK(manager.direction() == first);
  CHECK(manager.pressure() == after_first + 0.05 * first);
  // Just outside, downwards (from 2 + 3e-12 to 2 - 1e-12): turn round and move.
  manager.record(2.0 - 1e-12, 1);
  CHECK(manager.end_period(6));
  CHECK(manager.direction() == -first);
  CHECK(manager.pressure() == (after_first + 0.05 * first) + 0.05 * -first);
}

TEST_CASE("the tie tolerance is absolute below 1 and relative above", "[manager]") {
  CHECK(Manager::is_tie(0.0, 0.0));
  CHECK(Manager::is_tie(0.5 + 0.9e-12, 0.5));
  CHECK_FALSE(Manager::is_tie(0.5 + 1.1e-12, 0.5));
  CHECK(Manager::is_tie(1000.0 + 0.9e-9, 1000.0));
  CHECK_FALSE(Manager::is_tie(1000.0 + 1.1e-9, 1000.0));
  CHECK(Manager::is_tie(-1000.0 - 0.9e-9, -1000.0));
}

TEST_CASE("under keep a tie moves one step in the last direction", "[manager]") {
  RandomStream stream(StreamName{7, 0, 0, 0});
  Manager manager(hill_climber(0.5, 1, TieRule::keep), stream);
  const int first = manager.direction();
  manager.record(2.0, 1);
  CHECK(manager.end_period(1));
  manager.record(2.0, 1);  // an exact tie: one more step the same way
  CHECK(manager.end_period(2));
  CHECK(manager.direction() == first);
  CHECK(manager.pressure() == Approx(0.5 + 0.10 * first));
  manager.record(2.0 + 1e-13, 1);  // a tie above: the same way again
  CHECK(manager.end_period(3));
  CHECK(manager.pressure() == Approx(0.5 + 0.15 * first));
  // Revision 1 exactly: a lower mean, however little, turns round, and the review moves.
  manager.record(2.0, 1);
  CHECK(manager.end_period(4));
  CHECK(manager.direction() == -first);
  CHECK(manager.pressure() == Approx(0.5 + 0.10 * first));
}

TEST_CASE("a converged team's pressure is frozen under hold and walks to a bound under keep",
          "[manager]") {
  for (const TieRule rule : {TieRule::hold, TieRule::keep}) {
    RandomStream stream(StreamName{8, 0, 0, 0});
    Manager manager(hill_climber(0.5, 1, rule), stream);
    const int first = manager.direction();
    for (int period = 1; period <= 40; ++period) {
      manager.record(3.0, 5);  // constant output
      manager.end_period(period);
    }
    INFO((rule == TieRule::hold ? "hold" : "keep"));
    if (rule == TieRule::hold) {
      CHECK(manager.pressure() == 0.5 + 0.05 * first);  // the first review's step only
    } else {
      CHECK(manager.pressure() == (first > 0 ? 1.0 : 0.0));
    }
  }
}
