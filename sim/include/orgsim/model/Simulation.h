#pragma once
// One run of the model: the shared reality, the firms, the market between them, and the
// period loop of MODEL.md section 2. The engine drives it through this interface alone:
//
//   Simulation simulation(params, seed, replication);
//   while (!simulation.finished()) {
//     simulation.advance();
//     if (simulation.period() % plan.every == 0) record(simulation.observe());
//   }

#include <deque>
#include <string>
#include <vector>

#include "orgsim/model/Firm.h"
#include "orgsim/model/LeaderRule.h"
#include "orgsim/model/Market.h"
#include "orgsim/model/Observation.h"
#include "orgsim/model/Params.h"
#include "orgsim/model/Reality.h"

namespace orgsim::model {

class Simulation {
 public:
  /// `leader_rule` decides for the firms whose group has leader.policy = python
  /// (model/LeaderRule.h); it is not copied and must outlive the simulation. Throws
  /// ConfigError (kLeaderRuleMissing) when some group has that policy and no rule is given.
  Simulation(const ModelParams& params, std::uint64_t seed, std::uint64_t replication,
             const LeaderRule* leader_rule = nullptr);

  /// Runs one period. An exception of the leader rule comes out unchanged; a rule that
  /// returns NaN or an infinity is a RuleError. Either leaves the simulation unfinished
  /// mid-period: it cannot go on.
  void advance();

  /// Periods run so far.
  int period() const { return period_; }

  /// True once the run's stop rule (run.stop) is met.
  bool finished() const;

  /// Every firm's recorded quantities as of now, in firm order.
  std::vector<Observation> observe() const;
  /// The same, appended to `out` (no allocation once `out` has grown).
  void observe(std::vector<Observation>& out) const;

  /// Every firm's summary over the run so far. The late-window measures (model/Summary.h)
  /// are over the last late_window_periods() of the periods run; with run.stop = periods
  /// they are complete once finished().
  std::vector<FirmSummary> summarise() const;

  /// The firms' names, in firm order.
  std::vector<std::string> firm_names() const;

  const std::vector<Firm>& firms() const { return firms_; }
  const Reality& reality() const { return reality_; }

 private:
  struct MarketState {
    MarketPosition position;
    long periods_in_lead = 0;
    long periods_in_innovation_lead = 0;
    int first_period_in_lead = -1;
  };

  // One period's values of the quantities the late window averages.
  struct LateValues {
    double lead = 0.0;
    double innovation_lead = 0.0;
    double innovation = 0.0;
    double output_per_head = 0.0;
    void add(const LateValues& values) {
      lead += values.lead;
      innovation_lead += values.innovation_lead;
      innovation += values.innovation;
      output_per_head += values.output_per_head;
    }
  };
  // The late window from every period. With run.stop = periods the window's first period is
  // known from the start, and `sums` add up its values as they come (no memory per period).
  // With run.stop = equilibrium it is known only at the end: `held` keeps the values of the
  // periods that may still be in it (from one before the window of the periods run so far:
  // the window's first period never moves back as a run lasts longer), at most
  // late_share * T + 2 of them per firm, and summarise() adds them up in period order.
  struct LateWindow {
    LateValues whole;  // the sums over every period run, for the whole-run means
    LateValues sums;
    long periods_in_lead = 0;
    long periods_in_innovation_lead = 0;
    std::deque<LateValues> held;
  };
  void record_late_window();
  /// Firm `f`'s python-policy decision at this period's cycle end: the rule's answer to a
  /// view of the state now (a number; RuleError otherwise), before clipping.
  double ask_leader_rule(std::size_t f);

  ModelParams params_;
  RandomStream turbulence_stream_;
  Reality reality_;
  std::vector<Firm> firms_;
  std::vector<MarketState> market_;
  std::vector<LateWindow> late_;
  int late_first_ = 1;  // stop = periods: the window's first period; else the first held
  std::vector<FirmStanding> standings_;    // scratch for the market step
  std::vector<MarketPosition> positions_;  // scratch for the market step
  std::uint64_t turbulence_threshold_;
  const LeaderRule* leader_rule_ = nullptr;
  bool uses_leader_rule_ = false;  // some group has leader.policy = python
  LeaderView leader_view_;         // refilled for each call of the rule
  int period_ = 0;
  bool settled_ = false;
};

}  // namespace orgsim::model
