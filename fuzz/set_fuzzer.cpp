// Fuzz target: `--set KEY=VALUE` overrides applied to a valid base scenario (race.cfg, which
// has groups, so group.NAME.KEY overrides meet real groups). Each line of the input is one
// --set; the whole input is also tried as a single --set, since a shell can pass one with
// line breaks inside.

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "FuzzContract.h"
#include "orgsim/io/Scenario.h"

namespace {

// The base scenario's text, read once (the fuzzer runs from anywhere, hence the full path).
const std::string& base_text() {
  static const std::string text = [] {
    std::ifstream file(ORGSIM_FUZZ_BASE_SCENARIO);
    std::stringstream buffer;
    buffer << file.rdbuf();
    orgsim::fuzz::must_succeed("the base scenario does not load",
                               [&] { orgsim::io::parse_scenario(buffer.str(), "base.cfg"); });
    return buffer.str();
  }();
  return text;
}

void apply(const std::vector<std::string>& overrides) {
  // A rejection names the --set that broke a rule, or the base file "with --set" when the
  // overrides together break a cross-parameter rule.
  orgsim::fuzz::accepted([&] { orgsim::io::parse_scenario(base_text(), "base.cfg", overrides); },
                         {"--set ", "base.cfg with --set: "});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  apply(lines);
  apply({text});
  return 0;
}
