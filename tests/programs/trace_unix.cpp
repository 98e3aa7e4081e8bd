// Unix stream sockets, one bound to a path (argv[1]) and one abstract
// (argv[2]); a forked client connects to both and sends a message each.
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <string>

namespace {

socklen_t make_address(sockaddr_un& address, const std::string& name, bool abstract) {
    address = {};
    address.sun_family = AF_UNIX;
    if (abstract) {
        std::memcpy(address.sun_path + 1, name.data(), name.size());
        return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    }
    std::memcpy(address.sun_path, name.c_str(), name.size() + 1);
    return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + 1);
}

int listener(const std::string& name, bool abstract) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address;
    socklen_t length = make_address(address, name, abstract);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) return -1;
    if (listen(fd, 4) != 0) return -1;
    return fd;
}

bool client(const std::string& name, bool abstract, const char* message) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address;
    socklen_t length = make_address(address, name, abstract);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) return false;
    bool ok =
        write(fd, message, std::strlen(message)) == static_cast<ssize_t>(std::strlen(message));
    close(fd);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    unlink(argv[1]);
    int by_path = listener(argv[1], false);
    int abstract = listener(argv[2], true);
    if (by_path < 0 || abstract < 0) return 10;
    pid_t child = fork();
    if (child == 0)
        _exit(client(argv[1], false, "via-path") && client(argv[2], true, "via-abstract") ? 0 : 20);
    char buffer[64];
    int a = accept(by_path, nullptr, nullptr);
    if (a < 0 || read(a, buffer, sizeof buffer) <= 0) return 11;
    int b = accept(abstract, nullptr, nullptr);
    if (b < 0 || read(b, buffer, sizeof buffer) <= 0) return 12;
    int status = 0;
    waitpid(child, &status, 0);
    close(a);
    close(b);
    unlink(argv[1]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
