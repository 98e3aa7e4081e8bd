// The /proc/PID/net/{tcp,tcp6,udp,udp6,raw,raw6,unix,netlink,packet} files:
// the fallback when sock_diag cannot answer. They show the network namespace
// of PID, so no namespace switching is needed. Internal to src/resolve.
#pragma once

#include <string_view>
#include <vector>

#include "fdtrace/sock_diag.h"
#include "fdtrace/sys_error.h"

namespace fdtrace {

// Pure: the sockets listed in the text of one /proc/net file. Lines that do
// not parse are skipped (the header, and anything a future kernel adds).
std::vector<SocketInfo> parse_proc_net(SocketTable table, std::string_view text);

Result<std::vector<SocketInfo>> read_proc_net(int pid, SocketTable table);

}  // namespace fdtrace
