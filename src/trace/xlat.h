// Symbolic names of flag and enum values, as strace prints them. The tables
// (xlat.cpp) are data built from the libc and kernel headers' own constants.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fdtrace::xlat {

struct Entry {
    std::uint64_t value;
    std::string_view name;
};

// "A|B|0x40" (bits without a name in hex); `zero` when value is 0.
void append_flags(std::string& out, std::uint64_t value, std::span<const Entry> table,
                  std::string_view zero = "0");
// "NAME", or the number (decimal, or hex with `hex`) when it has no name.
void append_enum(std::string& out, std::uint64_t value, std::span<const Entry> table,
                 bool hex = false);
// The name, or empty.
std::string_view find(std::uint64_t value, std::span<const Entry> table) noexcept;

std::span<const Entry> open_access_modes();  // O_RDONLY, O_WRONLY, O_RDWR
std::span<const Entry> open_flags();         // everything but the access mode
std::span<const Entry> address_families();
std::span<const Entry> socket_types();
std::span<const Entry> socket_type_flags();  // SOCK_CLOEXEC, SOCK_NONBLOCK
std::span<const Entry> ip_protocols();
std::span<const Entry> netlink_protocols();
std::span<const Entry> message_flags();
std::span<const Entry> shutdown_modes();
std::span<const Entry> fcntl_commands();
std::span<const Entry> fd_flags();  // FD_CLOEXEC
std::span<const Entry> poll_events();
std::span<const Entry> epoll_events();
std::span<const Entry> epoll_ctl_ops();
std::span<const Entry> epoll_create_flags();
std::span<const Entry> clock_ids();
std::span<const Entry> timerfd_flags();
std::span<const Entry> eventfd_flags();
std::span<const Entry> signalfd_flags();
std::span<const Entry> inotify_flags();
std::span<const Entry> memfd_flags();
std::span<const Entry> pidfd_flags();
std::span<const Entry> close_range_flags();
std::span<const Entry> rwf_flags();
std::span<const Entry> at_flags();
std::span<const Entry> seek_whences();
std::span<const Entry> socket_levels();
std::span<const Entry> socket_options();  // SOL_SOCKET
std::span<const Entry> tcp_options();     // IPPROTO_TCP
std::span<const Entry> clone_flags();
std::span<const Entry> bpf_commands();
std::span<const Entry> signal_codes();   // si_code for any signal (SI_*)
std::span<const Entry> child_codes();    // si_code for SIGCHLD (CLD_*)
std::span<const Entry> resolve_flags();  // openat2 RESOLVE_*

// "SIGINT"; "SIGRT_3" for real-time signals; the number if unknown.
std::string signal_name(int signal);

}  // namespace fdtrace::xlat
