// orgsim bench: agent-steps per second on one thread of the March (1991) reduction and of
// the full race, with and without leading by example (firm.peer_learning = 0.2), the speed
// figures the README reports, and the cost of step 5b's example votes computed both ways
// (Eigen's sparse-dense product and the bit-planes). An agent-step is one employee
// through one period. `orgsim bench --sweep` times instead what writing a sweep's results
// costs: the same sweep with every period recorded into a file, with no trajectories, and
// with every period recorded but thrown away.

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "Commands.h"
#include "RunSupport.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Campaign.h"
#include "orgsim/engine/Design.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/engine/Runner.h"
#include "orgsim/engine/Study.h"
#include "orgsim/io/ResultSink.h"
#include "orgsim/io/Scenario.h"
#include "orgsim/model/PeerNetwork.h"
#include "orgsim/model/Streams.h"

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
        engine::run(engine::RunPlan{params, model::RunSpec{}.seed, replication++}).agent_steps;
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

// Seconds for `runs` runs of the March reduction at p1 = 0.1 (scenarios/march1991.cfg) on
// `threads` threads as `orgsim sweep --vary firm.socialization=0.1` makes them, recording
// every `every` periods; into a file in `directory` when `write` (its trajectories deflated
// when `compress`), else thrown away.
double time_sweep(const std::string& scenario_path, std::size_t runs, int threads, long every,
                  bool write, bool compress, const std::filesystem::path& directory) {
  const io::Scenario scenario = io::load_scenario(
      scenario_path,
      {"run.replications=" + std::to_string(runs), "output.every=" + std::to_string(every)});
  std::vector<engine::Factor> factors = {engine::parse_factor("firm.socialization=0.1")};
  engine::Study::prepare_factors(factors);
  const engine::Study study(
      scenario.settings,
      engine::make_design(engine::DesignKind::grid, std::move(factors), 0, scenario.run.seed));
  const auto start = std::chrono::steady_clock::now();
  if (write) {
    const std::string path = (directory / "sweep.h5").string();
    std::filesystem::remove(path);
    io::ResultFile file(path, {io::StudyInfo{"", scenario_path, &study}}, true, false);
    io::ResultSink sink(file);
    engine::ThreadedExecutor executor;
    engine::CampaignOptions options;
    options.threads = threads;
    engine::run_campaign(engine::Campaign({&study}), &sink, executor, options);
    io::Provenance provenance;
    provenance.command_line = "orgsim bench --sweep";
    provenance.threads = threads;
    provenance.compress_trajectories = compress;
    file.finish(provenance);
  } else {
    engine::ExecutorOptions options;
    options.threads = threads;
    std::vector<std::size_t> all(study.run_count());
    for (std::size_t r = 0; r < all.size(); ++r) all[r] = r;
    engine::execute(
        all, [&](std::size_t run) { return study.plan(run); }, options,
        [](std::size_t, engine::RunResult&&) {}, [](std::size_t, const std::string&) {});
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Nanoseconds per position of one period's example votes on a firm of `employees` in teams
// of 10 with lambda = 1, m = 30, autonomy and performance drawn at random, by Eigen's
// product and from the bit-planes, for at least `seconds` each; and whether they agree.
struct VoteTiming {
  double eigen_ns = 0.0;
  double bitplane_ns = 0.0;
  bool agree = false;
};

VoteTiming time_votes(int employees, double seconds) {
  constexpr int kDimensions = 30;
  constexpr int kWords = 1;
  RandomStream stream = model::make_stream(1, 0, 0, model::StreamPurpose::network);
  model::PeerNetwork network(employees, 10, 1.0, stream);
  std::vector<int> performance(static_cast<std::size_t>(employees));
  std::vector<double> autonomy(static_cast<std::size_t>(employees));
  std::vector<model::Word> actions(static_cast<std::size_t>(employees * kWords));
  for (int i = 0; i < employees; ++i) {
    const auto at = static_cast<std::size_t>(i);
    performance[at] = static_cast<int>(stream.below(kDimensions + 1)) * 2 - kDimensions;
    autonomy[at] = stream.beta(6.5, 3.5);
    actions[at] = stream.bits(kDimensions);
  }
  network.weigh(performance, autonomy);
  auto time = [&](auto&& votes) {
    const auto start = std::chrono::steady_clock::now();
    long rounds = 0;
    double elapsed = 0.0;
    do {
      for (int k = 0; k < 100; ++k) votes();
      rounds += 100;
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (elapsed < seconds);
    return 1e9 * elapsed / (static_cast<double>(rounds) * employees);
  };
  VoteTiming timing;
  network.votes_eigen(actions.data(), kWords, kDimensions);
  const std::size_t cells = static_cast<std::size_t>(employees * network.votes_stride());
  const std::vector<double> by_eigen(network.votes(), network.votes() + cells);
  network.votes_bitplane(actions.data(), kWords, kDimensions);
  timing.agree = true;
  for (int i = 0; i < employees; ++i) {
    const auto row = static_cast<std::size_t>(i * network.votes_stride());
    timing.agree &= std::memcmp(by_eigen.data() + row, network.votes() + row,
                                kDimensions * sizeof(double)) == 0;
  }
  timing.eigen_ns = time([&] { network.votes_eigen(actions.data(), kWords, kDimensions); });
  timing.bitplane_ns = time([&] { network.votes_bitplane(actions.data(), kWords, kDimensions); });
  return timing;
}

int sweep_bench(std::size_t runs, int repeats, const std::string& scenario_path) {
  if (!std::filesystem::is_regular_file(scenario_path)) {
    throw ConfigError("--sweep needs " + scenario_path +
                      "; run from the repository root or pass --march FILE");
  }
  const std::filesystem::path directory =
      std::filesystem::temp_directory_path() / ("orgsim-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(directory);
  std::cout << "orgsim bench --sweep: " << runs
            << " runs of the March reduction to equilibrium (p1 = 0.1), best of " << repeats
            << ", in turn\n";
  std::cout << std::left << std::setw(9) << "threads" << std::right << std::setw(14) << "written"
            << std::setw(16) << "uncompressed" << std::setw(16) << "no trajectory" << std::setw(20)
            << "observed, dropped" << std::setw(16) << "writing share" << std::setw(16)
            << "of which I/O" << std::setw(20) << "share uncompressed"
            << "\n";
  try {
    for (int threads : {1, engine::default_thread_count()}) {
      double written = 1e300, uncompressed = 1e300, none = 1e300, dropped = 1e300;
      for (int k = 0; k < repeats; ++k) {
        written =
            std::min(written, time_sweep(scenario_path, runs, threads, 1, true, true, directory));
        uncompressed = std::min(
            uncompressed, time_sweep(scenario_path, runs, threads, 1, true, false, directory));
        none =
            std::min(none, time_sweep(scenario_path, runs, threads, 5000, true, true, directory));
        dropped =
            std::min(dropped, time_sweep(scenario_path, runs, threads, 1, false, true, directory));
      }
      std::cout << std::left << std::setw(9) << threads << std::right << std::fixed
                << std::setprecision(3) << std::setw(12) << written << " s" << std::setw(14)
                << uncompressed << " s" << std::setw(14) << none << " s" << std::setw(18) << dropped
                << " s" << std::setprecision(1) << std::setw(15)
                << 100.0 * (written - none) / written << "%" << std::setw(15)
                << 100.0 * (written - dropped) / written << "%" << std::setw(19)
                << 100.0 * (uncompressed - none) / uncompressed << "%" << std::defaultfloat << "\n";
    }
  } catch (...) {
    std::filesystem::remove_all(directory);
    throw;
  }
  std::filesystem::remove_all(directory);
  std::cout << "writing share = (written - no trajectory) / written: what recording every period "
               "costs, observing included;\nof which I/O = (written - observed, dropped) / "
               "written: journal, assembly and compression alone;\nshare uncompressed = the "
               "writing share with --no-compression\n";
  return kExitOk;
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  double seconds = 1.0;
  int repeats = 5;
  std::vector<int> sizes;
  std::string race_path = "scenarios/race.cfg";
  std::string march_path = "scenarios/march1991.cfg";
  bool sweep = false;
  long sweep_runs = 10000;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << "usage: orgsim bench [--seconds S] [--repeats K] [--employees N ...] "
                   "[--race FILE]\n"
                   "       orgsim bench --sweep [--runs R] [--repeats K] [--march FILE]\n\n"
                   "Times, on one thread and recording every period, 100 periods of\n"
                   "  - the March (1991) reduction (m = 30, p1 = 0.1, p2 = 0.5),\n"
                   "  - the race (FILE, default scenarios/race.cfg: five firms), and\n"
                   "  - the race with firm.peer_learning = 0.2 (leading by example),\n"
                   "at n = 50 and n = 5000 employees per firm (or each --employees N given),\n"
                   "then one period's example votes by Eigen's product and by bit-planes.\n"
                   "Each of K repeats runs replications for at least S seconds; prints the\n"
                   "median and best agent-steps per second (one employee through one period).\n"
                   "\n"
                   "--sweep times R (default 10,000) runs of FILE (default\n"
                   "scenarios/march1991.cfg) at p1 = 0.1, on 1 thread and on the default\n"
                   "threads, K times each (default 3) in turn, keeping the best: written to a\n"
                   "file with every period recorded, with no trajectories (output.every =\n"
                   "5000), and with every period recorded but not written. Prints the share of\n"
                   "the written sweep's time that writing costs.\n";
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
    } else if (args[i] == "--sweep") {
      sweep = true;
    } else if (args[i] == "--runs" && has_value) {
      sweep_runs = static_cast<long>(number_option("--runs", args[++i]));
    } else if (args[i] == "--march" && has_value) {
      march_path = args[++i];
    } else {
      throw ConfigError("unknown or incomplete option '" + args[i] +
                        "'; usage: orgsim bench [--seconds S] [--repeats K] [--employees N] "
                        "[--race FILE]");
    }
  }
  if (!(seconds > 0.0) || repeats < 1) {
    throw ConfigError("--seconds must be positive and --repeats at least 1");
  }
  if (sweep) {
    if (sweep_runs < 1) throw ConfigError("--runs must be at least 1");
    return sweep_bench(static_cast<std::size_t>(sweep_runs), repeats == 5 ? 3 : repeats,
                       march_path);
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
  // The race with leading by example in every firm (step 5b; the rivals, at autonomy 0,
  // lead nobody and skip it after weighing their ties).
  for (int employees : sizes) {
    model::ModelParams params =
        io::load_scenario(race_path, {"firm.employees=" + std::to_string(employees),
                                      "run.periods=100", "firm.peer_learning=0.2"})
            .params;
    report("race+peer", params, employees);
  }
  std::cout << "race+peer: the race with firm.peer_learning = 0.2 (lambda = 1)\n";
  std::cout << "\nexample votes of one period (m = 30, teams of 10, lambda = 1, random state), "
               "ns per employee:\n";
  std::cout << std::left << std::setw(12) << "employees" << std::right << std::setw(12) << "Eigen"
            << std::setw(12) << "bit-plane" << std::setw(10) << "agree"
            << "\n";
  for (int employees : sizes) {
    const VoteTiming timing = time_votes(employees, seconds / 2);
    std::cout << std::left << std::setw(12) << employees << std::right << std::fixed
              << std::setprecision(1) << std::setw(12) << timing.eigen_ns << std::setw(12)
              << timing.bitplane_ns << std::setw(10) << (timing.agree ? "yes" : "NO")
              << std::defaultfloat << "\n";
  }
  return kExitOk;
}

}  // namespace orgsim::cli
