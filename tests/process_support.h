// Real processes for the tracer's tests: spawning with chosen stdio, waiting
// with a deadline, reading a pipe until a marker, process states.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fdtrace {
namespace {

const std::string kFdtrace = FDTRACE_BINARY;
constexpr int kTimeoutMs = 60'000;

std::string program(const std::string& name) {
    return std::string(FDTRACE_TEST_PROGRAMS_DIR) + "/" + name;
}

long now_ms() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000 + now.tv_nsec / 1'000'000;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

bool matches(const std::string& text, const std::string& pattern) {
    return std::regex_search(text, std::regex(pattern));
}

class TempDir {
  public:
    TempDir() {
        char name[] = "/tmp/fdtrace-trace-test-XXXXXX";
        path_ = ::mkdtemp(name);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

// A child process with chosen stdin/stdout/stderr (-1: inherit).
pid_t spawn(const std::vector<std::string>& argv, int in = -1, int out = -1, int err = -1) {
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
        if (in >= 0) ::dup2(in, 0);
        if (out >= 0) ::dup2(out, 1);
        if (err >= 0) ::dup2(err, 2);
        // Whatever the test runner left open (ctest holds fd 3 and more)
        // must not shift the fd numbers the tests expect.
        ::close_range(3, ~0U, 0);
        ::execv(args[0], args.data());
        ::_exit(126);
    }
    return pid;
}

// Waits for `pid` at most `timeout_ms`; kills it on timeout. Returns the exit
// status as a shell would (128+N for signal N), nullopt on timeout.
std::optional<int> wait_for(pid_t pid, int timeout_ms = kTimeoutMs) {
    long deadline = now_ms() + timeout_ms;
    for (;;) {
        int status = 0;
        pid_t got = ::waitpid(pid, &status, WNOHANG);
        if (got == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (now_ms() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return std::nullopt;
        }
        timespec pause{0, 5'000'000};
        ::nanosleep(&pause, nullptr);
    }
}

// Reads from `fd` until `wanted` appears or the timeout passes.
std::string read_until(int fd, const std::string& wanted, int timeout_ms = kTimeoutMs) {
    std::string got;
    long deadline = now_ms() + timeout_ms;
    while (!contains(got, wanted) && now_ms() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buffer[512];
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
}

struct Pipe {
    int read = -1;
    int write = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) == 0) {
            read = fds[0];
            write = fds[1];
        }
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    void close_read() {
        if (read >= 0) ::close(read);
        read = -1;
    }
    void close_write() {
        if (write >= 0) ::close(write);
        write = -1;
    }
};

// strace's (and fdtrace's) alignment of " = " to column 40 folded to one
// space, for tests about what a line says rather than where it says it.
std::string fold_alignment(const std::string& trace) {
    static const std::regex kPadding("\\) {2,}= ");
    return std::regex_replace(trace, kPadding, ") = ");
}

char process_state(pid_t pid) {
    std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    return close == std::string::npos || close + 2 >= stat.size() ? '?' : stat[close + 2];
}

// The state once it is `wanted`, or the last one seen after `timeout_ms`: a
// task let go by its tracer runs a moment (it restarts its call) before it
// sleeps in it again.
char settled_state(pid_t pid, char wanted, int timeout_ms = 1000) {
    char state = process_state(pid);
    for (long deadline = now_ms() + timeout_ms; state != wanted && now_ms() < deadline;) {
        ::usleep(5'000);
        state = process_state(pid);
    }
    return state;
}

}  // namespace
}  // namespace fdtrace
