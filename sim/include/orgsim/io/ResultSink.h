#pragma once
// The result file as a campaign's sink (engine/RunSink.h): each run goes to its journal as
// it finishes, runs already journaled are not run again (--resume), and results encoded
// in the journal's record format (JournalCodec, as a distributed campaign's workers send
// them) are journaled as they arrive, without decoding them.

#include <cstddef>

#include "orgsim/engine/RunSink.h"
#include "orgsim/io/ResultFile.h"

namespace orgsim::io {

/// The journal's record format (io::RunRecord) as an engine codec.
class JournalCodec final : public engine::ResultCodec {
 public:
  /// Results of `firm_count` firms.
  explicit JournalCodec(std::size_t firm_count) : firm_count_(firm_count) {}
  void encode(const engine::RunResult& result, std::vector<unsigned char>& bytes) const override;
  engine::RunResult decode(const std::vector<unsigned char>& bytes) const override;
  double agent_steps_of(const std::vector<unsigned char>& bytes) const override;

 private:
  std::size_t firm_count_;
};

class ResultSink final : public engine::RunSink {
 public:
  /// Records into `file`, which must outlive the sink.
  explicit ResultSink(ResultFile& file) : file_(file) {}

  std::size_t run_count() const override { return file_.run_count(); }
  engine::RunSequence pending_runs() const override { return file_.pending_runs(); }
  std::size_t recorded() const override { return file_.recorded(); }
  std::size_t failed() const override { return file_.failed(); }
  void record(std::size_t run, engine::RunResult&& result) override;
  void record_encoded(std::size_t run, std::vector<unsigned char>&& bytes,
                      const engine::ResultCodec& codec) override;
  void record_failure(std::size_t run, const std::string& error) override;
  void checkpoint() override { file_.checkpoint(); }
  void for_each_result(
      const std::function<void(std::size_t, const engine::RunResult&)>& visit) const override;
  void for_each_failure(
      const std::function<void(std::size_t, const std::string&)>& visit) const override;

 private:
  ResultFile& file_;
};

}  // namespace orgsim::io
