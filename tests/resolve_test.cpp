// Live fd resolution against real processes: the test process itself and
// forked children that create the fds, then wait to be looked at.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "fdtrace/fdinfo.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/render.h"
#include "fdtrace/scoped_fd.h"
#include "fdtrace/sock_diag.h"
#include "src/resolve/proc_net.h"

namespace fdtrace {
namespace {

// ---- helpers --------------------------------------------------------------

// A forked child that runs `setup` (which returns numbers to report: fds,
// ports, or a negative errno), reports them through a pipe and then waits,
// fds open, until the test is done with it.
class Child {
  public:
    explicit Child(const std::function<std::vector<long>()>& setup) {
        int report[2];
        if (::pipe2(report, O_CLOEXEC) != 0) return;
        ScopedFd read_end(report[0]), write_end(report[1]);
        pid_ = ::fork();
        if (pid_ == 0) run(setup, std::move(read_end), std::move(write_end));
        write_end.reset();
        std::string text;
        char buffer[256];
        for (ssize_t got; (got = ::read(read_end.get(), buffer, sizeof buffer)) > 0;) {
            text.append(buffer, static_cast<std::size_t>(got));
        }
        for (const char* cursor = text.c_str(); *cursor;) {
            char* end = nullptr;
            values_.push_back(std::strtol(cursor, &end, 10));
            if (end == cursor) break;
            cursor = end;
        }
    }
    ~Child() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    int pid() const { return pid_; }
    long value(std::size_t i) const { return i < values_.size() ? values_[i] : -1; }

  private:
    [[noreturn]] static void run(const std::function<std::vector<long>()>& setup, ScopedFd read_end,
                                 ScopedFd write_end) {
        read_end.reset();
        std::string text;
        for (long value : setup()) text += std::to_string(value) + ' ';
        (void)!::write(write_end.get(), text.data(), text.size());
        write_end.reset();  // EOF tells the parent the report is complete
        while (true) ::pause();
    }

    int pid_ = -1;
    std::vector<long> values_;
};

ProcResolver::Options test_options() {
    ProcResolver::Options options;
    // Tests fork new peers back to back: never let the rate limit hide one.
    options.owners.min_full_rescan_interval = std::chrono::milliseconds(0);
    return options;
}

std::uint64_t inode_of_fd(int fd) {
    struct stat st {};
    ::fstat(fd, &st);
    return st.st_ino;
}

int local_port(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6&>(address).sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in&>(address).sin_port);
}

sockaddr_in loopback_v4(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// A TCP socket listening on 127.0.0.1:port (0: any free port).
ScopedFd tcp_listener(int port = 0) {
    ScopedFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int one = 1;
    ::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address = loopback_v4(port);
    if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener.get(), 8) != 0) {
        return ScopedFd();
    }
    return listener;
}

ScopedFd tcp_connect(int port) {
    ScopedFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address = loopback_v4(port);
    if (::connect(client.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        return ScopedFd();
    }
    return client;
}

sockaddr_un unix_address(const std::string& path, socklen_t& length) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.data(), path.size());
    length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
    if (!path.empty() && path[0] != '\0') ++length;  // count the terminating NUL, as most do
    return address;
}

ScopedFd unix_socket_bound(int type, const std::string& path) {
    ScopedFd socket(::socket(AF_UNIX, type | SOCK_CLOEXEC, 0));
    socklen_t length = 0;
    sockaddr_un address = unix_address(path, length);
    if (::bind(socket.get(), reinterpret_cast<sockaddr*>(&address), length) != 0) return ScopedFd();
    return socket;
}

std::string temp_path(const std::string& stem) {
    return "/tmp/fdtrace-resolve-" + std::to_string(::getpid()) + '-' + stem;
}

const AnonDetails& anon(const FdIdentity& identity) {
    static const AnonDetails kNone;
    const auto* details = identity.get<AnonDetails>();
    return details ? *details : kNone;
}

// ---- files ----------------------------------------------------------------

TEST(ProcResolver, RegularFile) {
    std::string path = temp_path("regular");
    ScopedFd file(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
    ASSERT_TRUE(file);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), file.get());
    ::unlink(path.c_str());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::File);
    EXPECT_EQ(identity->source, FdSource::Live);
    ASSERT_NE(identity->get<PathDetails>(), nullptr);
    EXPECT_EQ(*identity->get<PathDetails>(), (PathDetails{path, false}));
    EXPECT_EQ(identity->inode, inode_of_fd(file.get()));
    EXPECT_FALSE(identity->peer);
}

TEST(ProcResolver, DeletedFileHeldOpen) {
    std::string path = temp_path("deleted");
    ScopedFd file(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
    ASSERT_TRUE(file);
    ::unlink(path.c_str());
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), file.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::File);
    EXPECT_EQ(*identity->get<PathDetails>(), (PathDetails{path, true}));
}

TEST(ProcResolver, FileReallyNamedDeletedIsNotDeleted) {
    std::string path = temp_path("odd (deleted)");
    ScopedFd file(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
    ASSERT_TRUE(file);
    ProcResolver resolver(test_options());
    auto present = resolver.resolve(::getpid(), file.get());
    ::unlink(path.c_str());
    auto gone = resolver.resolve(::getpid(), file.get());
    ASSERT_TRUE(present && gone);
    EXPECT_EQ(*present->get<PathDetails>(), (PathDetails{path, false}));
    // Unlinked, the kernel adds its own suffix after the name's.
    EXPECT_EQ(*gone->get<PathDetails>(), (PathDetails{path, true}));
}

TEST(ProcResolver, DeletedFileWithAnotherHardLink) {
    // st_nlink stays 1 here, yet the name the fd was opened by is gone.
    std::string path = temp_path("linked"), other = temp_path("linked-other");
    ScopedFd file(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
    ASSERT_TRUE(file);
    ASSERT_EQ(::link(path.c_str(), other.c_str()), 0);
    ::unlink(path.c_str());
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), file.get());
    ::unlink(other.c_str());
    ASSERT_TRUE(identity);
    EXPECT_EQ(*identity->get<PathDetails>(), (PathDetails{path, true}));
}

