// `fdtrace fds` without -p: who holds a port across every process on the host
// and in every network namespace, compared with lsof; lsof's option
// spellings and its answers to typos; pid lists with a gone pid.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "fdtrace/fd_query.h"
#include "fdtrace/fd_snapshot.h"
#include "fdtrace/scoped_fd.h"
#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::run_shell;

// A running tests/programs/port_holder (or `prefix... port_holder ARGS`),
// stdin and stdout on pipes; killed at the end.
class Holder : public testing::PipedChild {
  public:
    explicit Holder(std::vector<std::string> args, std::vector<std::string> prefix = {})
        : PipedChild(command(std::move(args), std::move(prefix))) {}

    // "ready port=N" -> N; 0 if it said anything else.
    int ready_port() {
        std::string ready = line();
        std::smatch match;
        if (!std::regex_match(ready, match, std::regex("ready port=([0-9]+)"))) return 0;
        return std::stoi(match[1]);
    }

  private:
    static std::vector<std::string> command(std::vector<std::string> args,
                                            std::vector<std::string> prefix) {
        prefix.push_back(std::string(FDTRACE_TEST_PROGRAMS_DIR) + "/port_holder");
        prefix.insert(prefix.end(), args.begin(), args.end());
        return prefix;
    }
};

using PidFd = std::pair<int, int>;

// (pid, fd) of every JSON Lines record of `fdtrace fds ... --format=json`.
std::set<PidFd> json_holders(const std::string& out) {
    std::set<PidFd> holders;
    static const std::regex kRecord(
        "\"pid\":([0-9]+),\"comm\":\"[^\"]*\",(?:\"netns\":[0-9]+,)?\"fd\":([0-9]+)");
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        std::smatch match;
        if (std::regex_search(line, match, kRecord))
            holders.emplace(std::stoi(match[1]), std::stoi(match[2]));
    }
    return holders;
}

// (pid, fd) of every numeric fd of `lsof -F pf ARGS`.
std::set<PidFd> lsof_holders(const std::string& args) {
    auto result = run_shell("lsof -n -P -F pf " + args + " 2>/dev/null");
    std::set<PidFd> holders;
    int pid = 0;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() < 2) continue;
        std::string value = line.substr(1);
        if (line[0] == 'p') pid = std::stoi(value);
        if (line[0] == 'f' && std::isdigit(static_cast<unsigned char>(value[0])))
            holders.emplace(pid, std::stoi(value));
    }
    return holders;
}

std::set<int> pids_of(const std::set<PidFd>& holders) {
    std::set<int> pids;
    for (const auto& [pid, fd] : holders) pids.insert(pid);
    return pids;
}

bool has_tool(const std::string& name) {
    return run_shell("command -v " + name + " >/dev/null 2>&1").status == 0;
}

// The pid of the first child of `parent`: the forked half of a listener.
int child_of(int parent) {
    auto children = testing::read_file("/proc/" + std::to_string(parent) + "/task/" +
                                       std::to_string(parent) + "/children");
    return children.empty() ? 0 : std::stoi(children);
}

// A pid that is not running: a child that has been reaped.
int dead_pid() {
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    ::waitpid(pid, nullptr, 0);
    return pid;
}

// ---- pure parts -------------------------------------------------------------------

TEST(FdsParse, StateNamesAreLsofsAndTyposAreErrors) {
    std::string error;
    EXPECT_FALSE(parse_state_selector("TCP:LISTN", error));
    EXPECT_TRUE(error.starts_with("unknown TCP state name: LISTN")) << error;
    EXPECT_FALSE(parse_state_selector("UDP:IDL", error));
    EXPECT_TRUE(error.starts_with("unknown UDP state name: IDL")) << error;
    EXPECT_FALSE(parse_state_selector("TCP:LISTEN,ESTABLISHD", error));
    for (const char* good :
         {"TCP:LISTEN", "TCP:listen", "TCP:CLOSE_WAIT", "TCP:FIN_WAIT1", "TCP:CLOSED", "TCP:^ESTAB",
          "UDP:Idle", "UDP:Unbound", "UDP:UNCONN", "UNIX:LISTEN"}) {
        EXPECT_TRUE(parse_state_selector(good, error)) << good << ": " << error;
    }
    // lsof's UDP names mean the states fdtrace shows.
    EXPECT_EQ(parse_state_selector("UDP:Idle", error)->states,
              std::vector<std::string>{"UNCONNECTED"});
    EXPECT_EQ(parse_state_selector("TCP:CLOSED", error)->states, std::vector<std::string>{"CLOSE"});
}

