#pragma once
// The append-only record of finished runs that a long command keeps beside its result
// (FILE.h5.partial) while it works. Each record is one run's trajectory and summaries (a
// RunRecord), or its failure, with a length and a checksum, written as the run finishes, so memory
// does not grow with the number of runs and a command killed at any moment (even by SIGKILL) loses
// at most the records it had not yet flushed: --resume reads the journal back, drops a torn last
// record, and continues. The header holds the study's fingerprint, so a journal is never resumed by
// a different scenario or design.
//
// In memory the journal keeps one bit per run (recorded or not) and a few counts, not an
// index of its records: where each record lies is read back from the file when needed
// (for_each_entry), so a sweep of a million runs costs 125 KB here.

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "orgsim/engine/Runner.h"

namespace orgsim::io {

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
  /// A result already encoded with RunRecord::encode().
  void append_encoded(std::uint64_t run, const std::vector<unsigned char>& payload);
  void append_failure(std::uint64_t run, const std::string& error);
  /// Flushes to the operating system and the disk.
  void sync();

  /// Records written (successes and failures).
  std::size_t size() const { return records_; }
  std::size_t failures() const { return failures_; }
  /// Whether run `run` has a record.
  bool contains(std::uint64_t run) const;
  /// The successful record with the longest payload (the most recorded periods), if any.
  std::optional<Entry> longest_success() const { return longest_; }

  /// Every record's entry in the order written, read back from the file's record headers.
  void for_each_entry(const std::function<void(const Entry&)>& visit) const;

  /// A record's payload read back into `payload` (replacing its contents).
  void read_payload(const Entry& entry, std::vector<unsigned char>& payload) const;
  /// A success record read back (firm_names left empty).
  engine::RunResult read_result(const Entry& entry) const;
  /// A failure record's message.
  std::string read_failure(const Entry& entry) const;

  const std::string& path() const { return path_; }

 private:
  RunJournal(std::string path, std::FILE* file, std::size_t firm_count);
  void write_record(std::uint8_t type, std::uint64_t run, const unsigned char* payload,
                    std::size_t size);
  void start_record(std::uint8_t type, std::uint64_t run);   // record_ = its header
  void finish_record(std::uint8_t type, std::uint64_t run);  // size, checksum, write
  void note(const Entry& entry);
  void use_large_buffer();
  void flush_for_reading() const;

  std::string path_;
  std::FILE* file_ = nullptr;
  std::size_t firm_count_ = 0;
  std::vector<std::uint64_t> recorded_bits_;  // bit r of word r / 64: run r has a record
  std::size_t records_ = 0;
  std::size_t failures_ = 0;
  std::optional<Entry> longest_;
  std::uint64_t start_ = 0;               // offset of the first record
  std::uint64_t end_ = 0;                 // offset after the last good record
  std::vector<unsigned char> record_;     // reused for each record written
  std::unique_ptr<char[]> stdio_buffer_;  // the file's; freed after it is closed
  mutable bool unflushed_ = false;        // stdio holds bytes not yet written
};

}  // namespace orgsim::io
