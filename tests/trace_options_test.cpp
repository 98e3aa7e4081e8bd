// strace's options on the live tracer, each against strace itself on the
// same workload where strace has the behaviour: the lines (annotations taken
// out, strace's column padding folded) must be strace's.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fdtrace/render.h"
#include "fdtrace/syscall_classes.h"
#include "process_support.h"
#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::run_shell;

// Lines of a trace with fdtrace's marked annotations removed and strace's
// alignment of " = " folded to one space, so the two can be compared.
std::vector<std::string> plain_lines(const std::string& trace) {
    static const std::regex kPadding("\\) +=");
    std::vector<std::string> lines;
    std::istringstream in(strip_marked(trace));
    for (std::string line; std::getline(in, line);)
        lines.push_back(std::regex_replace(line, kPadding, ") ="));
    return lines;
}

// What strace and fdtrace print (stderr) for the same options and command.
struct Both {
    std::vector<std::string> strace, fdtrace;
    int strace_status = -1, fdtrace_status = -1;
};
Both run_both(const std::string& options, const std::string& command) {
    Both both;
    auto theirs = run_shell("strace " + options + " " + command + " 2>&1 >/dev/null 3>&- 4>&-");
    auto ours = run_shell(fdtrace_binary() + " --mark-annotations " + options + " -- " + command +
                          " 2>&1 >/dev/null 3>&- 4>&-");
    both.strace = plain_lines(theirs.out);
    both.fdtrace = plain_lines(ours.out);
    both.strace_status = theirs.status;
    both.fdtrace_status = ours.status;
    return both;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

TEST(TraceOptions, HexStringsAsStrace) {
    for (std::string flag : {"-x", "-xx"}) {
        // A printable string, one with a byte that needs an escape, one with \n only.
        Both both = run_both(flag + " -e trace=write",
                             "sh -c \"printf 'plain'; printf 'a\\001b'; printf 'c\\n'\"");
        EXPECT_EQ(both.fdtrace, both.strace) << flag << "\nstrace:\n"
                                             << joined(both.strace) << "fdtrace:\n"
                                             << joined(both.fdtrace);
    }
}

TEST(TraceOptions, SuccessfulAndFailedOnlyAsStrace) {
    for (std::string flag : {"-z", "-Z"}) {
        Both both = run_both(flag + " -e trace=openat,close", "cat /nonexistent/file");
        EXPECT_EQ(both.fdtrace, both.strace) << flag << "\nstrace:\n"
                                             << joined(both.strace) << "fdtrace:\n"
                                             << joined(both.fdtrace);
        EXPECT_EQ(both.fdtrace_status, 1);
    }
    EXPECT_EQ(run_shell(fdtrace_binary() + " -z -Z -- true 2>&1").status, 2);
}

TEST(TraceOptions, QuietLevelsAsStrace) {
    Both both = run_both("-qq -e trace=write", "echo hi");
    EXPECT_EQ(both.fdtrace, both.strace) << joined(both.fdtrace);
    EXPECT_EQ(joined(both.fdtrace).find("+++"), std::string::npos);
    // -q: no attach/detach messages on -p.
    auto attached = run_shell("sleep 5 & pid=$!; sleep 0.2; timeout -s INT 0.5 " +
                              fdtrace_binary() + " -q -p $pid 2>&1; kill $pid");
    EXPECT_EQ(attached.out.find("Process "), std::string::npos) << attached.out;
    EXPECT_NE(attached.out.find(" <detached ...>"), std::string::npos) << attached.out;
}

TEST(TraceOptions, RelativeTimestampsInStracesLayout) {
    auto alone = run_shell(fdtrace_binary() +
                           " --mark-annotations -r -e trace=write -- echo hi 2>&1 >/dev/null");
    std::vector<std::string> lines = plain_lines(alone.out);
    ASSERT_EQ(lines.size(), 2u) << alone.out;
    EXPECT_TRUE(lines[0].starts_with("     0.000000 write(1, \"hi\\n\", 3) = 3")) << lines[0];
    EXPECT_TRUE(
        std::regex_match(lines[1], std::regex(" +\\d+\\.\\d{6} \\+\\+\\+ exited with 0 \\+\\+\\+")))
        << lines[1];
    auto with_time =
        run_shell(fdtrace_binary() + " -tt -r -e trace=write -- echo hi 2>&1 >/dev/null");
    EXPECT_TRUE(std::regex_search(
        with_time.out,
        std::regex("^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} \\(\\+     0\\.000000\\) write\\(1")))
        << with_time.out;
}

TEST(TraceOptions, StraceHabitsAreAcceptedAndErrorsNameWhatWasTyped) {
    // -y/-yy (fdtrace always names fds), -v, --seccomp-bpf, clustered -fyy.
    for (std::string options :
         {"-y", "-yy", "-fyy", "-v", "--seccomp-bpf", "-yy -v --seccomp-bpf"}) {
        auto result = run_shell(fdtrace_binary() + " " + options +
                                " -e trace=write -- echo hi 2>&1 >/dev/null");
        EXPECT_EQ(result.status, 0) << options << ": " << result.out;
        EXPECT_NE(joined(plain_lines(result.out)).find("write(1 -> /dev/null, \"hi\\n\", 3) = 3"),
                  std::string::npos)
            << options << ": " << result.out;
    }
    auto bad = run_shell(fdtrace_binary() + " -s abc -- true 2>&1");
    EXPECT_EQ(bad.status, 2);
    EXPECT_EQ(bad.out, "fdtrace: -s abc: not a number\n");
    // fdtrace --help lists the tracer's options, not only the commands.
    auto help = run_shell(fdtrace_binary() + " --help");
    EXPECT_EQ(help.status, 0);
    for (std::string option :
         {"--string-limit", "--successful-only", "--relative-timestamps", "annotate"})
        EXPECT_NE(help.out.find(option), std::string::npos) << option;
}

TEST(TraceOptions, DescClassHasEveryCallThatTakesAnFd) {
    auto listed = run_shell(fdtrace_binary() + " -e trace=%desc --list-syscalls");
    for (std::string name :
         {"read", "poll", "ppoll", "select", "pselect6", "close_range", "epoll_wait", "dup3"})
        EXPECT_NE(listed.out.find("\n" + name + "\n"), std::string::npos) << name;
    EXPECT_EQ(run_shell(fdtrace_binary() + " -e trace=desc --list-syscalls").out, listed.out);
}

// -ff -o PREFIX: one file per task (PREFIX.TID), no pid column, and no
// task's line cut by another's: the same files, with the same lines, as strace's.
TEST(TraceOptions, PerTaskFilesAsStrace) {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("fdtrace-ff-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string workload = std::string(FDTRACE_TEST_PROGRAMS_DIR) + "/trace_blocked turns";
    ASSERT_EQ(run_shell("strace -ff -o " + (dir / "strace").string() + " -e trace=read,write " +
                        workload + " 3>&- 4>&-")
                  .status,
              0);
    ASSERT_EQ(
        run_shell(fdtrace_binary() + " --mark-annotations -ff -o " + (dir / "fdtrace").string() +
                  " -e trace=read,write -- " + workload + " 3>&- 4>&-")
            .status,
        0);
    // Each side's files in pid order: the main thread, then the two readers.
    auto files_of = [&](const std::string& prefix) {
        std::vector<std::pair<int, std::vector<std::string>>> files;
        for (const auto& entry : fs::directory_iterator(dir)) {
            std::string name = entry.path().filename().string();
            if (!name.starts_with(prefix + ".")) continue;
            files.emplace_back(std::stoi(name.substr(prefix.size() + 1)),
                               plain_lines(testing::read_file(entry.path().string())));
        }
        std::sort(files.begin(), files.end());
        return files;
    };
    auto theirs = files_of("strace");
    auto ours = files_of("fdtrace");
    ASSERT_EQ(ours.size(), 3u);
    ASSERT_EQ(ours.size(), theirs.size());
    for (std::size_t i = 0; i < ours.size(); ++i)
        EXPECT_EQ(ours[i].second, theirs[i].second) << "file " << i << "\nstrace:\n"
                                                    << joined(theirs[i].second) << "fdtrace:\n"
                                                    << joined(ours[i].second);
    fs::remove_all(dir);
}

// The syscall names a trace shows, once each.
std::set<std::string> names_in(const std::vector<std::string>& lines) {
    static const std::regex kCall("^(\\[pid +\\d+\\] |\\d+ +)?(<\\.\\.\\. )?([a-z0-9_]+)[( ]");
    std::set<std::string> names;
    for (const auto& line : lines) {
        std::smatch call;
        if (std::regex_search(line, call, kCall) && !line.starts_with("+++") &&
            !line.starts_with("---"))
            names.insert(call[3]);
    }
    return names;
}

// -e trace=%CLASS (and strace's bare spellings, /regex, ?name): the same
// calls traced as strace traces, on a workload that uses many of them.
TEST(TraceOptions, SyscallClassesAsStrace) {
    const std::string workload = "sh -c 'ls -l / >/dev/null; cat /etc/hostname; sleep 0.01; id -u'";
    for (std::string set : {"%file", "%process", "%memory", "%signal", "%creds", "%clock", "%%stat",
                            "%desc", "%network", "file", "process", "/^(read|write)",
                            "?nosuch,openat", "!%memory,%file,%desc"}) {
        Both both = run_both("-f -e trace=" + set, workload);
        std::set<std::string> theirs = names_in(both.strace), ours = names_in(both.fdtrace);
        EXPECT_EQ(ours, theirs) << set << "\nstrace:\n"
                                << joined(both.strace) << "fdtrace:\n"
                                << joined(both.fdtrace);
    }
    EXPECT_EQ(run_shell(fdtrace_binary() + " -e trace=%bogus -- true 2>&1").status, 2);
    EXPECT_EQ(run_shell(fdtrace_binary() + " -e trace=/[ -- true 2>&1").status, 2);
    auto refused = run_shell(fdtrace_binary() + " -e bogus=1 -- true 2>&1");
    EXPECT_EQ(refused.status, 2);
    EXPECT_NE(refused.out.find("unknown qualifier 'bogus'"), std::string::npos) << refused.out;
}

// -X raw/verbose: strace's lines, and the fds still named: AT_FDCWD printed
// as -100 is no fd, fcntl's F_DUPFD printed as 0 still returns one.
TEST(TraceOptions, XlatStylesKeepTheFdsNamed) {
    const std::string workload =
        "/usr/bin/python3 -c 'import os, fcntl; fd = os.open(\"/etc/hostname\", os.O_RDONLY); "
        "fcntl.fcntl(fd, fcntl.F_DUPFD, 10); fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 20)'";
    for (std::string style : {"raw", "verbose"}) {
        Both both = run_both("-X " + style + " -e trace=openat,fcntl", workload);
        EXPECT_EQ(both.fdtrace, both.strace) << style << "\nstrace:\n"
                                             << joined(both.strace) << "fdtrace:\n"
                                             << joined(both.fdtrace);
        auto ours = run_shell(fdtrace_binary() + " -X " + style + " -e trace=openat,fcntl -- " +
                              workload + " 2>&1 >/dev/null 3>&- 4>&-");
        bool dirfd = style == "raw"
                         ? ours.out.find("openat(-100, \"/etc/hostname\"") != std::string::npos
                         : ours.out.find("openat(-100 /* AT_FDCWD */, \"/etc/hostname\"") !=
                               std::string::npos;
        EXPECT_TRUE(dirfd) << ours.out;
        const std::string dupfd = style == "raw" ? "0" : "0 /\\* F_DUPFD \\*/";
        EXPECT_TRUE(
            std::regex_search(ours.out, std::regex(dupfd + ", 10\\) += \\d+ -> /etc/hostname")))
            << ours.out;
        EXPECT_TRUE(std::regex_search(ours.out, std::regex(", 20\\) += \\d+ -> /etc/hostname")))
            << ours.out;
    }
    auto bad = run_shell(fdtrace_binary() + " -X numbers -- true 2>&1");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.out.find("invalid -X argument: 'numbers'"), std::string::npos) << bad.out;
    EXPECT_EQ(
        run_shell(fdtrace_binary() + " --xlat-verbosity=raw -e trace=none -- true 2>&1").status, 0);
}

// -e read=SET / -e write=SET (--read=, --write=): strace's hex dump of the
// data after each line, for the read and write families, vectors included.
TEST(TraceOptions, ReadWriteDumpsAsStrace) {
    const std::string script = "/tmp/fdtrace-dump-" + std::to_string(::getpid()) + ".py";
    {
        std::ofstream out(script);
        out << "import os, socket\n"
               "r, w = os.pipe()\n"
               "os.write(w, bytes(range(40)) + b'hello world\\n')\n"
               "os.read(r, 100)\n"
               "os.writev(w, [b'abc\\x00\\xffdef', b'0123456789abcdefXYZ'])\n"
               "os.readv(r, [bytearray(5), bytearray(100)])\n"
               "f = os.open('"
            << script
            << ".bin', os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)\n"
               "os.pwrite(f, b'P' * 20, 0); os.pread(f, 30, 0)\n"
               "os.pwritev(f, [b'ab', b'', b'cd'], 0); os.preadv(f, [bytearray(3), bytearray(4)], "
               "0)\n"
               "a, b = socket.socketpair()\n"
               "a.send(b'sock-data'); b.recv(100)\n"
               "a.sendmsg([b'm1', b'm2']); b.recvmsg(100)\n"
               "os.write(w, b'')\n"
               "try: os.write(r, b'xyz')\n"
               "except OSError: pass\n";
    }
    const std::string calls =
        "-e trace=read,write,readv,writev,pread64,pwrite64,preadv,pwritev,preadv2,pwritev2,sendto,"
        "recvfrom,sendmsg,recvmsg";
    for (std::string sets : {"-e read=3,5,7 -e write=4,5,6", "-e read=all -e write=!1,2"}) {
        Both both = run_both(calls + " " + sets, "/usr/bin/python3 " + script);
        // From the first write on: the interpreter's own reads before it
        // differ between two runs only in addresses.
        for (auto* lines : {&both.fdtrace, &both.strace}) {
            auto first = std::find_if(lines->begin(), lines->end(), [](const std::string& line) {
                return line.starts_with("write(4, ");
            });
            lines->erase(lines->begin(), first);
            for (auto& line : *lines)
                line = std::regex_replace(
                    line, std::regex("msg_name=0x[0-9a-f]+, msg_namelen=[^,]*"), "msg_name=X");
        }
        EXPECT_GT(std::count_if(both.strace.begin(), both.strace.end(),
                                [](const std::string& line) { return line.starts_with(" | 000"); }),
                  10);
        EXPECT_EQ(both.fdtrace, both.strace) << sets << "\nstrace:\n"
                                             << joined(both.strace) << "fdtrace:\n"
                                             << joined(both.fdtrace);
    }
    // The long spellings, and strace's words for a bad set.
    auto longs =
        run_shell(fdtrace_binary() + " -e trace=write --write=1 -- echo hi 2>&1 >/dev/null");
    EXPECT_NE(longs.out.find(" | 00000  68 69 0a "), std::string::npos) << longs.out;
    auto bad = run_shell(fdtrace_binary() + " -e read=x -- true 2>&1");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.out.find("invalid descriptor 'x'"), std::string::npos) << bad.out;
    std::filesystem::remove(script);
    std::filesystem::remove(script + ".bin");
}

