#pragma once
// The typed, validated parameters of one model run, and how a scenario is run (RunSpec:
// replications, seed, recorded periods), which is not the model. The default member
// initialisers are the defaults (MODEL.md); ParameterTable.h maps every dotted scenario
// key onto one field here, with its range, unit and meaning.
//
// Firm-level parameters (firm.*, manager.*, leader.*) live in GroupParams. ModelParams
// derives from it: those fields are the defaults every group starts from, and each
// FirmGroup holds its own resolved copy.

#include <cstdint>
#include <string>
#include <vector>

namespace orgsim::model {

enum class AutonomyDistribution { fixed, beta, two_point };
enum class ManagerPolicy { hill_climb, fixed };
/// What a hill-climbing manager does when a window's mean output ties the previous one's.
enum class TieRule { hold, keep };
/// `external` is leader.policy = python in scenario files: the share is decided by a function
/// the caller passes (model/LeaderRule.h), a Python callable through the Python module.
enum class LeaderPolicy { fixed, value, relative, external };
enum class StopRule { periods, equilibrium };

struct EnvParams {
  int dimensions = 30;      ///< m: dimensions of reality and of every belief vector
  double turbulence = 0.0;  ///< p4: probability a dimension of reality flips, per period
};

/// How autonomy a_i in [0, 1] is drawn at hire.
struct AutonomyParams {
  AutonomyDistribution distribution = AutonomyDistribution::fixed;
  double mean = 0.0;            ///< fixed: the value; beta: the mean
  double concentration = 10.0;  ///< beta: shape parameters mean*c and (1-mean)*c
  double low = 0.0;             ///< two_point: the low value
  double high = 1.0;            ///< two_point: the high value
  double share_high = 0.5;      ///< two_point: probability of drawing the high value
};

/// The peer network of step 5b (leading by example).
struct PeerParams {
  double cross_rate = 1.0;  ///< lambda: mean cross-team ties each position draws (Poisson)
};

struct FirmParams {
  int employees = 50;                ///< n: headcount at start
  double turnover = 0.0;             ///< p3: probability an employee is replaced, per period
  double socialization = 0.1;        ///< p1: March's socialisation rate
  double code_learning = 0.5;        ///< p2: March's code-learning rate
  int span_of_control = 10;          ///< production employees per manager
  double coordination_cost = 0.0;    ///< gamma: output lost per unit of deviation from the code
  double experiment_rate = 0.0;      ///< epsilon: scales a producer's experiment probability
  double experiment_accuracy = 0.9;  ///< q: probability an experiment sees the truth
  int explore_probes = 1;            ///< experiments per explorer per period
  double peer_learning = 0.0;        ///< p5: rate of following better peers' example; 0 = off
  AutonomyParams autonomy;
  PeerParams peer;
};

struct ManagerParams {
  ManagerPolicy policy = ManagerPolicy::hill_climb;
  double pressure = 0.5;           ///< fixed: the pressure; hill_climb: where it starts
  int kpi_window = 1;              ///< periods per performance review
  double step = 0.05;              ///< pressure change per review
  TieRule on_tie = TieRule::hold;  ///< hold = stay on a tie; keep = step on (revision 1)
};

struct LeaderParams {
  LeaderPolicy policy = LeaderPolicy::fixed;
  double explore_share = 0.0;    ///< x_f at the start; fixed: throughout; relative: baseline
  double step = 0.05;            ///< change of x_f per cycle
  int horizon = 50;              ///< H: periods over which value weighs an innovation gain
  double max_share = 0.5;        ///< x_f never exceeds this
  int cycle = 10;                ///< periods between the leader's decisions
  double comfort_margin = 0.05;  ///< relative: innovation gap tolerated before acting
  int memory = 1;                ///< value: cycles over which the innovation trend is read
  double min_share = 0.0;        ///< x_f never falls below this
};

/// Everything that can differ between groups of firms.
struct GroupParams {
  FirmParams firm;
  ManagerParams manager;
  LeaderParams leader;
};

/// `count` firms that share one set of firm-level parameters.
struct FirmGroup {
  std::string name;
  int count = 1;
  GroupParams params;
};

struct MarketParams {
  double sensitivity = 10.0;       ///< beta: weight of innovation in customers' choice
  double resource_feedback = 0.0;  ///< rho: share of the headcount gap closed per period
  int min_headcount = 5;           ///< floor for lay-offs
};

struct BoardParams {
  int patience = 0;  ///< P: leader cycles last in market share before the board acts; 0 = never
};

/// How the per-run summaries are computed: part of the model (a design may vary it).
struct SummaryParams {
  /// The late window: the last max(1, round-half-up(late_share * T)) of the T periods run.
  double late_share = 0.25;
};

/// How long a run lasts: part of the model (a design may vary it).
struct RunParams {
  StopRule stop = StopRule::periods;
  int periods = 200;       ///< length of a run when stop = periods
  int max_periods = 5000;  ///< guard for stop = equilibrium
};

/// How a scenario is run, not what it models: how many replications, from which master
/// seed, which periods are recorded. Scenario files set it with the run.replications,
/// run.seed and output.every keys, but it is not part of ModelParams: a study has one for
/// all its design points (the same replications and seed at every point are what pair
/// them), so a design, which changes ModelParams only, cannot vary it.
struct RunSpec {
  long replications = 100;  ///< runs of the scenario, each with its own streams
  std::uint64_t seed = 1;   ///< master seed; every stream derives from it
  int every = 1;            ///< record the trajectories every this many periods
};

struct ModelParams : GroupParams {
  EnvParams env;
  MarketParams market;
  BoardParams board;
  SummaryParams summary;
  RunParams run;
  /// The industry's firms, group by group. Empty means one group "focal" of one firm with
  /// the default firm-level parameters (see firm_groups()).
  std::vector<FirmGroup> groups;
};

/// MODEL.md section 4's reduction to March (1991): one firm, autonomy 0, no experiments or
/// coordination cost, fixed managers at pressure 0.5 (socialisation exactly p1), no
/// exploration, run to equilibrium.
ModelParams march_reduction(double socialization, double code_learning);

/// The groups of `params`, with the implicit single "focal" firm when none are declared.
std::vector<FirmGroup> firm_groups(const ModelParams& params);

/// Total number of firms.
int firm_count(const ModelParams& params);

/// The firms' names in industry order: the group's name for a group of one, else
/// NAME-1 .. NAME-count.
std::vector<std::string> firm_names(const ModelParams& params);

}  // namespace orgsim::model
