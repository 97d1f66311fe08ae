#pragma once
// Files that appear whole or not at all. A file is written under a temporary name beside
// its target, synced to the disk, renamed into place and the directory synced, so that a
// crash, a SIGKILL or a power cut leaves the old file or the new one, never a half-written
// one under the target's name. Temporary names carry the host and the process, so that a
// later command recognises and removes the leftovers of one that was killed, and never
// those of one still running (on this machine or, on a shared file system, another).

#include <functional>
#include <string>

namespace orgsim::io {

/// A temporary name beside `path` for this process: PATH.tmp-HOST-PID.
std::string temporary_path_for(const std::string& path);

/// Syncs `temporary` to the disk, renames it to `path` (replacing any file there) and
/// syncs the directory. Throws IoError naming both paths.
void publish(const std::string& temporary, const std::string& path);

/// Calls `write` with a temporary path beside `path`, then publishes it there. Whatever
/// `write` or the publishing throws, the temporary is removed and the exception passed on.
void write_then_publish(const std::string& path,
                        const std::function<void(const std::string& temporary)>& write);

/// Removes the temporaries of `path` (PATH.tmp-HOST-PID) whose process, on this host, no
/// longer runs. Returns how many it removed.
int remove_stale_temporaries(const std::string& path);

}  // namespace orgsim::io
