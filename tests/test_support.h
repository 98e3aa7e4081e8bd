// Running the real fdtrace binary from tests.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fdtrace/scoped_fd.h"

namespace fdtrace::testing {

struct CommandResult {
    std::string out;  // stdout (stderr too if the command says 2>&1)
    int status = -1;  // exit status, or 128+signal
};

inline CommandResult run_shell(const std::string& command) {
    CommandResult result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return result;
    std::array<char, 65536> buffer{};
    std::size_t got;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        result.out.append(buffer.data(), got);
    int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

inline std::string fdtrace_binary() { return FDTRACE_BINARY; }

// A child process with a pipe to its stdin and one from its stdout, and no
// other fd of ours (its fd table is its own); killed and reaped at the end.
class PipedChild {
  public:
    explicit PipedChild(std::vector<std::string> argv) {
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            if (::syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
                for (int fd = 3; fd < 1024; ++fd) ::close(fd);
            std::vector<char*> pointers;
            for (std::string& arg : argv) pointers.push_back(arg.data());
            pointers.push_back(nullptr);
            ::execvp(pointers[0], pointers.data());
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        stdin_.reset(in[1]);
        stdout_.reset(out[0]);
    }
    ~PipedChild() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    PipedChild(const PipedChild&) = delete;
    PipedChild& operator=(const PipedChild&) = delete;

    int pid() const { return pid_; }

    // The next line it prints; empty after 20 s or at EOF.
    std::string line() {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (true) {
            auto newline = buffer_.find('\n');
            if (newline != std::string::npos) {
                std::string line = buffer_.substr(0, newline);
                buffer_.erase(0, newline + 1);
                return line;
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd fd{stdout_.get(), POLLIN, 0};
            if (left.count() <= 0 || ::poll(&fd, 1, static_cast<int>(left.count())) <= 0) return {};
            char chunk[4096];
            ssize_t got = ::read(stdout_.get(), chunk, sizeof chunk);
            if (got <= 0) return {};
            buffer_.append(chunk, static_cast<std::size_t>(got));
        }
    }
    // Writes to its stdin; false if not all of it went.
    bool send(const std::string& text) {
        return ::write(stdin_.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
    }
    // Closes its stdin (it sees EOF).
    void close_stdin() { stdin_.reset(); }

  private:
    int pid_ = -1;
    ScopedFd stdin_;
    ScopedFd stdout_;
    std::string buffer_;
};
inline std::string source_dir() { return FDTRACE_SOURCE_DIR; }

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace fdtrace::testing
