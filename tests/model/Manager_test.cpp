#include "orgsim/model/Manager.h"

#include <catch2/catch.hpp>
#include <cmath>

using namespace orgsim;
using namespace orgsim::model;

namespace {

ManagerParams hill_climber(double start, int window = 1) {
  ManagerParams params;
  params.policy = ManagerPolicy::hill_climb;
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
  RandomStream stream(StreamName{2, 0, 0, 0});
  Manager manager(hill_climber(0.5), stream);
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
  manager.record(3.0, 3);
  CHECK_FALSE(manager.end_period(1));
  manager.record(3.0, 3);
  CHECK_FALSE(manager.end_period(2));
  manager.record(3.0, 3);
  CHECK(manager.end_period(3));
  CHECK(manager.pressure() != 0.5);
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
