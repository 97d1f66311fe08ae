#include "orgsim/engine/Campaign.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "orgsim/core/Error.h"
#include "orgsim/engine/DistributedExecutor.h"
#include "orgsim/engine/Summary.h"
#include "orgsim/io/ResultSink.h"

using namespace orgsim;
using namespace orgsim::engine;

namespace {

// A sink in memory: every result kept as it came.
class MemorySink final : public RunSink {
 public:
  MemorySink(std::size_t runs, std::vector<std::string> firm_names)
      : results_(runs), failures_(runs), firm_names_(std::move(firm_names)) {}

  std::size_t run_count() const override { return results_.size(); }
  RunSequence pending_runs() const override {
    auto runs = std::make_shared<std::vector<std::size_t>>();
    for (std::size_t run = 0; run < results_.size(); ++run) {
      if (!has(run)) runs->push_back(run);
    }
    auto at = std::make_shared<std::size_t>(0);
    return RunSequence{runs->size(), [runs, at] { return (*runs)[(*at)++]; }};
  }
  std::size_t recorded() const override { return recorded_; }
  std::size_t failed() const override { return failed_; }
  // Called from the executor's threads (one at a time): no Catch assertions there.
  void record(std::size_t run, RunResult&& result) override {
    if (has(run)) throw std::logic_error("run " + std::to_string(run) + " recorded twice");
    result.firm_names = firm_names_;
    results_[run] = std::move(result);
    ++recorded_;
  }
  void checkpoint() override { ++checkpoints_; }
  void record_failure(std::size_t run, const std::string& error) override {
    if (has(run)) throw std::logic_error("run " + std::to_string(run) + " recorded twice");
    failures_[run] = error;
    ++recorded_;
    ++failed_;
  }
  void for_each_result(
      const std::function<void(std::size_t, const RunResult&)>& visit) const override {
    for (std::size_t run = 0; run < results_.size(); ++run) {
      if (results_[run]) visit(run, *results_[run]);
    }
  }
  void for_each_failure(
      const std::function<void(std::size_t, const std::string&)>& visit) const override {
    for (std::size_t run = 0; run < failures_.size(); ++run) {
      if (failures_[run]) visit(run, *failures_[run]);
    }
  }

  bool has(std::size_t run) const { return results_[run] || failures_[run]; }
  int checkpoints() const { return checkpoints_; }
  const std::optional<RunResult>& result(std::size_t run) const { return results_[run]; }

 private:
  std::vector<std::optional<RunResult>> results_;
  std::vector<std::optional<std::string>> failures_;
  std::vector<std::string> firm_names_;
  std::size_t recorded_ = 0;
  std::size_t failed_ = 0;
  int checkpoints_ = 0;
};

// Processes as threads: each has an inbox.
class Exchange {
 public:
  explicit Exchange(int size) : inboxes_(static_cast<std::size_t>(size)) {}
  void post(int destination, Transport::Message message) {
    std::lock_guard lock(mutex_);
    inboxes_[static_cast<std::size_t>(destination)].push_back(std::move(message));
    arrived_.notify_all();
  }
  std::optional<Transport::Message> take(int rank, int source, int tag, bool wait) {
    std::unique_lock lock(mutex_);
    auto& inbox = inboxes_[static_cast<std::size_t>(rank)];
    for (;;) {
      for (auto at = inbox.begin(); at != inbox.end(); ++at) {
        if ((source < 0 || at->source == source) && (tag < 0 || at->tag == tag)) {
          Transport::Message message = std::move(*at);
          inbox.erase(at);
          return message;
        }
      }
      if (!wait) return std::nullopt;
      arrived_.wait(lock);
    }
  }
  int size() const { return static_cast<int>(inboxes_.size()); }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::deque<Transport::Message>> inboxes_;
};

class ThreadTransport final : public Transport {
 public:
  ThreadTransport(Exchange& exchange, int rank) : exchange_(exchange), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return exchange_.size(); }
  void send(int destination, int tag, const std::vector<unsigned char>& bytes) override {
    exchange_.post(destination, Message{rank_, tag, bytes});
  }
  std::optional<Message> poll() override { return exchange_.take(rank_, -1, -1, false); }
  Message receive(int source, int tag) override {
    return *exchange_.take(rank_, source, tag, true);
  }

 private:
  Exchange& exchange_;
  int rank_;
};

