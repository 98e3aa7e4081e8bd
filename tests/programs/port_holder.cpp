// Holds a port for the system-wide `fds` tests (tests/fds_test.cpp). Prints
// "ready port=N" on stdout once it holds it, then waits for stdin to close.
//
//   port_holder listen ADDR PORT   a TCP listener (PORT 0: any), shared with a
//                                  forked child; accepts one connection and
//                                  prints "accepted" (after "ready"), or
//                                  exits if stdin closes first
//   port_holder connect PORT       a TCP connection to 127.0.0.1:PORT
//   port_holder udp ADDR PORT      a bound, unconnected UDP socket
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

[[noreturn]] void fail(const char* what) {
    std::printf("error %s: %s\n", what, std::strerror(errno));
    std::fflush(stdout);
    std::exit(1);
}

sockaddr_in address_of(const char* host, int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host, &address.sin_addr) != 1) fail("address");
    return address;
}

int bound_socket(int type, const char* host, int port) {
    int s = ::socket(AF_INET, type, 0);
    if (s < 0) fail("socket");
    int on = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address = address_of(host, port);
    if (::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fail("bind");
    return s;
}

int port_of(int s) {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

void wait_for_stdin_to_close() {
    char byte;
    while (::read(0, &byte, 1) > 0) {
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "listen" && argc > 3) {
        int listener = bound_socket(SOCK_STREAM, argv[2], std::atoi(argv[3]));
        if (::listen(listener, 8) != 0) fail("listen");
        if (::fork() == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // goes with its parent
            wait_for_stdin_to_close();
            return 0;
        }
        std::printf("ready port=%d\n", port_of(listener));
        std::fflush(stdout);
        // Until a client comes or stdin closes: nobody connecting must not
        // keep it alive after its test.
        pollfd waits[2] = {{listener, POLLIN, 0}, {0, POLLIN, 0}};
        while (::poll(waits, 2, -1) < 0) {
        }
        if (!(waits[0].revents & POLLIN)) return 0;
        int accepted = ::accept(listener, nullptr, nullptr);
        if (accepted < 0) fail("accept");
        std::printf("accepted\n");
        std::fflush(stdout);
        wait_for_stdin_to_close();
        return 0;
    }
    if (mode == "connect" && argc > 2) {
        int s = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address = address_of("127.0.0.1", std::atoi(argv[2]));
        if (::connect(s, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            fail("connect");
        }
        std::printf("ready port=%d\n", port_of(s));
        std::fflush(stdout);
        wait_for_stdin_to_close();
        return 0;
    }
    if (mode == "udp" && argc > 3) {
        int s = bound_socket(SOCK_DGRAM, argv[2], std::atoi(argv[3]));
        std::printf("ready port=%d\n", port_of(s));
        std::fflush(stdout);
        wait_for_stdin_to_close();
        return 0;
    }
    std::fprintf(stderr, "usage: port_holder listen ADDR PORT | connect PORT | udp ADDR PORT\n");
    return 2;
}
