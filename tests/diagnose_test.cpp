// `fds`, `stuck` and `leaks` against real processes: tests/programs/diag_target
// sets up fds or blocks in a call, says "ready" on a pipe, and is then looked
// at through the library and through the fdtrace binary. Nothing here sleeps
// to synchronise: the target hand-shakes over pipes, and "is it blocked in
// read() yet" is polled from /proc/PID/task/*/syscall with a deadline.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fdtrace/fd_snapshot.h"
#include "fdtrace/leaks.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/scoped_fd.h"
#include "fdtrace/stuck.h"
#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::run_shell;

std::string program(const std::string& name) {
    return std::string(FDTRACE_TEST_PROGRAMS_DIR) + "/" + name;
}

// A running diag_target with a pipe to its stdin and one from its stdout.
class Target : public testing::PipedChild {
  public:
    explicit Target(std::vector<std::string> args) : PipedChild(with_program(std::move(args))) {}
    void send(const std::string& text) { ASSERT_TRUE(PipedChild::send(text)); }

    // "ready a=3 b=4" -> value("a") == 3.
    static std::map<std::string, int> values(const std::string& line) {
        std::map<std::string, int> values;
        std::istringstream words(line);
        for (std::string word; words >> word;) {
            auto equals = word.find('=');
            if (equals != std::string::npos)
                values[word.substr(0, equals)] = std::stoi(word.substr(equals + 1));
        }
        return values;
    }

  private:
    static std::vector<std::string> with_program(std::vector<std::string> args) {
        args.insert(args.begin(), program("diag_target"));
        return args;
    }
};

