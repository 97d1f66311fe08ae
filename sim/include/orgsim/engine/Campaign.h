#pragma once
// A campaign: the studies of one command (`run` and `sweep`: one; `compare`: one per
// scenario), their runs as plans, an executor that runs them and a sink that records them.
//
// The studies of a campaign are paired: they have the same firms, design points,
// replications and seed, so run r of every study is the same design point and
// replication with the same seed (common random numbers; differences between studies are
// paired run by run). Campaign run s * runs_per_study() + r is study s's run r, the
// order in which a result file stores them (the scenario dimension first).
//
// The executor decides where the runs happen: on this process's threads
// (ThreadedExecutor) or over processes (DistributedExecutor.h); the results are the same,
// to the bit, whichever runs them, because a run depends on its plan alone.

#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

#include "orgsim/engine/Executor.h"
#include "orgsim/engine/RunSink.h"
#include "orgsim/engine/Study.h"

namespace orgsim::engine {

class Campaign {
 public:
  /// Throws ConfigError when the studies are not paired (different firms, design points,
  /// replications or seeds), or when there are none.
  explicit Campaign(std::vector<const Study*> studies);

  std::size_t study_count() const { return studies_.size(); }
  const Study& study(std::size_t s) const { return *studies_[s]; }
  std::size_t runs_per_study() const { return studies_.front()->run_count(); }
  std::size_t run_count() const { return runs_per_study() * studies_.size(); }
  std::size_t study_of(std::size_t run) const { return run / runs_per_study(); }
  /// The run's number within its study.
  std::size_t run_in_study(std::size_t run) const { return run % runs_per_study(); }
  std::size_t point_count() const { return studies_.front()->point_count(); }
  long replications() const { return studies_.front()->replications(); }

  /// The plan of campaign run `run`; throws ConfigError when its design point is not valid.
  RunPlan plan(std::size_t run) const;

  /// True when some study needs a leader rule (Study::needs_leader_rule).
  bool needs_leader_rule() const;

 private:
  std::vector<const Study*> studies_;
};

/// Where a campaign stands, for progress displays and status files.
struct CampaignProgress {
  enum class State { starting, running, interrupted, finished };
  State state = State::starting;
  /// This command's runs: done (failed included), failed, how many it has to do, time.
  Progress runs;
  /// Recorded in the sink before this command started (a resumed campaign's).
  std::size_t already = 0;
  std::size_t already_failed = 0;
  /// Every run of the campaign.
  std::size_t total = 0;

  /// This command's runs per second so far.
  double rate() const;
};

struct CampaignOptions {
  /// Threads per process.
  int threads = 1;
  /// Set from outside (a signal handler) to stop; the campaign then reports interrupted.
  const std::atomic<bool>* cancel = nullptr;
  /// Told as the campaign starts, after each finished run and as it stops; never
  /// concurrently, and only where the sink is.
  std::function<void(const CampaignProgress&)> observe;
  /// Called once as soon as an interrupt is noticed, after the sink's checkpoint, before
  /// waiting for runs in flight (a distributed job's launcher may end the process soon).
  std::function<void()> interrupted_now;
  /// Decides for the firms with leader.policy = python (model/LeaderRule.h): the Python
  /// module's wrapped callable, or a C++ function. Called from every thread at once; not
  /// copied, so it must outlive run_campaign. Only ThreadedExecutor can use one (a function
  /// cannot travel to other processes). See run_campaign for what its failure does.
  const model::LeaderRule* leader_rule = nullptr;
};

struct CampaignReport {
  bool interrupted = false;
  double seconds = 0.0;
  double agent_steps = 0.0;
  std::size_t ran = 0;     ///< runs executed by this command (not those resumed)
  std::size_t failed = 0;  ///< failed among them
  /// Distributed: the coordinator's time spent receiving and recording other processes'
  /// results.
  double coordinator_recording_seconds = 0.0;
};

/// Runs a campaign's runs that its sink lacks and records each as it finishes.
class RunExecutor {
 public:
  virtual ~RunExecutor() = default;
  /// `sink` is null on a process that only works for a coordinator elsewhere; it returns
  /// an empty report. Reports progress as runs finish (options.observe, state running).
  virtual CampaignReport execute(const Campaign& campaign, RunSink* sink,
                                 const CampaignOptions& options) = 0;
};

/// This process's threads (options.threads).
class ThreadedExecutor final : public RunExecutor {
 public:
  CampaignReport execute(const Campaign& campaign, RunSink* sink,
                         const CampaignOptions& options) override;
};

/// Runs `campaign` into `sink` with `executor`: tells options.observe that it starts,
/// executes, makes the sink durable and tells how it ended. `sink` is null on a process
/// that only works for a coordinator.
///
/// Leader rules: a campaign that needs one (Campaign::needs_leader_rule) without
/// options.leader_rule is a ConfigError (model::kLeaderRuleMissing) before anything runs.
/// When the rule fails (it throws anything but Interrupted, or returns NaN or an infinity:
/// RuleFailed, Runner.h) the campaign stops rather than recording failed runs: no further
/// run starts, the runs recorded so far stay in the sink, which is made durable
/// (checkpoint) and told interrupted, and the rule's own exception (RuleFailed::original():
/// what the rule threw, or the model::RuleError) is rethrown here. Resuming the sink runs
/// the rest.
CampaignReport run_campaign(const Campaign& campaign, RunSink* sink, RunExecutor& executor,
                            const CampaignOptions& options);

}  // namespace orgsim::engine
