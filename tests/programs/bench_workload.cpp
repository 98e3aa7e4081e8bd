// Workloads for bench/trace_bench.sh:
//   bench_workload pingpong N   N one-byte round trips over loopback TCP (two processes)
//   bench_workload getpid N M   N getpid() calls, with a write() to /dev/null every M
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace {

int pingpong(long rounds) {
    int server = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(server, 1) != 0)
        return 10;
    socklen_t length = sizeof address;
    getsockname(server, reinterpret_cast<sockaddr*>(&address), &length);
    pid_t child = fork();
    if (child == 0) {
        int client = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) _exit(20);
        int one = 1;
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        char byte = 'x';
        for (long i = 0; i < rounds; ++i) {
            if (write(client, &byte, 1) != 1 || read(client, &byte, 1) != 1) _exit(21);
        }
        _exit(0);
    }
    int connection = accept(server, nullptr, nullptr);
    int one = 1;
    setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char byte;
    for (long i = 0; i < rounds; ++i) {
        if (read(connection, &byte, 1) != 1 || write(connection, &byte, 1) != 1) return 11;
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int getpid_loop(long calls, long every) {
    int null = open("/dev/null", O_WRONLY);
    for (long i = 0; i < calls; ++i) {
        syscall(SYS_getpid);  // not cached by libc: a real syscall each time
        if (every > 0 && i % every == 0 && write(null, "x", 1) != 1) return 10;
    }
    close(null);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 3 && std::strcmp(argv[1], "pingpong") == 0) return pingpong(std::atol(argv[2]));
    if (argc >= 4 && std::strcmp(argv[1], "getpid") == 0)
        return getpid_loop(std::atol(argv[2]), std::atol(argv[3]));
    return 2;
}
