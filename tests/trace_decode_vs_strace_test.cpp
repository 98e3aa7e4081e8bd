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
#include "fdtrace/trace_cli.h"
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
    // Ephemeral ports (the kernel's 32768-60999) are chosen anew each run.
    static const std::regex kEphemeralPort(R"(htons\((3[2-9]\d{3}|[4-6]\d{4})\))");
    // The traced command's parent is strace in one run, fdtrace in the other.
    static const std::regex kParent(R"(^getppid\(\) = \d+$)");
    for (std::string& call : calls) {
        call = std::regex_replace(call, kPadding, ") = ");
        call = std::regex_replace(call, kAddress, "0xADDR");
        call = std::regex_replace(call, kRandom, "getrandom(\"RANDOM\"");
        call = std::regex_replace(call, kClock, "tv_sec=S, tv_nsec=NS");
        call = std::regex_replace(call, kSysinfo, "sysinfo({...})");
        call = std::regex_replace(call, kEphemeralPort, "htons(EPHEMERAL)");
        call = std::regex_replace(call, kParent, "getppid() = PPID");
        for (const std::string& pid : pids)
            call = std::regex_replace(call, std::regex("\\b" + pid + "\\b"), "PID");
    }
    return calls;
}

struct Fidelity {
    std::size_t strace_lines = 0;
    std::size_t identical = 0;
    std::size_t fd_lines = 0;  // strace's lines of calls in fdtrace's default set (%fd)
    std::size_t fd_identical = 0;
    double fd_share() const { return fd_lines ? double(fd_identical) / double(fd_lines) : 1; }
    // strace against itself, run again the same way: what differs from run
    // to run (random bytes, temporary names) that no masking catches.
    double baseline = 1;
    double fd_baseline = 1;
    std::vector<std::string> differing;  // strace's lines fdtrace did not print
    double share() const { return strace_lines ? double(identical) / double(strace_lines) : 0; }
};

// Lines are matched as multisets: two runs order their processes' lines as
// the scheduler pleases.
Fidelity compare(const std::vector<std::string>& theirs, const std::vector<std::string>& ours) {
    std::multiset<std::string> left(ours.begin(), ours.end());
    Fidelity result;
    result.strace_lines = theirs.size();
    static const auto fd_family = [] {
        auto names = default_trace_set();
        return std::set<std::string>(names.begin(), names.end());
    }();
    for (const std::string& line : theirs) {
        const bool fd_call = fd_family.count(line.substr(0, line.find('('))) > 0;
        result.fd_lines += fd_call;
        auto it = left.find(line);
        if (it == left.end()) {
            result.differing.push_back(line);
            continue;
        }
        left.erase(it);
        ++result.identical;
        result.fd_identical += fd_call;
    }
    return result;
}

