#include "orgsim/model/EmployeeTable.h"

#include <catch2/catch.hpp>
#include <cstdint>

using namespace orgsim::model;

namespace {

// Fills row `row` of every column with values derived from `tag`, so that a row can be
// recognised wherever it ends up.
void fill(EmployeeTable& table, int row, int tag) {
  const int words = table.words();
  for (int w = 0; w < words; ++w) {
    const auto at = static_cast<std::size_t>(row * words + w);
    table.known()[at] = Word(100 * tag + w);
    table.positive()[at] = Word(200 * tag + w);
    table.action_positive()[at] = Word(300 * tag + w);
  }
  const auto i = static_cast<std::size_t>(row);
  table.autonomy()[i] = tag / 100.0;
  table.role()[i] = tag % 2 == 0 ? Role::producer : Role::explorer;
  table.socialisation_probability()[i] = tag / 10.0;
  table.socialisation_acceptance()[i] = std::uint64_t(tag) << 40;
  table.experiment_probability()[i] = tag / 1000.0;
  table.performance()[i] = -tag;
  table.output()[i] = tag * 0.5;
}

// True when every column of row `row` holds what fill(table, _, tag) put there.
bool holds(const EmployeeTable& table, int row, int tag) {
  const int words = table.words();
  bool same = true;
  for (int w = 0; w < words; ++w) {
    const auto at = static_cast<std::size_t>(row * words + w);
    same = same && table.known()[at] == Word(100 * tag + w);
    same = same && table.positive()[at] == Word(200 * tag + w);
    same = same && table.action_positive()[at] == Word(300 * tag + w);
  }
  const BeliefView view = table.beliefs(row);
  same = same && view.known == table.known().data() + row * words;
  same = same && view.positive == table.positive().data() + row * words;
  const auto i = static_cast<std::size_t>(row);
  return same && table.autonomy()[i] == tag / 100.0 &&
         table.role()[i] == (tag % 2 == 0 ? Role::producer : Role::explorer) &&
         table.socialisation_probability()[i] == tag / 10.0 &&
         table.socialisation_acceptance()[i] == std::uint64_t(tag) << 40 &&
         table.experiment_probability()[i] == tag / 1000.0 && table.performance()[i] == -tag &&
         table.output()[i] == tag * 0.5;
}

// True when every column of row `row` is zero (beliefs 0, a producer), as a new row is.
bool is_zero(const EmployeeTable& table, int row) {
  const int words = table.words();
  bool zero = true;
  for (int w = 0; w < words; ++w) {
    const auto at = static_cast<std::size_t>(row * words + w);
    zero = zero && table.known()[at] == 0 && table.positive()[at] == 0 &&
           table.action_positive()[at] == 0;
  }
  const auto i = static_cast<std::size_t>(row);
  return zero && table.autonomy()[i] == 0.0 && table.role()[i] == Role::producer &&
         table.socialisation_probability()[i] == 0.0 && table.socialisation_acceptance()[i] == 0 &&
         table.experiment_probability()[i] == 0.0 && table.performance()[i] == 0 &&
         table.output()[i] == 0.0;
}

// Every column's length, in elements: rows, or rows * words for the bit-planes.
void check_lengths(EmployeeTable& table) {
  const auto rows = static_cast<std::size_t>(table.size());
  const auto plane = rows * static_cast<std::size_t>(table.words());
  CHECK(table.known().size() == plane);
  CHECK(table.positive().size() == plane);
  CHECK(table.action_positive().size() == plane);
  CHECK(table.autonomy().size() == rows);
  CHECK(table.role().size() == rows);
  CHECK(table.socialisation_probability().size() == rows);
  CHECK(table.socialisation_acceptance().size() == rows);
  CHECK(table.experiment_probability().size() == rows);
  CHECK(table.performance().size() == rows);
  CHECK(table.output().size() == rows);
}

}  // namespace

TEST_CASE("a new table's rows are all zero: beliefs 0, producers", "[employees]") {
  const int words = GENERATE(1, 3);
  EmployeeTable table(words, 4);
  CHECK(table.size() == 4);
  CHECK(table.words() == words);
  check_lengths(table);
  for (int row = 0; row < 4; ++row) CHECK(is_zero(table, row));
}

TEST_CASE("append adds a zero row at the end of every column and keeps the others", "[employees]") {
  const int words = GENERATE(1, 3);
  EmployeeTable table(words, 2);
  fill(table, 0, 1);
  fill(table, 1, 2);
  CHECK(table.append() == 2);
  CHECK(table.size() == 3);
  check_lengths(table);
  CHECK(holds(table, 0, 1));
  CHECK(holds(table, 1, 2));
  CHECK(is_zero(table, 2));
}

TEST_CASE("move_row copies every column of one row over another", "[employees]") {
  const int words = GENERATE(1, 3);
  EmployeeTable table(words, 4);
  for (int row = 0; row < 4; ++row) fill(table, row, row + 1);
  table.move_row(3, 1);
  CHECK(holds(table, 0, 1));
  CHECK(holds(table, 1, 4));
  CHECK(holds(table, 2, 3));
  CHECK(holds(table, 3, 4));
  table.move_row(2, 2);  // onto itself: nothing changes
  CHECK(holds(table, 2, 3));
}

TEST_CASE("pop_back removes the last row from every column", "[employees]") {
  const int words = GENERATE(1, 3);
  EmployeeTable table(words, 3);
  for (int row = 0; row < 3; ++row) fill(table, row, row + 1);
  // Laying off the employee in place 0: the last moves in, then the last place goes.
  table.move_row(2, 0);
  table.pop_back();
  CHECK(table.size() == 2);
  check_lengths(table);
  CHECK(holds(table, 0, 3));
  CHECK(holds(table, 1, 2));
  // A row appended after a removal starts at zero again, not with what was there.
  CHECK(table.append() == 2);
  CHECK(is_zero(table, 2));
}
