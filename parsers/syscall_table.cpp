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
using W = CallClass;
using T = TimeoutArg;
constexpr bool RET = true;
constexpr bool NO = false;
constexpr bool ADDRESS = true;  // printed_as: the return value is an address

// strace's classes, short for the table.
constexpr std::uint32_t File = kClassFile, Process = kClassProcess, Signal = kClassSignal,
                        Ipc = kClassIpc, Memory = kClassMemory, Creds = kClassCreds,
                        Clock = kClassClock, Stat = kClassStat, Lstat = kClassLstat,
                        Fstat = kClassFstat, AnyStat = kClassAnyStat, Statfs = kClassStatfs,
                        Fstatfs = kClassFstatfs, AnyStatfs = kClassAnyStatfs, Pure = kClassPure,
                        Network = kClassNetwork;

constexpr SyscallSignature row(std::string_view name, std::uint8_t fd_args = 0,
                               bool returns_fd = false, FdShape shape = S::Plain,
                               FdEffect effect = E::None, FdKind creates = K::Unknown,
                               std::uint8_t pair_arg = 0) {
    SyscallSignature signature;
    signature.name = name;
    signature.fd_args = fd_args;
    signature.returns_fd = returns_fd;
    signature.shape = shape;
    signature.effect = effect;
    signature.creates = creates;
    signature.pair_arg = pair_arg;
    return signature;
}

