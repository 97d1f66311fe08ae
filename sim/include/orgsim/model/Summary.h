#pragma once
// The per-run summary of each firm, as recorded: final_<quantity> for every quantity of
// Observation.h, then the measures over the whole run. This table is the single description
// of those fields: their order (in /summaries, in a journal record and in an MPI message),
// name, unit and meaning, and where each lives in a FirmSummary. Adding a field is adding
// a member to FirmSummary and a line to the measures in Summary.cpp.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "orgsim/model/Observation.h"

namespace orgsim::model {

/// FirmSummary's measures besides `final`: share_periods_lead,
/// share_periods_innovation_lead, first_period_lead, periods_run, mean_lead,
/// mean_innovation_lead, mean_innovation and mean_output_per_head over the whole run,
/// then late_mean_lead, late_mean_innovation_lead, late_mean_innovation,
/// late_mean_output_per_head, late_share_periods_lead and late_share_periods_innovation_lead
/// over the late window.
inline constexpr std::size_t kMeasureCount = 14;
/// Summaries per firm and run.
inline constexpr std::size_t kSummaryCount = kQuantityCount + kMeasureCount;

struct SummaryInfo {
  std::string name;     ///< the /summaries dataset's name
  std::string unit;     ///< its units attribute
  std::string meaning;  ///< its long_name attribute
  /// final.values[quantity] when quantity < kQuantityCount, else the member `measure`.
  std::size_t quantity = kQuantityCount;
  double FirmSummary::*measure = nullptr;

  double of(const FirmSummary& summary) const {
    return quantity < kQuantityCount ? summary.final.values[quantity] : summary.*measure;
  }
  double& of(FirmSummary& summary) const {
    return quantity < kQuantityCount ? summary.final.values[quantity] : summary.*measure;
  }
};

/// The late window's length for a run of `periods_run` periods: the last
/// max(1, round-half-up(late_share * periods_run)) periods (none for a run of none).
int late_window_periods(double late_share, int periods_run);

/// Every summary, in recorded order: the final quantities in Quantity order, then the measures.
const std::array<SummaryInfo, kSummaryCount>& summary_info();

/// The summary named `name` (e.g. "final_lead", "periods_run"); nullptr if there is none.
const SummaryInfo* find_summary(std::string_view name);

}  // namespace orgsim::model
