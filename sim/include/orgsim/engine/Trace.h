#pragma once
// A trace of one run's employees: the run of a plan, period by period, handing every
// recorded period's employees (model::EmployeeState, one per firm), reality and the firms'
// observations to a TraceSink, as a campaign hands finished runs to a RunSink. A trace of
// plan P is the very run `orgsim run` makes of P (the same parameters, seed and
// replication: the same streams), and records the same periods (every, 2 * every, ...).
//
// Headcount varies over a run (resource feedback hires and lays off), so a trace's shape
// is found by a first pass: measure_trace() runs the plan once without snapshots, which
// costs one run (agent-steps only, no copying) and gives the exact number of recorded
// periods and the largest headcount of any firm at any of them. A sink can then lay its
// arrays out before the second, recorded pass, and trace_bytes() is exact rather than a
// bound.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "orgsim/engine/RunPlan.h"
#include "orgsim/engine/Runner.h"  // Interrupted
#include "orgsim/model/EmployeeState.h"
#include "orgsim/model/Observation.h"

namespace orgsim::engine {

/// The shape of a trace: what measure_trace() finds.
struct TraceShape {
  std::size_t periods = 0;     ///< recorded periods
  std::size_t firms = 0;       ///< firms of the run
  std::size_t employees = 0;   ///< the largest headcount of any firm at a recorded period
  std::size_t dimensions = 0;  ///< m
  std::vector<std::string> firm_names;
};

/// One recorded period, as a sink receives it. The references hold until record() returns.
struct TracePeriod {
  int period = 0;         ///< the period just run (1-based, as in the result files)
  std::size_t index = 0;  ///< its place among the recorded periods (0, 1, ...)
  const std::vector<std::int8_t>& reality;          ///< m values in {-1, +1}
  const std::vector<model::EmployeeState>& firms;   ///< one per firm, in firm order
  const std::vector<model::Observation>& observed;  ///< one per firm, as a trajectory has it
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  /// Records one period. Called in period order, never concurrently.
  virtual void record(const TracePeriod& period) = 0;
};

/// Runs `plan` once without recording to find its trace's shape. Throws Interrupted when
/// `cancel` is set (checked every period).
TraceShape measure_trace(const RunPlan& plan, const std::atomic<bool>* cancel = nullptr);

/// The bytes a trace of `shape` takes before compression: per period, firm and employee
/// slot its beliefs (1 byte a dimension) and kEmployeeBytes of per-employee values; per
/// period and firm its code and kFirmBytes of firm values; per period reality and the
/// period. Padding slots (employees beyond a firm's headcount) count: they are stored.
std::uint64_t trace_bytes(const TraceShape& shape);

/// performance and team (int32), output, autonomy and pressure (float64), role (uint8).
inline constexpr std::uint64_t kEmployeeBytes = 4 + 4 + 8 + 8 + 8 + 1;
/// headcount (int32) and every observed quantity but headcount (float64).
inline constexpr std::uint64_t kFirmBytes = 4 + 8 * (model::kQuantityCount - 1);

/// Runs `plan` to its stop rule, handing `sink` every recorded period; returns the
/// periods run. Checks `cancel` every period and throws Interrupted once it is set.
int trace(const RunPlan& plan, TraceSink& sink, const std::atomic<bool>* cancel = nullptr);

}  // namespace orgsim::engine
