#include "orgsim/model/Summary.h"

#include <algorithm>
#include <cmath>

namespace orgsim::model {
namespace {

struct Measure {
  std::string_view name;
  std::string_view unit;
  std::string_view meaning;
  double FirmSummary::*member;
};

constexpr std::array<Measure, kMeasureCount> kMeasures = {{
    {"share_periods_lead", "share of periods",
     "share of periods with a market-share lead over the best rival (lead > 0)",
     &FirmSummary::share_periods_lead},
    {"share_periods_innovation_lead", "share of periods",
     "share of periods with an innovation lead over the best rival",
     &FirmSummary::share_periods_innovation_lead},
    {"first_period_lead", "period", "first period with a market-share lead; NaN if never",
     &FirmSummary::first_period_lead},
    {"periods_run", "periods", "periods the run lasted", &FirmSummary::periods_run},
    {"mean_lead", "share of customers",
     "mean over every period run of the market-share lead over the best rival",
     &FirmSummary::mean_lead},
    {"mean_innovation_lead", "share of dimensions",
     "mean over every period run of the innovation lead over the best rival",
     &FirmSummary::mean_innovation_lead},
    {"mean_innovation", "share of dimensions", "mean over every period run of innovation",
     &FirmSummary::mean_innovation},
    {"mean_output_per_head", "output units per employee",
     "mean over every period run of output per head", &FirmSummary::mean_output_per_head},
    {"late_mean_lead", "share of customers",
     "mean over the late window (the last summary.late_share of the periods run) of the "
     "market-share lead over the best rival",
     &FirmSummary::late_mean_lead},
    {"late_mean_innovation_lead", "share of dimensions",
     "mean over the late window of the innovation lead over the best rival",
     &FirmSummary::late_mean_innovation_lead},
    {"late_mean_innovation", "share of dimensions", "mean over the late window of innovation",
     &FirmSummary::late_mean_innovation},
    {"late_mean_output_per_head", "output units per employee",
     "mean over the late window of output per head", &FirmSummary::late_mean_output_per_head},
    {"late_share_periods_lead", "share of periods",
     "share of the late window's periods with a market-share lead over the best rival (lead > 0)",
     &FirmSummary::late_share_periods_lead},
    {"late_share_periods_innovation_lead", "share of periods",
     "share of the late window's periods with an innovation lead over the best rival",
     &FirmSummary::late_share_periods_innovation_lead},
}};

// kMeasureCount must count kMeasures' entries: more entries fail to compile, fewer this.
constexpr bool all_measures_given() {
  for (const auto& measure : kMeasures) {
    if (measure.name.empty() || measure.member == nullptr) return false;
  }
  return true;
}
static_assert(all_measures_given(), "kMeasureCount is larger than the measures listed");

std::array<SummaryInfo, kSummaryCount> make_summary_info() {
  std::array<SummaryInfo, kSummaryCount> info;
  for (std::size_t q = 0; q < kQuantityCount; ++q) {
    const QuantityInfo& quantity = quantity_info()[q];
    info[q] = {"final_" + std::string(quantity.name), std::string(quantity.unit),
               "at the end of the run: " + std::string(quantity.meaning), q, nullptr};
  }
  for (std::size_t m = 0; m < kMeasureCount; ++m) {
    const Measure& measure = kMeasures[m];
    info[kQuantityCount + m] = {std::string(measure.name), std::string(measure.unit),
                                std::string(measure.meaning), kQuantityCount, measure.member};
  }
  return info;
}

}  // namespace

int late_window_periods(double late_share, int periods_run) {
  if (periods_run <= 0) return 0;
  const double rounded = std::floor(late_share * periods_run + 0.5);
  return std::clamp(static_cast<int>(rounded), 1, periods_run);
}

const std::array<SummaryInfo, kSummaryCount>& summary_info() {
  static const std::array<SummaryInfo, kSummaryCount> kInfo = make_summary_info();
  return kInfo;
}

const SummaryInfo* find_summary(std::string_view name) {
  for (const auto& info : summary_info()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

}  // namespace orgsim::model