TEST(FdsParse, PortsByServiceNameAndHostsByName) {
    std::string error;
    servent* mysql = ::getservbyname("mysql", "tcp");
    if (mysql) {
        auto selector = parse_inet_selector(":mysql", error);
        ASSERT_TRUE(selector) << error;
        EXPECT_EQ(selector->port, 3306);
        EXPECT_FALSE(parse_inet_selector("UDP:mysql", error));  // a TCP service only
    }
    EXPECT_FALSE(parse_inet_selector(":no-such-service", error));
    EXPECT_NE(error.find("unknown service 'no-such-service'"), std::string::npos) << error;
    EXPECT_FALSE(parse_inet_selector(":70000", error));
    auto v6 = parse_inet_selector("@[0:0::1]:80", error);
    ASSERT_TRUE(v6) << error;
    EXPECT_EQ(v6->host, "::1");  // as identities print it
    auto local = parse_inet_selector("TCP@localhost:80", error);
    ASSERT_TRUE(local) << error;
    EXPECT_NE(std::find(local->host_addresses.begin(), local->host_addresses.end(), "127.0.0.1"),
              local->host_addresses.end());
}

TEST(FdsParse, CommandsAndUsersAsLsof) {
    std::string error;
    ProcessFilter filter;
    filter.commands.push_back(*parse_command_selector("ngin", error));
    filter.commands.push_back(*parse_command_selector("/^post.*r$/", error));
    EXPECT_TRUE(process_matches(filter, "nginx", 0));
    EXPECT_TRUE(process_matches(filter, "postmaster", 0));
    EXPECT_FALSE(process_matches(filter, "sshd", 0));
    filter.commands.push_back(*parse_command_selector("^nginx", error));
    EXPECT_FALSE(process_matches(filter, "nginx", 0));
    EXPECT_FALSE(parse_command_selector("/[/", error));

    auto users = parse_user_selectors("root,^1000", error);
    ASSERT_TRUE(users) << error;
    ProcessFilter by_user;
    by_user.users = *users;
    EXPECT_TRUE(process_matches(by_user, "x", 0));
    EXPECT_FALSE(process_matches(by_user, "x", 1000));
    EXPECT_FALSE(process_matches(by_user, "x", 33));
    EXPECT_FALSE(parse_user_selectors("no-such-user-here", error));
}

// ---- system-wide, against lsof ------------------------------------------------------

// lsof ORs repeated -i options: -i:A -i:B lists the holders of both ports.
// A word that is no option is an error, not dropped (it was: `fds junk`
// listed every fd on the host with status 0).
TEST(FdsParse, StrayWordsAreErrors) {
    for (const char* args : {"extra-arg", "-p 1 junk", "bogus -p 1"}) {
        auto result = run_shell(fdtrace_binary() + " fds " + args + " 2>&1");
        EXPECT_EQ(result.status, 2) << args;
        EXPECT_NE(result.out.find("unexpected argument"), std::string::npos) << result.out;
    }
}

// A process whose fd links cannot be read (here, where the sandbox's init is
// another user namespace's) is reported with status 3, never a silent 1.
TEST(FdsParse, UnreadableFdLinksAreReported) {
    char target[64];
    if (::readlink("/proc/1/fd/0", target, sizeof target) >= 0 || errno != EACCES)
        GTEST_SKIP() << "pid 1's fds are readable here";
    auto result = run_shell(fdtrace_binary() + " fds -p 1 2>&1");
    EXPECT_EQ(result.status, 3);
    EXPECT_NE(result.out.find("permission denied for process 1"), std::string::npos) << result.out;
}

