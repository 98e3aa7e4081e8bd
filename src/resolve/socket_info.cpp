#include "src/resolve/socket_info.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace fdtrace {

std::optional<SocketTable> socket_table_from_protocol_name(std::string_view name) noexcept {
    if (name == "TCP") return SocketTable::Tcp;
    if (name == "TCPv6") return SocketTable::Tcp6;
    if (name == "UDP") return SocketTable::Udp;
    if (name == "UDPv6") return SocketTable::Udp6;
    if (name == "RAW") return SocketTable::Raw;
    if (name == "RAWv6") return SocketTable::Raw6;
    // Datagram and seqpacket unix sockets are "UNIX", stream ones "UNIX-STREAM".
    if (name.starts_with("UNIX")) return SocketTable::Unix;
    if (name == "NETLINK") return SocketTable::Netlink;
    if (name == "PACKET") return SocketTable::Packet;
    return std::nullopt;
}

FdKind socket_table_kind(SocketTable table) noexcept {
    switch (table) {
        case SocketTable::Tcp:
            return FdKind::Tcp;
        case SocketTable::Tcp6:
            return FdKind::Tcp6;
        case SocketTable::Udp:
            return FdKind::Udp;
        case SocketTable::Udp6:
            return FdKind::Udp6;
        case SocketTable::Raw:
        case SocketTable::Raw6:
            return FdKind::Raw;
        case SocketTable::Unix:
            return FdKind::Unix;
        case SocketTable::Netlink:
            return FdKind::Netlink;
        case SocketTable::Packet:
            return FdKind::Packet;
    }
    return FdKind::Socket;
}

std::string_view socket_table_name(SocketTable table) noexcept {
    switch (table) {
        case SocketTable::Tcp:
            return "tcp";
        case SocketTable::Tcp6:
            return "tcp6";
        case SocketTable::Udp:
            return "udp";
        case SocketTable::Udp6:
            return "udp6";
        case SocketTable::Raw:
            return "raw";
        case SocketTable::Raw6:
            return "raw6";
        case SocketTable::Unix:
            return "unix";
        case SocketTable::Netlink:
            return "netlink";
        case SocketTable::Packet:
            return "packet";
    }
    return "";
}

namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_table_ipv4(SocketTable table) {
    return table == SocketTable::Tcp || table == SocketTable::Udp || table == SocketTable::Raw;
}

std::string_view tcp_state_name(int state) {
    // The kernel's TCP_* numbering (include/net/tcp_states.h).
    static constexpr std::string_view kNames[] = {
        "",          "ESTABLISHED", "SYN_SENT",     "SYN_RECV",      "FIN_WAIT1",
        "FIN_WAIT2", "TIME_WAIT",   "CLOSE",        "CLOSE_WAIT",    "LAST_ACK",
        "LISTEN",    "CLOSING",     "NEW_SYN_RECV", "BOUND_INACTIVE"};
    if (state < 0 || static_cast<std::size_t>(state) >= std::size(kNames)) return "";
    return kNames[state];
}

std::string packet_protocol_name(int protocol) {
    switch (protocol) {
        case ETH_P_ALL:
            return "ALL";
        case ETH_P_IP:
            return "IP";
        case ETH_P_IPV6:
            return "IPV6";
        case ETH_P_ARP:
            return "ARP";
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%04x", protocol & 0xffff);
            return hex;
        }
    }
}

std::string packet_type_name(int type) {
    if (type == SOCK_RAW) return "RAW";
    if (type == SOCK_DGRAM) return "DGRAM";
    return std::to_string(type);
}

}  // namespace

SocketEndpoint SocketEndpoint::from_ipv4(const void* address_network_order, std::uint16_t port) {
    SocketEndpoint endpoint;
    std::memcpy(endpoint.address.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size());
    std::memcpy(endpoint.address.data() + 12, address_network_order, 4);
    endpoint.port = port;
    return endpoint;
}

SocketEndpoint SocketEndpoint::from_ipv6(const void* address_network_order, std::uint16_t port) {
    SocketEndpoint endpoint;
    std::memcpy(endpoint.address.data(), address_network_order, 16);
    endpoint.port = port;
    return endpoint;
}

bool SocketEndpoint::is_ipv4() const noexcept {
    return std::memcmp(address.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size()) == 0;
}

bool SocketEndpoint::is_any() const noexcept {
    const std::uint8_t* bytes = address.data() + (is_ipv4() ? 12 : 0);
    const std::uint8_t* end = address.data() + address.size();
    return std::all_of(bytes, end, [](std::uint8_t byte) { return byte == 0; });
}

