// MODEL.md section 5: what an implementation must find beyond March. The empowered and
// following-orders presets (scenarios/*.cfg) are compared with paired replications: the
// same seed and replication numbers, so the four rivals draw identical random numbers in
// both and only the focal firm's strategy differs. Each check requires the 95% interval
// of the paired difference to lie on the stated side of 0; 60 pairs give intervals of
// about +-0.015 on the lead.
// Run alone with: ctest -L validation

#include <catch2/catch.hpp>
#include <iostream>
#include <string>

#include "../StudyOf.h"
#include "orgsim/core/Statistics.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/io/Scenario.h"

using namespace orgsim;
using orgsim::testing::all_runs;

namespace {

struct FocalMeans {
  std::vector<double> lead, innovation, output_per_head, final_pressure;
};

// Per replication: the focal firm's lead, innovation and output per head averaged over
// the run, and its managers' mean pressure at the end.
FocalMeans run_focal(const std::string& scenario, const std::vector<std::string>& overrides,
                     int replications = 60) {
  const auto loaded =
      io::load_scenario(std::string(ORGSIM_SCENARIO_DIR) + "/" + scenario, overrides);
  const engine::Study study =
      testing::study_of(loaded.params, model::RunSpec{replications, 5, loaded.run.every});
  FocalMeans means;
  const std::size_t runs = study.run_count();
  means.lead.resize(runs);
  means.innovation.resize(runs);
  means.output_per_head.resize(runs);
  means.final_pressure.resize(runs);
  engine::ExecutorOptions options;
  options.threads = engine::default_thread_count();
  engine::execute(
      all_runs(study), [&](std::size_t run) { return study.plan(run); }, options,
      [&](std::size_t r, engine::RunResult&& result) {
        double lead = 0, innovation = 0, output = 0;
        for (std::size_t k = 0; k < result.periods.size(); ++k) {
          lead += result.at(k, 0)[model::Quantity::lead];
          innovation += result.at(k, 0)[model::Quantity::innovation];
          output += result.at(k, 0)[model::Quantity::output_per_head];
        }
        const double periods = static_cast<double>(result.periods.size());
        means.lead[r] = lead / periods;
        means.innovation[r] = innovation / periods;
        means.output_per_head[r] = output / periods;
        means.final_pressure[r] = result.summaries[0].final[model::Quantity::mean_pressure];
      },
      [](std::size_t r, const std::string& error) { FAIL("run " << r << ": " << error); });
  return means;
}

MeanInterval paired(const std::vector<double>& empowered, const std::vector<double>& obedient) {
  std::vector<double> difference(empowered.size());
  for (std::size_t r = 0; r < empowered.size(); ++r) difference[r] = empowered[r] - obedient[r];
  return mean_interval(difference);
}

void report(const std::string& label, const MeanInterval& d) {
  std::cout << "section 5  " << label << ": " << d.mean << " +- " << d.half_width << "\n";
}

}  // namespace

TEST_CASE("the market lead changes sign with turbulence, output favours obedience",
          "[validation][section5]") {
  for (const char* turbulence : {"0", "0.05"}) {
    const std::vector<std::string> environment = {std::string("env.turbulence=") + turbulence};
    const auto obedient = run_focal("following_orders.cfg", environment);
    const auto empowered = run_focal("empowered.cfg", environment);
    const auto lead = paired(empowered.lead, obedient.lead);
    const auto output = paired(empowered.output_per_head, obedient.output_per_head);
    const auto innovation = paired(empowered.innovation, obedient.innovation);
    report(std::string("turbulence ") + turbulence + ", lead difference", lead);
    report(std::string("turbulence ") + turbulence + ", output per head difference", output);
    report(std::string("turbulence ") + turbulence + ", innovation difference", innovation);
    CHECK(output.mean + output.half_width < 0.0);
    if (std::string(turbulence) == "0") {
      // Stable world: following orders ahead; the empowered firm's managers push pressure
      // towards 1, squeezing experiments (the short-range view at work).
      CHECK(lead.mean + lead.half_width < 0.0);
      CHECK(mean_interval(empowered.final_pressure).mean > 0.9);
    } else {
      // Turbulent world: empowerment ahead, on innovation too.
      CHECK(lead.mean - lead.half_width > 0.0);
      CHECK(innovation.mean - innovation.half_width > 0.0);
    }
  }
}

TEST_CASE("a higher coordination cost moves the boundary towards obedience",
          "[validation][section5]") {
  // A difference of two paired differences about 0.03 apart: 60 pairs leave it within
  // noise (half-widths near 0.02 each), 300 give it about four standard errors.
  auto lead_difference = [](const char* gamma) {
    const std::vector<std::string> environment = {"env.turbulence=0.02",
                                                  std::string("firm.coordination_cost=") + gamma};
    return paired(run_focal("empowered.cfg", environment, 300).lead,
                  run_focal("following_orders.cfg", environment, 300).lead);
  };
  const auto cheap = lead_difference("0");
  const auto costly = lead_difference("0.6");
  report("turbulence 0.02, gamma 0, lead difference", cheap);
  report("turbulence 0.02, gamma 0.6, lead difference", costly);
  CHECK(cheap.mean > costly.mean);
  CHECK(cheap.mean - cheap.half_width > 0.0);
}
