#include "orgsim/io/RunRecord.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "orgsim/core/Error.h"

using namespace orgsim;
using Catch::Matchers::Contains;

namespace {

// 2 periods x 2 firms, every value distinct.
engine::RunResult sample_result() {
  engine::RunResult result;
  result.periods = {5, 10};
  result.firm_names = {"a", "b"};
  result.trajectory.resize(4);
  for (std::size_t k = 0; k < 4; ++k) {
    for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
      result.trajectory[k].values[q] = static_cast<double>(100 * k + q) + 0.25;
    }
  }
  result.summaries.resize(2);
  for (std::size_t f = 0; f < 2; ++f) {
    for (std::size_t v = 0; v < model::kSummaryCount; ++v) {
      model::summary_info()[v].of(result.summaries[f]) = static_cast<double>(1000 * f + v) + 0.5;
    }
  }
  result.summaries[1].first_period_lead = std::nan("");
  result.agent_steps = 7;
  return result;
}

template <class T>
T at(const std::vector<unsigned char>& bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

}  // namespace

TEST_CASE("a run record round-trips every period, observation and summary", "[record]") {
  const engine::RunResult result = sample_result();
  const std::vector<unsigned char> bytes = io::RunRecord::encode(result);
  const engine::RunResult back = io::RunRecord::decode(bytes, 2);
  CHECK(back.periods == result.periods);
  REQUIRE(back.trajectory.size() == 4);
  for (std::size_t k = 0; k < 4; ++k)
    CHECK(back.trajectory[k].values == result.trajectory[k].values);
  REQUIRE(back.summaries.size() == 2);
  for (std::size_t f = 0; f < 2; ++f) {
    for (const auto& info : model::summary_info()) {
      INFO(info.name);
      const double a = info.of(back.summaries[f]), b = info.of(result.summaries[f]);
      CHECK(std::memcmp(&a, &b, sizeof a) == 0);  // NaN too
    }
  }
  CHECK(back.agent_steps == 7);
  CHECK(io::RunRecord::agent_steps(bytes) == 7);
  // Encoding into a buffer replaces its contents.
  std::vector<unsigned char> reused(3, 0xab);
  io::RunRecord::encode(result, reused);
  CHECK(reused == bytes);
}

TEST_CASE("a run record is read in place", "[record]") {
  const engine::RunResult result = sample_result();
  const std::vector<unsigned char> bytes = io::RunRecord::encode(result);
  const io::RunRecord record(bytes, 2);
  CHECK(record.periods() == 2);
  CHECK(record.firms() == 2);
  CHECK(record.period(1) == 10);
  CHECK(record.trajectory(1, 0, 3) == result.at(1, 0).values[3]);
  CHECK(record.summary(1, 2) == model::summary_info()[2].of(result.summaries[1]));
  CHECK(record.agent_steps() == 7);
}

