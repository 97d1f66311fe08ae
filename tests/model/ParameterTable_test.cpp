#include "orgsim/model/ParameterTable.h"

#include <catch2/catch.hpp>
#include <set>

#include "orgsim/core/Error.h"

using namespace orgsim;
using namespace orgsim::model;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

TEST_CASE("every parameter is documented and has a valid default", "[params]") {
  const ModelParams defaults;
  std::set<std::string> keys;
  for (const auto& spec : parameter_table()) {
    CHECK(!spec.meaning.empty());
    CHECK(keys.insert(spec.key).second);
    ModelParams params;
    RunSpec run;
    // The default's own text must pass the parameter's validation.
    CHECK_NOTHROW(assign_parameter(params, run, spec.key,
                                   spec.format(spec.value_in(defaults, RunSpec{})), "test"));
  }
  CHECK_NOTHROW(validate(defaults));
}

TEST_CASE("every key's default, as `orgsim params` lists it (MODEL.md's defaults)", "[params]") {
  // Key by key, in the order `orgsim params` lists them: a new key, a dropped one or a
  // changed default fails here until this table says so.
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"env.dimensions", "30"},
      {"env.turbulence", "0"},
      {"firm.employees", "50"},
      {"firm.turnover", "0"},
      {"firm.socialization", "0.1"},
      {"firm.code_learning", "0.5"},
      {"firm.autonomy.dist", "fixed"},
      {"firm.autonomy.mean", "0"},
      {"firm.autonomy.concentration", "10"},
      {"firm.autonomy.low", "0"},
      {"firm.autonomy.high", "1"},
      {"firm.autonomy.share_high", "0.5"},
      {"firm.span_of_control", "10"},
      {"firm.coordination_cost", "0"},
      {"firm.experiment_rate", "0"},
      {"firm.experiment_accuracy", "0.9"},
      {"firm.explore_probes", "1"},
      {"firm.peer_learning", "0"},
      {"firm.peer.cross_rate", "1"},
      {"manager.policy", "hill_climb"},
      {"manager.pressure", "0.5"},
      {"manager.kpi_window", "1"},
      {"manager.step", "0.05"},
      {"manager.on_tie", "hold"},
      {"leader.policy", "fixed"},
      {"leader.explore_share", "0"},
      {"leader.step", "0.05"},
      {"leader.horizon", "50"},
      {"leader.max_share", "0.5"},
      {"leader.cycle", "10"},
      {"leader.comfort_margin", "0.05"},
      {"leader.memory", "1"},
      {"leader.min_share", "0"},
      {"market.sensitivity", "10"},
      {"market.resource_feedback", "0"},
      {"market.min_headcount", "5"},
      {"board.patience", "0"},
      {"summary.late_share", "0.25"},
      {"run.stop", "periods"},
      {"run.periods", "200"},
      {"run.max_periods", "5000"},
      {"run.replications", "100"},
      {"run.seed", "1"},
      {"output.every", "1"},
  };
  const ModelParams defaults;
  const auto& table = parameter_table();
  REQUIRE(table.size() == expected.size());
  for (std::size_t k = 0; k < table.size(); ++k) {
    INFO(table[k].key);
    CHECK(table[k].key == expected[k].first);
    CHECK(table[k].format(table[k].value_in(defaults, RunSpec{})) == expected[k].second);
  }
  // And the fields themselves, for a few that the text could hide.
  CHECK(defaults.firm.socialization == 0.1);
  CHECK(defaults.manager.policy == ManagerPolicy::hill_climb);
  CHECK(defaults.manager.on_tie == TieRule::hold);
  CHECK(defaults.leader.policy == LeaderPolicy::fixed);
  CHECK(defaults.firm.autonomy.distribution == AutonomyDistribution::fixed);
  CHECK(defaults.run.stop == StopRule::periods);
  CHECK(defaults.firm.peer_learning == 0.0);  // leading by example is off by default
  CHECK(defaults.firm.peer.cross_rate == 1.0);
}

namespace {

// Each name of a choice key sets the enumerator listed with it, and reads back as that name.
template <class E, bool PerGroup = true, class Field>
void check_choice(const std::string& key, Field field,
                  const std::vector<std::pair<std::string, E>>& expected) {
  const ParameterSpec* spec = find_parameter(key);
  REQUIRE(spec != nullptr);
  REQUIRE(spec->choices.size() == expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    INFO(key << " = " << expected[k].first);
    CHECK(spec->choices[k] == expected[k].first);
    ModelParams params;
    assign_parameter(params, key, expected[k].first, "test");
    CHECK(field(params) == expected[k].second);
    CHECK(spec->format(spec->read(params)) == expected[k].first);
    CHECK(spec->per_group == PerGroup);
    if constexpr (PerGroup) {
      GroupParams group;
      spec->assign_group(group, spec->parse(expected[k].first, "test"));
      CHECK(field(group) == expected[k].second);
      CHECK(spec->format(spec->read_group(group)) == expected[k].first);
    }
  }
}

}  // namespace