TEST(ProcResolver, DirectoryDeviceAndFifo) {
    std::string fifo = temp_path("fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    ScopedFd fifo_fd(::open(fifo.c_str(), O_RDWR | O_CLOEXEC));
    ::unlink(fifo.c_str());
    ScopedFd dir(::open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ScopedFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    ProcResolver resolver(test_options());
    auto dir_identity = resolver.resolve(::getpid(), dir.get());
    auto null_identity = resolver.resolve(::getpid(), null.get());
    auto fifo_identity = resolver.resolve(::getpid(), fifo_fd.get());
    ASSERT_TRUE(dir_identity && null_identity && fifo_identity);
    EXPECT_EQ(dir_identity->kind, FdKind::Dir);
    EXPECT_EQ(dir_identity->get<PathDetails>()->path, "/tmp");
    EXPECT_EQ(null_identity->kind, FdKind::Chr);
    EXPECT_EQ(null_identity->get<PathDetails>()->path, "/dev/null");
    EXPECT_EQ(fifo_identity->kind, FdKind::Fifo);
    EXPECT_EQ(*fifo_identity->get<PathDetails>(), (PathDetails{fifo, true}));
}

TEST(ProcResolver, FdFlags) {
    std::string path = temp_path("flags");
    ScopedFd file(::open(path.c_str(), O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0600));
    ScopedFd inheritable(::open("/dev/null", O_RDONLY));
    ::unlink(path.c_str());
    ASSERT_EQ(::write(file.get(), "hello", 5), 5);
    ProcResolver resolver(test_options());
    auto flags = resolver.fd_flags(::getpid(), file.get());
    auto plain = resolver.fd_flags(::getpid(), inheritable.get());
    ASSERT_TRUE(flags && plain);
    EXPECT_TRUE(flags->cloexec());
    EXPECT_EQ(flags->access_mode(), O_WRONLY);
    EXPECT_NE(flags->flags & O_APPEND, 0);
    EXPECT_EQ(flags->pos, 5u);
    EXPECT_GT(flags->mnt_id, 0);
    EXPECT_FALSE(plain->cloexec());
    EXPECT_EQ(plain->access_mode(), O_RDONLY);
}

// ---- processes that went away ---------------------------------------------

TEST(ProcResolver, ExitedProcessAndClosedFdAreNotErrors) {
    int pid = ::fork();
    if (pid == 0) ::_exit(0);
    ASSERT_GT(pid, 0);
    ::waitpid(pid, nullptr, 0);
    ProcResolver resolver(test_options());
    EXPECT_FALSE(resolver.resolve(pid, 0));
    auto result = resolver.try_resolve(pid, 0);
    ASSERT_FALSE(result);
    EXPECT_TRUE(result.error().gone());
    EXPECT_NE(result.error().operation.find("/proc/" + std::to_string(pid) + "/fd/0"),
              std::string::npos);
    EXPECT_TRUE(resolver.snapshot(pid).empty());
    EXPECT_FALSE(resolver.fd_flags(pid, 0));

    auto closed = resolver.try_resolve(::getpid(), 987654);
    ASSERT_FALSE(closed);
    EXPECT_EQ(closed.error().error, ENOENT);
}

// ---- pipes ----------------------------------------------------------------

TEST(ProcResolver, PipePeerIsTheProcessHoldingTheOtherEnd) {
    int ends[2];
    ASSERT_EQ(::pipe2(ends, O_CLOEXEC), 0);
    ScopedFd read_end(ends[0]), write_end(ends[1]);
    Child writer([&] {
        ::prctl(PR_SET_NAME, "fdt-writer");
        read_end.reset();
        return std::vector<long>{write_end.get()};
    });
    write_end.reset();
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), read_end.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Pipe);
    EXPECT_EQ(identity->inode, inode_of_fd(read_end.get()));
    ASSERT_TRUE(identity->peer);
    EXPECT_EQ(*identity->peer, (PeerProcess{writer.pid(), "fdt-writer"}));

    // And from the writer's side, the test process is the reader.
    auto writer_side = resolver.resolve(writer.pid(), static_cast<int>(writer.value(0)));
    ASSERT_TRUE(writer_side && writer_side->peer);
    EXPECT_EQ(writer_side->kind, FdKind::Pipe);
    EXPECT_EQ(writer_side->inode, identity->inode);
    EXPECT_EQ(writer_side->peer->pid, ::getpid());
}

TEST(ProcResolver, PipeWithBothEndsInOneProcessHasItselfAsPeer) {
    int ends[2];
    ASSERT_EQ(::pipe2(ends, O_CLOEXEC), 0);
    ScopedFd read_end(ends[0]), write_end(ends[1]);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), write_end.get());
    ASSERT_TRUE(identity && identity->peer);
    EXPECT_EQ(identity->peer->pid, ::getpid());
}

// ---- inet sockets ---------------------------------------------------------

