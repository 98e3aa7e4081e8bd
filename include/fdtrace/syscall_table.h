// What each syscall does with fds, as data: which arguments are fds, whether
// the return value is one, where else fds hide in its text, and what it does
// to the fd table. Names are strace's (which are the kernel's); the test suite
// checks every name against libseccomp.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

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

// What kind of wait a call is, for `stuck`'s rules; Other: it does not block
// on anything `stuck` can name.
enum class CallClass : std::uint8_t {
    Read,
    Write,
    Accept,
    Connect,
    Poll,
    Select,
    EpollWait,
    Futex,
    Sleep,
    WaitChild,
    WaitSignal,
    Lock,
    Restart,
    Other,
};

// Where a blocking call's timeout is, for `stuck`.
enum class TimeoutArg : std::uint8_t {
    None,            // the call has no timeout
    Millis,          // int milliseconds, negative: none
    Timespec,        // const struct timespec *, relative; NULL: none
    Timeval,         // struct timeval *, relative; NULL: none
    Futex,           // depends on the futex operation (arg 1)
    ClockNanosleep,  // (clockid, flags, const struct timespec *)
};

// strace's syscall classes (-e trace=%file ...), as bits. %desc, %fd and
// %default are not stored: they are read off the fd columns.
enum SyscallClassBit : std::uint32_t {
    kClassFile = 1u << 0,
    kClassProcess = 1u << 1,
    kClassSignal = 1u << 2,
    kClassIpc = 1u << 3,
    kClassMemory = 1u << 4,
    kClassCreds = 1u << 5,
    kClassClock = 1u << 6,
    kClassStat = 1u << 7,        // %stat
    kClassLstat = 1u << 8,       // %lstat
    kClassFstat = 1u << 9,       // %fstat
    kClassAnyStat = 1u << 10,    // %%stat
    kClassStatfs = 1u << 11,     // %statfs
    kClassFstatfs = 1u << 12,    // %fstatfs
    kClassAnyStatfs = 1u << 13,  // %%statfs
    kClassPure = 1u << 14,       // %pure
    kClassNetwork = 1u << 15,    // %network
};

// One row per syscall: everything fdtrace knows about a call is here, the
// fd columns (replay, fd sites, live effects, the default set), strace's
// classes, how `stuck` reads its wait, and, for calls without a decoder of
// their own, how to print its arguments.
struct SyscallSignature {
    std::string_view name;
    std::uint8_t fd_args = 0;  // bit i: argument i is an fd
    bool returns_fd = false;
    FdShape shape = FdShape::Plain;
    FdEffect effect = FdEffect::None;
    FdKind creates = FdKind::Unknown;  // FdEffect::Anon
    std::uint8_t pair_arg = 0;         // FdShape::PairArray
    std::uint32_t classes = 0;         // SyscallClassBit
    CallClass waits = CallClass::Other;
    TimeoutArg timeout = TimeoutArg::None;
    std::int8_t timeout_arg = -1;
    // Argument types for the generic printer, one letter each (see
    // decode_by_spec in src/trace/syscall_decoder.cpp: f fd, d dirfd, i int,
    // l long, u unsigned, x hex, p pointer, s path, o octal mode, w whence,
    // g signal, a AT_* flags, O open flags, n unsigned int); empty: a decoder of its own, or
    // none. `ret_hex`: the return value is an address.
    std::string_view printed;
    bool printed_generically = false;  // printed_as was given ("" for no arguments)
    bool ret_hex = false;
    // How many arguments the call takes, for calls printed as raw registers
    // (strace's nargs); -1: all six. Rows printed_as take their letters' count.
    std::int8_t arg_count = -1;

    // Builders, so that a row of the table reads as data.
    constexpr SyscallSignature in(std::uint32_t bits) const {
        SyscallSignature row = *this;
        row.classes |= bits;
        return row;
    }
    constexpr SyscallSignature waits_as(CallClass call, TimeoutArg kind = TimeoutArg::None,
                                        int arg = -1) const {
        SyscallSignature row = *this;
        row.waits = call;
        row.timeout = kind;
        row.timeout_arg = static_cast<std::int8_t>(arg);
        return row;
    }
    constexpr SyscallSignature printed_as(std::string_view letters, bool address = false) const {
        SyscallSignature row = *this;
        row.printed = letters;
        row.printed_generically = true;
        row.ret_hex = address;
        row.arg_count = static_cast<std::int8_t>(letters.size());
        return row;
    }
    constexpr SyscallSignature takes(int count) const {
        SyscallSignature row = *this;
        row.arg_count = static_cast<std::int8_t>(count);
        return row;
    }
};

// The row of a call that touches fds or the fd table (an fd column or an
// effect), by strace's name or a 32-bit/old alias of it (fstat64, _llseek,
// mmap2...); nullptr for every other call, which log replay and fd sites
// pass by.
const SyscallSignature* find_syscall(std::string_view name) noexcept;

// The row's call returns an fd, or fills an array of them (pipe,
// socketpair), or may return one (bpf's creating commands).
bool creates_fds(const SyscallSignature& signature) noexcept;

// fdtrace's %fd and its default set: the call takes an fd (an argument or a
// dirfd, an element of a poll/select set or epoll event, a close_range
// range, SCM_RIGHTS) or makes one.
bool takes_or_makes_fd(const SyscallSignature& signature) noexcept;
// Any row, fd-related or not, by name or alias; nullptr if the table does
// not know the call.
const SyscallSignature* find_syscall_row(std::string_view name) noexcept;

// Every row of the table (aliases are not rows).
std::span<const SyscallSignature> all_syscall_signatures() noexcept;

// The names in the strace classes `bits` (any of them), rows and their
// aliases, in table order.
std::vector<std::string_view> syscalls_in_classes(std::uint32_t bits);

}  // namespace fdtrace
