#pragma once
// Where each run's record lies in a journal, by run number: what reading a journal back in
// run order needs. The journal is written in the order runs finish, so the map is built
// by one pass over it and kept in an unlinked scratch file beside it, 16 bytes per run,
// with one page of it in memory: its memory does not grow with the number of runs, and
// lookups in run order touch each page once.

#include <cstddef>
#include <optional>
#include <vector>

#include "orgsim/io/RunJournal.h"

namespace orgsim::io {

class RunIndex {
 public:
  /// Indexes the records of `journal` for runs [0, run_count); later records of a run
  /// replace earlier ones. Throws IoError when the scratch file cannot be made.
  RunIndex(const RunJournal& journal, std::size_t run_count);
  ~RunIndex();
  RunIndex(const RunIndex&) = delete;
  RunIndex& operator=(const RunIndex&) = delete;

  /// The record of run `run`, if it has one.
  std::optional<RunJournal::Entry> find(std::size_t run);

 private:
  struct Slot {
    std::uint64_t offset = 0;  // of the payload; 0: no record (a payload never starts at 0)
    std::uint32_t length = 0;
    std::uint32_t failed = 0;
  };
  static constexpr std::size_t kPageSlots = 4096;

  Slot& slot(std::size_t run);
  void load(std::size_t page);

  int descriptor_ = -1;
  std::string path_;
  std::vector<Slot> page_;
  std::size_t page_number_ = static_cast<std::size_t>(-1);
  bool dirty_ = false;
};

}  // namespace orgsim::io
