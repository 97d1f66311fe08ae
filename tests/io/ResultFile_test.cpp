#include "orgsim/io/ResultFile.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "../TempDir.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/io/ResultReader.h"

using namespace orgsim;
using Catch::Matchers::Contains;
using orgsim::testing::TempDir;

namespace {

struct SmallStudy {
  std::vector<engine::RunPlan> plans;
  std::vector<engine::RunResult> runs;
};

SmallStudy small_study(model::StopRule stop = model::StopRule::periods) {
  model::ModelParams params;
  params.run.replications = 3;
  params.run.periods = 8;
  params.run.stop = stop;
  params.firm.socialization = 0.9;
  params.firm.code_learning = 0.9;
  params.firm.employees = 10;
  params.env.dimensions = 10;
  SmallStudy study;
  study.plans = engine::replicate(params);
  study.runs.resize(study.plans.size());
  engine::execute(study.plans, {},
                  [&](std::size_t i, engine::RunResult&& r) { study.runs[i] = std::move(r); });
  return study;
}

std::vector<double> as_doubles(const std::vector<unsigned char>& bytes) {
  std::vector<double> values(bytes.size() / sizeof(double));
  std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

}  // namespace

TEST_CASE("a written result reads back with its layout and values", "[resultfile]") {
  TempDir dir;
  const auto study = small_study();
  const auto path = dir.file("r.h5");
  {
    io::ResultFile file(path, false);
    io::Provenance provenance;
    provenance.command_line = "orgsim run test";
    provenance.master_seed = 1;
    file.write(io::StudyResults{"", "s.cfg", "env.dimensions = 10\n", &study.plans, &study.runs},
               provenance);
    file.commit();
  }
  const io::ResultReader reader(path);
  const auto datasets = reader.datasets();
  auto find = [&](const std::string& name) {
    for (const auto& info : datasets) {
      if (info.path == name) return info;
    }
    FAIL("missing dataset " << name);
    return io::DatasetInfo{};
  };
  const auto innovation = find("trajectories/innovation");
  CHECK(innovation.dimensions == std::vector<std::string>{"run", "period", "firm"});
  CHECK(innovation.shape == std::vector<std::uint64_t>{3, 8, 1});
  CHECK(innovation.units == "share of dimensions");
  CHECK(find("summaries/final_code_score").dimensions == std::vector<std::string>{"run", "firm"});
  CHECK(find("design/seed").type == "uint64");

  const auto values = as_doubles(reader.dataset_bytes("trajectories/innovation"));
  REQUIRE(values.size() == 24);
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t t = 0; t < 8; ++t) {
      CHECK(values[r * 8 + t] == study.runs[r].at(t, 0)[model::Quantity::innovation]);
    }
  }
  bool found_command = false;
  for (const auto& [name, value] : reader.attributes()) {
    if (name == "command_line") found_command = value == "orgsim run test";
  }
  CHECK(found_command);
}

TEST_CASE("runs of different length are padded with NaN", "[resultfile]") {
  TempDir dir;
  const auto study = small_study(model::StopRule::equilibrium);
  const auto path = dir.file("r.h5");
  io::ResultFile file(path, false);
  file.write(io::StudyResults{"", "", "", &study.plans, &study.runs}, {});
  file.commit();
  const auto values = as_doubles(io::ResultReader(path).dataset_bytes("trajectories/code_score"));
  std::size_t longest = 0;
  for (const auto& run : study.runs) longest = std::max(longest, run.periods.size());
  REQUIRE(values.size() == 3 * longest);
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t t = 0; t < longest; ++t) {
      CHECK(std::isnan(values[r * longest + t]) == (t >= study.runs[r].periods.size()));
    }
  }
}

TEST_CASE("nothing appears under the final name until commit", "[resultfile]") {
  TempDir dir;
  const auto path = dir.file("r.h5");
  std::string temporary;
  {
    io::ResultFile file(path, false);
    temporary = file.temporary_path();
    CHECK(std::filesystem::exists(temporary));
    CHECK_FALSE(std::filesystem::exists(path));
    // Destroyed without commit: as after an error or an interrupt.
  }
  CHECK_FALSE(std::filesystem::exists(temporary));
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(dir.entry_count() == 0);
}

TEST_CASE("an existing result is refused without overwrite and replaced with it", "[resultfile]") {
  TempDir dir;
  const auto path = dir.write("r.h5", "precious");
  CHECK_THROWS_WITH(io::ResultFile(path, false),
                    Contains("already exists; pass --force to overwrite it"));
  const auto study = small_study();
  io::ResultFile file(path, true);
  file.write(io::StudyResults{"", "", "", &study.plans, &study.runs}, {});
  file.commit();
  CHECK_NOTHROW(io::ResultReader(path));
}

TEST_CASE("an output in a missing directory is refused before anything runs", "[resultfile]") {
  TempDir dir;
  CHECK_THROWS_WITH(io::ResultFile(dir.file("missing/r.h5"), false),
                    Contains("directory '" + dir.file("missing") + "' does not exist"));
  CHECK_THROWS_WITH(io::ResultFile(dir.path().string(), false), Contains("is a directory"));
}
