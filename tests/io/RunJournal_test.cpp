#include "orgsim/io/RunJournal.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "../TempDir.h"
#include "orgsim/core/Error.h"

using namespace orgsim;
using Catch::Matchers::Contains;
using orgsim::testing::TempDir;

namespace {

std::vector<io::RunJournal::Entry> entries_of(const io::RunJournal& journal) {
  std::vector<io::RunJournal::Entry> entries;
  journal.for_each_entry([&](const io::RunJournal::Entry& entry) { entries.push_back(entry); });
  return entries;
}

engine::RunResult result_with(double value) {
  engine::RunResult result;
  result.periods = {1, 2};
  result.trajectory.resize(4);  // 2 periods x 2 firms
  for (std::size_t k = 0; k < 4; ++k)
    result.trajectory[k].values.fill(value + static_cast<double>(k));
  result.summaries.resize(2);
  result.summaries[1].share_periods_lead = value;
  result.agent_steps = 7;
  return result;
}

}  // namespace

TEST_CASE("records read back exactly", "[journal]") {
  TempDir dir;
  auto journal = io::RunJournal::create(dir.file("j"), "study", 2);
  journal.append(3, result_with(0.5));
  journal.append_failure(1, "it broke");
  const auto entries = entries_of(journal);
  REQUIRE(entries.size() == 2);
  CHECK(journal.size() == 2);
  CHECK(journal.failures() == 1);
  CHECK(journal.contains(3));
  CHECK(journal.contains(1));
  CHECK_FALSE(journal.contains(2));
  CHECK_FALSE(journal.contains(1000));
  CHECK(entries[0].run == 3);
  const auto back = journal.read_result(entries[0]);
  CHECK(back.periods == std::vector<int>{1, 2});
  CHECK(back.trajectory[3].values[0] == 3.5);
  CHECK(back.summaries[1].share_periods_lead == 0.5);
  CHECK(back.agent_steps == 7);
  CHECK(entries[1].failed);
  CHECK(journal.read_failure(entries[1]) == "it broke");
}

TEST_CASE("resuming keeps good records and drops a torn or corrupt tail", "[journal]") {
  TempDir dir;
  {
    auto journal = io::RunJournal::create(dir.file("j"), "study", 2);
    journal.append(0, result_with(1));
    journal.append(1, result_with(2));
    journal.sync();
  }
  const auto size = std::filesystem::file_size(dir.file("j"));
  SECTION("a partial record") {
    std::filesystem::resize_file(dir.file("j"), size - 5);
    auto journal = io::RunJournal::resume(dir.file("j"), "study", 2);
    CHECK(journal.size() == 1);
    CHECK(journal.contains(0));
    CHECK_FALSE(journal.contains(1));
    journal.append(1, result_with(2));  // appended where the torn record was
    const auto entries = entries_of(journal);
    REQUIRE(entries.size() == 2);
    CHECK(journal.read_result(entries[1]).trajectory[0].values[0] == 2);
  }
  SECTION("a flipped byte") {
    std::fstream file(dir.file("j"), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(size - 20));
    file.put('\x7f');
    file.close();
    CHECK(io::RunJournal::resume(dir.file("j"), "study", 2).size() == 1);
  }
}

TEST_CASE("the longest successful record names the period axis", "[journal]") {
  TempDir dir;
  auto journal = io::RunJournal::create(dir.file("j"), "study", 2);
  CHECK_FALSE(journal.longest_success());
  auto longer = result_with(1);
  longer.periods = {1, 2, 3};
  longer.trajectory.resize(6);
  journal.append(0, result_with(0));
  journal.append(1, longer);
  journal.append_failure(2, std::string(10000, 'x'));  // longer still, but a failure
  journal.append(3, result_with(0));
  REQUIRE(journal.longest_success());
  CHECK(journal.longest_success()->run == 1);
}

TEST_CASE("a journal refuses another study and foreign files", "[journal]") {
  TempDir dir;
  { io::RunJournal::create(dir.file("j"), "a = 1\nb = 2\n", 1); }
  CHECK_THROWS_WITH(io::RunJournal::resume(dir.file("j"), "a = 1\nb = 3\n", 1),
                    Contains("'b = 2' then, 'b = 3' now"));
  dir.write("x", "not a journal at all");
  CHECK_THROWS_WITH(io::RunJournal::resume(dir.file("x"), "a", 1),
                    Contains("is not an orgsim journal"));
}

TEST_CASE("a journal of another version is refused in one line: rerun without --resume",
          "[journal]") {
  TempDir dir;
  {
    auto journal = io::RunJournal::create(dir.file("j"), "a = 1\n", 2);
    journal.append(0, result_with(1.0));
  }
  std::string bytes;
  {
    std::ifstream in(dir.file("j"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  REQUIRE(bytes.rfind("ORGSIM-JOURNAL-4\n", 0) == 0);
  // The headers of versions 2 (no late-window summaries) and 3 (no peer_adoptions); and of a
  // newer one.
  for (const char version : {'1', '2', '3', '5'}) {
    INFO("version " << version);
    bytes[15] = version;
    std::ofstream(dir.file("j"), std::ios::binary) << bytes;
    try {
      io::RunJournal::resume(dir.file("j"), "a = 1\n", 2);
      FAIL("resumed");
    } catch (const IoError& error) {
      const std::string message = error.what();
      CHECK(message.find('\n') == std::string::npos);
      CHECK_THAT(message, Contains(version < '4' ? "was written by an older orgsim"
                                                 : "was written by a newer orgsim"));
      CHECK_THAT(message, Contains("rerun without --resume"));
    }
  }
}
