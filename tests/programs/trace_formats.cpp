// Exercises the syscall decoders: its trace under fdtrace is compared with
// strace's for the same calls (timing-free, deterministic arguments).
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    std::string dir = argv[1];
    std::string file = dir + "/formats.txt";
    int fd = open(file.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    const char binary[] =
        "a\0b\1\n\t\"\\\377"
        "7x";
    if (write(fd, binary, sizeof binary - 1) < 0) return 10;
    std::string big(100, 'z');
    if (pwrite(fd, big.data(), big.size(), 20) < 0) return 11;
    char buffer[256];
    if (pread(fd, buffer, sizeof buffer, 0) < 0) return 12;
    iovec out[2] = {{const_cast<char*>("one"), 3}, {const_cast<char*>("two"), 3}};
    if (writev(fd, out, 2) < 0) return 13;
    lseek(fd, 0, SEEK_SET);
    char first[4], second[4];
    iovec in[2] = {{first, 4}, {second, 4}};
    if (readv(fd, in, 2) < 0) return 14;
    (void)!read(999, buffer, 8);  // EBADF
    int missing = open((dir + "/missing").c_str(), O_RDONLY);
    (void)missing;

    int pipes[2];
    if (pipe2(pipes, O_CLOEXEC | O_NONBLOCK) != 0) return 15;
    (void)!read(pipes[0], buffer, 8);  // EAGAIN
    int copy = dup(pipes[1]);
    dup2(copy, 20);
    dup3(copy, 21, O_CLOEXEC);
    fcntl(20, F_GETFD);
    fcntl(21, F_GETFD);
    fcntl(20, F_SETFD, FD_CLOEXEC);
    fcntl(pipes[0], F_GETFL);
    fcntl(pipes[0], F_SETFL, O_RDONLY | O_NONBLOCK);
    fcntl(20, F_DUPFD_CLOEXEC, 30);

    pollfd polled[2] = {{pipes[0], POLLIN, 0}, {pipes[1], POLLOUT, 0}};
    poll(polled, 2, 0);
    timespec zero{0, 0};
    ppoll(polled, 1, &zero, nullptr);
    fd_set readable, writable;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_SET(pipes[0], &readable);
    FD_SET(pipes[1], &writable);
    timeval no_wait{0, 0};
    select(pipes[1] + 1, &readable, &writable, nullptr, &no_wait);

    int epoll = epoll_create1(EPOLL_CLOEXEC);
    epoll_event watch{};
    watch.events = EPOLLOUT | EPOLLET;
    watch.data.u64 = 7;
    epoll_ctl(epoll, EPOLL_CTL_ADD, pipes[1], &watch);
    epoll_event ready[2];
    epoll_wait(epoll, ready, 2, 0);
    epoll_ctl(epoll, EPOLL_CTL_DEL, pipes[1], nullptr);
    int event = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK);

    int pair[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair);
    char data[] = "x";
    iovec one{data, 1};
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        cmsghdr align;
    } control{};
    msghdr message{};
    message.msg_iov = &one;
    message.msg_iovlen = 1;
    message.msg_control = control.buffer;
    message.msg_controllen = sizeof control.buffer;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&message);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &event, sizeof(int));
    sendmsg(pair[0], &message, 0);
    char got[4];
    iovec into{got, sizeof got};
    msghdr received{};
    received.msg_iov = &into;
    received.msg_iovlen = 1;
    decltype(control) control_in{};
    received.msg_control = control_in.buffer;
    received.msg_controllen = sizeof control_in.buffer;
    recvmsg(pair[1], &received, MSG_CMSG_CLOEXEC);

    int udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(0);
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(udp, reinterpret_cast<sockaddr*>(&local), sizeof local);
    socklen_t length = sizeof local;
    getsockname(udp, reinterpret_cast<sockaddr*>(&local), &length);
    sendto(udp, "dgram", 5, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&local), sizeof local);
    sockaddr_storage from{};
    socklen_t from_length = sizeof from;
    recvfrom(udp, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_length);
    int yes = 1;
    setsockopt(udp, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);

    int six = socket(AF_INET6, SOCK_STREAM, 0);
    sockaddr_in6 loop6{};
    loop6.sin6_family = AF_INET6;
    loop6.sin6_addr = in6addr_loopback;
    bind(six, reinterpret_cast<sockaddr*>(&loop6), sizeof loop6);
    listen(six, 8);
    shutdown(six, SHUT_RDWR);

    int unix_socket = socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un abstract{};
    abstract.sun_family = AF_UNIX;
    std::memcpy(abstract.sun_path + 1, "fdtrace-formats", 15);
    bind(unix_socket, reinterpret_cast<sockaddr*>(&abstract), offsetof(sockaddr_un, sun_path) + 16);
    sockaddr_un by_path{};
    by_path.sun_family = AF_UNIX;
    std::strcpy(by_path.sun_path, (dir + "/nowhere.sock").c_str());
    connect(unix_socket, reinterpret_cast<sockaddr*>(&by_path), sizeof by_path);

    close(999);
    syscall(SYS_close_range, 40, ~0U, 0);
    close(fd);
    return 0;
}
