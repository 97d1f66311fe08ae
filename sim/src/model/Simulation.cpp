#include "orgsim/model/Simulation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "orgsim/core/Error.h"
#include "orgsim/model/Market.h"
#include "orgsim/model/Streams.h"
#include "orgsim/model/Summary.h"

namespace orgsim::model {
namespace {

Reality initial_reality(const ModelParams& params, std::uint64_t seed, std::uint64_t replication) {
  RandomStream stream = make_stream(seed, replication, kEnvironmentKey, StreamPurpose::reality);
  return Reality(params.env.dimensions, stream);
}

}  // namespace

Simulation::Simulation(const ModelParams& params, std::uint64_t seed, std::uint64_t replication,
                       const LeaderRule* leader_rule)
    : params_(params),
      turbulence_stream_(
          make_stream(seed, replication, kEnvironmentKey, StreamPurpose::turbulence)),
      reality_(initial_reality(params, seed, replication)),
      turbulence_threshold_(probability_threshold(params.env.turbulence)),
      leader_rule_(leader_rule),
      uses_leader_rule_(uses_leader_rule(params)) {
  if (uses_leader_rule_ && leader_rule_ == nullptr) throw ConfigError(kLeaderRuleMissing);
  // A firm's streams are named by its group and its index in the group, never by its
  // position in the industry: adding rivals leaves every other firm's draws unchanged.
  const std::vector<std::string> names = model::firm_names(params_);
  for (const auto& group : firm_groups(params_)) {
    for (int k = 0; k < group.count; ++k) {
      firms_.emplace_back(
          names[firms_.size()], group.params, params_.env.dimensions,
          make_firm_streams(seed, replication, firm_key(group.name, static_cast<std::uint32_t>(k))),
          params_.board.patience);
    }
  }
  for (auto& firm : firms_) firm.start(reality_);
  market_.resize(firms_.size());
  late_.resize(firms_.size());
  if (params_.run.stop == StopRule::periods) {
    late_first_ = params_.run.periods -
                  late_window_periods(params_.summary.late_share, params_.run.periods) + 1;
  }
}

void Simulation::record_late_window() {
  const bool known = params_.run.stop == StopRule::periods;
  const bool before_window = known && period_ < late_first_;
  for (std::size_t f = 0; f < firms_.size(); ++f) {
    // As observe() records them; innovation as the market step computed it this period
    // (the code does not change after step 6).
    const LateValues values{market_[f].position.lead, market_[f].position.innovation_lead,
                            standings_[f].innovation,
                            firms_[f].output() / static_cast<double>(firms_[f].headcount())};
    LateWindow& late = late_[f];
    late.whole.add(values);
    if (before_window) continue;
    if (!known) {
      late.held.push_back(values);
      continue;
    }
    late.sums.add(values);
    if (values.lead > 0.0) ++late.periods_in_lead;
    if (values.innovation_lead > 0.0) ++late.periods_in_innovation_lead;
  }
  if (known) return;
  // Keep one period before the window of the periods run so far.
  const int first = period_ - late_window_periods(params_.summary.late_share, period_);
  while (late_first_ < first) {
    for (auto& late : late_) late.held.pop_front();
    ++late_first_;
  }
}

void Simulation::advance() {
  ++period_;
  for (auto& firm : firms_) firm.turnover();
  if (turbulence_threshold_ != 0) reality_.turbulence(turbulence_stream_, turbulence_threshold_);
  for (auto& firm : firms_) firm.act(reality_);
  for (auto& firm : firms_) firm.experiment(reality_);
  // Steps 5 and 6 both read the state as it stood after step 4: socialisation and leading
  // by example (5b, on the beliefs as 5 left them) change beliefs only, code learning reads
  // this period's actions and the code only.
  for (auto& firm : firms_) {
    firm.socialise();
    firm.learn_from_peers();
    firm.learn_code();
  }
  for (auto& firm : firms_) firm.manage(period_);

  // Leaders see the rivals' innovation as it stands after this period's learning.
  const std::size_t count = firms_.size();
  std::vector<FirmStanding>& standings = standings_;
  standings.resize(count);
  for (std::size_t f = 0; f < count; ++f) standings[f].innovation = firms_[f].innovation(reality_);
  for (std::size_t f = 0; f < count; ++f) {
    double best_rival = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t g = 0; g < count; ++g) {
      if (g != f && !(standings[g].innovation <= best_rival)) best_rival = standings[g].innovation;
    }
    if (uses_leader_rule_ && firms_[f].leader().params().policy == LeaderPolicy::external &&
        firms_[f].leader_cycle_ends(period_)) {
      firms_[f].lead(period_, reality_, best_rival, ask_leader_rule(f));
    } else {
      firms_[f].lead(period_, reality_, best_rival);
    }
  }