model::ScenarioSettings industry(const std::string& coordination_cost) {
  model::ScenarioSettings settings;
  settings.set("run.replications", "3", "test");
  settings.set("run.seed", "11", "test");
  settings.set("run.periods", "15", "test");
  settings.set("group.focal.count", "1", "test");
  settings.set("group.rivals.count", "2", "test");
  settings.set("group.rivals.firm.employees", "20", "test");
  settings.set("firm.employees", "20", "test");
  settings.set("firm.coordination_cost", coordination_cost, "test");
  return settings;
}

Design turbulence_design() {
  std::vector<Factor> factors = {parse_factor("env.turbulence=0,0.05,0.1")};
  Study::prepare_factors(factors);
  return make_design(DesignKind::grid, factors, 0, 11);
}

std::vector<std::string> firms() {
  return {"focal", "rivals-1", "rivals-2"};
}

void require_same(const RunResult& a, const RunResult& b) {
  REQUIRE(a.periods == b.periods);
  REQUIRE(a.trajectory.size() == b.trajectory.size());
  for (std::size_t k = 0; k < a.trajectory.size(); ++k) {
    REQUIRE(a.trajectory[k].values == b.trajectory[k].values);
  }
  REQUIRE(a.summaries.size() == b.summaries.size());
  for (std::size_t f = 0; f < a.summaries.size(); ++f) {
    REQUIRE(a.summaries[f].final.values == b.summaries[f].final.values);
    REQUIRE(a.summaries[f].share_periods_lead == b.summaries[f].share_periods_lead);
  }
}

}  // namespace

TEST_CASE("a campaign pairs its studies: run r of each is the same point, replication and seed",
          "[campaign]") {
  const Study a(industry("0"), turbulence_design());
  const Study b(industry("0.3"), turbulence_design());
  const Campaign campaign({&a, &b});
  REQUIRE(campaign.runs_per_study() == 9);
  REQUIRE(campaign.run_count() == 18);
  for (std::size_t r = 0; r < campaign.runs_per_study(); ++r) {
    const RunPlan plan_a = campaign.plan(r);
    const RunPlan plan_b = campaign.plan(campaign.runs_per_study() + r);
    CHECK(campaign.study_of(r) == 0);
    CHECK(campaign.study_of(campaign.runs_per_study() + r) == 1);
    CHECK(plan_a.seed == plan_b.seed);
    CHECK(plan_a.replication == plan_b.replication);
    CHECK(plan_a.replication == r % 3);
    CHECK(plan_a.params->env.turbulence == plan_b.params->env.turbulence);
    CHECK(plan_a.params->env.turbulence == std::vector<double>{0, 0.05, 0.1}[r / 3]);
    CHECK(plan_a.params->firm.coordination_cost == 0.0);
    CHECK(plan_b.params->firm.coordination_cost == 0.3);
  }
}

TEST_CASE("a campaign refuses studies that are not paired", "[campaign]") {
  const Study a(industry("0"), turbulence_design());
  const Study plain(industry("0"), Design{});
  CHECK_THROWS_AS(Campaign({&a, &plain}), ConfigError);
  model::ScenarioSettings other_seed = industry("0");
  other_seed.set("run.seed", "12", "test");
  const Study reseeded(other_seed, turbulence_design());
  CHECK_THROWS_AS(Campaign({&a, &reseeded}), ConfigError);
  model::ScenarioSettings other_firms = industry("0");
  other_firms.set("group.rivals.count", "3", "test");
  const Study bigger(other_firms, turbulence_design());
  CHECK_THROWS_AS(Campaign({&a, &bigger}), ConfigError);
  CHECK_THROWS_AS(Campaign({}), ConfigError);
}

TEST_CASE("a campaign records every run once into its sink, and resumes with the rest",
          "[campaign]") {
  const Study a(industry("0"), turbulence_design());
  const Study b(industry("0.3"), turbulence_design());
  const Campaign campaign({&a, &b});
  ThreadedExecutor executor;
  CampaignOptions options;
  options.threads = 2;
  std::vector<CampaignProgress::State> states;
  options.observe = [&](const CampaignProgress& progress) { states.push_back(progress.state); };

  MemorySink whole(campaign.run_count(), firms());
  const CampaignReport report = run_campaign(campaign, &whole, executor, options);
  CHECK_FALSE(report.interrupted);
  CHECK(report.ran == 18);
  CHECK(report.failed == 0);
  CHECK(whole.recorded() == 18);
  REQUIRE(states.size() == 20);  // starting, 18 runs, finished
  CHECK(states.front() == CampaignProgress::State::starting);
  CHECK(states.back() == CampaignProgress::State::finished);

  // A sink that holds some runs already gets only the others.
  MemorySink partial(campaign.run_count(), firms());
  for (std::size_t run : {0, 4, 17}) partial.record(run, RunResult(*whole.result(run)));
  const CampaignReport rest = run_campaign(campaign, &partial, executor, CampaignOptions{});
  CHECK(rest.ran == 15);
  for (std::size_t run = 0; run < campaign.run_count(); ++run) {
    INFO("run " << run);
    require_same(*partial.result(run), *whole.result(run));
  }
}

