#include "orgsim/io/DurableFile.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include "orgsim/core/Error.h"

namespace orgsim::io {
namespace fs = std::filesystem;
namespace {

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "host";
  return name;
}

fs::path directory_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

// fsync of a file or directory by name; false with errno set on failure.
bool sync_path(const fs::path& path, int flags) {
  const int descriptor = open(path.c_str(), flags | O_CLOEXEC);
  if (descriptor < 0) return false;
  const bool synced = fsync(descriptor) == 0;
  const int saved = errno;
  close(descriptor);
  errno = saved;
  return synced;
}

}  // namespace

std::string temporary_path_for(const std::string& path) {
  return path + ".tmp-" + host_name() + "-" + std::to_string(getpid());
}

void publish(const std::string& temporary, const std::string& path) {
  if (!sync_path(temporary, O_RDONLY)) {
    throw IoError("cannot sync '" + temporary + "' to the disk (" + std::strerror(errno) +
                  "); check the disk");
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    throw IoError("cannot rename '" + temporary + "' to '" + path + "': " + error.message());
  }
  // The rename itself is durable only once the directory is; a file system that cannot
  // sync directories (some network ones) still renamed atomically.
  sync_path(directory_of(path), O_RDONLY | O_DIRECTORY);
}

void write_then_publish(const std::string& path,
                        const std::function<void(const std::string& temporary)>& write) {
  const std::string temporary = temporary_path_for(path);
  try {
    write(temporary);
    publish(temporary, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

int remove_stale_temporaries(const std::string& path) {
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".tmp-" + host_name() + "-";
  std::error_code error;
  int removed = 0;
  for (const auto& entry : fs::directory_iterator(directory_of(target), error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    int pid = 0;
    const auto [end, failure] =
        std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
    if (failure != std::errc() || end != pid_text.data() + pid_text.size() || pid <= 0) continue;
    if (pid == getpid()) continue;
    if (kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    std::error_code ignored;
    if (fs::remove(entry.path(), ignored)) ++removed;
  }
  return removed;
}

}  // namespace orgsim::io