bool SocketEndpoint::is_loopback() const noexcept {
    if (is_ipv4()) return address[12] == 127;
    static constexpr std::array<std::uint8_t, 16> kIpv6Loopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                                   0, 0, 0, 0, 0, 0, 0, 1};
    return address == kIpv6Loopback;
}

std::string SocketEndpoint::text(bool as_ipv4) const {
    char buffer[INET6_ADDRSTRLEN] = {};
    if (as_ipv4 && is_ipv4()) {
        ::inet_ntop(AF_INET, address.data() + 12, buffer, sizeof buffer);
        return std::string(buffer) + ':' + std::to_string(port);
    }
    ::inet_ntop(AF_INET6, address.data(), buffer, sizeof buffer);
    return '[' + std::string(buffer) + "]:" + std::to_string(port);
}

std::string socket_state_name(SocketTable table, int state) {
    constexpr int kTcpClose = 7;
    bool connectionless = table != SocketTable::Tcp && table != SocketTable::Tcp6;
    if (connectionless && state == kTcpClose) return "UNCONNECTED";
    return std::string(tcp_state_name(state));
}

std::string netlink_protocol_name(int protocol) {
    // NETLINK_* from <linux/netlink.h>; 1 and 17 are unused.
    static constexpr std::string_view kNames[] = {
        "route",         "",         "usersock", "firewall",       "sock_diag",  "nflog",
        "xfrm",          "selinux",  "iscsi",    "audit",          "fib_lookup", "connector",
        "netfilter",     "ip6_fw",   "dnrtmsg",  "kobject_uevent", "generic",    "",
        "scsitransport", "ecryptfs", "rdma",     "crypto",         "smc"};
    if (protocol >= 0 && static_cast<std::size_t>(protocol) < std::size(kNames) &&
        !kNames[protocol].empty()) {
        return std::string(kNames[protocol]);
    }
    return std::to_string(protocol);
}

std::string unix_type_name(int type) {
    switch (type) {
        case SOCK_STREAM:
            return "STREAM";
        case SOCK_DGRAM:
            return "DGRAM";
        case SOCK_SEQPACKET:
            return "SEQPACKET";
        default:
            return "";
    }
}

SocketInfo make_inet_socket(SocketTable table, std::uint64_t inode, const SocketEndpoint& local,
                            const SocketEndpoint& remote, int state, SocketSource source) {
    SocketInfo socket;
    socket.inode = inode;
    socket.table = table;
    socket.kind = socket_table_kind(table);
    socket.state = state;
    socket.local = local;
    socket.remote = remote;
    socket.source = source;
    bool ipv4 = is_table_ipv4(table);
    InetDetails details;
    details.local = local.text(ipv4);
    // A listener or an unconnected socket has no remote end: leave it empty
    // rather than print "0.0.0.0:0".
    if (!(remote.is_any() && remote.port == 0)) details.remote = remote.text(ipv4);
    details.state = socket_state_name(table, state);
    socket.details = std::move(details);
    return socket;
}

SocketInfo make_unix_socket(std::uint64_t inode, int type, int state, std::string path,
                            std::uint64_t peer_inode, SocketSource source) {
    SocketInfo socket;
    socket.inode = inode;
    socket.table = SocketTable::Unix;
    socket.kind = FdKind::Unix;
    socket.state = state;
    socket.source = source;
    UnixDetails details;
    details.type = unix_type_name(type);
    details.path = std::move(path);
    details.peer_inode = peer_inode;
    details.state = socket_state_name(SocketTable::Unix, state);
    socket.details = std::move(details);
    return socket;
}

SocketInfo make_netlink_socket(std::uint64_t inode, int protocol, SocketSource source) {
    SocketInfo socket;
    socket.inode = inode;
    socket.table = SocketTable::Netlink;
    socket.kind = FdKind::Netlink;
    socket.source = source;
    socket.details = NetlinkDetails{netlink_protocol_name(protocol)};
    return socket;
}

SocketInfo make_packet_socket(std::uint64_t inode, int type, int protocol, int ifindex,
                              SocketSource source) {
    SocketInfo socket;
    socket.inode = inode;
    socket.table = SocketTable::Packet;
    socket.kind = FdKind::Packet;
    socket.source = source;
    std::string info = "type=" + packet_type_name(type) +
                       " protocol=" + packet_protocol_name(protocol) +
                       " ifindex=" + (ifindex == 0 ? std::string("any") : std::to_string(ifindex));
    socket.details = AnonDetails{"", std::move(info)};
    return socket;
}

}  // namespace fdtrace
