// Calls that block, for the tests of what a tracer shows while they block.
//   trace_blocked recv PORT         connect to 127.0.0.1:PORT, say "ready", recv() until data
//   trace_blocked thread-recv PORT  the same recv() in a second thread; the first waits in join
//   trace_blocked turns             two threads block reading two pipes; the main thread wakes
//                                   one, then the other (200 ms apart), so their calls overlap
// Prints "got:N" (bytes received) and exits 0 when the recv returns.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

int connect_to(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        std::perror("connect");
        std::exit(2);
    }
    return fd;
}

int receive(int fd) {
    char buffer[64];
    ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    std::printf("got:%zd\n", got);
    std::fflush(stdout);
    return got >= 0 ? 0 : 3;
}

void say_ready() {
    std::printf("ready\n");
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "recv" && argc > 2) {
        int fd = connect_to(std::atoi(argv[2]));
        say_ready();
        return receive(fd);
    }
    if (mode == "thread-recv" && argc > 2) {
        int fd = connect_to(std::atoi(argv[2]));
        int status = 0;
        std::thread reader([&] { status = receive(fd); });
        say_ready();
        reader.join();
        return status;
    }
    if (mode == "turns") {
        int first[2], second[2];
        if (::pipe(first) != 0 || ::pipe(second) != 0) return 2;
        auto read_one = [](int fd) {
            char byte;
            return ::read(fd, &byte, 1);
        };
        std::thread a([&] { read_one(first[0]); });
        std::thread b([&] { read_one(second[0]); });
        ::usleep(200'000);
        if (::write(first[1], "a", 1) != 1) return 3;
        ::usleep(200'000);
        if (::write(second[1], "b", 1) != 1) return 3;
        a.join();
        b.join();
        return 0;
    }
    std::fprintf(stderr, "usage: trace_blocked recv PORT | thread-recv PORT | turns\n");
    return 2;
}
