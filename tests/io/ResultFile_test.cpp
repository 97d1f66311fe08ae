#include "orgsim/io/ResultFile.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "../StudyOf.h"
#include "../TempDir.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Design.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/io/ResultReader.h"

using namespace orgsim;
using Catch::Matchers::Contains;
using orgsim::testing::study_of;
using orgsim::testing::TempDir;

namespace {

model::ModelParams small_params(model::StopRule stop = model::StopRule::periods) {
  model::ModelParams params;
  params.run.periods = 8;
  params.run.stop = stop;
  params.firm.socialization = 0.9;
  params.firm.code_learning = 0.9;
  params.firm.employees = 10;
  params.env.dimensions = 10;
  return params;
}

// Five replications.
const model::RunSpec kFiveRuns{5};

// Runs `runs` of `study` into `file`, all of them when `runs` is empty.
void run_into(io::ResultFile& file, const engine::Study& study,
              std::vector<std::size_t> runs = {}) {
  if (runs.empty()) runs = file.pending();
  engine::execute(
      runs, [&](std::size_t run) { return study.plan(run); }, {},
      [&](std::size_t run, engine::RunResult&& result) { file.record(run, result); },
      [&](std::size_t run, const std::string& error) { file.record_failure(run, error); });
}

std::vector<double> as_doubles(const std::vector<unsigned char>& bytes) {
  std::vector<double> values(bytes.size() / sizeof(double));
  std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

}  // namespace

TEST_CASE("a finished result reads back with its layout and values", "[resultfile]") {
  TempDir dir;
  const engine::Study study = study_of(small_params(), kFiveRuns);
  const auto path = dir.file("r.h5");
  std::vector<engine::RunResult> expected(5);
  for (std::size_t r = 0; r < 5; ++r) expected[r] = engine::run(study.plan(r));
  {
    io::ResultFile file(path, {io::StudyInfo{"", "s.cfg", &study}}, false, false);
    run_into(file, study);
    CHECK(std::filesystem::exists(file.journal_path()));
    CHECK_FALSE(std::filesystem::exists(path));
    file.finish({"orgsim run test", 1});
    CHECK_FALSE(std::filesystem::exists(file.journal_path()));
  }
  const io::ResultReader reader(path);
  auto find = [&](const std::string& name) {
    for (const auto& info : reader.datasets()) {
      if (info.path == name) return info;
    }
    FAIL("missing dataset " << name);
    return io::DatasetInfo{};
  };
  const auto innovation = find("trajectories/innovation");
  CHECK(innovation.dimensions == std::vector<std::string>{"run", "period", "firm"});
  CHECK(innovation.shape == std::vector<std::uint64_t>{5, 8, 1});
  CHECK(innovation.units == "share of dimensions");
  CHECK(find("summaries/final_code_score").dimensions == std::vector<std::string>{"run", "firm"});
  CHECK(find("design/seed").type == "uint64");
  CHECK(find("design/failed").shape == std::vector<std::uint64_t>{5});

  const auto values = as_doubles(reader.dataset_bytes("trajectories/innovation"));
  REQUIRE(values.size() == 40);
  for (std::size_t r = 0; r < 5; ++r) {
    for (std::size_t t = 0; t < 8; ++t) {
      CHECK(values[r * 8 + t] == expected[r].at(t, 0)[model::Quantity::innovation]);
    }
  }
  bool found_command = false;
  for (const auto& [name, value] : reader.attributes()) {
    if (name == "command_line") found_command = value == "orgsim run test";
  }
  CHECK(found_command);
}

TEST_CASE("trajectories stored uncompressed read back the same as compressed ones",
          "[resultfile]") {
  TempDir dir;
  const engine::Study study = study_of(small_params(model::StopRule::equilibrium), kFiveRuns);
  std::vector<std::vector<unsigned char>> contents;
  for (bool compress : {true, false}) {
    const auto path = dir.file(compress ? "deflated.h5" : "plain.h5");
    io::ResultFile file(path, {io::StudyInfo{"", "", &study}}, false, false);
    run_into(file, study);
    io::Provenance provenance{"orgsim run test", 1};
    provenance.compress_trajectories = compress;
    file.finish(provenance);
    contents.push_back(io::ResultReader(path).dataset_bytes("trajectories/code_score"));
  }
  CHECK_FALSE(contents[0].empty());
  CHECK(contents[0] == contents[1]);
  // And the uncompressed one really is: its file is the larger.
  CHECK(std::filesystem::file_size(dir.file("plain.h5")) >
        std::filesystem::file_size(dir.file("deflated.h5")));
}

TEST_CASE("a summaries-only result has a period dimension of length 0 and the same summaries",
          "[resultfile]") {
  TempDir dir;
  model::ScenarioSettings settings =
      model::settings_from_text(model::resolved_scenario_text(small_params(), kFiveRuns), "test");
  std::map<engine::Trajectories, std::string> paths;
  for (auto trajectories : {engine::Trajectories::recorded, engine::Trajectories::none}) {
    const engine::Study study(settings, engine::Design{}, trajectories);
    paths[trajectories] =
        dir.file(trajectories == engine::Trajectories::none ? "summaries.h5" : "full.h5");
    io::ResultFile file(paths[trajectories], {io::StudyInfo{"", "s.cfg", &study}}, false, false);
    run_into(file, study);
    file.finish({"orgsim run test", 1});
  }
  const io::ResultReader full(paths[engine::Trajectories::recorded]);
  const io::ResultReader summaries(paths[engine::Trajectories::none]);
  CHECK(full.shape("trajectories/period") == std::vector<std::uint64_t>{8});
  CHECK(summaries.shape("trajectories/period") == std::vector<std::uint64_t>{0});
  CHECK(summaries.shape("trajectories/innovation") == std::vector<std::uint64_t>{5, 0, 1});
  std::size_t compared = 0;
  for (const auto& info : full.datasets()) {
    if (info.path.rfind("summaries/", 0) != 0 && info.path.rfind("design/", 0) != 0) continue;
    INFO(info.path);
    CHECK(summaries.dataset_bytes(info.path) == full.dataset_bytes(info.path));
    ++compared;
  }
  CHECK(compared > 20);
}

TEST_CASE("runs of different length are padded with NaN", "[resultfile]") {
  TempDir dir;
  const engine::Study study = study_of(small_params(model::StopRule::equilibrium), kFiveRuns);
  const auto path = dir.file("r.h5");
  std::vector<std::size_t> lengths;
  for (std::size_t r = 0; r < 5; ++r) lengths.push_back(engine::run(study.plan(r)).periods.size());
  io::ResultFile file(path, {io::StudyInfo{"", "", &study}}, false, false);
  run_into(file, study);
  file.finish({});
  const auto values = as_doubles(io::ResultReader(path).dataset_bytes("trajectories/code_score"));
  const std::size_t longest = *std::max_element(lengths.begin(), lengths.end());
  REQUIRE(values.size() == 5 * longest);
  for (std::size_t r = 0; r < 5; ++r) {
    for (std::size_t t = 0; t < longest; ++t) {
      CHECK(std::isnan(values[r * longest + t]) == (t >= lengths[r]));
    }
  }
}

TEST_CASE("an interrupted result resumes to the same file as an uninterrupted one",
          "[resultfile]") {
  TempDir dir;
  const engine::Study study = study_of(small_params(), kFiveRuns);
  {
    io::ResultFile whole(dir.file("whole.h5"), {io::StudyInfo{"", "", &study}}, false, false);
    run_into(whole, study);
    whole.finish({});
  }
  {
    io::ResultFile first(dir.file("part.h5"), {io::StudyInfo{"", "", &study}}, false, false);
    run_into(first, study, {4, 1});
    first.checkpoint();
    // Destroyed without finish: as after a kill.
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("part.h5")));
  // A record cut short by the kill: resuming drops it.
  std::ofstream(io::journal_path_for(dir.file("part.h5")), std::ios::app) << "torn record";
  io::ResultFile resumed(dir.file("part.h5"), {io::StudyInfo{"", "", &study}}, false, true);
  CHECK(resumed.recorded() == 2);
  CHECK(resumed.pending() == std::vector<std::size_t>{0, 2, 3});
  run_into(resumed, study);
  resumed.finish({});
  const io::ResultReader whole(dir.file("whole.h5")), part(dir.file("part.h5"));
  for (const auto& info : whole.datasets()) {
    INFO(info.path);
    CHECK(whole.dataset_bytes(info.path) == part.dataset_bytes(info.path));
  }
}

