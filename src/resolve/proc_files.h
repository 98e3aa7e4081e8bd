// Reading /proc: small files, symlinks, numeric directory listings. Every
// failure comes back as a SysError naming the path. Internal to src/resolve.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/sys_error.h"

namespace fdtrace {

// "/proc/42/fd/3" from (42, "fd/3").
std::string proc_path(int pid, std::string_view rest);
// The task whose /proc directory shows pid's fd table and namespaces: pid,
// or, when the thread-group leader has exited (state Z) and other threads
// still run, one of them (the kernel empties the leader's fd/ then, and its
// ns/ and net/ cannot be opened).
int fd_table_task(int pid);
// proc_path of pid's fd table or namespace: "fd", "fd/3", "fdinfo/3",
// "ns/net", "net/tcp" (see fd_table_task).
std::string proc_fd_table_path(int pid, std::string_view rest);
// "/proc/TASK/fd/FD" for pid's fd (see fd_table_task).
std::string proc_fd_path(int pid, int fd);

// The whole file; /proc files report size 0, so this reads until EOF.
Result<std::string> read_file(const std::string& path);
Result<std::string> read_link(const std::string& path);

// Numeric entries of a directory ("/proc", "/proc/42/fd"), sorted.
Result<std::vector<int>> list_numeric_entries(const std::string& path);

// The inode of `path` after following symlinks (stat), e.g. of /proc/42/ns/net.
Result<std::uint64_t> inode_of(const std::string& path);

// /proc/PID/comm without the newline; empty if the process is gone.
std::string read_comm(int pid);

// Thread group id of a pid or tid (from /proc/PID/status); `pid` itself when
// it cannot be read.
int thread_group_of(int pid);

// The parent's pid, from /proc/PID/stat; 0 when unknown.
int parent_of(int pid);

// Children of every thread of pid, from /proc/PID/task/*/children (absent
// without CONFIG_PROC_CHILDREN: then empty).
std::vector<int> children_of(int pid);

}  // namespace fdtrace
