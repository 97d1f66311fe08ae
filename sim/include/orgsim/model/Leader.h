#pragma once
// A firm's leader: the long-range view. Every leader.cycle periods it sets the share of
// headcount in exploration, x_f, by one of three policies (MODEL.md step 8), or takes the
// share a caller's function chose (leader.policy = python, model/LeaderRule.h); the firm
// then moves people between roles to match. Every policy keeps x_f in [min_share, max_share].
// The value policy reads the innovation trend over the last leader.memory cycles.

#include <cmath>
#include <deque>
#include <limits>

#include "orgsim/model/Params.h"

namespace orgsim::model {

class Leader {
 public:
  /// A leader starting at max(leader.explore_share, leader.min_share); `innovation` is the firm's
  /// innovation level now, the value policy's first reference point.
  Leader(const LeaderParams& params, double innovation);

  double explore_share() const { return share_; }
  const LeaderParams& params() const { return params_; }

  /// Adds one period's opportunity cost of exploration: `explorers` people who could have
  /// produced `mean_producer_output` each (value policy).
  void record(int explorers, double mean_producer_output);

  /// The decision at the end of a cycle. `innovation` and `output` are the firm's I_f and
  /// Y_f now; `best_rival_innovation` is NaN when the firm has no rivals. `chosen_share` is
  /// the python policy's decision (what the caller's rule returned, clipped here to
  /// [min_share, max_share]; NaN leaves the share as it is); the other policies ignore it.
  void decide(double innovation, double output, double best_rival_innovation,
              double chosen_share = std::numeric_limits<double>::quiet_NaN());

  /// A new leader (board decision): same policy, exploration share `share` (kept in
  /// [min_share, max_share]), fresh memory: its cycle count restarts from `innovation`.
  void replace(double share, double innovation);

  /// The value policy's last V (0 before the first decision); for tests and diagnostics.
  double last_value() const { return last_value_; }

 private:
  void step(int direction);
  double bounded(double share) const;
  void restart_memory(double innovation);
  /// The value policy's V at the end of the cycle now ending.
  double value(double innovation, double output) const;

  LeaderParams params_;
  double share_;
  /// I_f at the last decisions (or the start of the tenure), oldest first: at most
  /// `memory` of them.
  std::deque<double> innovation_history_;
  /// The cost of each cycle between them, oldest first: one fewer.
  std::deque<double> cost_history_;
  double cycle_cost_ = 0.0;
  double last_value_ = 0.0;
};

}  // namespace orgsim::model
