#include "fdtrace/fd_identity.h"

#include <array>

namespace fdtrace {
namespace {

struct KindName {
    FdKind kind;
    std::string_view name;
};

// The JSON contract's names (shared/DESIGN.md, "kind").
constexpr KindName kKindNames[] = {
    {FdKind::Unknown, "unknown"},
    {FdKind::File, "file"},
    {FdKind::Dir, "dir"},
    {FdKind::Chr, "chr"},
    {FdKind::Blk, "blk"},
    {FdKind::Fifo, "fifo"},
    {FdKind::Pipe, "pipe"},
    {FdKind::Tcp, "tcp"},
    {FdKind::Tcp6, "tcp6"},
    {FdKind::Udp, "udp"},
    {FdKind::Udp6, "udp6"},
    {FdKind::Unix, "unix"},
    {FdKind::Netlink, "netlink"},
    {FdKind::Packet, "packet"},
    {FdKind::Raw, "raw"},
    {FdKind::Socket, "socket"},
    {FdKind::Eventfd, "eventfd"},
    {FdKind::Epoll, "epoll"},
    {FdKind::Timerfd, "timerfd"},
    {FdKind::Signalfd, "signalfd"},
    {FdKind::Inotify, "inotify"},
    {FdKind::Fanotify, "fanotify"},
    {FdKind::Pidfd, "pidfd"},
    {FdKind::Memfd, "memfd"},
    {FdKind::IoUring, "io_uring"},
    {FdKind::PerfEvent, "perf_event"},
    {FdKind::Bpf, "bpf"},
    {FdKind::Userfaultfd, "userfaultfd"},
    {FdKind::Namespace, "namespace"},
    {FdKind::Anon, "anon"},
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
