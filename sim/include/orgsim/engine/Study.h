#pragma once
// A study: a base scenario, a design of points, and replications. Run i is replication
// i % R of point i / R, and every replication r uses the same seed and replication number
// at every point, so differences between points are paired (common random numbers). A
// point's values apply to the base scenario as --set overrides would, and are resolved
// only when the run starts, so memory does not grow with the number of points.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orgsim/engine/Design.h"
#include "orgsim/engine/RunPlan.h"
#include "orgsim/model/LeaderRule.h"
#include "orgsim/model/ParameterTable.h"

namespace orgsim::engine {

/// The design that --vary (each "KEY=SPEC"), --design (`kind`, "grid" by default) and
/// --samples describe, its LHS stream named by `seed`; an empty design (no factors, one
/// point) without factors. ConfigError for a key given twice, a key that cannot vary,
/// samples with a grid or without factors, and what make_design refuses. The command line
/// and the Python module both make their designs with it.
Design make_study_design(const std::vector<std::string>& vary, const std::string& kind,
                         std::optional<long> samples, std::uint64_t seed);

class Study {
 public:
  /// Checks that every factor names a key of the model (not one of the run specification,
  /// model::RunSpec, such as run.seed, nor a group's count: those cannot vary) and marks
  /// the integer ones, whose sampled values are then rounded; call before make_design.
  /// Throws ConfigError.
  static void prepare_factors(std::vector<Factor>& factors);

  /// Checks the factors (see prepare_factors) and that the first point resolves to the
  /// same firms as the base; throws ConfigError. With Trajectories::none (--summaries-only)
  /// every run keeps only its summaries.
  Study(model::ScenarioSettings base, Design design,
        Trajectories trajectories = Trajectories::recorded);

  std::size_t point_count() const { return design_.points.empty() ? 1 : design_.points.size(); }
  long replications() const { return run_.replications; }
  std::uint64_t seed() const { return run_.seed; }
  std::size_t run_count() const { return point_count() * static_cast<std::size_t>(replications()); }
  std::size_t point_of(std::size_t run) const {
    return run / static_cast<std::size_t>(replications());
  }
  std::uint64_t replication_of(std::size_t run) const {
    return run % static_cast<std::size_t>(replications());
  }

  /// The parameters at `point`; throws ConfigError when its values are not valid.
  model::ModelParams params_at(std::size_t point) const;

  /// The plan of run `run`; throws ConfigError when its point is not valid.
  RunPlan plan(std::size_t run) const;

  const model::ModelParams& base() const { return base_params_; }
  /// How it is run: the same at every point.
  const model::RunSpec& run_spec() const { return run_; }
  /// The resolved base scenario, model and run specification, as text.
  std::string scenario_text() const;
  const Design& design() const { return design_; }
  Trajectories trajectories() const { return trajectories_; }

  /// True when some run needs a leader rule: some group has leader.policy = python in the
  /// base scenario or at some design point (--vary leader.policy=...,python).
  bool needs_leader_rule() const { return needs_leader_rule_; }
  /// Throws ConfigError (model::kLeaderRuleMissing) when the study needs a leader rule and
  /// `rule` is null: the command line calls it with null before it creates any file.
  void require_leader_rule(const model::LeaderRule* rule) const;
  /// Names the leader rule the study's runs decide with (the Python module gives the
  /// function's module and qualified name), for a study that needs one: the name is part
  /// of the fingerprint, so that a resume with another function is refused rather than
  /// mixing two rules' runs in one file. A rule is code, not parameters: two functions of
  /// one name cannot be told apart this way.
  void name_leader_rule(std::string name);

  /// Everything that determines the study's results, as text: the resolved base scenario,
  /// the design and every point's values, and (first, only then) that trajectories are not
  /// recorded and the leader rule's name. Equal fingerprints mean equal studies.
  std::string fingerprint() const;

 private:
  model::ScenarioSettings settings_;
  model::ModelParams base_params_;
  model::RunSpec run_;
  Design design_;
  Trajectories trajectories_ = Trajectories::recorded;
  bool needs_leader_rule_ = false;
  std::string leader_rule_name_;  // empty: none named
};

}  // namespace orgsim::engine