TEST_CASE("a resume is refused for another study, naming the difference", "[resultfile]") {
  TempDir dir;
  const engine::Study study = study_of(small_params(), kFiveRuns);
  {
    io::ResultFile first(dir.file("r.h5"), {io::StudyInfo{"", "", &study}}, false, false);
    run_into(first, study, {0});
  }
  model::ModelParams other = small_params();
  other.firm.socialization = 0.5;
  const engine::Study changed = study_of(other, kFiveRuns);
  CHECK_THROWS_WITH(
      io::ResultFile(dir.file("r.h5"), {io::StudyInfo{"", "", &changed}}, false, true),
      Contains("'firm.socialization = 0.9' then, 'firm.socialization = 0.5' now"));
  CHECK_THROWS_WITH(io::ResultFile(dir.file("r.h5"), {io::StudyInfo{"", "", &study}}, false, false),
                    Contains("holds the runs of an interrupted command; pass --resume"));
  // Nothing to continue (killed before the journal existed): --resume starts.
  const io::ResultFile fresh(dir.file("none.h5"), {io::StudyInfo{"", "", &study}}, false, true);
  CHECK(fresh.started_afresh());
  CHECK(fresh.recorded() == 0);
}

TEST_CASE("resuming a finished result is a no-op for its own study and refused for another",
          "[resultfile]") {
  TempDir dir;
  const engine::Study study = study_of(small_params(), kFiveRuns);
  {
    io::ResultFile file(dir.file("r.h5"), {io::StudyInfo{"", "", &study}}, false, false);
    run_into(file, study, {0, 1, 2, 3, 4});
    file.finish(io::Provenance{});
  }
  CHECK_THROWS_AS(io::ResultFile(dir.file("r.h5"), {io::StudyInfo{"", "", &study}}, false, true),
                  io::AlreadyComplete);
  model::ModelParams other = small_params();
  other.firm.socialization = 0.5;
  const engine::Study changed = study_of(other, kFiveRuns);
  CHECK_THROWS_WITH(
      io::ResultFile(dir.file("r.h5"), {io::StudyInfo{"", "", &changed}}, false, true),
      Contains("exists but holds the results of a different scenario or design"));
  dir.write("foreign.h5", "not an orgsim result");
  CHECK_THROWS_WITH(
      io::ResultFile(dir.file("foreign.h5"), {io::StudyInfo{"", "", &study}}, false, true),
      Contains("pass --force to overwrite it"));
}

