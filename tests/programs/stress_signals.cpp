// Queues 5000 real-time signals to itself from a child while they are
// blocked, then unblocks them and counts the handler runs. Real-time signals
// are never merged: the count must be exactly 5000, traced or not.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace {
volatile sig_atomic_t received = 0;
void count(int) { received = received + 1; }
constexpr int kSignals = 5000;
}  // namespace

int main() {
    struct sigaction action {};
    action.sa_handler = count;
    sigemptyset(&action.sa_mask);
    sigaction(SIGRTMIN, &action, nullptr);
    sigset_t rt;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &rt, nullptr);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < kSignals; ++i) {
            union sigval value {};
            value.sival_int = i;
            while (sigqueue(parent, SIGRTMIN, value) != 0) usleep(100);  // EAGAIN: queue full
        }
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    sigprocmask(SIG_UNBLOCK, &rt, nullptr);
    // Handlers run on the way out of the kernel; a syscall makes sure.
    char byte = 'x';
    int fds[2];
    if (pipe(fds) == 0) {
        (void)!write(fds[1], &byte, 1);
        (void)!read(fds[0], &byte, 1);
    }
    std::printf("%d\n", static_cast<int>(received));
    return received == kSignals ? 0 : 1;
}
