// A file held open after its name is unlinked.
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return 10;
    if (write(fd, "before", 6) != 6) return 11;
    if (unlink(argv[1]) != 0) return 12;
    if (write(fd, "after", 5) != 5) return 13;
    char buffer[16];
    if (pread(fd, buffer, sizeof buffer, 0) != 11) return 14;
    close(fd);
    return 0;
}
