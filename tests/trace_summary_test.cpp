// fdtrace -c on a live command: the per-fd summary counts what really moved.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "process_support.h"
#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::run_shell;

TEST(TraceSummary, CountsBytesPerFileForALaunchedCommand) {
    std::string file = "/tmp/fdtrace-summary-" + std::to_string(::getpid()) + ".txt";
    std::ofstream(file) << std::string(5000, 'x');
    auto result = run_shell(fdtrace_binary() + " -c --fd-summary -f -- /bin/cat " + file +
                            " 2>&1 >/dev/null 3>&- 4>&-");
    std::remove(file.c_str());
    ASSERT_EQ(result.status, 0) << result.out;
    EXPECT_NE(result.out.find("fd identity"), std::string::npos) << result.out;
    // One row for the file: 5000 bytes read; no trace lines, only the table.
    std::string row;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);)
        if (line.ends_with(" " + file)) row = line;
    ASSERT_FALSE(row.empty()) << result.out;
    EXPECT_NE(row.find(" 5000 "), std::string::npos) << row;
    EXPECT_EQ(result.out.find("read("), std::string::npos) << "-c shows no calls";
    EXPECT_NE(result.out.find("% time     seconds  usecs/call     calls    errors syscall"),
              std::string::npos)
        << "and strace's table beside it";
}

// -c is strace's -c: its table only, one row per syscall, the same calls
// and errors as strace counts for the same command (times differ run to run).
TEST(TraceSummary, PerSyscallTableAsStrace) {
    auto rows = [](const std::string& table) {
        std::vector<std::string> kept;  // "calls errors syscall", sorted
        std::istringstream lines(table);
        for (std::string line; std::getline(lines, line);) {
            if (line.size() < 52 || !std::isdigit(static_cast<unsigned char>(line[5]))) continue;
            std::string calls = line.substr(31, 9), errors = line.substr(41, 9),
                        name = line.substr(51);
            kept.push_back(calls + "|" + errors + "|" + name);
        }
        std::sort(kept.begin(), kept.end());
        return kept;
    };
    TempDir dir;  // a missing file of our own: /nonexistent can be made by anyone
    const std::string missing = dir.path() + "/missing";
    for (std::string options : {"-c", "-c -w", "-c -e trace=openat,close,read"}) {
        auto theirs =
            run_shell("strace " + options + " /bin/cat " + missing + " 2>&1 >/dev/null 3>&- 4>&-");
        auto ours = run_shell(fdtrace_binary() + " " + options + " -- /bin/cat " + missing +
                              " 2>&1 >/dev/null 3>&- 4>&-");
        EXPECT_EQ(ours.status, 1);
        EXPECT_EQ(rows(ours.out), rows(theirs.out)) << options << "\nstrace:\n"
                                                    << theirs.out << "fdtrace:\n"
                                                    << ours.out;
        EXPECT_EQ(ours.out.find("openat("), std::string::npos) << "no trace with -c";
        EXPECT_NE(
            ours.out.find("------ ----------- ----------- --------- --------- ----------------\n"),
            std::string::npos);
    }
    // -C: the trace and the table.
    auto both = run_shell(fdtrace_binary() + " -C -e trace=openat -- /bin/cat " + missing +
                          " 2>&1 >/dev/null 3>&- 4>&-");
    EXPECT_NE(both.out.find("openat(AT_FDCWD, \"" + missing + "\", O_RDONLY) = -1 ENOENT"),
              std::string::npos)
        << both.out;
    EXPECT_NE(both.out.find("% time"), std::string::npos) << both.out;
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

TEST(TraceLeaks, NamesTheCallThatOpenedEachFdLeftOpen) {
    std::string file = "/tmp/fdtrace-leak-" + std::to_string(::getpid()) + ".txt";
    std::ofstream(file) << "x";
    // Opens two fds, closes one, exits without closing the other.
    auto result =
        testing::run_shell(testing::fdtrace_binary() +
                           " --leaks -f -o /dev/stdout -- python3 -c \"import os\n"
                           "kept = os.open('" +
                           file +
                           "', os.O_RDONLY)\nos.close(os.open('/etc/hostname', os.O_RDONLY))\n"
                           "os._exit(0)\" 3>&- 4>&-");
    std::remove(file.c_str());
    ASSERT_EQ(result.status, 0) << result.out;
    auto report =
        result.out.substr(result.out.find("fds opened during the trace and never closed"));
    EXPECT_NE(report.find("-> " + file + "  (held until exit)"), std::string::npos) << report;
    EXPECT_NE(report.find("created at line "), std::string::npos);
    EXPECT_NE(report.find("openat(AT_FDCWD, \"" + file + "\", O_RDONLY|O_CLOEXEC) = "),
              std::string::npos)
        << report;
    EXPECT_EQ(report.find("/etc/hostname"), std::string::npos) << "closed: not a leak";
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

TEST(TraceStuckAfter, ACallBlockedPastTheThresholdGetsTheVerdict) {
    // recv on a socketpair nobody writes to: blocked for good. SIGTERM ends
    // the run; --kill-on-exit takes the launched command with it.
    auto result =
        testing::run_shell("timeout -s TERM 4 " + testing::fdtrace_binary() +
                           " --kill-on-exit --stuck-after 0.3 -f -- python3 -c \"import socket\n"
                           "a, b = socket.socketpair()\na.recv(1)\" 2>&1 3>&- 4>&-");
    // The call's line is closed before the verdict, as another line would close it.
    EXPECT_NE(result.out.find(",  <unfinished ...>\n--- blocked for more than 0.3 s ---\n"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("<... recvfrom resumed> <unfinished ...>) = ?"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("blocked in recvfrom(3 -> UNIX-STREAM"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("no receive timeout (SO_RCVTIMEO 0)"), std::string::npos)
        << result.out;
    auto first = result.out.find("blocked in recvfrom(");
    EXPECT_EQ(result.out.find("blocked in recvfrom(", first + 1), std::string::npos)
        << "once per call (other calls may be slow on a loaded machine too)";
}

}  // namespace
}  // namespace fdtrace
