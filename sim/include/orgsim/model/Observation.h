#pragma once
// What is recorded per run, per recorded period and per firm (MODEL.md section 3), and
// the per-run summary. The quantity list is the single description that the HDF5 writer,
// `orgsim info` and the Python side read: name, unit and meaning.

#include <array>
#include <cstddef>
#include <string_view>

namespace orgsim::model {

enum class Quantity : std::size_t {
  innovation,
  code_score,
  mean_knowledge,
  output,
  output_per_head,
  market_share,
  lead,
  innovation_lead,
  rank,
  explore_share,
  mean_pressure,
  mean_autonomy,
  diversity,
  headcount,
  leader_changes,
  peer_adoptions,  ///< revision 2, step 5b (appended: the others keep their positions)
  count_
};

inline constexpr std::size_t kQuantityCount = static_cast<std::size_t>(Quantity::count_);

struct QuantityInfo {
  std::string_view name;
  std::string_view unit;
  std::string_view meaning;
};

const std::array<QuantityInfo, kQuantityCount>& quantity_info();

/// One firm's state as recorded at one period.
struct Observation {
  std::array<double, kQuantityCount> values{};
  double& operator[](Quantity q) { return values[static_cast<std::size_t>(q)]; }
  double operator[](Quantity q) const { return values[static_cast<std::size_t>(q)]; }
};

/// One firm over a whole run.
struct FirmSummary {
  Observation final;                           ///< the state after the last period
  double share_periods_lead = 0.0;             ///< share of periods with lead > 0
  double share_periods_innovation_lead = 0.0;  ///< share of periods with innovation_lead > 0
  double first_period_lead = 0.0;              ///< first period with lead > 0; NaN if never
  double periods_run = 0.0;                    ///< periods the run lasted
  // Means over every period run.
  double mean_lead = 0.0;             ///< mean lead
  double mean_innovation_lead = 0.0;  ///< mean innovation_lead
  double mean_innovation = 0.0;       ///< mean innovation
  double mean_output_per_head = 0.0;  ///< mean output_per_head
  // The same measures over the late window (late_window_periods()), from every period.
  double late_mean_lead = 0.0;                      ///< mean lead
  double late_mean_innovation_lead = 0.0;           ///< mean innovation_lead
  double late_mean_innovation = 0.0;                ///< mean innovation
  double late_mean_output_per_head = 0.0;           ///< mean output_per_head
  double late_share_periods_lead = 0.0;             ///< share of periods with lead > 0
  double late_share_periods_innovation_lead = 0.0;  ///< share with innovation_lead > 0
};

}  // namespace orgsim::model
