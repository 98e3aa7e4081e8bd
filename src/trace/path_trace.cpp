#include "fdtrace/path_trace.h"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdlib>
#include <memory>

#include "fdtrace/syscall_classes.h"
#include "fdtrace/syscall_table.h"

namespace fdtrace {

// Which arguments of a call are tested (strace's pathtrace_match_set).
enum class PathTrace::Rule : std::uint8_t {
    None,       // nothing to test: never matches
    Path0,      // %file: arg 0 is a path
    Fd0,        // %desc, %network: arg 0 is an fd
    FdFd,       // fd, fd
    DirfdPath,  // dirfd, path
    PathPath,   // path, path
    Path1,      // x, path
    DirfdPathDirfdPath,
    Fd1Path2,    // symlinkat: target, dirfd, path
    Fd0Fd2,      // fd, x, fd
    Fd2,         // epoll_ctl: x, x, fd
    Fd4,         // mmap: x, x, x, x, fd
    Fd3Path4,    // fanotify_mark (LP64: the mask is one argument)
    Fsconfig,    // the fd or path in args 3/4, by command
    SelectSets,  // the fds of the three fd_sets
    PollArray,   // the fds of the pollfd array
};

namespace {

bool in(std::span<const std::string_view> names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

constexpr std::string_view kFdFd[] = {"dup2",     "dup3",       "kexec_file_load",
                                      "sendfile", "sendfile64", "tee"};
constexpr std::string_view kDirfdPath[] = {
    "execveat",  "faccessat", "faccessat2",      "fchmodat",          "fchmodat2",
    "fchownat",  "fspick",    "fstatat64",       "futimesat",         "inotify_add_watch",
    "mkdirat",   "mknodat",   "mount_setattr",   "name_to_handle_at", "newfstatat",
    "open_tree", "openat",    "openat2",         "readlinkat",        "statx",
    "unlinkat",  "utimensat", "utimensat_time64"};
constexpr std::string_view kPathPath[] = {"link", "mount", "pivot_root"};
constexpr std::string_view kPath1[] = {"quotactl", "symlink"};
constexpr std::string_view kDirfdPathDirfdPath[] = {"linkat", "move_mount", "renameat",
                                                    "renameat2"};
constexpr std::string_view kFd0Fd2[] = {"copy_file_range", "splice"};
constexpr std::string_view kSelect[] = {"select", "pselect6", "pselect6_time64", "_newselect"};
constexpr std::string_view kPoll[] = {"poll", "ppoll", "ppoll_time64"};
// Calls of %file, %desc or %network with no fd or path argument to test
// (they make fds, or take other handles).
constexpr std::string_view kNothingToTest[] = {
    "accept",
    "accept4",
    "bpf",
    "epoll_create",
    "epoll_create1",
    "eventfd",
    "eventfd2",
    "fanotify_init",
    "fsmount",
    "fsopen",
    "inotify_init",
    "inotify_init1",
    "io_uring_enter",
    "io_uring_register",
    "io_uring_setup",
    "landlock_add_rule",
    "landlock_create_ruleset",
    "landlock_restrict_self",
    "memfd_create",
    "memfd_secret",
    "mq_getsetattr",
    "mq_notify",
    "mq_open",
    "mq_timedreceive",
    "mq_timedreceive_time64",
    "mq_timedsend",
    "mq_timedsend_time64",
    "perf_event_open",
    "pidfd_open",
    "pipe",
    "pipe2",
    "signalfd",
    "signalfd4",
    "socket",
    "socketpair",
    "timerfd_create",
    "timerfd_gettime",
    "timerfd_gettime64",
    "timerfd_settime",
    "timerfd_settime64",
    "userfaultfd",
    "close_range"};  // in none of strace's classes: its fds are a range
// strace's %desc and %network calls that fdtrace's fd table leaves out.
constexpr std::string_view kMoreFirstFd[] = {"socketcall", "send", "recv", "process_mrelease",
                                             "quotactl_fd"};

constexpr std::size_t kPathMax = PATH_MAX;

}  // namespace

std::optional<std::string> PathTrace::add(const std::string& path) {
    auto keep = [this](std::string p) {
        if (!path_matches(p)) paths_.push_back(std::move(p));
    };
    keep(path);
    std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
    if (!real || path == real.get()) return std::nullopt;
    keep(real.get());
    return std::string(real.get());
}

bool PathTrace::path_matches(std::string_view path) const noexcept {
    return std::find(paths_.begin(), paths_.end(), path) != paths_.end();
}

std::optional<std::string> proc_fd_path(int tid, std::int64_t fd) {
    if (fd < 0 || fd > INT_MAX) return std::nullopt;  // the kernel reads an int
    std::string link = "/proc/" + std::to_string(tid) + "/fd/" + std::to_string(fd);
    std::array<char, kPathMax + 1> buffer;
    ssize_t n = ::readlink(link.c_str(), buffer.data(), buffer.size() - 1);
    if (n < 0) return std::nullopt;
    std::string path(buffer.data(), static_cast<std::size_t>(n));
    constexpr std::string_view kDeleted = " (deleted)";
    if (path.size() > kDeleted.size() && path.ends_with(kDeleted)) {
        // Unlinked, unless the link still leads to the very file at that name.
        struct stat through_link {
        }, at_name{};
        if (::stat(link.c_str(), &through_link) == 0 &&
            (::lstat(path.c_str(), &at_name) != 0 || through_link.st_ino != at_name.st_ino ||
             through_link.st_dev != at_name.st_dev))
            path.resize(path.size() - kDeleted.size());
    }
    return path;
}

bool PathTrace::fd_matches(int tid, std::int64_t fd) const {
    // The kernel takes an fd argument as an int.
    auto as_int = static_cast<std::int64_t>(static_cast<int>(fd));
    auto path = proc_fd_path(tid, as_int);
    return path && path_matches(*path);
}

bool PathTrace::string_matches(MemoryReader& memory, std::uint64_t address) const {
    // A path longer than PATH_MAX never matches (strace reads at most
    // PATH_MAX + 1 bytes and wants the NUL among them).
    std::string path;
    std::array<char, 256> chunk;
    while (path.size() <= kPathMax) {
        std::size_t want = std::min(chunk.size(), kPathMax + 1 - path.size());
        std::size_t got = memory.read(address + path.size(), chunk.data(), want);
        if (got == 0) return false;
        auto end = std::find(chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got), '\0');
        path.append(chunk.data(), static_cast<std::size_t>(end - chunk.begin()));
        if (end != chunk.begin() + static_cast<std::ptrdiff_t>(got)) return path_matches(path);
        if (got < want) return false;  // unreadable before the NUL
    }
    return false;
}

bool PathTrace::select_sets_match(int tid, const SyscallCall& call, MemoryReader& memory) const {
    int nfds = static_cast<int>(call.args[0]);  // the kernel truncates it to int
    if (nfds <= 0) return false;
    nfds = std::min(nfds, 1024 * 1024);
    const std::size_t words = (static_cast<std::size_t>(nfds) + 63) / 64;
    std::vector<std::uint64_t> set(words);
    for (int which = 1; which <= 3; ++which) {
        if (call.args[static_cast<std::size_t>(which)] == 0) continue;
        if (memory.read(call.args[static_cast<std::size_t>(which)], set.data(), words * 8) !=
            words * 8)
            continue;
        for (int fd = 0; fd < nfds; ++fd)
            if ((set[static_cast<std::size_t>(fd) / 64] >> (fd % 64)) & 1)
                if (fd_matches(tid, fd)) return true;
    }
    return false;
}

bool PathTrace::poll_array_matches(int tid, const SyscallCall& call, MemoryReader& memory) const {
    std::uint64_t start = call.args[0];
    auto count = static_cast<unsigned>(call.args[1]);
    count = std::min(count, 1024u * 1024u);
    if (count == 0 || start + count * sizeof(pollfd) < start) return false;
    for (unsigned i = 0; i < count; ++i) {
        pollfd entry{};
        if (memory.read(start + i * sizeof(pollfd), &entry, sizeof entry) != sizeof entry) break;
        if (fd_matches(tid, entry.fd)) return true;
    }
    return false;
}

PathTrace::Rule PathTrace::rule_for(std::string_view name) {
    if (in(kFdFd, name)) return Rule::FdFd;
    if (in(kDirfdPath, name)) return Rule::DirfdPath;
    if (in(kPathPath, name)) return Rule::PathPath;
    if (in(kPath1, name)) return Rule::Path1;
    if (in(kDirfdPathDirfdPath, name)) return Rule::DirfdPathDirfdPath;
    if (name == "mmap" || name == "mmap2") return Rule::Fd4;
    if (name == "symlinkat") return Rule::Fd1Path2;
    if (in(kFd0Fd2, name)) return Rule::Fd0Fd2;
    if (name == "epoll_ctl") return Rule::Fd2;
    if (name == "fanotify_mark") return Rule::Fd3Path4;
    if (in(kSelect, name)) return Rule::SelectSets;
    if (in(kPoll, name)) return Rule::PollArray;
    if (name == "fsconfig") return Rule::Fsconfig;
    if (in(kNothingToTest, name)) return Rule::None;
    if (in(syscall_class("%file"), name)) return Rule::Path0;
    if (in(kMoreFirstFd, name)) return Rule::Fd0;
    if (const SyscallSignature* signature = find_syscall(name);
        signature && takes_or_makes_fd(*signature))
        return Rule::Fd0;
    return Rule::None;
}

bool PathTrace::matches(int tid, const SyscallCall& call, MemoryReader& memory) const {
    const auto& a = call.args;
    auto fd = [&](std::size_t i) { return fd_matches(tid, static_cast<std::int64_t>(a[i])); };
    auto path = [&](std::size_t i) { return string_matches(memory, a[i]); };
    switch (rule_for(call.name)) {
        case Rule::None:
            return false;
        case Rule::Path0:
            return path(0);
        case Rule::Fd0:
            return fd(0);
        case Rule::FdFd:
            return fd(0) || fd(1);
        case Rule::DirfdPath:
            return fd(0) || path(1);
        case Rule::PathPath:
            return path(0) || path(1);
        case Rule::Path1:
            return path(1);
        case Rule::DirfdPathDirfdPath:
            return fd(0) || fd(2) || path(1) || path(3);
        case Rule::Fd1Path2:
            return fd(1) || path(2);
        case Rule::Fd0Fd2:
            return fd(0) || fd(2);
        case Rule::Fd2:
            return fd(2);
        case Rule::Fd4:
            return fd(4);
        case Rule::Fd3Path4:
            return fd(3) || path(4);
        case Rule::Fsconfig:
            switch (static_cast<unsigned>(a[1])) {
                case 3:  // FSCONFIG_SET_PATH
                case 4:  // FSCONFIG_SET_PATH_EMPTY
                    return fd(4) || path(3);
                case 5:  // FSCONFIG_SET_FD
                    return fd(4);
                default:
                    return false;
            }
        case Rule::SelectSets:
            return select_sets_match(tid, call, memory);
        case Rule::PollArray:
            return poll_array_matches(tid, call, memory);
    }
    return false;
}

}  // namespace fdtrace
