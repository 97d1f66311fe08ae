#pragma once
// The append-only record of finished runs that a long command keeps beside its result
// (FILE.h5.partial) while it works. Each record is one run's trajectory and summaries, or
// its failure, with a length and a checksum, written as the run finishes, so memory does
// not grow with the number of runs and a command killed at any moment (even by SIGKILL)
// loses at most the records it had not yet flushed: --resume reads the journal back,
// drops a torn last record, and continues. The header holds the study's fingerprint, so a
// journal is never resumed by a different scenario or design.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "orgsim/engine/Runner.h"

namespace orgsim::io {

/// A run's result as bytes (the journal's record payload, also what MPI ranks send).
std::vector<unsigned char> encode_result(const engine::RunResult& result);
/// And back; `firm_count` firms (firm_names are left empty). Throws IoError when short.
engine::RunResult decode_result(const std::vector<unsigned char>& bytes, std::size_t firm_count);

class RunJournal {
 public:
  struct Entry {
    std::uint64_t run = 0;
    bool failed = false;
    std::uint64_t offset = 0;  ///< where the payload starts
    std::uint32_t length = 0;  ///< payload bytes
  };

  /// A new, empty journal at `path` (replacing any file there).
  static RunJournal create(const std::string& path, const std::string& fingerprint,
                           std::size_t firm_count);

  /// An existing journal, to continue. Throws IoError when it is unreadable, or when its
  /// fingerprint differs from `fingerprint` (naming the first differing line). A torn last
  /// record (a write cut short) is dropped.
  static RunJournal resume(const std::string& path, const std::string& fingerprint,
                           std::size_t firm_count);

  RunJournal(RunJournal&& other) noexcept;
  RunJournal& operator=(RunJournal&&) = delete;
  RunJournal(const RunJournal&) = delete;
  ~RunJournal();

  void append(std::uint64_t run, const engine::RunResult& result);
  /// A result already encoded with encode_result().
  void append_encoded(std::uint64_t run, const std::vector<unsigned char>& payload);
  void append_failure(std::uint64_t run, const std::string& error);
  /// Flushes to the operating system and the disk.
  void sync();

  /// Records in the order they were written.
  const std::vector<Entry>& entries() const { return entries_; }

  /// A success record read back (firm_names left empty).
  engine::RunResult read_result(const Entry& entry) const;
  /// A failure record's message.
  std::string read_failure(const Entry& entry) const;

  const std::string& path() const { return path_; }

 private:
  RunJournal(std::string path, std::FILE* file, std::size_t firm_count);
  void write_record(std::uint8_t type, std::uint64_t run,
                    const std::vector<unsigned char>& payload);
  std::vector<unsigned char> read_payload(const Entry& entry) const;

  std::string path_;
  std::FILE* file_ = nullptr;
  std::size_t firm_count_ = 0;
  std::vector<Entry> entries_;
  std::uint64_t end_ = 0;        // offset after the last good record
  mutable bool at_end_ = false;  // the stream's position is end_ (reads move it)
};

}  // namespace orgsim::io
