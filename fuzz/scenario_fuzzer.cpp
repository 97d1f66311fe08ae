// Fuzz target: scenario file text -> settings -> resolved and validated parameters, as
// `orgsim run FILE.cfg` reads it. An accepted scenario must also survive the trip through
// its resolved text (what a result file stores and `orgsim replay` loads back).

#include <cstddef>
#include <cstdint>
#include <string>

#include "FuzzContract.h"
#include "orgsim/io/Scenario.h"
#include "orgsim/model/ParameterTable.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace orgsim;
  const std::string text(reinterpret_cast<const char*>(data), size);
  io::Scenario scenario;
  // Every rejection names the file, so that a user knows where to look.
  if (!fuzz::accepted([&] { scenario = io::parse_scenario(text, "fuzz.cfg"); }, {"fuzz.cfg"})) {
    return 0;
  }
  fuzz::must_succeed("the resolved text of an accepted scenario does not load back", [&] {
    const std::string resolved = model::resolved_scenario_text(scenario.params, scenario.run);
    const model::ScenarioSettings settings = model::settings_from_text(resolved, "resolved");
    const model::ModelParams again = settings.resolve();
    model::validate(again, settings.run_spec());
    if (model::resolved_scenario_text(again, settings.run_spec()) != resolved) {
      fuzz::violation("the resolved text loads back to different parameters", resolved);
    }
  });
  return 0;
}