TEST(ProcResolver, TcpListenerAndLoopbackConnectionWithPeers) {
    ScopedFd listener = tcp_listener();
    ASSERT_TRUE(listener);
    int port = local_port(listener.get());
    ProcResolver resolver(test_options());

    auto listening = resolver.resolve(::getpid(), listener.get());
    ASSERT_TRUE(listening);
    EXPECT_EQ(listening->kind, FdKind::Tcp);
    EXPECT_EQ(*listening->get<InetDetails>(),
              (InetDetails{"127.0.0.1:" + std::to_string(port), "", "LISTEN"}));
    EXPECT_EQ(listening->inode, inode_of_fd(listener.get()));
    EXPECT_FALSE(listening->peer);

    Child client([&] {
        ::prctl(PR_SET_NAME, "fdt-client");
        listener.reset();
        ScopedFd connection = tcp_connect(port);
        if (!connection) return std::vector<long>{-errno};
        return std::vector<long>{connection.release()};
    });
    int client_fd = static_cast<int>(client.value(0));
    ASSERT_GE(client_fd, 0);
    ScopedFd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_TRUE(accepted);
    int client_port = [&] {
        sockaddr_in peer{};
        socklen_t length = sizeof peer;
        ::getpeername(accepted.get(), reinterpret_cast<sockaddr*>(&peer), &length);
        return ntohs(peer.sin_port);
    }();
    std::string server_address = "127.0.0.1:" + std::to_string(port);
    std::string client_address = "127.0.0.1:" + std::to_string(client_port);

    auto server_side = resolver.resolve(::getpid(), accepted.get());
    ASSERT_TRUE(server_side);
    EXPECT_EQ(server_side->kind, FdKind::Tcp);
    EXPECT_EQ(*server_side->get<InetDetails>(),
              (InetDetails{server_address, client_address, "ESTABLISHED"}));
    ASSERT_TRUE(server_side->peer);
    EXPECT_EQ(*server_side->peer, (PeerProcess{client.pid(), "fdt-client"}));

    auto client_side = resolver.resolve(client.pid(), client_fd);
    ASSERT_TRUE(client_side);
    EXPECT_EQ(*client_side->get<InetDetails>(),
              (InetDetails{client_address, server_address, "ESTABLISHED"}));
    ASSERT_TRUE(client_side->peer);
    EXPECT_EQ(client_side->peer->pid, ::getpid());
}

TEST(ProcResolver, TcpConnectionNotYetAcceptedNamesTheListenerAsPeer) {
    ScopedFd listener = tcp_listener();
    int port = local_port(listener.get());
    Child server([&] {
        ::prctl(PR_SET_NAME, "fdt-server");
        return std::vector<long>{listener.get()};
    });
    listener.reset();  // only the child listens now
    ScopedFd client = tcp_connect(port);
    ASSERT_TRUE(client);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), client.get());
    ASSERT_TRUE(identity && identity->peer);
    EXPECT_EQ(*identity->peer, (PeerProcess{server.pid(), "fdt-server"}));
}

TEST(ProcResolver, ConnectionTheServerClosedHasNoPeerEvenWhileItListens) {
    // A CLOSE_WAIT leak: the server accepted and closed, and still listens.
    // Its process is not at the other end of this connection any more.
    ScopedFd listener = tcp_listener();
    int port = local_port(listener.get());
    ScopedFd client = tcp_connect(port);
    ASSERT_TRUE(client);
    Child server([&] {
        ::prctl(PR_SET_NAME, "fdt-closer");
        ::close(::accept(listener.get(), nullptr, nullptr));
        return std::vector<long>{listener.get()};
    });
    listener.reset();
    char byte;
    ASSERT_EQ(::read(client.get(), &byte, 1), 0) << "the server's close reached us: CLOSE_WAIT";
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), client.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->get<InetDetails>()->state, "CLOSE_WAIT");
    EXPECT_FALSE(identity->peer) << identity->peer->comm;
}

TEST(ProcResolver, Tcp6Listener) {
    ScopedFd listener(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        GTEST_SKIP() << "no IPv6 loopback: " << std::strerror(errno);
    }
    ASSERT_EQ(::listen(listener.get(), 1), 0);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), listener.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Tcp6);
    EXPECT_EQ(*identity->get<InetDetails>(),
              (InetDetails{"[::1]:" + std::to_string(local_port(listener.get())), "", "LISTEN"}));
}

TEST(ProcResolver, UdpSocketBoundThenConnected) {
    ScopedFd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in address = loopback_v4(0);
    ASSERT_EQ(::bind(udp.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    std::string local = "127.0.0.1:" + std::to_string(local_port(udp.get()));
    ProcResolver resolver(test_options());
    auto bound = resolver.resolve(::getpid(), udp.get());
    ASSERT_TRUE(bound);
    EXPECT_EQ(bound->kind, FdKind::Udp);
    EXPECT_EQ(*bound->get<InetDetails>(), (InetDetails{local, "", "UNCONNECTED"}));

    sockaddr_in dns = loopback_v4(53);
    ASSERT_EQ(::connect(udp.get(), reinterpret_cast<sockaddr*>(&dns), sizeof dns), 0);
    resolver.invalidate();  // the state changed under a cached dump
    auto connected = resolver.resolve(::getpid(), udp.get());
    ASSERT_TRUE(connected);
    EXPECT_EQ(*connected->get<InetDetails>(), (InetDetails{local, "127.0.0.1:53", "ESTABLISHED"}));
}

TEST(ProcResolver, FreshTcpSocketIsTcpWithoutAddresses) {
    ScopedFd fresh(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), fresh.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Tcp);
    EXPECT_EQ(*identity->get<InetDetails>(), InetDetails{});
    EXPECT_EQ(identity->inode, inode_of_fd(fresh.get()));
}

TEST(ProcResolver, RawSocket) {
    ScopedFd raw(::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP));
    if (!raw) GTEST_SKIP() << "raw sockets need CAP_NET_RAW";
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), raw.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Raw);
    // A raw socket's "port" is its protocol: ICMP is 1.
    EXPECT_EQ(identity->get<InetDetails>()->local, "0.0.0.0:1");
}

