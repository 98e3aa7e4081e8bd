#include "fdtrace/sock_diag.h"

#include <array>

#include "src/resolve/proc_files.h"
#include "src/resolve/proc_net.h"
#include "src/resolve/sock_diag_netlink.h"

namespace fdtrace {

namespace {

constexpr int kTcpListen = 10;

constexpr std::array<SocketTable, kSocketTableCount> kAllTables = {
    SocketTable::Tcp,  SocketTable::Tcp6,    SocketTable::Udp,
    SocketTable::Udp6, SocketTable::Raw,     SocketTable::Raw6,
    SocketTable::Unix, SocketTable::Netlink, SocketTable::Packet};
constexpr std::array<SocketTable, 2> kTcpTables = {SocketTable::Tcp, SocketTable::Tcp6};
constexpr std::array<SocketTable, 2> kUdpTables = {SocketTable::Udp, SocketTable::Udp6};
constexpr std::array<SocketTable, 1> kUnixTable = {SocketTable::Unix};

std::span<const SocketTable> connection_tables(SocketTable table) {
    switch (table) {
        case SocketTable::Tcp:
        case SocketTable::Tcp6:
            return kTcpTables;
        case SocketTable::Udp:
        case SocketTable::Udp6:
            return kUdpTables;
        default:
            return {};
    }
}

Result<std::vector<SocketInfo>> dump_table(int pid, SocketTable table, bool use_sock_diag) {
    if (use_sock_diag) {
        if (auto diag_socket = open_sock_diag_socket(pid)) {
            if (auto sockets = sock_diag_dump(diag_socket->get(), table)) return sockets;
        }
        // No diag support for this family in the kernel, or no right to enter
        // pid's namespace: /proc/PID/net lists the same sockets, with less
        // detail (no unix peers).
    }
    return read_proc_net(pid, table);
}

// Only a connection to this host can have its other end (or its listener)
// in the dump: loopback, or the host talking to its own address.
bool connects_to_this_host(const SocketInfo& socket) {
    return socket.remote.port != 0 &&
           (socket.remote.is_loopback() || socket.remote.address == socket.local.address);
}

const std::string* unix_path(const SocketInfo& socket) {
    const auto* details = std::get_if<UnixDetails>(&socket.details);
    return details ? &details->path : nullptr;
}

}  // namespace

Result<std::uint64_t> SockDiag::network_namespace(int pid) {
    return inode_of(proc_fd_table_path(pid, "ns/net"));
}

const SockDiag::TableDump* SockDiag::cached(std::uint64_t netns, SocketTable table) const {
    auto dumps = namespaces_.find(netns);
    if (dumps == namespaces_.end()) return nullptr;
    const auto& dump = dumps->second[static_cast<std::size_t>(table)];
    if (!dump) return nullptr;
    if (options_.max_age && std::chrono::steady_clock::now() - dump->taken > *options_.max_age) {
        return nullptr;
    }
    return &*dump;
}

bool SockDiag::may_redump(const TableDump* dump) const noexcept {
    return !(dump && batch_start_ && dump->taken >= *batch_start_);
}

const SockDiag::TableDump* SockDiag::refresh(int pid, std::uint64_t netns, SocketTable table) {
    auto sockets = dump_table(pid, table, options_.use_sock_diag);
    if (!sockets) return nullptr;
    TableDump dump;
    dump.taken = std::chrono::steady_clock::now();
    dump.sockets = std::move(*sockets);
    for (std::size_t i = 0; i < dump.sockets.size(); ++i) {
        dump.by_inode.emplace(dump.sockets[i].inode, i);
    }
    auto& slot = namespaces_[netns][static_cast<std::size_t>(table)];
    slot = std::move(dump);
    return &*slot;
}

const std::vector<SocketInfo>* SockDiag::sockets_in(int pid, SocketTable table) {
    auto netns = network_namespace(pid);
    if (!netns) return nullptr;
    const TableDump* dump = cached(*netns, table);
    if (!dump) dump = refresh(pid, *netns, table);
    return dump ? &dump->sockets : nullptr;
}

std::optional<SocketInfo> SockDiag::find(int pid, std::uint64_t inode,
                                         std::optional<SocketTable> table) {
    auto netns = network_namespace(pid);
    if (!netns) return std::nullopt;
    std::span<const SocketTable> tables = kAllTables;
    if (table) tables = std::span<const SocketTable>(&*table, 1);
    auto lookup = [inode](const TableDump* dump) -> std::optional<SocketInfo> {
        if (!dump) return std::nullopt;
        auto found = dump->by_inode.find(inode);
        if (found == dump->by_inode.end()) return std::nullopt;
        return dump->sockets[found->second];
    };
    for (SocketTable each : tables) {
        if (auto socket = lookup(cached(*netns, each))) return socket;
    }
    // A socket newer than the dump: ask again, once.
    for (SocketTable each : tables) {
        if (!may_redump(cached(*netns, each))) continue;
        if (auto socket = lookup(refresh(pid, *netns, each))) return socket;
    }
    return std::nullopt;
}

std::optional<SocketInfo> SockDiag::find_matching(
    int pid, std::span<const SocketTable> tables,
    const std::function<bool(const SocketInfo&)>& matches, bool may_refresh) {
    auto netns = network_namespace(pid);
    if (!netns) return std::nullopt;
    auto search = [&](const TableDump* dump) -> std::optional<SocketInfo> {
        if (!dump) return std::nullopt;
        for (const SocketInfo& socket : dump->sockets) {
            if (matches(socket)) return socket;
        }
        return std::nullopt;
    };
    for (SocketTable table : tables) {
        const TableDump* dump = cached(*netns, table);
        if (!dump) dump = refresh(pid, *netns, table);
        if (auto socket = search(dump)) return socket;
    }
    if (!may_refresh) return std::nullopt;
    for (SocketTable table : tables) {
        if (!may_redump(cached(*netns, table))) continue;
        if (auto socket = search(refresh(pid, *netns, table))) return socket;
    }
    return std::nullopt;
}

std::optional<SocketInfo> SockDiag::find_other_end(int pid, const SocketInfo& socket) {
    if (socket.table == SocketTable::Unix) {
        const auto* details = std::get_if<UnixDetails>(&socket.details);
        if (!details || details->peer_inode == 0) return std::nullopt;
        return find(pid, details->peer_inode, SocketTable::Unix);
    }
    auto tables = connection_tables(socket.table);
    if (tables.empty() || socket.remote.port == 0) return std::nullopt;
    auto swapped = [&socket](const SocketInfo& other) {
        return other.inode != socket.inode && other.local == socket.remote &&
               other.remote == socket.local;
    };
    // Only a connection to this host can have its other end in the dump;
    // re-dumping for every connection to a remote host would be waste.
    bool to_this_host =
        socket.remote.is_loopback() || socket.remote.address == socket.local.address;
    return find_matching(pid, tables, swapped, to_this_host);
}

std::optional<SocketInfo> SockDiag::find_listener(int pid, const SocketInfo& socket) {
    if (socket.table == SocketTable::Unix) {
        // Only a client (no name of its own) connects to a listener; the
        // listener's path is the name of its peer, the socket accept()
        // returns (or will).
        if (unix_path(socket) && !unix_path(socket)->empty()) return std::nullopt;
        std::string path;
        if (auto peer = find_other_end(pid, socket); peer && unix_path(*peer)) {
            path = *unix_path(*peer);
        }
        if (path.empty()) return std::nullopt;
        auto listening_at = [&](const SocketInfo& other) {
            return other.state == kTcpListen && unix_path(other) && *unix_path(other) == path;
        };
        return find_matching(pid, kUnixTable, listening_at, true);
    }
    if (socket.table != SocketTable::Tcp && socket.table != SocketTable::Tcp6) return std::nullopt;
    // A wildcard listener on the same port says nothing about a connection
    // to another host's port 443.
    if (!connects_to_this_host(socket)) return std::nullopt;
    auto listening_at = [&socket](const SocketInfo& other) {
        return other.state == kTcpListen && other.local.port == socket.remote.port &&
               (other.local.address == socket.remote.address || other.local.is_any());
    };
    return find_matching(pid, kTcpTables, listening_at, true);
}

}  // namespace fdtrace
