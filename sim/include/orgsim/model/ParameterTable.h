#pragma once
// The one table of scenario parameters: dotted key, kind, valid range, unit, meaning and
// the field of ModelParams it sets. `orgsim params` prints it, scenario files and --set
// overrides are validated by it, and the resolved scenario stored with every result is
// written from it, so the four can never disagree.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "orgsim/model/Params.h"

namespace orgsim::model {

enum class ValueKind { real, integer, choice };

struct ParameterSpec {
  std::string key;
  ValueKind kind = ValueKind::real;
  double min = 0.0;
  double max = 0.0;
  bool min_exclusive = false;
  std::vector<std::string> choices;  ///< for ValueKind::choice
  std::string unit;
  std::string meaning;
  /// Parses `text` (already known to be valid) into the field.
  std::function<void(ModelParams&, double)> assign;
  /// The field's current value as a number (a choice as its index).
  std::function<double(const ModelParams&)> read;

  /// "[0, 1]", "(0, 1e+06]" or "fixed | beta | two_point".
  std::string range_text() const;
  /// The field's value in `params` as scenario text.
  std::string value_text(const ModelParams& params) const;
};

/// Every parameter, in the order `orgsim params` lists them.
const std::vector<ParameterSpec>& parameter_table();

/// The spec for `key`, or nullptr.
const ParameterSpec* find_parameter(std::string_view key);

/// The key closest to `key` by edit distance, for "did you mean" hints; empty if none is
/// close enough to be a plausible typo.
std::string closest_parameter(std::string_view key);

/// Sets `key` from its text. Throws ConfigError naming the key, the value and the valid
/// range when the key is unknown or the value malformed or out of range. `where` prefixes
/// the message (a file and line, or "--set").
void assign_parameter(ModelParams& params, std::string_view key, std::string_view text,
                      std::string_view where);

/// Checks rules that involve more than one parameter; throws ConfigError.
void validate(const ModelParams& params);

/// The fully resolved scenario as INI text with dotted keys, one per line, loadable again.
std::string resolved_scenario_text(const ModelParams& params);

}  // namespace orgsim::model
