#pragma once
// Where a campaign's runs go: a sink records each finished run (or its failure) as it
// arrives, knows which runs it already holds (so that an interrupted campaign continues
// with the rest) and reads its results back for the summaries a command prints. io's
// result file is one (io/ResultSink.h); tests use one in memory.
//
// Results that travel between processes (a distributed executor's workers send them to
// its coordinator) travel as bytes, in a format a ResultCodec defines. A sink that stores
// results in that same format takes them as they arrive, without decoding them.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "orgsim/engine/Executor.h"
#include "orgsim/engine/Runner.h"

namespace orgsim::engine {

/// A run's result as bytes and back (io's journal record format, io/ResultSink.h).
class ResultCodec {
 public:
  virtual ~ResultCodec() = default;
  /// `result` into `bytes` (replacing its contents, reusing its memory).
  virtual void encode(const RunResult& result, std::vector<unsigned char>& bytes) const = 0;
  virtual RunResult decode(const std::vector<unsigned char>& bytes) const = 0;
  /// The agent-steps of an encoded result, without decoding the rest.
  virtual double agent_steps_of(const std::vector<unsigned char>& bytes) const = 0;
};

class RunSink {
 public:
  virtual ~RunSink() = default;

  /// Every run of the campaign, recorded or not.
  virtual std::size_t run_count() const = 0;
  /// The runs not yet recorded, in order, one at a time (later records do not change it).
  virtual RunSequence pending_runs() const = 0;
  /// Runs recorded (failures included) and failures among them.
  virtual std::size_t recorded() const = 0;
  virtual std::size_t failed() const = 0;

  /// Records a finished run. Calls are never concurrent.
  virtual void record(std::size_t run, RunResult&& result) = 0;
  /// A result encoded by `codec`, as another process sent it; by default decoded and
  /// recorded.
  virtual void record_encoded(std::size_t run, std::vector<unsigned char>&& bytes,
                              const ResultCodec& codec) {
    record(run, codec.decode(bytes));
  }
  virtual void record_failure(std::size_t run, const std::string& error) = 0;
  /// Makes what was recorded so far durable (the campaign calls it when it stops).
  virtual void checkpoint() {}

  /// Every recorded successful run, in run order (firm_names filled in).
  virtual void for_each_result(
      const std::function<void(std::size_t run, const RunResult&)>& visit) const = 0;
  /// Every failed run's message, in run order.
  virtual void for_each_failure(
      const std::function<void(std::size_t run, const std::string&)>& visit) const = 0;
};

}  // namespace orgsim::engine