TEST_CASE("a cancelled campaign reports interrupted and keeps what finished", "[campaign]") {
  const Study a(industry("0"), turbulence_design());
  const Campaign campaign({&a});
  std::atomic<bool> cancel{true};
  CampaignOptions options;
  options.cancel = &cancel;
  bool told = false;
  options.interrupted_now = [&] { told = true; };
  MemorySink sink(campaign.run_count(), firms());
  ThreadedExecutor executor;
  const CampaignReport report = run_campaign(campaign, &sink, executor, options);
  CHECK(report.interrupted);
  CHECK(told);
  CHECK(sink.recorded() < campaign.run_count());
}

TEST_CASE("the distributed executor gives the threaded results over 3 processes", "[campaign]") {
  const Study a(industry("0"), turbulence_design());
  const Study b(industry("0.3"), turbulence_design());
  const Campaign campaign({&a, &b});
  MemorySink threaded(campaign.run_count(), firms());
  ThreadedExecutor local;
  run_campaign(campaign, &threaded, local, CampaignOptions{});

  Exchange exchange(3);
  const io::JournalCodec codec(3);
  MemorySink coordinated(campaign.run_count(), firms());
  coordinated.record(5, RunResult(*threaded.result(5)));  // resumed: not run again
  CampaignReport report;
  std::vector<std::thread> processes;
  for (int rank = 0; rank < 3; ++rank) {
    processes.emplace_back([&, rank] {
      ThreadTransport transport(exchange, rank);
      DistributedExecutor executor(transport, codec);
      CampaignOptions options;
      options.threads = 1;
      const CampaignReport mine =
          run_campaign(campaign, rank == 0 ? &coordinated : nullptr, executor, options);
      if (rank == 0) report = mine;
    });
  }
  for (auto& process : processes) process.join();
  CHECK_FALSE(report.interrupted);
  CHECK(report.ran == campaign.run_count() - 1);
  REQUIRE(coordinated.recorded() == campaign.run_count());
  for (std::size_t run = 0; run < campaign.run_count(); ++run) {
    INFO("run " << run);
    require_same(*coordinated.result(run), *threaded.result(run));
  }
}

TEST_CASE("batches: enough for a process's threads, fewer towards the end", "[campaign]") {
  CHECK(distributed_batch_size(100000, 2, 2) == 128);
  CHECK(distributed_batch_size(80, 2, 2) == 10);
  CHECK(distributed_batch_size(1, 3, 8) == 1);
  CHECK(distributed_batch_size(0, 3, 8) == 1);
}