// ---- unix sockets ---------------------------------------------------------

TEST(ProcResolver, UnixSocketsBoundToPathAndAbstract) {
    std::string path = temp_path("unix.sock");
    ScopedFd listener = unix_socket_bound(SOCK_STREAM, path);
    ASSERT_TRUE(listener);
    ASSERT_EQ(::listen(listener.get(), 4), 0);
    std::string abstract_name = "fdtrace-abstract-" + std::to_string(::getpid());
    ScopedFd abstract = unix_socket_bound(SOCK_DGRAM, std::string(1, '\0') + abstract_name);
    ASSERT_TRUE(abstract);
    ProcResolver resolver(test_options());

    auto listening = resolver.resolve(::getpid(), listener.get());
    ASSERT_TRUE(listening);
    EXPECT_EQ(listening->kind, FdKind::Unix);
    const auto* listening_details = listening->get<UnixDetails>();
    ASSERT_NE(listening_details, nullptr);
    EXPECT_EQ(listening_details->type, "STREAM");
    EXPECT_EQ(listening_details->path, path);
    EXPECT_FALSE(listening_details->deleted);
    EXPECT_EQ(listening_details->state, "LISTEN");
    EXPECT_EQ(listening_details->peer_inode, 0u);

    auto abstract_identity = resolver.resolve(::getpid(), abstract.get());
    ASSERT_TRUE(abstract_identity);
    const auto* abstract_details = abstract_identity->get<UnixDetails>();
    ASSERT_NE(abstract_details, nullptr);
    EXPECT_EQ(abstract_details->type, "DGRAM");
    EXPECT_EQ(abstract_details->path, '@' + abstract_name);
    EXPECT_EQ(abstract_details->state, "UNCONNECTED");

    // A client in another process: the accepted socket names it as peer,
    // and the client shows the address it connected to.
    Child client([&] {
        ::prctl(PR_SET_NAME, "fdt-unix-client");
        listener.reset();
        ScopedFd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        socklen_t length = 0;
        sockaddr_un address = unix_address(path, length);
        if (::connect(socket.get(), reinterpret_cast<sockaddr*>(&address), length) != 0) {
            return std::vector<long>{-errno};
        }
        return std::vector<long>{socket.release()};
    });
    ASSERT_GE(client.value(0), 0);
    ScopedFd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_TRUE(accepted);
    auto server_side = resolver.resolve(::getpid(), accepted.get());
    auto client_side = resolver.resolve(client.pid(), static_cast<int>(client.value(0)));
    ::unlink(path.c_str());
    ASSERT_TRUE(server_side && client_side);
    const auto* server_details = server_side->get<UnixDetails>();
    const auto* client_details = client_side->get<UnixDetails>();
    ASSERT_TRUE(server_details && client_details);
    EXPECT_EQ(server_details->path, path);
    EXPECT_EQ(server_details->state, "ESTABLISHED");
    EXPECT_EQ(server_details->peer_inode, client_side->inode);
    ASSERT_TRUE(server_side->peer);
    EXPECT_EQ(*server_side->peer, (PeerProcess{client.pid(), "fdt-unix-client"}));
    EXPECT_EQ(client_details->path, "");
    EXPECT_EQ(client_details->peer_path, path);
    EXPECT_EQ(client_details->peer_inode, server_side->inode);
    ASSERT_TRUE(client_side->peer);
    EXPECT_EQ(client_side->peer->pid, ::getpid());
}

TEST(ProcResolver, UnixSocketWhosePathWasUnlinked) {
    std::string path = temp_path("gone.sock");
    ScopedFd socket = unix_socket_bound(SOCK_DGRAM, path);
    ASSERT_TRUE(socket);
    ::unlink(path.c_str());
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), socket.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->get<UnixDetails>()->path, path);
    EXPECT_TRUE(identity->get<UnixDetails>()->deleted);
}

TEST(ProcResolver, SocketpairEndsNameEachOther) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends), 0);
    ScopedFd first(ends[0]), second(ends[1]);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), first.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Unix);
    const auto* details = identity->get<UnixDetails>();
    ASSERT_NE(details, nullptr);
    EXPECT_EQ(details->type, "SEQPACKET");
    EXPECT_EQ(details->state, "ESTABLISHED");
    EXPECT_EQ(details->peer_inode, inode_of_fd(second.get()));
    ASSERT_TRUE(identity->peer);
    EXPECT_EQ(identity->peer->pid, ::getpid());
}

// ---- netlink, packet ------------------------------------------------------

TEST(ProcResolver, NetlinkSocketsNameTheirProtocol) {
    ProcResolver resolver(test_options());
    for (auto [protocol, name] :
         {std::pair{NETLINK_ROUTE, "route"}, std::pair{NETLINK_SOCK_DIAG, "sock_diag"},
          std::pair{NETLINK_KOBJECT_UEVENT, "kobject_uevent"}}) {
        ScopedFd socket(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol));
        ASSERT_TRUE(socket) << name;
        // Netlink sockets enter the kernel's table when bound (or autobound
        // by their first send); bind with port id 0 binds automatically.
        sockaddr_nl address{};
        address.nl_family = AF_NETLINK;
        ASSERT_EQ(::bind(socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        auto identity = resolver.resolve(::getpid(), socket.get());
        ASSERT_TRUE(identity) << name;
        EXPECT_EQ(identity->kind, FdKind::Netlink);
        EXPECT_EQ(*identity->get<NetlinkDetails>(), NetlinkDetails{name});
        EXPECT_EQ(identity->inode, inode_of_fd(socket.get()));
    }
}

TEST(ProcResolver, PacketSocket) {
    ScopedFd packet(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)));
    if (!packet) GTEST_SKIP() << "packet sockets need CAP_NET_RAW";
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), packet.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Packet);
    EXPECT_EQ(anon(*identity).info, "type=RAW protocol=ALL ifindex=any");
}

