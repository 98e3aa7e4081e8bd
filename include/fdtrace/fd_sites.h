// Finding every fd number in a syscall's text: plain arguments, the return
// value, pollfd arrays, select sets, epoll data, SCM_RIGHTS, pipe pairs.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "fdtrace/syscall_event.h"
#include "fdtrace/syscall_table.h"

namespace fdtrace {

// Fills event.fds (in text order) for a parsed syscall line. `args` is the
// full argument text: for a resumed call, the unfinished part followed by this
// line's part, with `args_base` the line offset at which `args` would start
// (so sites in the unfinished part come out below event.args_offset and are
// dropped). `line` is the whole line, for existing -y annotations.
void find_fd_sites(const SyscallSignature& signature, std::string_view line, std::string_view args,
                   std::int64_t args_base, SyscallEvent& event);

// ioctl(fd, REQUEST, ...) returns a new fd for TIOCGPTPEER (the slave of a
// pty master: glibc's openpty, script, ssh) and for NS_GET_USERNS and
// NS_GET_PARENT (a namespace fd, strace's nsfs.c RVAL_FD), by name, in -X
// verbose's comment, or as -X raw's number ("0x5441").
bool ioctl_request_returns_fd(std::string_view request) noexcept;

// An ioctl request as printed: -X raw's number ("0x5441"), -X verbose's
// ("0x5441 /* TIOCGPTPEER */"), or the _IOC(DIR, TYPE, NR, SIZE) strace
// prints for a request it has no name for; nullopt for a name alone.
std::optional<unsigned long> ioctl_request_number(std::string_view request) noexcept;

// bpf(CMD, ...) returns an fd only for the commands that create one.
bool bpf_command_creates_fd(std::string_view command) noexcept;

// fcntl(fd, CMD, ...) duplicates for F_DUPFD and F_DUPFD_CLOEXEC, spelled by
// name or, in strace -X raw logs, by number ("0", "0x406", "1030").
// `cloexec` tells which.
bool fcntl_command_dups(std::string_view command, bool* cloexec = nullptr) noexcept;
// fcntl's F_SETFD by name or number ("2").
bool fcntl_command_sets_fd_flags(std::string_view command) noexcept;

// Length of a strace -y/-yy annotation starting at text[0] == '<' — nested
// "<char 1:3>" included, and a trailing "(deleted)" — or 0 if none.
std::size_t annotation_length(std::string_view text) noexcept;

}  // namespace fdtrace