// -e signal=SET prints only those signals; their delivery is unchanged.
TEST(TraceOptions, SignalSetAsStrace) {
    const std::string workload = "sh -c 'trap : USR1 USR2; kill -USR1 $$; kill -USR2 $$; exit 3'";
    for (std::string set : {"signal=USR1", "signal=!SIGUSR1", "signal=none", "signal=all"}) {
        Both both = run_both("-e trace=none -e " + set, workload);
        for (auto* lines : {&both.fdtrace, &both.strace})  // two runs, two pids
            for (auto& line : *lines)
                line = std::regex_replace(line, std::regex("si_pid=\\d+"), "si_pid=N");
        EXPECT_EQ(both.fdtrace, both.strace) << set << "\nstrace:\n"
                                             << joined(both.strace) << "fdtrace:\n"
                                             << joined(both.fdtrace);
        EXPECT_EQ(both.fdtrace_status, 3);
    }
}

// The class table is data: every name in it is a syscall of some
// architecture libseccomp knows (no typo can hide in it).
TEST(TraceOptions, EveryClassMemberIsASyscallSomewhere) {
    const std::uint32_t arches[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86,   SCMP_ARCH_AARCH64,
                                    SCMP_ARCH_ARM,    SCMP_ARCH_PPC64, SCMP_ARCH_S390X};
    for (std::string_view class_name : syscall_class_names()) {
        auto members = syscall_class(class_name);
        EXPECT_FALSE(members.empty()) << class_name;
        for (std::string_view name : members) {
            bool known = false;
            for (std::uint32_t arch : arches)
                known = known ||
                        seccomp_syscall_resolve_name_arch(arch, std::string(name).c_str()) >= 0;
            EXPECT_TRUE(known) << class_name << ": " << name;
        }
    }
    EXPECT_FALSE(syscall_class("file").empty());
    EXPECT_TRUE(syscall_class("stat").empty()) << "stat is a syscall, not a class, without %";
}