TEST_CASE("summaries: per point the mean of each study and the paired difference",
          "[campaign][summary]") {
  const Study a(industry("0"), turbulence_design());
  const Study b(industry("0.3"), turbulence_design());
  const Campaign campaign({&a, &b});
  MemorySink sink(campaign.run_count(), firms());
  ThreadedExecutor executor;
  run_campaign(campaign, &sink, executor, CampaignOptions{});
  const auto& measures = headline_measures();
  const PointSummary summary = summarise_points(campaign, sink, measures, {2, 0});
  CHECK(summary.focal == "focal");
  REQUIRE(summary.points.size() == 2);
  CHECK(summary.points[0].point == 2);
  for (const auto& estimates : summary.points) {
    for (std::size_t m = 0; m < measures.size(); ++m) {
      std::vector<double> in_a, in_b;
      for (std::size_t r = 0; r < 3; ++r) {
        const std::size_t run = estimates.point * 3 + r;
        in_a.push_back(measures[m].of(*sink.result(run)));
        in_b.push_back(measures[m].of(*sink.result(campaign.runs_per_study() + run)));
      }
      const MeanInterval level = mean_interval(in_b);
      CHECK(estimates.levels[1][m].mean == level.mean);
      const MeanInterval difference = paired_difference(in_a, in_b);
      CHECK(estimates.differences[0][m].mean == difference.mean);
      CHECK(estimates.differences[0][m].half_width == difference.half_width);
    }
  }
  CHECK(head_and_tail(4, 10, 5) == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(head_and_tail(20, 2, 1) == std::vector<std::size_t>{0, 1, 19});
}

namespace {

// The industry with the focal firm's leader left to a rule: 40 periods, a decision every 5.
model::ScenarioSettings python_industry() {
  model::ScenarioSettings settings = industry("0");
  settings.set("run.periods", "40", "test");
  settings.set("leader.cycle", "5", "test");
  settings.set("leader.explore_share", "0.1", "test");
  settings.set("group.focal.leader.policy", "python", "test");
  return settings;
}

// A deterministic rule: up a step while trailing the best rival, down a step otherwise.
double chase(const model::LeaderView& view) {
  double best = 0.0;
  for (const double innovation : view.rival_innovation) best = std::max(best, innovation);
  return view.explore_share + (view.innovation < best ? 0.05 : -0.05);
}

struct Boom : std::runtime_error {
  Boom() : std::runtime_error("boom") {}
};

}  // namespace

TEST_CASE("a python-policy campaign gives the same results twice and on 1 or 2 threads",
          "[campaign][leader_rule]") {
  const Study plain(industry("0"), turbulence_design());
  const Study a(python_industry(), turbulence_design());
  CHECK_FALSE(plain.needs_leader_rule());
  CHECK(a.needs_leader_rule());
  const Campaign campaign({&a, &a});
  CHECK(campaign.needs_leader_rule());
  const model::LeaderRule rule = chase;
  ThreadedExecutor executor;
  std::vector<MemorySink> sinks;
  sinks.reserve(3);
  for (const int threads : {1, 1, 2}) {
    CampaignOptions options;
    options.threads = threads;
    options.leader_rule = &rule;
    MemorySink& sink = sinks.emplace_back(campaign.run_count(), firms());
    const CampaignReport report = run_campaign(campaign, &sink, executor, options);
    CHECK(report.failed == 0);
    REQUIRE(sink.recorded() == campaign.run_count());
  }
  for (std::size_t run = 0; run < campaign.run_count(); ++run) {
    INFO("run " << run);
    require_same(*sinks[1].result(run), *sinks[0].result(run));
    require_same(*sinks[2].result(run), *sinks[0].result(run));
  }
  // The rule did steer: the focal firm's share is not the fixed 0.1 it started from.
  bool moved = false;
  for (std::size_t run = 0; run < campaign.run_count(); ++run) {
    const auto& final = sinks[0].result(run)->summaries[0].final;
    moved = moved || final[model::Quantity::explore_share] != Approx(0.1);
  }
  CHECK(moved);
}

TEST_CASE("without a rule a python-policy campaign is a ConfigError before anything runs",
          "[campaign][leader_rule]") {
  const Study a(python_industry(), turbulence_design());
  const Campaign campaign({&a});
  MemorySink sink(campaign.run_count(), firms());
  ThreadedExecutor executor;
  try {
    run_campaign(campaign, &sink, executor, CampaignOptions{});
    FAIL("ran without a rule");
  } catch (const ConfigError& error) {
    CHECK(std::string(error.what()) ==
          "leader.policy = python needs a Python function: call orgsim.run(scenario, "
          "leader_policy=f) from Python (docs/python.md); on the command line use fixed, value "
          "or relative");
  }
  CHECK(sink.recorded() == 0);

  // The policy may also come from a design point.
  std::vector<Factor> factors = {parse_factor("group.focal.leader.policy=fixed,python")};
  Study::prepare_factors(factors);
  const Study varied(industry("0"), make_design(DesignKind::grid, factors, 0, 11));
  CHECK(varied.needs_leader_rule());
  CHECK_THROWS_AS(varied.require_leader_rule(nullptr), ConfigError);
  std::vector<Factor> others = {parse_factor("leader.policy=fixed,value")};
  Study::prepare_factors(others);
  CHECK_FALSE(
      Study(industry("0"), make_design(DesignKind::grid, others, 0, 11)).needs_leader_rule());
}

TEST_CASE("a rule that throws stops the campaign, keeps what finished and rethrows its error",
          "[campaign][leader_rule]") {
  const Study a(python_industry(), turbulence_design());
  const Campaign campaign({&a});
  ThreadedExecutor executor;
  const model::LeaderRule good = chase;
  MemorySink full(campaign.run_count(), firms());
  {
    CampaignOptions options;
    options.leader_rule = &good;
    run_campaign(campaign, &full, executor, options);
  }

  for (const int threads : {1, 2}) {
    INFO(threads << " threads");
    // 8 decisions per run: the 25th call is run 3's first (on one thread).
    std::atomic<int> calls{0};
    const model::LeaderRule failing = [&calls](const model::LeaderView& view) {
      if (++calls == 25) throw Boom();
      return chase(view);
    };
    CampaignOptions options;
    options.threads = threads;
    options.leader_rule = &failing;
    std::vector<CampaignProgress> told;
    options.observe = [&told](const CampaignProgress& progress) { told.push_back(progress); };
    MemorySink sink(campaign.run_count(), firms());
    CHECK_THROWS_AS(run_campaign(campaign, &sink, executor, options), Boom);
    CHECK(sink.failed() == 0);
    CHECK(sink.recorded() < campaign.run_count());
    CHECK(sink.checkpoints() >= 1);
    if (threads == 1) {
      CHECK(sink.recorded() == 3);
      for (std::size_t run = 0; run < 3; ++run) CHECK(sink.has(run));
    }
    REQUIRE_FALSE(told.empty());
    CHECK(told.back().state == CampaignProgress::State::interrupted);
    CHECK(told.back().runs.done == sink.recorded());

    // Resuming with a good rule runs the rest, and the whole is as if it never failed.
    const std::size_t kept = sink.recorded();
    options.leader_rule = &good;
    options.observe = nullptr;
    const CampaignReport rest = run_campaign(campaign, &sink, executor, options);
    CHECK(rest.ran == campaign.run_count() - kept);
    REQUIRE(sink.recorded() == campaign.run_count());
    for (std::size_t run = 0; run < campaign.run_count(); ++run) {
      INFO("run " << run);
      require_same(*sink.result(run), *full.result(run));
    }
  }
}

TEST_CASE("a rule returning NaN stops the campaign with the model's RuleError",
          "[campaign][leader_rule]") {
  const Study a(python_industry(), turbulence_design());
  const Campaign campaign({&a});
  const model::LeaderRule nan = [](const model::LeaderView&) { return std::nan(""); };
  CampaignOptions options;
  options.threads = 2;
  options.leader_rule = &nan;
  MemorySink sink(campaign.run_count(), firms());
  ThreadedExecutor executor;
  try {
    run_campaign(campaign, &sink, executor, options);
    FAIL("no RuleError");
  } catch (const model::RuleError& error) {
    CHECK(std::string(error.what()) ==
          "leader.policy = python: the function returned nan for firm 'focal' at period 5; "
          "return a number between 0 and 0.5");
  }
  CHECK(sink.recorded() == 0);
}

TEST_CASE("run() wraps the rule's exception in RuleFailed, the original kept",
          "[runner][leader_rule]") {
  const Study a(python_industry(), Design{});
  const model::LeaderRule failing = [](const model::LeaderView&) -> double { throw Boom(); };
  try {
    run(a.plan(0), nullptr, &failing);
    FAIL("no RuleFailed");
  } catch (const RuleFailed& failure) {
    CHECK(std::string(failure.what()) == "boom");
    CHECK_THROWS_AS(failure.rethrow_original(), Boom);
  }
  // Interrupted passes through as it is.
  const model::LeaderRule stop = [](const model::LeaderView&) -> double { throw Interrupted(); };
  CHECK_THROWS_AS(run(a.plan(0), nullptr, &stop), Interrupted);
  // Without a rule the plan cannot run.
  CHECK_THROWS_AS(run(a.plan(0)), ConfigError);
}

TEST_CASE("the distributed executor refuses a python-policy campaign", "[campaign][leader_rule]") {
  const Study a(python_industry(), turbulence_design());
  const Campaign campaign({&a});
  Exchange exchange(1);
  ThreadTransport transport(exchange, 0);
  const io::JournalCodec codec(3);
  DistributedExecutor executor(transport, codec);
  const model::LeaderRule rule = chase;
  CampaignOptions options;
  options.leader_rule = &rule;
  MemorySink sink(campaign.run_count(), firms());
  try {
    run_campaign(campaign, &sink, executor, options);
    FAIL("ran over processes");
  } catch (const ConfigError& error) {
    CHECK(std::string(error.what()).find("cannot run over processes") != std::string::npos);
  }
  CHECK(sink.recorded() == 0);
}
