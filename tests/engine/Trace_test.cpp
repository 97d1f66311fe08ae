#include "orgsim/engine/Trace.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>

#include "orgsim/engine/Runner.h"

using namespace orgsim;

namespace {

// Two firms whose headcount moves (resource feedback), every recorded period kept.
struct Recorder : engine::TraceSink {
  std::vector<int> periods;
  std::vector<std::size_t> indices;
  std::vector<std::vector<model::Observation>> observed;
  std::vector<std::vector<model::EmployeeState>> firms;
  std::vector<std::vector<std::int8_t>> reality;
  void record(const engine::TracePeriod& period) override {
    periods.push_back(period.period);
    indices.push_back(period.index);
    observed.push_back(period.observed);
    firms.push_back(period.firms);
    reality.push_back(period.reality);
  }
};

engine::RunPlan plan_of(int every) {
  model::ModelParams params;
  params.run.periods = 30;
  params.env.dimensions = 12;
  params.env.turbulence = 0.02;
  params.market.resource_feedback = 0.3;
  params.firm.employees = 20;
  params.firm.span_of_control = 6;
  params.leader.explore_share = 0.2;
  model::GroupParams a = params;
  model::GroupParams b = params;
  b.firm.autonomy.mean = 0.6;
  b.firm.experiment_rate = 0.3;
  params.groups = {model::FirmGroup{"a", 1, a}, model::FirmGroup{"b", 1, b}};
  return engine::RunPlan{std::make_shared<const model::ModelParams>(params), 9, 3,
                         engine::Trajectories::recorded, every};
}

}  // namespace

TEST_CASE("a trace is the run's own: its observations are the trajectory bit for bit", "[trace]") {
  const engine::RunPlan plan = plan_of(2);
  Recorder recorder;
  CHECK(engine::trace(plan, recorder) == 30);
  const engine::RunResult result = engine::run(plan);
  CHECK(recorder.periods == result.periods);
  REQUIRE(recorder.observed.size() == result.periods.size());
  for (std::size_t k = 0; k < result.periods.size(); ++k) {
    CHECK(recorder.indices[k] == k);
    for (std::size_t f = 0; f < 2; ++f) {
      CHECK(std::memcmp(&recorder.observed[k][f], &result.at(k, f), sizeof(model::Observation)) ==
            0);
    }
  }
}

TEST_CASE("a trace hands every recorded period each firm's employees and reality", "[trace]") {
  const engine::RunPlan plan = plan_of(1);
  Recorder recorder;
  engine::trace(plan, recorder);
  REQUIRE(recorder.firms.size() == 30);
  bool headcount_moved = false;
  for (std::size_t k = 0; k < recorder.firms.size(); ++k) {
    REQUIRE(recorder.firms[k].size() == 2);
    CHECK(recorder.reality[k].size() == 12);
    for (auto value : recorder.reality[k]) CHECK((value == 1 || value == -1));
    for (std::size_t f = 0; f < 2; ++f) {
      const model::EmployeeState& state = recorder.firms[k][f];
      CHECK(state.headcount ==
            static_cast<int>(recorder.observed[k][f][model::Quantity::headcount]));
      CHECK(state.beliefs.size() == static_cast<std::size_t>(state.headcount) * 12);
      headcount_moved = headcount_moved || state.headcount != 20;
      // Innovation is the code's share of right dimensions.
      int right = 0;
      for (std::size_t j = 0; j < 12; ++j) right += state.code[j] == recorder.reality[k][j];
      CHECK(right / 12.0 == recorder.observed[k][f][model::Quantity::innovation]);
    }
  }
  CHECK(headcount_moved);
}

TEST_CASE("measuring a trace gives its exact shape and size", "[trace]") {
  const engine::RunPlan plan = plan_of(3);
  const engine::TraceShape shape = engine::measure_trace(plan);
  Recorder recorder;
  engine::trace(plan, recorder);
  CHECK(shape.periods == recorder.periods.size());
  CHECK(shape.periods == 10);
  CHECK(shape.firms == 2);
  CHECK(shape.dimensions == 12);
  CHECK(shape.firm_names == std::vector<std::string>{"a", "b"});
  int largest = 0;
  for (const auto& period : recorder.firms) {
    for (const auto& firm : period) largest = std::max(largest, firm.headcount);
  }
  CHECK(shape.employees == static_cast<std::size_t>(largest));
  CHECK(engine::trace_bytes(shape) == 10 * 2 * shape.employees * (12 + engine::kEmployeeBytes) +
                                          10 * 2 * (12 + engine::kFirmBytes) + 10 * (12 + 4));
}

TEST_CASE("a trace stops with Interrupted once cancelled", "[trace]") {
  std::atomic<bool> cancel{true};
  Recorder recorder;
  CHECK_THROWS_AS(engine::trace(plan_of(1), recorder, &cancel), engine::Interrupted);
  CHECK_THROWS_AS(engine::measure_trace(plan_of(1), &cancel), engine::Interrupted);
  CHECK(recorder.periods.empty());
}