// --fd-filter (by what the fd is) and --trace-fds (by number): only the
// calls on matching fds are shown; signals and exits still are.
TEST(TraceOptions, FdFiltersShowOnlyCallsOnMatchingFds) {
    std::string programs = FDTRACE_TEST_PROGRAMS_DIR;
    auto result = run_shell(fdtrace_binary() + " -n -f --fd-filter tcp -- " + programs +
                            "/trace_tcp 2>&1 >/dev/null 3>&- 4>&-");
    ASSERT_EQ(result.status, 0) << result.out;
    std::vector<std::string> calls;
    for (const auto& line : plain_lines(result.out))
        if (line.find("+++") == std::string::npos && line.find("---") == std::string::npos &&
            !line.starts_with("fdtrace: "))
            calls.push_back(line);
    ASSERT_FALSE(calls.empty());
    std::string everything = joined(calls);
    for (const auto& line : calls)  // a resumed line's fd is on its first half
        if (line.find(" resumed>") == std::string::npos)
            EXPECT_NE(line.find("-> TCP"), std::string::npos) << line;
    for (std::string call : {"listen(3", "accept4(3", "connect(4", "write(4", "read(4"})
        EXPECT_NE(everything.find(call), std::string::npos) << call << "\n" << everything;
    EXPECT_EQ(everything.find("openat("), std::string::npos) << everything;

    // By port: a server on a port taken for the test, a client of it, and
    // another connection on a port nobody asked for, which is left out.
    int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
    ::close(probe);
    std::string port = std::to_string(ntohs(address.sin_port));
    std::string script =
        "import socket, sys\n"
        "server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        "server.bind(('127.0.0.1', int(sys.argv[1]))); server.listen()\n"
        "other = socket.socket(); other.bind(('127.0.0.1', 0)); other.listen()\n"
        "client = socket.create_connection(('127.0.0.1', int(sys.argv[1]))); peer, _ = "
        "server.accept()\n"
        "side = socket.create_connection(other.getsockname()); other.accept()[0].sendall(b'side')\n"
        "side.recv(4); client.sendall(b'ping'); peer.recv(4)\n";
    std::string path = (std::filesystem::temp_directory_path() /
                        ("fdtrace-filter-" + std::to_string(::getpid()) + ".py"))
                           .string();
    { std::ofstream(path) << script; }
    auto by_port = run_shell(fdtrace_binary() + " -n -f --fd-filter tcp:" + port + " -- python3 " +
                             path + " " + port + " 2>&1 >/dev/null 3>&- 4>&-");
    std::filesystem::remove(path);
    EXPECT_TRUE(
        std::regex_search(by_port.out, std::regex("listen\\(\\d+ -> TCP 127\\.0\\.0\\.1:" + port)))
        << by_port.out;
    EXPECT_TRUE(std::regex_search(by_port.out, std::regex("\"ping\", 4"))) << by_port.out;
    EXPECT_EQ(by_port.out.find("\"side\""), std::string::npos)
        << "another port's data: " << by_port.out;

    auto paths = run_shell(
        fdtrace_binary() +
        " --fd-filter '/etc/host*' -- cat /etc/hostname /etc/passwd 2>&1 >/dev/null 3>&- 4>&-");
    EXPECT_NE(paths.out.find("read(3 -> /etc/hostname"), std::string::npos) << paths.out;
    EXPECT_EQ(paths.out.find("/etc/passwd"), std::string::npos) << paths.out;

    auto numbers =
        run_shell(fdtrace_binary() + " --trace-fds=1 -- echo hi 2>&1 >/dev/null 3>&- 4>&-");
    EXPECT_NE(joined(plain_lines(numbers.out)).find("write(1 -> /dev/null, \"hi\\n\", 3) = 3"),
              std::string::npos)
        << numbers.out;
    EXPECT_EQ(numbers.out.find("openat("), std::string::npos) << numbers.out;

    EXPECT_EQ(
        run_shell(fdtrace_binary() + " --fd-filter bogus:1 -- true 2>&1").out,
        "fdtrace: --fd-filter bogus:1: unknown kind 'bogus' (tcp, udp, unix, pipe, file, ...)\n");
    EXPECT_EQ(run_shell(fdtrace_binary() + " --trace-fds=5-3 -- true 2>&1").status, 2);
}

