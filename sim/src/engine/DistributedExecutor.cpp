#include "orgsim/engine/DistributedExecutor.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

namespace orgsim::engine {
namespace {

enum Tag : int { kRequest = 1, kWork = 2, kResult = 3, kFinished = 4 };
constexpr unsigned char kSucceeded = 1;
constexpr unsigned char kFailed = 2;

// A result message: [run u64][status u8][payload].
void result_message(std::size_t run, unsigned char status, const unsigned char* payload,
                    std::size_t size, std::vector<unsigned char>& message) {
  const auto index = static_cast<std::uint64_t>(run);
  message.resize(sizeof index + 1 + size);
  std::memcpy(message.data(), &index, sizeof index);
  message[sizeof index] = status;
  if (size > 0) std::memcpy(message.data() + sizeof index + 1, payload, size);
}

// A batch of runs: u64 each.
std::vector<unsigned char> work_message(const std::vector<std::size_t>& runs) {
  std::vector<unsigned char> bytes(runs.size() * sizeof(std::uint64_t));
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const auto run = static_cast<std::uint64_t>(runs[k]);
    std::memcpy(bytes.data() + k * sizeof run, &run, sizeof run);
  }
  return bytes;
}

std::vector<std::size_t> runs_of(const std::vector<unsigned char>& bytes) {
  std::vector<std::size_t> runs(bytes.size() / sizeof(std::uint64_t));
  for (std::size_t k = 0; k < runs.size(); ++k) {
    std::uint64_t run = 0;
    std::memcpy(&run, bytes.data() + k * sizeof run, sizeof run);
    runs[k] = static_cast<std::size_t>(run);
  }
  return runs;
}

}  // namespace

std::size_t distributed_batch_size(std::size_t remaining, int processes, int threads) {
  const std::size_t share = remaining / (4 * static_cast<std::size_t>(std::max(processes, 1)));
  return std::clamp<std::size_t>(share, 1, static_cast<std::size_t>(64 * std::max(threads, 1)));
}

CampaignReport DistributedExecutor::execute(const Campaign& campaign, RunSink* sink,
                                            const CampaignOptions& options) {
  // Every process refuses alike, before any message: none is left waiting for another.
  if (campaign.needs_leader_rule()) {
    throw ConfigError(
        "leader.policy = python cannot run over processes (MPI): a Python function cannot "
        "travel to other processes; run it in one process, with threads");
  }
  if (transport_.rank() == 0) return coordinate(campaign, *sink, options);
  work(campaign, options);
  return {};
}

