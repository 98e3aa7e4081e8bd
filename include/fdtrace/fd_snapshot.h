// FdSnapshot: one process's fd table at one moment, as rows of identity plus
// the fdinfo header (open flags, offset), read through ProcResolver. The
// lsof-style filters of `fdtrace fds` are pure functions over rows, so they
// are tested on hand-made identities as well as on live processes. `leaks`
// samples the same snapshots; `stuck` resolves single fds the same way.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/fd_identity.h"
#include "fdtrace/fdinfo.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/render.h"
#include "fdtrace/sys_error.h"

namespace fdtrace {

struct FdRow {
    int fd = -1;
    FdIdentity identity;
    std::optional<FdFlags> flags;  // nullopt: fdinfo could not be read
};

struct FdSnapshot {
    int pid = 0;
    std::string comm;
    // Inode of the process's network namespace (/proc/PID/ns/net); 0 when
    // not read. Its sockets' addresses are that namespace's.
    std::uint64_t netns = 0;
    std::chrono::steady_clock::time_point taken{};
    std::vector<FdRow> rows;  // sorted by fd
};

// Whether `pid` exists and its fds may be read: nothing, or a SysError with
// errno ESRCH (no such process) or EACCES/EPERM (not ours to look at).
std::optional<SysError> check_process_access(int pid);

// pid's fd table now. Errors as check_process_access (a process that exits
// while it is read is ESRCH).
Result<FdSnapshot> take_fd_snapshot(ProcResolver& resolver, int pid);

// ---- filters (lsof's options; all given ones must match, as lsof -a) ------

// -d 3,5-7,10-: fd numbers; `last` -1 means no upper end.
struct FdRange {
    int first = 0;
    int last = -1;
    bool operator==(const FdRange&) const = default;
};

// -i[46][TCP|UDP][@host][:port]: internet sockets, optionally narrowed. The
// port may be a service name (-i:mysql), the host a name (-i@localhost).
struct InetSelector {
    int family = 0;        // 0 any, 4 or 6
    std::string protocol;  // "", "tcp" or "udp"
    std::string host;      // as typed; a numeric one canonical ("::1")
    int port = -1;         // matched against local or remote port; -1 any
    // A host name's numeric addresses (empty for a numeric host); any of them
    // matched against the local or remote address.
    std::vector<std::string> host_addresses;
    bool operator==(const InetSelector&) const = default;
};

// -s TCP:LISTEN,ESTABLISHED or -s TCP:^LISTEN (UDP and UNIX work too). State
// names are lsof's (TCP's, UDP's Unbound and Idle), ss's (ESTAB, UNCONN) and
// the kernel's; any other is an error ("unknown TCP state name: LISTN").
struct StateSelector {
    std::string protocol;             // "tcp", "udp" or "unix"
    std::vector<std::string> states;  // upper case, '-' read as '_'
    bool exclude = false;
    bool operator==(const StateSelector&) const = default;
};

struct FdFilter {
    // -i, repeatable: an fd passes if any selector matches it (lsof ORs its
    // -i options: -i:22 -i:80 lists both ports); empty: no -i.
    std::vector<InetSelector> inet;
    std::vector<StateSelector> states;
    std::vector<FdRange> fds;
    bool orphaned_only = false;  // --deleted: see is_orphaned()
    std::vector<FdKind> kinds;
};

// Option text -> filter parts; nullopt and `error` set on bad input.
std::optional<std::vector<FdRange>> parse_fd_ranges(std::string_view text, std::string& error);
std::optional<InetSelector> parse_inet_selector(std::string_view text, std::string& error);
std::optional<StateSelector> parse_state_selector(std::string_view text, std::string& error);
std::optional<std::vector<FdKind>> parse_kinds(std::string_view text, std::string& error);

// A file that was deleted, a unix socket whose path was unlinked (nobody can
// connect to it any more), or an abstract unix socket with no process at the
// other end that is not listening: what `lsof +L1` misses.
bool is_orphaned(const FdIdentity& identity);

// "LISTEN", "ESTABLISHED", ... for sockets; empty otherwise.
std::string_view identity_state(const FdIdentity& identity);

bool matches(const FdFilter& filter, const FdRow& row);
std::vector<FdRow> filter_rows(const FdFilter& filter, std::span<const FdRow> rows);

// ---- output ---------------------------------------------------------------

// "rw,cloexec,nonblock" from the fdinfo flags.
std::string flags_text(const FdFlags& flags);

// The table: PID COMMAND FD KIND IDENTITY STATE PEER FLAGS POS, one row per fd, a
// header first (nothing at all without rows). The IDENTITY column leaves the
// peer to the PEER column. When the processes are in more than one network
// namespace, a NETNS column (the namespace's inode) follows COMMAND: the same
// address means different sockets in two of them.
void render_fd_table(std::string& out, std::span<const FdSnapshot> snapshots,
                     IdentityFormatter& formatter);

// JSON Lines, one object per fd: "pid", "comm", "netns" (when known), "fd", "flags", "pos", the
// identity fields (append_identity_fields; a pidfd's target is
// "target_pid" here, "pid" being the process) and "text".
void render_fd_json(std::string& out, const FdSnapshot& snapshot, IdentityFormatter& formatter);
// One row's identity fields for a record whose "pid" is the process.
void append_process_identity_fields(std::string& out, const FdIdentity& identity);

}  // namespace fdtrace
