#include "orgsim/io/RunIndex.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "../TempDir.h"

using namespace orgsim;
using orgsim::testing::TempDir;

namespace {

engine::RunResult result_with(double value) {
  engine::RunResult result;
  result.periods = {1};
  result.trajectory.resize(1);
  result.trajectory[0].values.fill(value);
  result.summaries.resize(1);
  return result;
}

}  // namespace

TEST_CASE("the index finds each run's record whatever the order they were written in",
          "[runindex]") {
  TempDir dir;
  auto journal = io::RunJournal::create(dir.file("j"), "study", 1);
  // Runs spread over several of the index's pages, written out of order, with gaps.
  const std::vector<std::size_t> written = {9000, 3, 4097, 0, 8191, 12};
  for (std::size_t run : written) journal.append(run, result_with(static_cast<double>(run)));
  journal.append_failure(5, "it broke");
  io::RunIndex index(journal, 10000);
  for (std::size_t run : written) {
    const auto entry = index.find(run);
    REQUIRE(entry);
    CHECK(entry->run == run);
    CHECK_FALSE(entry->failed);
    CHECK(journal.read_result(*entry).trajectory[0].values[0] == static_cast<double>(run));
  }
  const auto failure = index.find(5);
  REQUIRE(failure);
  CHECK(failure->failed);
  CHECK(journal.read_failure(*failure) == "it broke");
  CHECK_FALSE(index.find(1));
  CHECK_FALSE(index.find(4096));
  CHECK_FALSE(index.find(9999));
  // Looked up again after other pages: still there.
  CHECK(index.find(9000));
  CHECK(index.find(3));
}

TEST_CASE("the index leaves no file behind", "[runindex]") {
  TempDir dir;
  auto journal = io::RunJournal::create(dir.file("j"), "study", 1);
  journal.append(0, result_with(1));
  {
    io::RunIndex index(journal, 1);
    CHECK(index.find(0));
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("j") + ".index"));
}
