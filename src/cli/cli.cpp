#include "fdtrace/cli.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "fdtrace/trace_cli.h"

namespace fdtrace {
namespace {

constexpr const char* kUsage =
    "usage: fdtrace [-f] [-p PID]... [-e trace=SET] [-e read=FDS] [-e write=FDS] [-s N]\n"
    "               [-X raw|abbrev|verbose] [-t|-tt|-ttt] [-T] [-o FILE] [-n]\n"
    "               [--format=text|json] [--] [CMD [ARGS...]]\n"
    "       fdtrace annotate [FILE...|-] [--format=text|json] [-o FILE] [--color=WHEN]\n"
    "                        [--pid PID] [-n] [--realpath] [--cwd DIR] [--explain] [-c]\n"
    "       fdtrace fds -p PID [-i] [-s TCP:LISTEN] [-d 3,5-7] [--deleted] [--kind K]\n"
    "       fdtrace stuck -p PID\n"
    "       fdtrace leaks -p PID [--interval S] [--count N]\n"
    "       fdtrace --version | --help\n"
    "\n"
    "Names every fd number in a syscall trace, live or in a strace log:\n"
    "  read(3 -> TCP 127.0.0.1:45120->127.0.0.1:8080, ...) = 184\n"
    "Run 'fdtrace COMMAND --help' for a command's options.\n";

}  // namespace

bool check_choice(const std::string& option, const std::string& value,
                  std::initializer_list<std::string_view> allowed) {
    std::string listed;
    std::size_t index = 0;
    for (std::string_view choice : allowed) {
        if (value == choice) return true;
        if (index > 0) listed += index + 1 == allowed.size() ? " or " : ", ";
        listed += choice;
        ++index;
    }
    print_error(option + " must be " + listed + ", not '" + value + "'");
    return false;
}

bool use_color(const std::string& when, int out_fd) {
    if (when == "always") return true;
    if (when == "never") return false;
    const char* term = std::getenv("TERM");
    return ::isatty(out_fd) && !std::getenv("NO_COLOR") && term && std::string(term) != "dumb";
}

bool open_output(const std::string& path, const std::string& command_prefix, ScopedFd& fd) {
    if (path.empty()) return true;
    fd.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd) return true;
    print_error(command_prefix + "cannot write '" + path + "': " + std::strerror(errno));
    return false;
}

void print_error(const std::string& message) {
    std::string line = "fdtrace: " + message + "\n";
    (void)!::write(STDERR_FILENO, line.data(), line.size());
}

int run_cli(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    const std::string& command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--version" || command == "-V") {
        std::cout << "fdtrace " FDTRACE_VERSION "\n";
        return kExitOk;
    }
    if (command == "--help" || command == "-h") {
        std::cout << kUsage << '\n';
        return run_trace({"--help"});  // the tracer's options, as strace --help lists its own
    }
    if (command == "annotate") return run_annotate(rest);
    if (command == "fds") return run_fds(rest);
    if (command == "stuck") return run_stuck(rest);
    if (command == "leaks") return run_leaks(rest);
    // Anything else that starts like an option is the live tracer's
    // (strace's conventions): -p PID, -f, -e, -o, --, ...
    if (command.size() > 1 && command[0] == '-') return run_trace(args);
    print_error("unknown command '" + command + "' (try 'fdtrace --help')");
    return kExitUsage;
}

}  // namespace fdtrace