  for (std::size_t f = 0; f < count; ++f) {
    standings[f].output_per_head = firms_[f].output() / firms_[f].headcount();
  }
  std::vector<MarketPosition>& positions = positions_;
  clear_market(standings, params_.market.sensitivity, positions);
  for (std::size_t f = 0; f < count; ++f) {
    MarketState& state = market_[f];
    state.position = positions[f];
    if (state.position.lead > 0.0) {
      ++state.periods_in_lead;
      if (state.first_period_in_lead < 0) state.first_period_in_lead = period_;
    }
    if (state.position.innovation_lead > 0.0) ++state.periods_in_innovation_lead;
  }
  if (params_.market.resource_feedback > 0.0) {
    int industry_headcount = 0;
    for (const auto& firm : firms_) industry_headcount += firm.headcount();
    for (std::size_t f = 0; f < count; ++f) {
      firms_[f].adjust_headcount(positions[f].share, industry_headcount, params_.market, reality_);
    }
  }
  if (params_.board.patience > 0 && count > 1) {
    for (std::size_t f = 0; f < count; ++f) {
      firms_[f].review_board(period_, positions[f].rank == static_cast<int>(count), reality_);
    }
  }

  record_late_window();

  if (params_.run.stop == StopRule::equilibrium) {
    settled_ = std::all_of(firms_.begin(), firms_.end(),
                           [this](const Firm& firm) { return firm.settled(reality_); });
  }
}

double Simulation::ask_leader_rule(std::size_t f) {
  // The state at step 8: innovation as it stands after this period's learning (standings_,
  // as the relative policy sees it), market shares from the last period's market step.
  const Firm& firm = firms_[f];
  const LeaderParams& leader = firm.leader().params();
  LeaderView& view = leader_view_;
  view.period = period_;
  view.firm = f;
  view.name = firm.name();
  view.innovation = standings_[f].innovation;
  view.output = firm.output();
  view.explorers = firm.explorers();
  view.headcount = firm.headcount();
  view.explore_share = firm.leader().explore_share();
  view.min_share = leader.min_share;
  view.max_share = leader.max_share;
  view.market_share = market_[f].position.share;
  view.rival_innovation.clear();
  view.rival_market_share.clear();
  for (std::size_t g = 0; g < firms_.size(); ++g) {
    if (g == f) continue;
    view.rival_innovation.push_back(standings_[g].innovation);
    view.rival_market_share.push_back(market_[g].position.share);
  }
  const double share = (*leader_rule_)(view);
  if (!std::isfinite(share)) {
    throw RuleError(rule_error_message(share, firm.name(), period_, leader));
  }
  return share;
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
    const MarketPosition& position = market_[f].position;
    observation[Quantity::market_share] = position.share;
    observation[Quantity::lead] = position.lead;
    observation[Quantity::innovation_lead] = position.innovation_lead;
    observation[Quantity::rank] = position.rank;
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

    const LateWindow& late = late_[f];
    const double nan = std::numeric_limits<double>::quiet_NaN();
    summary.mean_lead = periods > 0 ? late.whole.lead / periods : nan;
    summary.mean_innovation_lead = periods > 0 ? late.whole.innovation_lead / periods : nan;
    summary.mean_innovation = periods > 0 ? late.whole.innovation / periods : nan;
    summary.mean_output_per_head = periods > 0 ? late.whole.output_per_head / periods : nan;
    const int window = late_window_periods(params_.summary.late_share, period_);
    LateValues sums = late.sums;
    long in_lead = late.periods_in_lead;
    long in_innovation_lead = late.periods_in_innovation_lead;
    if (params_.run.stop != StopRule::periods) {
      const auto skip = static_cast<std::size_t>(period_ - window + 1 - late_first_);
      for (std::size_t k = skip; k < late.held.size(); ++k) {
        const LateValues& values = late.held[k];
        sums.add(values);
        if (values.lead > 0.0) ++in_lead;
        if (values.innovation_lead > 0.0) ++in_innovation_lead;
      }
    }
    const double n = window;
    summary.late_mean_lead = window > 0 ? sums.lead / n : nan;
    summary.late_mean_innovation_lead = window > 0 ? sums.innovation_lead / n : nan;
    summary.late_mean_innovation = window > 0 ? sums.innovation / n : nan;
    summary.late_mean_output_per_head = window > 0 ? sums.output_per_head / n : nan;
    summary.late_share_periods_lead = window > 0 ? in_lead / n : 0.0;
    summary.late_share_periods_innovation_lead = window > 0 ? in_innovation_lead / n : 0.0;
  }
  return summaries;
}

std::vector<std::string> Simulation::firm_names() const {
  std::vector<std::string> names;
  for (const auto& firm : firms_) names.push_back(firm.name());
  return names;
}

}  // namespace orgsim::model
