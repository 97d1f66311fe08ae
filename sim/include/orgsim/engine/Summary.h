#pragma once
// What the running commands print about a campaign's results, computed here and printed
// by the command line: per design point the focal firm's measures in each study with 95%
// t intervals and the paired differences between studies (core/Statistics.h), and per
// firm group the final state. Read back from the sink, run by run.

#include <cstddef>
#include <string>
#include <vector>

#include "orgsim/core/Statistics.h"
#include "orgsim/engine/Campaign.h"
#include "orgsim/model/Observation.h"

namespace orgsim::engine {

/// A per-run measure of the focal (first) firm.
struct Measure {
  const char* label;
  double (*of)(const RunResult&);
  bool needs_trajectories = false;  ///< NaN where no trajectory was recorded
  bool needs_rivals = false;        ///< meaningless in an industry of one firm
  bool late_window = false;         ///< over the late window (summary.late_share)
};

/// The focal firm's lead averaged over the recorded periods of a run (NaN without any).
double mean_lead(const RunResult& run);

/// What `compare` tabulates: final innovation, output per head, market share and lead,
/// mean lead over the run and over the late window, share of periods in the lead over the
/// run and over the late window, final pressure and explore share.
const std::vector<Measure>& comparison_measures();

/// The headline measures: final innovation, output per head, mean lead over the run and
/// over the late window, and share of periods in the lead.
const std::vector<Measure>& headline_measures();

/// One design point's estimates over its replications.
struct PointEstimates {
  std::size_t point = 0;
  /// [study][measure]: mean and 95% t interval.
  std::vector<std::vector<MeanInterval>> levels;
  /// [study - 1][measure]: study s minus study 0, paired replication by replication.
  std::vector<std::vector<MeanInterval>> differences;
};

struct PointSummary {
  std::string focal;  ///< the focal firm's name; empty when no run succeeded
  std::vector<PointEstimates> points;
};

/// The estimates of `measures` at the design points `points` (in the order given), from
/// the results recorded in `sink`. Failed runs count as missing values.
PointSummary summarise_points(const Campaign& campaign, const RunSink& sink,
                              const std::vector<Measure>& measures,
                              const std::vector<std::size_t>& points);

/// Every point of `count` when there are at most head + tail, else the first `head` and
/// the last `tail`.
std::vector<std::size_t> head_and_tail(std::size_t count, std::size_t head, std::size_t tail);

/// A per-firm measure of a run's final state.
struct GroupMeasure {
  const char* label;
  double (*of)(const model::FirmSummary&);
  bool needs_rivals = false;
};

/// What `run` tabulates per firm group.
const std::vector<GroupMeasure>& group_measures();

struct GroupSummary {
  std::vector<std::string> groups;
  /// [group][measure of group_measures()]: a group's firms averaged within each run, then
  /// the mean and 95% t interval over the runs.
  std::vector<std::vector<MeanInterval>> estimates;
  std::size_t runs = 0;  ///< successful runs
  bool rivals = false;   ///< more than one firm
};

GroupSummary summarise_groups(const RunSink& sink, const model::ModelParams& params);

}  // namespace orgsim::engine