// Waits until, for each syscall number in `nrs`, a different thread of pid
// is blocked in it (polling /proc with a 20 s deadline).
bool wait_blocked(int pid, std::multiset<long> nrs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        std::multiset<long> missing = nrs;
        for (const auto& task :
             std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
            auto text = testing::read_file(task.path().string() + "/syscall");
            auto call = parse_task_syscall(text);
            if (!call || call->where != TaskSyscall::Where::InSyscall) continue;
            auto it = missing.find(call->nr);
            if (it != missing.end()) missing.erase(it);
        }
        if (missing.empty()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

class TempDir {
  public:
    TempDir() {
        path_ = std::filesystem::temp_directory_path() /
                ("fdtrace-diag-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string str() const { return path_.string(); }

  private:
    std::filesystem::path path_;
};

ProcResolver::Options test_options() {
    ProcResolver::Options options;
    options.owners.min_full_rescan_interval = std::chrono::milliseconds(0);
    return options;
}

// A pid that is not running: a child that has been reaped.
int dead_pid() {
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    ::waitpid(pid, nullptr, 0);
    return pid;
}

const FdRow* row_of(const FdSnapshot& snapshot, int fd) {
    for (const FdRow& row : snapshot.rows)
        if (row.fd == fd) return &row;
    return nullptr;
}

std::set<int> fds_of(const std::vector<FdRow>& rows) {
    std::set<int> fds;
    for (const FdRow& row : rows) fds.insert(row.fd);
    return fds;
}

// "fd" of every JSON Lines record.
std::set<int> json_fds(const std::string& out) {
    std::set<int> fds;
    static const std::regex kFd("\"fd\":([0-9]+)");
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        std::smatch match;
        if (std::regex_search(line, match, kFd)) fds.insert(std::stoi(match[1]));
    }
    return fds;
}

bool has_tool(const std::string& name) {
    return run_shell("command -v " + name + " >/dev/null 2>&1").status == 0;
}

// ---- pure parts ------------------------------------------------------------------

TEST(DiagnoseParse, TaskSyscallFile) {
    auto call =
        parse_task_syscall("0 0x3 0x7ffc1000 0x1000 0x0 0x0 0x0 0x7ffc0ff8 0x7f0012345678\n");
    ASSERT_TRUE(call);
    EXPECT_EQ(call->where, TaskSyscall::Where::InSyscall);
    EXPECT_EQ(call->nr, 0);
    EXPECT_EQ(call->args[0], 3u);
    EXPECT_EQ(call->args[2], 0x1000u);
    EXPECT_EQ(call->pc, 0x7f0012345678u);
    EXPECT_EQ(parse_task_syscall("running\n")->where, TaskSyscall::Where::Running);
    EXPECT_EQ(parse_task_syscall("-1 0x7ffc0ff8 0x401000\n")->where,
              TaskSyscall::Where::NotInSyscall);
    EXPECT_FALSE(parse_task_syscall("garbage"));
    EXPECT_FALSE(parse_task_syscall("0 0x3"));
    EXPECT_EQ(syscall_name(SYS_read), "read");
    EXPECT_EQ(syscall_name(SYS_epoll_wait), "epoll_wait");
}

TEST(DiagnoseParse, FilterOptions) {
    std::string error;
    auto ranges = parse_fd_ranges("3,5-7,10-", error);
    ASSERT_TRUE(ranges) << error;
    EXPECT_EQ(*ranges, (std::vector<FdRange>{{3, 3}, {5, 7}, {10, -1}}));
    EXPECT_FALSE(parse_fd_ranges("7-5", error));
    EXPECT_FALSE(parse_fd_ranges("x", error));

    auto state = parse_state_selector("TCP:LISTEN,estab", error);
    ASSERT_TRUE(state) << error;
    EXPECT_EQ(state->protocol, "tcp");
    EXPECT_EQ(state->states, (std::vector<std::string>{"LISTEN", "ESTABLISHED"}));
    EXPECT_TRUE(parse_state_selector("UDP:^UNCONN", error)->exclude);
    EXPECT_FALSE(parse_state_selector("SCTP:LISTEN", error));

    auto inet = parse_inet_selector("6TCP:8080", error);
    ASSERT_TRUE(inet) << error;
    EXPECT_EQ(*inet, (InetSelector{6, "tcp", "", 8080}));
    EXPECT_EQ(*parse_inet_selector("@127.0.0.1:80", error), (InetSelector{0, "", "127.0.0.1", 80}));
    EXPECT_EQ(*parse_inet_selector("", error), InetSelector{});
    EXPECT_FALSE(parse_inet_selector("SCTP", error));

    auto kinds = parse_kinds("unix,TCP6", error);
    ASSERT_TRUE(kinds) << error;
    EXPECT_EQ(*kinds, (std::vector<FdKind>{FdKind::Unix, FdKind::Tcp6}));
    EXPECT_FALSE(parse_kinds("sockets", error));
    EXPECT_NE(error.find("unknown kind 'sockets'"), std::string::npos);
}

TEST(DiagnoseParse, NofileLimitAndFdRanges) {
    auto limit = parse_nofile_limit(
        "Limit                     Soft Limit           Hard Limit           Units     \n"
        "Max processes             96364                96364                processes \n"
        "Max open files            1024                 unlimited            files     \n");
    ASSERT_TRUE(limit);
    EXPECT_EQ(limit->soft, 1024u);
    EXPECT_FALSE(limit->hard);
    EXPECT_EQ(fd_ranges_text({7, 3, 4, 5, 9}), "3-5,7,9");
    EXPECT_EQ(fd_ranges_text({1, 3, 5, 7}, 2), "1,3,...");
}

ThreadReport blocked_thread(std::string_view name, CallClass call) {
    ThreadReport thread;
    thread.pid = 100;
    thread.tid = 101;
    thread.state = 'S';
    thread.syscall = TaskSyscall{TaskSyscall::Where::InSyscall, 7, {}, 0, 0};
    thread.syscall_name = std::string(name);
    thread.call = call;
    return thread;
}

TEST(DiagnoseParse, OffCpuIsBoundedByTheThreadsAge) {
    EXPECT_DOUBLE_EQ(bounded_off_cpu_seconds(3.57, 0.31, 0.01), 0.30);
    EXPECT_DOUBLE_EQ(bounded_off_cpu_seconds(15.0, 0.34, 0.0), 0.34);
    EXPECT_DOUBLE_EQ(bounded_off_cpu_seconds(2.0, 10.0, 1.0), 2.0);
    EXPECT_DOUBLE_EQ(bounded_off_cpu_seconds(-0.5, 10.0, 1.0), 0.0);
    EXPECT_DOUBLE_EQ(bounded_off_cpu_seconds(1.0, 0.5, 0.7), 0.0);
}

TEST(DiagnoseVerdicts, RulesReadAsATable) {
    ThreadReport running;
    running.state = 'R';
    running.syscall = TaskSyscall{};
    apply_verdict(running);
    EXPECT_EQ(running.rule, "running");

    ThreadReport poll = blocked_thread("poll", CallClass::Poll);
    poll.fds.push_back(WaitFd{5, "pollfd", "IN", {}, {}, {}});
    poll.timeout = CallTimeout{CallTimeout::Kind::Relative, 5.0};
    apply_verdict(poll);
    EXPECT_EQ(poll.rule, "set-timeout");
    EXPECT_NE(poll.verdict.find("at most 5.0 s"), std::string::npos) << poll.verdict;

    poll.timeout = CallTimeout{};
    apply_verdict(poll);
    EXPECT_EQ(poll.rule, "set-forever");

    ThreadReport stopped = blocked_thread("read", CallClass::Read);
    stopped.state = 't';
    stopped.tracer_pid = 42;
    stopped.tracer_comm = "gdb";
    FdIdentity pipe;
    pipe.kind = FdKind::Pipe;
    pipe.peer = PeerProcess{812, "gzip"};
    stopped.fds.push_back(WaitFd{0, "arg", "", pipe, {}, {}});
    apply_verdict(stopped);
    EXPECT_EQ(stopped.rule, "tracer-stop");
    EXPECT_NE(stopped.verdict.find("gdb[42]"), std::string::npos) << stopped.verdict;
    EXPECT_NE(stopped.verdict.find("once resumed, waits for gzip[812] to write"), std::string::npos)
        << stopped.verdict;

    // Every rule has an id, and the last one catches everything.
    auto rules = verdict_rules();
    ASSERT_FALSE(rules.empty());
    EXPECT_EQ(rules.back().id, "other");
    std::set<std::string_view> ids;
    for (const VerdictRule& rule : rules) EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
}

// ---- fds ------------------------------------------------------------------------------

class FdsTarget : public ::testing::Test {
  protected:
    void SetUp() override {
        target = std::make_unique<Target>(std::vector<std::string>{"fds", dir.str()});
        std::string ready = target->line();
        ASSERT_TRUE(ready.starts_with("ready")) << ready;
        fd = Target::values(ready);
        auto taken = take_fd_snapshot(resolver, target->pid());
        ASSERT_TRUE(taken) << taken.error().message();
        snapshot = std::move(taken).value();
    }
    std::vector<FdRow> filtered(const FdFilter& filter) {
        return filter_rows(filter, snapshot.rows);
    }

    TempDir dir;
    std::unique_ptr<Target> target;
    std::map<std::string, int> fd;
    ProcResolver resolver{test_options()};
    FdSnapshot snapshot;
};

TEST_F(FdsTarget, RowsCarryIdentityFlagsAndPeers) {
    const FdRow* file = row_of(snapshot, fd["file"]);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->identity.kind, FdKind::File);
    ASSERT_TRUE(file->flags);
    EXPECT_EQ(flags_text(*file->flags), "rw,append");
    const FdRow* pipe = row_of(snapshot, fd["pipe_w"]);
    ASSERT_TRUE(pipe && pipe->flags);
    EXPECT_EQ(flags_text(*pipe->flags), "w,nonblock");
    const FdRow* dir_row = row_of(snapshot, fd["dir"]);
    ASSERT_TRUE(dir_row && dir_row->flags);
    EXPECT_EQ(flags_text(*dir_row->flags), "r,cloexec");
    const FdRow* client = row_of(snapshot, fd["client"]);
    ASSERT_TRUE(client && client->identity.peer);
    EXPECT_EQ(client->identity.peer->pid, target->pid());  // it accepted its own connection
    EXPECT_TRUE(is_orphaned(row_of(snapshot, fd["deleted"])->identity));
    EXPECT_TRUE(is_orphaned(row_of(snapshot, fd["unix_unlinked"])->identity));
    EXPECT_TRUE(is_orphaned(row_of(snapshot, fd["unix_abstract"])->identity));
    EXPECT_FALSE(is_orphaned(row_of(snapshot, fd["unix_listen"])->identity));
    EXPECT_FALSE(is_orphaned(row_of(snapshot, fd["pair_a"])->identity));
}

TEST_F(FdsTarget, FiltersInetStateFdsDeletedKind) {
    std::string error;
    FdFilter inet;
    inet.inet = {InetSelector{}};
    EXPECT_EQ(fds_of(filtered(inet)), (std::set<int>{fd["listen"], fd["client"], fd["accepted"],
                                                     fd["listen6"], fd["udp"]}));
    inet.inet = {*parse_inet_selector("6", error)};
    EXPECT_EQ(fds_of(filtered(inet)), std::set<int>{fd["listen6"]});
    inet.inet = {*parse_inet_selector("UDP", error)};
    EXPECT_EQ(fds_of(filtered(inet)), std::set<int>{fd["udp"]});
    inet.inet = {*parse_inet_selector("TCP:" + std::to_string(fd["port"]), error)};
    EXPECT_EQ(fds_of(filtered(inet)), (std::set<int>{fd["listen"], fd["client"], fd["accepted"]}));

    FdFilter listening;
    listening.inet = {InetSelector{}};
    listening.states.push_back(*parse_state_selector("TCP:LISTEN", error));
    EXPECT_EQ(fds_of(filtered(listening)), (std::set<int>{fd["listen"], fd["listen6"]}));
    FdFilter not_listening;
    not_listening.inet = {InetSelector{}};
    not_listening.states.push_back(*parse_state_selector("TCP:^LISTEN", error));
    EXPECT_EQ(fds_of(filtered(not_listening)),
              (std::set<int>{fd["client"], fd["accepted"], fd["udp"]}));
    FdFilter unix_listeners;
    unix_listeners.states.push_back(*parse_state_selector("UNIX:LISTEN", error));
    EXPECT_EQ(fds_of(filtered(unix_listeners)),
              (std::set<int>{fd["unix_listen"], fd["unix_unlinked"]}));

    FdFilter ranges;
    ranges.fds = *parse_fd_ranges("0-2," + std::to_string(fd["eventfd"]), error);
    EXPECT_EQ(fds_of(filtered(ranges)), (std::set<int>{0, 1, 2, fd["eventfd"]}));

    FdFilter deleted;
    deleted.orphaned_only = true;
    EXPECT_EQ(fds_of(filtered(deleted)),
              (std::set<int>{fd["deleted"], fd["unix_unlinked"], fd["unix_abstract"]}));

    FdFilter kinds;
    kinds.kinds = *parse_kinds("unix", error);
    EXPECT_EQ(fds_of(filtered(kinds)),
              (std::set<int>{fd["unix_listen"], fd["unix_unlinked"], fd["unix_abstract"],
                             fd["pair_a"], fd["pair_b"]}));
    // Filters combine with AND.
    kinds.orphaned_only = true;
    EXPECT_EQ(fds_of(filtered(kinds)), (std::set<int>{fd["unix_unlinked"], fd["unix_abstract"]}));
}

// Parses `lsof -F ftn`: fd -> {type, name} for numeric fds.
std::map<int, std::pair<std::string, std::string>> lsof_fds(int pid) {
    auto result = run_shell("lsof -n -P -p " + std::to_string(pid) + " -F ftn 2>/dev/null");
    std::map<int, std::pair<std::string, std::string>> fds;
    int current = -1;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        char field = line[0];
        std::string value = line.substr(1);
        if (field == 'f') {
            current = !value.empty() && std::all_of(value.begin(), value.end(), ::isdigit)
                          ? std::stoi(value)
                          : -1;
            if (current >= 0) fds[current];
        } else if (current >= 0 && field == 't') {
            fds[current].first = value;
        } else if (current >= 0 && field == 'n') {
            fds[current].second = value;
        }
    }
    return fds;
}

TEST_F(FdsTarget, AgreesWithLsof) {
    if (!has_tool("lsof")) GTEST_SKIP() << "no lsof";
    auto lsof = lsof_fds(target->pid());
    std::set<int> lsof_numbers;
    for (const auto& [number, entry] : lsof) lsof_numbers.insert(number);
    EXPECT_EQ(fds_of(snapshot.rows), lsof_numbers);

    const std::map<std::string, std::set<FdKind>> kKinds = {
        {"REG", {FdKind::File, FdKind::Memfd}},
        {"DIR", {FdKind::Dir}},
        {"CHR", {FdKind::Chr}},
        {"BLK", {FdKind::Blk}},
        {"FIFO", {FdKind::Pipe, FdKind::Fifo}},
        {"IPv4", {FdKind::Tcp, FdKind::Udp, FdKind::Raw}},
        {"IPv6", {FdKind::Tcp6, FdKind::Udp6, FdKind::Raw}},
        {"unix", {FdKind::Unix}},
        {"netlink", {FdKind::Netlink}},
        {"a_inode",
         {FdKind::Eventfd, FdKind::Epoll, FdKind::Timerfd, FdKind::Signalfd, FdKind::Inotify,
          FdKind::Pidfd, FdKind::Anon}},
        {"sock", {FdKind::Socket, FdKind::Packet}},
    };
    IdentityFormatter formatter(FormatOptions{true, false});
    for (const FdRow& row : snapshot.rows) {
        SCOPED_TRACE("fd " + std::to_string(row.fd));
        auto it = lsof.find(row.fd);
        if (it == lsof.end()) continue;
        const auto& [type, name] = it->second;
        ASSERT_TRUE(kKinds.count(type)) << "lsof type " << type;
        EXPECT_TRUE(kKinds.at(type).count(row.identity.kind))
            << type << " vs " << kind_name(row.identity.kind);
        if (const auto* path = row.identity.get<PathDetails>()) {
            EXPECT_EQ(name, path->path + (path->deleted ? " (deleted)" : ""));
        } else if (const auto* inet = row.identity.get<InetDetails>()) {
            EXPECT_EQ(name, inet->local + (inet->remote.empty() ? "" : "->" + inet->remote));
        } else if (const auto* unix_socket = row.identity.get<UnixDetails>()) {
            EXPECT_NE(name.find("type=" + unix_socket->type), std::string::npos) << name;
            if (!unix_socket->path.empty())
                EXPECT_TRUE(name.starts_with(unix_socket->path)) << name;
        } else if (row.identity.kind == FdKind::Pipe) {
            EXPECT_EQ(name, "pipe");
        }
    }
}

// Parses `ss -p` output: fd -> {local, peer, state} for pid's sockets.
struct SsSocket {
    std::string local, peer, state;
};
std::map<int, SsSocket> ss_fds(const std::string& options, int pid, bool unix_columns) {
    auto result = run_shell("ss -H " + options + " 2>/dev/null");
    std::map<int, SsSocket> fds;
    std::regex owner("pid=" + std::to_string(pid) + ",fd=([0-9]+)");
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::vector<std::string> w;
        for (std::string word; words >> word;) w.push_back(word);
        SsSocket socket;
        if (unix_columns) {  // Netid State Recv-Q Send-Q Local Port Peer Port Process
            if (w.size() < 8) continue;
            socket = {w[4], w[6], w[1]};
        } else {  // State Recv-Q Send-Q Local Peer Process
            if (w.size() < 5) continue;
            socket = {w[3], w[4], w[0]};
        }
        for (std::sregex_iterator it(line.begin(), line.end(), owner), end; it != end; ++it) {
            fds[std::stoi((*it)[1])] = socket;
        }
    }
    return fds;
}

