// What each syscall does with fds, as data: which arguments are fds, whether
// the return value is one, where else fds hide in its text, and what it does
// to the fd table. Names are strace's (which are the kernel's); the test suite
// checks every name against libseccomp.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "fdtrace/fd_identity.h"

namespace fdtrace {

// Where fds sit beyond plain arguments and the return value.
enum class FdShape : std::uint8_t {
    Plain,
    PollArray,   // arg 0: [{fd=3, events=...}], and the revents list after "="
    SelectSets,  // args 1-3: [3 4], and "(in [3], out [4])" after "="
    PairArray,   // `pair_arg`: [3, 4] (pipe, socketpair)
    Msghdr,      // SCM_RIGHTS cmsg_data=[5, 6]
    EpollCtl,    // arg 3: {events=..., data={u32=.., u64=..}} names arg 2
    EpollWait,   // arg 1: [{events=..., data={..., u64=N}}] -> fds via epoll_ctl
    Fcntl,       // returns an fd only for F_DUPFD*
    Bpf,         // returns an fd only for the commands that create one
};

// How the syscall changes the fd table (applied once it has returned).
enum class FdEffect : std::uint8_t {
    None,
    Open,  // open/creat (path arg 0), openat/openat2/open_by_handle_at (dirfd arg 0, path arg 1)
    Socket,
    SocketPair,
    Pipe,
    Accept,
    Connect,
    Bind,
    Listen,
    SockName,  // getsockname
    PeerName,  // getpeername
    Dup,
    Dup2,   // dup2/dup3
    Fcntl,  // F_DUPFD*, F_SETFD
    Close,
    CloseRange,
    Anon,  // creates an fd of kind `creates`
    MemfdCreate,
    PidfdOpen,
    PidfdGetfd,
    Clone,  // clone/clone3/fork/vfork
    Exec,
    Chdir,
    Fchdir,
    Unlink,  // unlink(path), unlinkat(dirfd, path, flags), rmdir
    Rename,  // rename, renameat, renameat2
    EpollCtl,
    Fstat,     // fstat/newfstatat(fd, "", AT_EMPTY_PATH)/statx: the fd's type
    Getdents,  // only directories can be listed
    Ioctl,     // a successful TCGETS means a terminal
    Getcwd,    // tells the working directory the log did not show being set
    SendMsg,   // SCM_RIGHTS fds in flight to the other end
    RecvMsg,   // SCM_RIGHTS received fds
    Exit,      // exit/exit_group: nothing to undo, the process goes on `+++`
    // Changes nothing, but how the call uses its fd shows what the fd is:
    // epoll_wait on an epoll, setsockopt(SOL_TCP) on TCP, recvfrom with an
    // AF_INET source on UDP, SO_ERROR ending a non-blocking connect.
    Reveal,
};

struct SyscallSignature {
    std::string_view name;
    std::uint8_t fd_args = 0;  // bit i: argument i is an fd
    bool returns_fd = false;
    FdShape shape = FdShape::Plain;
    FdEffect effect = FdEffect::None;
    FdKind creates = FdKind::Unknown;  // FdEffect::Anon
    std::uint8_t pair_arg = 0;         // FdShape::PairArray
};

const SyscallSignature* find_syscall(std::string_view name) noexcept;

// The row's call returns an fd, or fills an array of them (pipe,
// socketpair), or may return one (bpf's creating commands).
bool creates_fds(const SyscallSignature& signature) noexcept;

// fdtrace's %fd and its default set: the call takes an fd (an argument or a
// dirfd, an element of a poll/select set or epoll event, a close_range
// range, SCM_RIGHTS) or makes one.
bool takes_or_makes_fd(const SyscallSignature& signature) noexcept;
std::span<const SyscallSignature> all_syscall_signatures() noexcept;

}  // namespace fdtrace
