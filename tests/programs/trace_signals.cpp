// A SIGUSR1 handler that must run under the tracer, then a SIGSTOP of the
// process that a forked helper ends with SIGCONT once it sees it stopped.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace {

volatile sig_atomic_t handled = 0;
void on_usr1(int) {
    handled = 1;
    const char text[] = "handler ran\n";
    (void)!write(1, text, sizeof text - 1);
}

// The state letter in /proc/PID/stat.
char state_of(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    return close == std::string::npos || close + 2 >= line.size() ? '?' : line[close + 2];
}

}  // namespace

int main() {
    struct sigaction action {};
    action.sa_handler = on_usr1;
    sigaction(SIGUSR1, &action, nullptr);
    kill(getpid(), SIGUSR1);
    if (!handled) return 10;

    pid_t parent = getpid();
    pid_t helper = fork();
    if (helper == 0) {
        // Wait (bounded) until the parent is stopped, then continue it.
        for (int i = 0; i < 20000; ++i) {
            char state = state_of(parent);
            if (state == 'T' || state == 't') {
                kill(parent, SIGCONT);
                _exit(0);
            }
            usleep(1000);
        }
        kill(parent, SIGCONT);
        _exit(30);
    }
    raise(SIGSTOP);
    const char text[] = "resumed\n";
    if (write(1, text, sizeof text - 1) < 0) return 11;
    int status = 0;
    waitpid(helper, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