std::string ss_state(std::string_view ours) {
    if (ours == "ESTABLISHED") return "ESTAB";
    if (ours == "UNCONNECTED") return "UNCONN";
    return std::string(ours);
}

TEST_F(FdsTarget, AgreesWithSs) {
    if (!has_tool("ss")) GTEST_SKIP() << "no ss";
    auto unix_sockets = ss_fds("-xapn", target->pid(), true);
    auto tcp_sockets = ss_fds("-tanp", target->pid(), false);
    auto udp_sockets = ss_fds("-uanp", target->pid(), false);
    std::set<int> ours_unix, ours_tcp, ours_udp, ss_unix, ss_tcp, ss_udp;
    for (const auto& [number, socket] : unix_sockets) ss_unix.insert(number);
    for (const auto& [number, socket] : tcp_sockets) ss_tcp.insert(number);
    for (const auto& [number, socket] : udp_sockets) ss_udp.insert(number);
    for (const FdRow& row : snapshot.rows) {
        SCOPED_TRACE("fd " + std::to_string(row.fd));
        FdKind kind = row.identity.kind;
        if (const auto* unix_socket = row.identity.get<UnixDetails>()) {
            ours_unix.insert(row.fd);
            if (!unix_sockets.count(row.fd)) continue;
            const SsSocket& ss = unix_sockets[row.fd];
            EXPECT_EQ(ss.local, unix_socket->path.empty() ? "*" : unix_socket->path);
            EXPECT_EQ(ss.state, ss_state(unix_socket->state));
        } else if (const auto* inet = row.identity.get<InetDetails>()) {
            bool tcp = kind == FdKind::Tcp || kind == FdKind::Tcp6;
            (tcp ? ours_tcp : ours_udp).insert(row.fd);
            auto& table = tcp ? tcp_sockets : udp_sockets;
            if (!table.count(row.fd)) continue;
            const SsSocket& ss = table[row.fd];
            EXPECT_EQ(ss.local, inet->local);
            if (inet->remote.empty())
                EXPECT_TRUE(ss.peer.ends_with(":*")) << ss.peer;
            else
                EXPECT_EQ(ss.peer, inet->remote);
            EXPECT_EQ(ss.state, ss_state(inet->state));
        }
    }
    EXPECT_EQ(ours_unix, ss_unix);
    EXPECT_EQ(ours_tcp, ss_tcp);
    EXPECT_EQ(ours_udp, ss_udp);
    EXPECT_EQ(ours_unix.size(), 5u);
    EXPECT_EQ(ours_tcp.size(), 4u);
}

