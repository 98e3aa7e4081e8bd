// Says "ready", then echoes what it reads from stdin as "got:DATA" until EOF.
#include <unistd.h>

#include <string>

int main() {
    if (write(1, "ready\n", 6) != 6) return 1;
    char buffer[256];
    for (;;) {
        ssize_t got = read(0, buffer, sizeof buffer);
        if (got <= 0) return got == 0 ? 0 : 2;
        std::string reply = "got:" + std::string(buffer, static_cast<std::size_t>(got));
        if (write(1, reply.data(), reply.size()) < 0) return 3;
    }
}
