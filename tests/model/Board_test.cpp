#include "orgsim/model/Board.h"

#include <catch2/catch.hpp>

using namespace orgsim::model;

TEST_CASE("the board replaces a leader exactly after P consecutive cycles last", "[board]") {
  const int patience = GENERATE(1, 2, 3);
  Board board(patience);
  for (int cycle = 1; cycle < patience; ++cycle) CHECK_FALSE(board.review(true));
  CHECK(board.review(true));
  CHECK(board.replacements() == 1);
  // The count starts again with the new leader.
  for (int cycle = 1; cycle < patience; ++cycle) CHECK_FALSE(board.review(true));
  CHECK(board.review(true));
  CHECK(board.replacements() == 2);
}

TEST_CASE("a cycle out of last place resets the board's count", "[board]") {
  Board board(3);
  CHECK_FALSE(board.review(true));
  CHECK_FALSE(board.review(true));
  CHECK_FALSE(board.review(false));
  CHECK_FALSE(board.review(true));
  CHECK_FALSE(board.review(true));
  CHECK(board.review(true));
}

TEST_CASE("a board with patience 0 never acts", "[board]") {
  Board board(0);
  for (int cycle = 0; cycle < 100; ++cycle) CHECK_FALSE(board.review(true));
  CHECK(board.replacements() == 0);
}
