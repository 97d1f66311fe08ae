#include "orgsim/io/ResultSchema.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "../StudyOf.h"
#include "orgsim/engine/Design.h"

using namespace orgsim;

namespace {

engine::Study small_study() {
  model::ModelParams params;
  params.run.periods = 4;
  params.firm.employees = 10;
  params.env.dimensions = 10;
  model::RunSpec run;
  run.replications = 2;
  return testing::study_of(params, run);
}

std::vector<std::string> names_of(const std::vector<io::DatasetSchema>& datasets) {
  std::vector<std::string> names;
  for (const auto& dataset : datasets) names.push_back(dataset.name);
  return names;
}

}  // namespace

TEST_CASE("the schema lists every quantity, summary and design column in order", "[schema]") {
  const engine::Study study = small_study();
  const io::ResultSchema schema = io::result_schema(
      {io::StudyInfo{"", "s.cfg", &study}}, {"focal.0"}, {1, 2, 3, 4}, 0, io::Provenance{}, "now");
  REQUIRE(schema.groups.size() == 3);
  CHECK(schema.groups[0].name == "trajectories");
  CHECK(schema.groups[1].name == "summaries");
  CHECK(schema.groups[2].name == "design");
  CHECK(schema.runs == 2);
  CHECK_FALSE(schema.comparison());

  const auto& trajectories = schema.groups[0].variables;
  REQUIRE(trajectories.size() == model::kQuantityCount);
  for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
    CHECK(trajectories[q].name == model::quantity_info()[q].name);
    CHECK(trajectories[q].units == model::quantity_info()[q].unit);
    CHECK(trajectories[q].source == io::Source::trajectory);
    CHECK(trajectories[q].index == q);
  }
  const auto& summaries = schema.groups[1].variables;
  REQUIRE(summaries.size() == model::kSummaryCount);
  for (std::size_t v = 0; v < model::kSummaryCount; ++v) {
    CHECK(summaries[v].name == model::summary_info()[v].name);
    CHECK(summaries[v].units == model::summary_info()[v].unit);
    CHECK(summaries[v].long_name == model::summary_info()[v].meaning);
    CHECK(summaries[v].source == io::Source::summary);
    CHECK(summaries[v].index == v);
  }
  CHECK(names_of(schema.groups[0].columns) == std::vector<std::string>{"run", "replication"});
  CHECK(names_of(schema.groups[2].columns) ==
        std::vector<std::string>{"run", "replication", "point", "seed", "failed", "error"});
  CHECK(schema.groups[2].variables.empty());
}

TEST_CASE("a block holds what each per-run dataset stores for its runs", "[schema]") {
  model::ScenarioSettings settings = model::settings_from_text(
      "firm.employees = 10\nrun.periods = 3\nrun.replications = 2\n", "test");
  engine::Design design = engine::make_design(engine::DesignKind::grid,
                                              {engine::parse_factor("firm.employees=10,12")}, 0, 1);
  const engine::Study study(settings, design);
  const io::ResultSchema schema =
      io::result_schema({io::StudyInfo{"", "", &study}}, {"focal.0"}, {1, 2}, 0, {}, "");
  const auto& columns = schema.groups[2].columns;
  REQUIRE(names_of(columns) == std::vector<std::string>{"run", "replication", "firm.employees",
                                                        "point", "seed", "failed", "error"});
  CHECK(columns[2].type == io::ValueType::int64);

  engine::RunResult result;
  result.periods = {1, 2, 3};
  result.firm_names = {"focal.0"};
  result.trajectory.resize(3);
  for (std::size_t k = 0; k < 3; ++k) result.trajectory[k].values.fill(static_cast<double>(k));
  result.summaries.resize(1);
  result.summaries[0].periods_run = 3;
  io::RunBlock block;
  block.start(study, 2, 2, 4, 2, 1);  // runs 2 and 3, a chunk of 4 runs of 2 periods
  block.add(0, io::RunRecord(io::RunRecord::encode(result), 1));
  block.fail(1, "it broke");
  using Ints = std::vector<std::int64_t>;
  CHECK(std::get<Ints>(block.column(columns[0])) == Ints{2, 3});
  CHECK(std::get<Ints>(block.column(columns[1])) == Ints{0, 1});
  CHECK(std::get<Ints>(block.column(columns[2])) == Ints{12, 12});
  CHECK(std::get<Ints>(block.column(columns[3])) == Ints{1, 1});
  CHECK(std::get<std::vector<std::int32_t>>(block.column(columns[5])) ==
        std::vector<std::int32_t>{0, 1});
  CHECK(std::get<std::vector<std::string>>(block.column(columns[6])) ==
        std::vector<std::string>{"", "it broke"});
  // The trajectories: a whole chunk, the run's periods beyond the file's dropped, NaN elsewhere.
  const auto& innovation = block.trajectory(0);
  REQUIRE(innovation.size() == 4 * 2);
  CHECK(innovation[0] == 0.0);
  CHECK(innovation[1] == 1.0);
  CHECK(std::isnan(innovation[2]));
  const std::size_t periods_run = model::find_summary("periods_run") - &model::summary_info()[0];
  CHECK(block.summary(periods_run)[0] == 3.0);
  CHECK(std::isnan(block.summary(periods_run)[1]));
}
