// Fuzz target: `orgsim sweep BASE --design KIND --samples N --vary KEY=SPEC ...` up to the
// first run: each factor parsed (engine::parse_factor), checked against the parameter table
// (Study::prepare_factors), the design built (make_design) and the study made on a valid base
// scenario (race.cfg), whose points must each either resolve or fail with a ConfigError (a
// failed point is a failed run, which a sweep records and survives).
//
// Input: the first line is "KIND [N]" (as given to --design and --samples), every further
// line one --vary. The whole input after the first line is also tried as one --vary, since
// a shell can pass one with line breaks inside.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "FuzzContract.h"
#include "orgsim/engine/Design.h"
#include "orgsim/engine/Study.h"
#include "orgsim/io/Scenario.h"

namespace {

using namespace orgsim;

constexpr std::size_t kMaxBuiltPoints = 4096;

const model::ScenarioSettings& base_settings() {
  static const model::ScenarioSettings settings = [] {
    model::ScenarioSettings loaded;
    fuzz::must_succeed("the base scenario does not load",
                       [&] { loaded = io::load_scenario(ORGSIM_FUZZ_BASE_SCENARIO).settings; });
    return loaded;
  }();
  return settings;
}

// What `orgsim sweep` does with its --vary, --design and --samples options before running.
void sweep(const std::string& design_name, long samples, const std::vector<std::string>& varies) {
  std::vector<engine::Factor> factors;
  engine::DesignKind kind{};
  engine::Design design;
  bool too_large = false;
  const bool ok = fuzz::accepted([&] {
    std::set<std::string> keys;
    for (const auto& text : varies) {
      factors.push_back(engine::parse_factor(text));
      if (!keys.insert(factors.back().key).second) {
        throw ConfigError("--vary " + factors.back().key + " is given twice; vary each key once");
      }
    }
    engine::Study::prepare_factors(factors);
    kind = engine::parse_design_kind(design_name);
    // Counted first: a design of up to 1e8 points is valid, but building one per input
    // would only measure the fuzzer's memory.
    if (engine::design_size(kind, factors, samples) > kMaxBuiltPoints) {
      too_large = true;
      return;
    }
    design = engine::make_design(kind, std::move(factors), samples, 1);
  });
  if (!ok || too_large) return;
  fuzz::accepted([&] {
    const engine::Study study(base_settings(), design);
    for (std::size_t p = 0; p < study.point_count() && p < 64; ++p) {
      // A point that breaks a rule fails its runs and the sweep goes on.
      fuzz::accepted([&] { study.params_at(p); }, {"design point "});
    }
    (void)study.fingerprint();
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto end_of_first = text.find('\n');
  const std::string first = text.substr(0, end_of_first);
  const std::string rest = end_of_first == std::string::npos ? "" : text.substr(end_of_first + 1);

  // "KIND [N]": the design's name and, when given, --samples (a long, as Program_options
  // reads it; input that is not one is not what the command line would pass on).
  const auto space = first.find(' ');
  const std::string design_name = first.substr(0, space);
  long samples = 0;
  if (space != std::string::npos) {
    const char* begin = first.data() + space + 1;
    const char* stop = first.data() + first.size();
    const auto [parsed_end, error] = std::from_chars(begin, stop, samples);
    if (error != std::errc() || parsed_end != stop) return 0;
  }

  std::vector<std::string> varies;
  std::istringstream stream(rest);
  for (std::string line; std::getline(stream, line);) varies.push_back(line);
  sweep(design_name, samples, varies);
  if (!rest.empty()) sweep(design_name, samples, {rest});
  return 0;
}
