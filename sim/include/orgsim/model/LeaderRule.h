#pragma once
// A leader policy supplied by the caller (leader.policy = python, LeaderPolicy::external):
// at each of its leader cycle ends a firm of such a group asks a function for its new
// exploration share instead of applying one of the built-in rules (MODEL.md step 8). The
// Python module wraps a Python callable into a LeaderRule; C++ callers (the tests) pass a
// lambda. Simulation calls it with a LeaderView and clips what it returns to
// [min_share, max_share]; staffing, the board (Leader::replace) and everything else work
// as for the other policies.
//
// What the view holds is the state at step 8 of the period (after this period's acting,
// experiments, learning and managers; before this period's market step): the firm's own
// I_f and Y_f as the other policies see them, and the market shares of the last period's
// market step (step 9 of period - 1; all 0 at period 1, before any), the only ones a
// leader can know at that moment.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "orgsim/core/Error.h"
#include "orgsim/model/Params.h"

namespace orgsim::model {

/// What a leader sees at the end of a cycle. Simulation keeps one and refills it for each
/// call (its vectors keep their memory): valid during the call only, copy what must last.
struct LeaderView {
  int period = 0;            ///< the period now ending (a multiple of leader.cycle)
  std::size_t firm = 0;      ///< the firm's index in industry order
  std::string name;          ///< the firm's name (firm_names() order)
  double innovation = 0;     ///< I_f now, after this period's code learning
  double output = 0;         ///< Y_f this period
  int explorers = 0;         ///< people in exploration now, before this decision
  int headcount = 0;         ///< employees now
  double explore_share = 0;  ///< x_f now, before this decision
  double min_share = 0;      ///< leader.min_share: the rule's answer is clipped to
  double max_share = 0;      ///< [min_share, max_share]
  /// The other firms' I_f now and their market shares s_g of the last period's market
  /// step, in industry order without this firm (empty with one firm).
  std::vector<double> rival_innovation;
  std::vector<double> rival_market_share;
  double market_share = 0;  ///< the firm's own s_f of the last period's market step
};

/// Returns the new exploration share x_f. It may throw: Simulation::advance lets the
/// exception through unchanged. Called on the thread that runs the simulation; an engine
/// running several threads calls one rule from all of them at once.
using LeaderRule = std::function<double(const LeaderView&)>;

/// A LeaderRule returned something that is not a number (NaN or an infinity).
class RuleError : public Error {
 public:
  using Error::Error;
};

/// The ConfigError message when parameters use leader.policy = python and no rule is given
/// (Simulation, engine::run_campaign, the command line).
inline constexpr std::string_view kLeaderRuleMissing =
    "leader.policy = python needs a Python function: call orgsim.run(scenario, "
    "leader_policy=f) from Python (docs/python.md); on the command line use fixed, value or "
    "relative";

/// True when some group of `params` has leader.policy = python.
bool uses_leader_rule(const ModelParams& params);

/// RuleError's message for `returned` (not finite) from firm `firm` at `period`, given the
/// range the rule should have kept to.
std::string rule_error_message(double returned, std::string_view firm, int period,
                               const LeaderParams& leader);

}  // namespace orgsim::model
