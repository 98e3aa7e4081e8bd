// ProcResolver: the identity of a live process's fd, read from
// /proc/PID/fd/N (readlink, stat), /proc/PID/fdinfo/N and, for sockets,
// sock_diag in the process's network namespace (SockDiag). Also names the
// process at the other end of pipes, unix sockets and loopback connections.
//
// A process or fd that goes away mid-lookup is normal (ENOENT, ESRCH): the
// answer is then "nothing" (std::nullopt, or a SysError with gone() true),
// never an exception.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fdtrace/fd_identity.h"
#include "fdtrace/fdinfo.h"
#include "fdtrace/inode_owners.h"
#include "fdtrace/sock_diag.h"
#include "fdtrace/sys_error.h"

namespace fdtrace {

class ProcResolver {
  public:
    struct Options {
        // Fill FdIdentity::peer (costs a scan of /proc/*/fd now and then).
        bool find_peers = true;
        SockDiag::Options sockets;
        InodeOwnerIndex::Options owners;
    };

    ProcResolver() = default;
    explicit ProcResolver(Options options);

    // What fd `fd` of process `pid` is now; nullopt if the fd is closed, the
    // process is gone or /proc cannot be read (see try_resolve for why).
    std::optional<FdIdentity> resolve(int pid, int fd);
    Result<FdIdentity> try_resolve(int pid, int fd);

    // The whole fd table, sorted by fd; empty if the process is gone. Fds
    // closed while it is being read are left out.
    std::vector<std::pair<int, FdIdentity>> snapshot(int pid);

    // The fdinfo header: open flags (O_CLOEXEC included), offset, mount id.
    std::optional<FdFlags> fd_flags(int pid, int fd);

    // The fds an epoll fd watches, with the events and data they were
    // registered with; nullopt if `fd` cannot be read.
    std::optional<std::vector<EpollWatch>> epoll_watches(int pid, int fd);

    // The process at the other end of fd `fd` of `pid`, whose identity is
    // `identity`: for a pipe, a process holding the other end; for a unix
    // socket, the holder of its peer; for a tcp/udp connection inside one
    // network namespace, the holder of the socket with swapped addresses (or,
    // before accept(), the holder of the listener). A process other than
    // `pid` is preferred; `pid` itself when it holds both ends.
    std::optional<PeerProcess> find_peer(int pid, int fd, const FdIdentity& identity);

    // Forgets cached socket dumps and the inode owner index. A socket found
    // in a cached dump keeps the state it had when the dump was taken: after
    // an event that changes it (connect, listen, shutdown ...),
    // sockets().invalidate() drops just the dumps (the owner index heals
    // itself on misses, and costs a /proc scan to rebuild).
    void invalidate() noexcept;

    SockDiag& sockets() noexcept { return sockets_; }
    InodeOwnerIndex& owners() noexcept { return owners_; }

    // For its lifetime, each socket table is dumped once per network
    // namespace and /proc/*/fd scanned once (for peers), however many fds
    // are resolved: for snapshots of one process or of all. Batches nest;
    // the outermost one counts.
    class Batch {
      public:
        explicit Batch(ProcResolver& resolver);
        ~Batch();
        Batch(const Batch&) = delete;
        Batch& operator=(const Batch&) = delete;

      private:
        ProcResolver& resolver_;
    };

  private:
    FdIdentity resolve_socket(int pid, int fd, std::uint64_t inode);
    FdIdentity resolve_anon_inode(int pid, int fd, std::string_view anon_name);
    void add_unix_path_details(int pid, const SocketInfo& socket, UnixDetails& details);

    std::optional<PeerProcess> pipe_peer(int pid, int fd, std::uint64_t inode);
    std::optional<PeerProcess> socket_peer(int pid, const FdIdentity& identity);
    // The best holder of `link` ("pipe:[7]", "socket:[9]") other than (pid,
    // fd) accepted by `wanted`: another process if any, else pid itself.
    // `hints` gives processes worth re-reading before a full rescan of /proc
    // (called only if the index does not already know another holder).
    using Hints = std::function<std::vector<int>()>;
    std::optional<FdHolder> find_holder(int pid, int fd, std::uint64_t inode, std::string_view link,
                                        const Hints& hints,
                                        const std::function<bool(const FdHolder&)>& wanted);
    PeerProcess peer_process(const FdHolder& holder);

    Options options_;
    SockDiag sockets_;
    InodeOwnerIndex owners_;
    int batch_depth_ = 0;
};

}  // namespace fdtrace
