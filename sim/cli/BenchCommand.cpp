// orgsim bench: agent-steps per second on one thread of the March (1991) reduction and of
// the full race, the speed figures the README reports. An agent-step is one employee
// through one period.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "Commands.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Runner.h"
#include "orgsim/io/Scenario.h"

namespace orgsim::cli {
namespace {

struct Measurement {
  double agent_steps_per_second = 0.0;
  long runs = 0;
};

// Runs replications back to back for at least `seconds` and returns the rate.
Measurement measure(const std::shared_ptr<const model::ModelParams>& params, double seconds,
                    std::uint64_t& replication) {
  const auto start = std::chrono::steady_clock::now();
  double agent_steps = 0.0;
  Measurement measurement;
  double elapsed = 0.0;
  do {
    agent_steps +=
        engine::run(engine::RunPlan{params, params->run.seed, replication++}).agent_steps;
    ++measurement.runs;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (elapsed < seconds);
  measurement.agent_steps_per_second = agent_steps / elapsed;
  return measurement;
}

// The number in `text`, or a ConfigError naming the option.
double number_option(const std::string& option, const std::string& text) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw ConfigError(option + " " + text + " is not a number");
  }
  return value;
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  double seconds = 1.0;
  int repeats = 5;
  std::vector<int> sizes;
  std::string race_path = "scenarios/race.cfg";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << "usage: orgsim bench [--seconds S] [--repeats K] [--employees N ...] "
                   "[--race FILE]\n\n"
                   "Times, on one thread and recording every period, 100 periods of\n"
                   "  - the March (1991) reduction (m = 30, p1 = 0.1, p2 = 0.5), and\n"
                   "  - the race (FILE, default scenarios/race.cfg: five firms), \n"
                   "at n = 50 and n = 5000 employees per firm (or each --employees N given).\n"
                   "Each of K repeats runs replications for at least S seconds; prints the\n"
                   "median and best agent-steps per second (one employee through one period).\n";
      return kExitOk;
    }
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--seconds" && has_value) {
      seconds = number_option("--seconds", args[++i]);
    } else if (args[i] == "--repeats" && has_value) {
      repeats = static_cast<int>(number_option("--repeats", args[++i]));
    } else if (args[i] == "--employees" && has_value) {
      sizes.push_back(static_cast<int>(number_option("--employees", args[++i])));
    } else if (args[i] == "--race" && has_value) {
      race_path = args[++i];
    } else {
      throw ConfigError("unknown or incomplete option '" + args[i] +
                        "'; usage: orgsim bench [--seconds S] [--repeats K] [--employees N] "
                        "[--race FILE]");
    }
  }
  if (!(seconds > 0.0) || repeats < 1) {
    throw ConfigError("--seconds must be positive and --repeats at least 1");
  }
  if (sizes.empty()) sizes = {50, 5000};
  for (int employees : sizes) {
    if (employees < 1 || employees > 100000) {
      throw ConfigError("--employees " + std::to_string(employees) +
                        " is out of range [1, 100000]");
    }
  }

  auto report = [&](const std::string& label, const model::ModelParams& params, int employees) {
    auto shared = std::make_shared<const model::ModelParams>(params);
    std::uint64_t replication = 0;
    measure(shared, seconds / 4, replication);  // warm caches and the allocator
    std::vector<double> rates;
    long runs = 0;
    for (int k = 0; k < repeats; ++k) {
      const Measurement m = measure(shared, seconds, replication);
      rates.push_back(m.agent_steps_per_second);
      runs += m.runs;
    }
    std::sort(rates.begin(), rates.end());
    std::cout << std::left << std::setw(10) << label << std::setw(12) << employees << std::right
              << std::setw(10) << runs << std::scientific << std::setprecision(3) << std::setw(24)
              << rates[rates.size() / 2] << std::setw(22) << rates.back() << std::defaultfloat
              << "\n";
  };

  std::cout << "orgsim bench: one thread, 100 periods, recording every period\n";
  std::cout << std::left << std::setw(10) << "model" << std::setw(12) << "employees" << std::right
            << std::setw(10) << "runs" << std::setw(24) << "median agent-steps/s" << std::setw(22)
            << "best agent-steps/s"
            << "\n";
  for (int employees : sizes) {
    model::ModelParams params = model::march_reduction(0.1, 0.5);
    params.firm.employees = employees;
    params.run.stop = model::StopRule::periods;
    params.run.periods = 100;
    report("march", params, employees);
  }
  if (!std::filesystem::is_regular_file(race_path)) {
    std::cout << "race: skipped, " << race_path
              << " not found (run from the repository root or pass --race FILE)\n";
    return kExitOk;
  }
  for (int employees : sizes) {
    model::ModelParams params =
        io::load_scenario(race_path,
                          {"firm.employees=" + std::to_string(employees), "run.periods=100"})
            .params;
    report("race", params, employees);
  }
  return kExitOk;
}

}  // namespace orgsim::cli
