// Command-line entry points. Each returns the process exit status:
// 0 ok, 1 the traced command failed (its status is passed through),
// 2 usage or input error, 3 a system error while tracing or resolving.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/scoped_fd.h"

namespace fdtrace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitSystem = 3;

int run_cli(int argc, char** argv);
int run_annotate(const std::vector<std::string>& args);
// Diagnostics on a live process (no ptrace): src/cli/{fds,stuck,leaks}_command.cpp.
int run_fds(const std::vector<std::string>& args);
int run_stuck(const std::vector<std::string>& args);
int run_leaks(const std::vector<std::string>& args);

// "fdtrace: <what>" on stderr, one line.
void print_error(const std::string& message);

// An option whose value must be one of `allowed`; otherwise prints
// "<option> must be a, b or c, not 'x'" and returns false.
bool check_choice(const std::string& option, const std::string& value,
                  std::initializer_list<std::string_view> allowed);

// --color=auto|always|never for output on `out_fd` (auto: a terminal, no
// NO_COLOR, TERM not dumb).
bool use_color(const std::string& when, int out_fd);

// -o FILE: opens `path` for writing into `fd` (left empty when `path` is
// empty: the caller's default stream). false after printing the error.
bool open_output(const std::string& path, const std::string& command_prefix, ScopedFd& fd);

}  // namespace fdtrace