TEST_F(FdsTarget, BinaryTableJsonAndFilters) {
    std::string base = fdtrace_binary() + " fds -p " + std::to_string(target->pid());
    auto table = run_shell(base + " -n");
    EXPECT_EQ(table.status, 0);
    EXPECT_EQ(table.out.find("PID"), table.out.find_first_not_of(' ')) << table.out;
    EXPECT_NE(table.out.find("FD  KIND"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("/gone.sock (deleted)"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("rw,append"), std::string::npos) << table.out;

    auto all = run_shell(base + " --format=json");
    EXPECT_EQ(all.status, 0);
    EXPECT_EQ(json_fds(all.out), fds_of(snapshot.rows));
    EXPECT_NE(all.out.find("\"pid\":" + std::to_string(target->pid())), std::string::npos);
    EXPECT_NE(all.out.find("\"flags\":\"rw,append\",\"pos\":0,\"kind\":\"file\""),
              std::string::npos)
        << all.out;

    auto listen = run_shell(base + " --format=json -i -s TCP:LISTEN");
    EXPECT_EQ(json_fds(listen.out), (std::set<int>{fd["listen"], fd["listen6"]}));
    auto port = run_shell(base + " --format=json -i4TCP:" + std::to_string(fd["port"]));
    EXPECT_EQ(json_fds(port.out), (std::set<int>{fd["listen"], fd["client"], fd["accepted"]}));
    auto ranges = run_shell(base + " --format=json -d 0-2," + std::to_string(fd["udp"]));
    EXPECT_EQ(json_fds(ranges.out), (std::set<int>{0, 1, 2, fd["udp"]}));
    auto deleted = run_shell(base + " --format=json --deleted");
    EXPECT_EQ(json_fds(deleted.out),
              (std::set<int>{fd["deleted"], fd["unix_unlinked"], fd["unix_abstract"]}));
    auto kinds = run_shell(base + " --format=json --kind pipe,eventfd");
    // Pipes inherited from whoever runs the tests come along.
    std::set<int> pipes = json_fds(kinds.out);
    for (int required : {0, 1, fd["pipe_r"], fd["pipe_w"], fd["eventfd"]})
        EXPECT_TRUE(pipes.count(required)) << required;
    for (int number : pipes) {
        FdKind kind = row_of(snapshot, number)->identity.kind;
        EXPECT_TRUE(kind == FdKind::Pipe || kind == FdKind::Eventfd) << number;
    }

    EXPECT_EQ(run_shell(base + " --kind sockets 2>/dev/null").status, 2);
    EXPECT_EQ(run_shell(base + " -d 5-1 2>/dev/null").status, 2);
    EXPECT_EQ(run_shell(base + " -s SCTP:LISTEN 2>/dev/null").status, 2);
}

TEST_F(FdsTarget, SeveralPids) {
    auto both = run_shell(fdtrace_binary() + " fds --format=json -d 0 -p " +
                          std::to_string(target->pid()) + "," + std::to_string(::getpid()));
    EXPECT_EQ(both.status, 0);
    EXPECT_NE(both.out.find("\"pid\":" + std::to_string(target->pid())), std::string::npos);
    EXPECT_NE(both.out.find("\"pid\":" + std::to_string(::getpid())), std::string::npos);
}

// ---- stuck ----------------------------------------------------------------------------

// A loopback server that accepts and never writes.
class SilentServer {
  public:
    SilentServer() : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(listener_.get(), 8);
        socklen_t length = sizeof address;
        ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
    }
    int port() const { return port_; }
    void accept_one() {
        accepted_.emplace_back(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    }

  private:
    ScopedFd listener_;
    int port_ = 0;
    std::vector<ScopedFd> accepted_;
};

// The report on the thread blocked in read(), retried while it is between
// two reads (a receive timeout makes it loop).
std::optional<ThreadReport> read_thread(int pid) {
    ProcResolver resolver(test_options());
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (!wait_blocked(pid, {SYS_read})) return std::nullopt;
        auto report = diagnose_stuck(resolver, pid, {});
        if (!report) return std::nullopt;
        for (const ThreadReport& thread : report->threads)
            if (thread.syscall_name == "read") return thread;
    }
    return std::nullopt;
}

TEST(Stuck, ReadFromSilentServerWaitsForever) {
    SilentServer server;
    Target client({"client", std::to_string(server.port())});
    std::string ready = client.line();
    ASSERT_TRUE(ready.starts_with("ready")) << ready;
    server.accept_one();
    auto thread = read_thread(client.pid());
    ASSERT_TRUE(thread);
    EXPECT_EQ(thread->rule, "read-forever") << thread->verdict;
    EXPECT_NE(thread->verdict.find("waits forever if the peer never sends"), std::string::npos);
    ASSERT_FALSE(thread->fds.empty());
    const WaitFd& fd = thread->fds.front();
    EXPECT_EQ(fd.fd, Target::values(ready)["fd"]);
    ASSERT_TRUE(fd.identity);
    EXPECT_EQ(fd.identity->kind, FdKind::Tcp);
    EXPECT_EQ(fd.identity->get<InetDetails>()->remote,
              "127.0.0.1:" + std::to_string(server.port()));
    ASSERT_TRUE(fd.identity->peer);
    EXPECT_EQ(fd.identity->peer->pid, ::getpid());  // the silent server is us
    ASSERT_TRUE(fd.socket) << (fd.socket_error ? fd.socket_error->message() : "");
    EXPECT_EQ(fd.socket->rcvtimeo_s, 0);
    EXPECT_FALSE(fd.socket->keepalive);
    ASSERT_TRUE(fd.socket->tcp);
    EXPECT_EQ(fd.socket->tcp->state, "ESTABLISHED");
    std::vector<std::string> facts = thread->facts;
    EXPECT_NE(std::find(facts.begin(), facts.end(), "no receive timeout (SO_RCVTIMEO 0)"),
              facts.end());
    EXPECT_NE(std::find(facts.begin(), facts.end(), "keepalive off"), facts.end());
    ASSERT_TRUE(thread->off_cpu_s);
    EXPECT_GE(*thread->off_cpu_s, 0);
    EXPECT_LT(*thread->off_cpu_s, 60);

    // The same through the binary, text and JSON.
    std::string command = fdtrace_binary() + " stuck -n -p " + std::to_string(client.pid());
    auto text = run_shell(command);
    EXPECT_EQ(text.status, 0);
    EXPECT_NE(text.out.find("blocked in read(" + std::to_string(fd.fd) + " -> TCP 127.0.0.1:"),
              std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("no receive timeout (SO_RCVTIMEO 0), keepalive off"), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("=> this read waits forever if the peer never sends: set a timeout or "
                            "enable keepalive"),
              std::string::npos)
        << text.out;
    auto json = run_shell(command + " --format=json");
    EXPECT_EQ(json.status, 0);
    EXPECT_NE(json.out.find("\"rule\":\"read-forever\""), std::string::npos) << json.out;
    EXPECT_NE(json.out.find("\"rcvtimeo_s\":0.000,\"sndtimeo_s\":0.000,\"keepalive\":false"),
              std::string::npos)
        << json.out;
}

// ---- stuck: off-CPU time is bounded by the thread's age ----------------------------

// Runs this process on one CPU until destroyed; children forked meanwhile
// inherit it.
class OnCpu {
  public:
    explicit OnCpu(int cpu) {
        ::sched_getaffinity(0, sizeof saved_, &saved_);
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        ::sched_setaffinity(0, sizeof one, &one);
    }
    ~OnCpu() { ::sched_setaffinity(0, sizeof saved_, &saved_); }
    OnCpu(const OnCpu&) = delete;
    OnCpu& operator=(const OnCpu&) = delete;

  private:
    cpu_set_t saved_{};
};

// `sleep 300 | cat`, started now (optionally on one CPU); killed at the end.
class SleepPipeCat {
  public:
    explicit SleepPipeCat(int cpu = -1) {
        std::optional<OnCpu> pinned;
        if (cpu >= 0) pinned.emplace(cpu);
        start_ = std::chrono::steady_clock::now();
        int ends[2];
        if (::pipe2(ends, O_CLOEXEC) != 0) return;
        ScopedFd read_end(ends[0]), write_end(ends[1]);
        sleep_ = start_child({"/bin/sleep", "300"}, -1, write_end.get());
        cat_ = start_child({"/bin/cat"}, read_end.get(), -1);
    }
    ~SleepPipeCat() {
        for (pid_t pid : {sleep_, cat_}) {
            if (pid <= 0) continue;
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    SleepPipeCat(const SleepPipeCat&) = delete;
    SleepPipeCat& operator=(const SleepPipeCat&) = delete;

    pid_t cat() const { return cat_; }
    // An upper bound on the age of its threads: they began after this.
    double seconds_since_start() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

  private:
    static pid_t start_child(std::vector<std::string> argv, int in, int out) {
        pid_t pid = ::fork();
        if (pid != 0) return pid;
        if (in >= 0) ::dup2(in, 0);
        if (out >= 0) ::dup2(out, 1);
        std::vector<char*> args;
        for (std::string& arg : argv) args.push_back(arg.data());
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }

    std::chrono::steady_clock::time_point start_;
    pid_t sleep_ = -1;
    pid_t cat_ = -1;
};

// `fdtrace stuck -p PID --format=json`'s output, run on CPU `cpu`; with
// `may_repin` false sched_setaffinity fails for it with EINVAL, as it does in
// a container whose cpuset leaves out the CPU the target last ran on.
std::string stuck_json_from_cpu(int pid, int cpu, bool may_repin) {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) return {};
    ScopedFd read_end(ends[0]), write_end(ends[1]);
    pid_t child = ::fork();
    if (child == 0) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        ::sched_setaffinity(0, sizeof one, &one);
        if (!may_repin) {
            scmp_filter_ctx filter = ::seccomp_init(SCMP_ACT_ALLOW);
            if (!filter ||
                ::seccomp_rule_add(filter, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(sched_setaffinity),
                                   0) != 0 ||
                ::seccomp_load(filter) != 0) {
                ::_exit(126);
            }
        }
        ::dup2(write_end.get(), 1);
        std::string binary = fdtrace_binary(), pid_text = std::to_string(pid);
        std::vector<char*> argv = {
            binary.data(),   const_cast<char*>("stuck"),         const_cast<char*>("-p"),
            pid_text.data(), const_cast<char*>("--format=json"), nullptr};
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    write_end.reset();
    std::string out;
    char chunk[4096];
    for (ssize_t got; (got = ::read(read_end.get(), chunk, sizeof chunk)) > 0;)
        out.append(chunk, static_cast<std::size_t>(got));
    ::waitpid(child, nullptr, 0);
    return out;
}

std::optional<double> off_cpu_field(const std::string& json) {
    static const std::regex kOffCpu("\"off_cpu_s\":([0-9.eE+-]+)");
    std::smatch match;
    if (!std::regex_search(json, match, kOffCpu)) return std::nullopt;
    return std::stod(match[1]);
}

int online_cpus() { return static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN)); }

