#include "orgsim/io/RunIndex.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "orgsim/core/Error.h"

namespace orgsim::io {
namespace {

[[noreturn]] void fail_io(const std::string& path, const std::string& what) {
  throw IoError("run index '" + path + "': " + what + " (" + std::strerror(errno) + ")");
}

}  // namespace

RunIndex::RunIndex(const RunJournal& journal, std::size_t run_count)
    : path_(journal.path() + ".index"), page_(kPageSlots) {
  descriptor_ = open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (descriptor_ < 0) fail_io(path_, "cannot create it");
  // Unlinked at once: nothing is left behind, whatever happens next.
  unlink(path_.c_str());
  journal.for_each_entry([&](const RunJournal::Entry& entry) {
    if (entry.run >= run_count) return;
    slot(entry.run) = Slot{entry.offset, entry.length, entry.failed ? 1u : 0u};
    dirty_ = true;
  });
}

RunIndex::~RunIndex() {
  if (descriptor_ >= 0) close(descriptor_);
}

std::optional<RunJournal::Entry> RunIndex::find(std::size_t run) {
  const Slot& found = slot(run);
  if (found.offset == 0) return std::nullopt;
  return RunJournal::Entry{run, found.failed != 0, found.offset, found.length};
}

RunIndex::Slot& RunIndex::slot(std::size_t run) {
  const std::size_t page = run / kPageSlots;
  if (page != page_number_) load(page);
  return page_[run % kPageSlots];
}

void RunIndex::load(std::size_t page) {
  constexpr std::size_t kPageBytes = kPageSlots * sizeof(Slot);
  if (dirty_ && page_number_ != static_cast<std::size_t>(-1)) {
    if (pwrite(descriptor_, page_.data(), kPageBytes,
               static_cast<off_t>(page_number_ * kPageBytes)) != static_cast<ssize_t>(kPageBytes)) {
      fail_io(path_, "cannot write it (disk full?)");
    }
  }
  dirty_ = false;
  // A page never written reads short (past the end) or as zeros (a hole): no records.
  std::fill(page_.begin(), page_.end(), Slot{});
  const ssize_t got =
      pread(descriptor_, page_.data(), kPageBytes, static_cast<off_t>(page * kPageBytes));
  if (got < 0) fail_io(path_, "cannot read it");
  page_number_ = page;
}

}  // namespace orgsim::io
