// Parsing /proc/PID/fdinfo/N text: pure functions, no I/O, so that every
// kernel format quirk is pinned down by a unit test on a fixed string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/fd_identity.h"

namespace fdtrace {

// The fdinfo header every fd has.
struct FdFlags {
    int flags = 0;  // open(2) flags as the kernel keeps them (fdinfo prints octal)
    std::uint64_t pos = 0;
    int mnt_id = 0;

    bool cloexec() const noexcept;
    int access_mode() const noexcept;  // O_RDONLY, O_WRONLY or O_RDWR
    bool operator==(const FdFlags&) const = default;
};

// One `tfd:` line of an epoll fd: an fd the epoll instance watches.
struct EpollWatch {
    int fd = -1;  // the fd number in the process that added it
    std::uint32_t events = 0;
    std::uint64_t data = 0;  // epoll_event.data as registered
    std::uint64_t inode = 0;
    bool operator==(const EpollWatch&) const = default;
};

// The value after "key:" on the first line starting with `key:`, trimmed;
// nullopt when there is no such line.
std::optional<std::string_view> fdinfo_field(std::string_view fdinfo, std::string_view key);

std::optional<FdFlags> parse_fd_flags(std::string_view fdinfo);
std::vector<EpollWatch> parse_epoll_watches(std::string_view fdinfo);

// (The kind of an "anon_inode:NAME" link: anon_inode_kind, fd_identity.h.)

// Kind and details of an anon-inode fd from its name and fdinfo text:
// AnonDetails{name, info} with `info` a short "key=value ..." summary, or
// PidfdDetails for pidfds.
struct AnonDescription {
    FdKind kind = FdKind::Anon;
    FdDetails details;
};
AnonDescription describe_anon_inode(std::string_view anon_name, std::string_view fdinfo);

// Signal names for a signalfd mask, "INT,USR1,RTMIN+2".
std::string describe_sigmask(std::uint64_t mask);

}  // namespace fdtrace
