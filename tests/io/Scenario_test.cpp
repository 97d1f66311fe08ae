#include "orgsim/io/Scenario.h"

#include <catch2/catch.hpp>

#include "../TempDir.h"
#include "orgsim/core/Error.h"
#include "orgsim/model/ParameterTable.h"

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

// Found by the --set fuzz target (fuzz/corpus/set/regression_line_break): a shell can pass
// an override with a line break inside, which the message quoted as it was.
TEST_CASE("errors quoting a line break or a control character stay on one line", "[scenario]") {
  const auto message = [](const std::string& text, const std::vector<std::string>& overrides) {
    try {
      io::parse_scenario(text, "s.cfg", overrides);
    } catch (const ConfigError& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  CHECK(
      message("", {"run.stop=equilibrium\nfirm.turnover=0.1"}) ==
      "--set run.stop=equilibrium\\nfirm.turnover=0.1: run.stop = equilibrium\\nfirm.turnover=0.1 "
      "is not one of periods | equilibrium; use one of those");
  CHECK(message("[env]\ndimensions = 3\x01\n", {}) ==
        "s.cfg:2: env.dimensions = 3\\x01 is not an integer; use a whole number in [1, 1024]");
}

TEST_CASE("scenario text parses as the file with its name would", "[scenario]") {
  TempDir dir;
  const std::string text = "[firm]\nsocialization = 0.3\n";
  const auto path = dir.write("s.cfg", text);
  const auto from_text = io::parse_scenario(text, path, {"firm.employees=10"});
  CHECK(from_text.path == path);
  const auto from_file = io::load_scenario(path, {"firm.employees=10"});
  CHECK(model::resolved_scenario_text(from_text.params, from_text.run) ==
        model::resolved_scenario_text(from_file.params, from_file.run));
  CHECK_THROWS_WITH(io::parse_scenario("[firm]\nsocialization = 2\n", "mine.cfg"),
                    Contains("mine.cfg:2: firm.socialization = 2 is out of range"));
}

TEST_CASE("the bundled scenarios load", "[scenario]") {
  for (const char* name : {"march1991.cfg", "march_turnover.cfg", "following_orders.cfg",
                           "empowered.cfg", "race.cfg"}) {
    CHECK_NOTHROW(io::load_scenario(std::string(ORGSIM_SCENARIO_DIR) + "/" + name));
  }
}

TEST_CASE("march1991.cfg is MODEL.md's March reduction", "[scenario]") {
  const auto march = io::load_scenario(std::string(ORGSIM_SCENARIO_DIR) + "/march1991.cfg");
  CHECK(model::resolved_scenario_text(march.params, model::RunSpec{}) ==
        model::resolved_scenario_text(model::march_reduction(0.1, 0.5), model::RunSpec{}));
  CHECK(march.run.replications == 1000);
  CHECK(march.run.seed == 1991);
}

TEST_CASE("groups: declared with a count, overriding the defaults whatever the line order",
          "[scenario]") {
  TempDir dir;
  const auto path = dir.write("s.cfg",
                              "[group.focal]\n"
                              "count = 1\n"
                              "firm.autonomy.dist = beta\n"
                              "firm.autonomy.mean = 0.65\n"
                              "[firm]\n"
                              "employees = 40\n"
                              "autonomy.mean = 0.1\n"
                              "[group.rivals]\n"
                              "count = 4\n");
  const auto params = io::load_scenario(path, {"group.rivals.manager.policy=fixed"}).params;
  REQUIRE(params.groups.size() == 2);
  const auto& focal = params.groups[0];
  const auto& rivals = params.groups[1];
  CHECK(focal.name == "focal");
  CHECK(focal.count == 1);
  CHECK(focal.params.firm.autonomy.distribution == model::AutonomyDistribution::beta);
  CHECK(focal.params.firm.autonomy.mean == 0.65);
  CHECK(focal.params.firm.employees == 40);  // the default, set after the group's lines
  CHECK(rivals.count == 4);
  CHECK(rivals.params.firm.autonomy.mean == 0.1);
  CHECK(rivals.params.manager.policy == model::ManagerPolicy::fixed);
  CHECK(focal.params.manager.policy == model::ManagerPolicy::hill_climb);
  CHECK(model::firm_count(params) == 5);
}

TEST_CASE("bad group declarations name the group and the key", "[scenario]") {
  TempDir dir;
  SECTION("settings without a count") {
    const auto path = dir.write("s.cfg", "[group.rivals]\nfirm.employees = 10\n");
    CHECK_THROWS_WITH(io::load_scenario(path),
                      Contains(path + ":2: group 'rivals' has settings but no count"));
  }
  SECTION("an override for a group that is not declared") {
    const auto path = dir.write("s.cfg", "[group.focal]\ncount = 1\n");
    CHECK_THROWS_WITH(io::load_scenario(path, {"group.rival.firm.employees=3"}),
                      Contains("group 'rival' has settings but no count"));
  }
  SECTION("count 0") {
    const auto path = dir.write("s.cfg", "[group.rivals]\ncount = 0\n");
    CHECK_THROWS_WITH(io::load_scenario(path),
                      Contains(path + ":2: group.rivals.count = 0 is out of range [1, 1000]"));
  }
  SECTION("a per-group key that does not exist") {
    const auto path = dir.write("s.cfg", "[group.rivals]\ncount = 2\nfirm.employes = 3\n");
    CHECK_THROWS_WITH(io::load_scenario(path),
                      Contains(path + ":3: unknown key 'firm.employes' in group 'rivals'; did "
                                      "you mean 'firm.employees'?"));
  }
  SECTION("a global key under a group") {
    const auto path = dir.write("s.cfg", "[group.rivals]\ncount = 2\nenv.turbulence = 0.1\n");
    CHECK_THROWS_WITH(io::load_scenario(path), Contains("env.turbulence cannot be set per group"));
  }
  SECTION("a bad value in a group") {
    const auto path = dir.write("s.cfg", "[group.rivals]\ncount = 2\nfirm.turnover = 2\n");
    CHECK_THROWS_WITH(io::load_scenario(path),
                      Contains(path + ":3: firm.turnover = 2 is out of range [0, 1]"));
  }
  SECTION("a bad group name") {
    const auto path = dir.write("s.cfg", "[group.my rivals]\ncount = 2\n");
    CHECK_THROWS_WITH(io::load_scenario(path), Contains("group name 'my rivals'"));
  }
  SECTION("a group rule broken") {
    const auto path = dir.write("s.cfg", "[group.rivals]\ncount = 2\nleader.explore_share = 0.6\n");
    CHECK_THROWS_WITH(io::load_scenario(path),
                      Contains("group rivals: leader.explore_share = 0.6 is above "
                               "leader.max_share = 0.5"));
  }
}

// Found while fuzzing (fuzz/corpus/scenario/regression_empty_count.cfg and
// fuzz/corpus/set/regression_empty_count): an empty count read as "no count", and the
// message for a group without count then took the first of its settings, of which there were
// none -- a segmentation fault for `orgsim run S.cfg --set group.rivals.count=`.
TEST_CASE("an empty group count is an invalid count, not a crash", "[scenario]") {
  TempDir dir;
  const auto path = dir.write("s.cfg", "[group.rivals]\ncount =\n");
  CHECK_THROWS_WITH(io::load_scenario(path),
                    Contains(path + ":2: group.rivals.count =  is not an integer"));
  const auto declared = dir.write("d.cfg", "[group.rivals]\ncount = 4\n");
  CHECK_THROWS_WITH(io::load_scenario(declared, {"group.rivals.count="}),
                    Contains("--set group.rivals.count=: group.rivals.count =  is not an integer"));
  CHECK_THROWS_WITH(io::load_scenario(declared, {"group.others.count="}),
                    Contains("--set group.others.count=: group.others.count =  is not an integer"));
}

TEST_CASE("the resolved text of a scenario with groups loads back to the same parameters",
          "[scenario]") {
  TempDir dir;
  const auto original = io::load_scenario(std::string(ORGSIM_SCENARIO_DIR) + "/empowered.cfg");
  const auto text = model::resolved_scenario_text(original.params, original.run);
  CHECK_THAT(text, Contains("group.focal.firm.autonomy.mean = 0.65"));
  CHECK_THAT(text, Contains("group.rivals.count = 4"));
  const auto reread = io::load_scenario(dir.write("r.cfg", text));
  CHECK(model::resolved_scenario_text(reread.params, reread.run) == text);
}

TEST_CASE("the presets are MODEL.md section 5's", "[scenario]") {
  const auto obedient =
      io::load_scenario(std::string(ORGSIM_SCENARIO_DIR) + "/following_orders.cfg").params;
  const auto empowered =
      io::load_scenario(std::string(ORGSIM_SCENARIO_DIR) + "/empowered.cfg").params;
  for (const auto* params : {&obedient, &empowered}) {
    REQUIRE(params->groups.size() == 2);
    CHECK(params->groups[1].name == "rivals");
    CHECK(params->groups[1].count == 4);
    CHECK(params->groups[1].params.firm.autonomy.mean == 0.0);
    CHECK(params->groups[1].params.firm.experiment_rate == 0.0);
    for (const auto& group : params->groups) {
      CHECK(group.params.manager.policy == model::ManagerPolicy::hill_climb);
      CHECK(group.params.leader.policy == model::LeaderPolicy::value);
    }
  }
  const auto& focal = empowered.groups[0].params;
  CHECK(focal.firm.autonomy.distribution == model::AutonomyDistribution::beta);
  CHECK(focal.firm.autonomy.mean == 0.65);
  CHECK(focal.firm.autonomy.concentration == 10);
  CHECK(focal.firm.experiment_rate == 0.2);
  CHECK(obedient.groups[0].params.firm.autonomy.mean == 0.0);
  // Everything else is the same industry.
  auto without_focal = [](model::ModelParams params) {
    params.groups[0].params = params.groups[1].params;
    return model::resolved_scenario_text(params, model::RunSpec{});
  };
  CHECK(without_focal(obedient) == without_focal(empowered));
}

TEST_CASE("a comparison pairs B with A: A's replications and seed, the same firms", "[scenario]") {
  const io::Scenario a =
      io::parse_scenario("[run]\nreplications = 7\nseed = 3\n[group.rivals]\ncount = 2\n", "a.cfg");
  io::Scenario b = io::parse_scenario("[run]\nseed = 11\n[group.rivals]\ncount = 2\n", "b.cfg");
  io::pair_scenarios(a, b);
  CHECK(b.run.replications == 7);
  CHECK(b.run.seed == 3);
  io::Scenario other = io::parse_scenario("[group.rivals]\ncount = 3\n", "c.cfg");
  CHECK_THROWS_WITH(io::pair_scenarios(a, other),
                    Contains("'a.cfg' and 'c.cfg' declare different firms"));
  CHECK(io::comparison_names("x", "y") == std::pair<std::string, std::string>("x", "y"));
  CHECK(io::comparison_names("x", "x") == std::pair<std::string, std::string>("x-A", "x-B"));
}
