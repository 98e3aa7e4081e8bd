// The NETLINK_SOCK_DIAG side of SockDiag: one dump of one socket table, in
// the network namespace of a given process. Internal to src/resolve.
#pragma once

#include <vector>

#include "fdtrace/scoped_fd.h"
#include "fdtrace/sock_diag.h"
#include "fdtrace/sys_error.h"

namespace fdtrace {

// A NETLINK_SOCK_DIAG socket created inside pid's network namespace. A socket
// belongs to the namespace it was created in for its whole life, so only its
// creation has to happen there: a short-lived helper thread enters the
// namespace with setns(CLONE_NEWNET), which affects that thread alone.
Result<ScopedFd> open_sock_diag_socket(int pid);

// Dumps one table through an open sock_diag socket. Fails with ENOENT (or
// EINVAL) when the kernel has no diag support for the table's family.
Result<std::vector<SocketInfo>> sock_diag_dump(int diag_socket, SocketTable table);

}  // namespace fdtrace