TEST(FdsSystemWide, RepeatedInetSelectorsAreEitherAsLsof) {
    Holder first(std::vector<std::string>{"listen", "127.0.0.1", "0"});
    Holder second(std::vector<std::string>{"listen", "127.0.0.1", "0"});
    int port_a = first.ready_port(), port_b = second.ready_port();
    ASSERT_GT(port_a, 0);
    ASSERT_GT(port_b, 0);
    std::string both = "-i:" + std::to_string(port_a) + " -iTCP:" + std::to_string(port_b);
    auto ours = run_shell(fdtrace_binary() + " fds " + both + " --format=json");
    EXPECT_EQ(ours.status, 0) << ours.out;
    std::set<PidFd> found = json_holders(ours.out);
    // Each listener and its forked half (port_holder forks after listening).
    EXPECT_EQ(pids_of(found), (std::set<int>{first.pid(), child_of(first.pid()), second.pid(),
                                             child_of(second.pid())}))
        << ours.out;
    if (has_tool("lsof")) EXPECT_EQ(found, lsof_holders(both));
    // With -p too (one process's table): still either port.
    auto one = run_shell(fdtrace_binary() + " fds -p " + std::to_string(first.pid()) + " " + both +
                         " --format=json");
    EXPECT_EQ(pids_of(json_holders(one.out)), std::set<int>{first.pid()}) << one.out;
    // A bad one of several is still an error.
    EXPECT_EQ(
        run_shell(fdtrace_binary() + " fds -i:" + std::to_string(port_a) + " -iXYZ 2>&1").status,
        2);
}

