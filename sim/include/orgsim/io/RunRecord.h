#pragma once
// The one codec for a run's result as bytes: the payload of a journal record (RunJournal),
// what MPI ranks send to rank 0, what assembly reads into the result file, and what
// `orgsim replay` puts its rerun through to compare it with the file. In order, native
// byte order:
//
//   uint32  P, the recorded periods
//   int32   the periods, P of them
//   float64 the trajectory: P x firms x model::kQuantityCount (period, firm, quantity)
//   float64 the summaries: firms x model::kSummaryCount (model::summary_info() order)
//   float64 agent_steps
//
// The journal (ORGSIM-JOURNAL-4) stores it as it is: changing it means a new journal version.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "orgsim/engine/Runner.h"
#include "orgsim/model/Summary.h"

namespace orgsim::io {

class RunRecord {
 public:
  /// Appends the encoding of `result` to `out`.
  static void append(const engine::RunResult& result, std::vector<unsigned char>& out);
  /// The encoding into `out`, replacing its contents and reusing its memory.
  static void encode(const engine::RunResult& result, std::vector<unsigned char>& out);
  static std::vector<unsigned char> encode(const engine::RunResult& result);
  /// And back, for `firm_count` firms (firm_names are left empty). Throws IoError when the
  /// size does not match (see RunRecord).
  static engine::RunResult decode(const std::vector<unsigned char>& bytes, std::size_t firm_count);
  /// The agent-steps of an encoding, without decoding the rest. Throws IoError when short.
  static double agent_steps(const std::vector<unsigned char>& bytes);

  /// A view of an encoding of `firm_count` firms, read in place. Checks the size before
  /// anything is sized by the period count it claims, so that a damaged or crafted record
  /// cannot ask for gigabytes: throws IoError ("journal record of N bytes does not hold P
  /// periods of F firms"; "journal record shorter than its contents").
  RunRecord(const unsigned char* data, std::size_t size, std::size_t firm_count);
  explicit RunRecord(const std::vector<unsigned char>& bytes, std::size_t firm_count)
      : RunRecord(bytes.data(), bytes.size(), firm_count) {}

  std::size_t periods() const { return periods_; }
  std::size_t firms() const { return firms_; }
  std::int32_t period(std::size_t k) const { return read<std::int32_t>(periods_at_, k); }
  /// Quantity `q` of firm `firm` at the `k`-th recorded period.
  double trajectory(std::size_t k, std::size_t firm, std::size_t q) const {
    return read<double>(trajectory_at_, (k * firms_ + firm) * model::kQuantityCount + q);
  }
  /// Summary `v` (model::summary_info()[v]) of firm `firm`.
  double summary(std::size_t firm, std::size_t v) const {
    return read<double>(summaries_at_, firm * model::kSummaryCount + v);
  }
  double agent_steps() const { return read<double>(summaries_at_ + firms_ * kSummaryBytes, 0); }

 private:
  static constexpr std::size_t kSummaryBytes = model::kSummaryCount * sizeof(double);

  template <class T>
  T read(std::size_t at, std::size_t index) const {
    T value;
    std::memcpy(&value, data_ + at + index * sizeof(T), sizeof(T));
    return value;
  }

  const unsigned char* data_ = nullptr;
  std::size_t firms_ = 0;
  std::size_t periods_ = 0;
  std::size_t periods_at_ = 0;
  std::size_t trajectory_at_ = 0;
  std::size_t summaries_at_ = 0;
};

}  // namespace orgsim::io
