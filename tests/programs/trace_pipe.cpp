// A pipe between a parent (writer) and a forked child (reader).
#include <sys/wait.h>
#include <unistd.h>

int main() {
    int fds[2];
    if (pipe(fds) != 0) return 10;
    pid_t child = fork();
    if (child == 0) {
        close(fds[1]);
        char buffer[32];
        ssize_t got = read(fds[0], buffer, sizeof buffer);
        _exit(got == 5 ? 0 : 20);
    }
    close(fds[0]);
    if (write(fds[1], "hello", 5) != 5) return 11;
    close(fds[1]);
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
