// PathTrace: strace's -P PATH / --trace-path=PATH. Only calls that touch one
// of the given paths are shown; the rest are traced as usual (the fd model
// still sees them) but never printed. Signals and exits are always shown.
//
// The rules are strace 6.1's (src/pathtrace.c), decided at the call's
// entry, from its registers and the tracee's memory:
// - PATH is kept as given and, when realpath() resolves it to something
//   else, as that too ("Requested path ... resolved into ..." on stderr).
// - A path argument matches when its bytes equal a kept path exactly (no
//   resolution of the tracee's relative paths: "-P x" matches "x" but not
//   "./x"; "-P /tmp/x" matches "/tmp/x" through its realpath, not "x").
// - An fd argument matches when readlink(/proc/TID/fd/N), with a trailing
//   " (deleted)" of an unlinked file removed, equals a kept path. So an fd
//   opened on PATH, a dup of it or one inherited is traced; the test is made
//   at each call, nothing is remembered.
// - Which arguments are looked at depends on the call: both fds of dup2,
//   dup3, sendfile, tee, splice, copy_file_range; the dirfd and the path of
//   the *at calls (openat, newfstatat, statx, unlinkat, ...); both paths of
//   link, rename*, linkat, symlinkat's target; mmap's fd (arg 4); epoll_ctl's
//   fd (arg 2); every fd of a poll/ppoll array and of select/pselect6's sets;
//   fanotify_mark's dirfd and path. Calls that make an fd without taking one
//   (socket, pipe2, eventfd2, memfd_create, ...) never match. Any other call
//   of strace's classes %file (first argument a path), %desc or %network
//   (first argument an fd) is tested on its first argument; a call in none of
//   them (mprotect, exit_group, ...) never matches.
// The set of calls traced (-e trace=) is applied first; -P then narrows it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/syscall_decoder.h"

namespace fdtrace {

class PathTrace {
  public:
    // Keeps `path`, and its realpath() when that exists and differs; returns
    // the resolved path in that case (strace reports it), else nullopt.
    std::optional<std::string> add(const std::string& path);
    // No path given: every call passes (and matches() is not to be asked).
    bool empty() const noexcept { return paths_.empty(); }
    const std::vector<std::string>& paths() const noexcept { return paths_; }

    // Whether the call entering on task `tid` touches one of the paths.
    // `call.name` and `call.args` must be set.
    bool matches(int tid, const SyscallCall& call, MemoryReader& memory) const;

    // The parts of the test, for the test suite.
    bool path_matches(std::string_view path) const noexcept;
    bool fd_matches(int tid, std::int64_t fd) const;

  private:
    enum class Rule : std::uint8_t;
    static Rule rule_for(std::string_view name);
    bool string_matches(MemoryReader& memory, std::uint64_t address) const;
    bool select_sets_match(int tid, const SyscallCall& call, MemoryReader& memory) const;
    bool poll_array_matches(int tid, const SyscallCall& call, MemoryReader& memory) const;

    std::vector<std::string> paths_;
};

// What readlink(/proc/TID/fd/FD) says, as strace reads it: a trailing
// " (deleted)" is removed when the file was unlinked (the link no longer
// leads to a file at that path), kept when a file is really named so.
// nullopt if the fd is not open (or TID is gone).
std::optional<std::string> proc_fd_path(int tid, std::int64_t fd);

}  // namespace fdtrace
