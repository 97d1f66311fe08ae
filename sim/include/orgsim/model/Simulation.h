#pragma once
// One run of the model: the shared reality, the firms, the market between them, and the
// period loop of MODEL.md section 2. The engine drives it through this interface alone:
//
//   Simulation simulation(params, seed, replication);
//   while (!simulation.finished()) {
//     simulation.advance();
//     if (simulation.period() % plan.every == 0) record(simulation.observe());
//   }

#include <string>
#include <vector>

#include "orgsim/model/Firm.h"
#include "orgsim/model/Market.h"
#include "orgsim/model/Observation.h"
#include "orgsim/model/Params.h"
#include "orgsim/model/Reality.h"

namespace orgsim::model {

class Simulation {
 public:
  Simulation(const ModelParams& params, std::uint64_t seed, std::uint64_t replication);

  /// Runs one period.
  void advance();

  /// Periods run so far.
  int period() const { return period_; }

  /// True once the run's stop rule (run.stop) is met.
  bool finished() const;

  /// Every firm's recorded quantities as of now, in firm order.
  std::vector<Observation> observe() const;
  /// The same, appended to `out` (no allocation once `out` has grown).
  void observe(std::vector<Observation>& out) const;

  /// Every firm's summary over the run so far.
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

  ModelParams params_;
  RandomStream turbulence_stream_;
  Reality reality_;
  std::vector<Firm> firms_;
  std::vector<MarketState> market_;
  std::vector<FirmStanding> standings_;    // scratch for the market step
  std::vector<MarketPosition> positions_;  // scratch for the market step
  std::uint64_t turbulence_threshold_;
  int period_ = 0;
  bool settled_ = false;
};

}  // namespace orgsim::model
