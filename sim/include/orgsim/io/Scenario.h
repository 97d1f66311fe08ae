#pragma once
// Scenario files: INI files with dotted keys ("[firm]" then "socialization = 0.3" is
// firm.socialization; "[group.rivals]" then "count = 4" declares four rival firms and
// "firm.autonomy.mean = 0.2" sets theirs), read with Boost.Program_options and validated
// against the parameter table. Every problem becomes a ConfigError of one line that names the file
// and line, the key, the value and the valid range.

#include <string>
#include <utility>
#include <vector>

#include "orgsim/model/ParameterTable.h"

namespace orgsim::io {

struct Scenario {
  std::string path;                  ///< the file it came from
  model::ScenarioSettings settings;  ///< the file's settings, then the overrides
  model::ModelParams params;         ///< resolved and validated
  model::RunSpec run;                ///< replications, seed, recorded periods
};

/// Reads `path`, then applies `overrides` ("key=value", as given to --set) in order, then
/// checks the cross-parameter rules.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// The same for scenario text already in memory; `path` names it in errors ("PATH:LINE: ...")
/// and in Scenario::path. load_scenario reads the file and calls this, so the two cannot differ.
Scenario parse_scenario(const std::string& text, const std::string& path,
                        const std::vector<std::string>& overrides = {});

/// Sets `key` to `text` in `scenario` (as from an option named `where`, such as
/// "--replications") and resolves and validates it again.
void override_scenario(Scenario& scenario, const std::string& key, const std::string& text,
                       const std::string& where);

/// Pairs `b` with `a` for a comparison (orgsim compare, orgsim.compare): `b` takes a's
/// replications and seed, so that run r of each is replication r with the same streams, and
/// must declare the same firms (ConfigError naming both files otherwise).
void pair_scenarios(const Scenario& a, Scenario& b);

/// The names a comparison gives its two scenarios: `a` and `b` (their files' stems), with
/// -A and -B added when they are the same.
std::pair<std::string, std::string> comparison_names(std::string a, std::string b);

}  // namespace orgsim::io
