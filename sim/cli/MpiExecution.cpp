// Running a command's runs over MPI ranks. Rank 0 keeps a queue of the runs still to do
// and hands them out in small batches to whichever rank asks (dynamic load balancing:
// fast and slow runs mix), runs batches of its own on its threads, and records every
// result in the journal as it arrives. The other ranks ask, run a batch on their threads,
// send each result back as it finishes, and ask again. Only rank 0 touches the file, so
// the result is the journal's, the same as on one process whatever the number of ranks:
// every run is a function of its plan alone.

#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

#include "Job.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/io/RunRecord.h"

namespace orgsim::cli {
namespace {

enum Tag : int { kRequest = 1, kWork = 2, kResult = 3, kFinished = 4 };
constexpr unsigned char kSucceeded = 1;
constexpr unsigned char kFailed = 2;

// A result message: [run u64][status u8][payload].
std::vector<unsigned char> result_message(std::size_t run, unsigned char status,
                                          const std::vector<unsigned char>& payload) {
  std::vector<unsigned char> message(sizeof(std::uint64_t) + 1 + payload.size());
  const auto index = static_cast<std::uint64_t>(run);
  std::memcpy(message.data(), &index, sizeof index);
  message[sizeof index] = status;
  std::copy(payload.begin(), payload.end(), message.begin() + sizeof index + 1);
  return message;
}

std::vector<unsigned char> receive_bytes(const MPI_Status& probed) {
  int count = 0;
  MPI_Get_count(&probed, MPI_BYTE, &count);
  std::vector<unsigned char> bytes(static_cast<std::size_t>(count));
  MPI_Recv(bytes.data(), count, MPI_BYTE, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return bytes;
}

// The runs a rank gets at a time: enough to keep its threads busy, few enough that the
// last batches spread over every rank.
std::size_t batch_size(std::size_t remaining, int ranks, int threads) {
  const std::size_t share = remaining / (4 * static_cast<std::size_t>(ranks));
  return std::clamp<std::size_t>(share, 1, static_cast<std::size_t>(64 * threads));
}

ExecutionReport lead(io::ResultFile& file, const std::vector<const engine::Study*>& studies,
                     std::size_t runs_per_study, const RunOptions& options) {
  const Job& job = current_job();
  ExecutionReport report;
  // The runs still to hand out, one at a time: no list of them in memory.
  const engine::RunSequence pending = file.pending_runs();
  std::size_t remaining = pending.count;
  const std::size_t total = pending.count;
  const std::size_t already = file.run_count() - total;
  const std::size_t already_failed = file.failed();
  std::mutex mutex;  // guards the queue, the file and the counts
  engine::Progress progress;
  progress.total = total;
  const auto start = std::chrono::steady_clock::now();
  auto last_status = start - std::chrono::seconds(10);
  double recording_seconds = 0.0;

  // Under `mutex`: one finished run, from any rank.
  auto finished = [&](bool failed) {
    ++progress.done;
    ++report.ran;
    if (failed) {
      ++progress.failed;
      ++report.failed;
    }
    const auto now = std::chrono::steady_clock::now();
    progress.elapsed = now - start;
    if (!options.quiet) show_progress(progress);
    if (options.status && now - last_status > std::chrono::seconds(1)) {
      const double elapsed = std::chrono::duration<double>(progress.elapsed).count();
      write_status(*options.status, "running", already + progress.done,
                   already_failed + progress.failed, file.run_count(),
                   elapsed > 0 ? static_cast<double>(progress.done) / elapsed : 0.0);
      last_status = now;
    }
  };
  // Set on an interrupt, or when recording fails: no more batches, and rank 0's own
  // threads stop between periods.
  std::atomic<bool> stop{false};
  std::atomic<bool> local_done{false};
  std::exception_ptr failure;  // guarded by `mutex`
  auto take = [&](std::size_t wanted) {
    std::vector<std::size_t> batch;
    while (remaining > 0 && batch.size() < wanted && !stop.load()) {
      batch.push_back(pending.next());
      --remaining;
    }
    return batch;
  };

  // Rank 0's own share, on its threads.
  std::thread local([&] {
    engine::ExecutorOptions executor;
    executor.threads = options.threads;
    executor.cancel = &stop;
    for (;;) {
      std::vector<std::size_t> batch;
      {
        std::lock_guard lock(mutex);
        batch = take(batch_size(remaining, job.size, options.threads));
      }
      if (batch.empty()) break;
      try {
        engine::execute(
            batch, [&](std::size_t run) { return plan_of(studies, runs_per_study, run); }, executor,
            [&](std::size_t run, engine::RunResult&& result) {
              std::lock_guard lock(mutex);
              report.agent_steps += result.agent_steps;
              file.record(run, std::move(result));
              finished(false);
            },
            [&](std::size_t run, const std::string& error) {
              std::lock_guard lock(mutex);
              file.record_failure(run, error);
              finished(true);
            });
      } catch (const engine::Interrupted&) {
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

  // The other ranks: answer requests, record results, until every one has finished.
  int active = job.size - 1;
  // On an interrupt (mpirun passes SIGINT and SIGTERM on, and sends SIGTERM when a rank
  // dies) stop waiting: the others may be gone, and the journal holds what arrived.
  while (active > 0 && !stop.load()) {
    if (interrupt_flag().load()) {
      stop.store(true);
      break;
    }
    int waiting = 0;
    MPI_Status probed;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &probed);
    if (!waiting) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
      continue;
    }
    const auto bytes = receive_bytes(probed);
    if (probed.MPI_TAG == kRequest) {
      std::vector<std::uint64_t> batch;
      {
        std::lock_guard lock(mutex);
        for (std::size_t run : take(batch_size(remaining, job.size, options.threads))) {
          batch.push_back(run);
        }
      }
      MPI_Send(batch.data(), static_cast<int>(batch.size()), MPI_UINT64_T, probed.MPI_SOURCE, kWork,
               MPI_COMM_WORLD);
    } else if (probed.MPI_TAG == kResult) {
      std::uint64_t run = 0;
      std::memcpy(&run, bytes.data(), sizeof run);
      const bool failed = bytes[sizeof run] == kFailed;
      std::vector<unsigned char> payload(bytes.begin() + sizeof run + 1, bytes.end());
      const auto before = std::chrono::steady_clock::now();
      std::lock_guard lock(mutex);
      try {
        if (failed) {
          file.record_failure(run, std::string(payload.begin(), payload.end()));
        } else {
          // Journaled as received: no decoding and encoding again.
          report.agent_steps += io::RunRecord::agent_steps(payload);
          file.record_encoded(run, std::move(payload));
        }
        finished(failed);
      } catch (...) {
        if (!failure) failure = std::current_exception();
        stop.store(true);
      }
      recording_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count();
    } else if (probed.MPI_TAG == kFinished) {
      --active;
    }
  }
  if (interrupt_flag().load()) {
    // Said at once: when a rank dies, mpirun ends the others soon after its SIGTERM.
    {
      std::lock_guard lock(mutex);
      file.checkpoint();
    }
    std::cerr << "\norgsim: interrupted; the runs finished so far are kept in "
              << file.journal_path() << "; rerun the same command with --resume to finish"
              << std::endl;
  }
  // Rank 0's own batches may still be running: keep listening for an interrupt.
  while (!local_done.load()) {
    if (interrupt_flag().load()) stop.store(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  local.join();
  if (failure) {
    // The other ranks cannot be told to stop cleanly once recording has failed: end the job.
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      std::cerr << "\norgsim: " << error.what() << "; the runs recorded before are kept in "
                << file.journal_path() << " for --resume" << std::endl;
    }
    abort_job(1);
  }
  file.checkpoint();
  report.interrupted = interrupt_flag().load() || file.recorded() < file.run_count();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.leader_recording_seconds = recording_seconds;
  if (options.status) {
    write_status(*options.status, report.interrupted ? "interrupted" : "finished", file.recorded(),
                 file.failed(), file.run_count(),
                 report.seconds > 0 ? static_cast<double>(report.ran) / report.seconds : 0.0);
  }
  return report;
}

void follow(const std::vector<const engine::Study*>& studies, std::size_t runs_per_study,
            const RunOptions& options) {
  engine::ExecutorOptions executor;
  executor.threads = options.threads;
  executor.cancel = &interrupt_flag();
  for (;;) {
    MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD);
    MPI_Status probed;
    MPI_Probe(0, kWork, MPI_COMM_WORLD, &probed);
    int count = 0;
    MPI_Get_count(&probed, MPI_UINT64_T, &count);
    std::vector<std::uint64_t> received(static_cast<std::size_t>(count));
    MPI_Recv(received.data(), count, MPI_UINT64_T, 0, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (received.empty()) break;
    const std::vector<std::size_t> batch(received.begin(), received.end());
    try {
      // The executor calls these one at a time, so sends are serialised.
      engine::execute(
          batch, [&](std::size_t run) { return plan_of(studies, runs_per_study, run); }, executor,
          [&](std::size_t run, engine::RunResult&& result) {
            const auto message = result_message(run, kSucceeded, io::RunRecord::encode(result));
            MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, 0, kResult,
                     MPI_COMM_WORLD);
          },
          [&](std::size_t run, const std::string& error) {
            const auto message = result_message(
                run, kFailed, std::vector<unsigned char>(error.begin(), error.end()));
            MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, 0, kResult,
                     MPI_COMM_WORLD);
          });
    } catch (const engine::Interrupted&) {
      break;
    }
  }
  MPI_Send(nullptr, 0, MPI_BYTE, 0, kFinished, MPI_COMM_WORLD);
}

}  // namespace

ExecutionReport execute_distributed(io::ResultFile* file,
                                    const std::vector<const engine::Study*>& studies,
                                    std::size_t runs_per_study, const RunOptions& options) {
  if (current_job().leader()) return lead(*file, studies, runs_per_study, options);
  follow(studies, runs_per_study, options);
  return {};
}

}  // namespace orgsim::cli
