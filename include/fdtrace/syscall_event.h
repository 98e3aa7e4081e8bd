// SyscallEvent: what a source (strace log line or live ptrace stop) saw,
// before anything is known about the identity of its fds.
//
// All string_views point into the text the event was made from (the log line,
// or the line the live tracer rendered); the event never outlives that text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace fdtrace {

enum class EventKind : std::uint8_t { Syscall, Signal, Exit, Other, Unparsed };

std::string_view event_kind_name(EventKind kind) noexcept;

// Where an fd number sits in the line.
enum class FdRole : std::uint8_t { Arg, Ret, Pollfd, Select, Epoll, ScmRights, Pair };

std::string_view fd_role_name(FdRole role) noexcept;

struct FdSite {
    std::uint32_t offset = 0;  // of the first digit, in the line
    std::uint32_t length = 0;  // digits
    int fd = -1;
    FdRole role = FdRole::Arg;
    std::uint64_t epoll_data = 0;  // FdRole::Epoll: the registered data; fd is filled by the model
    // strace -y/-yy already annotated this fd: the "<...>" right after the
    // number (with a trailing "(deleted)" if any); empty otherwise.
    std::string_view existing_annotation;
    // A resumed call's fd that sits in its "<unfinished ...>" half, not on
    // this line: offset and length are 0, the text renderer skips it, JSON
    // keeps it (so the record with the result still names its fd).
    bool carried = false;
};

struct SyscallEvent {
    EventKind kind = EventKind::Unparsed;
    int pid = 0;                    // 0: the log has no pids (single process)
    std::string_view time;          // as printed: "15:02:30.325882", "1700000000.1", "0.000123"
    std::string_view name;          // syscall name; signal name for signals
    std::string_view args;          // between the parentheses (the part on this line)
    std::string_view ret;           // "3", "-1 ENOENT (No such file or directory)", "?"
    std::string_view duration;      // "-T": "0.000010" without the angle brackets
    std::string_view rest;          // signals: the {...} body; exits: "exited with 0", ...
    std::uint32_t args_offset = 0;  // where `args` starts in the line
    std::uint32_t ret_offset = 0;   // where `ret` starts in the line
    bool unfinished = false;        // "<unfinished ...>": args are incomplete
    bool resumed = false;           // "<... NAME resumed>": args are the tail
    bool detached = false;          // "<detached ...>": strace let go mid-call (also unfinished)
    std::optional<std::int64_t> retval;  // the numeric return value, if any
    std::string_view error;              // "ENOENT" when ret is -1 ERRNO
    int exit_status = -1;                // "+++ exited with N +++"
    std::vector<FdSite> fds;             // filled by find_fd_sites()

    bool succeeded() const noexcept { return retval && *retval >= 0 && error.empty(); }
};

}  // namespace fdtrace