CampaignReport DistributedExecutor::coordinate(const Campaign& campaign, RunSink& sink,
                                               const CampaignOptions& options) {
  const int processes = transport_.size();
  CampaignReport report;
  // The runs still to hand out, one at a time: no list of them in memory.
  const RunSequence pending = sink.pending_runs();
  std::size_t remaining = pending.count;
  std::mutex mutex;  // guards the queue, the sink, the counts and `failure`
  CampaignProgress state;
  state.state = CampaignProgress::State::running;
  state.runs.total = pending.count;
  state.already = sink.run_count() - pending.count;
  state.already_failed = sink.failed();
  state.total = sink.run_count();
  const auto start = std::chrono::steady_clock::now();
  double recording_seconds = 0.0;
  auto cancelled = [&] { return options.cancel != nullptr && options.cancel->load(); };

  // Under `mutex`: one finished run, from any process.
  auto finished = [&](bool failed) {
    ++state.runs.done;
    ++report.ran;
    if (failed) {
      ++state.runs.failed;
      ++report.failed;
    }
    state.runs.elapsed = std::chrono::steady_clock::now() - start;
    if (options.observe) options.observe(state);
  };
  // Set on an interrupt, or when recording fails: no more batches, and the coordinator's
  // own threads stop between periods.
  std::atomic<bool> stop{false};
  std::atomic<bool> local_done{false};
  std::exception_ptr failure;
  auto take = [&](std::size_t wanted) {
    std::vector<std::size_t> batch;
    while (remaining > 0 && batch.size() < wanted && !stop.load()) {
      batch.push_back(pending.next());
      --remaining;
    }
    return batch;
  };

  // The coordinator's own share, on its threads.
  std::thread local([&] {
    ExecutorOptions executor;
    executor.threads = options.threads;
    executor.cancel = &stop;
    for (;;) {
      std::vector<std::size_t> batch;
      {
        std::lock_guard lock(mutex);
        batch = take(distributed_batch_size(remaining, processes, options.threads));
      }
      if (batch.empty()) break;
      try {
        engine::execute(
            batch, [&](std::size_t run) { return campaign.plan(run); }, executor,
            [&](std::size_t run, RunResult&& result) {
              std::lock_guard lock(mutex);
              report.agent_steps += result.agent_steps;
              sink.record(run, std::move(result));
              finished(false);
            },
            [&](std::size_t run, const std::string& error) {
              std::lock_guard lock(mutex);
              sink.record_failure(run, error);
              finished(true);
            });
      } catch (const Interrupted&) {
        break;
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop.store(true);
        break;
      }
    }
    local_done.store(true);
  });

  // The workers: answer requests, record results, until every one has finished.
  int active = processes - 1;
  // On an interrupt (mpirun passes SIGINT and SIGTERM on, and sends SIGTERM when a rank
  // dies) stop waiting: the others may be gone, and the sink holds what arrived.
  while (active > 0 && !stop.load()) {
    if (cancelled()) {
      stop.store(true);
      break;
    }
    std::optional<Transport::Message> message = transport_.poll();
    if (!message) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
      continue;
    }
    if (message->tag == kRequest) {
      std::vector<std::size_t> batch;
      {
        std::lock_guard lock(mutex);
        batch = take(distributed_batch_size(remaining, processes, options.threads));
      }
      transport_.send(message->source, kWork, work_message(batch));
    } else if (message->tag == kResult) {
      const auto& bytes = message->bytes;
      std::uint64_t run = 0;
      std::memcpy(&run, bytes.data(), sizeof run);
      const bool failed = bytes[sizeof run] == kFailed;
      std::vector<unsigned char> payload(bytes.begin() + sizeof run + 1, bytes.end());
      const auto before = std::chrono::steady_clock::now();
      std::lock_guard lock(mutex);
      try {
        if (failed) {
          sink.record_failure(run, std::string(payload.begin(), payload.end()));
        } else {
          report.agent_steps += codec_.agent_steps_of(payload);
          // A sink that stores this format takes the bytes as they are.
          sink.record_encoded(run, std::move(payload), codec_);
        }
        finished(failed);
      } catch (...) {
        if (!failure) failure = std::current_exception();
        stop.store(true);
      }
      recording_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count();
    } else if (message->tag == kFinished) {
      --active;
    }
  }
  if (cancelled()) {
    {
      std::lock_guard lock(mutex);
      sink.checkpoint();
    }
    if (options.interrupted_now) options.interrupted_now();
  }
  // The coordinator's own batches may still be running: keep listening for an interrupt.
  while (!local_done.load()) {
    if (cancelled()) stop.store(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  local.join();
  if (failure) std::rethrow_exception(failure);
  sink.checkpoint();
  report.interrupted = cancelled() || sink.recorded() < sink.run_count();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.coordinator_recording_seconds = recording_seconds;
  return report;
}

void DistributedExecutor::work(const Campaign& campaign, const CampaignOptions& options) {
  ExecutorOptions executor;
  executor.threads = options.threads;
  executor.cancel = options.cancel;
  std::vector<unsigned char> payload, message;
  for (;;) {
    transport_.send(0, kRequest, {});
    const std::vector<std::size_t> batch = runs_of(transport_.receive(0, kWork).bytes);
    if (batch.empty()) break;
    try {
      // The executor calls these one at a time, so sends are serialised.
      engine::execute(
          batch, [&](std::size_t run) { return campaign.plan(run); }, executor,
          [&](std::size_t run, RunResult&& result) {
            codec_.encode(result, payload);
            result_message(run, kSucceeded, payload.data(), payload.size(), message);
            transport_.send(0, kResult, message);
          },
          [&](std::size_t run, const std::string& error) {
            result_message(run, kFailed, reinterpret_cast<const unsigned char*>(error.data()),
                           error.size(), message);
            transport_.send(0, kResult, message);
          });
    } catch (const Interrupted&) {
      break;
    }
  }
  transport_.send(0, kFinished, {});
}

}  // namespace orgsim::engine