// ---- anon inodes ----------------------------------------------------------

TEST(ProcResolver, Eventfd) {
    ScopedFd event(::eventfd(7, EFD_CLOEXEC));
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), event.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Eventfd);
    EXPECT_EQ(anon(*identity), (AnonDetails{"[eventfd]", "count=7"}));
}

TEST(ProcResolver, EpollListsWatchedFds) {
    ScopedFd epoll(::epoll_create1(EPOLL_CLOEXEC));
    ScopedFd event(::eventfd(0, EFD_CLOEXEC));
    int ends[2];
    ASSERT_EQ(::pipe2(ends, O_CLOEXEC), 0);
    ScopedFd read_end(ends[0]), write_end(ends[1]);
    epoll_event watch{};
    watch.events = EPOLLIN;
    watch.data.u64 = 0xfeed;
    ASSERT_EQ(::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, read_end.get(), &watch), 0);
    watch.data.u64 = 42;
    ASSERT_EQ(::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, event.get(), &watch), 0);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), epoll.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Epoll);
    int low = std::min(event.get(), read_end.get()), high = std::max(event.get(), read_end.get());
    EXPECT_EQ(anon(*identity), (AnonDetails{"[eventpoll]", "fds=" + std::to_string(low) + ',' +
                                                               std::to_string(high)}));
    auto watches = resolver.epoll_watches(::getpid(), epoll.get());
    ASSERT_TRUE(watches);
    ASSERT_EQ(watches->size(), 2u);
    for (const EpollWatch& each : *watches) {
        EXPECT_EQ(each.data, each.fd == read_end.get() ? 0xfeedu : 42u);
        EXPECT_EQ(each.inode, inode_of_fd(each.fd));
    }
}

TEST(ProcResolver, Timerfd) {
    ScopedFd armed(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    ScopedFd idle(::timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC));
    itimerspec spec{};
    spec.it_value.tv_sec = 100;
    spec.it_interval.tv_sec = 1;
    spec.it_interval.tv_nsec = 500000000;
    ASSERT_EQ(::timerfd_settime(armed.get(), 0, &spec, nullptr), 0);
    ProcResolver resolver(test_options());
    auto armed_identity = resolver.resolve(::getpid(), armed.get());
    auto idle_identity = resolver.resolve(::getpid(), idle.get());
    ASSERT_TRUE(armed_identity && idle_identity);
    EXPECT_EQ(armed_identity->kind, FdKind::Timerfd);
    const std::string& info = anon(*armed_identity).info;
    // The remaining time ticks: 99.xs, unless the machine stalled for a second.
    EXPECT_TRUE(info.starts_with("clock=MONOTONIC value=99.")) << info;
    EXPECT_TRUE(info.ends_with("s interval=1.5s")) << info;
    EXPECT_EQ(anon(*idle_identity), (AnonDetails{"[timerfd]", "clock=REALTIME disarmed"}));
}

TEST(ProcResolver, Signalfd) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGINT);
    ScopedFd signals(::signalfd(-1, &mask, SFD_CLOEXEC));
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), signals.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Signalfd);
    EXPECT_EQ(anon(*identity), (AnonDetails{"[signalfd]", "mask=INT,USR1"}));
}

TEST(ProcResolver, Inotify) {
    ScopedFd notify(::inotify_init1(IN_CLOEXEC));
    ASSERT_EQ(::inotify_add_watch(notify.get(), "/tmp", IN_CREATE), 1);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), notify.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Inotify);
    EXPECT_EQ(anon(*identity), (AnonDetails{"inotify", "watches=1"}));
}

TEST(ProcResolver, Fanotify) {
    ScopedFd notify(::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY));
    if (!notify) GTEST_SKIP() << "fanotify: " << std::strerror(errno);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), notify.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Fanotify);
    EXPECT_EQ(anon(*identity).name, "[fanotify]");
    EXPECT_TRUE(anon(*identity).info.ends_with("marks=0")) << anon(*identity).info;
}

TEST(ProcResolver, PidfdNamesItsProcess) {
    Child target([] { return std::vector<long>{}; });
    ScopedFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, target.pid(), 0)));
    if (!pidfd) GTEST_SKIP() << "pidfd_open: " << std::strerror(errno);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), pidfd.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Pidfd);
    EXPECT_EQ(*identity->get<PidfdDetails>(), PidfdDetails{target.pid()});
}

TEST(ProcResolver, MemfdKeepsItsName) {
    ScopedFd memfd(::memfd_create("fdtrace test (x)", MFD_CLOEXEC));
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), memfd.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Memfd);
    EXPECT_EQ(anon(*identity).name, "fdtrace test (x)");
    EXPECT_EQ(identity->inode, inode_of_fd(memfd.get()));
}