TEST_CASE("the record layout is the journal's (ORGSIM-JOURNAL-4): a change needs a new version",
          "[record]") {
  // uint32 periods, int32 each period, the trajectory, the summaries (final_<quantity> then
  // share_periods_lead, share_periods_innovation_lead, first_period_lead, periods_run,
  // mean_lead, mean_innovation_lead, mean_innovation, mean_output_per_head, then the late
  // window's late_mean_lead, late_mean_innovation_lead, late_mean_innovation,
  // late_mean_output_per_head, late_share_periods_lead, late_share_periods_innovation_lead),
  // and agent_steps last.
  engine::RunResult result = sample_result();
  result.summaries[1].share_periods_lead = 0.125;
  result.summaries[1].share_periods_innovation_lead = 0.375;
  result.summaries[1].first_period_lead = 4;
  result.summaries[1].periods_run = 17;
  result.summaries[1].mean_lead = -0.5;
  result.summaries[1].mean_innovation_lead = 0.03125;
  result.summaries[1].mean_innovation = 0.625;
  result.summaries[1].mean_output_per_head = 2.5;
  result.summaries[1].late_mean_lead = -0.25;
  result.summaries[1].late_mean_innovation_lead = 0.0625;
  result.summaries[1].late_mean_innovation = 0.75;
  result.summaries[1].late_mean_output_per_head = 3.5;
  result.summaries[1].late_share_periods_lead = 0.5;
  result.summaries[1].late_share_periods_innovation_lead = 0.25;
  const std::vector<unsigned char> bytes = io::RunRecord::encode(result);
  const std::size_t q = model::kQuantityCount;
  const std::size_t trajectory_at = 4 + 2 * 4;
  const std::size_t summaries_at = trajectory_at + 4 * q * 8;
  REQUIRE(bytes.size() == summaries_at + 2 * (q + 14) * 8 + 8);
  CHECK(at<std::uint32_t>(bytes, 0) == 2);
  CHECK(at<std::int32_t>(bytes, 8) == 10);
  CHECK(at<double>(bytes, trajectory_at + (2 * q + 1) * 8) == result.at(1, 0).values[1]);
  const std::size_t firm1 = summaries_at + (q + 14) * 8;
  CHECK(at<double>(bytes, firm1) == result.summaries[1].final.values[0]);
  CHECK(at<double>(bytes, firm1 + q * 8) == 0.125);
  CHECK(at<double>(bytes, firm1 + (q + 1) * 8) == 0.375);
  CHECK(at<double>(bytes, firm1 + (q + 2) * 8) == 4);
  CHECK(at<double>(bytes, firm1 + (q + 3) * 8) == 17);
  CHECK(at<double>(bytes, firm1 + (q + 4) * 8) == -0.5);
  CHECK(at<double>(bytes, firm1 + (q + 5) * 8) == 0.03125);
  CHECK(at<double>(bytes, firm1 + (q + 6) * 8) == 0.625);
  CHECK(at<double>(bytes, firm1 + (q + 7) * 8) == 2.5);
  CHECK(at<double>(bytes, firm1 + (q + 8) * 8) == -0.25);
  CHECK(at<double>(bytes, firm1 + (q + 9) * 8) == 0.0625);
  CHECK(at<double>(bytes, firm1 + (q + 10) * 8) == 0.75);
  CHECK(at<double>(bytes, firm1 + (q + 11) * 8) == 3.5);
  CHECK(at<double>(bytes, firm1 + (q + 12) * 8) == 0.5);
  CHECK(at<double>(bytes, firm1 + (q + 13) * 8) == 0.25);
  CHECK(at<double>(bytes, bytes.size() - 8) == 7);
}

TEST_CASE("a record whose size does not match its period count is refused before sizing",
          "[record]") {
  const std::vector<unsigned char> good = io::RunRecord::encode(sample_result());
  CHECK(io::RunRecord::decode(good, 2).trajectory.size() == 4);
  // One byte short, and a period count of 2^32 - 1 in a record of a few hundred bytes:
  // refused at once (the second would otherwise size a trajectory of gigabytes).
  const std::vector<unsigned char> short_one(good.begin(), good.end() - 1);
  CHECK_THROWS_WITH(io::RunRecord::decode(short_one, 2),
                    Contains("journal record of " + std::to_string(good.size() - 1) +
                             " bytes does not hold 2 periods of 2 firms"));
  std::vector<unsigned char> crafted = good;
  crafted[0] = crafted[1] = crafted[2] = crafted[3] = 0xff;
  CHECK_THROWS_WITH(io::RunRecord::decode(crafted, 2),
                    Contains("does not hold 4294967295 periods"));
  CHECK_THROWS_WITH(io::RunRecord(crafted, 2), Contains("does not hold 4294967295 periods"));
  // The same record read as if the study had three firms.
  CHECK_THROWS_AS(io::RunRecord::decode(good, 3), IoError);
  // Too short even for its period count, or for its agent-steps.
  const std::vector<unsigned char> tiny = {1, 0};
  CHECK_THROWS_WITH(io::RunRecord::decode(tiny, 2),
                    Contains("journal record shorter than its contents"));
  CHECK_THROWS_WITH(io::RunRecord::agent_steps(tiny),
                    Contains("journal record shorter than its contents"));
}
