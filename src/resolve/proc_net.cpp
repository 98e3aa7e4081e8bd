#include "src/resolve/proc_net.h"

#include <netinet/tcp.h>

#include <cstring>
#include <optional>
#include <string>

#include "src/resolve/proc_files.h"
#include "src/resolve/socket_info.h"
#include "src/resolve/text_util.h"

namespace fdtrace {

namespace {

// "0100007F:1F90" (IPv4) or "00000000000000000000000001000000:1F90" (IPv6).
// The kernel prints each 32-bit word of the network-order address with %08X,
// i.e. as a host-order integer: converting each word back with a host-order
// memcpy restores the network byte order.
std::optional<SocketEndpoint> parse_hex_endpoint(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view hex = text.substr(0, colon);
    std::uint16_t port = 0;
    if (!parse_number(text.substr(colon + 1), port, 16)) return std::nullopt;
    if (hex.size() != 8 && hex.size() != 32) return std::nullopt;
    std::uint8_t bytes[16];
    for (std::size_t word = 0; word < hex.size() / 8; ++word) {
        std::uint32_t value = 0;
        if (!parse_number(hex.substr(word * 8, 8), value, 16)) return std::nullopt;
        std::memcpy(bytes + word * 4, &value, 4);
    }
    return hex.size() == 8 ? SocketEndpoint::from_ipv4(bytes, port)
                           : SocketEndpoint::from_ipv6(bytes, port);
}

// "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout
// inode"
std::optional<SocketInfo> parse_inet_line(SocketTable table, std::string_view line) {
    auto words = split_words(line);
    if (words.size() < 10) return std::nullopt;
    auto local = parse_hex_endpoint(words[1]);
    auto remote = parse_hex_endpoint(words[2]);
    int state = 0;
    std::uint64_t inode = 0;
    if (!local || !remote || !parse_number(words[3], state, 16) || !parse_number(words[9], inode)) {
        return std::nullopt;
    }
    return make_inet_socket(table, inode, *local, *remote, state, SocketSource::ProcNet);
}

// "Num       RefCount Protocol Flags    Type St Inode Path"
// "0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/x.sock"
// The path is the rest of the line (it may contain spaces); abstract names
// are shown with a leading '@' already.
std::optional<SocketInfo> parse_unix_line(std::string_view line) {
    auto words = split_words(line);
    if (words.size() < 7 || !words[0].ends_with(':')) return std::nullopt;
    std::uint32_t flags = 0;
    int type = 0, socket_state = 0;
    std::uint64_t inode = 0;
    if (!parse_number(words[3], flags, 16) || !parse_number(words[4], type, 16) ||
        !parse_number(words[5], socket_state, 16) || !parse_number(words[6], inode)) {
        return std::nullopt;
    }
    std::string path;
    if (words.size() > 7) {
        auto path_start = static_cast<std::size_t>(words[7].data() - line.data());
        path = std::string(line.substr(path_start));
    }
    // St is the socket_state SS_* (1 unconnected, 2 connecting, 3 connected);
    // a listener is unconnected with __SO_ACCEPTCON in Flags. Translate to
    // the TCP_* numbers sock_diag uses so both sources name states alike.
    constexpr std::uint32_t kAcceptCon = 1u << 16;
    constexpr int kTcpEstablished = TCP_ESTABLISHED, kTcpSynSent = TCP_SYN_SENT,
                  kTcpClose = TCP_CLOSE, kTcpListen = TCP_LISTEN;
    int state = kTcpClose;
    if (flags & kAcceptCon) {
        state = kTcpListen;
    } else if (socket_state == 3) {
        state = kTcpEstablished;
    } else if (socket_state == 2) {
        state = kTcpSynSent;
    }
    return make_unix_socket(inode, type, state, std::move(path), 0, SocketSource::ProcNet);
}

// "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode"
std::optional<SocketInfo> parse_netlink_line(std::string_view line) {
    auto words = split_words(line);
    int protocol = 0;
    std::uint64_t inode = 0;
    if (words.size() < 10 || !parse_number(words[1], protocol) || !parse_number(words[9], inode)) {
        return std::nullopt;
    }
    return make_netlink_socket(inode, protocol, SocketSource::ProcNet);
}

// "sk               RefCnt Type Proto  Iface R Rmem   User   Inode"
std::optional<SocketInfo> parse_packet_line(std::string_view line) {
    auto words = split_words(line);
    int type = 0, protocol = 0, ifindex = 0;
    std::uint64_t inode = 0;
    if (words.size() < 9 || !parse_number(words[2], type) ||
        !parse_number(words[3], protocol, 16) || !parse_number(words[4], ifindex) ||
        !parse_number(words[8], inode)) {
        return std::nullopt;
    }
    return make_packet_socket(inode, type, protocol, ifindex, SocketSource::ProcNet);
}

std::optional<SocketInfo> parse_line(SocketTable table, std::string_view line) {
    switch (table) {
        case SocketTable::Unix:
            return parse_unix_line(line);
        case SocketTable::Netlink:
            return parse_netlink_line(line);
        case SocketTable::Packet:
            return parse_packet_line(line);
        default:
            return parse_inet_line(table, line);
    }
}

}  // namespace

std::vector<SocketInfo> parse_proc_net(SocketTable table, std::string_view text) {
    std::vector<SocketInfo> sockets;
    for (std::string_view line : split_lines(text)) {
        // Time-wait and request sockets have no inode: nothing can hold them.
        if (auto socket = parse_line(table, line); socket && socket->inode != 0) {
            sockets.push_back(std::move(*socket));
        }
    }
    return sockets;
}

Result<std::vector<SocketInfo>> read_proc_net(int pid, SocketTable table) {
    auto text = read_file(proc_fd_table_path(pid, "net/" + std::string(socket_table_name(table))));
    if (!text) return text.error();
    return parse_proc_net(table, *text);
}

}  // namespace fdtrace
