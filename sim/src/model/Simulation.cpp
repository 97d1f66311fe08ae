#include "orgsim/model/Simulation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "orgsim/model/Streams.h"

namespace orgsim::model {
namespace {

// The firms of this engine: a single group of one firm. Its stream key already follows
// the (group, index) rule, so that firms added later keep their own draws.
constexpr std::string_view kFirmGroup = "focal";

Reality initial_reality(const ModelParams& params, std::uint64_t seed, std::uint64_t replication) {
  RandomStream stream = make_stream(seed, replication, kEnvironmentKey, StreamPurpose::reality);
  return Reality(params.env.dimensions, stream);
}

}  // namespace

Simulation::Simulation(const ModelParams& params, std::uint64_t seed, std::uint64_t replication)
    : params_(params),
      turbulence_stream_(
          make_stream(seed, replication, kEnvironmentKey, StreamPurpose::turbulence)),
      reality_(initial_reality(params, seed, replication)),
      turbulence_threshold_(probability_threshold(params.env.turbulence)) {
  firms_.emplace_back(std::string(kFirmGroup), params_,
                      make_firm_streams(seed, replication, firm_key(kFirmGroup, 0)));
  market_.resize(firms_.size());
}

void Simulation::advance() {
  ++period_;
  for (auto& firm : firms_) firm.turnover();
  if (turbulence_threshold_ != 0) reality_.turbulence(turbulence_stream_, turbulence_threshold_);
  for (auto& firm : firms_) firm.act(reality_);
  // Steps 5 and 6 both read the state as it stood after step 4: socialisation changes
  // beliefs only, code learning reads this period's actions and the code only.
  for (auto& firm : firms_) {
    firm.socialise();
    firm.learn_code();
  }
  clear_market();
  if (params_.run.stop == StopRule::equilibrium) {
    settled_ = std::all_of(firms_.begin(), firms_.end(),
                           [this](const Firm& firm) { return firm.settled(reality_); });
  }
}

void Simulation::clear_market() {
  // s_f = q_f / sum_g q_g with q_f = (Y_f / n_f) exp(beta I_f): output per head, not total
  // output, so that size alone wins nothing.
  const std::size_t count = firms_.size();
  std::vector<double>& attractiveness = attractiveness_;
  attractiveness.resize(count);
  double total = 0.0;
  for (std::size_t f = 0; f < count; ++f) {
    market_[f].innovation = firms_[f].innovation(reality_);
    attractiveness[f] = firms_[f].output() / firms_[f].headcount() *
                        std::exp(params_.market.sensitivity * market_[f].innovation);
    total += attractiveness[f];
  }
  for (std::size_t f = 0; f < count; ++f) {
    // With no output anywhere, customers split evenly.
    market_[f].share = total > 0.0 ? attractiveness[f] / total : 1.0 / static_cast<double>(count);
  }
  for (std::size_t f = 0; f < count; ++f) {
    auto& state = market_[f];
    double best_rival_share = -std::numeric_limits<double>::infinity();
    double best_rival_innovation = -std::numeric_limits<double>::infinity();
    int rank = 1;
    for (std::size_t g = 0; g < count; ++g) {
      if (g == f) continue;
      best_rival_share = std::max(best_rival_share, market_[g].share);
      best_rival_innovation = std::max(best_rival_innovation, market_[g].innovation);
      if (market_[g].share > state.share) ++rank;
    }
    state.lead = count > 1 ? state.share - best_rival_share : 0.0;
    state.innovation_lead = count > 1 ? state.innovation - best_rival_innovation : 0.0;
    state.rank = rank;
    if (state.lead > 0.0) {
      ++state.periods_in_lead;
      if (state.first_period_in_lead < 0) state.first_period_in_lead = period_;
    }
    if (state.innovation_lead > 0.0) ++state.periods_in_innovation_lead;
  }
}

bool Simulation::finished() const {
  if (params_.run.stop == StopRule::periods) return period_ >= params_.run.periods;
  return settled_ || period_ >= params_.run.max_periods;
}

std::vector<Observation> Simulation::observe() const {
  std::vector<Observation> observations;
  observe(observations);
  return observations;
}

void Simulation::observe(std::vector<Observation>& out) const {
  for (std::size_t f = 0; f < firms_.size(); ++f) {
    Observation& observation = out.emplace_back();
    firms_[f].observe(reality_, observation);
    observation[Quantity::market_share] = market_[f].share;
    observation[Quantity::lead] = market_[f].lead;
    observation[Quantity::innovation_lead] = market_[f].innovation_lead;
    observation[Quantity::rank] = market_[f].rank;
  }
}

std::vector<FirmSummary> Simulation::summarise() const {
  const std::vector<Observation> final = observe();
  std::vector<FirmSummary> summaries(firms_.size());
  const double periods = period_;
  for (std::size_t f = 0; f < firms_.size(); ++f) {
    FirmSummary& summary = summaries[f];
    summary.final = final[f];
    summary.share_periods_lead = periods > 0 ? market_[f].periods_in_lead / periods : 0.0;
    summary.share_periods_innovation_lead =
        periods > 0 ? market_[f].periods_in_innovation_lead / periods : 0.0;
    summary.first_period_lead = market_[f].first_period_in_lead >= 0
                                    ? market_[f].first_period_in_lead
                                    : std::numeric_limits<double>::quiet_NaN();
    summary.periods_run = periods;
  }
  return summaries;
}

std::vector<std::string> Simulation::firm_names() const {
  std::vector<std::string> names;
  for (const auto& firm : firms_) names.push_back(firm.name());
  return names;
}

}  // namespace orgsim::model
