#include "orgsim/engine/Study.h"

#include <catch2/catch.hpp>

#include "orgsim/core/Error.h"

using namespace orgsim;
using namespace orgsim::engine;
using Catch::Matchers::Contains;

namespace {

model::ScenarioSettings base() {
  model::ScenarioSettings settings;
  settings.set("run.replications", "3", "test");
  settings.set("run.seed", "9", "test");
  settings.set("group.focal.count", "1", "test");
  settings.set("group.rivals.count", "2", "test");
  settings.set("group.rivals.firm.employees", "20", "test");
  return settings;
}

}  // namespace

TEST_CASE("run i is replication i mod R of point i / R, with one seed throughout (paired)",
          "[study]") {
  std::vector<Factor> factors = {parse_factor("env.turbulence=0,0.1")};
  Study::prepare_factors(factors);
  const Study study(base(), make_design(DesignKind::grid, factors, 0, 9));
  CHECK(study.run_count() == 6);
  for (std::size_t run = 0; run < 6; ++run) {
    const RunPlan plan = study.plan(run);
    CHECK(plan.seed == 9);
    CHECK(plan.replication == run % 3);
    CHECK(plan.params->env.turbulence == (run < 3 ? 0.0 : 0.1));
  }
}

TEST_CASE("a plain firm key varies every group that does not set it itself", "[study]") {
  std::vector<Factor> factors = {parse_factor("firm.employees=30,40")};
  Study::prepare_factors(factors);
  const Study study(base(), make_design(DesignKind::grid, factors, 0, 9));
  const auto params = study.params_at(1);
  CHECK(params.groups[0].params.firm.employees == 40);  // focal: from the factor
  CHECK(params.groups[1].params.firm.employees == 20);  // rivals: their own setting wins
  std::vector<Factor> grouped = {parse_factor("group.rivals.firm.employees=5,6")};
  Study::prepare_factors(grouped);
  const Study rivals(base(), make_design(DesignKind::grid, grouped, 0, 9));
  CHECK(rivals.params_at(1).groups[1].params.firm.employees == 6);
  CHECK(rivals.params_at(1).groups[0].params.firm.employees == 50);
}

TEST_CASE("keys that cannot vary are refused, invalid points fail their runs", "[study]") {
  for (const char* key :
       {"run.seed=1,2", "run.replications=1,2", "output.every=1,2", "group.rivals.count=1,2"}) {
    std::vector<Factor> factors = {parse_factor(key)};
    CHECK_THROWS_AS(Study::prepare_factors(factors), ConfigError);
  }
  std::vector<Factor> unknown = {parse_factor("firm.employes=1,2")};
  CHECK_THROWS_WITH(Study::prepare_factors(unknown), Contains("did you mean 'firm.employees'"));
  std::vector<Factor> choice = {parse_factor("leader.policy=0:1")};
  CHECK_THROWS_WITH(Study::prepare_factors(choice), Contains("list the values"));
  std::vector<Factor> shares = {parse_factor("leader.explore_share=0.1,0.9")};
  Study::prepare_factors(shares);
  const Study study(base(), make_design(DesignKind::grid, shares, 0, 9));
  CHECK_NOTHROW(study.plan(0));
  CHECK_THROWS_WITH(study.plan(3), Contains("design point 1"));
}

TEST_CASE("the fingerprint changes with the scenario, the design or a point", "[study]") {
  std::vector<Factor> factors = {parse_factor("env.turbulence=0,0.1")};
  Study::prepare_factors(factors);
  const Study a(base(), make_design(DesignKind::grid, factors, 0, 9));
  const Study same(base(), make_design(DesignKind::grid, factors, 0, 9));
  CHECK(a.fingerprint() == same.fingerprint());
  std::vector<Factor> other = {parse_factor("env.turbulence=0,0.2")};
  Study::prepare_factors(other);
  CHECK(Study(base(), make_design(DesignKind::grid, other, 0, 9)).fingerprint() != a.fingerprint());
  model::ScenarioSettings changed = base();
  changed.set("firm.socialization", "0.3", "test");
  CHECK(Study(changed, make_design(DesignKind::grid, factors, 0, 9)).fingerprint() !=
        a.fingerprint());
  // A --summaries-only study's journal must not be continued by one that records.
  const Study summaries_only(base(), make_design(DesignKind::grid, factors, 0, 9),
                             Trajectories::none);
  CHECK(summaries_only.fingerprint() == "trajectories = none\n" + a.fingerprint());
  CHECK(summaries_only.plan(1).trajectories == Trajectories::none);
  CHECK(a.plan(1).trajectories == Trajectories::recorded);
}

TEST_CASE("a named leader rule is part of the fingerprint of a study that needs one", "[study]") {
  model::ScenarioSettings python = base();
  python.set("group.focal.leader.policy", "python", "test");
  Study f(python, Design{});
  const std::string unnamed = f.fingerprint();
  f.name_leader_rule("mine.f");
  CHECK(f.fingerprint() == "leader rule = mine.f\n" + unnamed);
  Study g(python, Design{});
  g.name_leader_rule("mine.g");
  CHECK(f.fingerprint() != g.fingerprint());
  // A study whose leaders follow a built-in policy decides with no rule: a name changes nothing.
  Study plain(base(), Design{});
  const std::string before = plain.fingerprint();
  plain.name_leader_rule("mine.f");
  CHECK(plain.fingerprint() == before);
}
