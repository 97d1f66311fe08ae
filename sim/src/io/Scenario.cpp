#include "orgsim/io/Scenario.h"

#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "orgsim/core/Error.h"
#include "orgsim/model/ParameterTable.h"

namespace po = boost::program_options;

namespace orgsim::io {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// Line number of each dotted key in INI text, for error messages (Program_options does
// not report positions). Mirrors its rules: "[section]" prefixes, '#' starts a comment.
std::map<std::string, int> key_lines(const std::string& text) {
  std::map<std::string, int> lines;
  std::istringstream stream(text);
  std::string line;
  std::string section;
  for (int number = 1; std::getline(stream, line); ++number) {
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    if (line.front() == '[' && line.back() == ']') {
      section = trim(line.substr(1, line.size() - 2)) + ".";
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    lines.emplace(section + trim(line.substr(0, equals)), number);
  }
  return lines;
}

void apply_override(model::ScenarioSettings& settings, const std::string& assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw ConfigError("--set " + assignment + ": expected KEY=VALUE, for example --set " +
                      "firm.socialization=0.3");
  }
  const std::string key = trim(assignment.substr(0, equals));
  const std::string value = trim(assignment.substr(equals + 1));
  settings.set(key, value, "--set " + assignment);
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream file(path);
  if (!file || !std::filesystem::is_regular_file(path)) {
    throw ConfigError("cannot read scenario file '" + path +
                      "' (missing or unreadable); give the path of an INI scenario such as "
                      "scenarios/march1991.cfg");
  }
  std::stringstream buffer;
  buffer << file.rdbuf();
  return parse_scenario(buffer.str(), path, overrides);
}

Scenario parse_scenario(const std::string& text, const std::string& path,
                        const std::vector<std::string>& overrides) {
  const auto lines = key_lines(text);
  auto where = [&](const std::string& key) {
    const auto found = lines.find(key);
    return found == lines.end() ? path : path + ":" + std::to_string(found->second);
  };

  po::options_description description;
  for (const auto& spec : model::parameter_table()) {
    description.add_options()(spec.key.c_str(), po::value<std::string>());
  }
  po::parsed_options parsed(&description);
  try {
    std::istringstream stream(text);
    parsed = po::parse_config_file(stream, description, /*allow_unregistered=*/true);
  } catch (const po::error& error) {
    throw ConfigError(path + ": " + error.what() +
                      "; every line must be '[section]', 'key = value' or a '#' comment");
  }

  model::ScenarioSettings settings;
  std::map<std::string, int> seen;
  for (const auto& option : parsed.options) {
    const std::string value = option.value.empty() ? "" : option.value.front();
    if (++seen[option.string_key] > 1) {
      throw ConfigError(where(option.string_key) + ": " + option.string_key +
                        " is set more than once; keep one line for it");
    }
    settings.set(option.string_key, value, where(option.string_key));
  }
  for (const auto& assignment : overrides) apply_override(settings, assignment);
  Scenario scenario;
  scenario.path = path;
  scenario.settings = std::move(settings);
  scenario.params = scenario.settings.resolve();
  scenario.run = scenario.settings.run_spec();
  try {
    model::validate(scenario.params, scenario.run);
  } catch (const ConfigError& error) {
    throw ConfigError(path + (overrides.empty() ? "" : " with --set") + ": " + error.what());
  }
  return scenario;
}

void override_scenario(Scenario& scenario, const std::string& key, const std::string& text,
                       const std::string& where) {
  scenario.settings.set(key, text, where);
  scenario.params = scenario.settings.resolve();
  scenario.run = scenario.settings.run_spec();
  model::validate(scenario.params, scenario.run);
}

void pair_scenarios(const Scenario& a, Scenario& b) {
  override_scenario(b, "run.replications", std::to_string(a.run.replications), a.path);
  override_scenario(b, "run.seed", std::to_string(a.run.seed), a.path);
  if (model::firm_names(a.params) != model::firm_names(b.params)) {
    throw ConfigError("'" + a.path + "' and '" + b.path +
                      "' declare different firms; compare needs the same industry (the same "
                      "groups and counts) in both");
  }
}

std::pair<std::string, std::string> comparison_names(std::string a, std::string b) {
  if (a == b) {
    a += "-A";
    b += "-B";
  }
  return {std::move(a), std::move(b)};
}

}  // namespace orgsim::io
