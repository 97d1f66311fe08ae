#pragma once
// A production team's manager: the short-range view. It sets the team's pressure to
// conform, either fixed or as a myopic hill-climber that every kpi_window periods compares
// the team's mean output per producer with the window before and moves pressure by one
// step in the direction that last raised it, reversing when output fell (MODEL.md step 7).
// On a tie (equal output within a relative 1e-12) manager.on_tie says whether it holds
// its pressure (hold) or takes one more step in the last direction (keep).

#include "orgsim/core/Random.h"
#include "orgsim/model/Params.h"

namespace orgsim::model {

class Manager {
 public:
  /// A new manager at manager.pressure; a hill-climber draws its first direction from
  /// `stream`.
  Manager(const ManagerParams& params, RandomStream& stream);

  double pressure() const { return pressure_; }
  /// +1 or -1: where the next hill-climbing step goes.
  int direction() const { return direction_; }

  /// Adds one period of the team's output: the summed output of its `producers`.
  void record(double output, int producers) {
    window_output_ += output;
    window_producer_periods_ += producers;
  }

  /// Called at the end of every period; reviews at the end of each KPI window. Returns
  /// true when the pressure changed.
  bool end_period(int period);

  /// Relative tolerance of a tie: |mean - previous| <= kTieTolerance * max(1, |previous|).
  static constexpr double kTieTolerance = 1e-12;
  /// Whether a window's mean output ties the previous window's.
  static bool is_tie(double mean, double previous);

 private:
  ManagerParams params_;
  double pressure_;
  int direction_ = 1;
  double window_output_ = 0.0;
  long window_producer_periods_ = 0;
  double previous_mean_ = 0.0;
  bool has_previous_ = false;
};

}  // namespace orgsim::model
