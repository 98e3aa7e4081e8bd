// Line fidelity against strace itself: the same workload traced once by
// `strace -f -e trace=all` and once by `fdtrace -f -e trace=all`, fdtrace's
// annotations taken out again, and the share of strace's lines that fdtrace
// printed identically. docs/FIDELITY.md keeps the figures this measures; the
// floor asserted (95%) is below them, for lines that depend on timing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fdtrace/render.h"
#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::read_file;
using testing::run_shell;

constexpr std::string_view kUnfinished = " <unfinished ...>";

// One call per line whatever the scheduling: strace's "-f -o FILE" pid
// column taken off, each "<unfinished ...>" joined to its "<... NAME
// resumed>", and what differs between two runs of the same program masked
// (pids, addresses, random bytes, clock readings).
std::vector<std::string> comparable_lines(const std::string& trace) {
    static const std::regex kPidColumn(R"(^(\d+) +)");
    static const std::regex kResumed(R"(^<\.\.\. [a-z0-9_]+ resumed>)");
    std::vector<std::pair<std::string, std::string>> lines;  // pid, body
    std::set<std::string> pids;
    std::istringstream in(trace);
    for (std::string line; std::getline(in, line);) {
        std::smatch pid;
        if (std::regex_search(line, pid, kPidColumn)) {
            pids.insert(pid[1].str());
            lines.emplace_back(pid[1].str(), line.substr(pid.length()));
        } else {
            lines.emplace_back("", line);
        }
    }
    std::vector<std::string> calls;
    std::map<std::string, std::string> pending;
    for (auto& [pid, body] : lines) {
        if (std::string_view(body).ends_with(kUnfinished)) {
            pending[pid] = body.substr(0, body.size() - kUnfinished.size());
            continue;
        }
        std::smatch resumed;
        if (std::regex_search(body, resumed, kResumed) && pending.count(pid)) {
            calls.push_back(pending[pid] + body.substr(resumed.length()));
            pending.erase(pid);
            continue;
        }
        calls.push_back(body);
    }
    for (auto& [pid, body] : pending) calls.push_back(body + std::string(kUnfinished));

    static const std::regex kPadding(R"(\) += )");
    static const std::regex kAddress(R"(0x[0-9a-f]{5,})");
    static const std::regex kRandom(R"(^getrandom\("[^"]*")");
    static const std::regex kClock(R"(tv_sec=\d+, tv_nsec=\d+)");
    static const std::regex kSysinfo(R"(^sysinfo\(\{.*\}\))");
    // The traced command's parent is strace in one run, fdtrace in the other.
    static const std::regex kParent(R"(^getppid\(\) = \d+$)");
    for (std::string& call : calls) {
        call = std::regex_replace(call, kPadding, ") = ");
        call = std::regex_replace(call, kAddress, "0xADDR");
        call = std::regex_replace(call, kRandom, "getrandom(\"RANDOM\"");
        call = std::regex_replace(call, kClock, "tv_sec=S, tv_nsec=NS");
        call = std::regex_replace(call, kSysinfo, "sysinfo({...})");
        call = std::regex_replace(call, kParent, "getppid() = PPID");
        for (const std::string& pid : pids)
            call = std::regex_replace(call, std::regex("\\b" + pid + "\\b"), "PID");
    }
    return calls;
}

struct Fidelity {
    std::size_t strace_lines = 0;
    std::size_t identical = 0;
    std::vector<std::string> differing;  // strace's lines fdtrace did not print
    double share() const { return strace_lines ? double(identical) / double(strace_lines) : 0; }
};

// Lines are matched as multisets: two runs order their processes' lines as
// the scheduler pleases.
Fidelity compare(const std::vector<std::string>& theirs, const std::vector<std::string>& ours) {
    std::multiset<std::string> left(ours.begin(), ours.end());
    Fidelity result;
    result.strace_lines = theirs.size();
    for (const std::string& line : theirs) {
        auto it = left.find(line);
        if (it == left.end()) {
            result.differing.push_back(line);
            continue;
        }
        left.erase(it);
        ++result.identical;
    }
    return result;
}

// `options` go to both tracers ("-X raw").
Fidelity measure(const std::string& name, const std::string& command,
                 const std::string& options = "") {
    std::string dir = "/tmp/fdtrace-fidelity-" + std::to_string(::getpid()) + "-" + name;
    std::filesystem::create_directories(dir);
    auto by_strace = run_shell("cd " + dir + " && strace -f -e trace=all " + options + " -o strace.txt " + command +
                               " </dev/null >/dev/null 2>&1");
    auto by_fdtrace = run_shell("cd " + dir + " && " + fdtrace_binary() +
                                " --mark-annotations -f -e trace=all " + options + " -o fdtrace.txt -- " +
                                command +
                                " </dev/null >/dev/null 2>&1");
    EXPECT_EQ(by_strace.status, by_fdtrace.status) << name;
    auto theirs = comparable_lines(read_file(dir + "/strace.txt"));
    auto ours = comparable_lines(strip_marked(read_file(dir + "/fdtrace.txt")));
    Fidelity fidelity = compare(theirs, ours);
    std::cout << "[ fidelity ] " << name << ": " << fidelity.identical << "/"
              << fidelity.strace_lines << " = " << 100.0 * fidelity.share() << "%\n";
    std::string differing;
    for (std::size_t i = 0; i < fidelity.differing.size() && i < 40; ++i)
        differing += "  " + fidelity.differing[i] + "\n";
    ::testing::Test::RecordProperty(name + "_percent", static_cast<int>(100 * fidelity.share()));
    if (!differing.empty()) std::cout << "strace lines fdtrace printed otherwise:\n" << differing;
    std::filesystem::remove_all(dir);
    return fidelity;
}

bool have_strace() { return ::access("/usr/bin/strace", X_OK) == 0; }

TEST(TraceVsStraceLines, Cat) {
    if (!have_strace()) GTEST_SKIP() << "no strace to compare with";
    Fidelity fidelity = measure("cat", "cat /etc/hostname");
    EXPECT_GT(fidelity.strace_lines, 50u);
    EXPECT_GE(fidelity.share(), 0.95);
}

TEST(TraceVsStraceLines, Ls) {
    if (!have_strace()) GTEST_SKIP() << "no strace to compare with";
    Fidelity fidelity = measure("ls", "ls -la /etc/hostname /dev/null /etc/default");
    EXPECT_GT(fidelity.strace_lines, 50u);
    EXPECT_GE(fidelity.share(), 0.95);
}

TEST(TraceVsStraceLines, Python) {
    if (!have_strace()) GTEST_SKIP() << "no strace to compare with";
    if (::access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no python3";
    Fidelity fidelity = measure(
        "python3", "/usr/bin/python3 -c 'import os, time; print(os.getcwd()); time.sleep(0.01)'");
    EXPECT_GT(fidelity.strace_lines, 100u);
    EXPECT_GE(fidelity.share(), 0.95);
}

TEST(TraceVsStraceLines, Shell) {
    if (!have_strace()) GTEST_SKIP() << "no strace to compare with";
    Fidelity fidelity =
        measure("sh", "sh -c 'echo hi | wc -c; sleep 0.01; ls /etc/default > /dev/null; exit 3'");
    EXPECT_GT(fidelity.strace_lines, 100u);
    EXPECT_GE(fidelity.share(), 0.95);
}

// -X raw / -X verbose (strace's --const-print-style): every flag set, enum,
// signal and AT_FDCWD as a number, or a number with its name in a comment.
// A workload with sockets (families, types, ports as bytes), fcntl, poll,
// epoll, signals, lseek and failing opens, besides the loader's mmaps.
constexpr const char* kXlatWorkload =
    "/usr/bin/python3 -c '"
    "import socket, os, fcntl, signal, select\n"
    "s = socket.socket()\n"
    "try: s.connect((\"127.0.0.1\", 1))\n"
    "except OSError: pass\n"
    "fd = os.open(\"/etc/hostname\", os.O_RDONLY | os.O_CLOEXEC); os.read(fd, 10)\n"
    "fcntl.fcntl(fd, fcntl.F_DUPFD, 10); fcntl.fcntl(fd, fcntl.F_GETFL)\n"
    "fcntl.fcntl(fd, fcntl.F_SETFD, fcntl.FD_CLOEXEC); fcntl.fcntl(fd, fcntl.F_GETFD)\n"
    "os.lseek(fd, 0, os.SEEK_END)\n"
    "r, w = os.pipe2(os.O_NONBLOCK)\n"
    "p = select.poll(); p.register(r, select.POLLIN); p.poll(0)\n"
    "u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
    "u6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)\n"
    "try: u6.connect((\"::1\", 1))\n"
    "except OSError: pass\n"
    "signal.signal(signal.SIGUSR1, signal.SIG_IGN); os.kill(os.getpid(), signal.SIGUSR1)\n"
    "e = select.epoll(); e.register(r, select.EPOLLIN); e.poll(0)\n"
    "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    "os.fstat(fd)'";

TEST(TraceVsStraceLines, XlatRaw) {
    if (!have_strace()) GTEST_SKIP() << "no strace to compare with";
    if (::access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no python3";
    Fidelity fidelity = measure("raw-python3", kXlatWorkload, "-X raw");
    EXPECT_GT(fidelity.strace_lines, 100u);
    EXPECT_GE(fidelity.share(), 0.95);
    Fidelity shell = measure("raw-sh", "sh -c 'echo hi | wc -c; ls -la /dev/null > /dev/null; exit 3'",
                             "--const-print-style=raw");
    EXPECT_GE(shell.share(), 0.95);
}

TEST(TraceVsStraceLines, XlatVerbose) {
    if (!have_strace()) GTEST_SKIP() << "no strace to compare with";
    if (::access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no python3";
    Fidelity fidelity = measure("verbose-python3", kXlatWorkload, "-X verbose");
    EXPECT_GT(fidelity.strace_lines, 100u);
    EXPECT_GE(fidelity.share(), 0.95);
    Fidelity shell = measure("verbose-sh", "sh -c 'echo hi | wc -c; ls -la /dev/null > /dev/null; exit 3'",
                             "-Xverbose");
    EXPECT_GE(shell.share(), 0.95);
}

}  // namespace
}  // namespace fdtrace
