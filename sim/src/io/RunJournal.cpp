#include "orgsim/io/RunJournal.h"

#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sstream>

#include "orgsim/core/Error.h"
#include "orgsim/io/DurableFile.h"
#include "orgsim/io/RunRecord.h"

namespace orgsim::io {
namespace {

// Version 2 replaced version 1's byte-at-a-time checksum with a word-at-a-time one: the
// checksum of every run's trajectory was a tenth of a March sweep's time. Version 3's
// records (RunRecord) hold the late-window summaries besides the whole-run ones. Version
// 4's hold one more quantity (peer_adoptions) in each observation and in the summaries.
constexpr char kMagic[] = "ORGSIM-JOURNAL-4\n";
// Every version's magic is this and its number.
constexpr char kMagicPrefix[] = "ORGSIM-JOURNAL-";
constexpr std::uint32_t kRecordMagic = 0x4A52474Fu;  // "OGRJ"
constexpr std::uint8_t kSuccess = 1;
constexpr std::uint8_t kFailure = 2;
// magic, type, run, payload size
constexpr std::size_t kRecordHeader =
    sizeof(std::uint32_t) + 1 + sizeof(std::uint64_t) + sizeof(std::uint32_t);
constexpr std::size_t kStdioBuffer = 1 << 20;

// A record's checksum over its type, run and payload, eight bytes at a time. Every step
// is a bijection of the running hash, so any change confined to one word is always caught.
std::uint64_t checksum(std::uint8_t type, std::uint64_t run, const unsigned char* data,
                       std::size_t size) {
  std::uint64_t hash = 0x9E3779B97F4A7C15ull ^ (type * 0xFF51AFD7ED558CCDull) ^ size;
  auto mix = [&hash](std::uint64_t word) {
    hash ^= word * 0x87C37B91114253D5ull;
    hash = std::rotl(hash, 31) * 0x4CF5AD432745937Full;
  };
  mix(run);
  std::size_t at = 0;
  for (; at + sizeof(std::uint64_t) <= size; at += sizeof(std::uint64_t)) {
    std::uint64_t word;
    std::memcpy(&word, data + at, sizeof word);
    mix(word);
  }
  std::uint64_t tail = 0;
  if (at < size) std::memcpy(&tail, data + at, size - at);
  mix(tail);
  hash ^= hash >> 33;
  hash *= 0xFF51AFD7ED558CCDull;
  return hash ^ (hash >> 33);
}

template <class T>
void put(std::vector<unsigned char>& out, const T& value) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}

[[noreturn]] void fail_io(const std::string& path, const std::string& what) {
  throw IoError("journal '" + path + "': " + what + " (" + std::strerror(errno) + ")");
}

// Reads exactly `size` bytes at `offset`; false at the end of the file.
bool read_at(int descriptor, void* data, std::size_t size, std::uint64_t offset) {
  auto* bytes = static_cast<unsigned char*>(data);
  while (size > 0) {
    const ssize_t got = pread(descriptor, bytes, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    bytes += got;
    size -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

struct RecordHeader {
  std::uint32_t magic = 0;
  std::uint8_t type = 0;
  std::uint64_t run = 0;
  std::uint32_t size = 0;
};

// The header at `offset`, if one is there.
std::optional<RecordHeader> read_header(int descriptor, std::uint64_t offset) {
  unsigned char bytes[kRecordHeader];
  if (!read_at(descriptor, bytes, sizeof bytes, offset)) return std::nullopt;
  RecordHeader header;
  std::memcpy(&header.magic, bytes, 4);
  header.type = bytes[4];
  std::memcpy(&header.run, bytes + 5, 8);
  std::memcpy(&header.size, bytes + 13, 4);
  if (header.magic != kRecordMagic || (header.type != kSuccess && header.type != kFailure)) {
    return std::nullopt;
  }
  return header;
}

// The first line where two texts differ, for a resume refused on a changed study.
std::string first_difference(const std::string& stored, const std::string& current) {
  std::istringstream a(stored), b(current);
  std::string line_a, line_b;
  for (;;) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return "";
    if (!more_a) line_a = "(nothing)";
    if (!more_b) line_b = "(nothing)";
    if (line_a != line_b) return "'" + line_a + "' then, '" + line_b + "' now";
  }
}

}  // namespace

RunJournal::RunJournal(std::string path, std::FILE* file, std::size_t firm_count)
    : path_(std::move(path)), file_(file), firm_count_(firm_count) {}

RunJournal::RunJournal(RunJournal&& other) noexcept
    : path_(std::move(other.path_)),
      file_(other.file_),
      firm_count_(other.firm_count_),
      recorded_bits_(std::move(other.recorded_bits_)),
      records_(other.records_),
      failures_(other.failures_),
      longest_(other.longest_),
      start_(other.start_),
      end_(other.end_),
      stdio_buffer_(std::move(other.stdio_buffer_)),
      unflushed_(other.unflushed_) {
  other.file_ = nullptr;
}

RunJournal::~RunJournal() {
  if (file_ != nullptr) std::fclose(file_);
}

RunJournal RunJournal::create(const std::string& path, const std::string& fingerprint,
                              std::size_t firm_count) {
  // Written under a temporary name and renamed once its header is on the disk: a journal
  // under its own name always has a whole header, wherever a kill or a crash strikes.
  std::optional<RunJournal> journal;
  const std::uint64_t length = fingerprint.size();
  write_then_publish(path, [&](const std::string& temporary) {
    std::FILE* file = std::fopen(temporary.c_str(), "w+b");
    if (file == nullptr) fail_io(path, "cannot create it");
    journal.emplace(RunJournal(path, file, firm_count));  // owns the file, renamed under it
    journal->use_large_buffer();
    if (std::fwrite(kMagic, 1, sizeof kMagic - 1, file) != sizeof kMagic - 1 ||
        std::fwrite(&length, sizeof length, 1, file) != 1 ||
        std::fwrite(fingerprint.data(), 1, fingerprint.size(), file) != fingerprint.size() ||
        std::fflush(file) != 0) {
      fail_io(path, "cannot write its header");
    }
  });
  journal->start_ = journal->end_ = sizeof kMagic - 1 + sizeof length + fingerprint.size();
  return std::move(*journal);
}

RunJournal RunJournal::resume(const std::string& path, const std::string& fingerprint,
                              std::size_t firm_count) {
  std::FILE* file = std::fopen(path.c_str(), "r+b");
  if (file == nullptr) fail_io(path, "cannot open it to resume");
  RunJournal journal(path, file, firm_count);
  char magic[sizeof kMagic - 1];
  std::uint64_t length = 0;
  const bool has_magic = std::fread(magic, 1, sizeof magic, file) == sizeof magic;
  if (has_magic && std::memcmp(magic, kMagic, sizeof magic) != 0 &&
      std::memcmp(magic, kMagicPrefix, sizeof kMagicPrefix - 1) == 0) {
    // Another version's journal: its records are laid out differently.
    const char version = magic[sizeof kMagicPrefix - 1];
    const char current = kMagic[sizeof kMagicPrefix - 1];
    throw IoError("'" + path + "' was written by " + (version < current ? "an older" : "a newer") +
                  " orgsim, whose journals this one cannot continue; rerun without --resume "
                  "(with --force) to start over");
  }
  if (!has_magic || std::memcmp(magic, kMagic, sizeof magic) != 0 ||
      std::fread(&length, sizeof length, 1, file) != 1 || length > (1u << 30)) {
    throw IoError("'" + path +
                  "' is not an orgsim journal; remove it or pass --force to start over");
  }
  std::string stored(length, '\0');
  if (std::fread(stored.data(), 1, length, file) != length) {
    throw IoError("'" + path + "' is cut short in its header; pass --force to start over");
  }
  if (stored != fingerprint) {
    throw IoError("cannot resume '" + path + "': it was made by a different scenario or design (" +
                  first_difference(stored, fingerprint) +
                  "); rerun with the original settings, or pass --force to start over");
  }
  journal.start_ = journal.end_ = sizeof kMagic - 1 + sizeof length + length;
  // Read records until the end or the first one that is torn or corrupt.
  const int descriptor = fileno(file);
  std::vector<unsigned char> payload;
  for (;;) {
    const auto header = read_header(descriptor, journal.end_);
    if (!header) break;
    payload.resize(header->size);
    std::uint64_t stored_checksum = 0;
    if (!read_at(descriptor, payload.data(), payload.size(), journal.end_ + kRecordHeader) ||
        !read_at(descriptor, &stored_checksum, sizeof stored_checksum,
                 journal.end_ + kRecordHeader + header->size) ||
        stored_checksum != checksum(header->type, header->run, payload.data(), payload.size())) {
      break;
    }
    journal.note(
        Entry{header->run, header->type == kFailure, journal.end_ + kRecordHeader, header->size});
    journal.end_ += kRecordHeader + header->size + sizeof stored_checksum;
  }
  // Drop whatever follows the last good record, and append from there.
  if (ftruncate(descriptor, static_cast<off_t>(journal.end_)) != 0 ||
      std::fseek(file, static_cast<long>(journal.end_), SEEK_SET) != 0) {
    fail_io(path, "cannot cut its torn tail");
  }
  journal.use_large_buffer();
  return journal;
}

void RunJournal::use_large_buffer() {
  // glibc ignores the size unless given the buffer: without one, every record (12 KB for
  // a March run) bypassed its 4 KB buffer in two write calls.
  stdio_buffer_ = std::make_unique<char[]>(kStdioBuffer);
  std::setvbuf(file_, stdio_buffer_.get(), _IOFBF, kStdioBuffer);
}

void RunJournal::note(const Entry& entry) {
  const std::size_t word = entry.run / 64;
  if (word >= recorded_bits_.size()) recorded_bits_.resize(word + 1, 0);
  recorded_bits_[word] |= std::uint64_t{1} << (entry.run % 64);
  ++records_;
  if (entry.failed) {
    ++failures_;
  } else if (!longest_ || entry.length > longest_->length) {
    longest_ = entry;
  }
}

bool RunJournal::contains(std::uint64_t run) const {
  const std::size_t word = run / 64;
  return word < recorded_bits_.size() && ((recorded_bits_[word] >> (run % 64)) & 1) != 0;
}

void RunJournal::write_record(std::uint8_t type, std::uint64_t run, const unsigned char* payload,
                              std::size_t size) {
  start_record(type, run);
  // resize and memcpy rather than insert: GCC 12 warns falsely on inserting raw bytes.
  record_.resize(kRecordHeader + size);
  if (size > 0) std::memcpy(record_.data() + kRecordHeader, payload, size);
  finish_record(type, run);
}

void RunJournal::start_record(std::uint8_t type, std::uint64_t run) {
  record_.clear();
  put(record_, kRecordMagic);
  put(record_, type);
  put(record_, run);
  put(record_, std::uint32_t{0});  // the payload's size, once it is known
}

void RunJournal::finish_record(std::uint8_t type, std::uint64_t run) {
  const std::size_t size = record_.size() - kRecordHeader;
  const auto length = static_cast<std::uint32_t>(size);
  std::memcpy(record_.data() + kRecordHeader - sizeof length, &length, sizeof length);
  put(record_, checksum(type, run, record_.data() + kRecordHeader, size));
  if (std::fwrite(record_.data(), 1, record_.size(), file_) != record_.size()) {
    throw IoError("journal '" + path_ + "': cannot append a run (" + std::strerror(errno) +
                  "); the runs before it are kept: make room and rerun the same command with "
                  "--resume");
  }
  unflushed_ = true;
  note(Entry{run, type == kFailure, end_ + kRecordHeader, length});
  end_ += record_.size();
}

void RunJournal::append(std::uint64_t run, const engine::RunResult& result) {
  // Encoded straight into the record: one copy of the trajectory, not two.
  start_record(kSuccess, run);
  RunRecord::append(result, record_);
  finish_record(kSuccess, run);
}

void RunJournal::append_encoded(std::uint64_t run, const std::vector<unsigned char>& payload) {
  write_record(kSuccess, run, payload.data(), payload.size());
}

void RunJournal::append_failure(std::uint64_t run, const std::string& error) {
  write_record(kFailure, run, reinterpret_cast<const unsigned char*>(error.data()), error.size());
}

void RunJournal::sync() {
  if (std::fflush(file_) != 0 || fsync(fileno(file_)) != 0) fail_io(path_, "cannot flush it");
  unflushed_ = false;
}

void RunJournal::flush_for_reading() const {
  if (unflushed_ && std::fflush(file_) != 0) fail_io(path_, "cannot flush it");
  unflushed_ = false;
}

void RunJournal::for_each_entry(const std::function<void(const Entry&)>& visit) const {
  flush_for_reading();
  for (std::uint64_t at = start_; at < end_;) {
    const auto header = read_header(fileno(file_), at);
    if (!header) fail_io(path_, "cannot read a record back");
    visit(Entry{header->run, header->type == kFailure, at + kRecordHeader, header->size});
    at += kRecordHeader + header->size + sizeof(std::uint64_t);
  }
}

void RunJournal::read_payload(const Entry& entry, std::vector<unsigned char>& payload) const {
  flush_for_reading();
  payload.resize(entry.length);
  if (!read_at(fileno(file_), payload.data(), payload.size(), entry.offset)) {
    fail_io(path_, "cannot read a run back");
  }
}

engine::RunResult RunJournal::read_result(const Entry& entry) const {
  std::vector<unsigned char> payload;
  read_payload(entry, payload);
  return RunRecord::decode(payload, firm_count_);
}

std::string RunJournal::read_failure(const Entry& entry) const {
  std::vector<unsigned char> payload;
  read_payload(entry, payload);
  return std::string(payload.begin(), payload.end());
}

}  // namespace orgsim::io
