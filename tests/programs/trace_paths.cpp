// A workload for -P PATH, run in a directory holding "file" and "other":
// the ways a call can touch "file" without naming it (a dirfd-relative
// openat, a dup, dup2, a symlink to it, a poll set) and calls that do not.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

int main() {
    char buffer[4];
    int dir = ::open(".", O_RDONLY | O_DIRECTORY);
    int fd = ::openat(dir, "file", O_RDONLY);  // dirfd + relative path
    int copy = ::dup(fd);
    (void)!::read(copy, buffer, sizeof buffer);
    ::dup2(copy, 10);
    int other = ::open("other", O_RDONLY);
    (void)!::read(other, buffer, sizeof buffer);
    pollfd set[2] = {{other, POLLIN, 0}, {10, POLLIN, 0}};
    ::poll(set, 2, 0);
    pollfd alone = {other, POLLIN, 0};
    ::poll(&alone, 1, 0);
    ::symlinkat("file", dir, "link");
    int linked = ::open("link", O_RDONLY);  // not "file" by name: only its fd matches
    (void)!::read(linked, buffer, sizeof buffer);
    ::unlinkat(dir, "link", 0);
    ::close(linked);
    ::close(other);
    ::close(10);
    ::close(copy);
    ::close(fd);
    ::close(dir);
    return 0;
}
