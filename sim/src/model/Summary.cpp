#include "orgsim/model/Summary.h"

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
