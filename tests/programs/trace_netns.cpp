// Run inside a fresh network namespace (unshare --net): brings lo up, then a
// TCP connection to itself on 127.0.0.1. Prints "port N".
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

int main() {
    int control = socket(AF_INET, SOCK_DGRAM, 0);
    ifreq request{};
    std::strcpy(request.ifr_name, "lo");
    if (ioctl(control, SIOCGIFFLAGS, &request) != 0) return 10;
    request.ifr_flags |= IFF_UP;
    if (ioctl(control, SIOCSIFFLAGS, &request) != 0) return 11;
    close(control);

    int server = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return 12;
    if (listen(server, 1) != 0) return 13;
    socklen_t length = sizeof address;
    getsockname(server, reinterpret_cast<sockaddr*>(&address), &length);
    std::printf("port %d\n", ntohs(address.sin_port));
    std::fflush(stdout);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return 14;
    int connection = accept(server, nullptr, nullptr);
    if (connection < 0) return 15;
    if (write(client, "hi", 2) != 2) return 16;
    char buffer[8];
    if (read(connection, buffer, sizeof buffer) != 2) return 17;
    close(connection);
    close(client);
    close(server);
    return 0;
}