TEST_CASE("choice keys map each name to its enumerator explicitly", "[params]") {
  using D = AutonomyDistribution;
  check_choice<D>("firm.autonomy.dist",
                  [](auto& p) -> auto& { return p.firm.autonomy.distribution; },
                  {{"fixed", D::fixed}, {"beta", D::beta}, {"two_point", D::two_point}});
  check_choice<ManagerPolicy>(
      "manager.policy", [](auto& p) -> auto& { return p.manager.policy; },
      {{"hill_climb", ManagerPolicy::hill_climb}, {"fixed", ManagerPolicy::fixed}});
  check_choice<TieRule>("manager.on_tie", [](auto& p) -> auto& { return p.manager.on_tie; },
                        {{"hold", TieRule::hold}, {"keep", TieRule::keep}});
  check_choice<LeaderPolicy>("leader.policy", [](auto& p) -> auto& { return p.leader.policy; },
                             {{"fixed", LeaderPolicy::fixed},
                              {"value", LeaderPolicy::value},
                              {"relative", LeaderPolicy::relative},
                              {"python", LeaderPolicy::external}});
  check_choice<StopRule, false>(
      "run.stop", [](auto& p) -> auto& { return p.run.stop; },
      {{"periods", StopRule::periods}, {"equilibrium", StopRule::equilibrium}});
  // Every choice key is one of these five.
  int choices = 0;
  for (const auto& spec : parameter_table()) choices += spec.kind == ValueKind::choice ? 1 : 0;
  CHECK(choices == 5);
}

TEST_CASE("values are parsed by kind and checked against the range", "[params]") {
  ModelParams params;
  assign_parameter(params, "firm.socialization", "0.3", "test");
  CHECK(params.firm.socialization == 0.3);
  assign_parameter(params, "run.stop", "equilibrium", "test");
  CHECK(params.run.stop == StopRule::equilibrium);
  assign_parameter(params, "env.dimensions", "1024", "test");
  CHECK(params.env.dimensions == 1024);

  CHECK_THROWS_WITH(assign_parameter(params, "firm.socialization", "1.5", "f.cfg:3"),
                    Contains("f.cfg:3: firm.socialization = 1.5 is out of range [0, 1]"));
  CHECK_THROWS_WITH(assign_parameter(params, "env.dimensions", "2000", "x"),
                    Contains("out of range [1, 1024]"));
  CHECK_THROWS_WITH(assign_parameter(params, "env.dimensions", "30.5", "x"),
                    Contains("env.dimensions = 30.5 is not an integer"));
  CHECK_THROWS_WITH(assign_parameter(params, "firm.turnover", "lots", "x"),
                    Contains("firm.turnover = lots is not a number"));
  CHECK_THROWS_WITH(assign_parameter(params, "firm.turnover", "nan", "x"),
                    Contains("is not a number"));
  CHECK_THROWS_WITH(assign_parameter(params, "run.stop", "forever", "x"),
                    Contains("run.stop = forever is not one of periods | equilibrium"));
  CHECK_THROWS_WITH(assign_parameter(params, "firm.autonomy.concentration", "0", "x"),
                    Contains("out of range (0, 1e+06]"));
  CHECK_THROWS_AS(assign_parameter(params, "firm.socialization", "", "x"), ConfigError);
}

TEST_CASE("unknown keys get the closest valid key as a hint", "[params]") {
  CHECK(closest_parameter("firm.socialisation") == "firm.socialization");
  CHECK(closest_parameter("env.dimension") == "env.dimensions");
  CHECK(closest_parameter("code_learning") == "firm.code_learning");
  CHECK(closest_parameter("completely.unrelated.thing").empty());
  ModelParams params;
  CHECK_THROWS_WITH(assign_parameter(params, "firm.socialisation", "0.1", "f.cfg:2"),
                    Contains("f.cfg:2: unknown key 'firm.socialisation'; did you mean "
                             "'firm.socialization'?"));
}

