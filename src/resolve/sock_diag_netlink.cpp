#include "src/resolve/sock_diag_netlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "src/resolve/proc_files.h"
#include "src/resolve/socket_info.h"

namespace fdtrace {

namespace {

Result<ScopedFd> create_sock_diag_socket() {
    ScopedFd socket(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!socket) return SysError::from_errno("socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
    // The kernel answers dumps at once; the timeout only guards against a
    // kernel bug turning into a hung tracer.
    timeval timeout{5, 0};
    ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return socket;
}

Result<ScopedFd> create_sock_diag_socket_in(int netns_fd) {
    if (::setns(netns_fd, CLONE_NEWNET) != 0) return SysError::from_errno("setns(CLONE_NEWNET)");
    return create_sock_diag_socket();
}

bool in_our_network_namespace(int pid) {
    auto theirs = SockDiag::network_namespace(pid);
    auto ours = inode_of("/proc/self/ns/net");
    return theirs && ours && *theirs == *ours;
}

// ---- requests -------------------------------------------------------------

// One SOCK_DIAG_BY_FAMILY dump request: the netlink header followed by the
// family's request structure.
template <class Request>
struct DumpMessage {
    nlmsghdr header;
    Request request;
};

template <class Request>
DumpMessage<Request> make_dump_message(const Request& request) {
    DumpMessage<Request> message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.header.nlmsg_seq = 1;
    message.request = request;
    return message;
}

// inet_diag_req_v2 and inet_diag_req_raw share a layout; the raw one names
// the `pad` byte that selects the raw protocol.
inet_diag_req_raw inet_request(SocketTable table) {
    inet_diag_req_raw request{};
    bool ipv6 =
        table == SocketTable::Tcp6 || table == SocketTable::Udp6 || table == SocketTable::Raw6;
    request.sdiag_family = ipv6 ? AF_INET6 : AF_INET;
    switch (table) {
        case SocketTable::Tcp:
        case SocketTable::Tcp6:
            request.sdiag_protocol = IPPROTO_TCP;
            break;
        case SocketTable::Udp:
        case SocketTable::Udp6:
            request.sdiag_protocol = IPPROTO_UDP;
            break;
        default:
            request.sdiag_protocol = IPPROTO_RAW;
            request.sdiag_raw_protocol = IPPROTO_RAW;
            break;
    }
    request.idiag_states = ~0u;  // every state, listeners and time-wait included
    request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    return request;
}

unix_diag_req unix_request() {
    unix_diag_req request{};
    request.sdiag_family = AF_UNIX;
    request.udiag_states = ~0u;
    request.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_VFS;
    request.udiag_cookie[0] = INET_DIAG_NOCOOKIE;
    request.udiag_cookie[1] = INET_DIAG_NOCOOKIE;
    return request;
}

netlink_diag_req netlink_request() {
    netlink_diag_req request{};
    request.sdiag_family = AF_NETLINK;
    request.sdiag_protocol = NDIAG_PROTO_ALL;
    request.ndiag_cookie[0] = INET_DIAG_NOCOOKIE;
    request.ndiag_cookie[1] = INET_DIAG_NOCOOKIE;
    return request;
}

packet_diag_req packet_request() {
    packet_diag_req request{};
    request.sdiag_family = AF_PACKET;
    request.pdiag_show = PACKET_SHOW_INFO;
    request.pdiag_cookie[0] = INET_DIAG_NOCOOKIE;
    request.pdiag_cookie[1] = INET_DIAG_NOCOOKIE;
    return request;
}

template <class Request>
std::optional<SysError> send_dump_request(int diag_socket, const Request& request) {
    auto message = make_dump_message(request);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent = ::sendto(diag_socket, &message, sizeof message, 0,
                            reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel);
    if (sent < 0) return SysError::from_errno("send sock_diag request");
    return std::nullopt;
}

std::optional<SysError> send_request(int diag_socket, SocketTable table) {
    switch (table) {
        case SocketTable::Unix:
            return send_dump_request(diag_socket, unix_request());
        case SocketTable::Netlink:
            return send_dump_request(diag_socket, netlink_request());
        case SocketTable::Packet:
            return send_dump_request(diag_socket, packet_request());
        default:
            return send_dump_request(diag_socket, inet_request(table));
    }
}

// ---- replies --------------------------------------------------------------

// The attributes (type, payload) after a reply's fixed-size structure.
template <class Visit>
void for_each_attribute(const nlmsghdr& header, std::size_t fixed_size, Visit visit) {
    const auto* start = reinterpret_cast<const char*>(NLMSG_DATA(&header));
    std::size_t offset = NLMSG_ALIGN(fixed_size);
    std::size_t end = header.nlmsg_len - NLMSG_HDRLEN;
    while (offset + NLA_HDRLEN <= end) {
        nlattr attribute;
        std::memcpy(&attribute, start + offset, sizeof attribute);
        if (attribute.nla_len < NLA_HDRLEN || offset + attribute.nla_len > end) return;
        visit(attribute.nla_type & NLA_TYPE_MASK,
              std::string_view(start + offset + NLA_HDRLEN, attribute.nla_len - NLA_HDRLEN));
        offset += NLA_ALIGN(attribute.nla_len);
    }
}

template <class Fixed>
std::optional<Fixed> fixed_part(const nlmsghdr& header) {
    if (header.nlmsg_len < NLMSG_LENGTH(sizeof(Fixed))) return std::nullopt;
    Fixed fixed;
    std::memcpy(&fixed, NLMSG_DATA(&header), sizeof fixed);
    return fixed;
}

std::optional<SocketInfo> parse_inet(SocketTable table, const nlmsghdr& header) {
    auto message = fixed_part<inet_diag_msg>(header);
    if (!message) return std::nullopt;
    const inet_diag_sockid& id = message->id;
    std::uint16_t local_port = ntohs(id.idiag_sport), remote_port = ntohs(id.idiag_dport);
    bool ipv4 = message->idiag_family == AF_INET;
    auto endpoint = [ipv4](const __be32* address, std::uint16_t port) {
        return ipv4 ? SocketEndpoint::from_ipv4(address, port)
                    : SocketEndpoint::from_ipv6(address, port);
    };
    return make_inet_socket(table, message->idiag_inode, endpoint(id.idiag_src, local_port),
                            endpoint(id.idiag_dst, remote_port), message->idiag_state,
                            SocketSource::SockDiag);
}

// UNIX_DIAG_NAME is the sun_path bytes as bound: an abstract name starts
// with '\0' (shown as '@', and so is any '\0' inside it, as ss does); a path
// may carry the terminating '\0' when the binder counted it.
std::string unix_name(std::string_view raw) {
    if (raw.empty()) return {};
    if (raw.front() == '\0') {
        std::string name(raw);
        for (char& c : name) {
            if (c == '\0') c = '@';
        }
        return name;
    }
    return std::string(raw.substr(0, raw.find('\0')));
}

std::optional<SocketInfo> parse_unix(const nlmsghdr& header) {
    auto message = fixed_part<unix_diag_msg>(header);
    if (!message) return std::nullopt;
    std::string path;
    std::uint32_t peer = 0;
    unix_diag_vfs vfs{};
    for_each_attribute(header, sizeof(unix_diag_msg), [&](int type, std::string_view payload) {
        if (type == UNIX_DIAG_NAME) path = unix_name(payload);
        if (type == UNIX_DIAG_PEER && payload.size() >= sizeof peer) {
            std::memcpy(&peer, payload.data(), sizeof peer);
        }
        if (type == UNIX_DIAG_VFS && payload.size() >= sizeof vfs) {
            std::memcpy(&vfs, payload.data(), sizeof vfs);
        }
    });
    SocketInfo socket =
        make_unix_socket(message->udiag_ino, message->udiag_type, message->udiag_state,
                         std::move(path), peer, SocketSource::SockDiag);
    socket.bound_file_inode = vfs.udiag_vfs_ino;
    return socket;
}

std::optional<SocketInfo> parse_netlink(const nlmsghdr& header) {
    auto message = fixed_part<netlink_diag_msg>(header);
    if (!message) return std::nullopt;
    return make_netlink_socket(message->ndiag_ino, message->ndiag_protocol, SocketSource::SockDiag);
}

std::optional<SocketInfo> parse_packet(const nlmsghdr& header) {
    auto message = fixed_part<packet_diag_msg>(header);
    if (!message) return std::nullopt;
    packet_diag_info info{};
    for_each_attribute(header, sizeof(packet_diag_msg), [&](int type, std::string_view payload) {
        if (type == PACKET_DIAG_INFO && payload.size() >= sizeof info) {
            std::memcpy(&info, payload.data(), sizeof info);
        }
    });
    // pdiag_num is already in host byte order (the kernel applies ntohs).
    return make_packet_socket(message->pdiag_ino, message->pdiag_type, message->pdiag_num,
                              static_cast<int>(info.pdi_index), SocketSource::SockDiag);
}

std::optional<SocketInfo> parse_reply(SocketTable table, const nlmsghdr& header) {
    switch (table) {
        case SocketTable::Unix:
            return parse_unix(header);
        case SocketTable::Netlink:
            return parse_netlink(header);
        case SocketTable::Packet:
            return parse_packet(header);
        default:
            return parse_inet(table, header);
    }
}

enum class Batch { More, Done };

// Parses one recv()'d batch of replies into `sockets`.
Result<Batch> parse_batch(SocketTable table, const char* data, std::size_t length,
                          std::vector<SocketInfo>& sockets) {
    const auto* header = reinterpret_cast<const nlmsghdr*>(data);
    int remaining = static_cast<int>(length);
    for (; NLMSG_OK(header, remaining); header = NLMSG_NEXT(header, remaining)) {
        if (header->nlmsg_type == NLMSG_DONE || header->nlmsg_type == NLMSG_ERROR) {
            // Both carry an error code: NLMSG_DONE ends a dump with the
            // dump's status (how a family without diag support answers),
            // NLMSG_ERROR with 0 is an acknowledgement.
            auto status = fixed_part<int>(*header);
            if (status && *status < 0) {
                errno = -*status;
                return SysError::from_errno("sock_diag dump of " +
                                            std::string(socket_table_name(table)));
            }
            if (header->nlmsg_type == NLMSG_DONE) return Batch::Done;
            continue;
        }
        // Time-wait and request minisockets have no inode: no fd holds them.
        if (auto socket = parse_reply(table, *header); socket && socket->inode != 0) {
            sockets.push_back(std::move(*socket));
        }
    }
    return Batch::More;
}

}  // namespace

Result<ScopedFd> open_sock_diag_socket(int pid) {
    if (in_our_network_namespace(pid)) return create_sock_diag_socket();
    std::string netns_path = proc_fd_table_path(pid, "ns/net");
    ScopedFd netns(::open(netns_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!netns) return SysError::from_errno("open " + netns_path);
    Result<ScopedFd> result = SysError{};
    std::thread helper([&] { result = create_sock_diag_socket_in(netns.get()); });
    helper.join();
    return result;
}

Result<std::vector<SocketInfo>> sock_diag_dump(int diag_socket, SocketTable table) {
    if (auto error = send_request(diag_socket, table)) return *error;
    std::vector<SocketInfo> sockets;
    // Large enough for the kernel's biggest dump batches (it fills up to
    // about 32 KiB per recv); operator new aligns it for nlmsghdr.
    std::vector<char> buffer(64 * 1024);
    while (true) {
        ssize_t got = ::recv(diag_socket, buffer.data(), buffer.size(), 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return SysError::from_errno("recv sock_diag reply");
        }
        if (got == 0) return sockets;
        auto batch = parse_batch(table, buffer.data(), static_cast<std::size_t>(got), sockets);
        if (!batch) return batch.error();
        if (*batch == Batch::Done) return sockets;
    }
}

}  // namespace fdtrace