// Each CPU's scheduler clock leaves out its own interrupt and steal time, so
// two CPUs' clocks drift seconds apart on a busy VM: read on another CPU than
// the target's, the time since it last ran came out larger than its age.
TEST(Stuck, OffCpuWithoutRepinningNeverExceedsTheThreadsAge) {
    if (online_cpus() < 2) GTEST_SKIP() << "needs two CPUs";
    for (auto [target_cpu, our_cpu] : {std::pair{1, 0}, std::pair{0, 1}}) {
        for (int run = 0; run < 3; ++run) {
            SleepPipeCat pipeline(target_cpu);
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            std::string json = stuck_json_from_cpu(pipeline.cat(), our_cpu, false);
            double age = pipeline.seconds_since_start();
            ASSERT_NE(json.find("\"tid\":" + std::to_string(pipeline.cat())), std::string::npos)
                << json;
            if (auto off_cpu = off_cpu_field(json)) {
                EXPECT_LE(*off_cpu, age)
                    << "target on CPU " << target_cpu << ", fdtrace on " << our_cpu << ": " << json;
            }
        }
    }
}

// The reproduction: busy loops on every CPU, `sleep 300 | cat`
// examined 0.3 s after it began, 25 times.
TEST(Stuck, OffCpuUnderCpuLoadNeverExceedsTheThreadsAge) {
    std::vector<pid_t> busy;
    for (int i = 0; i < 2 * online_cpus(); ++i) {
        pid_t pid = ::fork();
        if (pid == 0) {
            volatile unsigned long spins = 0;
            while (true) spins = spins + 1;
        }
        busy.push_back(pid);
    }
    int with_off_cpu = 0;
    for (int run = 0; run < 25; ++run) {
        SleepPipeCat pipeline;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        auto json = run_shell(fdtrace_binary() + " stuck -p " + std::to_string(pipeline.cat()) +
                              " --format=json");
        double age = pipeline.seconds_since_start();
        if (auto off_cpu = off_cpu_field(json.out)) {
            ++with_off_cpu;
            EXPECT_LE(*off_cpu, age) << "run " << run << ": " << json.out;
        }
    }
    for (pid_t pid : busy) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    // A bound that is never given would pass too: most runs must give one.
    EXPECT_GE(with_off_cpu, 20);
}

