#pragma once
// The typed, validated parameters of one model run. The default member initialisers are
// the model's defaults (MODEL.md); ParameterTable.h maps every dotted scenario key onto
// one field here, with its range, unit and meaning.

#include <cstdint>
#include <string>

namespace orgsim::model {

enum class AutonomyDistribution { fixed, beta, two_point };
enum class ManagerPolicy { fixed };
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

struct FirmParams {
  int employees = 50;          ///< n: headcount at start
  double turnover = 0.0;       ///< p3: probability an employee is replaced, per period
  double socialization = 0.1;  ///< p1: March's socialisation rate
  double code_learning = 0.5;  ///< p2: March's code-learning rate
  AutonomyParams autonomy;
};

struct ManagerParams {
  ManagerPolicy policy = ManagerPolicy::fixed;
  double pressure = 0.5;  ///< pressure_team in [0, 1]; 0.5 leaves socialisation at p1*(1-a)
};

struct MarketParams {
  double sensitivity = 10.0;  ///< beta: weight of innovation in customers' choice
};

struct RunParams {
  StopRule stop = StopRule::periods;
  int periods = 200;        ///< length of a run when stop = periods
  int max_periods = 5000;   ///< guard for stop = equilibrium
  long replications = 100;  ///< runs of the scenario, each with its own streams
  std::uint64_t seed = 1;   ///< master seed; every stream derives from it
};

struct OutputParams {
  int every = 1;  ///< record every this many periods
};

struct ModelParams {
  EnvParams env;
  FirmParams firm;
  ManagerParams manager;
  MarketParams market;
  RunParams run;
  OutputParams output;
};

}  // namespace orgsim::model
