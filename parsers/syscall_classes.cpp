#include "fdtrace/syscall_classes.h"

#include <array>

namespace fdtrace {
namespace {

// %file: calls that take a file name.
constexpr std::string_view kFile[] = {
    "access",        "acct",          "chdir",          "chmod",           "chown",
    "chown32",       "chroot",        "creat",          "execve",          "execveat",
    "faccessat",     "faccessat2",    "fanotify_mark",  "fchmodat",        "fchmodat2",
    "fchownat",      "fsconfig",      "fspick",         "fstatat64",       "futimesat",
    "getcwd",        "getxattr",      "inotify_add_watch", "lchown",       "lchown32",
    "lgetxattr",     "link",          "linkat",         "listxattr",       "llistxattr",
    "lremovexattr",  "lsetxattr",     "lstat",          "lstat64",         "mkdir",
    "mkdirat",       "mknod",         "mknodat",        "mount",           "mount_setattr",
    "move_mount",    "name_to_handle_at", "newfstatat", "oldlstat",        "oldstat",
    "open",          "open_tree",     "openat",         "openat2",         "pivot_root",
    "quotactl",      "readlink",      "readlinkat",     "removexattr",     "rename",
    "renameat",      "renameat2",     "rmdir",          "setxattr",        "stat",
    "stat64",        "statfs",        "statfs64",       "statx",           "swapoff",
    "swapon",        "symlink",       "symlinkat",      "truncate",        "truncate64",
    "umount",        "umount2",       "unlink",         "unlinkat",        "uselib",
    "utime",         "utimensat",     "utimes",
};

// %process: process and thread management.
constexpr std::string_view kProcess[] = {
    "clone",         "clone3",        "execve",         "execveat",        "exit",
    "exit_group",    "fork",          "kill",           "pidfd_open",      "pidfd_send_signal",
    "rt_sigqueueinfo", "rt_tgsigqueueinfo", "tgkill",   "tkill",           "unshare",
    "vfork",         "wait4",         "waitid",         "waitpid",
};

// %signal: signal handling and sending.
constexpr std::string_view kSignal[] = {
    "kill",          "pause",         "pidfd_send_signal", "rt_sigaction",  "rt_sigpending",
    "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",   "rt_sigtimedwait",
    "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sigaction", "sigaltstack", "signal",
    "signalfd",      "signalfd4",     "sigpending",     "sigprocmask",     "sigreturn",
    "sigsuspend",    "tgkill",        "tkill",
};

// %ipc: System V IPC.
constexpr std::string_view kIpc[] = {
    "ipc",    "msgctl", "msgget", "msgrcv", "msgsnd", "semctl",
    "semget", "semop",  "semtimedop", "semtimedop_time64", "shmat", "shmctl",
    "shmdt",  "shmget",
};

// %memory: the address space.
constexpr std::string_view kMemory[] = {
    "brk",           "get_mempolicy", "madvise",        "mbind",           "memfd_secret",
    "migrate_pages", "mincore",       "mlock",          "mlock2",          "mlockall",
    "mmap",          "mmap2",         "move_pages",     "mprotect",        "mremap",
    "msync",         "munlock",       "munlockall",     "munmap",          "pkey_alloc",
    "pkey_free",     "pkey_mprotect", "process_madvise", "process_mrelease", "remap_file_pages",
    "set_mempolicy", "set_mempolicy_home_node", "shmat", "shmdt",
};

// %creds: user and group ids, capabilities.
constexpr std::string_view kCreds[] = {
    "capget",    "capset",    "getegid",   "getegid32", "geteuid",   "geteuid32",
    "getgid",    "getgid32",  "getgroups", "getgroups32", "getresgid", "getresgid32",
    "getresuid", "getresuid32", "getuid",  "getuid32",  "setfsgid",  "setfsgid32",
    "setfsuid",  "setfsuid32", "setgid",   "setgid32",  "setgroups", "setgroups32",
    "setregid",  "setregid32", "setresgid", "setresgid32", "setresuid", "setresuid32",
    "setreuid",  "setreuid32", "setuid",   "setuid32",
};

// %clock: reading and setting clocks.
constexpr std::string_view kClock[] = {
    "adjtimex",      "clock_adjtime", "clock_adjtime64", "clock_getres",  "clock_getres_time64",
    "clock_gettime", "clock_gettime64", "clock_settime", "clock_settime64", "gettimeofday",
    "settimeofday",  "stime",         "time",
};

// The stat families: %stat, %lstat, %fstat, %%stat (all of them), %statfs,
// %fstatfs, %%statfs.
constexpr std::string_view kStat[] = {"oldstat", "stat", "stat64"};
constexpr std::string_view kLstat[] = {"lstat", "lstat64", "oldlstat"};
constexpr std::string_view kFstat[] = {"fstat", "fstat64", "fstatat64", "newfstatat", "oldfstat"};
constexpr std::string_view kAnyStat[] = {"fstat",    "fstat64", "fstatat64", "lstat",  "lstat64",
                                         "newfstatat", "oldfstat", "oldlstat", "oldstat", "stat",
                                         "stat64",   "statx"};
constexpr std::string_view kStatfs[] = {"statfs", "statfs64"};
constexpr std::string_view kFstatfs[] = {"fstatfs", "fstatfs64"};
constexpr std::string_view kAnyStatfs[] = {"fstatfs", "fstatfs64", "statfs", "statfs64", "ustat"};

// %pure: no arguments, always succeed.
constexpr std::string_view kPure[] = {
    "getegid", "getegid32", "geteuid", "geteuid32", "getgid",  "getgid32",
    "getpgrp", "getpid",    "getppid", "gettid",    "getuid",  "getuid32",
};

struct SyscallClass {
    std::string_view name;
    std::span<const std::string_view> calls;
};

constexpr SyscallClass kClasses[] = {
    {"%file", kFile},       {"%process", kProcess}, {"%signal", kSignal},   {"%ipc", kIpc},
    {"%memory", kMemory},   {"%creds", kCreds},     {"%clock", kClock},     {"%stat", kStat},
    {"%lstat", kLstat},     {"%fstat", kFstat},     {"%%stat", kAnyStat},   {"%statfs", kStatfs},
    {"%fstatfs", kFstatfs}, {"%%statfs", kAnyStatfs}, {"%pure", kPure},
};

constexpr auto kClassNames = [] {
    std::array<std::string_view, std::size(kClasses)> names{};
    for (std::size_t i = 0; i < names.size(); ++i) names[i] = kClasses[i].name;
    return names;
}();

}  // namespace

std::span<const std::string_view> syscall_class(std::string_view name) noexcept {
    // strace still takes the old spellings without '%' for a few classes.
    for (const SyscallClass& entry : kClasses) {
        std::string_view bare = entry.name.substr(1);
        if (name == entry.name || (name == bare && bare.front() != '%' && bare != "stat" &&
                                   bare != "lstat" && bare != "fstat" && bare != "statfs" &&
                                   bare != "fstatfs" && bare != "pure"))
            return entry.calls;
    }
    return {};
}

std::span<const std::string_view> syscall_class_names() noexcept { return kClassNames; }

}  // namespace fdtrace
