#include "orgsim/model/Leader.h"

#include <algorithm>

namespace orgsim::model {

Leader::Leader(const LeaderParams& params, double innovation)
    : params_(params), share_(bounded(std::max(params.explore_share, params.min_share))) {
  restart_memory(innovation);
}

double Leader::bounded(double share) const {
  return std::clamp(share, params_.min_share, params_.max_share);
}

void Leader::restart_memory(double innovation) {
  innovation_history_.assign(1, innovation);
  cost_history_.clear();
  cycle_cost_ = 0.0;
}

void Leader::record(int explorers, double mean_producer_output) {
  cycle_cost_ += explorers * mean_producer_output;
}

void Leader::step(int direction) {
  share_ = bounded(share_ + direction * params_.step);
}

double Leader::value(double innovation, double output) const {
  // c = min(memory, cycles completed), counting the one that ends now.
  const std::size_t cycles =
      std::min(static_cast<std::size_t>(params_.memory), cost_history_.size() + 1);
  const double then = innovation_history_[innovation_history_.size() - cycles];
  if (cycles == 1) return (innovation - then) * params_.horizon * output - cycle_cost_;
  double cost = cycle_cost_;
  for (std::size_t k = cost_history_.size() - (cycles - 1); k < cost_history_.size(); ++k) {
    cost += cost_history_[k];
  }
  const double c = static_cast<double>(cycles);
  return (innovation - then) / c * params_.horizon * output - cost / c;
}

void Leader::decide(double innovation, double output, double best_rival_innovation,
                    double chosen_share) {
  switch (params_.policy) {
    case LeaderPolicy::external:
      // The caller's rule decided (Simulation checked that it returned a number).
      if (!std::isnan(chosen_share)) share_ = bounded(chosen_share);
      break;
    case LeaderPolicy::fixed:
      share_ = bounded(params_.explore_share);
      break;
    case LeaderPolicy::value: {
      // The innovation gained per cycle over the last `memory` cycles, valued over the
      // horizon at today's output, against the output the explorers did not produce per
      // cycle over the same cycles. It follows the trend, not the level.
      last_value_ = value(innovation, output);
      if (last_value_ > 0.0) step(+1);
      if (last_value_ < 0.0) step(-1);
      break;
    }
    case LeaderPolicy::relative: {
      if (std::isnan(best_rival_innovation)) break;  // no rival: nothing to be relative to
      const double gap = innovation - best_rival_innovation;
      if (gap < -params_.comfort_margin) {
        step(+1);
      } else if (gap > params_.comfort_margin) {
        step(-1);
      } else {
        // Comfortable: one step back towards the baseline, without overshooting it.
        const double baseline = bounded(params_.explore_share);
        if (share_ < baseline) share_ = std::min(baseline, share_ + params_.step);
        if (share_ > baseline) share_ = std::max(baseline, share_ - params_.step);
      }
      break;
    }
  }
  // Remember this cycle: at most `memory` innovation levels back and the costs between them.
  const auto memory = static_cast<std::size_t>(params_.memory);
  innovation_history_.push_back(innovation);
  cost_history_.push_back(cycle_cost_);
  while (innovation_history_.size() > memory) innovation_history_.pop_front();
  while (cost_history_.size() + 1 > memory) cost_history_.pop_front();
  cycle_cost_ = 0.0;
}

void Leader::replace(double share, double innovation) {
  share_ = bounded(share);
  restart_memory(innovation);
  last_value_ = 0.0;
}

}  // namespace orgsim::model
