#include "fdtrace/proc_resolver.h"

#include <sys/stat.h>
#include <sys/xattr.h>

#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "fdtrace/yy_annotation.h"
#include "src/resolve/proc_files.h"
#include "src/resolve/text_util.h"

namespace fdtrace {

namespace {

constexpr std::string_view kDeletedSuffix = " (deleted)";
constexpr std::string_view kMemfdPrefix = "/memfd:";
constexpr std::string_view kAnonInodePrefix = "anon_inode:";

// The inode in "pipe:[123]" when the link has that prefix.
std::optional<std::uint64_t> bracketed_inode(std::string_view link, std::string_view prefix) {
    if (!link.starts_with(prefix) || !link.ends_with(']')) return std::nullopt;
    std::uint64_t inode = 0;
    if (!parse_number(link.substr(prefix.size(), link.size() - prefix.size() - 1), inode)) {
        return std::nullopt;
    }
    return inode;
}

FdKind kind_of_mode(mode_t mode) {
    switch (mode & S_IFMT) {
        case S_IFDIR:
            return FdKind::Dir;
        case S_IFCHR:
            return FdKind::Chr;
        case S_IFBLK:
            return FdKind::Blk;
        case S_IFIFO:
            return FdKind::Fifo;
        // Regular files, and an O_PATH fd on a socket file: a path either way.
        default:
            return FdKind::File;
    }
}

// Whether `path`, as pid sees it, names a file that `matches`. readlink on
// /proc/PID/fd gives the path from *our* root when the file is reachable from
// it (pid in a chroot), else from the root of pid's mount namespace (pid in
// a container): both readings are tried.
bool path_names(int pid, const std::string& path,
                const std::function<bool(const struct stat&)>& matches) {
    for (const std::string& candidate : {proc_path(pid, "root" + path), path}) {
        struct stat st {};
        if (::lstat(candidate.c_str(), &st) == 0 && matches(st)) return true;
    }
    return false;
}

// The kernel appends " (deleted)" to the link of an unlinked file, but a file
// may also really be called "x (deleted)" (and st_nlink is no help: another
// hard link keeps it above 0): the suffix is the kernel's unless the literal
// name is the fd's own file.
bool link_says_deleted(int pid, const std::string& link, const std::optional<struct stat>& st) {
    if (!link.ends_with(kDeletedSuffix)) return false;
    if (!st) return true;
    return !path_names(pid, link, [&](const struct stat& literal) {
        return literal.st_dev == st->st_dev && literal.st_ino == st->st_ino;
    });
}

FdIdentity path_identity(int pid, const std::string& link, const std::optional<struct stat>& st) {
    FdIdentity identity;
    bool deleted = link_says_deleted(pid, link, st);
    std::string path = deleted ? link.substr(0, link.size() - kDeletedSuffix.size()) : link;
    if (st) identity.inode = st->st_ino;
    // memfd_create files live on an internal mount and always read as
    // "/memfd:NAME (deleted)"; the name is what matters (kept as the
    // AnonDetails name, as the log parser does).
    if (deleted && path.starts_with(kMemfdPrefix) && (!st || S_ISREG(st->st_mode))) {
        identity.kind = FdKind::Memfd;
        identity.details = AnonDetails{path.substr(kMemfdPrefix.size()), ""};
        return identity;
    }
    identity.kind = st ? kind_of_mode(st->st_mode) : FdKind::File;
    identity.details = PathDetails{std::move(path), deleted};
    return identity;
}

// "TCP", "UDPv6", "UNIX-STREAM", "NETLINK", "AF_VSOCK" ...: the name the
// kernel gives the socket's protocol, readable without entering its netns.
std::string socket_protocol_name(const std::string& fd_path) {
    char name[64] = {};
    ssize_t length = ::getxattr(fd_path.c_str(), "system.sockprotoname", name, sizeof name - 1);
    if (length <= 0) return {};
    return std::string(name, strnlen(name, static_cast<std::size_t>(length)));
}

bool is_inet_table(std::optional<SocketTable> table) {
    return table && *table != SocketTable::Unix && *table != SocketTable::Netlink &&
           *table != SocketTable::Packet;
}

// A unix socket's path is "deleted" when the file it was bound to is no
// longer at that path (unlinked, or replaced by another bind).
bool unix_path_deleted(int pid, const std::string& path, std::uint64_t bound_file_inode) {
    if (path.empty() || path.front() == '@' || bound_file_inode == 0) return false;
    return !path_names(pid, path,
                       [&](const struct stat& st) { return st.st_ino == bound_file_inode; });
}

}  // namespace

ProcResolver::ProcResolver(Options options)
    : options_(options), sockets_(options.sockets), owners_(options.owners) {}

std::optional<FdIdentity> ProcResolver::resolve(int pid, int fd) {
    auto identity = try_resolve(pid, fd);
    if (!identity) return std::nullopt;
    return std::move(identity).value();
}

Result<FdIdentity> ProcResolver::try_resolve(int pid, int fd) {
    std::string fd_path = proc_fd_path(pid, fd);
    auto link = read_link(fd_path);
    if (!link) return link.error();
    std::optional<struct stat> st;
    if (struct stat buffer{}; ::stat(fd_path.c_str(), &buffer) == 0) st = buffer;

    // Past the readlink, everything only adds detail: an fd that closes
    // meanwhile still gets the identity it had.
    FdIdentity identity;
    if (auto inode = bracketed_inode(*link, "socket:[")) {
        identity = resolve_socket(pid, fd, *inode);
    } else if (auto pipe_inode = bracketed_inode(*link, "pipe:[")) {
        identity.kind = FdKind::Pipe;
        identity.inode = *pipe_inode;
    } else if (link->starts_with(kAnonInodePrefix)) {
        identity =
            resolve_anon_inode(pid, fd, std::string_view(*link).substr(kAnonInodePrefix.size()));
    } else if (link->starts_with('/')) {
        identity = path_identity(pid, *link, st);
    } else if (auto ns = parse_yy_annotation('<' + *link + '>');
               ns && ns->kind == FdKind::Namespace) {
        // "net:[4026531840]": a namespace fd (setns, ip netns, nsenter), read
        // as strace -y's text is, since it is the same text.
        identity = std::move(*ns);
    } else {
        // Whatever else the kernel invents: shown as the kernel names it.
        identity.kind = FdKind::Anon;
        identity.details = AnonDetails{*link, ""};
        if (st) identity.inode = st->st_ino;
    }
    identity.source = FdSource::Live;
    if (options_.find_peers) identity.peer = find_peer(pid, fd, identity);
    return identity;
}

FdIdentity ProcResolver::resolve_socket(int pid, int fd, std::uint64_t inode) {
    FdIdentity identity;
    identity.inode = inode;
    std::string protocol = socket_protocol_name(proc_fd_path(pid, fd));
    auto table = socket_table_from_protocol_name(protocol);
    if (!table && !protocol.empty()) {
        // A family without a socket table here (vsock, mptcp, ping ...).
        identity.kind = FdKind::Socket;
        identity.details = AnonDetails{protocol, ""};
        return identity;
    }
    auto socket = sockets_.find(pid, inode, table);
    if (!socket) {
        // Not (yet) in any table: a fresh socket() before bind/connect.
        identity.kind = table ? socket_table_kind(*table) : FdKind::Socket;
        if (identity.kind == FdKind::Unix) {
            identity.ensure<UnixDetails>().type = protocol == "UNIX-STREAM" ? "STREAM" : "";
        } else if (is_inet_table(table)) {
            identity.details = InetDetails{};
        }
        return identity;
    }
    identity.kind = socket->kind;
    identity.details = socket->details;
    if (auto* details = identity.get<UnixDetails>()) add_unix_path_details(pid, *socket, *details);
    return identity;
}

void ProcResolver::add_unix_path_details(int pid, const SocketInfo& socket, UnixDetails& details) {
    details.deleted = unix_path_deleted(pid, details.path, socket.bound_file_inode);
    // The address it is connected to is its peer's own: a client's server.
    if (details.peer_inode == 0) return;
    auto peer = sockets_.find(pid, details.peer_inode, SocketTable::Unix);
    if (const auto* peer_details = peer ? std::get_if<UnixDetails>(&peer->details) : nullptr) {
        details.peer_path = peer_details->path;
    }
}

FdIdentity ProcResolver::resolve_anon_inode(int pid, int fd, std::string_view anon_name) {
    // fdinfo only adds detail: an fd whose fdinfo vanished is still known.
    auto fdinfo = read_file(proc_fd_table_path(pid, "fdinfo/" + std::to_string(fd)));
    AnonDescription description =
        describe_anon_inode(anon_name, fdinfo ? std::string_view(*fdinfo) : std::string_view());
    FdIdentity identity;
    identity.kind = description.kind;
    identity.details = std::move(description.details);
    // Most anon-inode fds share one inode system-wide: it names nothing, so
    // it is left out.
    return identity;
}

ProcResolver::Batch::Batch(ProcResolver& resolver) : resolver_(resolver) {
    if (resolver_.batch_depth_++ > 0) return;
    resolver_.sockets_.begin_batch();
    if (resolver_.options_.find_peers) resolver_.owners_.begin_batch();
}

ProcResolver::Batch::~Batch() {
    if (--resolver_.batch_depth_ > 0) return;
    resolver_.sockets_.end_batch();
    resolver_.owners_.end_batch();
}

std::vector<std::pair<int, FdIdentity>> ProcResolver::snapshot(int pid) {
    std::vector<std::pair<int, FdIdentity>> table;
    auto fds = list_numeric_entries(proc_fd_table_path(pid, "fd"));
    if (!fds) return table;
    // Each table dumped once and /proc scanned once, however many fds.
    Batch batch(*this);
    for (int fd : *fds) {  // sorted already
        if (auto identity = try_resolve(pid, fd))
            table.emplace_back(fd, std::move(identity).value());
    }
    return table;
}

std::optional<FdFlags> ProcResolver::fd_flags(int pid, int fd) {
    auto fdinfo = read_file(proc_fd_table_path(pid, "fdinfo/" + std::to_string(fd)));
    if (!fdinfo) return std::nullopt;
    return parse_fd_flags(*fdinfo);
}

std::optional<std::vector<EpollWatch>> ProcResolver::epoll_watches(int pid, int fd) {
    auto fdinfo = read_file(proc_fd_table_path(pid, "fdinfo/" + std::to_string(fd)));
    if (!fdinfo) return std::nullopt;
    return parse_epoll_watches(*fdinfo);
}

void ProcResolver::invalidate() noexcept {
    sockets_.invalidate();
    owners_.invalidate();
}

}  // namespace fdtrace
