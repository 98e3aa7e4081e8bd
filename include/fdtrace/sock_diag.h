// SockDiag: what a socket inode is (addresses, state, unix path and peer,
// netlink protocol), asked of the kernel through NETLINK_SOCK_DIAG *inside the
// network namespace of the process holding it*, so a process in a container
// or under `unshare --net` resolves without nsenter. Falls back to
// /proc/PID/net/* (which already shows PID's namespace) when sock_diag cannot
// be used: a family without diag support, or no right to enter the namespace.
//
// Lookups are by inode in one cached dump per (network namespace, socket
// table). A dump is refreshed when the inode asked for is not in it; a socket
// that is in it keeps the state it had when the dump was taken until
// invalidate() (or Options::max_age) says otherwise.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fdtrace/fd_identity.h"
#include "fdtrace/sys_error.h"

namespace fdtrace {

// The kernel's socket tables: one sock_diag dump, or one /proc/net file, each.
enum class SocketTable : std::uint8_t { Tcp, Tcp6, Udp, Udp6, Raw, Raw6, Unix, Netlink, Packet };
inline constexpr std::size_t kSocketTableCount = 9;

// The table a socket lives in, from the name the kernel gives its protocol
// (the "system.sockprotoname" xattr of /proc/PID/fd/N: "TCP", "UDPv6",
// "UNIX-STREAM", "NETLINK", ...); nullopt for protocols without a table here.
std::optional<SocketTable> socket_table_from_protocol_name(std::string_view name) noexcept;
FdKind socket_table_kind(SocketTable table) noexcept;
// "tcp", "udp6", "unix", ... as in /proc/net.
std::string_view socket_table_name(SocketTable table) noexcept;

// An inet address and port; IPv4 is kept as v4-mapped IPv6 (::ffff:a.b.c.d)
// so that both ends of a v4 connection seen by a v6 socket compare equal.
struct SocketEndpoint {
    std::array<std::uint8_t, 16> address{};
    std::uint16_t port = 0;  // host byte order
    bool operator==(const SocketEndpoint&) const = default;

    static SocketEndpoint from_ipv4(const void* address_network_order, std::uint16_t port);
    static SocketEndpoint from_ipv6(const void* address_network_order, std::uint16_t port);
    bool is_ipv4() const noexcept;
    bool is_any() const noexcept;  // 0.0.0.0 or ::
    bool is_loopback() const noexcept;
    // "1.2.3.4:80", "[::1]:80"; a v4-mapped address prints as IPv4 only when
    // `as_ipv4` (the socket is AF_INET), so a v6 socket shows "[::ffff:1.2.3.4]:80".
    std::string text(bool as_ipv4) const;
};

enum class SocketSource : std::uint8_t { SockDiag, ProcNet };

// What the kernel reports about one socket.
struct SocketInfo {
    std::uint64_t inode = 0;
    SocketTable table = SocketTable::Tcp;
    FdKind kind = FdKind::Socket;
    // InetDetails (tcp, udp, raw), UnixDetails (own path only: peer_path is
    // filled by ProcResolver), NetlinkDetails, or for packet sockets
    // AnonDetails{"", "type=RAW protocol=ALL ifindex=2"}.
    FdDetails details;
    int state = 0;                       // the kernel's TCP_* state number (unix, udp use it too)
    SocketEndpoint local;                // inet only
    SocketEndpoint remote;               // inet only
    std::uint64_t bound_file_inode = 0;  // unix: inode of the socket file, 0 if none/unknown
    SocketSource source = SocketSource::SockDiag;
};

class SockDiag {
  public:
    struct Options {
        // false: always read /proc/PID/net (tests of the fallback use it).
        bool use_sock_diag = true;
        // A cached dump older than this is refreshed before use; nullopt keeps
        // dumps until invalidate() or a miss.
        std::optional<std::chrono::milliseconds> max_age;
    };

    SockDiag() = default;
    explicit SockDiag(Options options) : options_(options) {}

    // The socket with this inode, as seen in pid's network namespace. `table`
    // narrows the search (from socket_table_from_protocol_name); without it,
    // every table is searched.
    std::optional<SocketInfo> find(int pid, std::uint64_t inode,
                                   std::optional<SocketTable> table = std::nullopt);

    // The other end of a connection when both ends are in pid's namespace:
    // for unix sockets the peer, for tcp/udp the socket whose local and remote
    // addresses are this one's remote and local (loopback, or the host talking
    // to itself). nullopt for remote hosts, listeners, unconnected sockets.
    std::optional<SocketInfo> find_other_end(int pid, const SocketInfo& socket);

    // The listening socket a connected tcp or unix stream socket was connected
    // to (port / path match), when it is in pid's namespace: until accept(),
    // its owner is the process at the other end.
    std::optional<SocketInfo> find_listener(int pid, const SocketInfo& socket);

    // Every socket of `table` in pid's network namespace: the cached dump, or
    // one taken now; nullptr when neither sock_diag nor /proc/PID/net answer.
    // Valid until the next call that may dump.
    const std::vector<SocketInfo>* sockets_in(int pid, SocketTable table);

    // Inode of pid's network namespace: the cache key.
    static Result<std::uint64_t> network_namespace(int pid);

    // Forget every cached dump: the next lookup asks the kernel again.
    void invalidate() noexcept { namespaces_.clear(); }

    // Between begin_batch() and end_batch() a dump taken during the batch is
    // final: a miss does not dump again. A snapshot of a process with many
    // sockets then dumps each table once (a TCP dump walks the whole
    // established hash: milliseconds, however few sockets there are).
    void begin_batch() { batch_start_ = std::chrono::steady_clock::now(); }
    void end_batch() noexcept { batch_start_.reset(); }

  private:
    struct TableDump {
        std::chrono::steady_clock::time_point taken;
        std::vector<SocketInfo> sockets;
        std::unordered_map<std::uint64_t, std::size_t> by_inode;
    };
    using NamespaceDumps = std::array<std::optional<TableDump>, kSocketTableCount>;

    const TableDump* cached(std::uint64_t netns, SocketTable table) const;
    const TableDump* refresh(int pid, std::uint64_t netns, SocketTable table);
    // The first socket in `tables` that `matches`: from the cached dumps (a
    // table never dumped is dumped now), then, if none matched and
    // `may_refresh`, from fresh dumps.
    std::optional<SocketInfo> find_matching(int pid, std::span<const SocketTable> tables,
                                            const std::function<bool(const SocketInfo&)>& matches,
                                            bool may_refresh);

    // Whether a miss in `dump` may be answered by dumping again.
    bool may_redump(const TableDump* dump) const noexcept;

    Options options_;
    std::unordered_map<std::uint64_t, NamespaceDumps> namespaces_;  // by netns inode
    std::optional<std::chrono::steady_clock::time_point> batch_start_;
};

}  // namespace fdtrace
