// ProcResolver::find_peer: the process at the other end of a pipe, a unix
// socket or a connection inside one network namespace.
#include <fcntl.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <string>

#include "fdtrace/proc_resolver.h"
#include "src/resolve/proc_files.h"

namespace fdtrace {

namespace {

constexpr int kTcpListen = TCP_LISTEN;
// Siblings are only worth a look in a small family: the children of init or
// of a session manager are half the system.
constexpr std::size_t kMaxHints = 64;

// The processes a pipe is most likely shared with: the parent, the children
// and the siblings (a shell pipeline's stages are siblings).
std::vector<int> relatives(int pid) {
    std::vector<int> hints;
    int parent = parent_of(pid);
    if (parent > 1) {
        hints.push_back(parent);
        for (int sibling : children_of(parent)) {
            if (sibling != pid) hints.push_back(sibling);
        }
    }
    for (int child : children_of(pid)) hints.push_back(child);
    if (hints.size() > kMaxHints) hints.resize(kMaxHints);
    return hints;
}

std::string socket_link(std::uint64_t inode) { return "socket:[" + std::to_string(inode) + ']'; }
std::string pipe_link(std::uint64_t inode) { return "pipe:[" + std::to_string(inode) + ']'; }

std::optional<SocketTable> table_of_kind(FdKind kind) {
    switch (kind) {
        case FdKind::Tcp:
            return SocketTable::Tcp;
        case FdKind::Tcp6:
            return SocketTable::Tcp6;
        case FdKind::Udp:
            return SocketTable::Udp;
        case FdKind::Udp6:
            return SocketTable::Udp6;
        case FdKind::Unix:
            return SocketTable::Unix;
        default:
            return std::nullopt;
    }
}

bool accepts_any(const FdHolder&) { return true; }

}  // namespace

std::optional<PeerProcess> ProcResolver::find_peer(int pid, int fd, const FdIdentity& identity) {
    if (!identity.inode) return std::nullopt;
    if (identity.kind == FdKind::Pipe) return pipe_peer(pid, fd, *identity.inode);
    if (table_of_kind(identity.kind)) return socket_peer(pid, identity);
    return std::nullopt;
}

std::optional<PeerProcess> ProcResolver::pipe_peer(int pid, int fd, std::uint64_t inode) {
    // Both ends of a pipe share one inode: the other end is an fd on it
    // opened for the other direction. (An O_RDWR fd, as reopening
    // /proc/PID/fd/N gives, counts as either end.)
    auto own_flags = fd_flags(pid, fd);
    int own_mode = own_flags ? own_flags->access_mode() : O_RDWR;
    auto other_end = [this, own_mode](const FdHolder& holder) {
        if (own_mode == O_RDWR) return true;
        auto flags = fd_flags(holder.pid, holder.fd);
        return flags && flags->access_mode() != own_mode;
    };
    auto hints = [pid] { return relatives(pid); };
    auto holder = find_holder(pid, fd, inode, pipe_link(inode), hints, other_end);
    if (!holder) return std::nullopt;
    return peer_process(*holder);
}

std::optional<PeerProcess> ProcResolver::socket_peer(int pid, const FdIdentity& identity) {
    auto socket = sockets_.find(pid, *identity.inode, table_of_kind(identity.kind));
    if (!socket || socket->state == kTcpListen) return std::nullopt;
    // Whoever listens where this socket connected accepts its connection:
    // its process is the peer until then, and a good place to look after.
    // Found only when needed: it may cost a dump.
    std::optional<std::optional<SocketInfo>> listener_cache;
    auto listener = [&]() -> const std::optional<SocketInfo>& {
        if (!listener_cache) {
            auto found = sockets_.find_listener(pid, *socket);
            if (found && found->inode == socket->inode) found.reset();
            listener_cache = std::move(found);
        }
        return *listener_cache;
    };
    auto hints = [&] {
        std::vector<int> pids = relatives(pid);
        if (listener()) {
            for (const FdHolder& holder : owners_.holders(listener()->inode)) {
                pids.push_back(holder.pid);
            }
        }
        return pids;
    };
    auto other = sockets_.find_other_end(pid, *socket);
    if (other && other->inode != 0) {
        auto holder =
            find_holder(pid, -1, other->inode, socket_link(other->inode), hints, accepts_any);
        if (holder) return peer_process(*holder);
    }
    // The listener's process is the peer only while the connection waits in
    // its accept queue (the other end exists but nobody holds it yet, or the
    // handshake is still under way) — not once the server closed its end.
    bool waiting_for_accept = (!other || other->inode == 0) &&
                              (socket->state == TCP_ESTABLISHED || socket->state == TCP_SYN_SENT);
    if (!waiting_for_accept || !listener()) return std::nullopt;
    auto no_hints = [] { return std::vector<int>(); };
    std::uint64_t listener_inode = listener()->inode;
    auto holder =
        find_holder(pid, -1, listener_inode, socket_link(listener_inode), no_hints, accepts_any);
    if (!holder) return std::nullopt;
    return peer_process(*holder);
}

std::optional<FdHolder> ProcResolver::find_holder(
    int pid, int fd, std::uint64_t inode, std::string_view link, const Hints& hints,
    const std::function<bool(const FdHolder&)>& wanted) {
    int self = thread_group_of(pid);
    // Another process holding the wanted end if there is one, else self.
    auto best_holder = [&]() -> std::optional<FdHolder> {
        std::optional<FdHolder> own;
        for (const FdHolder& holder : owners_.holders(inode)) {
            if (holder.pid == self && holder.fd == fd) continue;
            if (!wanted(holder) || !InodeOwnerIndex::still_holds(holder, link)) continue;
            if (holder.pid != self) return holder;
            if (!own) own = holder;
        }
        return own;
    };
    auto is_other = [self](const std::optional<FdHolder>& holder) {
        return holder && holder->pid != self;
    };
    auto found = best_holder();
    if (is_other(found)) return found;
    // The index may predate the other end: re-read the likely holders,
    // cheaply, and only then everything (rate-limited).
    if (!owners_.in_batch()) {
        for (int hint : hints()) owners_.rescan_pid(hint);
        found = best_holder();
        if (is_other(found)) return found;
    }
    if (owners_.rescan_if_due()) found = best_holder();
    if (!found) {
        // Nobody else: perhaps pid itself, on an fd newer than the index.
        owners_.rescan_pid(self);
        found = best_holder();
    }
    return found;
}

PeerProcess ProcResolver::peer_process(const FdHolder& holder) {
    return PeerProcess{holder.pid, owners_.comm(holder.pid)};
}

}  // namespace fdtrace
