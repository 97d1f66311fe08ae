#pragma once
// A firm's board: it watches the market-share ranking at the end of every leader cycle and
// replaces the leader after board.patience consecutive cycles in last place (MODEL.md
// step 10). Managers work for the leader; the leader answers to the board.

namespace orgsim::model {

class Board {
 public:
  /// `patience` = 0 means the board never acts.
  explicit Board(int patience) : patience_(patience) {}

  /// One cycle's review. Returns true when the leader must go.
  bool review(bool ranked_last) {
    if (patience_ == 0) return false;
    cycles_last_ = ranked_last ? cycles_last_ + 1 : 0;
    if (cycles_last_ < patience_) return false;
    cycles_last_ = 0;
    ++replacements_;
    return true;
  }

  /// Leaders replaced so far.
  int replacements() const { return replacements_; }

 private:
  int patience_;
  int cycles_last_ = 0;
  int replacements_ = 0;
};

}  // namespace orgsim::model