TEST(FdsSystemWide, PortFindsEveryHolderAsLsofDoes) {
    if (!has_tool("lsof")) GTEST_SKIP() << "no lsof";
    std::optional<Holder> server_holder(std::in_place,
                                        std::vector<std::string>{"listen", "127.0.0.1", "0"});
    Holder& server = *server_holder;
    int port = server.ready_port();
    ASSERT_GT(port, 0);
    std::optional<Holder> client_holder(std::in_place,
                                        std::vector<std::string>{"connect", std::to_string(port)});
    Holder& client = *client_holder;
    ASSERT_GT(client.ready_port(), 0);
    ASSERT_EQ(server.line(), "accepted");
    int forked = child_of(server.pid());
    ASSERT_GT(forked, 0);

    std::string selector = "-i:" + std::to_string(port);
    auto ours = run_shell(fdtrace_binary() + " fds " + selector + " --format=json");
    EXPECT_EQ(ours.status, 0);
    std::set<PidFd> found = json_holders(ours.out);
    EXPECT_EQ(found, lsof_holders(selector));
    // The listener in both halves, the accepted connection, the client.
    EXPECT_EQ(pids_of(found), (std::set<int>{server.pid(), forked, client.pid()}));
    EXPECT_EQ(found.size(), 4u) << ours.out;

    // Narrowed as lsof narrows.
    for (std::string narrower : {" -sTCP:LISTEN", " -sTCP:ESTABLISHED", " -c port_ho"}) {
        std::string lsof_args = "-a " + selector + narrower;
        auto narrowed = run_shell(fdtrace_binary() + " fds " + lsof_args + " --format=json");
        EXPECT_EQ(json_holders(narrowed.out), lsof_holders(lsof_args)) << narrower;
    }
    auto listening = run_shell(fdtrace_binary() + " fds -iTCP@127.0.0.1:" + std::to_string(port) +
                               " -sTCP:LISTEN --format=json");
    EXPECT_EQ(pids_of(json_holders(listening.out)), (std::set<int>{server.pid(), forked}));

    // The table names the command, as lsof's COMMAND column.
    auto table = run_shell(fdtrace_binary() + " fds -n " + selector);
    EXPECT_NE(table.out.find("COMMAND"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("port_holder"), std::string::npos) << table.out;

    // Nobody listens any more: nothing printed, status 1, as lsof.
    client_holder.reset();
    server_holder.reset();
    auto gone =
        run_shell(fdtrace_binary() + " fds -iTCP:" + std::to_string(port) + " -sTCP:LISTEN");
    EXPECT_EQ(gone.status, 1) << gone.out;
    EXPECT_EQ(gone.out, "");
}

TEST(FdsSystemWide, UdpIdleIsABoundUnconnectedSocket) {
    Holder udp({"udp", "127.0.0.1", "0"});
    int port = udp.ready_port();
    ASSERT_GT(port, 0);
    // Before, -sUDP:Idle was taken as a state nothing has: empty, status 0.
    auto idle = run_shell(fdtrace_binary() + " fds -iUDP:" + std::to_string(port) +
                          " -sUDP:Idle --format=json");
    EXPECT_EQ(idle.status, 0);
    EXPECT_EQ(pids_of(json_holders(idle.out)), std::set<int>{udp.pid()}) << idle.out;
    auto connected =
        run_shell(fdtrace_binary() + " fds -iUDP:" + std::to_string(port) + " -sUDP:ESTAB 2>&1");
    EXPECT_EQ(connected.status, 1) << connected.out;
}

TEST(FdsSystemWide, FindsSocketsInAnotherNetworkNamespace) {
    if (!has_tool("unshare") || run_shell("unshare --net true >/dev/null 2>&1").status != 0) {
        GTEST_SKIP() << "cannot make a network namespace (unshare --net)";
    }
    Holder host({"listen", "127.0.0.1", "0"});
    int port = host.ready_port();
    ASSERT_GT(port, 0);
    // The same port, in a namespace of its own: lsof, which reads its own
    // namespace's /proc/net, cannot see it.
    Holder isolated({"listen", "0.0.0.0", std::to_string(port)}, {"unshare", "--net", "--"});
    ASSERT_EQ(isolated.ready_port(), port);
    std::string ours_netns = std::filesystem::read_symlink("/proc/self/ns/net").string();
    std::string their_netns =
        std::filesystem::read_symlink("/proc/" + std::to_string(isolated.pid()) + "/ns/net")
            .string();
    ASSERT_NE(ours_netns, their_netns);

    std::string selector = "-i:" + std::to_string(port);
    auto all = run_shell(fdtrace_binary() + " fds " + selector + " -sTCP:LISTEN --format=json");
    EXPECT_EQ(all.status, 0);
    std::set<int> pids = pids_of(json_holders(all.out));
    EXPECT_TRUE(pids.count(host.pid())) << all.out;
    EXPECT_TRUE(pids.count(isolated.pid())) << all.out;
    EXPECT_NE(all.out.find("\"local\":\"0.0.0.0:" + std::to_string(port) + "\""), std::string::npos)
        << all.out;
    if (has_tool("lsof")) EXPECT_FALSE(pids_of(lsof_holders(selector)).count(isolated.pid()));

    // Which namespace each row is in: "netns" in JSON, and a NETNS column
    // in the table when the rows span more than one.
    auto inode_of = [](const std::string& link) {  // "net:[4026531840]"
        return link.substr(5, link.size() - 6);
    };
    EXPECT_NE(all.out.find("\"pid\":" + std::to_string(isolated.pid()) +
                           ",\"comm\":\"port_holder\",\"netns\":" + inode_of(their_netns) + ","),
              std::string::npos)
        << all.out;
    EXPECT_NE(all.out.find("\"pid\":" + std::to_string(host.pid()) +
                           ",\"comm\":\"port_holder\",\"netns\":" + inode_of(ours_netns) + ","),
              std::string::npos)
        << all.out;
    auto table = run_shell(fdtrace_binary() + " fds -n " + selector + " -sTCP:LISTEN");
    EXPECT_NE(table.out.find("COMMAND      NETNS"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find(inode_of(their_netns)), std::string::npos) << table.out;
    auto host_only = run_shell(fdtrace_binary() +
                               " fds -n -iTCP@127.0.0.1:" + std::to_string(port) + " -sTCP:LISTEN");
    EXPECT_EQ(host_only.out.find("NETNS"), std::string::npos) << host_only.out;

    // By pid too, with -i alone (which resolves each socket fd).
    auto by_pid = run_shell(fdtrace_binary() + " fds -i -p " + std::to_string(isolated.pid()) +
                            " --format=json");
    EXPECT_EQ(json_holders(by_pid.out), (std::set<PidFd>{{isolated.pid(), 3}})) << by_pid.out;
}

// ---- the command line ---------------------------------------------------------------

TEST(FdsCli, StateTyposExit2WithLsofsMessage) {
    auto typo = run_shell(fdtrace_binary() + " fds -sTCP:LISTN 2>&1");
    EXPECT_EQ(typo.status, 2);
    EXPECT_TRUE(typo.out.starts_with("fdtrace: fds: unknown TCP state name: LISTN")) << typo.out;
    auto udp = run_shell(fdtrace_binary() + " fds -i -sUDP:IDL 2>&1");
    EXPECT_EQ(udp.status, 2);
    EXPECT_NE(udp.out.find("unknown UDP state name: IDL"), std::string::npos) << udp.out;
    auto service = run_shell(fdtrace_binary() + " fds -i:no-such-service 2>&1");
    EXPECT_EQ(service.status, 2);
    EXPECT_NE(service.out.find("unknown service"), std::string::npos) << service.out;
    auto user = run_shell(fdtrace_binary() + " fds -u no-such-user-here 2>&1");
    EXPECT_EQ(user.status, 2);
}

TEST(FdsCli, LsofsOtherSpellingsAreAccepted) {
    std::string self = " -p " + std::to_string(::getpid());
    EXPECT_EQ(run_shell(fdtrace_binary() + " fds -a -P -n -d 0" + self + " >/dev/null").status, 0);
    // +L1 is --deleted: status 0 or 1 (nothing deleted held), never a usage error.
    EXPECT_NE(run_shell(fdtrace_binary() + " fds +L1" + self + " >/dev/null 2>&1").status, 2);
    if (::getservbyname("mysql", "tcp")) {
        auto mysql = run_shell(fdtrace_binary() + " fds -i:mysql 2>&1");
        EXPECT_TRUE(mysql.status == 0 || mysql.status == 1) << mysql.out;
    }
    auto help = run_shell(fdtrace_binary() + " fds --help");
    for (std::string option : {"--command", "--user", "-i", "-s", "+L1", "Idle"})
        EXPECT_NE(help.out.find(option), std::string::npos) << option;
}

TEST(FdsCli, HelpListsEveryStateNameSAccepts) {
    // The kernel's own names are accepted; the help said nothing of them.
    auto help = run_shell(fdtrace_binary() + " fds --help");
    std::string self = " -p " + std::to_string(::getpid());
    for (std::string state : {"TCP:SYN_RECEIVED", "TCP:NEW_SYN_RECV", "TCP:BOUND_INACTIVE",
                              "UDP:UNCONNECTED", "UNIX:UNCONNECTED", "UNIX:SYN_SENT"}) {
        std::string name = state.substr(state.find(':') + 1);
        EXPECT_NE(help.out.find(name), std::string::npos) << name;
        EXPECT_NE(
            run_shell(fdtrace_binary() + " fds -s" + state + self + " >/dev/null 2>&1").status, 2)
            << state;
    }
}

TEST(FdsCli, GonePidIsReportedAndTheOthersListed) {
    int gone = dead_pid();
    std::string self = std::to_string(::getpid());
    auto both = run_shell(fdtrace_binary() + " fds -d 0 --format=json -p " + self + "," +
                          std::to_string(gone) + " 2>/tmp/fdtrace-fds-gone-" + self);
    std::string errors = testing::read_file("/tmp/fdtrace-fds-gone-" + self);
    std::remove(("/tmp/fdtrace-fds-gone-" + self).c_str());
    EXPECT_EQ(both.status, 0);
    EXPECT_EQ(pids_of(json_holders(both.out)), std::set<int>{::getpid()}) << both.out;
    EXPECT_EQ(errors, "fdtrace: fds: no such process " + std::to_string(gone) + "\n");
    // -p twice, the gone one first.
    auto repeated = run_shell(fdtrace_binary() + " fds -d 0 -p " + std::to_string(gone) + " -p " +
                              self + " 2>/dev/null");
    EXPECT_EQ(repeated.status, 0);
    EXPECT_NE(repeated.out.find(self), std::string::npos);
    // All gone: status 2, as before.
    EXPECT_EQ(
        run_shell(fdtrace_binary() + " fds -p " + std::to_string(gone) + " 2>/dev/null").status, 2);
}

}  // namespace
}  // namespace fdtrace
