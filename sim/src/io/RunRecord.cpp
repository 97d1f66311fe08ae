#include "orgsim/io/RunRecord.h"

#include <string>

#include "orgsim/core/Error.h"

namespace orgsim::io {
namespace {

constexpr std::size_t kObservationBytes = sizeof(double) * model::kQuantityCount;

template <class T>
void put(std::vector<unsigned char>& out, const T& value) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}

}  // namespace

void RunRecord::append(const engine::RunResult& result, std::vector<unsigned char>& out) {
  // One allocation at most, and the observations copied as the arrays of doubles they are.
  out.reserve(out.size() + sizeof(std::uint32_t) + result.periods.size() * sizeof(std::int32_t) +
              result.trajectory.size() * kObservationBytes +
              result.summaries.size() * kSummaryBytes + sizeof(double));
  put(out, static_cast<std::uint32_t>(result.periods.size()));
  for (int period : result.periods) put(out, static_cast<std::int32_t>(period));
  const std::size_t at = out.size();
  out.resize(at + result.trajectory.size() * kObservationBytes);
  for (std::size_t k = 0; k < result.trajectory.size(); ++k) {
    std::memcpy(out.data() + at + k * kObservationBytes, result.trajectory[k].values.data(),
                kObservationBytes);
  }
  for (const auto& summary : result.summaries) {
    for (const auto& info : model::summary_info()) put(out, info.of(summary));
  }
  put(out, result.agent_steps);
}

void RunRecord::encode(const engine::RunResult& result, std::vector<unsigned char>& out) {
  out.clear();
  append(result, out);
}

std::vector<unsigned char> RunRecord::encode(const engine::RunResult& result) {
  std::vector<unsigned char> out;
  append(result, out);
  return out;
}

double RunRecord::agent_steps(const std::vector<unsigned char>& bytes) {
  // encode() puts it last.
  if (bytes.size() < sizeof(double)) throw IoError("journal record shorter than its contents");
  double agent_steps = 0.0;
  std::memcpy(&agent_steps, bytes.data() + bytes.size() - sizeof(double), sizeof(double));
  return agent_steps;
}

RunRecord::RunRecord(const unsigned char* data, std::size_t size, std::size_t firm_count)
    : data_(data), firms_(firm_count) {
  std::uint32_t periods = 0;
  if (size < sizeof periods) throw IoError("journal record shorter than its contents");
  std::memcpy(&periods, data, sizeof periods);
  periods_ = periods;
  periods_at_ = sizeof periods;
  trajectory_at_ = periods_at_ + periods_ * sizeof(std::int32_t);
  summaries_at_ = trajectory_at_ + periods_ * firms_ * kObservationBytes;
  const std::size_t expected = summaries_at_ + firms_ * kSummaryBytes + sizeof(double);
  if (size != expected) {
    throw IoError("journal record of " + std::to_string(size) + " bytes does not hold " +
                  std::to_string(periods) + " periods of " + std::to_string(firm_count) + " firms");
  }
}

engine::RunResult RunRecord::decode(const std::vector<unsigned char>& bytes,
                                    std::size_t firm_count) {
  const RunRecord record(bytes, firm_count);
  engine::RunResult result;
  result.periods.resize(record.periods());
  for (std::size_t k = 0; k < record.periods(); ++k) result.periods[k] = record.period(k);
  result.trajectory.resize(record.periods() * firm_count);
  for (std::size_t k = 0; k < result.trajectory.size(); ++k) {
    std::memcpy(result.trajectory[k].values.data(),
                bytes.data() + record.trajectory_at_ + k * kObservationBytes, kObservationBytes);
  }
  result.summaries.resize(firm_count);
  for (std::size_t f = 0; f < firm_count; ++f) {
    for (std::size_t v = 0; v < model::kSummaryCount; ++v) {
      model::summary_info()[v].of(result.summaries[f]) = record.summary(f, v);
    }
  }
  result.agent_steps = record.agent_steps();
  return result;
}

}  // namespace orgsim::io
