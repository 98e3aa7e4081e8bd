#include <netdb.h>

#include <string>

#include "fdtrace/render.h"
#include "fdtrace/reverse_dns.h"

namespace fdtrace {
namespace {

void append_path(std::string& out, std::string_view path, bool deleted) {
    append_escaped(out, path);
    if (deleted) out += " (deleted)";
}

}  // namespace

std::string_view IdentityFormatter::service(std::string_view port, bool udp) {
    std::string key = std::string(port) + (udp ? "/udp" : "/tcp");
    auto it = services_.find(key);
    if (it != services_.end()) return it->second;
    std::string name(port);
    int number = 0;
    for (char c : port) number = number * 10 + (c - '0');
    if (!port.empty() && number > 0 && number < 65536) {
        // /etc/services via libc; looked up once per port and cached.
        servent entry{};
        servent* result = nullptr;
        char buffer[1024];
        if (getservbyport_r(htons(static_cast<uint16_t>(number)), udp ? "udp" : "tcp", &entry,
                            buffer, sizeof buffer, &result) == 0 &&
            result)
            name = result->s_name;
    }
    return services_.emplace(std::move(key), std::move(name)).first->second;
}

std::uint64_t IdentityFormatter::names_generation() const noexcept {
    return names_ ? names_->generation() : 0;
}

std::string IdentityFormatter::address(std::string_view numeric_address, bool udp) {
    std::string out;
    std::size_t colon = numeric_address.rfind(':');
    if (options_.numeric || colon == std::string_view::npos) {
        append_escaped(out, numeric_address);
        return out;
    }
    std::string_view port = numeric_address.substr(colon + 1);
    for (char c : port)
        if (c < '0' || c > '9') {
            append_escaped(out, numeric_address);
            return out;
        }
    std::string_view host = numeric_address.substr(0, colon);
    std::optional<std::string> name;
    if (names_) {
        std::string_view bare = host;
        if (bare.size() >= 2 && bare.front() == '[' && bare.back() == ']')
            bare = bare.substr(1, bare.size() - 2);
        // One host, one answer per identity: a name arriving between the
        // local and the remote side must not name only one of them.
        if (host_memo_ && host_memo_->first == bare) {
            name = host_memo_->second;
        } else {
            name = names_->name_for(bare);
            if (in_text_) host_memo_.emplace(std::string(bare), name);
        }
    }
    append_escaped(out, name ? std::string_view(*name) : host);
    out += ':';
    append_escaped(out, port == "0" ? port : service(port, udp));
    return out;
}

std::string IdentityFormatter::text(const FdIdentity& identity) {
    in_text_ = true;
    host_memo_.reset();
    std::string out = compose_text(identity);
    in_text_ = false;
    host_memo_.reset();
    return out;
}

namespace {
// A kind with nothing more known of it: an anon-inode kind by the kernel's
// name ("[eventpoll]", as live mode reads it from the fd's link and strace
// -yy prints it: an epoll fd looked the same in both modes), else its label.
std::string_view bare_label(FdKind kind) {
    std::string_view anon = anon_inode_name(kind);
    return anon.empty() || kind == FdKind::Pidfd ? kind_label(kind) : anon;
}
}  // namespace

std::string IdentityFormatter::compose_text(const FdIdentity& identity) {
    std::string out;
    const FdKind kind = identity.kind;
    const auto* unknown_path = kind == FdKind::Unknown ? identity.get<PathDetails>() : nullptr;
    if (kind == FdKind::Unknown && (!unknown_path || unknown_path->path.empty())) {
        out = identity.source == FdSource::Inherited ? "inherited" : "?";
    } else if (unknown_path) {
        // Opened by a path that says only which fd it reopens ("/dev/stdin",
        // "/dev/fd/63") when that fd is not known.
        append_path(out, unknown_path->path, unknown_path->deleted);
    } else if (const auto* path = identity.get<PathDetails>(); path && !path->path.empty()) {
        append_path(out, path->path, path->deleted);
        // A relative path: the log never showed the working directory (no
        // chdir, getcwd, readlink of /proc/self/cwd, strace -y's AT_FDCWD<...>).
        // openat(20, "x") with fd 20 unknown is relative to that, not the cwd.
        if (path->path[0] != '/')
            out += path->dirfd >= 0 ? " (relative to fd " + std::to_string(path->dirfd) + ")"
                                    : std::string(" (cwd unknown)");
    } else if (const auto* inet = identity.get<InetDetails>()) {
        const bool udp = kind == FdKind::Udp || kind == FdKind::Udp6;
        out += kind_label(kind);
        if (!inet->local.empty() || !inet->remote.empty()) out += ' ';
        if (!inet->local.empty()) out += address(inet->local, udp);
        if (!inet->remote.empty()) {
            // An unknown local end is written "?": "TCP ->1.2.3.4:80" reads
            // like a broken line.
            if (inet->local.empty()) out += '?';
            out += "->";
            out += address(inet->remote, udp);
        }
        if (inet->state == "LISTEN") out += " (LISTEN)";
        if (!inet->error.empty()) {
            out += " (";
            append_escaped(out, inet->error);
            out += ')';
        }
    } else if (const auto* unix_socket = identity.get<UnixDetails>()) {
        out += "UNIX";
        if (!unix_socket->type.empty()) {
            out += '-';
            out += unix_socket->type;
        }
        if (!unix_socket->path.empty() || !unix_socket->peer_path.empty()) out += ' ';
        if (!unix_socket->path.empty()) append_path(out, unix_socket->path, unix_socket->deleted);
        if (!unix_socket->peer_path.empty()) {
            // As inet sockets: "LOCAL->PEER", an unknown or unnamed local end
            // written "?" ("UNIX ?->/run/dbus/system_bus_socket"), in the live
            // tracer's output as in the annotator's.
            if (unix_socket->path.empty()) out += '?';
            out += "->";
            append_escaped(out, unix_socket->peer_path);
        }
        if (unix_socket->state == "LISTEN") out += " (LISTEN)";
    } else if (const auto* pipe = identity.get<PipeDetails>()) {
        out += kind_label(kind);
        if (!pipe->end.empty()) {
            out += ' ';
            append_escaped(out, pipe->end);
            out += " end";
        }
    } else if (const auto* netlink = identity.get<NetlinkDetails>()) {
        out += "NETLINK";
        if (!netlink->protocol.empty()) {
            out += ' ';
            append_escaped(out, netlink->protocol);
        }
    } else if (const auto* pidfd = identity.get<PidfdDetails>()) {
        out += "pidfd ";
        out += std::to_string(pidfd->pid);
    } else if (const auto* anon = identity.get<AnonDetails>()) {
        if (kind == FdKind::Memfd) {
            out += "memfd:";
            append_escaped(out, anon->name);
        } else if (kind == FdKind::Namespace) {
            // As the kernel's link (and strace -y) says: "net:[4026531840]";
            // "net namespace" while the inode is unknown (a log's open), and
            // "namespace" while its type is (setns(fd, 0), an nsfs ioctl).
            append_escaped(out, anon->name);
            if (identity.inode)
                out += ":[" + std::to_string(*identity.inode) + ']';
            else
                out += anon->name.empty() ? "namespace" : " namespace";
        } else if (kind == FdKind::Anon && !anon->name.empty()) {
            out += "anon_inode:";
            append_escaped(out, anon->name);
        } else if (!anon->name.empty()) {
            append_escaped(out, anon->name);
        } else {
            out += bare_label(kind);
        }
        if (!anon->info.empty()) {
            out += " (";
            append_escaped(out, anon->info);
            out += ')';
        }
    } else {
        out += bare_label(kind);
    }
    if (identity.inode && (kind == FdKind::Pipe || kind == FdKind::Socket)) {
        out += ":[";
        out += std::to_string(*identity.inode);
        out += ']';
    }
    if (identity.peer) {
        out += " (peer ";
        append_escaped(out, identity.peer->comm);
        out += '[';
        out += std::to_string(identity.peer->pid);
        out += "])";
    }
    return out;
}

}  // namespace fdtrace
