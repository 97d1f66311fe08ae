// orgsim params: every scenario parameter with its default, valid range, unit and
// meaning, printed from the same table that validates scenarios.

#include <iomanip>
#include <iostream>

#include "Commands.h"
#include "orgsim/core/Error.h"
#include "orgsim/model/ParameterTable.h"

namespace orgsim::cli {

int params_command(const std::vector<std::string>& args) {
  bool ini = false;
  for (const auto& argument : args) {
    if (argument == "--help" || argument == "-h") {
      std::cout << "usage: orgsim params [--ini]\n\n"
                   "Lists every scenario key with its default, valid range, unit and meaning.\n"
                   "--ini prints the defaults as a scenario file instead.\n";
      return kExitOk;
    }
    if (argument != "--ini") {
      throw ConfigError("unknown option '" + argument + "'; use --ini or --help");
    }
    ini = true;
  }
  const model::ModelParams defaults;
  if (ini) {
    std::cout << "# orgsim scenario with every key at its default ('orgsim params' explains them)\n"
              << model::resolved_scenario_text(defaults, model::RunSpec{});
    return kExitOk;
  }
  std::cout << "Scenario keys (INI: '[firm]' then 'employees = 50' sets firm.employees).\n"
               "Keys marked * are per group: plain, they set every group's default; under\n"
               "'[group.NAME]' (with 'count = N' declaring the group) they set group NAME's.\n"
               "Without groups the industry is one firm, group 'focal'.\n\n";
  std::cout << std::left << std::setw(30) << "KEY" << std::setw(12) << "DEFAULT" << std::setw(26)
            << "RANGE"
            << "UNIT\n";
  for (const auto& spec : model::parameter_table()) {
    std::cout << std::left << std::setw(30) << (spec.key + (spec.per_group ? " *" : ""))
              << std::setw(12) << spec.format(spec.value_in(defaults, model::RunSpec{}))
              << std::setw(26) << spec.range_text() << (spec.unit.empty() ? "-" : spec.unit) << "\n"
              << "    " << spec.meaning << "\n";
  }
  return kExitOk;
}

}  // namespace orgsim::cli
