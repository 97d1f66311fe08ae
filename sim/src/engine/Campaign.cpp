#include "orgsim/engine/Campaign.h"

#include <algorithm>
#include <chrono>

#include "orgsim/core/Error.h"

namespace orgsim::engine {
namespace {

std::string factor_keys(const Design& design) {
  std::string keys;
  for (const auto& factor : design.factors) keys += (keys.empty() ? "" : ", ") + factor.key;
  return keys.empty() ? "none" : keys;
}

}  // namespace

Campaign::Campaign(std::vector<const Study*> studies) : studies_(std::move(studies)) {
  if (studies_.empty()) throw ConfigError("a campaign needs at least one study");
  const Study& first = *studies_.front();
  for (std::size_t s = 1; s < studies_.size(); ++s) {
    const Study& other = *studies_[s];
    const std::string which = "study " + std::to_string(s) + " ";
    if (model::firm_names(other.base()) != model::firm_names(first.base())) {
      throw ConfigError(which +
                        "has other firms than study 0; paired studies need the same "
                        "industry (the same groups and counts)");
    }
    if (other.replications() != first.replications() || other.seed() != first.seed()) {
      throw ConfigError(which +
                        "has other replications or another seed than study 0; paired "
                        "studies share both");
    }
    if (factor_keys(other.design()) != factor_keys(first.design()) ||
        other.design().points != first.design().points) {
      throw ConfigError(which + "has another design than study 0 (varied: " +
                        factor_keys(other.design()) + " against " + factor_keys(first.design()) +
                        "); paired studies share their design points");
    }
  }
}

RunPlan Campaign::plan(std::size_t run) const {
  return studies_[study_of(run)]->plan(run_in_study(run));
}

bool Campaign::needs_leader_rule() const {
  return std::any_of(studies_.begin(), studies_.end(),
                     [](const Study* study) { return study->needs_leader_rule(); });
}

double CampaignProgress::rate() const {
  const double elapsed = std::chrono::duration<double>(runs.elapsed).count();
  return elapsed > 0 ? static_cast<double>(runs.done) / elapsed : 0.0;
}

CampaignReport ThreadedExecutor::execute(const Campaign& campaign, RunSink* sink,
                                         const CampaignOptions& options) {
  CampaignReport report;
  if (sink == nullptr) return report;
  const RunSequence pending = sink->pending_runs();
  CampaignProgress state;
  state.state = CampaignProgress::State::running;
  state.already = sink->run_count() - pending.count;
  state.already_failed = sink->failed();
  state.total = sink->run_count();

  ExecutorOptions executor;
  executor.threads = options.threads;
  executor.cancel = options.cancel;
  executor.leader_rule = options.leader_rule;
  if (options.observe) {
    executor.progress = [&](const Progress& progress) {
      state.runs = progress;
      options.observe(state);
    };
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    engine::execute(
        pending, [&](std::size_t run) { return campaign.plan(run); }, executor,
        [&](std::size_t run, RunResult&& result) {
          report.agent_steps += result.agent_steps;
          ++report.ran;
          sink->record(run, std::move(result));
        },
        [&](std::size_t run, const std::string& error) {
          ++report.ran;
          ++report.failed;
          sink->record_failure(run, error);
        });
  } catch (const Interrupted&) {
    report.interrupted = true;
    sink->checkpoint();
    if (options.interrupted_now) options.interrupted_now();
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

CampaignReport run_campaign(const Campaign& campaign, RunSink* sink, RunExecutor& executor,
                            const CampaignOptions& options) {
  if (sink != nullptr && sink->run_count() != campaign.run_count()) {
    throw ConfigError("the sink holds " + std::to_string(sink->run_count()) +
                      " runs and the campaign has " + std::to_string(campaign.run_count()));
  }
  for (std::size_t s = 0; s < campaign.study_count(); ++s) {
    campaign.study(s).require_leader_rule(options.leader_rule);
  }
  CampaignProgress state;
  if (sink != nullptr) {
    state.already = sink->recorded();
    state.already_failed = sink->failed();
    state.total = sink->run_count();
    state.runs.total = state.total - state.already;
    if (options.observe) options.observe(state);
  }
  CampaignReport report;
  try {
    report = executor.execute(campaign, sink, options);
  } catch (const RuleFailed& failure) {
    // Stop, keep what was recorded, and hand the caller its function's exception.
    if (sink != nullptr) {
      sink->checkpoint();
      state.state = CampaignProgress::State::interrupted;
      state.runs.done = sink->recorded() - state.already;
      state.runs.failed = sink->failed() - state.already_failed;
      if (options.observe) options.observe(state);
    }
    failure.rethrow_original();
  }
  if (sink == nullptr) return report;
  sink->checkpoint();
  report.interrupted = report.interrupted || sink->recorded() < sink->run_count();
  state.state =
      report.interrupted ? CampaignProgress::State::interrupted : CampaignProgress::State::finished;
  state.runs.done = report.ran;
  state.runs.failed = report.failed;
  state.runs.elapsed = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(report.seconds));
  if (options.observe) options.observe(state);
  return report;
}

}  // namespace orgsim::engine
