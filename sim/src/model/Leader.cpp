#include "orgsim/model/Leader.h"

#include <algorithm>

namespace orgsim::model {

Leader::Leader(const LeaderParams& params, double innovation)
    : params_(params),
      share_(std::clamp(params.explore_share, 0.0, params.max_share)),
      innovation_at_last_cycle_(innovation) {}

void Leader::record(int explorers, double mean_producer_output) {
  cycle_cost_ += explorers * mean_producer_output;
}

void Leader::step(int direction) {
  share_ = std::clamp(share_ + direction * params_.step, 0.0, params_.max_share);
}

void Leader::decide(double innovation, double output, double best_rival_innovation) {
  switch (params_.policy) {
    case LeaderPolicy::fixed:
      share_ = std::clamp(params_.explore_share, 0.0, params_.max_share);
      break;
    case LeaderPolicy::value: {
      // The innovation gained this cycle, valued over the horizon at today's output, against
      // the output the explorers did not produce. It follows the trend, not the level.
      last_value_ =
          (innovation - innovation_at_last_cycle_) * params_.horizon * output - cycle_cost_;
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
        const double baseline = std::clamp(params_.explore_share, 0.0, params_.max_share);
        if (share_ < baseline) share_ = std::min(baseline, share_ + params_.step);
        if (share_ > baseline) share_ = std::max(baseline, share_ - params_.step);
      }
      break;
    }
  }
  innovation_at_last_cycle_ = innovation;
  cycle_cost_ = 0.0;
}

void Leader::replace(double share, double innovation) {
  share_ = std::clamp(share, 0.0, params_.max_share);
  innovation_at_last_cycle_ = innovation;
  cycle_cost_ = 0.0;
  last_value_ = 0.0;
}

}  // namespace orgsim::model