// `options` go to both tracers ("-X raw").
Fidelity measure(const std::string& name, const std::string& command,
                 const std::string& options = "") {
    std::string dir = "/tmp/fdtrace-fidelity-" + std::to_string(::getpid()) + "-" + name;
    std::filesystem::create_directories(dir);
    auto by_strace = run_shell("cd " + dir + " && strace -f -e trace=all " + options +
                               " -o strace.txt " + command + " </dev/null >/dev/null 2>&1");
    // The second run starts from the same empty directory as the first (at
    // the same path, so the strings match): git init, sqlite3 and tar make files.
    std::string strace_text = read_file(dir + "/strace.txt");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto by_fdtrace =
        run_shell("cd " + dir + " && " + fdtrace_binary() + " --mark-annotations -f -e trace=all " +
                  options + " -o fdtrace.txt -- " + command + " </dev/null >/dev/null 2>&1");
    EXPECT_EQ(by_strace.status, by_fdtrace.status) << name;
    std::string fdtrace_text = read_file(dir + "/fdtrace.txt");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    run_shell("cd " + dir + " && strace -f -e trace=all " + options + " -o strace2.txt " + command +
              " </dev/null >/dev/null 2>&1");
    auto theirs = comparable_lines(strace_text);
    auto ours = comparable_lines(strip_marked(fdtrace_text));
    Fidelity fidelity = compare(theirs, ours);
    Fidelity again = compare(theirs, comparable_lines(read_file(dir + "/strace2.txt")));
    fidelity.baseline = again.share();
    fidelity.fd_baseline = again.fd_share();
    std::cout << "[ fidelity ] " << name << ": " << fidelity.identical << "/"
              << fidelity.strace_lines << " = " << 100.0 * fidelity.share() << "%, fd family "
              << fidelity.fd_identical << "/" << fidelity.fd_lines << " = "
              << 100.0 * fidelity.fd_share() << "%; strace against itself " << 100.0 * again.share()
              << "%, fd family " << 100.0 * again.fd_share() << "%\n";
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

// More real programs (issue 10's workloads): each must print at least 90% of
// strace's lines identically. Those not installed are skipped.
struct Workload {
    const char* name;
    const char* needs;  // a program that must exist
    const char* command;
};

class TraceVsStraceWorkloads : public ::testing::TestWithParam<Workload> {};

TEST_P(TraceVsStraceWorkloads, AtLeast90PercentOfStracesLines) {
    const Workload& workload = GetParam();
    if (!have_strace()) GTEST_SKIP() << "no strace to compare with";
    if (::access(workload.needs, X_OK) != 0) GTEST_SKIP() << "no " << workload.needs;
    Fidelity fidelity = measure(workload.name, workload.command);
    EXPECT_GT(fidelity.strace_lines, 30u);
    EXPECT_GE(fidelity.share(), 0.90);
    // The fd family: 98% of strace's lines, or within a point of what
    // strace itself repeats (random journal nonces, temporary names).
    EXPECT_GE(fidelity.fd_share(), std::min(0.98, fidelity.fd_baseline - 0.01));
}

const Workload kWorkloads[] = {
    {"gcc", "/usr/bin/gcc",
     "sh -c 'printf \"int main(void){return 0;}\\n\" > x.c && gcc -o x x.c && ./x'"},
    {"git", "/usr/bin/git",
     "sh -c 'git init -q r && cd r && echo a > f && git add f && "
     "git -c user.name=a -c user.email=b@c commit -qm m && git log --oneline >/dev/null'"},
    {"sqlite3", "/usr/bin/sqlite3",
     "sqlite3 db.sqlite 'create table t(x); insert into t values(1); select * from t;'"},
    {"tar", "/usr/bin/tar",
     "sh -c 'tar czf a.tgz /etc/hostname /etc/default 2>/dev/null; tar tzf a.tgz'"},
    {"pipeline", "/bin/sh", "sh -c 'cat /etc/passwd | grep root | wc -l'"},
    {"python_sockets", "/usr/bin/python3",
     "/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\",0)); "
     "s.listen(); "
     "c=socket.create_connection(s.getsockname()); a,_=s.accept(); c.sendall(b\"hi\"); a.recv(2); "
     "u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); u.sendto(b\"x\",(\"127.0.0.1\",9)); "
     "p,q=socket.socketpair(); p.send(b\"y\"); q.recv(1)'"},
    {"python_threads", "/usr/bin/python3",
     "/usr/bin/python3 -c 'import threading; t=[threading.Thread(target=sum,args=([1,2],)) for _ "
     "in "
     "range(4)]; [x.start() for x in t]; [x.join() for x in t]'"},
    {"python_asyncio", "/usr/bin/python3",
     "/usr/bin/python3 -c 'import asyncio; asyncio.run(asyncio.sleep(0.01))'"},
    {"signals", "/bin/sh", "sh -c 'trap \"echo got\" USR1; kill -USR1 $$; sleep 0.01'"},
    {"perl", "/usr/bin/perl",
     "perl -e 'open(F,\"<\",\"/etc/hostname\"); my @l=<F>; pipe(R,W); if(!fork){close R; print W "
     "\"x\"; "
     "exit} close W; my @r=<R>; wait'"},
    {"make", "/usr/bin/make", "sh -c 'printf \"all:\\n\\t@echo hi\\n\" > Makefile && make -s'"},
    {"curl_file", "/usr/bin/curl", "curl -s file:///etc/hostname"},
};

INSTANTIATE_TEST_SUITE_P(RealPrograms, TraceVsStraceWorkloads, ::testing::ValuesIn(kWorkloads),
                         [](const ::testing::TestParamInfo<Workload>& info) {
                             return std::string(info.param.name);
                         });

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
    Fidelity shell =
        measure("raw-sh", "sh -c 'echo hi | wc -c; ls -la /dev/null > /dev/null; exit 3'",
                "--const-print-style=raw");
    EXPECT_GE(shell.share(), 0.95);
}

TEST(TraceVsStraceLines, XlatVerbose) {
    if (!have_strace()) GTEST_SKIP() << "no strace to compare with";
    if (::access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no python3";
    Fidelity fidelity = measure("verbose-python3", kXlatWorkload, "-X verbose");
    EXPECT_GT(fidelity.strace_lines, 100u);
    EXPECT_GE(fidelity.share(), 0.95);
    Fidelity shell = measure(
        "verbose-sh", "sh -c 'echo hi | wc -c; ls -la /dev/null > /dev/null; exit 3'", "-Xverbose");
    EXPECT_GE(shell.share(), 0.95);
}

}  // namespace
}  // namespace fdtrace
