// Tracees that make a tracer's life hard, one per mode:
//   fork-loop          keeps 8 children alive, each _exit(0)s at once; forever ("ready PID")
//   spin-and-tick      4 threads in a tight syscall loop, one in a 1 ms nanosleep loop that
//                      prints "ticks N" (its count so far) every 100 ms; forever
//   exec-thread [N]    a second thread execve()s this program again, over and over; prints
//                      "exec N" at each new image
//   own-filter         installs its own seccomp filter returning SECCOMP_RET_TRACE for getppid
//                      and dup3, calls both, prints what they returned
//   two-threads        a second thread, both blocked; prints "tid TID" for the second
// Everything says "ready" on stdout once it is going.
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

void say(const std::string& text) {
    std::string line = text + "\n";
    if (::write(1, line.data(), line.size()) < 0) std::_Exit(3);
}

[[noreturn]] void fork_loop() {
    say("ready " + std::to_string(::getpid()));
    int alive = 0;
    for (;;) {
        while (alive < 8) {
            pid_t child = ::fork();
            if (child == 0) ::_exit(0);
            if (child > 0) ++alive;
        }
        if (::wait(nullptr) > 0) --alive;
    }
}

[[noreturn]] void spin_and_tick() {
    std::atomic<long> ticks{0};
    for (int i = 0; i < 4; ++i)
        std::thread([] {
            for (;;) ::syscall(SYS_getppid);
        }).detach();
    std::thread([&] {
        timespec millisecond{0, 1'000'000};
        for (;;) {
            ::nanosleep(&millisecond, nullptr);
            ++ticks;
        }
    }).detach();
    say("ready");
    for (;;) {
        timespec tenth{0, 100'000'000};
        ::nanosleep(&tenth, nullptr);
        say("ticks " + std::to_string(ticks.load()));
    }
}

[[noreturn]] void exec_thread(const char* self, int generation) {
    say("exec " + std::to_string(generation));
    if (generation == 0) say("ready");
    std::thread([self, generation] {
        timespec pause{0, 2'000'000};
        ::nanosleep(&pause, nullptr);
        std::string next = std::to_string(generation + 1);
        char* argv[] = {const_cast<char*>(self), const_cast<char*>("exec-thread"), next.data(),
                        nullptr};
        ::execv(self, argv);
        std::_Exit(4);
    }).detach();
    for (;;) ::pause();
}

int own_filter() {
    // Allow everything but getppid and dup3, which ask for a tracer.
    sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_dup3, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 42),
    };
    sock_fprog program{static_cast<unsigned short>(sizeof code / sizeof code[0]), code};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) {
        std::perror("seccomp");
        return 2;
    }
    long ppid = ::syscall(SYS_getppid);
    int ppid_errno = ppid < 0 ? errno : 0;
    long dup = ::syscall(SYS_dup3, 1, 50, 0);
    int dup_errno = dup < 0 ? errno : 0;
    bool fd50 = ::fcntl(50, F_GETFD) >= 0;
    say("getppid=" + std::to_string(ppid) + " " +
        std::string(ppid_errno ? strerrorname_np(ppid_errno) : "ok") + " dup3=" +
        std::to_string(dup) + " " + std::string(dup_errno ? strerrorname_np(dup_errno) : "ok") +
        " fd50=" + (fd50 ? "open" : "closed"));
    return 0;
}

[[noreturn]] void two_threads() {
    std::thread([] {
        say("tid " + std::to_string(::gettid()));
        for (;;) ::pause();
    }).detach();
    timespec pause{0, 50'000'000};
    ::nanosleep(&pause, nullptr);
    say("ready");
    for (;;) ::pause();
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "fork-loop") fork_loop();
    if (mode == "spin-and-tick") spin_and_tick();
    if (mode == "exec-thread") exec_thread(argv[0], argc > 2 ? std::atoi(argv[2]) : 0);
    if (mode == "own-filter") return own_filter();
    if (mode == "two-threads") two_threads();
    std::fprintf(
        stderr, "usage: tracee_chaos fork-loop|spin-and-tick|exec-thread|own-filter|two-threads\n");
    return 2;
}
