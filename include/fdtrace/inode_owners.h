// InodeOwnerIndex: which processes hold a pipe or socket inode, built by
// scanning /proc/*/fd. The kernel has no reverse lookup, so naming the
// process at the other end of a pipe or socket means reading every process's
// fd links; the index does that once and is then refreshed in pieces (one
// process, or a rate-limited full rescan) as lookups miss.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fdtrace {

struct FdHolder {
    int pid = 0;  // thread group id, as /proc lists processes
    int fd = -1;
    bool operator==(const FdHolder&) const = default;
};

class InodeOwnerIndex {
  public:
    struct Options {
        // A full rescan of /proc costs one readlink per fd on the system: do
        // not repeat it more often than this, however many lookups miss.
        std::chrono::milliseconds min_full_rescan_interval{100};
    };

    InodeOwnerIndex() = default;
    explicit InodeOwnerIndex(Options options) : options_(options) {}

    // Processes holding `inode` ("socket:[inode]" or "pipe:[inode]") as of the
    // last scan of each; builds the index on first use. Entries may be stale:
    // check with still_holds() before trusting one.
    const std::vector<FdHolder>& holders(std::uint64_t inode);

    // Whether holder.fd of holder.pid is still the link `link` ("pipe:[42]").
    static bool still_holds(const FdHolder& holder, std::string_view link);

    // Re-reads one process's fds (it may have opened, closed or exited).
    void rescan_pid(int pid);
    // Re-reads every process.
    void rescan();
    // rescan(), unless the last full scan is younger than the configured
    // interval; true if it scanned.
    bool rescan_if_due();
    // The process's name now, or as of its last scan if it has exited.
    std::string comm(int pid);
    // Drops everything; the next lookup scans again.
    void invalidate() noexcept;

    // A full scan now, and none (not even of one process) until end_batch():
    // for looking up many fds at once, as a snapshot does.
    void begin_batch();
    void end_batch() noexcept { in_batch_ = false; }
    bool in_batch() const noexcept { return in_batch_; }

  private:
    struct Process {
        std::string comm;
        std::vector<std::uint64_t> inodes;
    };

    void ensure_built();
    void forget_pid(int pid);
    void scan_pid(int pid);

    Options options_;
    bool built_ = false;
    bool in_batch_ = false;
    std::optional<std::chrono::steady_clock::time_point> last_full_scan_;
    std::unordered_map<std::uint64_t, std::vector<FdHolder>> by_inode_;
    std::unordered_map<int, Process> processes_;
};

// The inode in a "socket:[123]" or "pipe:[123]" link; nullopt for other links.
std::optional<std::uint64_t> pipe_or_socket_inode(std::string_view link) noexcept;

}  // namespace fdtrace
