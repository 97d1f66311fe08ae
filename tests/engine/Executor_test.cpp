#include "orgsim/engine/Executor.h"

#include <catch2/catch.hpp>
#include <set>

using namespace orgsim;

namespace {

// Every plan by its index; a failure fails the test.
void execute_plans(const std::vector<engine::RunPlan>& plans,
                   const engine::ExecutorOptions& options,
                   const std::function<void(std::size_t, engine::RunResult&&)>& on_result) {
  std::vector<std::size_t> runs(plans.size());
  for (std::size_t r = 0; r < runs.size(); ++r) runs[r] = r;
  engine::execute(
      runs, [&](std::size_t index) { return plans[index]; }, options, on_result,
      [](std::size_t index, const std::string& error) { FAIL("run " << index << ": " << error); });
}

std::vector<engine::RunResult> execute_all(const std::vector<engine::RunPlan>& plans, int threads) {
  std::vector<engine::RunResult> results(plans.size());
  engine::ExecutorOptions options;
  options.threads = threads;
  execute_plans(plans, options, [&](std::size_t index, engine::RunResult&& result) {
    results[index] = std::move(result);
  });
  return results;
}

std::vector<engine::RunPlan> some_plans(int replications) {
  model::ModelParams params;
  params.run.periods = 50;
  params.env.turbulence = 0.02;
  params.firm.turnover = 0.05;
  auto shared = std::make_shared<const model::ModelParams>(params);
  std::vector<engine::RunPlan> plans;
  for (int r = 0; r < replications; ++r) {
    plans.push_back(engine::RunPlan{shared, 1, static_cast<std::uint64_t>(r)});
  }
  return plans;
}

}  // namespace

TEST_CASE("results are identical for 1 and 2 threads", "[executor]") {
  const auto plans = some_plans(12);
  const auto one = execute_all(plans, 1);
  const auto two = execute_all(plans, 2);
  for (std::size_t r = 0; r < plans.size(); ++r) {
    REQUIRE(one[r].trajectory.size() == two[r].trajectory.size());
    for (std::size_t t = 0; t < one[r].trajectory.size(); ++t) {
      REQUIRE(one[r].trajectory[t].values == two[r].trajectory[t].values);
    }
  }
  // And replications really differ from one another.
  CHECK(one[0].trajectory.back().values != one[1].trajectory.back().values);
}

TEST_CASE("the sink sees every plan once and progress counts up", "[executor]") {
  const auto plans = some_plans(9);
  std::multiset<std::size_t> seen;
  std::vector<std::size_t> progress;
  engine::ExecutorOptions options;
  options.threads = 3;
  options.progress = [&](const engine::Progress& p) {
    CHECK(p.total == 9);
    progress.push_back(p.done);
  };
  execute_plans(plans, options,
                [&](std::size_t index, engine::RunResult&&) { seen.insert(index); });
  CHECK(seen == std::multiset<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8});
  CHECK(progress == std::vector<std::size_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
}

TEST_CASE("a cancelled batch throws Interrupted", "[executor]") {
  const auto plans = some_plans(6);
  std::atomic<bool> cancel{true};
  engine::ExecutorOptions options;
  options.cancel = &cancel;
  CHECK_THROWS_AS(execute_plans(plans, options, [](std::size_t, engine::RunResult&&) {}),
                  engine::Interrupted);
}

TEST_CASE("runs by index: a failure is reported and the others go on", "[executor]") {
  const auto plans = some_plans(6);
  std::vector<std::size_t> done;
  std::vector<std::pair<std::size_t, std::string>> failures;
  std::size_t last_failed = 0;
  engine::ExecutorOptions options;
  options.threads = 2;
  options.progress = [&](const engine::Progress& p) { last_failed = p.failed; };
  engine::execute(
      {5, 1, 3},
      [&](std::size_t index) {
        if (index == 3) throw std::runtime_error("point 3 is broken");
        return plans[index];
      },
      options, [&](std::size_t index, engine::RunResult&&) { done.push_back(index); },
      [&](std::size_t index, const std::string& error) { failures.emplace_back(index, error); });
  std::sort(done.begin(), done.end());
  CHECK(done == std::vector<std::size_t>{1, 5});
  REQUIRE(failures.size() == 1);
  CHECK(failures[0] == std::pair<std::size_t, std::string>{3, "point 3 is broken"});
  CHECK(last_failed == 1);
}

TEST_CASE("a callback that throws stops the batch and reaches the caller", "[executor]") {
  const auto plans = some_plans(8);
  std::vector<std::size_t> runs = {0, 1, 2, 3, 4, 5, 6, 7};
  std::size_t recorded = 0;
  engine::ExecutorOptions options;
  options.threads = 2;
  CHECK_THROWS_WITH(engine::execute(
                        runs, [&](std::size_t index) { return plans[index]; }, options,
                        [&](std::size_t, engine::RunResult&&) {
                          if (++recorded == 3) throw std::runtime_error("disk full");
                        },
                        [](std::size_t, const std::string&) {}),
                    "disk full");
  CHECK(recorded < 8);
}
