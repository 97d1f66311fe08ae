#pragma once
// A firm's leader: the long-range view. Every leader.cycle periods it sets the share of
// headcount in exploration, x_f, by one of three policies (MODEL.md step 8); the firm then
// moves people between roles to match. Every policy keeps x_f in [0, max_share].

#include <cmath>

#include "orgsim/model/Params.h"

namespace orgsim::model {

class Leader {
 public:
  /// A leader starting at leader.explore_share; `innovation` is the firm's innovation level
  /// now, the value policy's first reference point.
  Leader(const LeaderParams& params, double innovation);

  double explore_share() const { return share_; }

  /// Adds one period's opportunity cost of exploration: `explorers` people who could have
  /// produced `mean_producer_output` each (value policy).
  void record(int explorers, double mean_producer_output);

  /// The decision at the end of a cycle. `innovation` and `output` are the firm's I_f and
  /// Y_f now; `best_rival_innovation` is NaN when the firm has no rivals.
  void decide(double innovation, double output, double best_rival_innovation);

  /// A new leader (board decision): same policy, exploration share `share`, fresh memory.
  void replace(double share, double innovation);

  /// The value policy's last V (0 before the first decision); for tests and diagnostics.
  double last_value() const { return last_value_; }

 private:
  void step(int direction);

  LeaderParams params_;
  double share_;
  double innovation_at_last_cycle_;
  double cycle_cost_ = 0.0;
  double last_value_ = 0.0;
};

}  // namespace orgsim::model