TEST_CASE("cross-parameter rules", "[params]") {
  ModelParams params;
  params.run.stop = StopRule::equilibrium;
  params.env.turbulence = 0.05;
  CHECK_THROWS_WITH(validate(params), Contains("run.stop = equilibrium needs env.turbulence = 0"));

  params = ModelParams{};
  params.run.stop = StopRule::equilibrium;
  params.firm.peer_learning = 0.1;
  CHECK_THROWS_WITH(validate(params),
                    Contains("run.stop = equilibrium needs firm.peer_learning = 0 (got 0.1)"));

  params = ModelParams{};
  params.firm.autonomy.distribution = AutonomyDistribution::beta;
  params.firm.autonomy.mean = 0.0;
  CHECK_THROWS_WITH(validate(params), Contains("firm.autonomy.mean = 0 is not strictly between"));

  params = ModelParams{};
  params.firm.autonomy.distribution = AutonomyDistribution::two_point;
  params.firm.autonomy.low = 0.9;
  params.firm.autonomy.high = 0.1;
  CHECK_THROWS_WITH(validate(params), Contains("firm.autonomy.low = 0.9 is above"));

  params = ModelParams{};
  params.leader.max_share = 0.3;
  params.leader.min_share = 0.3;
  CHECK_NOTHROW(validate(params));  // a floor equal to the maximum pins the share
  params.leader.min_share = 0.4;
  CHECK_THROWS_WITH(validate(params),
                    Equals("leader.min_share = 0.4 is above leader.max_share = 0.3; lower the "
                           "floor or raise the maximum"));

  // Per group, with the group named, from scenario text.
  const auto refused = settings_from_text(
      "group.a.count = 1\ngroup.a.leader.min_share = 0.2\ngroup.a.leader.max_share = 0.1\n",
      "s.cfg");
  CHECK_THROWS_WITH(validate(refused.resolve()),
                    Equals("group a: leader.min_share = 0.2 is above leader.max_share = 0.1; "
                           "lower the floor or raise the maximum"));

  // leader.memory is 1..100 cycles.
  CHECK_THROWS_WITH(assign_parameter(params, "leader.memory", "0", "test"),
                    Contains("out of range [1, 100] (cycles)"));
  CHECK_THROWS_WITH(assign_parameter(params, "leader.memory", "101", "test"),
                    Contains("out of range"));
  CHECK_THROWS_WITH(assign_parameter(params, "manager.on_tie", "freeze", "test"),
                    Contains("is not one of hold | keep"));

  params = ModelParams{};
  RunSpec run;
  run.every = 500;
  CHECK_NOTHROW(validate(params));
  CHECK_THROWS_WITH(validate(params, run), Contains("output.every = 500 is longer than the run"));
}

TEST_CASE("the resolved scenario text sets every key and reads back to the same params",
          "[params]") {
  ModelParams params;
  params.firm.socialization = 0.7;
  params.run.stop = StopRule::equilibrium;
  RunSpec run;
  run.seed = 123456789012345ull;
  run.every = 7;
  params.firm.autonomy.concentration = 1.0 / 3.0;
  const std::string text = resolved_scenario_text(params, run);
  ModelParams reread;
  RunSpec reread_run;
  std::size_t lines = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    const std::size_t equals = line.find(" = ");
    assign_parameter(reread, reread_run, line.substr(0, equals), line.substr(equals + 3), "text");
    ++lines;
    start = end + 1;
  }
  CHECK(lines == parameter_table().size());
  CHECK(resolved_scenario_text(reread, reread_run) == text);
  CHECK(reread.firm.autonomy.concentration == params.firm.autonomy.concentration);
  CHECK(reread_run.seed == run.seed);
  CHECK(reread_run.every == 7);
}

TEST_CASE("the run specification's keys set RunSpec, not the model, and only they do", "[params]") {
  std::set<std::string> run_keys;
  for (const auto& spec : parameter_table()) {
    if (!spec.is_run_spec()) continue;
    run_keys.insert(spec.key);
    CHECK(!spec.assign);
    CHECK(!spec.per_group);
    CHECK(!spec.fixed_because.empty());
  }
  CHECK(run_keys == std::set<std::string>{"run.replications", "run.seed", "output.every"});
  ScenarioSettings settings;
  settings.set("run.seed", "77", "test");
  settings.set("run.replications", "3", "test");
  settings.set("output.every", "5", "test");
  CHECK(settings.run_spec().seed == 77);
  CHECK(settings.run_spec().replications == 3);
  CHECK(settings.run_spec().every == 5);
  ModelParams params;
  CHECK_THROWS_WITH(assign_parameter(params, "run.seed", "2", "test"),
                    Contains("not a model parameter"));
}

// A rejected group setting used to leave its group behind, with neither count nor settings,
// for resolve() to trip over (see the empty-count regression in Scenario_test.cpp).
TEST_CASE("a rejected group setting leaves the settings as they were", "[params]") {
  ScenarioSettings settings;
  CHECK_THROWS_AS(settings.set("group.rivals.firm.nonsense", "1", "here"), ConfigError);
  CHECK_THROWS_AS(settings.set("group.rivals.firm.employees", "many", "here"), ConfigError);
  CHECK_THROWS_AS(settings.set("group.rivals.env.turbulence", "0.1", "here"), ConfigError);
  CHECK(settings.resolve().groups.empty());
}
