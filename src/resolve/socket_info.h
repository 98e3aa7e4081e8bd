// Building SocketInfo values from the raw fields both sources (sock_diag and
// /proc/net) provide, so names and formats are the same whichever answered.
// Internal to src/resolve.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "fdtrace/sock_diag.h"

namespace fdtrace {

// "ESTABLISHED", "LISTEN", ...; tcp keeps the kernel's names, connectionless
// sockets (udp, raw, unix datagrams) say "UNCONNECTED" for TCP_CLOSE.
std::string socket_state_name(SocketTable table, int state);
// "route", "sock_diag", "audit", ... or the number.
std::string netlink_protocol_name(int protocol);
// "STREAM", "DGRAM", "SEQPACKET" from SOCK_*; empty if unknown.
std::string unix_type_name(int type);

SocketInfo make_inet_socket(SocketTable table, std::uint64_t inode, const SocketEndpoint& local,
                            const SocketEndpoint& remote, int state, SocketSource source);
SocketInfo make_unix_socket(std::uint64_t inode, int type, int state, std::string path,
                            std::uint64_t peer_inode, SocketSource source);
SocketInfo make_netlink_socket(std::uint64_t inode, int protocol, SocketSource source);
// `protocol` is the ethertype in host byte order.
SocketInfo make_packet_socket(std::uint64_t inode, int type, int protocol, int ifindex,
                              SocketSource source);

}  // namespace fdtrace