// The one syscall table. A row: row(name, fd args, returns an fd, where else
// fds are, effect on the fd table, kind created, pair argument), then
// .in(strace's classes), .waits_as(how `stuck` reads it, timeout, its
// argument), .printed_as(argument letters for calls printed generically).
// Names of every architecture strace knows are rows (chown32, stat64...):
// one that is not a syscall here simply matches nothing.
// clang-format off
constexpr SyscallSignature kSignatures[] = {
    // --- I/O on an fd
    row("read", fd(0)).waits_as(W::Read),
    row("write", fd(0)).waits_as(W::Write),
    row("pread64", fd(0)).waits_as(W::Read),
    row("pwrite64", fd(0)).waits_as(W::Write),
    row("readv", fd(0)).waits_as(W::Read),
    row("writev", fd(0)).waits_as(W::Write),
    row("preadv", fd(0)).waits_as(W::Read),
    row("pwritev", fd(0)).waits_as(W::Write),
    row("preadv2", fd(0)).waits_as(W::Read),
    row("pwritev2", fd(0)).waits_as(W::Write),
    row("lseek", fd(0)).printed_as("flw"),
    row("_llseek", fd(0)),
    row("ioctl", fd(0), NO, S::Plain, E::Ioctl),
    row("fsync", fd(0)).printed_as("f"),
    row("fdatasync", fd(0)).printed_as("f"),
    row("syncfs", fd(0)).printed_as("f"),
    row("sync_file_range", fd(0)),
    row("ftruncate", fd(0)).printed_as("fl"),
    row("fallocate", fd(0)),
    row("fadvise64", fd(0)),
    row("readahead", fd(0)).printed_as("flu"),
    row("flock", fd(0)).waits_as(W::Lock),
    row("getdents", fd(0), NO, S::Plain, E::Getdents),
    row("getdents64", fd(0), NO, S::Plain, E::Getdents),
    row("fstatfs", fd(0)).in(Fstatfs | AnyStatfs),
    row("fchmod", fd(0)).printed_as("fo"),
    row("fchown", fd(0)).printed_as("fUU"),
    row("fgetxattr", fd(0)),
    row("fsetxattr", fd(0)),
    row("flistxattr", fd(0)),
    row("fremovexattr", fd(0)),
    row("sendfile", fd(0, 1)).waits_as(W::Write),
    row("splice", fd(0, 2)),
    row("tee", fd(0, 1)),
    row("vmsplice", fd(0)),
    row("copy_file_range", fd(0, 2)),
    row("mmap", fd(4)).in(Memory),
    row("fstat", fd(0), NO, S::Plain, E::Fstat).in(Fstat | AnyStat),
    row("newfstatat", fd(0), NO, S::Plain, E::Fstat).in(File | Fstat | AnyStat),
    row("statx", fd(0), NO, S::Plain, E::Fstat).in(File | AnyStat),
    row("timerfd_settime", fd(0)),
    row("timerfd_gettime", fd(0)),
    row("inotify_add_watch", fd(0)).in(File),
    row("inotify_rm_watch", fd(0)).printed_as("fi"),
    row("fanotify_mark", fd(0, 3)).in(File),
    row("pidfd_send_signal", fd(0)).in(Process | Signal),
    row("process_madvise", fd(0)).in(Memory),
    row("setns", fd(0), NO, S::Plain, E::Reveal),
    row("io_uring_enter", fd(0)).printed_as("fuuxpu"),
    row("io_uring_register", fd(0)).printed_as("fupu"),
    row("finit_module", fd(0)),
    row("landlock_add_rule", fd(0)).printed_as("fipx"),
    row("landlock_restrict_self", fd(0)).printed_as("fx"),
    row("fsconfig", fd(0)).in(File).printed_as("fispi"),
    // --- paths relative to a directory fd
    row("faccessat", fd(0)).in(File),
    row("faccessat2", fd(0)).in(File),
    row("fchmodat", fd(0)).in(File).printed_as("dso"),
    row("fchownat", fd(0)).in(File).printed_as("dsUUa"),
    row("futimesat", fd(0)).in(File),
    row("utimensat", fd(0)).in(File),
    row("mkdirat", fd(0)).in(File).printed_as("dso"),
    row("mknodat", fd(0)).in(File),
    row("readlinkat", fd(0)).in(File),
    row("symlinkat", fd(1)).in(File).printed_as("sds"),
    row("linkat", fd(0, 2)).in(File).printed_as("dsdsa"),
    row("name_to_handle_at", fd(0)).in(File).printed_as("dsppa"),
    row("execveat", fd(0), NO, S::Plain, E::Exec).in(File | Process),
    row("unlinkat", fd(0), NO, S::Plain, E::Unlink).in(File).printed_as("dsa"),
    row("renameat", fd(0, 2), NO, S::Plain, E::Rename).in(File).printed_as("dsds"),
    row("renameat2", fd(0, 2), NO, S::Plain, E::Rename).in(File),
    row("unlink", 0, NO, S::Plain, E::Unlink).in(File).printed_as("s"),
    row("rmdir", 0, NO, S::Plain, E::Unlink).in(File).printed_as("s"),
    row("rename", 0, NO, S::Plain, E::Rename).in(File).printed_as("ss"),
    row("execve", 0, NO, S::Plain, E::Exec).in(File | Process),
    row("chdir", 0, NO, S::Plain, E::Chdir).in(File).printed_as("s"),
    row("getcwd", 0, NO, S::Plain, E::Getcwd).in(File),
    row("fchdir", fd(0), NO, S::Plain, E::Fchdir).printed_as("f"),
    // --- calls that create fds
    row("open", 0, RET, S::Plain, E::Open).in(File),
    row("creat", 0, RET, S::Plain, E::Open).in(File),
    row("openat", fd(0), RET, S::Plain, E::Open).in(File),
    row("openat2", fd(0), RET, S::Plain, E::Open).in(File),
    row("open_by_handle_at", fd(0), RET, S::Plain, E::Open).printed_as("fpO"),
    row("open_tree", fd(0), RET, S::Plain, E::Anon, K::Anon).in(File).printed_as("dsx"),
    row("fsopen", 0, RET, S::Plain, E::Anon, K::Anon).printed_as("sx"),
    row("fsmount", fd(0), RET, S::Plain, E::Anon, K::Anon).printed_as("fxx"),
    row("fspick", fd(0), RET, S::Plain, E::Anon, K::Anon).in(File).printed_as("dsx"),
    row("move_mount", fd(0, 2)).in(File).printed_as("dsdsx"),
    row("socket", 0, RET, S::Plain, E::Socket).in(Network),
    row("socketpair", 0, NO, S::PairArray, E::SocketPair, K::Unknown, 3).in(Network),
    row("pipe", 0, NO, S::PairArray, E::Pipe),
    row("pipe2", 0, NO, S::PairArray, E::Pipe),
    row("accept", fd(0), RET, S::Plain, E::Accept).in(Network).waits_as(W::Accept),
    row("accept4", fd(0), RET, S::Plain, E::Accept).in(Network).waits_as(W::Accept),
    row("dup", fd(0), RET, S::Plain, E::Dup).printed_as("f"),
    row("dup2", fd(0, 1), RET, S::Plain, E::Dup2).printed_as("ff"),
    row("dup3", fd(0, 1), RET, S::Plain, E::Dup2),
    row("fcntl", fd(0), NO, S::Fcntl, E::Fcntl).waits_as(W::Lock),
    row("fcntl64", fd(0), NO, S::Fcntl, E::Fcntl),
    row("eventfd", 0, RET, S::Plain, E::Anon, K::Eventfd).printed_as("u"),
    row("eventfd2", 0, RET, S::Plain, E::Anon, K::Eventfd),
    row("epoll_create", 0, RET, S::Plain, E::Anon, K::Epoll).printed_as("i"),
    row("epoll_create1", 0, RET, S::Plain, E::Anon, K::Epoll),
    row("timerfd_create", 0, RET, S::Plain, E::Anon, K::Timerfd),
    row("signalfd", fd(0), RET, S::Plain, E::Anon, K::Signalfd).in(Signal),
    row("signalfd4", fd(0), RET, S::Plain, E::Anon, K::Signalfd).in(Signal),
    row("inotify_init", 0, RET, S::Plain, E::Anon, K::Inotify).printed_as(""),
    row("inotify_init1", 0, RET, S::Plain, E::Anon, K::Inotify),
    row("fanotify_init", 0, RET, S::Plain, E::Anon, K::Fanotify),
    row("io_uring_setup", 0, RET, S::Plain, E::Anon, K::IoUring).printed_as("up"),
    row("perf_event_open", fd(3), RET, S::Plain, E::Anon, K::PerfEvent),
    row("bpf", 0, NO, S::Bpf, E::Anon, K::Bpf),
    row("userfaultfd", 0, RET, S::Plain, E::Anon, K::Userfaultfd),
    row("landlock_create_ruleset", 0, RET, S::Plain, E::Anon, K::Anon).printed_as("pux"),
    row("memfd_secret", 0, RET, S::Plain, E::Anon, K::Anon).in(Memory).printed_as("x"),
    row("memfd_create", 0, RET, S::Plain, E::MemfdCreate),
    row("pidfd_open", 0, RET, S::Plain, E::PidfdOpen).in(Process),
    row("pidfd_getfd", fd(0), RET, S::Plain, E::PidfdGetfd).printed_as("ffx"),
    // --- sockets
    row("connect", fd(0), NO, S::Plain, E::Connect).in(Network).waits_as(W::Connect),
    row("bind", fd(0), NO, S::Plain, E::Bind).in(Network),
    row("listen", fd(0), NO, S::Plain, E::Listen).in(Network).printed_as("fi"),
    row("getsockname", fd(0), NO, S::Plain, E::SockName).in(Network),
    row("getpeername", fd(0), NO, S::Plain, E::PeerName).in(Network),
    row("shutdown", fd(0), NO, S::Plain, E::Reveal).in(Network),
    row("setsockopt", fd(0), NO, S::Plain, E::Reveal).in(Network),
    row("getsockopt", fd(0), NO, S::Plain, E::Reveal).in(Network),
    row("sendto", fd(0), NO, S::Plain, E::Reveal).in(Network).waits_as(W::Write),
    row("recvfrom", fd(0), NO, S::Plain, E::Reveal).in(Network).waits_as(W::Read),
    row("sendmsg", fd(0), NO, S::Msghdr, E::SendMsg).in(Network).waits_as(W::Write),
    row("recvmsg", fd(0), NO, S::Msghdr, E::RecvMsg).in(Network).waits_as(W::Read),
    row("sendmmsg", fd(0), NO, S::Msghdr, E::SendMsg).in(Network).waits_as(W::Write),
    row("recvmmsg", fd(0), NO, S::Msghdr, E::RecvMsg).in(Network).waits_as(W::Read, T::Timespec, 4),
    // --- waiting on fds
    row("poll", 0, NO, S::PollArray).waits_as(W::Poll, T::Millis, 2),
    row("ppoll", 0, NO, S::PollArray).waits_as(W::Poll, T::Timespec, 2),
    row("select", 0, NO, S::SelectSets).waits_as(W::Select, T::Timeval, 4),
    row("_newselect", 0, NO, S::SelectSets),
    row("pselect6", 0, NO, S::SelectSets).waits_as(W::Select, T::Timespec, 4),
    row("epoll_ctl", fd(0, 2), NO, S::EpollCtl, E::EpollCtl),
    row("epoll_wait", fd(0), NO, S::EpollWait, E::Reveal).waits_as(W::EpollWait, T::Millis, 3),
    row("epoll_pwait", fd(0), NO, S::EpollWait, E::Reveal).waits_as(W::EpollWait, T::Millis, 3),
    row("epoll_pwait2", fd(0), NO, S::EpollWait, E::Reveal).waits_as(W::EpollWait, T::Timespec, 3),
    // --- the fd table itself
    row("close", fd(0), NO, S::Plain, E::Close).printed_as("f"),
    row("close_range", 0, NO, S::Plain, E::CloseRange),
    row("clone", 0, NO, S::Plain, E::Clone).in(Process),
    row("clone3", 0, NO, S::Plain, E::Clone).in(Process),
    row("fork", 0, NO, S::Plain, E::Clone).in(Process).printed_as(""),
    row("vfork", 0, NO, S::Plain, E::Clone).in(Process).printed_as(""),
    row("exit", 0, NO, S::Plain, E::Exit).in(Process).printed_as("i"),
    row("exit_group", 0, NO, S::Plain, E::Exit).in(Process).printed_as("i"),
    // --- calls with no fd, here for their classes, how they wait and how they print
    row("access").in(File),
    row("acct").in(File).takes(1),
    row("adjtimex").in(Clock),
    row("alarm").printed_as("n"),
    row("brk").in(Memory).printed_as("p", ADDRESS),
    row("capget").in(Creds).takes(2),
    row("capset").in(Creds).takes(2),
    row("chmod").in(File).printed_as("so"),
    row("chown").in(File).printed_as("sUU"),
    row("chown32").in(File),
    row("chroot").in(File).takes(1),
    row("clock_adjtime").in(Clock),
    row("clock_adjtime64").in(Clock),
    row("clock_getres").in(Clock).takes(2),
    row("clock_getres_time64").in(Clock),
    row("clock_gettime").in(Clock).takes(2),
    row("clock_gettime64").in(Clock),
    row("clock_nanosleep").waits_as(W::Sleep, T::ClockNanosleep, 2),
    row("clock_settime").in(Clock),
    row("clock_settime64").in(Clock),
    row("fchmodat2").in(File),
    row("futex").waits_as(W::Futex, T::Futex, 3),
    row("get_mempolicy").in(Memory),
    row("get_robust_list").takes(3),
    row("getcpu").takes(3),
    row("getegid").in(Creds | Pure).printed_as(""),
    row("getegid32").in(Creds | Pure),
    row("geteuid").in(Creds | Pure).printed_as(""),
    row("geteuid32").in(Creds | Pure),
    row("getgid").in(Creds | Pure).printed_as(""),
    row("getgid32").in(Creds | Pure),
    row("getgroups").in(Creds).takes(2),
    row("getgroups32").in(Creds),
    row("getitimer").takes(2),
    row("getpgid").takes(1),
    row("getpgrp").in(Pure).printed_as(""),
    row("getpid").in(Pure).printed_as(""),
    row("getppid").in(Pure).printed_as(""),
    row("getpriority").takes(2),
    row("getresgid").in(Creds).takes(3),
    row("getresgid32").in(Creds),
    row("getresuid").in(Creds).takes(3),
    row("getresuid32").in(Creds),
    row("getrlimit").takes(2),
    row("getrusage").takes(2),
    row("getsid").takes(1),
    row("gettid").in(Pure).printed_as(""),
    row("gettimeofday").in(Clock).takes(2),
    row("getuid").in(Creds | Pure).printed_as(""),
    row("getuid32").in(Creds | Pure),
    row("getxattr").in(File),
    row("io_destroy").takes(1),
    row("io_setup").takes(2),
    row("ipc").in(Ipc),
    row("kcmp").takes(5),
    row("kill").in(Process | Signal).printed_as("ig"),
    row("lchown").in(File).printed_as("sUU"),
    row("lchown32").in(File),
    row("lgetxattr").in(File),
    row("link").in(File).printed_as("ss"),
    row("listxattr").in(File).takes(3),
    row("llistxattr").in(File).takes(3),
    row("lremovexattr").in(File),
    row("lsetxattr").in(File).takes(5),
    row("lstat").in(File | Lstat | AnyStat),
    row("lstat64").in(File | Lstat | AnyStat),
    row("madvise").in(Memory),
    row("mbind").in(Memory),
    row("membarrier").takes(3),
    row("migrate_pages").in(Memory),
    row("mincore").in(Memory).takes(3),
    row("mkdir").in(File).printed_as("so"),
    row("mknod").in(File).takes(3),
    row("mlock").in(Memory).takes(2),
    row("mlock2").in(Memory),
    row("mlockall").in(Memory).takes(1),
    row("mount").in(File).takes(5),
    row("mount_setattr").in(File),
    row("move_pages").in(Memory),
    row("mprotect").in(Memory),
    row("mq_open").takes(4),
    row("mremap").in(Memory),
    row("msgctl").in(Ipc).takes(3),
    row("msgget").in(Ipc).takes(2),
    row("msgrcv").in(Ipc).takes(5),
    row("msgsnd").in(Ipc).takes(4),
    row("msync").in(Memory).takes(3),
    row("munlock").in(Memory).takes(2),
    row("munlockall").in(Memory).takes(0),
    row("munmap").in(Memory).printed_as("pu"),
    row("nanosleep").waits_as(W::Sleep, T::Timespec, 0),
    row("oldlstat").in(File | Lstat | AnyStat),
    row("oldstat").in(File | Stat | AnyStat),
    row("pause").in(Signal).waits_as(W::WaitSignal).takes(0),
    row("personality").takes(1),
    row("pivot_root").in(File),
    row("pkey_alloc").in(Memory).takes(2),
    row("pkey_free").in(Memory).takes(1),
    row("pkey_mprotect").in(Memory),
    row("prctl").takes(5),
    row("process_mrelease").in(Memory),
    row("process_vm_readv").takes(6),
    row("process_vm_writev").takes(6),
    row("ptrace").takes(4),
    row("quotactl").in(File),
    row("readlink").in(File),
    row("reboot").takes(4),
    row("remap_file_pages").in(Memory),
    row("removexattr").in(File),
    row("restart_syscall").waits_as(W::Restart),
    row("rt_sigaction").in(Signal),
    row("rt_sigpending").in(Signal).takes(2),
    row("rt_sigprocmask").in(Signal),
    row("rt_sigqueueinfo").in(Process | Signal).takes(3),
    row("rt_sigreturn").in(Signal).takes(0),
    row("rt_sigsuspend").in(Signal).waits_as(W::WaitSignal).takes(2),
    row("rt_sigtimedwait").in(Signal).waits_as(W::WaitSignal, T::Timespec, 2).takes(4),
    row("rt_sigtimedwait_time64").in(Signal),
    row("rt_tgsigqueueinfo").in(Process | Signal),
    row("sched_get_priority_max").takes(1),
    row("sched_get_priority_min").takes(1),
    row("sched_getaffinity").takes(3),
    row("sched_getparam").takes(2),
    row("sched_getscheduler").takes(1),
    row("sched_setaffinity").takes(3),
    row("sched_setparam").takes(2),
    row("sched_setscheduler").takes(3),
    row("sched_yield").printed_as(""),
    row("seccomp").takes(3),
    row("semctl").in(Ipc).takes(4),
    row("semget").in(Ipc).takes(3),
    row("semop").in(Ipc).takes(3),
    row("semtimedop").in(Ipc),
    row("semtimedop_time64").in(Ipc),
    row("set_mempolicy").in(Memory),
    row("set_mempolicy_home_node").in(Memory),
    row("set_robust_list").printed_as("pu"),
    row("set_tid_address").printed_as("p"),
    row("setdomainname").takes(2),
    row("setfsgid").in(Creds),
    row("setfsgid32").in(Creds),
    row("setfsuid").in(Creds),
    row("setfsuid32").in(Creds),
    row("setgid").in(Creds).printed_as("i"),
    row("setgid32").in(Creds),
    row("setgroups").in(Creds).takes(2),
    row("setgroups32").in(Creds),
    row("sethostname").takes(2),
    row("setitimer").takes(3),
    row("setpgid").takes(2),
    row("setpriority").takes(3),
    row("setregid").in(Creds).printed_as("ii"),
    row("setregid32").in(Creds),
    row("setresgid").in(Creds).printed_as("iii"),
    row("setresgid32").in(Creds),
    row("setresuid").in(Creds).printed_as("iii"),
    row("setresuid32").in(Creds),
    row("setreuid").in(Creds).printed_as("ii"),
    row("setreuid32").in(Creds),
    row("setrlimit").takes(2),
    row("setsid").takes(0),
    row("settimeofday").in(Clock),
    row("setuid").in(Creds).printed_as("i"),
    row("setuid32").in(Creds),
    row("setxattr").in(File).takes(5),
    row("shmat").in(Ipc | Memory).takes(3),
    row("shmctl").in(Ipc).takes(3),
    row("shmdt").in(Ipc | Memory).takes(1),
    row("shmget").in(Ipc).takes(3),
    row("sigaction").in(Signal),
    row("sigaltstack").in(Signal).takes(2),
    row("signal").in(Signal),
    row("sigpending").in(Signal),
    row("sigprocmask").in(Signal),
    row("sigreturn").in(Signal),
    row("sigsuspend").in(Signal),
    row("socketcall").in(Network),
    row("stat").in(File | Stat | AnyStat),
    row("stat64").in(File | Stat | AnyStat),
    row("statfs").in(File | Statfs | AnyStatfs),
    row("statfs64").in(File | Statfs | AnyStatfs),
    row("statmount").takes(4),
    row("stime").in(Clock),
    row("swapoff").in(File).takes(1),
    row("swapon").in(File).takes(2),
    row("symlink").in(File).printed_as("ss"),
    row("sync").takes(0),
    row("sysinfo").takes(1),
    row("syslog").takes(3),
    row("tgkill").in(Process | Signal).printed_as("iig"),
    row("time").in(Clock).takes(1),
    row("times").takes(1),
    row("tkill").in(Process | Signal).printed_as("ig"),
    row("truncate").in(File).printed_as("sl"),
    row("truncate64").in(File),
    row("umask").takes(1),
    row("umount").in(File),
    row("umount2").in(File).takes(2),
    row("unshare").in(Process).printed_as("x"),
    row("uselib").in(File),
    row("ustat").in(AnyStatfs),
    row("utime").in(File).takes(2),
    row("utimes").in(File).takes(2),
    row("vhangup").takes(0),
    row("wait4").in(Process).waits_as(W::WaitChild),
    row("waitid").in(Process).waits_as(W::WaitChild).takes(5),
    row("waitpid").in(Process),
};
// clang-format on

