#include "fdtrace/syscall_table.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

namespace fdtrace {
namespace {

constexpr std::uint8_t fd(int a) { return static_cast<std::uint8_t>(1u << a); }
constexpr std::uint8_t fd(int a, int b) { return fd(a) | fd(b); }
constexpr std::uint8_t fd(int a, int b, int c) { return fd(a, b) | fd(c); }

using S = FdShape;
using E = FdEffect;
using K = FdKind;
constexpr bool RET = true;
constexpr bool NO = false;

// clang-format off
constexpr SyscallSignature kSignatures[] = {
    // name                 fd args      ret fd  shape          effect          creates
    // --- I/O on an fd
    {"read",                fd(0),       NO,  S::Plain,      E::None},
    {"write",               fd(0),       NO,  S::Plain,      E::None},
    {"pread64",             fd(0),       NO,  S::Plain,      E::None},
    {"pwrite64",            fd(0),       NO,  S::Plain,      E::None},
    {"readv",               fd(0),       NO,  S::Plain,      E::None},
    {"writev",              fd(0),       NO,  S::Plain,      E::None},
    {"preadv",              fd(0),       NO,  S::Plain,      E::None},
    {"pwritev",             fd(0),       NO,  S::Plain,      E::None},
    {"preadv2",             fd(0),       NO,  S::Plain,      E::None},
    {"pwritev2",            fd(0),       NO,  S::Plain,      E::None},
    {"lseek",               fd(0),       NO,  S::Plain,      E::None},
    {"_llseek",             fd(0),       NO,  S::Plain,      E::None},
    {"ioctl",               fd(0),       NO,  S::Plain,      E::Ioctl},
    {"fsync",               fd(0),       NO,  S::Plain,      E::None},
    {"fdatasync",           fd(0),       NO,  S::Plain,      E::None},
    {"syncfs",              fd(0),       NO,  S::Plain,      E::None},
    {"sync_file_range",     fd(0),       NO,  S::Plain,      E::None},
    {"ftruncate",           fd(0),       NO,  S::Plain,      E::None},
    {"fallocate",           fd(0),       NO,  S::Plain,      E::None},
    {"fadvise64",           fd(0),       NO,  S::Plain,      E::None},
    {"readahead",           fd(0),       NO,  S::Plain,      E::None},
    {"flock",               fd(0),       NO,  S::Plain,      E::None},
    {"getdents",            fd(0),       NO,  S::Plain,      E::Getdents},
    {"getdents64",          fd(0),       NO,  S::Plain,      E::Getdents},
    {"fstatfs",             fd(0),       NO,  S::Plain,      E::None},
    {"fchmod",              fd(0),       NO,  S::Plain,      E::None},
    {"fchown",              fd(0),       NO,  S::Plain,      E::None},
    {"fgetxattr",           fd(0),       NO,  S::Plain,      E::None},
    {"fsetxattr",           fd(0),       NO,  S::Plain,      E::None},
    {"flistxattr",          fd(0),       NO,  S::Plain,      E::None},
    {"fremovexattr",        fd(0),       NO,  S::Plain,      E::None},
    {"sendfile",            fd(0, 1),    NO,  S::Plain,      E::None},
    {"splice",              fd(0, 2),    NO,  S::Plain,      E::None},
    {"tee",                 fd(0, 1),    NO,  S::Plain,      E::None},
    {"vmsplice",            fd(0),       NO,  S::Plain,      E::None},
    {"copy_file_range",     fd(0, 2),    NO,  S::Plain,      E::None},
    {"mmap",                fd(4),       NO,  S::Plain,      E::None},
    {"fstat",               fd(0),       NO,  S::Plain,      E::Fstat},
    {"newfstatat",          fd(0),       NO,  S::Plain,      E::Fstat},
    {"statx",               fd(0),       NO,  S::Plain,      E::Fstat},
    {"timerfd_settime",     fd(0),       NO,  S::Plain,      E::None},
    {"timerfd_gettime",     fd(0),       NO,  S::Plain,      E::None},
    {"inotify_add_watch",   fd(0),       NO,  S::Plain,      E::None},
    {"inotify_rm_watch",    fd(0),       NO,  S::Plain,      E::None},
    {"fanotify_mark",       fd(0, 3),    NO,  S::Plain,      E::None},
    {"pidfd_send_signal",   fd(0),       NO,  S::Plain,      E::None},
    {"process_madvise",     fd(0),       NO,  S::Plain,      E::None},
    {"setns",               fd(0),       NO,  S::Plain,      E::None},
    {"io_uring_enter",      fd(0),       NO,  S::Plain,      E::None},
    {"io_uring_register",   fd(0),       NO,  S::Plain,      E::None},
    {"finit_module",        fd(0),       NO,  S::Plain,      E::None},
    {"landlock_add_rule",   fd(0),       NO,  S::Plain,      E::None},
    {"landlock_restrict_self", fd(0),    NO,  S::Plain,      E::None},
    {"fsconfig",            fd(0),       NO,  S::Plain,      E::None},
    // --- paths relative to a directory fd
    {"faccessat",           fd(0),       NO,  S::Plain,      E::None},
    {"faccessat2",          fd(0),       NO,  S::Plain,      E::None},
    {"fchmodat",            fd(0),       NO,  S::Plain,      E::None},
    {"fchownat",            fd(0),       NO,  S::Plain,      E::None},
    {"futimesat",           fd(0),       NO,  S::Plain,      E::None},
    {"utimensat",           fd(0),       NO,  S::Plain,      E::None},
    {"mkdirat",             fd(0),       NO,  S::Plain,      E::None},
    {"mknodat",             fd(0),       NO,  S::Plain,      E::None},
    {"readlinkat",          fd(0),       NO,  S::Plain,      E::None},
    {"symlinkat",           fd(1),       NO,  S::Plain,      E::None},
    {"linkat",              fd(0, 2),    NO,  S::Plain,      E::None},
    {"name_to_handle_at",   fd(0),       NO,  S::Plain,      E::None},
    {"execveat",            fd(0),       NO,  S::Plain,      E::Exec},
    {"unlinkat",            fd(0),       NO,  S::Plain,      E::Unlink},
    {"renameat",            fd(0, 2),    NO,  S::Plain,      E::Rename},
    {"renameat2",           fd(0, 2),    NO,  S::Plain,      E::Rename},
    {"unlink",              0,           NO,  S::Plain,      E::Unlink},
    {"rmdir",               0,           NO,  S::Plain,      E::Unlink},
    {"rename",              0,           NO,  S::Plain,      E::Rename},
    {"execve",              0,           NO,  S::Plain,      E::Exec},
    {"chdir",               0,           NO,  S::Plain,      E::Chdir},
    {"getcwd",              0,           NO,  S::Plain,      E::Getcwd},
    {"fchdir",              fd(0),       NO,  S::Plain,      E::Fchdir},
    // --- calls that create fds
    {"open",                0,           RET, S::Plain,      E::Open},
    {"creat",               0,           RET, S::Plain,      E::Open},
    {"openat",              fd(0),       RET, S::Plain,      E::Open},
    {"openat2",             fd(0),       RET, S::Plain,      E::Open},
    {"open_by_handle_at",   fd(0),       RET, S::Plain,      E::Open},
    {"open_tree",           fd(0),       RET, S::Plain,      E::Anon,       K::Anon},
    {"fsopen",              0,           RET, S::Plain,      E::Anon,       K::Anon},
    {"fsmount",             fd(0),       RET, S::Plain,      E::Anon,       K::Anon},
    {"fspick",              fd(0),       RET, S::Plain,      E::Anon,       K::Anon},
    {"move_mount",          fd(0, 2),    NO,  S::Plain,      E::None},
    {"socket",              0,           RET, S::Plain,      E::Socket},
    {"socketpair",          0,           NO,  S::PairArray,  E::SocketPair, K::Unknown, 3},
    {"pipe",                0,           NO,  S::PairArray,  E::Pipe,       K::Unknown, 0},
    {"pipe2",               0,           NO,  S::PairArray,  E::Pipe,       K::Unknown, 0},
    {"accept",              fd(0),       RET, S::Plain,      E::Accept},
    {"accept4",             fd(0),       RET, S::Plain,      E::Accept},
    {"dup",                 fd(0),       RET, S::Plain,      E::Dup},
    {"dup2",                fd(0, 1),    RET, S::Plain,      E::Dup2},
    {"dup3",                fd(0, 1),    RET, S::Plain,      E::Dup2},
    {"fcntl",               fd(0),       NO,  S::Fcntl,      E::Fcntl},
    {"fcntl64",             fd(0),       NO,  S::Fcntl,      E::Fcntl},
    {"eventfd",             0,           RET, S::Plain,      E::Anon,       K::Eventfd},
    {"eventfd2",            0,           RET, S::Plain,      E::Anon,       K::Eventfd},
    {"epoll_create",        0,           RET, S::Plain,      E::Anon,       K::Epoll},
    {"epoll_create1",       0,           RET, S::Plain,      E::Anon,       K::Epoll},
    {"timerfd_create",      0,           RET, S::Plain,      E::Anon,       K::Timerfd},
    {"signalfd",            fd(0),       RET, S::Plain,      E::Anon,       K::Signalfd},
    {"signalfd4",           fd(0),       RET, S::Plain,      E::Anon,       K::Signalfd},
    {"inotify_init",        0,           RET, S::Plain,      E::Anon,       K::Inotify},
    {"inotify_init1",       0,           RET, S::Plain,      E::Anon,       K::Inotify},
    {"fanotify_init",       0,           RET, S::Plain,      E::Anon,       K::Fanotify},
    {"io_uring_setup",      0,           RET, S::Plain,      E::Anon,       K::IoUring},
    {"perf_event_open",     fd(3),       RET, S::Plain,      E::Anon,       K::PerfEvent},
    {"bpf",                 0,           NO,  S::Bpf,        E::Anon,       K::Bpf},
    {"userfaultfd",         0,           RET, S::Plain,      E::Anon,       K::Userfaultfd},
    {"landlock_create_ruleset", 0,       RET, S::Plain,      E::Anon,       K::Anon},
    {"memfd_secret",        0,           RET, S::Plain,      E::Anon,       K::Anon},
    {"memfd_create",        0,           RET, S::Plain,      E::MemfdCreate},
    {"pidfd_open",          0,           RET, S::Plain,      E::PidfdOpen},
    {"pidfd_getfd",         fd(0),       RET, S::Plain,      E::PidfdGetfd},
    // --- sockets
    {"connect",             fd(0),       NO,  S::Plain,      E::Connect},
    {"bind",                fd(0),       NO,  S::Plain,      E::Bind},
    {"listen",              fd(0),       NO,  S::Plain,      E::Listen},
    {"getsockname",         fd(0),       NO,  S::Plain,      E::SockName},
    {"getpeername",         fd(0),       NO,  S::Plain,      E::PeerName},
    {"shutdown",            fd(0),       NO,  S::Plain,      E::Reveal},
    {"setsockopt",          fd(0),       NO,  S::Plain,      E::Reveal},
    {"getsockopt",          fd(0),       NO,  S::Plain,      E::Reveal},
    {"sendto",              fd(0),       NO,  S::Plain,      E::Reveal},
    {"recvfrom",            fd(0),       NO,  S::Plain,      E::Reveal},
    {"sendmsg",             fd(0),       NO,  S::Msghdr,     E::SendMsg},
    {"recvmsg",             fd(0),       NO,  S::Msghdr,     E::RecvMsg},
    {"sendmmsg",            fd(0),       NO,  S::Msghdr,     E::SendMsg},
    {"recvmmsg",            fd(0),       NO,  S::Msghdr,     E::RecvMsg},
    // --- waiting on fds
    {"poll",                0,           NO,  S::PollArray,  E::None},
    {"ppoll",               0,           NO,  S::PollArray,  E::None},
    {"select",              0,           NO,  S::SelectSets, E::None},
    {"_newselect",          0,           NO,  S::SelectSets, E::None},
    {"pselect6",            0,           NO,  S::SelectSets, E::None},
    {"epoll_ctl",           fd(0, 2),    NO,  S::EpollCtl,   E::EpollCtl},
    {"epoll_wait",          fd(0),       NO,  S::EpollWait,  E::Reveal},
    {"epoll_pwait",         fd(0),       NO,  S::EpollWait,  E::Reveal},
    {"epoll_pwait2",        fd(0),       NO,  S::EpollWait,  E::Reveal},
    // --- the fd table itself
    {"close",               fd(0),       NO,  S::Plain,      E::Close},
    {"close_range",         0,           NO,  S::Plain,      E::CloseRange},
    {"clone",               0,           NO,  S::Plain,      E::Clone},
    {"clone3",              0,           NO,  S::Plain,      E::Clone},
    {"fork",                0,           NO,  S::Plain,      E::Clone},
    {"vfork",               0,           NO,  S::Plain,      E::Clone},
    {"exit",                0,           NO,  S::Plain,      E::Exit},
    {"exit_group",          0,           NO,  S::Plain,      E::Exit},
};
// clang-format on

// Names that 32-bit and old-ABI tracees (i386, ARM, MIPS o32 ...) and older
// strace versions print for calls that take their fds where the call they
// stand for does: the same row serves both (so replay sees the one name).
struct Alias {
    std::string_view name;
    std::string_view same_as;
};

constexpr Alias kAliases[] = {
    {"fstat64", "fstat"},
    {"oldfstat", "fstat"},
    {"fstatat64", "newfstatat"},
    {"mmap2", "mmap"},
    {"old_mmap", "mmap"},
    {"ftruncate64", "ftruncate"},
    {"fadvise64_64", "fadvise64"},
    {"arm_fadvise64_64", "fadvise64"},
    {"sendfile64", "sendfile"},
    {"fstatfs64", "fstatfs"},
    {"fchown32", "fchown"},
    {"sync_file_range2", "sync_file_range"},
    {"arm_sync_file_range", "sync_file_range"},
    {"llseek", "_llseek"},
    {"pread", "pread64"},
    {"pwrite", "pwrite64"},
    {"send", "sendto"},  // socketcall's SYS_SEND and SYS_RECV, as strace names them
    {"recv", "recvfrom"},
    {"oldselect", "select"},
};

// FNV-1a: syscall names are short, and this lookup runs once per log line,
// where std::hash's general-purpose hashing showed up in profiles.
struct NameHash {
    std::size_t operator()(std::string_view name) const noexcept {
        std::size_t hash = 14695981039346656037ull;
        for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
        return hash;
    }
};

struct Index {
    std::unordered_map<std::string_view, const SyscallSignature*, NameHash> by_name;
    Index() {
        for (const auto& signature : kSignatures) by_name.emplace(signature.name, &signature);
        for (const auto& alias : kAliases) by_name.emplace(alias.name, by_name.at(alias.same_as));
    }
};

}  // namespace

const SyscallSignature* find_syscall(std::string_view name) noexcept {
    static const Index index;  // immutable after construction
    auto it = index.by_name.find(name);
    return it == index.by_name.end() ? nullptr : it->second;
}

std::span<const SyscallSignature> all_syscall_signatures() noexcept { return kSignatures; }

bool creates_fds(const SyscallSignature& signature) noexcept {
    return signature.returns_fd || signature.effect == FdEffect::Pipe ||
           signature.effect == FdEffect::SocketPair || signature.shape == FdShape::Bpf;
}

bool takes_or_makes_fd(const SyscallSignature& signature) noexcept {
    return signature.fd_args != 0 || creates_fds(signature) || signature.shape != FdShape::Plain ||
           signature.effect == FdEffect::CloseRange;
}

}  // namespace fdtrace