TEST(ProcResolver, IoUring) {
    io_uring_params params{};
    ScopedFd ring(static_cast<int>(::syscall(SYS_io_uring_setup, 4, &params)));
    if (!ring) GTEST_SKIP() << "io_uring_setup: " << std::strerror(errno);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), ring.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::IoUring);
    EXPECT_EQ(anon(*identity), (AnonDetails{"[io_uring]", "sq_entries=4 cq_entries=8"}));
}

TEST(ProcResolver, Userfaultfd) {
    ScopedFd uffd(static_cast<int>(::syscall(SYS_userfaultfd, O_CLOEXEC)));
    if (!uffd) GTEST_SKIP() << "userfaultfd: " << std::strerror(errno);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), uffd.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Userfaultfd);
    EXPECT_EQ(anon(*identity), (AnonDetails{"[userfaultfd]", "pending=0 total=0"}));
}

// A namespace fd reads "net:[4026531840]", as its /proc link and strace -y
// say; it was shown as "anon_inode:net:[...]" before.
TEST(ProcResolver, NamespaceFd) {
    ScopedFd ns(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(ns) << std::strerror(errno);
    struct stat st {};
    ASSERT_EQ(::fstat(ns.get(), &st), 0);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), ns.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Namespace);
    IdentityFormatter formatter(FormatOptions{true, false});
    EXPECT_EQ(formatter.text(*identity), "net:[" + std::to_string(st.st_ino) + "]");
    EXPECT_EQ(kind_name(identity->kind), "namespace");
}

TEST(ProcResolver, BpfMap) {
    bpf_attr attr{};
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    ScopedFd map(static_cast<int>(::syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr)));
    if (!map) GTEST_SKIP() << "bpf: " << std::strerror(errno);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), map.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::Bpf);
    EXPECT_EQ(anon(*identity).name, "bpf-map");
    EXPECT_TRUE(anon(*identity).info.starts_with("map_type=2 map_id=")) << anon(*identity).info;
}

TEST(ProcResolver, PerfEvent) {
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_DUMMY;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    ScopedFd event(
        static_cast<int>(::syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC)));
    if (!event) GTEST_SKIP() << "perf_event_open: " << std::strerror(errno);
    ProcResolver resolver(test_options());
    auto identity = resolver.resolve(::getpid(), event.get());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->kind, FdKind::PerfEvent);
    EXPECT_EQ(anon(*identity).name, "[perf_event]");
}

// ---- whole tables ---------------------------------------------------------

TEST(ProcResolver, SnapshotOfAChild) {
    Child child([] {
        ::prctl(PR_SET_NAME, "fdt-snapshot");
        std::vector<long> fds;
        fds.push_back(::open("/dev/null", O_RDONLY));
        fds.push_back(::eventfd(3, 0));
        int ends[2];
        if (::pipe(ends) == 0) fds.insert(fds.end(), {ends[0], ends[1]});
        return fds;
    });
    ProcResolver resolver(test_options());
    auto table = resolver.snapshot(child.pid());

    std::size_t open_fds = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator("/proc/" + std::to_string(child.pid()) + "/fd")) {
        (void)entry;
        ++open_fds;
    }
    EXPECT_EQ(table.size(), open_fds);
    EXPECT_TRUE(std::is_sorted(table.begin(), table.end(),
                               [](const auto& a, const auto& b) { return a.first < b.first; }));
    auto entry = [&](long fd) -> const FdIdentity* {
        for (const auto& [number, identity] : table) {
            if (number == fd) return &identity;
        }
        return nullptr;
    };
    for (std::size_t i = 0; i < 4; ++i) ASSERT_NE(entry(child.value(i)), nullptr) << i;
    EXPECT_EQ(entry(child.value(0))->kind, FdKind::Chr);
    EXPECT_EQ(entry(child.value(1))->kind, FdKind::Eventfd);
    EXPECT_EQ(anon(*entry(child.value(1))).info, "count=3");
    const FdIdentity& read_end = *entry(child.value(2));
    EXPECT_EQ(read_end.kind, FdKind::Pipe);
    EXPECT_EQ(read_end.inode, entry(child.value(3))->inode);
    ASSERT_TRUE(read_end.peer);
    EXPECT_EQ(*read_end.peer, (PeerProcess{child.pid(), "fdt-snapshot"}));
}

// ---- network namespaces ---------------------------------------------------

// Brings `lo` up in the calling process's (new) network namespace.
bool bring_loopback_up() {
    ScopedFd socket(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(socket.get(), SIOCGIFFLAGS, &request) != 0) return false;
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
    return ::ioctl(socket.get(), SIOCSIFFLAGS, &request) == 0;
}

// A child alone in a new network namespace, listening on 127.0.0.1:port
// and connected to itself there. Reports: listener, client fd, accepted fd.
std::vector<long> listen_in_new_network_namespace(int port) {
    if (::unshare(CLONE_NEWNET) != 0) return {-errno};
    if (!bring_loopback_up()) return {-errno};
    ScopedFd listener = tcp_listener(port);
    if (!listener) return {-errno};
    ScopedFd client = tcp_connect(port);
    if (!client) return {-errno};
    ScopedFd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    return {listener.release(), client.release(), accepted.release()};
}

