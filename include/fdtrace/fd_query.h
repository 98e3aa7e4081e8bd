// FdQuery: `fdtrace fds` over many processes, or all of them: which
// processes (pids, lsof's -c COMM and -u USER) and which of their fds
// (FdFilter). A query for sockets by port, host or state is answered from one
// socket-table dump per network namespace matched against the socket inodes
// found in /proc/*/fd, in every network namespace on the host, not by
// resolving every fd of every process.
#pragma once

#include <sys/types.h>

#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/fd_snapshot.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/sys_error.h"

namespace fdtrace {

// -c COMM, as lsof: the command name (/proc/PID/comm) begins with `text`, or
// matches /REGEX/ (/REGEX/i ignores case); ^COMM excludes.
struct CommandSelector {
    std::string text;
    std::optional<std::regex> regex;
    bool exclude = false;
};

// -u USER[,USER...], as lsof: login names or uids of the process's owner (the
// owner of /proc/PID); ^USER excludes.
struct UserSelector {
    uid_t uid = 0;
    bool exclude = false;
};

// Included when it matches any inclusion of a kind (if there are any) and no
// exclusion; commands and users combine with AND.
struct ProcessFilter {
    std::vector<CommandSelector> commands;
    std::vector<UserSelector> users;
    bool empty() const noexcept { return commands.empty() && users.empty(); }
};

std::optional<CommandSelector> parse_command_selector(std::string_view text, std::string& error);
std::optional<std::vector<UserSelector>> parse_user_selectors(std::string_view text,
                                                              std::string& error);
bool process_matches(const ProcessFilter& filter, std::string_view comm, uid_t owner);

// A process that was asked for by pid and could not be read.
struct ProcessError {
    int pid = 0;
    SysError error;
};

struct FdQueryResult {
    std::vector<FdSnapshot> snapshots;  // by pid; processes without matching fds left out
    std::vector<ProcessError> errors;   // explicit pids only: others that vanish are skipped
};

// `pids` empty: every process on the host. Each explicit pid that is gone or
// unreadable is an entry in `errors`; the others are still listed.
FdQueryResult query_fds(ProcResolver& resolver, std::span<const int> pids,
                        const ProcessFilter& processes, const FdFilter& fds);

}  // namespace fdtrace
