#include "orgsim/engine/Summary.h"

#include <algorithm>
#include <limits>

namespace orgsim::engine {
namespace {

using Q = model::Quantity;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double final_of(const RunResult& run, Q quantity) {
  return run.summaries[0].final[quantity];
}

}  // namespace

double mean_lead(const RunResult& run) {
  if (run.periods.empty()) return kNaN;
  double sum = 0.0;
  for (std::size_t k = 0; k < run.periods.size(); ++k) sum += run.at(k, 0)[Q::lead];
  return sum / static_cast<double>(run.periods.size());
}

const std::vector<Measure>& comparison_measures() {
  static const std::vector<Measure> measures = {
      {"final innovation", [](const RunResult& r) { return final_of(r, Q::innovation); }},
      {"final output per head", [](const RunResult& r) { return final_of(r, Q::output_per_head); }},
      {"final market share", [](const RunResult& r) { return final_of(r, Q::market_share); }, false,
       true},
      {"final lead", [](const RunResult& r) { return final_of(r, Q::lead); }, false, true},
      {"mean lead over the run", mean_lead, true, true},
      {"mean lead, late window", [](const RunResult& r) { return r.summaries[0].late_mean_lead; },
       false, true, true},
      {"share of periods in lead",
       [](const RunResult& r) { return r.summaries[0].share_periods_lead; }, false, true},
      {"share of periods in lead, late window",
       [](const RunResult& r) { return r.summaries[0].late_share_periods_lead; }, false, true,
       true},
      {"final mean pressure", [](const RunResult& r) { return final_of(r, Q::mean_pressure); }},
      {"final explore share", [](const RunResult& r) { return final_of(r, Q::explore_share); }},
  };
  return measures;
}

const std::vector<Measure>& headline_measures() {
  static const std::vector<Measure> measures = {
      {"final innovation", [](const RunResult& r) { return final_of(r, Q::innovation); }},
      {"output per head", [](const RunResult& r) { return final_of(r, Q::output_per_head); }},
      {"mean lead", mean_lead, true, true},
      {"late mean lead", [](const RunResult& r) { return r.summaries[0].late_mean_lead; }, false,
       true, true},
      {"share in lead", [](const RunResult& r) { return r.summaries[0].share_periods_lead; }, false,
       true},
  };
  return measures;
}

std::vector<std::size_t> head_and_tail(std::size_t count, std::size_t head, std::size_t tail) {
  std::vector<std::size_t> points;
  if (count <= head + tail) {
    for (std::size_t p = 0; p < count; ++p) points.push_back(p);
    return points;
  }
  for (std::size_t p = 0; p < head; ++p) points.push_back(p);
  for (std::size_t p = count - tail; p < count; ++p) points.push_back(p);
  return points;
}

PointSummary summarise_points(const Campaign& campaign, const RunSink& sink,
                              const std::vector<Measure>& measures,
                              const std::vector<std::size_t>& points) {
  const std::size_t studies = campaign.study_count();
  const auto replications = static_cast<std::size_t>(campaign.replications());
  // The slot of each wanted point, by binary search over them sorted.
  std::vector<std::pair<std::size_t, std::size_t>> slots;  // (point, slot)
  for (std::size_t k = 0; k < points.size(); ++k) slots.emplace_back(points[k], k);
  std::sort(slots.begin(), slots.end());
  // values[slot][study][measure][replication], NaN where a run failed or is missing.
  std::vector<std::vector<std::vector<std::vector<double>>>> values(
      points.size(), std::vector<std::vector<std::vector<double>>>(
                         studies, std::vector<std::vector<double>>(
                                      measures.size(), std::vector<double>(replications, kNaN))));
  PointSummary summary;
  const Study& first = campaign.study(0);
  sink.for_each_result([&](std::size_t run, const RunResult& result) {
    if (summary.focal.empty() && !result.firm_names.empty()) summary.focal = result.firm_names[0];
    const std::size_t within = campaign.run_in_study(run);
    const std::size_t point = first.point_of(within);
    const auto found =
        std::lower_bound(slots.begin(), slots.end(), std::make_pair(point, std::size_t{0}));
    if (found == slots.end() || found->first != point) return;
    const std::size_t study = campaign.study_of(run);
    const std::size_t replication = first.replication_of(within);
    for (auto at = found; at != slots.end() && at->first == point; ++at) {
      for (std::size_t m = 0; m < measures.size(); ++m) {
        values[at->second][study][m][replication] = measures[m].of(result);
      }
    }
  });
  for (std::size_t k = 0; k < points.size(); ++k) {
    PointEstimates estimates;
    estimates.point = points[k];
    estimates.levels.resize(studies);
    for (std::size_t s = 0; s < studies; ++s) {
      for (std::size_t m = 0; m < measures.size(); ++m) {
        estimates.levels[s].push_back(mean_interval(values[k][s][m]));
      }
      if (s == 0) continue;
      estimates.differences.emplace_back();
      for (std::size_t m = 0; m < measures.size(); ++m) {
        estimates.differences.back().push_back(paired_difference(values[k][0][m], values[k][s][m]));
      }
    }
    summary.points.push_back(std::move(estimates));
  }
  return summary;
}

const std::vector<GroupMeasure>& group_measures() {
  using S = model::FirmSummary;
  static const std::vector<GroupMeasure> measures = {
      {"code_score", [](const S& s) { return s.final[Q::code_score]; }},
      {"innovation", [](const S& s) { return s.final[Q::innovation]; }},
      {"mean_knowledge", [](const S& s) { return s.final[Q::mean_knowledge]; }},
      {"output_per_head", [](const S& s) { return s.final[Q::output_per_head]; }},
      {"market_share", [](const S& s) { return s.final[Q::market_share]; }, true},
      {"lead", [](const S& s) { return s.final[Q::lead]; }, true},
      {"share_periods_lead", [](const S& s) { return s.share_periods_lead; }, true},
      {"late_mean_lead", [](const S& s) { return s.late_mean_lead; }, true},
      {"late_share_periods_lead", [](const S& s) { return s.late_share_periods_lead; }, true},
      {"late_mean_innovation", [](const S& s) { return s.late_mean_innovation; }},
      {"mean_pressure", [](const S& s) { return s.final[Q::mean_pressure]; }},
      {"explore_share", [](const S& s) { return s.final[Q::explore_share]; }},
      {"diversity", [](const S& s) { return s.final[Q::diversity]; }},
      {"headcount", [](const S& s) { return s.final[Q::headcount]; }, true},
      {"leader_changes", [](const S& s) { return s.final[Q::leader_changes]; }, true},
      {"periods_run", [](const S& s) { return s.periods_run; }},
  };
  return measures;
}

GroupSummary summarise_groups(const RunSink& sink, const model::ModelParams& params) {
  const auto& measures = group_measures();
  const auto groups = model::firm_groups(params);
  GroupSummary summary;
  summary.rivals = model::firm_count(params) > 1;
  for (const auto& group : groups) summary.groups.push_back(group.name);
  std::vector<std::vector<RunningMean>> means(groups.size(),
                                              std::vector<RunningMean>(measures.size()));
  sink.for_each_result([&](std::size_t, const RunResult& run) {
    ++summary.runs;
    std::size_t first_firm = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (std::size_t m = 0; m < measures.size(); ++m) {
        double sum = 0.0;
        for (int k = 0; k < groups[g].count; ++k) {
          sum += measures[m].of(run.summaries[first_firm + static_cast<std::size_t>(k)]);
        }
        means[g][m].add(sum / groups[g].count);
      }
      first_firm += static_cast<std::size_t>(groups[g].count);
    }
  });
  summary.estimates.resize(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const auto& mean : means[g]) summary.estimates[g].push_back(mean.estimate());
  }
  return summary;
}

}  // namespace orgsim::engine
