// A TCP server and a forked client over 127.0.0.1: connect, ping, pong.
// Prints "port N" on stdout before the client starts.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

int main() {
    int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return 10;
    if (listen(server, 4) != 0) return 11;
    socklen_t length = sizeof address;
    getsockname(server, reinterpret_cast<sockaddr*>(&address), &length);
    std::printf("port %d\n", ntohs(address.sin_port));
    std::fflush(stdout);

    pid_t child = fork();
    if (child == 0) {
        int client = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) _exit(20);
        if (write(client, "ping", 4) != 4) _exit(21);
        char buffer[16];
        if (read(client, buffer, sizeof buffer) != 4) _exit(22);
        close(client);
        _exit(0);
    }
    sockaddr_in peer{};
    socklen_t peer_length = sizeof peer;
    int connection =
        accept4(server, reinterpret_cast<sockaddr*>(&peer), &peer_length, SOCK_CLOEXEC);
    if (connection < 0) return 12;
    char buffer[16];
    if (read(connection, buffer, sizeof buffer) != 4) return 13;
    if (write(connection, "pong", 4) != 4) return 14;
    int status = 0;
    waitpid(child, &status, 0);
    close(connection);
    close(server);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
