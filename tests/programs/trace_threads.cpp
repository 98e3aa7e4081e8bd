// Threads share the fd table: the main thread opens a file (argv[1]),
// three threads write to it, the main thread closes it.
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return 10;
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i)
        threads.emplace_back([fd, i] {
            char line[] = "thread 0\n";
            line[7] = static_cast<char>('0' + i);
            if (write(fd, line, std::strlen(line)) < 0) _exit(20);
        });
    for (auto& thread : threads) thread.join();
    close(fd);
    return 0;
}
