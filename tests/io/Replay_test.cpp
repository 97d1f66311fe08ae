#include "orgsim/io/Replay.h"

#include <hdf5.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "../TempDir.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Design.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/io/Hdf5.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/model/ParameterTable.h"

using namespace orgsim;
using Catch::Matchers::Contains;
using orgsim::testing::TempDir;

namespace {

// A small sweep's file, as `orgsim sweep s.cfg --vary firm.employees=10,12 -r 2` makes it:
// 2 points x 2 replications, 6 periods, one firm.
std::string write_sweep(const TempDir& dir, const std::string& name) {
  model::ModelParams params;
  params.run.periods = 6;
  params.firm.employees = 10;
  params.env.dimensions = 10;
  const model::ScenarioSettings settings =
      model::settings_from_text(model::resolved_scenario_text(params, model::RunSpec{2}), "test");
  std::vector<engine::Factor> factors = {engine::parse_factor("firm.employees=10,12")};
  engine::Study::prepare_factors(factors);
  const engine::Study study(settings, engine::make_design(engine::DesignKind::grid, factors, 0,
                                                          settings.run_spec().seed));
  const auto path = dir.file(name);
  io::ResultFile file(path, {io::StudyInfo{"", "s.cfg", &study}}, false, false);
  engine::execute(
      file.pending(), [&](std::size_t run) { return study.plan(run); }, {},
      [&](std::size_t run, engine::RunResult&& result) { file.record(run, result); },
      [&](std::size_t run, const std::string& error) { file.record_failure(run, error); });
  file.finish({"orgsim sweep test", 1});
  return path;
}

// Overwrites one value of a float64 dataset in place.
void tamper(const std::string& path, const char* dataset, std::vector<hsize_t> at, double value) {
  io::hdf5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
  io::hdf5::Handle data(H5Dopen2(file.get(), dataset, H5P_DEFAULT));
  io::hdf5::Handle space(H5Dget_space(data.get()));
  const std::vector<hsize_t> count(at.size(), 1);
  H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, at.data(), nullptr, count.data(), nullptr);
  io::hdf5::Handle memory(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr));
  REQUIRE(H5Dwrite(data.get(), H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT, &value) >=
          0);
}

}  // namespace

TEST_CASE("a replayed run of a sweep's file reproduces, and names a tampered summary", "[replay]") {
  TempDir dir;
  const auto path = write_sweep(dir, "s.h5");

  const io::ReplayOutcome outcome = io::replay_run(path, 3, std::nullopt);
  CHECK(outcome.reproduced());
  CHECK(outcome.differences.empty());
  CHECK(outcome.checked > 20);
  CHECK(outcome.periods == 6);
  CHECK(outcome.firms == 1);
  CHECK(outcome.replication == 1);
  CHECK(outcome.orgsim_version.size() > 0);

  const auto tampered = dir.file("t.h5");
  std::filesystem::copy_file(path, tampered);
  tamper(tampered, "summaries/final_code_score", {3, 0}, 0.123);
  const io::ReplayOutcome changed = io::replay_run(tampered, 3, std::nullopt);
  CHECK(changed.status == io::ReplayOutcome::Status::differs);
  CHECK(changed.checked == outcome.checked);
  REQUIRE(changed.differences.size() == 1);
  const io::ReplayDifference& difference = changed.differences.front();
  CHECK(difference.dataset == "summaries/final_code_score");
  CHECK_FALSE(difference.missing);
  CHECK(difference.firm == std::optional<std::size_t>(0));
  CHECK_FALSE(difference.period.has_value());
  CHECK(difference.stored == "0.123");
  CHECK(difference.rerun != "0.123");
  CHECK_FALSE(difference.rerun.empty());
  // The other runs are untouched.
  CHECK(io::replay_run(tampered, 2, std::nullopt).reproduced());

  // A tampered trajectory value names its period as well.
  tamper(tampered, "trajectories/innovation", {2, 4, 0}, 0.5);
  const io::ReplayOutcome trajectory = io::replay_run(tampered, 2, std::nullopt);
  REQUIRE(trajectory.differences.size() == 1);
  CHECK(trajectory.differences.front().dataset == "trajectories/innovation");
  CHECK(trajectory.differences.front().period == std::optional<std::int32_t>(5));
  CHECK(trajectory.differences.front().stored == "0.5");
}

TEST_CASE("replay refuses runs and scenarios the file does not have", "[replay]") {
  TempDir dir;
  const auto path = write_sweep(dir, "s.h5");
  CHECK_THROWS_AS(io::replay_run(path, 4, std::nullopt), ConfigError);
  CHECK_THROWS_WITH(io::replay_run(path, 4, std::nullopt), Contains("has runs 0 to 3"));
  CHECK_THROWS_WITH(io::replay_run(path, 0, std::string("focal")),
                    Contains("holds one scenario, not a comparison"));
  CHECK_THROWS_AS(io::replay_run(dir.file("missing.h5"), 0, std::nullopt), IoError);
}
