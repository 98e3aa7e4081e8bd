// The same real workload traced once by `strace -f -yy` and once by
// `fdtrace -f`: every identity strace showed must be shown by fdtrace too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "fdtrace/fd_sites.h"
#include "fdtrace/strace_line.h"
#include "fdtrace/syscall_table.h"
#include "fdtrace/yy_annotation.h"
#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::read_file;
using testing::run_shell;

// What both tools can be compared on: the kind and the details that do not
// change between two runs (ephemeral ports and inodes do).
std::string comparable(const FdIdentity& identity, const std::string& fixed_port) {
    std::string kind(kind_name(identity.kind));
    if (const auto* path = identity.get<PathDetails>()) {
        // /proc/1234/maps: the pid differs between the two runs.
        static const std::regex proc_pid("^/proc/[0-9]+/");
        return "path " + std::regex_replace(path->path, proc_pid, "/proc/PID/");
    }
    if (const auto* inet = identity.get<InetDetails>()) {
        bool remote_fixed = inet->remote.ends_with(":" + fixed_port);
        bool local_fixed = inet->local.ends_with(":" + fixed_port);
        if (remote_fixed) return kind + " remote " + inet->remote;
        if (local_fixed) return kind + " local " + inet->local;
        return kind;
    }
    if (const auto* unix_socket = identity.get<UnixDetails>())
        return unix_socket->path.empty() ? "unix" : "unix " + unix_socket->path;
    if (identity.kind == FdKind::File || identity.kind == FdKind::Chr) return "path ?";
    return kind;
}

std::set<std::string> strace_identities(const std::string& log, const std::string& port) {
    std::set<std::string> out;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        SyscallEvent event = parse_strace_line(line);
        if (event.kind != EventKind::Syscall || event.resumed) continue;
        const SyscallSignature* signature = find_syscall(event.name);
        if (!signature) continue;
        find_fd_sites(*signature, line, event.args, event.args_offset, event);
        for (const FdSite& site : event.fds)
            if (auto identity =
                    parse_yy_annotation(site.existing_annotation, DeletedMarker::Outside)) {
                // strace names sockets it could not look up by inode only.
                if (identity->kind == FdKind::Socket || identity->kind == FdKind::Netlink) continue;
                out.insert(comparable(*identity, port));
            }
    }
    return out;
}

// fdtrace's JSON Lines: the identity fields of each fds[] entry.
std::set<std::string> fdtrace_identities(const std::string& json, const std::string& port) {
    std::set<std::string> out;
    static const std::regex entry(
        R"re(\{"fd":\d+,"role":"[a-z_]+",("kind":"[^"]*"(?:[^{}]|\{[^{}]*\})*)\})re");
    static const std::regex field(R"re("([a-z_]+)":"((?:[^"\\]|\\.)*)")re");
    std::istringstream lines(json);
    for (std::string line; std::getline(lines, line);) {
        for (std::sregex_iterator it(line.begin(), line.end(), entry), end; it != end; ++it) {
            std::string body = (*it)[1];
            FdIdentity identity;
            std::map<std::string, std::string> fields;
            for (std::sregex_iterator f(body.begin(), body.end(), field); f != end; ++f)
                fields[(*f)[1]] = (*f)[2];
            identity.kind = kind_from_name(fields["kind"]).value_or(FdKind::Unknown);
            if (fields.count("path") && identity.kind != FdKind::Unix)
                identity.details = PathDetails{fields["path"], false};
            else if (is_inet_kind(identity.kind))
                identity.details = InetDetails{fields["local"], fields["remote"], fields["state"]};
            else if (identity.kind == FdKind::Unix)
                identity.details = UnixDetails{fields["type"], fields["path"], fields["peer_path"]};
            out.insert(comparable(identity, port));
        }
    }
    return out;
}

TEST(TraceVsStrace, EveryIdentityStraceShowsFdtraceShowsToo) {
    std::string dir = "/tmp/fdtrace-vs-strace-" + std::to_string(::getpid());
    std::filesystem::create_directories(dir);
    std::string port = std::to_string(20000 + ::getpid() % 20000);
    // A real workload: a shell pipeline into a file, a TCP server and client
    // over loopback, a unix socket with a path, a pipe, a deleted file.
    std::string script = dir + "/workload.sh";
    std::ofstream(script)
        << "cd " << dir << "\n"
        << "cat /etc/services | grep -c tcp > count.txt\n"
        << "python3 - <<'PY'\n"
        << "import os, socket\n"
        << "server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, "
           "1)\n"
        << "server.bind(('127.0.0.1', " << port << ")); server.listen()\n"
        << "client = socket.create_connection(('127.0.0.1', " << port << "))\n"
        << "peer, _ = server.accept(); client.sendall(b'ping'); peer.recv(4)\n"
        << "u = socket.socket(socket.AF_UNIX); u.bind('unix.sock'); u.listen()\n"
        << "c = socket.socket(socket.AF_UNIX); c.connect('unix.sock'); a, _ = u.accept()\n"
        << "a.send(b'x'); c.recv(1)\n"
        << "f = open('doomed.txt', 'w'); os.unlink('doomed.txt'); f.write('x'); f.flush()\n"
        << "r, w = os.pipe(); os.write(w, b'y'); os.read(r, 1)\n"
        << "PY\n";
    auto set = run_shell(fdtrace_binary() + " --list-syscalls | paste -sd, -");
    ASSERT_EQ(set.status, 0);
    std::string syscalls = set.out.substr(0, set.out.find('\n'));
    auto by_strace = run_shell("strace -f -yy -e trace=" + syscalls + " -o " + dir +
                               "/strace.log sh " + script + " 2>&1");
    ASSERT_EQ(by_strace.status, 0) << by_strace.out;
    std::filesystem::remove(dir + "/unix.sock");
    auto by_fdtrace = run_shell(fdtrace_binary() + " -f -n --format=json -o " + dir +
                                "/fdtrace.json -- sh " + script + " 2>&1 3>&- 4>&-");
    ASSERT_EQ(by_fdtrace.status, 0) << by_fdtrace.out;

    auto theirs = strace_identities(read_file(dir + "/strace.log"), port);
    auto ours = fdtrace_identities(read_file(dir + "/fdtrace.json"), port);
    ASSERT_GT(theirs.size(), 8u);
    for (const std::string& expected :
         {"path " + dir + "/count.txt", "tcp remote 127.0.0.1:" + port,
          "tcp local 127.0.0.1:" + port, std::string("unix unix.sock"), std::string("pipe")})
        EXPECT_TRUE(theirs.count(expected)) << "the workload shows " << expected;
    std::string missing;
    for (const std::string& identity : theirs)
        if (!ours.count(identity)) missing += "  " + identity + "\n";
    EXPECT_TRUE(missing.empty()) << "strace showed, fdtrace did not:\n" << missing;
    if (missing.empty()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fdtrace
