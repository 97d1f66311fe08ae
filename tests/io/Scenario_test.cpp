#include "orgsim/io/Scenario.h"

#include <catch2/catch.hpp>

#include "../TempDir.h"
#include "orgsim/core/Error.h"

using namespace orgsim;
using Catch::Matchers::Contains;
using orgsim::testing::TempDir;

TEST_CASE("a scenario file sets dotted keys from INI sections and comments", "[scenario]") {
  TempDir dir;
  const auto path = dir.write("s.cfg",
                              "# a comment\n"
                              "[env]\n"
                              "dimensions = 40   # m\n"
                              "[firm]\n"
                              "socialization = 0.3\n"
                              "autonomy.dist = two_point\n"
                              "[run]\n"
                              "stop = equilibrium\n");
  const auto scenario = io::load_scenario(path);
  CHECK(scenario.params.env.dimensions == 40);
  CHECK(scenario.params.firm.socialization == 0.3);
  CHECK(scenario.params.firm.autonomy.distribution == model::AutonomyDistribution::two_point);
  CHECK(scenario.params.run.stop == model::StopRule::equilibrium);
  CHECK(scenario.params.firm.code_learning == 0.5);  // untouched: default
}

TEST_CASE("overrides apply after the file, in order", "[scenario]") {
  TempDir dir;
  const auto path = dir.write("s.cfg", "[firm]\nsocialization = 0.3\n");
  const auto scenario = io::load_scenario(path, {"firm.socialization=0.7", "firm.employees = 10"});
  CHECK(scenario.params.firm.socialization == 0.7);
  CHECK(scenario.params.firm.employees == 10);
}

TEST_CASE("scenario errors name the file, the line, the key, the value and the fix", "[scenario]") {
  TempDir dir;
  SECTION("unknown key with a hint") {
    const auto path = dir.write("s.cfg", "[firm]\nemployees = 10\nsocialisation = 0.3\n");
    CHECK_THROWS_WITH(io::load_scenario(path),
                      Contains(path + ":3: unknown key 'firm.socialisation'; did you mean "
                                      "'firm.socialization'?"));
  }
  SECTION("out of range") {
    const auto path = dir.write("s.cfg", "[firm]\nsocialization = 1.5\n");
    CHECK_THROWS_WITH(io::load_scenario(path),
                      Contains(path + ":2: firm.socialization = 1.5 is out of range [0, 1]"));
  }
  SECTION("malformed value") {
    const auto path = dir.write("s.cfg", "[env]\ndimensions = thirty\n");
    CHECK_THROWS_WITH(io::load_scenario(path),
                      Contains(path + ":2: env.dimensions = thirty is not an integer"));
  }
  SECTION("malformed line") {
    const auto path = dir.write("s.cfg", "[env]\njust some words\n");
    CHECK_THROWS_WITH(io::load_scenario(path), Contains(path + ": "));
    CHECK_THROWS_AS(io::load_scenario(path), ConfigError);
  }
  SECTION("a key given twice") {
    const auto path = dir.write("s.cfg", "[env]\ndimensions = 10\ndimensions = 20\n");
    CHECK_THROWS_WITH(io::load_scenario(path), Contains("env.dimensions is set more than once"));
  }
  SECTION("a directory instead of a file") {
    CHECK_THROWS_WITH(io::load_scenario(dir.path().string()),
                      Contains("cannot read scenario file '" + dir.path().string() + "'"));
  }
  SECTION("missing file") {
    CHECK_THROWS_WITH(io::load_scenario(dir.file("nope.cfg")),
                      Contains("cannot read scenario file '" + dir.file("nope.cfg") + "'"));
  }
  SECTION("inconsistent parameters") {
    const auto path = dir.write("s.cfg", "[env]\nturbulence = 0.1\n[run]\nstop = equilibrium\n");
    CHECK_THROWS_WITH(io::load_scenario(path),
                      Contains(path + ": run.stop = equilibrium needs env.turbulence = 0"));
  }
  SECTION("bad overrides") {
    const auto path = dir.write("s.cfg", "");
    CHECK_THROWS_WITH(io::load_scenario(path, {"firm.socialization"}),
                      Contains("--set firm.socialization: expected KEY=VALUE"));
    CHECK_THROWS_WITH(io::load_scenario(path, {"firm.employes=3"}),
                      Contains("--set firm.employes=3: unknown key 'firm.employes'; did you mean "
                               "'firm.employees'?"));
  }
}

TEST_CASE("the bundled scenarios load", "[scenario]") {
  for (const char* name : {"march1991.cfg", "default.cfg"}) {
    CHECK_NOTHROW(io::load_scenario(std::string(ORGSIM_SCENARIO_DIR) + "/" + name));
  }
}

TEST_CASE("march1991.cfg is MODEL.md's March reduction", "[scenario]") {
  const auto params = io::load_scenario(std::string(ORGSIM_SCENARIO_DIR) + "/march1991.cfg").params;
  CHECK(params.env.dimensions == 30);
  CHECK(params.firm.employees == 50);
  CHECK(params.firm.autonomy.distribution == model::AutonomyDistribution::fixed);
  CHECK(params.firm.autonomy.mean == 0.0);
  CHECK(params.manager.policy == model::ManagerPolicy::fixed);
  CHECK(params.manager.pressure == 0.5);
  CHECK(params.run.stop == model::StopRule::equilibrium);
  CHECK(params.firm.turnover == 0.0);
  CHECK(params.env.turbulence == 0.0);
}
