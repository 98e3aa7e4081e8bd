// What the diagnostic subcommands (fds, stuck, leaks) share on the command
// line: pid lists, the one place a process error becomes a message and an
// exit status, and output. Internal to src/cli.
#pragma once

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/cli.h"
#include "fdtrace/line_io.h"
#include "fdtrace/sys_error.h"

namespace fdtrace {

// `fds` found nothing to list: lsof's status, for `if fdtrace fds -i:3306`.
constexpr int kExitNothingFound = 1;

// "-p 12 -p 13,14" -> {12, 13, 14}; nullopt (message printed) on bad input.
inline std::optional<std::vector<int>> parse_pid_list(std::string_view command,
                                                      const std::vector<std::string>& values) {
    std::vector<int> pids;
    for (const std::string& value : values) {
        std::string_view rest = value;
        while (true) {
            auto comma = rest.find(',');
            std::string part(rest.substr(0, comma));
            char* end = nullptr;
            errno = 0;
            long pid = part.empty() ? 0 : std::strtol(part.c_str(), &end, 10);
            if (part.empty() || *end != '\0' || errno != 0 || pid <= 0 || pid > 0x3fffffff) {
                print_error(std::string(command) + ": bad pid '" + part + "'");
                return std::nullopt;
            }
            pids.push_back(static_cast<int>(pid));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return pids;
}

// One line on stderr and the exit status for a process we could not read:
// 2 when it does not exist, 3 when it is not ours to read or anything else.
inline int report_process_error(std::string_view command, int pid, const SysError& error) {
    std::string prefix = std::string(command) + ": ";
    if (error.error == ESRCH || error.error == ENOENT) {
        print_error(prefix + "no such process " + std::to_string(pid));
        return kExitUsage;
    }
    if (error.error == EACCES || error.error == EPERM) {
        print_error(prefix + "permission denied for process " + std::to_string(pid) + " (" +
                    error.operation + "): run as root or as its owner; " +
                    "reading another process's fds needs ptrace access");
        return kExitSystem;
    }
    print_error(prefix + "process " + std::to_string(pid) + ": " + error.message());
    return kExitSystem;
}

// Writes `text` to standard output; a closed pipe (| head) is not an error.
inline int write_output(std::string_view command, std::string text) {
    OutputSink sink(1);
    sink.buffer() = std::move(text);
    if (!sink.flush() && sink.error() != EPIPE) {
        print_error(std::string(command) + ": cannot write output: " + std::strerror(sink.error()));
        return kExitSystem;
    }
    return kExitOk;
}

}  // namespace fdtrace
