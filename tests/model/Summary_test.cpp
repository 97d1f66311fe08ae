#include "orgsim/model/Summary.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace orgsim::model;

TEST_CASE("every summary has a unique name, a unit and a meaning", "[summary]") {
  std::set<std::string> names;
  for (const auto& info : summary_info()) {
    CHECK(!info.name.empty());
    CHECK(!info.unit.empty());
    CHECK(!info.meaning.empty());
    names.insert(info.name);
  }
  CHECK(names.size() == kSummaryCount);
}

TEST_CASE("every summary sits at its position with its name and unit, and reads its field",
          "[summary]") {
  // Every entry, so that two swapped entries (mislabelled datasets, or a journal record
  // read into the wrong fields) fail.
  struct Expected {
    const char* name;
    const char* unit;
  };
  const Expected expected[] = {
      {"final_innovation", "share of dimensions"},
      {"final_code_score", "net score per dimension"},
      {"final_mean_knowledge", "share of dimensions"},
      {"final_output", "output units"},
      {"final_output_per_head", "output units per employee"},
      {"final_market_share", "share of customers"},
      {"final_lead", "share of customers"},
      {"final_innovation_lead", "share of dimensions"},
      {"final_rank", "rank"},
      {"final_explore_share", "share of headcount"},
      {"final_mean_pressure", "pressure"},
      {"final_mean_autonomy", "autonomy"},
      {"final_diversity", "share of belief cells"},
      {"final_headcount", "employees"},
      {"final_leader_changes", "changes"},
      {"final_peer_adoptions", "beliefs per employee per period"},
      {"share_periods_lead", "share of periods"},
      {"share_periods_innovation_lead", "share of periods"},
      {"first_period_lead", "period"},
      {"periods_run", "periods"},
      {"mean_lead", "share of customers"},
      {"mean_innovation_lead", "share of dimensions"},
      {"mean_innovation", "share of dimensions"},
      {"mean_output_per_head", "output units per employee"},
      {"late_mean_lead", "share of customers"},
      {"late_mean_innovation_lead", "share of dimensions"},
      {"late_mean_innovation", "share of dimensions"},
      {"late_mean_output_per_head", "output units per employee"},
      {"late_share_periods_lead", "share of periods"},
      {"late_share_periods_innovation_lead", "share of periods"},
  };
  REQUIRE(std::size(expected) == kSummaryCount);
  for (std::size_t v = 0; v < kSummaryCount; ++v) {
    INFO("entry " << v << ": " << expected[v].name);
    CHECK(summary_info()[v].name == expected[v].name);
    CHECK(summary_info()[v].unit == expected[v].unit);
    CHECK(find_summary(expected[v].name) == &summary_info()[v]);
  }
  CHECK(find_summary("no_such_summary") == nullptr);

  // Each entry reads and writes its own field.
  FirmSummary summary;
  for (std::size_t q = 0; q < kQuantityCount; ++q) summary.final.values[q] = 10.0 + q;
  summary.share_periods_lead = 1.0;
  summary.share_periods_innovation_lead = 2.0;
  summary.first_period_lead = 3.0;
  summary.periods_run = 4.0;
  summary.late_mean_lead = 5.0;
  summary.late_mean_innovation_lead = 6.0;
  summary.late_mean_innovation = 7.0;
  summary.late_mean_output_per_head = 8.0;
  summary.late_share_periods_lead = 9.0;
  summary.late_share_periods_innovation_lead = 10.0;
  for (std::size_t q = 0; q < kQuantityCount; ++q) CHECK(summary_info()[q].of(summary) == 10.0 + q);
  CHECK(find_summary("final_lead")->of(summary) == summary.final[Quantity::lead]);
  CHECK(find_summary("share_periods_lead")->of(summary) == 1.0);
  CHECK(find_summary("share_periods_innovation_lead")->of(summary) == 2.0);
  CHECK(find_summary("first_period_lead")->of(summary) == 3.0);
  CHECK(find_summary("periods_run")->of(summary) == 4.0);
  CHECK(find_summary("late_mean_lead")->of(summary) == 5.0);
  CHECK(find_summary("late_mean_innovation_lead")->of(summary) == 6.0);
  CHECK(find_summary("late_mean_innovation")->of(summary) == 7.0);
  CHECK(find_summary("late_mean_output_per_head")->of(summary) == 8.0);
  CHECK(find_summary("late_share_periods_lead")->of(summary) == 9.0);
  CHECK(find_summary("late_share_periods_innovation_lead")->of(summary) == 10.0);
  find_summary("periods_run")->of(summary) = 9.0;
  CHECK(summary.periods_run == 9.0);
  find_summary("final_rank")->of(summary) = 5.0;
  CHECK(summary.final[Quantity::rank] == 5.0);
}
