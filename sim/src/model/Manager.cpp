#include "orgsim/model/Manager.h"

#include <algorithm>
#include <cmath>

namespace orgsim::model {

Manager::Manager(const ManagerParams& params, RandomStream& stream)
    : params_(params), pressure_(params.pressure) {
  if (params_.policy == ManagerPolicy::hill_climb) direction_ = stream.bernoulli(0.5) ? 1 : -1;
}

bool Manager::is_tie(double mean, double previous) {
  return std::abs(mean - previous) <= kTieTolerance * std::max(1.0, std::abs(previous));
}

bool Manager::end_period(int period) {
  if (params_.policy == ManagerPolicy::fixed || period % params_.kpi_window != 0) return false;
  if (window_producer_periods_ == 0) return false;  // nobody produced: nothing to judge by
  const double mean = window_output_ / static_cast<double>(window_producer_periods_);
  window_output_ = 0.0;
  window_producer_periods_ = 0;
  // Under hold, output that did not change says nothing about the direction: stay where
  // the pressure is and keep the direction for the next move. The first review has nothing
  // to compare with and moves in the initial direction under either rule.
  if (has_previous_ && params_.on_tie == TieRule::hold && is_tie(mean, previous_mean_)) {
    previous_mean_ = mean;
    return false;
  }
  // Keep going while output does not fall; turn round when it does.
  if (has_previous_ && mean < previous_mean_) direction_ = -direction_;
  previous_mean_ = mean;
  has_previous_ = true;
  const double before = pressure_;
  pressure_ = std::clamp(pressure_ + params_.step * direction_, 0.0, 1.0);
  return pressure_ != before;
}

}  // namespace orgsim::model