TEST(Stuck, ReceiveTimeoutIsTheWayOut) {
    SilentServer server;
    Target client({"client", std::to_string(server.port()), "5"});
    ASSERT_TRUE(client.line().starts_with("ready"));
    server.accept_one();
    auto thread = read_thread(client.pid());
    ASSERT_TRUE(thread);
    EXPECT_EQ(thread->rule, "receive-timeout") << thread->verdict;
    EXPECT_NE(thread->verdict.find("returns EAGAIN after 5.0 s"), std::string::npos)
        << thread->verdict;
    ASSERT_TRUE(thread->fds.front().socket);
    EXPECT_DOUBLE_EQ(thread->fds.front().socket->rcvtimeo_s, 5.0);
    EXPECT_NE(std::find(thread->facts.begin(), thread->facts.end(), "SO_RCVTIMEO 5.0 s"),
              thread->facts.end());
}

TEST(Stuck, KeepaliveCatchesADeadHostOnly) {
    SilentServer server;
    Target client({"client", std::to_string(server.port()), "0", "60"});
    ASSERT_TRUE(client.line().starts_with("ready"));
    server.accept_one();
    auto thread = read_thread(client.pid());
    ASSERT_TRUE(thread);
    EXPECT_EQ(thread->rule, "read-keepalive") << thread->verdict;
    // 60 s idle, then 5 probes 10 s apart.
    EXPECT_NE(thread->verdict.find("after about 110 s"), std::string::npos) << thread->verdict;
    EXPECT_NE(thread->verdict.find("a live peer that never sends keeps it waiting forever"),
              std::string::npos);
}

TEST(Stuck, PipeReaderNamesTheWriter) {
    Target reader({"pipe-read"});
    ASSERT_TRUE(reader.line().starts_with("ready"));
    auto thread = read_thread(reader.pid());
    ASSERT_TRUE(thread);
    EXPECT_EQ(thread->rule, "read-pipe") << thread->verdict;
    std::string us = "fdtrace_tests[" + std::to_string(::getpid()) + "]";
    EXPECT_EQ(thread->verdict,
              "waits for " + us + " to write (or to close its end: the read then returns 0)");
}

