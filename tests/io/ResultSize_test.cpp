#include "orgsim/io/ResultSize.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "../TempDir.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/io/ResultReader.h"
#include "orgsim/io/Scenario.h"

using namespace orgsim;
using orgsim::testing::TempDir;

namespace {

model::ScenarioSettings settings_of(const std::string& text) {
  return io::parse_scenario(text, "test.cfg").settings;
}

const char* kSmall =
    "[firm]\nemployees = 10\n[env]\ndimensions = 10\nturbulence = 0.02\n[run]\nperiods = "
    "40\nreplications = 6\n[group.focal]\ncount = 1\n[group.rivals]\ncount = 2\n";

// Writes `studies` into `path` uncompressed, every run.
void write(const std::string& path, const std::vector<io::StudyInfo>& studies) {
  io::ResultFile file(path, studies, false, false);
  const std::size_t per_study = studies.front().study->run_count();
  engine::execute(
      file.pending(),
      [&](std::size_t run) { return studies[run / per_study].study->plan(run % per_study); }, {},
      [&](std::size_t run, engine::RunResult&& result) { file.record(run, result); },
      [&](std::size_t run, const std::string& error) { file.record_failure(run, error); });
  io::Provenance provenance{"orgsim run test", 1};
  provenance.compress_trajectories = false;
  file.finish(provenance);
}

// The bytes of the datasets under `group` whose names pass `keep`.
template <class Keep>
std::uint64_t stored_bytes(const io::ResultReader& reader, const std::string& group, Keep keep) {
  std::uint64_t bytes = 0;
  for (const auto& info : reader.datasets()) {
    if (info.path.rfind(group + "/", 0) != 0 || !keep(info.path.substr(group.size() + 1))) {
      continue;
    }
    bytes += reader.dataset_bytes(info.path).size();
  }
  return bytes;
}

}  // namespace

TEST_CASE("recorded periods follow the stop rule, output.every and the design", "[resultsize]") {
  bool at_most = true;
  const engine::Study plain(settings_of("[run]\nperiods = 200\n"), engine::Design{});
  CHECK(io::recorded_periods(plain, at_most) == 200);
  CHECK_FALSE(at_most);
  const engine::Study thinned(settings_of("[run]\nperiods = 205\n[output]\nevery = 10\n"),
                              engine::Design{});
  CHECK(io::recorded_periods(thinned, at_most) == 20);  // 10, 20, ..., 200
  const engine::Study early(settings_of("[run]\nstop = equilibrium\nmax_periods = 500\n"),
                            engine::Design{});
  CHECK(io::recorded_periods(early, at_most) == 500);
  CHECK(at_most);
  const engine::Study none(settings_of("[run]\nperiods = 200\n"), engine::Design{},
                           engine::Trajectories::none);
  CHECK(io::recorded_periods(none, at_most) == 0);
  CHECK_FALSE(at_most);
  std::vector<engine::Factor> factors = {engine::parse_factor("run.periods=50,300,120")};
  engine::Study::prepare_factors(factors);
  const engine::Study varied(settings_of("[run]\nperiods = 200\n"),
                             engine::make_design(engine::DesignKind::grid, factors, 0, 1));
  CHECK(io::recorded_periods(varied, at_most) == 300);
  CHECK_FALSE(at_most);
}

TEST_CASE("the estimate is the layout a file really has", "[resultsize]") {
  TempDir dir;
  std::vector<engine::Factor> factors = {engine::parse_factor("firm.socialization=0.1:0.5:0.2"),
                                         engine::parse_factor("leader.policy=fixed,value")};
  engine::Study::prepare_factors(factors);
  const engine::Study sweep(settings_of(kSmall),
                            engine::make_design(engine::DesignKind::grid, factors, 0, 1));
  const engine::Study other(settings_of(std::string(kSmall) + "[firm]\nturnover = 0.1\n"),
                            engine::Design{});
  const engine::Study base(settings_of(kSmall), engine::Design{});
  struct Case {
    const char* name;
    std::vector<io::StudyInfo> studies;
  };
  for (const Case& c :
       {Case{"sweep", {io::StudyInfo{"", "s.cfg", &sweep}}},
        Case{"compare",
             {io::StudyInfo{"a", "a.cfg", &base}, io::StudyInfo{"b", "b.cfg", &other}}}}) {
    INFO(c.name);
    const auto path = dir.file(std::string(c.name) + ".h5");
    write(path, c.studies);
    const io::ResultSize size = io::estimate_result_size(c.studies);
    const io::ResultReader reader(path);
    std::uint64_t runs = 1;
    for (auto extent : reader.shape("design/failed")) runs *= extent;
    CHECK(size.runs == runs);
    CHECK(size.periods == reader.shape("trajectories/period").at(0));
    CHECK(size.firms == reader.shape("trajectories/firm").at(0));
    // A whole run's chunk here, so the uncompressed variables are exactly their values.
    const std::set<std::string> coordinates = {
        "run",           "replication",        "firm",         "firm_name", "period", "scenario",
        "scenario_name", "firm.socialization", "leader.policy"};
    auto is_variable = [&](const std::string& name) { return coordinates.count(name) == 0; };
    CHECK(size.trajectory_bytes == stored_bytes(reader, "trajectories", is_variable));
    CHECK(size.summary_bytes == stored_bytes(reader, "summaries", is_variable));
    const double actual = static_cast<double>(std::filesystem::file_size(path));
    CHECK(static_cast<double>(size.total()) > 0.8 * actual);
    CHECK(static_cast<double>(size.total()) < 1.25 * actual);
  }
}
