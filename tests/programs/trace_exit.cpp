// Exits with argv[1], or with "kill SIG" dies by that signal.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
    if (write(1, "bye\n", 4) != 4) return 1;
    if (argc >= 3 && std::strcmp(argv[1], "kill") == 0) {
        signal(std::atoi(argv[2]), SIG_DFL);
        kill(getpid(), std::atoi(argv[2]));
        pause();
    }
    return argc >= 2 ? std::atoi(argv[1]) : 0;
}
