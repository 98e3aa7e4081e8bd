#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "fdtrace/cli.h"

namespace fdtrace {
namespace {

constexpr const char* kUsage =
    "usage: fdtrace annotate [FILE...|-] [--format=text|json] [-o FILE] [--color=WHEN]\n"
    "                        [--pid PID] [-n] [--realpath] [--cwd DIR]\n"
    "       fdtrace --version | --help\n"
    "\n"
    "Names every fd number in a strace log: read(3 -> /etc/passwd, ...).\n"
    "Run 'fdtrace COMMAND --help' for a command's options.\n";

}  // namespace

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
        std::cout << kUsage;
        return kExitOk;
    }
    if (command == "annotate") return run_annotate(rest);
    print_error("unknown command '" + command + "' (try 'fdtrace --help')");
    return kExitUsage;
}

}  // namespace fdtrace