TEST_CASE("failed runs are recorded with their reason and NaN values", "[resultfile]") {
  TempDir dir;
  const engine::Study study = study_of(small_params(), kFiveRuns);
  io::ResultFile file(dir.file("r.h5"), {io::StudyInfo{"", "", &study}}, false, false);
  run_into(file, study, {0, 1, 3, 4});
  file.record_failure(2, "boom");
  CHECK(file.failed() == 1);
  file.finish({});
  const io::ResultReader reader(dir.file("r.h5"));
  const auto failed = reader.dataset_bytes("design/failed");
  std::vector<std::int32_t> flags(5);
  std::memcpy(flags.data(), failed.data(), failed.size());
  CHECK(flags == std::vector<std::int32_t>{0, 0, 1, 0, 0});
  const auto errors = reader.dataset_bytes("design/error");
  CHECK(std::string(errors.begin(), errors.end()).find("boom") != std::string::npos);
  const auto innovation = as_doubles(reader.dataset_bytes("trajectories/innovation"));
  CHECK(std::isnan(innovation[2 * 8]));
  CHECK_FALSE(std::isnan(innovation[3 * 8]));
}

TEST_CASE("an existing result is refused without overwrite and replaced with it", "[resultfile]") {
  TempDir dir;
  const engine::Study study = study_of(small_params(), kFiveRuns);
  const auto path = dir.write("r.h5", "precious");
  CHECK_THROWS_WITH(io::ResultFile(path, {io::StudyInfo{"", "", &study}}, false, false),
                    Contains("already exists; pass --force to overwrite it"));
  io::ResultFile file(path, {io::StudyInfo{"", "", &study}}, true, false);
  run_into(file, study);
  file.finish({});
  CHECK_NOTHROW(io::ResultReader(path));
}

