#include "orgsim/io/RunJournal.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "orgsim/core/Error.h"

namespace orgsim::io {
namespace {

constexpr char kMagic[] = "ORGSIM-JOURNAL-1\n";
constexpr std::uint32_t kRecordMagic = 0x4A52474Fu;  // "OGRJ"
constexpr std::uint8_t kSuccess = 1;
constexpr std::uint8_t kFailure = 2;

std::uint64_t fnv1a(const unsigned char* data, std::size_t size, std::uint64_t hash) {
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 1099511628211ull;
  }
  return hash;
}

template <class T>
void put(std::vector<unsigned char>& out, const T& value) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}

template <class T>
T take(const std::vector<unsigned char>& in, std::size_t& at) {
  if (at + sizeof(T) > in.size()) throw IoError("journal record shorter than its contents");
  T value;
  std::memcpy(&value, in.data() + at, sizeof(T));
  at += sizeof(T);
  return value;
}

[[noreturn]] void fail_io(const std::string& path, const std::string& what) {
  throw IoError("journal '" + path + "': " + what + " (" + std::strerror(errno) + ")");
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

std::vector<unsigned char> encode_result(const engine::RunResult& result) {
  // One allocation, and the observations copied as the arrays of doubles they are.
  constexpr std::size_t kObservationBytes = sizeof(double) * model::kQuantityCount;
  std::vector<unsigned char> payload;
  payload.reserve(sizeof(std::uint32_t) + result.periods.size() * sizeof(std::int32_t) +
                  result.trajectory.size() * kObservationBytes +
                  result.summaries.size() * (kObservationBytes + 4 * sizeof(double)) +
                  sizeof(double));
  put(payload, static_cast<std::uint32_t>(result.periods.size()));
  for (int period : result.periods) put(payload, static_cast<std::int32_t>(period));
  const std::size_t at = payload.size();
  payload.resize(at + result.trajectory.size() * kObservationBytes);
  for (std::size_t k = 0; k < result.trajectory.size(); ++k) {
    std::memcpy(payload.data() + at + k * kObservationBytes, result.trajectory[k].values.data(),
                kObservationBytes);
  }
  for (const auto& summary : result.summaries) {
    for (double value : summary.final.values) put(payload, value);
    put(payload, summary.share_periods_lead);
    put(payload, summary.share_periods_innovation_lead);
    put(payload, summary.first_period_lead);
    put(payload, summary.periods_run);
  }
  put(payload, result.agent_steps);
  return payload;
}

engine::RunResult decode_result(const std::vector<unsigned char>& payload, std::size_t firm_count) {
  std::size_t at = 0;
  engine::RunResult result;
  const auto periods = take<std::uint32_t>(payload, at);
  for (std::uint32_t k = 0; k < periods; ++k)
    result.periods.push_back(take<std::int32_t>(payload, at));
  result.trajectory.resize(static_cast<std::size_t>(periods) * firm_count);
  for (auto& observation : result.trajectory) {
    for (double& value : observation.values) value = take<double>(payload, at);
  }
  result.summaries.resize(firm_count);
  for (auto& summary : result.summaries) {
    for (double& value : summary.final.values) value = take<double>(payload, at);
    summary.share_periods_lead = take<double>(payload, at);
    summary.share_periods_innovation_lead = take<double>(payload, at);
    summary.first_period_lead = take<double>(payload, at);
    summary.periods_run = take<double>(payload, at);
  }
  result.agent_steps = take<double>(payload, at);
  return result;
}

RunJournal::RunJournal(std::string path, std::FILE* file, std::size_t firm_count)
    : path_(std::move(path)), file_(file), firm_count_(firm_count) {}

RunJournal::RunJournal(RunJournal&& other) noexcept
    : path_(std::move(other.path_)),
      file_(other.file_),
      firm_count_(other.firm_count_),
      entries_(std::move(other.entries_)),
      end_(other.end_) {
  other.file_ = nullptr;
}

RunJournal::~RunJournal() {
  if (file_ != nullptr) std::fclose(file_);
}

RunJournal RunJournal::create(const std::string& path, const std::string& fingerprint,
                              std::size_t firm_count) {
  std::FILE* file = std::fopen(path.c_str(), "w+b");
  if (file == nullptr) fail_io(path, "cannot create it");
  RunJournal journal(path, file, firm_count);
  const std::uint64_t length = fingerprint.size();
  if (std::fwrite(kMagic, 1, sizeof kMagic - 1, file) != sizeof kMagic - 1 ||
      std::fwrite(&length, sizeof length, 1, file) != 1 ||
      std::fwrite(fingerprint.data(), 1, fingerprint.size(), file) != fingerprint.size()) {
    fail_io(path, "cannot write its header");
  }
  journal.end_ = sizeof kMagic - 1 + sizeof length + fingerprint.size();
  journal.at_end_ = true;
  journal.sync();
  return journal;
}

RunJournal RunJournal::resume(const std::string& path, const std::string& fingerprint,
                              std::size_t firm_count) {
  std::FILE* file = std::fopen(path.c_str(), "r+b");
  if (file == nullptr) fail_io(path, "cannot open it to resume");
  RunJournal journal(path, file, firm_count);
  char magic[sizeof kMagic - 1];
  std::uint64_t length = 0;
  if (std::fread(magic, 1, sizeof magic, file) != sizeof magic ||
      std::memcmp(magic, kMagic, sizeof magic) != 0 ||
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
  journal.end_ = sizeof kMagic - 1 + sizeof length + length;
  // Read records until the end or the first one that is torn or corrupt.
  for (;;) {
    std::uint32_t record_magic = 0;
    std::uint8_t type = 0;
    std::uint64_t run = 0;
    std::uint32_t size = 0;
    if (std::fread(&record_magic, sizeof record_magic, 1, file) != 1 ||
        record_magic != kRecordMagic || std::fread(&type, 1, 1, file) != 1 ||
        std::fread(&run, sizeof run, 1, file) != 1 ||
        std::fread(&size, sizeof size, 1, file) != 1 || (type != kSuccess && type != kFailure)) {
      break;
    }
    std::vector<unsigned char> payload(size);
    std::uint64_t checksum = 0;
    if (std::fread(payload.data(), 1, size, file) != size ||
        std::fread(&checksum, sizeof checksum, 1, file) != 1) {
      break;
    }
    std::uint64_t expected = fnv1a(&type, 1, 14695981039346656037ull);
    expected = fnv1a(reinterpret_cast<const unsigned char*>(&run), sizeof run, expected);
    expected = fnv1a(payload.data(), payload.size(), expected);
    if (checksum != expected) break;
    const std::uint64_t header = sizeof record_magic + 1 + sizeof run + sizeof size;
    journal.entries_.push_back(Entry{run, type == kFailure, journal.end_ + header, size});
    journal.end_ += header + size + sizeof checksum;
  }
  // Drop whatever follows the last good record, and append from there.
  if (std::fflush(file) != 0 || ftruncate(fileno(file), static_cast<off_t>(journal.end_)) != 0 ||
      std::fseek(file, static_cast<long>(journal.end_), SEEK_SET) != 0) {
    fail_io(path, "cannot cut its torn tail");
  }
  return journal;
}

void RunJournal::write_record(std::uint8_t type, std::uint64_t run,
                              const std::vector<unsigned char>& payload) {
  std::vector<unsigned char> record;
  record.reserve(payload.size() + 32);
  put(record, kRecordMagic);
  put(record, type);
  put(record, run);
  put(record, static_cast<std::uint32_t>(payload.size()));
  const std::size_t header = record.size();
  record.insert(record.end(), payload.begin(), payload.end());
  std::uint64_t checksum = fnv1a(&type, 1, 14695981039346656037ull);
  checksum = fnv1a(reinterpret_cast<const unsigned char*>(&run), sizeof run, checksum);
  checksum = fnv1a(payload.data(), payload.size(), checksum);
  put(record, checksum);
  // Seeking flushes stdio's buffer: only after a read has moved away from the end.
  if ((!at_end_ && std::fseek(file_, static_cast<long>(end_), SEEK_SET) != 0) ||
      std::fwrite(record.data(), 1, record.size(), file_) != record.size()) {
    fail_io(path_, "cannot append a run (disk full?)");
  }
  entries_.push_back(
      Entry{run, type == kFailure, end_ + header, static_cast<std::uint32_t>(payload.size())});
  end_ += record.size();
  at_end_ = true;
}

void RunJournal::append(std::uint64_t run, const engine::RunResult& result) {
  write_record(kSuccess, run, encode_result(result));
}

void RunJournal::append_encoded(std::uint64_t run, const std::vector<unsigned char>& payload) {
  write_record(kSuccess, run, payload);
}

void RunJournal::append_failure(std::uint64_t run, const std::string& error) {
  write_record(kFailure, run, std::vector<unsigned char>(error.begin(), error.end()));
}

void RunJournal::sync() {
  if (std::fflush(file_) != 0 || fsync(fileno(file_)) != 0) fail_io(path_, "cannot flush it");
}

std::vector<unsigned char> RunJournal::read_payload(const Entry& entry) const {
  std::vector<unsigned char> payload(entry.length);
  at_end_ = false;
  if (std::fflush(file_) != 0 ||
      std::fseek(file_, static_cast<long>(entry.offset), SEEK_SET) != 0 ||
      std::fread(payload.data(), 1, entry.length, file_) != entry.length) {
    fail_io(path_, "cannot read a run back");
  }
  return payload;
}

engine::RunResult RunJournal::read_result(const Entry& entry) const {
  return decode_result(read_payload(entry), firm_count_);
}

std::string RunJournal::read_failure(const Entry& entry) const {
  const auto payload = read_payload(entry);
  return std::string(payload.begin(), payload.end());
}

}  // namespace orgsim::io