TEST(Stuck, EveryThreadGetsItsOwnVerdict) {
    Target target({"waits"});
    std::string ready = target.line();
    ASSERT_TRUE(ready.starts_with("ready")) << ready;
    ASSERT_TRUE(wait_blocked(
        target.pid(), {SYS_read, SYS_poll, SYS_epoll_wait, SYS_clock_nanosleep, SYS_accept}));
    ProcResolver resolver(test_options());
    auto report = diagnose_stuck(resolver, target.pid(), {});
    ASSERT_TRUE(report) << report.error().message();
    std::map<std::string, const ThreadReport*> by_name;
    for (const ThreadReport& thread : report->threads) by_name[thread.comm] = &thread;
    ASSERT_TRUE(by_name.count("poller") && by_name.count("epoller") && by_name.count("sleeper") &&
                by_name.count("acceptor") && by_name.count("diag_target"));
    EXPECT_EQ(by_name["diag_target"]->rule, "read-pipe");

    const ThreadReport& acceptor = *by_name["acceptor"];
    EXPECT_EQ(acceptor.rule, "accept") << acceptor.verdict;
    EXPECT_EQ(acceptor.verdict, "waits for a client to connect to 127.0.0.1:" +
                                    std::to_string(Target::values(ready)["port"]) + "; no timeout");

    const ThreadReport& poller = *by_name["poller"];
    EXPECT_EQ(poller.rule, "set-timeout") << poller.verdict;
    EXPECT_EQ(poller.timeout, (CallTimeout{CallTimeout::Kind::Relative, 60.0}));
    ASSERT_EQ(poller.fds.size(), 1u);
    EXPECT_EQ(poller.fds[0].role, "pollfd");
    EXPECT_EQ(poller.fds[0].events, "IN");
    EXPECT_EQ(poller.fds[0].identity->kind, FdKind::Pipe);

    const ThreadReport& epoller = *by_name["epoller"];
    EXPECT_EQ(epoller.rule, "set-forever") << epoller.verdict;
    ASSERT_EQ(epoller.fds.size(), 2u);  // the epoll fd, and the stdin it watches
    EXPECT_EQ(epoller.fds[0].identity->kind, FdKind::Epoll);
    EXPECT_EQ(epoller.fds[1].role, "epoll");
    EXPECT_EQ(epoller.fds[1].fd, 0);

    const ThreadReport& sleeper = *by_name["sleeper"];
    EXPECT_EQ(sleeper.rule, "sleep") << sleeper.verdict;
    EXPECT_EQ(sleeper.verdict, "sleeping for 16 min 40 s from when it began");

    // A thread id names that thread alone.
    auto one = diagnose_stuck(resolver, sleeper.tid, {});
    ASSERT_TRUE(one);
    ASSERT_EQ(one->threads.size(), 1u);
    EXPECT_EQ(one->threads[0].tid, sleeper.tid);
    EXPECT_EQ(one->pid, target.pid());

    auto text = run_shell(fdtrace_binary() + " stuck -p " + std::to_string(target.pid()));
    EXPECT_EQ(text.status, 0);
    EXPECT_NE(text.out.find("5 threads"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("(poller) blocked in poll(1 fd, timeout 60 s)"), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("  fd 0 -> pipe:["), std::string::npos) << text.out;
}

// ---- leaks ----------------------------------------------------------------------------

TEST(Leaks, GrowthByClassAndWhatNobodyCanReach) {
    TempDir dir;
    Target target({"leak", dir.str()});
    ASSERT_TRUE(target.line().starts_with("ready"));
    ProcResolver resolver(test_options());
    std::vector<FdSnapshot> samples;
    auto first = take_fd_snapshot(resolver, target.pid());
    ASSERT_TRUE(first);
    samples.push_back(std::move(first).value());
    target.send("leak 12\n");
    ASSERT_EQ(target.line(), "ok 36");
    auto second = take_fd_snapshot(resolver, target.pid());
    ASSERT_TRUE(second);
    samples.push_back(std::move(second).value());

    auto limit = read_nofile_limit(target.pid());
    ASSERT_TRUE(limit);
    LeakReport report = analyze_leaks(samples, *limit);
    EXPECT_EQ(report.total_delta(), 36);
    std::map<std::string, const LeakClass*> by_text;
    for (const LeakClass& leak : report.growth) by_text[leak.description] = &leak;
    std::string sock = dir.str() + "/agent.sock";
    auto find = [&](const std::string& text) -> const LeakClass* {
        auto it = by_text.find(text);
        return it == by_text.end() ? nullptr : it->second;
    };
    const LeakClass* unlinked =
        find("UNIX-STREAM sockets, path " + sock + " (deleted), LISTEN, none with a peer");
    std::string all;
    for (const auto& [description, leak] : by_text) all += description + "\n";
    ASSERT_TRUE(unlinked) << all;
    EXPECT_EQ(unlinked->delta(), 12);
    EXPECT_TRUE(unlinked->deleted);
    EXPECT_EQ(unlinked->new_fds.size(), 12u);
    const LeakClass* abstract = find(
        "UNIX-STREAM sockets, 12 distinct abstract names starting "
        "@fdtrace-leak-" +
        std::to_string(target.pid()) + "-, UNCONNECTED, none with a peer");
    ASSERT_TRUE(abstract) << all;
    EXPECT_EQ(abstract->delta(), 12);
    const LeakClass* files = find("files, 12 distinct paths under " + dir.str() + "/, all deleted");
    ASSERT_TRUE(files) << all;
    EXPECT_EQ(files->delta(), 12);
    EXPECT_EQ(report.growth.size(), 3u);

    // All 36 are held on what nobody can reach: 12 on one unlinked path, 24
    // on names of their own, summed up per class.
    std::map<std::string, std::size_t> orphans;
    for (const OrphanGroup& group : report.orphaned) {
        // Whatever stderr the target inherited is not this test's business.
        if (group.fds == std::vector<int>{2}) continue;
        orphans[group.summary] = group.fds.size();
    }
    std::map<std::string, std::size_t> expected = {
        {"", 12},
        {"UNIX-STREAM sockets, 12 distinct abstract names starting @fdtrace-leak-" +
             std::to_string(target.pid()) + "-, none with a peer",
         12},
        {"files, 12 distinct paths under " + dir.str() + "/, all deleted", 12},
    };
    EXPECT_EQ(orphans, expected);
    for (const OrphanGroup& group : report.orphaned) {
        if (group.summary.empty()) EXPECT_EQ(group.identity.get<UnixDetails>()->path, sock);
    }

    IdentityFormatter formatter(FormatOptions{true, false});
    std::string text;
    render_leaks_text(text, report, formatter);
    EXPECT_NE(text.find("+12 UNIX-STREAM sockets, path " + sock +
                        " (deleted), LISTEN, none with a peer  [fds "),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("RLIMIT_NOFILE"), std::string::npos) << text;
    EXPECT_NE(text.find("12  UNIX-STREAM " + sock + " (deleted) (LISTEN)"), std::string::npos)
        << text;
}

TEST(Leaks, BinarySamplesAStreamingLeak) {
    TempDir dir;
    Target target({"leak", dir.str()});
    ASSERT_TRUE(target.line().starts_with("ready"));
    target.send("stream\n");
    ASSERT_EQ(target.line(), "streaming");
    std::string command = fdtrace_binary() + " leaks -p " + std::to_string(target.pid()) +
                          " --interval 0.3 --count 3";
    auto json = run_shell(command + " --format=json");
    ASSERT_EQ(json.status, 0) << json.out;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(json.out, match, std::regex("\"delta\":([0-9-]+)"))) << json.out;
    EXPECT_GT(std::stoi(match[1]), 0) << json.out;
    EXPECT_NE(json.out.find("\"label\":\"UNIX-STREAM sockets\",\"location\":\"path " + dir.str() +
                            "/agent.sock (deleted)\""),
              std::string::npos)
        << json.out;
    EXPECT_NE(json.out.find("\"soft\":"), std::string::npos);

    auto text = run_shell(command);
    EXPECT_EQ(text.status, 0);
    EXPECT_NE(text.out.find("3 samples over"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("grew:\n  +"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("held on deleted files and unreachable unix sockets:"),
              std::string::npos)
        << text.out;
}

// ---- errors ---------------------------------------------------------------------------

TEST(DiagnoseCli, MissingProcessIsOneLineAndStatus2) {
    int pid = dead_pid();
    for (std::string command : {"fds", "stuck", "leaks"}) {
        auto result = run_shell(fdtrace_binary() + " " + command + " -p " + std::to_string(pid) +
                                (command == "leaks" ? " --interval 0" : "") + " 2>&1 >/dev/null");
        EXPECT_EQ(result.status, 2) << command;
        EXPECT_EQ(result.out,
                  "fdtrace: " + command + ": no such process " + std::to_string(pid) + "\n");
    }
    // Without -p, fds lists every process (lsof's habit): not an error.
    EXPECT_EQ(run_shell(fdtrace_binary() + " fds -d 0 >/dev/null 2>&1").status, 0);
    EXPECT_EQ(run_shell(fdtrace_binary() + " fds -p abc 2>/dev/null").status, 2);
    EXPECT_EQ(run_shell(fdtrace_binary() + " leaks -p 1 --count 0 2>/dev/null").status, 2);
    EXPECT_EQ(run_shell(fdtrace_binary() + " stuck -p 1 --format=xml 2>/dev/null").status, 2);
}

TEST(DiagnoseCli, PermissionDeniedIsStatus3WithAHint) {
    if (::geteuid() != 0 || !has_tool("setpriv")) GTEST_SKIP() << "needs root and setpriv";
    // nobody may not be able to reach the build tree.
    if (run_shell("setpriv --reuid=65534 --regid=65534 --clear-groups test -x " + fdtrace_binary())
            .status != 0) {
        GTEST_SKIP() << "binary not executable by nobody";
    }
    for (std::string command : {"fds", "stuck", "leaks"}) {
        auto result = run_shell("setpriv --reuid=65534 --regid=65534 --clear-groups " +
                                fdtrace_binary() + " " + command + " -p 1 2>&1 >/dev/null");
        EXPECT_EQ(result.status, 3) << command << ": " << result.out;
        EXPECT_TRUE(
            result.out.starts_with("fdtrace: " + command + ": permission denied for process 1"))
            << result.out;
        EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
    }
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

// The main thread gone (pthread_exit) and another running: the kernel shows
// /proc/PID/fd empty, the table lives on in the other thread. fds, stuck and
// leaks must still see it (lsof -p shows nothing there).
TEST(LeaderExited, FdsStuckAndLeaksReadTheOtherThreadsTable) {
    Target target({"leader-exits"});
    std::string ready = target.line();
    ASSERT_TRUE(ready.starts_with("ready")) << ready;
    auto values = Target::values(ready);
    const std::string pid = std::to_string(target.pid());
    // Until the leader is a zombie, the answer is the ordinary one.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (testing::read_file("/proc/" + pid + "/stat").find(") Z") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_NE(testing::read_file("/proc/" + pid + "/stat").find(") Z"), std::string::npos);
    ASSERT_TRUE(wait_blocked(target.pid(), {SYS_read}));

    auto fds = run_shell(fdtrace_binary() + " fds -p " + pid);
    EXPECT_EQ(fds.status, 0) << fds.out;
    EXPECT_NE(fds.out.find("/etc/hostname"), std::string::npos) << fds.out;
    // Sockets too: their namespace is read through the living thread.
    EXPECT_NE(fds.out.find("TCP 127.0.0.1:"), std::string::npos) << fds.out;
    EXPECT_NE(fds.out.find("(LISTEN)"), std::string::npos) << fds.out;
    auto stuck = run_shell(fdtrace_binary() + " stuck -p " + pid);
    EXPECT_NE(stuck.out.find("read(" + std::to_string(values["pipe"]) + " -> pipe:["),
              std::string::npos)
        << stuck.out;
    auto leaks = run_shell(fdtrace_binary() + " leaks -p " + pid + " --count 2 --interval 0.05");
    EXPECT_EQ(leaks.out.find("exited"), std::string::npos) << leaks.out;
    EXPECT_EQ(leaks.out.find(" 0 fds"), std::string::npos) << leaks.out;
}

}  // namespace
}  // namespace fdtrace
