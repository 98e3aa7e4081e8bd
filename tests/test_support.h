// Running the real fdtrace binary from tests.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

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
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), got);
    int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

inline std::string fdtrace_binary() { return FDTRACE_BINARY; }
inline std::string source_dir() { return FDTRACE_SOURCE_DIR; }

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace fdtrace::testing