void expect_listener_in_namespace(bool use_sock_diag) {
    constexpr int kPort = 45678;
    Child child([] { return listen_in_new_network_namespace(kPort); });
    if (child.value(0) < 0) {
        GTEST_SKIP() << "cannot create a network namespace: " << std::strerror(-child.value(0));
    }
    auto theirs = SockDiag::network_namespace(child.pid());
    auto ours = SockDiag::network_namespace(::getpid());
    ASSERT_TRUE(theirs && ours);
    ASSERT_NE(*theirs, *ours);

    ProcResolver::Options options = test_options();
    options.sockets.use_sock_diag = use_sock_diag;
    ProcResolver resolver(options);
    auto listening = resolver.resolve(child.pid(), static_cast<int>(child.value(0)));
    ASSERT_TRUE(listening);
    EXPECT_EQ(listening->kind, FdKind::Tcp);
    EXPECT_EQ(*listening->get<InetDetails>(),
              (InetDetails{"127.0.0.1:" + std::to_string(kPort), "", "LISTEN"}));

    auto client = resolver.resolve(child.pid(), static_cast<int>(child.value(1)));
    ASSERT_TRUE(client);
    const auto* client_details = client->get<InetDetails>();
    ASSERT_NE(client_details, nullptr);
    EXPECT_EQ(client_details->remote, "127.0.0.1:" + std::to_string(kPort));
    EXPECT_EQ(client_details->state, "ESTABLISHED");
    // Both ends are the child's own: it is its own peer.
    ASSERT_TRUE(client->peer);
    EXPECT_EQ(client->peer->pid, child.pid());

    // Where the answer came from: the child's namespace, not ours.
    auto socket = resolver.sockets().find(child.pid(), *listening->inode, SocketTable::Tcp);
    ASSERT_TRUE(socket);
    EXPECT_EQ(socket->source, use_sock_diag ? SocketSource::SockDiag : SocketSource::ProcNet);
    EXPECT_FALSE(resolver.sockets().find(::getpid(), *listening->inode, SocketTable::Tcp));
}

TEST(ProcResolver, ListenerInsideAnotherNetworkNamespaceViaSockDiag) {
    expect_listener_in_namespace(true);
}

TEST(ProcResolver, ListenerInsideAnotherNetworkNamespaceViaProcNet) {
    expect_listener_in_namespace(false);
}

// ---- the /proc/net fallback, live -----------------------------------------

