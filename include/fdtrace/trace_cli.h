// `fdtrace [-f] [-p PID]... [options] [--] [CMD ARGS...]`: the live tracer's
// command line (strace's conventions). Returns the exit status (see cli.h):
// the traced command's own, 2 for usage errors and unknown pids, 3 for
// system errors such as a refused attach.
#pragma once

#include <string>
#include <vector>

namespace fdtrace {

int run_trace(const std::vector<std::string>& args);

// The syscalls traced when -e trace= is not given: fd I/O, waiting on fds,
// socket set-up, the fd table itself, and every call that creates an fd.
std::vector<std::string> default_trace_set();

// Calls traced (not printed) whatever -e says, because they change what an
// fd is: created, closed, duplicated, (re)bound, or its path unlinked.
std::vector<std::string> fd_changing_syscalls();

}  // namespace fdtrace