// strace pads " = " to column 40 (-a N): with the annotations taken out,
// fdtrace's lines are strace's to the byte, padding included, also for a
// pid column and for a line continued after its call blocked.
TEST(TraceOptions, ResultColumnAsStrace) {
    for (std::string options : {"", "-a 20", "-a 60", "-f"}) {
        std::string command = "sh -c 'echo a; (echo b); read x < /dev/null; sleep 0.05'";
        auto theirs = run_shell("strace " + options + " -e trace=write,read,close " + command +
                                " 2>&1 >/dev/null 3>&- 4>&-");
        auto ours =
            run_shell(fdtrace_binary() + " --mark-annotations " + options +
                      " -e trace=write,read,close -- " + command + " 2>&1 >/dev/null 3>&- 4>&-");
        std::vector<std::string> strace_lines, fdtrace_lines;
        std::istringstream a(theirs.out), b(strip_marked(ours.out));
        // CPU times in SIGCHLD differ from run to run ("si_stime=1 /* 0.01 s */").
        static const std::regex kPid(
            "\\[pid +\\d+\\]|Process \\d+|si_pid=\\d+|^(strace|fdtrace): |si_[us]time=\\d+( /\\* "
            "[^*]* \\*/)?");
        for (std::string line; std::getline(a, line);)
            strace_lines.push_back(std::regex_replace(line, kPid, "P"));
        for (std::string line; std::getline(b, line);)
            fdtrace_lines.push_back(std::regex_replace(line, kPid, "P"));
        EXPECT_EQ(fdtrace_lines, strace_lines) << "options '" << options << "'\nstrace:\n"
                                               << theirs.out << "fdtrace:\n"
                                               << strip_marked(ours.out);
    }
}