TEST(SockDiag, ProcNetFallbackMatchesSockDiag) {
    ScopedFd listener = tcp_listener();
    std::string path = temp_path("fallback.sock");
    ScopedFd unix_socket = unix_socket_bound(SOCK_STREAM, path);
    ::listen(unix_socket.get(), 1);
    ScopedFd netlink(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    sockaddr_nl address{};
    address.nl_family = AF_NETLINK;
    ASSERT_EQ(::bind(netlink.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);

    SockDiag diag;
    SockDiag::Options proc_net_only;
    proc_net_only.use_sock_diag = false;
    SockDiag fallback(proc_net_only);
    for (int fd : {listener.get(), unix_socket.get(), netlink.get()}) {
        auto from_diag = diag.find(::getpid(), inode_of_fd(fd));
        auto from_proc = fallback.find(::getpid(), inode_of_fd(fd));
        ASSERT_TRUE(from_diag && from_proc) << fd;
        EXPECT_EQ(from_diag->source, SocketSource::SockDiag);
        EXPECT_EQ(from_proc->source, SocketSource::ProcNet);
        EXPECT_EQ(from_diag->kind, from_proc->kind);
        EXPECT_EQ(from_diag->details, from_proc->details) << fd;
    }
    ::unlink(path.c_str());
}

// ---- parsers, on fixed text -----------------------------------------------

TEST(Fdinfo, FlagsAreOctal) {
    auto flags = parse_fd_flags("pos:\t12\nflags:\t02100002\nmnt_id:\t27\nino:\t99\n");
    ASSERT_TRUE(flags);
    EXPECT_EQ(*flags, (FdFlags{02100002, 12, 27}));
    EXPECT_TRUE(flags->cloexec());
    EXPECT_EQ(flags->access_mode(), O_RDWR);
    EXPECT_FALSE(parse_fd_flags("pos:\t0\n"));
}

TEST(Fdinfo, EpollLines) {
    auto watches = parse_epoll_watches(
        "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n"
        "tfd:        5 events:       19 data:                5  pos:0 ino:1bac sdev:f\n"
        "tfd:        3 events:       1c data:     7f2000000003  pos:0 ino:40e sdev:10\n");
    EXPECT_EQ(watches,
              (std::vector<EpollWatch>{{5, 0x19, 5, 0x1bac}, {3, 0x1c, 0x7f2000000003, 0x40e}}));
    EXPECT_EQ(describe_anon_inode("[eventpoll]",
                                  "tfd: 9 events: 1 data: 0 pos:0 ino:1 sdev:1\n"
                                  "tfd: 4 events: 1 data: 0 pos:0 ino:2 sdev:1\n")
                  .details,
              FdDetails(AnonDetails{"[eventpoll]", "fds=4,9"}));
}

TEST(Fdinfo, AnonInodeSummaries) {
    auto info = [](std::string_view name, std::string_view text) {
        AnonDescription description = describe_anon_inode(name, text);
        return std::get<AnonDetails>(description.details).info;
    };
    // eventfd-count is printed in hex.
    EXPECT_EQ(info("[eventfd]", "eventfd-count:               1f\neventfd-semaphore: 1\n"),
              "count=31 semaphore");
    EXPECT_EQ(info("[timerfd]",
                   "clockid: 7\nticks: 0\nsettime flags: 00\n"
                   "it_value: (2, 50000000)\nit_interval: (0, 0)\n"),
              "clock=BOOTTIME value=2.05s");
    EXPECT_EQ(info("[signalfd]", "sigmask:\t0000000000004001\n"), "mask=HUP,TERM");
    EXPECT_EQ(info("inotify", ""), "watches=0");
    EXPECT_EQ(info("[fanotify]",
                   "fanotify flags:10 event-flags:8000\n"
                   "fanotify ino:3c51a sdev:fe00000 mflags:0 mask:1 ignored_mask:0\n"),
              "flags=10 event-flags=8000 marks=1");
    EXPECT_EQ(info("bpf-map", "map_type:\t1\nkey_size:\t4\nmap_id:\t12\n"), "map_type=1 map_id=12");
    EXPECT_EQ(anon_inode_kind("bpf_link"), FdKind::Bpf);
    EXPECT_EQ(anon_inode_kind("[perf_event]"), FdKind::PerfEvent);
    EXPECT_EQ(anon_inode_kind("[kvm-vm]"), FdKind::Anon);
    // A pidfd whose process has been reaped.
    auto reaped = describe_anon_inode("[pidfd]", "Pid:\t-1\nNSpid:\t-1\n");
    EXPECT_EQ(reaped.kind, FdKind::Pidfd);
    EXPECT_EQ(reaped.details, FdDetails(PidfdDetails{-1}));
}

TEST(ProcNet, InetLines) {
    auto tcp = parse_proc_net(
        SocketTable::Tcp,
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
        "        0 4242 1 0000000000000000 100 0 0 10 0\n"
        "   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000"
        "        0 4243 1 0000000000000000 20 4 30 10 -1\n"
        "   2: 0100007F:C351 0100007F:1F90 06 00000000:00000000 03:00000D05 00000000     0"
        "        0 0 3 0000000000000000\n");
    ASSERT_EQ(tcp.size(), 2u);  // the time-wait socket has no inode
    EXPECT_EQ(tcp[0].inode, 4242u);
    EXPECT_EQ(tcp[0].details, FdDetails(InetDetails{"127.0.0.1:8080", "", "LISTEN"}));
    EXPECT_EQ(tcp[1].details,
              FdDetails(InetDetails{"127.0.0.1:50000", "127.0.0.1:8080", "ESTABLISHED"}));

    auto tcp6 = parse_proc_net(
        SocketTable::Tcp6,
        "   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A "
        "00000000:00000000 00:00000000 00000000     0        0 77 1 0000000000000000 100 0 0 10 0\n"
        "   1: 0000000000000000FFFF00000100007F:0016 0000000000000000FFFF00000100007F:D431 01 "
        "00000000:00000000 00:00000000 00000000     0        0 78 1 0000000000000000 100 0 0 10 "
        "0\n");
    ASSERT_EQ(tcp6.size(), 2u);
    EXPECT_EQ(tcp6[0].details, FdDetails(InetDetails{"[::1]:22", "", "LISTEN"}));
    EXPECT_EQ(tcp6[1].details, FdDetails(InetDetails{"[::ffff:127.0.0.1]:22",
                                                     "[::ffff:127.0.0.1]:54321", "ESTABLISHED"}));
    // A v4-mapped end matches the same address seen by a v4 socket.
    EXPECT_EQ(tcp6[1].local.address, tcp[0].local.address);
    EXPECT_TRUE(tcp6[1].local.is_ipv4());
    EXPECT_TRUE(tcp6[1].local.is_loopback());

    auto udp = parse_proc_net(SocketTable::Udp,
                              "  415: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 "
                              "00000000     0        0 9001 2 0000000000000000 0\n");
    ASSERT_EQ(udp.size(), 1u);
    EXPECT_EQ(udp[0].details, FdDetails(InetDetails{"0.0.0.0:68", "", "UNCONNECTED"}));
}

TEST(ProcNet, UnixNetlinkPacketLines) {
    auto unix_sockets = parse_proc_net(
        SocketTable::Unix,
        "Num       RefCount Protocol Flags    Type St Inode Path\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01 100 /run/with space.sock\n"
        "0000000000000000: 00000002 00000000 00000000 0002 01 101 @abstract\n"
        "0000000000000000: 00000003 00000000 00000000 0001 03 102\n");
    ASSERT_EQ(unix_sockets.size(), 3u);
    EXPECT_EQ(unix_sockets[0].details,
              FdDetails(UnixDetails{"STREAM", "/run/with space.sock", "", false, 0, "LISTEN"}));
    EXPECT_EQ(unix_sockets[1].details,
              FdDetails(UnixDetails{"DGRAM", "@abstract", "", false, 0, "UNCONNECTED"}));
    EXPECT_EQ(unix_sockets[2].details,
              FdDetails(UnixDetails{"STREAM", "", "", false, 0, "ESTABLISHED"}));

    auto netlink = parse_proc_net(
        SocketTable::Netlink,
        "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
        "0000000039f5b6d2 0   0          00000000 0        0        0     2        0        4\n"
        "0000000077cc2c3c 9   812        00000001 0        0        0     2        0        565\n");
    ASSERT_EQ(netlink.size(), 2u);
    EXPECT_EQ(netlink[0].details, FdDetails(NetlinkDetails{"route"}));
    EXPECT_EQ(netlink[1].details, FdDetails(NetlinkDetails{"audit"}));
    EXPECT_EQ(netlink[1].inode, 565u);

    auto packet =
        parse_proc_net(SocketTable::Packet,
                       "sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n"
                       "ffff8880047f5000 3      3    0003   0     1 0      0      31337\n"
                       "ffff8880047f6000 3      2    0800   2     1 0      0      31338\n");
    ASSERT_EQ(packet.size(), 2u);
    EXPECT_EQ(packet[0].details, FdDetails(AnonDetails{"", "type=RAW protocol=ALL ifindex=any"}));
    EXPECT_EQ(packet[1].details, FdDetails(AnonDetails{"", "type=DGRAM protocol=IP ifindex=2"}));
}

}  // namespace
}  // namespace fdtrace
