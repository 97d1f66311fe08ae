#include "orgsim/io/ResultSink.h"

#include "orgsim/io/RunRecord.h"

namespace orgsim::io {

void JournalCodec::encode(const engine::RunResult& result,
                          std::vector<unsigned char>& bytes) const {
  RunRecord::encode(result, bytes);
}

engine::RunResult JournalCodec::decode(const std::vector<unsigned char>& bytes) const {
  return RunRecord::decode(bytes, firm_count_);
}

double JournalCodec::agent_steps_of(const std::vector<unsigned char>& bytes) const {
  return RunRecord::agent_steps(bytes);
}

void ResultSink::record(std::size_t run, engine::RunResult&& result) {
  file_.record(run, std::move(result));
}

void ResultSink::record_encoded(std::size_t run, std::vector<unsigned char>&& bytes,
                                const engine::ResultCodec& codec) {
  if (dynamic_cast<const JournalCodec*>(&codec) != nullptr) {
    file_.record_encoded(run, std::move(bytes));  // the journal's own format
  } else {
    engine::RunSink::record_encoded(run, std::move(bytes), codec);
  }
}

void ResultSink::record_failure(std::size_t run, const std::string& error) {
  file_.record_failure(run, error);
}

void ResultSink::for_each_result(
    const std::function<void(std::size_t, const engine::RunResult&)>& visit) const {
  file_.for_each_result(visit);
}

void ResultSink::for_each_failure(
    const std::function<void(std::size_t, const std::string&)>& visit) const {
  file_.for_each_failure(visit);
}

}  // namespace orgsim::io