TEST_CASE("an output in a missing directory is refused before anything runs", "[resultfile]") {
  TempDir dir;
  const engine::Study study = study_of(small_params(), kFiveRuns);
  CHECK_THROWS_WITH(
      io::ResultFile(dir.file("missing/r.h5"), {io::StudyInfo{"", "", &study}}, false, false),
      Contains("directory '" + dir.file("missing") + "' does not exist"));
  CHECK_THROWS_WITH(
      io::ResultFile(dir.path().string(), {io::StudyInfo{"", "", &study}}, false, false),
      Contains("is a directory"));
  CHECK(dir.entry_count() == 0);
}

TEST_CASE("design columns: integer keys as int64, real keys as the doubles of their text",
          "[resultfile]") {
  TempDir dir;
  model::ScenarioSettings settings;
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"run.replications", "1"},
                                                        {"run.periods", "2"},
                                                        {"env.dimensions", "10"},
                                                        {"group.focal.count", "1"},
                                                        {"group.rivals.count", "1"}}) {
    settings.set(key, value, "test");
  }
  std::vector<engine::Factor> factors = {engine::parse_factor("firm.socialization=0.1:0.9:0.2"),
                                         engine::parse_factor("firm.employees=10,20"),
                                         engine::parse_factor("group.rivals.leader.cycle=2:6:2")};
  engine::Study::prepare_factors(factors);
  const engine::Study study(settings, engine::make_design(engine::DesignKind::grid, factors, 0, 1));
  const auto path = dir.file("design.h5");
  {
    io::ResultFile file(path, {io::StudyInfo{"", "s.cfg", &study}}, false, false);
    run_into(file, study);
    file.finish({"orgsim sweep test", 1});
  }
  const io::ResultReader reader(path);
  std::map<std::string, std::string> types;
  for (const auto& info : reader.datasets()) types[info.path] = info.type;
  for (const char* group : {"design", "summaries", "trajectories"}) {
    INFO(group);
    CHECK(types[std::string(group) + "/firm.socialization"] == "float64");
    CHECK(types[std::string(group) + "/firm.employees"] == "int64");
    CHECK(types[std::string(group) + "/group.rivals.leader.cycle"] == "int64");
  }
  // 5 x 2 x 3 points, the last factor fastest: socialization changes every 6 runs.
  const auto socialization = as_doubles(reader.dataset_bytes("design/firm.socialization"));
  REQUIRE(socialization.size() == 30);
  const char* typed[] = {"0.1", "0.3", "0.5", "0.7", "0.9"};
  for (std::size_t level = 0; level < 5; ++level) {
    const double expected = std::strtod(typed[level], nullptr);
    CHECK(std::memcmp(&socialization[level * 6], &expected, sizeof expected) == 0);
  }
  const auto employee_bytes = reader.dataset_bytes("design/firm.employees");
  std::vector<std::int64_t> employees(employee_bytes.size() / sizeof(std::int64_t));
  std::memcpy(employees.data(), employee_bytes.data(), employee_bytes.size());
  CHECK(std::vector<std::int64_t>(employees.begin(), employees.begin() + 6) ==
        std::vector<std::int64_t>{10, 10, 10, 20, 20, 20});
}
