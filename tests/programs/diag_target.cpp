// A target for the `fds`, `stuck` and `leaks` tests (tests/diagnose_test.cpp).
// It reports on stdout ("ready ...\n") once its fds are in place; the test
// then looks at it and kills it.
//
//   diag_target fds DIR           many kinds of fd (see below), then waits
//   diag_target client PORT [RCVTIMEO_S [KEEPALIVE_IDLE]]
//                                 connects to 127.0.0.1:PORT, sets options,
//                                 then read()s the socket forever
//   diag_target pipe-read         read()s stdin (a pipe the test writes to)
//   diag_target waits             threads blocked in poll (60 s), epoll_wait
//                                 (no timeout), nanosleep and accept, main in
//                                 read(stdin)
//   diag_target leak DIR          per "leak N" line on stdin: N unix sockets
//                                 bound to DIR/agent.sock then unlinked, N
//                                 abstract ones, N deleted files; answers
//                                 "ok TOTAL"; "stream" leaks 3 fds every 10 ms
//   diag_target leader-exits      opens /etc/hostname, a pipe and a TCP
//                                 listener; a thread reports them and read()s
//                                 the pipe forever, the main thread calls
//                                 pthread_exit
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

[[noreturn]] void die(const char* what) {
    std::perror(what);
    std::exit(1);
}

void say(const std::string& line) {
    std::string text = line + "\n";
    if (::write(1, text.data(), text.size()) != static_cast<ssize_t>(text.size())) die("write");
}

[[noreturn]] void wait_forever() {
    while (true) ::pause();
}

socklen_t unix_address(sockaddr_un& address, const std::string& name, bool abstract) {
    address = {};
    address.sun_family = AF_UNIX;
    if (abstract) {
        std::memcpy(address.sun_path + 1, name.data(), name.size());
        return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    }
    std::memcpy(address.sun_path, name.c_str(), name.size() + 1);
    return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + 1);
}

int unix_bound(const std::string& name, bool abstract, bool listening) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    sockaddr_un address;
    socklen_t length = unix_address(address, name, abstract);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) die("bind unix");
    if (listening && ::listen(fd, 4) != 0) die("listen unix");
    return fd;
}

int local_port(int fd) {
    sockaddr_in6 address{};
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin6_port);  // sin_port sits at the same offset
}

int tcp_listener(int family) {
    int fd = ::socket(family, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    if (family == AF_INET) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind");
    } else {
        sockaddr_in6 address{};
        address.sin6_family = AF_INET6;
        address.sin6_addr = in6addr_loopback;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind6");
    }
    if (::listen(fd, 8) != 0) die("listen");
    return fd;
}

int tcp_connect(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("connect");
    return fd;
}

int deleted_file(const std::string& dir) {
    std::string name = dir + "/deleted-XXXXXX";
    int fd = ::mkstemp(name.data());
    if (fd < 0) die("mkstemp");
    ::unlink(name.c_str());
    return fd;
}

// Many kinds of fd; reports "ready name=fd ... port=N port6=N".
[[noreturn]] void run_fds(const std::string& dir) {
    std::string report = "ready";
    auto note = [&](const char* name, int value) {
        report += std::string(" ") + name + "=" + std::to_string(value);
    };
    int file = ::open((dir + "/plain.txt").c_str(), O_RDWR | O_CREAT | O_APPEND, 0600);
    if (file < 0) die("open");
    note("file", file);
    note("deleted", deleted_file(dir));
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_NONBLOCK) != 0) die("pipe");
    note("pipe_r", pipe_fds[0]);
    note("pipe_w", pipe_fds[1]);
    int listener = tcp_listener(AF_INET);
    note("listen", listener);
    note("port", local_port(listener));
    int client = tcp_connect(local_port(listener));
    note("client", client);
    int accepted = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (accepted < 0) die("accept");
    note("accepted", accepted);
    int listener6 = tcp_listener(AF_INET6);
    note("listen6", listener6);
    note("port6", local_port(listener6));
    int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(udp, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind udp");
    note("udp", udp);
    note("unix_listen", unix_bound(dir + "/live.sock", false, true));
    note("unix_unlinked", unix_bound(dir + "/gone.sock", false, true));
    ::unlink((dir + "/gone.sock").c_str());
    note("unix_abstract", unix_bound("fdtrace-diag-" + std::to_string(::getpid()), true, false));
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) die("socketpair");
    note("pair_a", pair[0]);
    note("pair_b", pair[1]);
    note("eventfd", ::eventfd(0, EFD_CLOEXEC));
    note("dir", ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    say(report);
    wait_forever();
}

