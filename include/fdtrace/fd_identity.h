// FdIdentity: what an fd number really is, as a value type.
//
// One identity is shared (by pointer) by every fd that refers to the same open
// file description: dup'd fds, fds copied by fork, fds passed by SCM_RIGHTS.
// Marking a file deleted or learning a socket's peer therefore shows through
// all of them, exactly as the kernel would report it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace fdtrace {

enum class FdKind : std::uint8_t {
    Unknown,
    File,
    Dir,
    Chr,
    Blk,
    Fifo,
    Pipe,
    Tcp,
    Tcp6,
    Udp,
    Udp6,
    Unix,
    Netlink,
    Packet,
    Raw,
    Socket,  // a socket whose family we do not know (yet)
    Eventfd,
    Epoll,
    Timerfd,
    Signalfd,
    Inotify,
    Fanotify,
    Pidfd,
    Memfd,
    IoUring,
    PerfEvent,
    Bpf,
    Userfaultfd,
    Namespace,  // an nsfs file: /proc/PID/ns/net, /run/netns/NAME ("net:[4026531840]")
    Anon,
};

// The namespace type of "TYPE:[inode]", the kernel's link text of an nsfs
// file (net, mnt, pid, user, uts, ipc, cgroup, time and the *_for_children
// links): true for those types only.
bool is_namespace_type(std::string_view type) noexcept;

// Where an identity came from (JSON `source`).
enum class FdSource : std::uint8_t { Unknown, Log, Live, Inherited };

// JSON names: "file", "tcp6", "perf_event", ...  and back.
std::string_view kind_name(FdKind kind) noexcept;
std::optional<FdKind> kind_from_name(std::string_view name) noexcept;
// How the text output introduces a kind: strace -yy's name where it has one
// ("TCP", "UDPv6", "UNIX", "NETLINK"), else the JSON name ("anon_inode" for
// anon); "?" for unknown.
std::string_view kind_label(FdKind kind) noexcept;
// The kernel's name for an anon-inode kind, what its fd's link reads after
// "anon_inode:" and strace -yy prints: "[eventpoll]", "[eventfd]",
// "inotify"...; empty for other kinds (and for bpf, whose names vary).
std::string_view anon_inode_name(FdKind kind) noexcept;
// And back: the kind of "anon_inode:NAME" ("bpf-map", "bpf_link" are bpf);
// FdKind::Anon for a name not known here ("[kvm-vm]").
FdKind anon_inode_kind(std::string_view name) noexcept;
std::string_view source_name(FdSource source) noexcept;
bool is_socket_kind(FdKind kind) noexcept;
bool is_inet_kind(FdKind kind) noexcept;

// Files, directories, devices, fifos; memfd names are kept here too.
struct PathDetails {
    std::string path;
    bool deleted = false;
    // A relative path: the directory fd it is relative to, when not the
    // working directory (openat(20, "x") with fd 20 unknown); -1 otherwise.
    int dirfd = -1;
    bool operator==(const PathDetails&) const = default;
};

// tcp/tcp6/udp/udp6/raw. Addresses are numeric, "1.2.3.4:80" or "[::1]:80";
// empty when unknown.
struct InetDetails {
    std::string local;
    std::string remote;
    std::string state;  // "LISTEN", "ESTABLISHED", ... or empty
    std::string error;  // why a non-blocking connect failed (SO_ERROR): "ECONNREFUSED"
    bool operator==(const InetDetails&) const = default;
};

// AF_UNIX. Paths are "/run/x.sock", "@abstract", or empty when unnamed.
struct UnixDetails {
    std::string type;              // "STREAM", "DGRAM", "SEQPACKET" or empty
    std::string path;              // the socket's own address
    std::string peer_path;         // the address it is connected to (a client's server)
    bool deleted = false;          // the path was unlinked while the socket lived
    std::uint64_t peer_inode = 0;  // 0 when unknown
    std::string state;             // "LISTEN", "ESTABLISHED", ...
    bool operator==(const UnixDetails&) const = default;
};

// Pipes: which end this is ("read", "write"; empty when unknown).
struct PipeDetails {
    std::string end;
    bool operator==(const PipeDetails&) const = default;
};

struct NetlinkDetails {
    std::string protocol;  // "route", "sock_diag", "audit", ... or empty
    bool operator==(const NetlinkDetails&) const = default;
};

struct PidfdDetails {
    int pid = 0;
    bool operator==(const PidfdDetails&) const = default;
};

// eventfd counter, epoll watched fds, signalfd mask, inotify watches... in
// fdinfo's own words; free text because it is only ever shown.
struct AnonDetails {
    std::string name;  // anon_inode name: "[eventfd]", "inotify", ...; a namespace's type: "net"
    std::string info;
    bool operator==(const AnonDetails&) const = default;
};

using FdDetails = std::variant<std::monostate, PathDetails, InetDetails, UnixDetails,
                               NetlinkDetails, PidfdDetails, AnonDetails, PipeDetails>;

// The process at the other end of a pipe, unix socket or loopback connection.
struct PeerProcess {
    int pid = 0;
    std::string comm;
    bool operator==(const PeerProcess&) const = default;
};

struct FdIdentity {
    FdKind kind = FdKind::Unknown;
    FdDetails details;
    std::optional<std::uint64_t> inode;
    std::optional<PeerProcess> peer;
    FdSource source = FdSource::Unknown;

    template <class T>
    const T* get() const noexcept {
        return std::get_if<T>(&details);
    }
    template <class T>
    T* get() noexcept {
        return std::get_if<T>(&details);
    }
    // Details of the given type, created (replacing others) if absent.
    template <class T>
    T& ensure() {
        if (auto* existing = std::get_if<T>(&details)) return *existing;
        return details.emplace<T>();
    }

    bool operator==(const FdIdentity&) const = default;
};

}  // namespace fdtrace