// Names that 32-bit and old-ABI tracees (i386, ARM, MIPS o32 ...) and older
// strace versions print for calls that take their fds where the call they
// stand for does: the same row serves both (so replay sees the one name).
struct Alias {
    std::string_view name;
    std::string_view same_as;
    bool in_classes = true;  // strace's -e trace=%CLASS takes this name too
};

constexpr Alias kAliases[] = {
    {"fstat64", "fstat"},
    {"oldfstat", "fstat"},
    {"fstatat64", "newfstatat"},
    {"mmap2", "mmap"},
    {"old_mmap", "mmap", false},  // i386's old mmap: strace prints and filters it as "mmap"
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

const SyscallSignature* find_syscall_row(std::string_view name) noexcept {
    static const Index index;  // immutable after construction
    auto it = index.by_name.find(name);
    return it == index.by_name.end() ? nullptr : it->second;
}

const SyscallSignature* find_syscall(std::string_view name) noexcept {
    const SyscallSignature* row = find_syscall_row(name);
    if (!row) return nullptr;
    const bool fd_business = row->fd_args != 0 || row->returns_fd || row->shape != FdShape::Plain ||
                             row->effect != FdEffect::None;
    return fd_business ? row : nullptr;
}

std::span<const SyscallSignature> all_syscall_signatures() noexcept { return kSignatures; }

std::vector<std::string_view> syscalls_in_classes(std::uint32_t bits) {
    std::vector<std::string_view> names;
    for (const auto& signature : kSignatures)
        if (signature.classes & bits) names.push_back(signature.name);
    for (const auto& alias : kAliases) {
        const SyscallSignature* target = find_syscall_row(alias.same_as);
        if (alias.in_classes && target && (target->classes & bits)) names.push_back(alias.name);
    }
    return names;
}

bool creates_fds(const SyscallSignature& signature) noexcept {
    return signature.returns_fd || signature.effect == FdEffect::Pipe ||
           signature.effect == FdEffect::SocketPair || signature.shape == FdShape::Bpf;
}

bool takes_or_makes_fd(const SyscallSignature& signature) noexcept {
    return signature.fd_args != 0 || creates_fds(signature) || signature.shape != FdShape::Plain ||
           signature.effect == FdEffect::CloseRange;
}

}  // namespace fdtrace
