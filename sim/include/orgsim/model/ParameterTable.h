#pragma once
// The one table of scenario parameters: dotted key, kind, valid range, unit, meaning and
// the field of ModelParams it sets. `orgsim params` prints it, scenario files and --set
// overrides are validated by it, and the resolved scenario stored with every result is
// written from it, so the four can never disagree.
//
// Firm-level keys (firm.*, manager.*, leader.*) are per group: written plainly they set
// the default of every group; written as group.NAME.KEY they set group NAME's value.
// group.NAME.count = N declares the group.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orgsim/model/Params.h"

namespace orgsim::model {

enum class ValueKind { real, integer, choice };

/// A choice key's value: the enumerator and its name in scenario files. The tables below
/// map each name to its enumerator explicitly (no enumerator is ever found by its
/// position), in the order `orgsim params` lists the choices.
template <class E>
struct NamedValue {
  E value;
  std::string_view name;
};

inline constexpr NamedValue<AutonomyDistribution> kAutonomyDistributionNames[] = {
    {AutonomyDistribution::fixed, "fixed"},
    {AutonomyDistribution::beta, "beta"},
    {AutonomyDistribution::two_point, "two_point"}};
inline constexpr NamedValue<ManagerPolicy> kManagerPolicyNames[] = {
    {ManagerPolicy::hill_climb, "hill_climb"}, {ManagerPolicy::fixed, "fixed"}};
inline constexpr NamedValue<TieRule> kTieRuleNames[] = {{TieRule::hold, "hold"},
                                                        {TieRule::keep, "keep"}};
inline constexpr NamedValue<LeaderPolicy> kLeaderPolicyNames[] = {
    {LeaderPolicy::fixed, "fixed"},
    {LeaderPolicy::value, "value"},
    {LeaderPolicy::relative, "relative"},
    {LeaderPolicy::external, "python"}};
inline constexpr NamedValue<StopRule> kStopRuleNames[] = {{StopRule::periods, "periods"},
                                                          {StopRule::equilibrium, "equilibrium"}};

struct ParameterSpec {
  std::string key;
  ValueKind kind = ValueKind::real;
  double min = 0.0;
  double max = 0.0;
  bool min_exclusive = false;
  bool per_group = false;            ///< a firm-level key that groups can override
  std::vector<std::string> choices;  ///< for ValueKind::choice
  std::string unit;
  std::string meaning;
  /// Sets the field from an already validated value (a choice as its position in
  /// `choices`, mapped to its enumerator by the key's NamedValue table).
  std::function<void(ModelParams&, double)> assign;
  std::function<double(const ModelParams&)> read;
  /// The same on one group's parameters (per_group keys only).
  std::function<void(GroupParams&, double)> assign_group;
  std::function<double(const GroupParams&)> read_group;
  /// A key of the run specification (run.replications, run.seed, output.every) sets and
  /// reads a RunSpec field instead (and `assign` and `read` are empty): it says how the
  /// scenario is run, not what it models, so it cannot vary within a study.
  std::function<void(RunSpec&, double)> assign_run;
  std::function<double(const RunSpec&)> read_run;
  /// For a run-specification key: why it cannot vary ("--vary KEY cannot vary: ...").
  std::string fixed_because;

  bool is_run_spec() const { return static_cast<bool>(assign_run); }
  /// The value in `params` or, for a run-specification key, in `run`.
  double value_in(const ModelParams& params, const RunSpec& run) const {
    return is_run_spec() ? read_run(run) : read(params);
  }

  /// "[0, 1]", "(0, 1e+06]" or "fixed | beta | two_point".
  std::string range_text() const;
  /// A value of this parameter as scenario text.
  std::string format(double value) const;
  /// Parses and range-checks `text`; throws ConfigError prefixed with `where`.
  double parse(std::string_view text, std::string_view where) const;
};

/// Every parameter, in the order `orgsim params` lists them.
const std::vector<ParameterSpec>& parameter_table();

/// The spec for `key`, or nullptr.
const ParameterSpec* find_parameter(std::string_view key);

/// The key closest to `key` by edit distance, for "did you mean" hints; empty if none is
/// close enough to be a plausible typo.
std::string closest_parameter(std::string_view key);

/// Sets global key `key` (or a firm-level key's default) from its text. Throws
/// ConfigError naming the key, the value and the valid range when the key is unknown or
/// the value malformed or out of range. `where` prefixes the message.
void assign_parameter(ModelParams& params, RunSpec& run, std::string_view key,
                      std::string_view text, std::string_view where);
/// The same for a key of the model; a run-specification key is a ConfigError.
void assign_parameter(ModelParams& params, std::string_view key, std::string_view text,
                      std::string_view where);

/// Collects a scenario's settings in the order given and resolves them: group.NAME.*
/// settings apply on top of the defaults whatever the order of the lines.
class ScenarioSettings {
 public:
  /// Records one setting. Global keys are checked at once; group keys too, except that a
  /// group's count is checked by resolve().
  void set(std::string_view key, std::string_view text, std::string_view where);

  /// The parameters with the groups resolved (throws ConfigError for a group without a
  /// valid count). Cross-parameter rules are validate()'s.
  ModelParams resolve() const;

  /// The run specification the settings give (run.replications, run.seed, output.every).
  const RunSpec& run_spec() const { return run_; }

 private:
  struct Setting {
    std::string key;
    std::string text;
    std::string where;
  };
  struct Group {
    std::string name;
    /// None until a count is given (an empty one, "count =", is given and invalid).
    std::optional<std::string> count_text;
    std::string count_where;
    std::vector<Setting> settings;
  };
  Group& group(const std::string& name);

  ModelParams params_;
  RunSpec run_;
  std::vector<Group> groups_;
};

/// Settings from resolved scenario text (as resolved_scenario_text() writes it: one
/// "key = value" per line); `where` names its source in errors.
ScenarioSettings settings_from_text(const std::string& text, const std::string& where);

/// Checks rules that involve more than one parameter; throws ConfigError.
void validate(const ModelParams& params);
/// The same, and that `run` records something of a run of `params`.
void validate(const ModelParams& params, const RunSpec& run);

/// The fully resolved scenario as INI text with dotted keys, one per line, loadable again:
/// every global key and firm-level default (the run specification's keys among them, in
/// the table's order), then each group's count and the keys where it differs from the
/// defaults.
std::string resolved_scenario_text(const ModelParams& params, const RunSpec& run);

}  // namespace orgsim::model