// strace -o FILE with a command implies -q: nothing about attaching reaches
// the terminal, nor the file. Without -o the messages are on stderr.
TEST(TraceOptions, OutputFileImpliesQuietAsStrace) {
    fdtrace::TempDir dir;
    const std::string command = " sh -c 'true & wait'";
    auto theirs = run_shell("strace -f -o " + (dir / "s.txt") + command + " 2>&1 3>&- 4>&-");
    auto ours = run_shell(fdtrace_binary() + " -f -o " + (dir / "f.txt") + " --" + command +
                          " 2>&1 3>&- 4>&-");
    EXPECT_EQ(theirs.out, "");
    EXPECT_EQ(ours.out, theirs.out);
    EXPECT_EQ(testing::read_file(dir / "f.txt").find("attached"), std::string::npos);
    auto loud = run_shell(fdtrace_binary() + " -f -e trace=none --" + command + " 2>&1 3>&- 4>&-");
    EXPECT_NE(loud.out.find("Process "), std::string::npos) << loud.out;
}

// Bad numbers are one line and status 2, as strace refuses them (they
// crashed: -a -1 threw std::length_error, -a 99999999999 std::bad_alloc).
TEST(TraceOptions, BadNumbersAndEmptySetsAreRefusedAsStrace) {
    const std::pair<const char*, const char*> cases[] = {
        {"-a -1", "invalid -a argument: '-1'"},
        {"-a 99999999999", "invalid -a argument: '99999999999'"},
        {"-a x", "invalid -a argument: 'x'"},
        {"-s 4000000000", "invalid -s argument: '4000000000'"},
        {"-e trace=", "invalid system call ''"},
        {"-e trace=,", "invalid system call ','"},
        {"-e 'trace=!'", "invalid system call '!'"},
    };
    for (const auto& [options, message] : cases) {
        auto result = run_shell(fdtrace_binary() + " " + options + " -- true 2>&1");
        EXPECT_EQ(result.status, 2) << options;
        EXPECT_EQ(result.out, std::string("fdtrace: ") + message + "\n") << options;
    }
    EXPECT_EQ(run_shell(fdtrace_binary() + " -a 0 -e trace=none -- true 2>&1").status, 0);
}