[[noreturn]] void run_client(int port, double rcvtimeo, int keepalive_idle) {
    int fd = tcp_connect(port);
    if (rcvtimeo > 0) {
        timeval tv{static_cast<time_t>(rcvtimeo),
                   static_cast<suseconds_t>((rcvtimeo - static_cast<time_t>(rcvtimeo)) * 1e6)};
        if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) die("SO_RCVTIMEO");
    }
    if (keepalive_idle > 0) {
        int one = 1, interval = 10, count = 5;
        ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &keepalive_idle, sizeof keepalive_idle);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
    }
    say("ready fd=" + std::to_string(fd) + " port=" + std::to_string(local_port(fd)));
    char buffer[64];
    while (true) {
        ssize_t got = ::read(fd, buffer, sizeof buffer);  // EAGAIN after SO_RCVTIMEO: again
        if (got == 0) std::exit(0);
    }
}

[[noreturn]] void run_pipe_read() {
    say("ready");
    char buffer[64];
    while (::read(0, buffer, sizeof buffer) > 0) {
    }
    std::exit(0);
}

[[noreturn]] void run_waits() {
    std::thread poller([] {
        pthread_setname_np(pthread_self(), "poller");
        pollfd fds[1] = {{0, POLLIN, 0}};
        ::poll(fds, 1, 60000);
    });
    std::thread epoller([] {
        pthread_setname_np(pthread_self(), "epoller");
        int epoll = ::epoll_create1(EPOLL_CLOEXEC);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = 0;
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, 0, &event);
        ::epoll_wait(epoll, &event, 1, -1);
    });
    std::thread sleeper([] {
        pthread_setname_np(pthread_self(), "sleeper");
        timespec ts{1000, 0};
        ::nanosleep(&ts, nullptr);
    });
    int listener = tcp_listener(AF_INET);
    std::thread acceptor([listener] {
        pthread_setname_np(pthread_self(), "acceptor");
        ::accept(listener, nullptr, nullptr);
    });
    say("ready listen=" + std::to_string(listener) +
        " port=" + std::to_string(local_port(listener)));
    char buffer[64];
    while (::read(0, buffer, sizeof buffer) > 0) {
    }
    std::_Exit(0);
}

[[noreturn]] void run_leak(const std::string& dir) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    int leaked = 0;
    auto leak_one_each = [&](int serial) {
        // Bound, then its path unlinked: the path can be bound again.
        unix_bound(dir + "/agent.sock", false, true);
        ::unlink((dir + "/agent.sock").c_str());
        unix_bound("fdtrace-leak-" + std::to_string(::getpid()) + "-" + std::to_string(serial),
                   true, false);
        deleted_file(dir);
        leaked += 3;
    };
    say("ready");
    int serial = 0;
    char line[64];
    FILE* in = ::fdopen(0, "r");
    while (std::fgets(line, sizeof line, in)) {
        int count = 0;
        if (std::sscanf(line, "leak %d", &count) == 1) {
            for (int i = 0; i < count; ++i) leak_one_each(serial++);
            say("ok " + std::to_string(leaked));
        } else if (std::strncmp(line, "stream", 6) == 0) {
            say("streaming");
            for (int i = 0; i < 1000; ++i) {
                leak_one_each(serial++);
                timespec ts{0, 10'000'000};
                ::nanosleep(&ts, nullptr);
            }
        }
    }
    std::exit(0);
}

}  // namespace

void* read_pipe_forever(void* arg) {
    const int* fds = static_cast<const int*>(arg);
    say("ready file=" + std::to_string(fds[0]) + " pipe=" + std::to_string(fds[1]) +
        " listen=" + std::to_string(fds[2]));
    char byte;
    while (true) (void)::read(fds[1], &byte, 1);
}

[[noreturn]] void run_leader_exits() {
    static int fds[3];
    fds[0] = ::open("/etc/hostname", O_RDONLY | O_CLOEXEC);
    int ends[2];
    if (fds[0] < 0 || ::pipe(ends) != 0) die("open");
    fds[1] = ends[0];
    fds[2] = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fds[2] < 0 || ::bind(fds[2], reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fds[2], 1) != 0)
        die("listen");
    pthread_t reader;
    if (::pthread_create(&reader, nullptr, read_pipe_forever, fds) != 0) die("pthread_create");
    ::pthread_exit(nullptr);
}

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "leader-exits") run_leader_exits();
    if (mode == "fds" && argc > 2) run_fds(argv[2]);
    if (mode == "client" && argc > 2) {
        run_client(std::atoi(argv[2]), argc > 3 ? std::atof(argv[3]) : 0,
                   argc > 4 ? std::atoi(argv[4]) : 0);
    }
    if (mode == "pipe-read") run_pipe_read();
    if (mode == "waits") run_waits();
    if (mode == "leak" && argc > 2) run_leak(argv[2]);
    std::fprintf(stderr,
                 "usage: diag_target fds DIR | client PORT [RCVTIMEO [IDLE]] | "
                 "pipe-read | waits | leak DIR | leader-exits\n");
    return 2;
}
