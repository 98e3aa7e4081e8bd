#include "fdtrace/fd_identity.h"

#include <array>

namespace fdtrace {
namespace {

struct KindName {
    FdKind kind;
    std::string_view name;   // the JSON contract's (shared/DESIGN.md, "kind")
    std::string_view label;  // how text introduces it: strace -yy's name where it has one
    // The kernel's name of an anon-inode kind: its /proc/PID/fd link reads
    // "anon_inode:NAME" (fs/anon_inodes.c callers), and strace -yy prints it.
    std::string_view anon_inode = {};
};

constexpr KindName kKindNames[] = {
    {FdKind::Unknown, "unknown", "?"},
    {FdKind::File, "file", "file"},
    {FdKind::Dir, "dir", "dir"},
    {FdKind::Chr, "chr", "chr"},
    {FdKind::Blk, "blk", "blk"},
    {FdKind::Fifo, "fifo", "fifo"},
    {FdKind::Pipe, "pipe", "pipe"},
    {FdKind::Tcp, "tcp", "TCP"},
    {FdKind::Tcp6, "tcp6", "TCPv6"},
    {FdKind::Udp, "udp", "UDP"},
    {FdKind::Udp6, "udp6", "UDPv6"},
    {FdKind::Unix, "unix", "UNIX"},
    {FdKind::Netlink, "netlink", "NETLINK"},
    {FdKind::Packet, "packet", "PACKET"},
    {FdKind::Raw, "raw", "RAW"},
    {FdKind::Socket, "socket", "socket"},
    {FdKind::Eventfd, "eventfd", "eventfd", "[eventfd]"},
    {FdKind::Epoll, "epoll", "epoll", "[eventpoll]"},
    {FdKind::Timerfd, "timerfd", "timerfd", "[timerfd]"},
    {FdKind::Signalfd, "signalfd", "signalfd", "[signalfd]"},
    {FdKind::Inotify, "inotify", "inotify", "inotify"},
    {FdKind::Fanotify, "fanotify", "fanotify", "[fanotify]"},
    {FdKind::Pidfd, "pidfd", "pidfd", "[pidfd]"},
    {FdKind::Memfd, "memfd", "memfd"},
    {FdKind::IoUring, "io_uring", "io_uring", "[io_uring]"},
    {FdKind::PerfEvent, "perf_event", "perf_event", "[perf_event]"},
    {FdKind::Bpf, "bpf", "bpf"},
    {FdKind::Userfaultfd, "userfaultfd", "userfaultfd", "[userfaultfd]"},
    {FdKind::Namespace, "namespace", "namespace"},
    {FdKind::Anon, "anon", "anon_inode"},
};

// The links under /proc/PID/ns (fs/nsfs.c, each namespace's proc_ns_operations).
constexpr std::string_view kNamespaceTypes[] = {
    "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children",
    "user",   "uts",
};

}  // namespace

bool is_namespace_type(std::string_view type) noexcept {
    for (std::string_view known : kNamespaceTypes)
        if (type == known) return true;
    return false;
}

std::string_view kind_name(FdKind kind) noexcept {
    for (const auto& row : kKindNames)
        if (row.kind == kind) return row.name;
    return "unknown";
}

std::string_view kind_label(FdKind kind) noexcept {
    for (const auto& row : kKindNames)
        if (row.kind == kind) return row.label;
    return "?";
}

std::string_view anon_inode_name(FdKind kind) noexcept {
    for (const auto& row : kKindNames)
        if (row.kind == kind) return row.anon_inode;
    return {};
}

FdKind anon_inode_kind(std::string_view name) noexcept {
    for (const auto& row : kKindNames)
        if (!row.anon_inode.empty() && row.anon_inode == name) return row.kind;
    // bpf-map, bpf-prog, bpf_link, bpf_iter, bpf-token: the kernel is not
    // consistent about '-' and '_'.
    if (name.starts_with("bpf-") || name.starts_with("bpf_")) return FdKind::Bpf;
    return FdKind::Anon;
}

std::optional<FdKind> kind_from_name(std::string_view name) noexcept {
    for (const auto& row : kKindNames)
        if (row.name == name) return row.kind;
    return std::nullopt;
}

std::string_view source_name(FdSource source) noexcept {
    switch (source) {
        case FdSource::Log:
            return "log";
        case FdSource::Live:
            return "live";
        case FdSource::Inherited:
            return "inherited";
        case FdSource::Unknown:
            break;
    }
    return "unknown";
}

bool is_inet_kind(FdKind kind) noexcept {
    return kind == FdKind::Tcp || kind == FdKind::Tcp6 || kind == FdKind::Udp ||
           kind == FdKind::Udp6 || kind == FdKind::Raw;
}

bool is_socket_kind(FdKind kind) noexcept {
    return is_inet_kind(kind) || kind == FdKind::Unix || kind == FdKind::Netlink ||
           kind == FdKind::Packet || kind == FdKind::Socket;
}

}  // namespace fdtrace