// -v prints execve's environment whole, as strace -v does (it printed
// "/* 2 vars */" under -v too).
TEST(TraceOptions, VerboseShowsTheEnvironmentAsStrace) {
    const std::string command = " -v -e trace=execve -- /bin/true 2>&1 >/dev/null 3>&- 4>&-";
    auto theirs = run_shell("env -i A=1 B=2 strace" + command);
    auto ours = run_shell("env -i A=1 B=2 " + fdtrace_binary() + command);
    EXPECT_NE(theirs.out.find(R"(["A=1", "B=2"])"), std::string::npos) << theirs.out;
    EXPECT_EQ(ours.out, theirs.out);
}

// getrusage and sysinfo decoded as strace decodes them (they printed raw
// registers); the numbers change from run to run, the shape must not.
TEST(TraceOptions, GetrusageAndSysinfoAsStrace) {
    const std::string command =
        " -e trace=getrusage,sysinfo -e signal=none /usr/bin/python3 -c 'import ctypes, resource; "
        "resource.getrusage(resource.RUSAGE_CHILDREN); b = ctypes.create_string_buffer(200); "
        "libc = ctypes.CDLL(None); libc.sysinfo(b); libc.getrusage(7, b)' 2>&1 >/dev/null 3>&- "
        "4>&-";
    auto theirs = run_shell("strace" + command);
    auto ours = run_shell(fdtrace_binary() + command);
    static const std::regex kNumbers("=[0-9]+|\\[[0-9, ]+\\]|0x[0-9a-f]{6,}");
    auto shape = [](const std::string& text) { return std::regex_replace(text, kNumbers, "=N"); };
    EXPECT_NE(theirs.out.find("getrusage(RUSAGE_CHILDREN, {ru_utime="), std::string::npos)
        << theirs.out;
    EXPECT_EQ(shape(ours.out), shape(theirs.out));
}

}  // namespace
}  // namespace fdtrace
