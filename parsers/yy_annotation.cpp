#include "fdtrace/yy_annotation.h"

#include <string>

#include "fdtrace/strace_args.h"
#include "fdtrace/strace_line.h"

namespace fdtrace {
namespace {

struct SocketLabel {
    std::string_view label;  // before ":[" in strace's annotation
    FdKind kind;
};

constexpr SocketLabel kSocketLabels[] = {
    {"TCP", FdKind::Tcp},         {"TCPv6", FdKind::Tcp6},
    {"UDP", FdKind::Udp},         {"UDPv6", FdKind::Udp6},
    {"UDPLITE", FdKind::Udp},     {"UDPLITEv6", FdKind::Udp6},
    {"RAW", FdKind::Raw},         {"RAWv6", FdKind::Raw},
    {"NETLINK", FdKind::Netlink}, {"PACKET", FdKind::Packet},
    {"socket", FdKind::Socket},   {"pipe", FdKind::Pipe},
    {"UNIX", FdKind::Unix},       {"UNIX-STREAM", FdKind::Unix},
    {"UNIX-DGRAM", FdKind::Unix}, {"UNIX-SEQPACKET", FdKind::Unix},
};

// "[ino->peer,\"path\"]" / "[ino,@\"abs\"]" / "[ino]" for unix sockets.
void parse_unix(std::string_view body, FdIdentity& identity, std::string_view label) {
    UnixDetails details;
    if (label.size() > 5) details.type = std::string(label.substr(5));
    ArgList parts = split_args(body);
    std::string_view inodes = parts[0];
    std::size_t arrow = inodes.find("->");
    if (auto inode = parse_integer(inodes.substr(0, arrow)))
        identity.inode = static_cast<std::uint64_t>(*inode);
    if (arrow != std::string_view::npos)
        details.peer_inode =
            static_cast<std::uint64_t>(parse_integer(inodes.substr(arrow + 2)).value_or(0));
    if (parts.count > 1) {
        std::string_view path = parts[1];
        bool abstract = path.starts_with('@');
        if (abstract) path.remove_prefix(1);
        details.path = (abstract ? "@" : "") + decode_c_string(path).value_or(std::string(path));
    }
    identity.details = std::move(details);
}

// "[1.2.3.4:5->6.7.8.9:80]", "[1.2.3.4:5]", "[12345]".
void parse_inet(std::string_view body, FdIdentity& identity) {
    if (auto inode = parse_integer(body)) {
        identity.inode = static_cast<std::uint64_t>(*inode);
        identity.details = InetDetails{};
        return;
    }
    InetDetails details;
    // IPv6 addresses are bracketed, so "->" is the only arrow.
    std::size_t arrow = body.find("->");
    details.local = std::string(body.substr(0, arrow));
    if (arrow != std::string_view::npos) details.remote = std::string(body.substr(arrow + 2));
    identity.details = std::move(details);
}

// "[ROUTE:1234]" or "[1234]"; strace prints the protocol when it knows it.
void parse_netlink(std::string_view body, FdIdentity& identity) {
    NetlinkDetails details;
    std::size_t colon = body.find(':');
    std::string_view inode = body;
    if (colon != std::string_view::npos) {
        for (char c : body.substr(0, colon))
            details.protocol += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        identity.details = std::move(details);
        return;  // "ROUTE:1234": the number is the netlink port id, not an inode
    }
    if (auto value = parse_integer(inode)) identity.inode = static_cast<std::uint64_t>(*value);
    identity.details = std::move(details);
}

}  // namespace

std::optional<FdIdentity> parse_yy_annotation(std::string_view annotation, DeletedMarker marker) {
    bool deleted = false;
    if (annotation.ends_with("(deleted)")) {
        deleted = true;
        annotation.remove_suffix(9);
    }
    if (annotation.size() < 2 || annotation.front() != '<' || annotation.back() != '>')
        return std::nullopt;
    std::string_view inner = annotation.substr(1, annotation.size() - 2);
    // strace -xx prints the whole annotation in hex ("\x70\x69\x70\x65:[...]").
    std::string decoded;
    if (inner.starts_with("\\x")) {
        decoded = decode_c_escapes(inner);
        inner = decoded;
    }
    FdIdentity identity;
    identity.source = FdSource::Log;

    if (inner.starts_with('/')) {
        // "/dev/null<char 1:3>", "/dev/sda<block 8:0>", "/etc/passwd"
        identity.kind = FdKind::File;
        std::string_view path = inner;
        if (std::size_t nested = inner.find('<');
            nested != std::string_view::npos && inner.ends_with('>')) {
            std::string_view device = inner.substr(nested + 1);
            if (device.starts_with("char "))
                identity.kind = FdKind::Chr;
            else if (device.starts_with("block "))
                identity.kind = FdKind::Blk;
            path = inner.substr(0, nested);
        }
        if (path.starts_with("/memfd:")) {
            identity.kind = FdKind::Memfd;
            std::string_view name = path.substr(7);
            if (name.ends_with(" (deleted)")) name.remove_suffix(10);
            identity.details =
                AnonDetails{decoded.empty() ? decode_c_escapes(name) : std::string(name), {}};
            return identity;
        }
        // Older strace printed the kernel's link as it reads,
        // "</tmp/x (deleted)>"; 6.1 prints "</tmp/x>(deleted)".
        if (marker == DeletedMarker::Inside && path.ends_with(" (deleted)")) {
            path.remove_suffix(10);
            deleted = true;
        }
        identity.details =
            PathDetails{decoded.empty() ? decode_c_escapes(path) : std::string(path), deleted};
        return identity;
    }
    if (inner.starts_with("pid:")) {
        identity.kind = FdKind::Pidfd;
        identity.details =
            PidfdDetails{static_cast<int>(parse_integer(inner.substr(4)).value_or(0))};
        return identity;
    }
    if (inner.starts_with("anon_inode:")) {
        std::string_view name = inner.substr(11);
        identity.kind = anon_inode_kind(name);
        if (identity.kind == FdKind::Anon || identity.kind == FdKind::Bpf)
            identity.details = AnonDetails{std::string(name), {}};
        return identity;
    }
    std::size_t colon = inner.find(":[");
    if (colon == std::string_view::npos || !inner.ends_with(']')) return std::nullopt;
    std::string_view label = inner.substr(0, colon);
    std::string_view body = inner.substr(colon + 2, inner.size() - colon - 3);
    if (is_namespace_type(label)) {  // "net:[4026531840]"
        auto inode = parse_integer(body);
        if (!inode || *inode < 0) return std::nullopt;
        identity.kind = FdKind::Namespace;
        identity.details = AnonDetails{std::string(label), {}};
        identity.inode = static_cast<std::uint64_t>(*inode);
        return identity;
    }
    for (const auto& row : kSocketLabels) {
        if (label != row.label) continue;
        identity.kind = row.kind;
        if (row.kind == FdKind::Unix)
            parse_unix(body, identity, label);
        else if (row.kind == FdKind::Netlink)
            parse_netlink(body, identity);
        else if (row.kind == FdKind::Pipe || row.kind == FdKind::Socket) {
            if (auto inode = parse_integer(body))
                identity.inode = static_cast<std::uint64_t>(*inode);
        } else {
            parse_inet(body, identity);
        }
        return identity;
    }
    return std::nullopt;
}

}  // namespace fdtrace
