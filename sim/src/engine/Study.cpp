#include "orgsim/engine/Study.h"

#include <algorithm>
#include <set>

#include "orgsim/core/Error.h"

namespace orgsim::engine {
namespace {

// The part of "group.NAME.KEY" after the group, or the key itself.
std::string plain_key(const std::string& key) {
  if (key.rfind("group.", 0) != 0) return key;
  const auto dot = key.find('.', 6);
  return dot == std::string::npos ? "" : key.substr(dot + 1);
}

// True when some point of `design` sets a leader.policy (the default or a group's) to
// python. A value that does not parse is left to fail its point when it runs.
bool varies_to_python(const Design& design) {
  const model::ParameterSpec* policy = model::find_parameter("leader.policy");
  const auto python =
      static_cast<double>(std::find(policy->choices.begin(), policy->choices.end(), "python") -
                          policy->choices.begin());
  for (std::size_t f = 0; f < design.factors.size(); ++f) {
    if (plain_key(design.factors[f].key) != "leader.policy") continue;
    for (const auto& point : design.points) {
      try {
        if (policy->parse(point.at(f), "") == python) return true;
      } catch (const ConfigError&) {
      }
    }
  }
  return false;
}

}  // namespace

Design make_study_design(const std::vector<std::string>& vary, const std::string& kind,
                         std::optional<long> samples, std::uint64_t seed) {
  if (vary.empty()) {
    if (samples) throw ConfigError("--samples needs a design: add --vary KEY=SPEC");
    return Design{};
  }
  std::vector<Factor> factors;
  std::set<std::string> keys;
  for (const auto& text : vary) {
    factors.push_back(parse_factor(text));
    if (!keys.insert(factors.back().key).second) {
      throw ConfigError("--vary " + factors.back().key + " is given twice; vary each key once");
    }
  }
  Study::prepare_factors(factors);
  const DesignKind design_kind = parse_design_kind(kind);
  if (design_kind == DesignKind::grid && samples) {
    throw ConfigError(
        "--samples is for lhs, sobol and saltelli designs; a grid's size comes "
        "from its steps and lists");
  }
  return make_design(design_kind, std::move(factors), samples.value_or(0), seed);
}

void Study::prepare_factors(std::vector<Factor>& factors) {
  for (auto& factor : factors) {
    const std::string plain = plain_key(factor.key);
    if (plain == "count") {
      throw ConfigError("--vary " + factor.key +
                        ": group counts cannot vary within a sweep (every run must have the "
                        "same firms); sweep separate scenarios instead");
    }
    const model::ParameterSpec* spec = model::find_parameter(plain);
    if (spec == nullptr) {
      const std::string hint = model::closest_parameter(plain);
      throw ConfigError("--vary " + factor.key + ": unknown key" +
                        (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                        " ('orgsim params' lists every key)");
    }
    // Not the model: a design point changes model::ModelParams only.
    if (spec->is_run_spec()) {
      throw ConfigError("--vary " + factor.key + " cannot vary: " + spec->fixed_because);
    }
    if (spec->kind == model::ValueKind::choice && factor.form != Factor::Form::list) {
      throw ConfigError("--vary " + factor.text() + ": " + spec->key + " takes one of " +
                        spec->range_text() + "; list the values, for example " + spec->key + "=" +
                        spec->choices.front() + "," + spec->choices.back());
    }
    factor.integer = spec->kind == model::ValueKind::integer;
  }
}

Study::Study(model::ScenarioSettings base, Design design, Trajectories trajectories)
    : settings_(std::move(base)), design_(std::move(design)), trajectories_(trajectories) {
  base_params_ = settings_.resolve();
  run_ = settings_.run_spec();
  model::validate(base_params_, run_);
  prepare_factors(design_.factors);
  // The first point must resolve: a typo in a value should stop the sweep, not fail it.
  const model::ModelParams first = params_at(0);
  if (model::firm_names(first) != model::firm_names(base_params_)) {
    throw ConfigError("the design changes the industry's firms; every run must have the same");
  }
  needs_leader_rule_ = model::uses_leader_rule(base_params_) || varies_to_python(design_);
}

void Study::require_leader_rule(const model::LeaderRule* rule) const {
  if (needs_leader_rule_ && rule == nullptr) throw ConfigError(model::kLeaderRuleMissing);
}

model::ModelParams Study::params_at(std::size_t point) const {
  if (design_.points.empty()) return base_params_;
  model::ScenarioSettings settings = settings_;
  const auto& values = design_.points.at(point);
  for (std::size_t f = 0; f < design_.factors.size(); ++f) {
    settings.set(design_.factors[f].key, values[f], "design point " + std::to_string(point));
  }
  model::ModelParams params = settings.resolve();
  try {
    model::validate(params, run_);
  } catch (const ConfigError& error) {
    throw ConfigError("design point " + std::to_string(point) + ": " + error.what());
  }
  return params;
}

RunPlan Study::plan(std::size_t run) const {
  return RunPlan{std::make_shared<const model::ModelParams>(params_at(point_of(run))), seed(),
                 replication_of(run), trajectories_, run_.every};
}

std::string Study::scenario_text() const {
  return model::resolved_scenario_text(base_params_, run_);
}

void Study::name_leader_rule(std::string name) {
  leader_rule_name_ = std::move(name);
}

std::string Study::fingerprint() const {
  // Only when they are not recorded, so that every other study's fingerprint (and the
  // journals and files that hold it) stays as it was; first, so that a refused resume
  // names this line rather than whatever follows a shorter fingerprint.
  std::string text = trajectories_ == Trajectories::none ? "trajectories = none\n" : "";
  if (needs_leader_rule_ && !leader_rule_name_.empty()) {
    text += "leader rule = " + leader_rule_name_ + "\n";
  }
  text += scenario_text();
  text += design_.describe();
  for (std::size_t p = 0; p < design_.points.size(); ++p) {
    text += "point " + std::to_string(p) + " =";
    for (const auto& value : design_.points[p]) text += " " + value;
    text += "\n";
  }
  return text;
}

}  // namespace orgsim::engine
