// Replay rules, one per test, through the whole log pipeline: lines in,
// annotated text out.
#include "fdtrace/annotator.h"

#include <gtest/gtest.h>
#include <netdb.h>
#include <netinet/in.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fdtrace {
namespace {

class AnnotatorTest : public ::testing::Test {
  protected:
    std::vector<std::string> run(const std::vector<std::string>& lines,
                                 OutputFormat format = OutputFormat::Text) {
        AnnotateOptions options;
        options.format = format;
        options.text.numeric = true;
        options.replay = replay;
        Annotator annotator(options);
        std::vector<std::string> out;
        for (const auto& line : lines) {
            std::string rendered;
            annotator.feed(line, rendered);
            if (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
            out.push_back(rendered);
        }
        return out;
    }
    std::string last(const std::vector<std::string>& lines) { return run(lines).back(); }
    ReplayOptions replay;
};

TEST_F(AnnotatorTest, OpenReadClose) {
    auto out = run({
        R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3)",
        R"(read(3, "root:x:0:0"..., 4096) = 1024)",
        R"(close(3) = 0)",
        R"(read(3, 0x1234, 10) = -1 EBADF (Bad file descriptor))",
    });
    EXPECT_EQ(out[0], R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3 -> /etc/passwd)");
    EXPECT_EQ(out[1], R"(read(3 -> /etc/passwd, "root:x:0:0"..., 4096) = 1024)");
    EXPECT_EQ(out[2], R"(close(3 -> /etc/passwd) = 0)");
    EXPECT_EQ(out[3],
              R"(read(3 -> ? (closed at line 3), 0x1234, 10) = -1 EBADF (Bad file descriptor))");
}

TEST_F(AnnotatorTest, RelativePathsFollowCwdAndDirfd) {
    auto out = run({
        R"(chdir("/var/log") = 0)",
        R"(openat(AT_FDCWD, "apt/../syslog", O_RDONLY) = 3)",
        R"(openat(AT_FDCWD, "/etc", O_RDONLY|O_DIRECTORY) = 4)",
        R"(openat(4, "hosts", O_RDONLY) = 5)",
        R"(fchdir(4) = 0)",
        R"(open("motd", O_RDONLY) = 6)",
    });
    EXPECT_EQ(out[1], R"(openat(AT_FDCWD, "apt/../syslog", O_RDONLY) = 3 -> /var/log/syslog)");
    EXPECT_EQ(out[3], R"(openat(4 -> /etc, "hosts", O_RDONLY) = 5 -> /etc/hosts)");
    EXPECT_EQ(out[5], R"(open("motd", O_RDONLY) = 6 -> /etc/motd)");
}

TEST_F(AnnotatorTest, UnknownCwdKeepsPathRelativeUnlessGiven) {
    EXPECT_EQ(last({R"(openat(AT_FDCWD, "x.txt", O_RDONLY) = 3)"}),
              R"(openat(AT_FDCWD, "x.txt", O_RDONLY) = 3 -> x.txt (cwd unknown))");
    replay.initial_cwd = "/home/me";
    EXPECT_EQ(last({R"(openat(AT_FDCWD, "x.txt", O_RDONLY) = 3)"}),
              R"(openat(AT_FDCWD, "x.txt", O_RDONLY) = 3 -> /home/me/x.txt)");
    replay.initial_cwd.clear();
    EXPECT_EQ(last({R"(getcwd("/srv", 4096) = 5)", R"(openat(AT_FDCWD, "x.txt", O_RDONLY) = 3)"}),
              R"(openat(AT_FDCWD, "x.txt", O_RDONLY) = 3 -> /srv/x.txt)");
}

TEST_F(AnnotatorTest, TcpClientConnectAndGetsockname) {
    auto out = run({
        "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3",
        R"(connect(3, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("10.0.0.7")}, 16) = -1 EINPROGRESS (Operation now in progress))",
        R"(getsockname(3, {sa_family=AF_INET, sin_port=htons(55378), sin_addr=inet_addr("172.17.0.2")}, [128 => 16]) = 0)",
        R"(read(3, "\27\3\3@\21", 5) = 5)",
    });
    EXPECT_EQ(out[0], "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3 -> TCP");
    EXPECT_EQ(out[3], R"(read(3 -> TCP 172.17.0.2:55378->10.0.0.7:443, "\27\3\3@\21", 5) = 5)");
}

// strace -X raw and -X verbose print families as numbers and ports and
// addresses as their bytes (lines as strace 6.1 printed them).
TEST_F(AnnotatorTest, RawAndVerboseSockaddrsAsStraceXPrintsThem) {
    auto raw = run({
        "socket(0x2, 0x1|0x80000, 0x6) = 5",
        R"(connect(5, {sa_family=0x2, sin_port="\x46\xa0", sin_addr="\x7f\x00\x00\x01"}, 16) = -1 EINPROGRESS (Operation now in progress))",
        R"(getsockname(5, {sa_family=0x2, sin_port="\xc5\xda", sin_addr="\x7f\x00\x00\x01"}, [128 => 16]) = 0)",
        R"(read(5, "x", 1) = 1)",
    });
    EXPECT_EQ(raw[3], R"(read(5 -> TCP 127.0.0.1:50650->127.0.0.1:18080, "x", 1) = 1)");
    auto verbose = run({
        "socket(0xa /* AF_INET6 */, 0x2 /* SOCK_DGRAM */|0x80000 /* SOCK_CLOEXEC */, 0 /* "
        "IPPROTO_IP */) = 4",
        R"(connect(4, {sa_family=0xa /* AF_INET6 */, sin6_port="\x00\x09" /* htons(9) */, sin6_flowinfo="\x00\x00\x00\x00" /* htonl(0) */, sin6_addr="\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01" /* inet_pton(AF_INET6, "::1") */, sin6_scope_id=0}, 28) = 0)",
        R"(write(4, "x", 1) = 1)",
        R"(connect(3, {sa_family=0x1 /* AF_UNIX */, sun_path="/run/x.sock"}, 14) = 0)",
        R"(write(3, "y", 1) = 1)",
    });
    EXPECT_NE(verbose[2].find("-> UDPv6 ?->[::1]:9"), std::string::npos) << verbose[2];
    EXPECT_NE(verbose[4].find("-> UNIX ?->/run/x.sock"), std::string::npos) << verbose[4];
}

TEST_F(AnnotatorTest, ServerBindListenAccept) {
    auto out = run({
        "socket(AF_INET6, SOCK_STREAM, IPPROTO_IP) = 3",
        R"(bind(3, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::", &sin6_addr), sin6_scope_id=0}, 28) = 0)",
        "listen(3, 128) = 0",
        R"(accept4(3, {sa_family=AF_INET6, sin6_port=htons(40000), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, [28], SOCK_CLOEXEC) = 4)",
        R"(write(4, "hi", 2) = 2)",
    });
    EXPECT_EQ(out[2], "listen(3 -> TCPv6 [::]:8080, 128) = 0");
    EXPECT_EQ(out[4], R"(write(4 -> TCPv6 [::1]:8080->[::1]:40000, "hi", 2) = 2)");
}

TEST_F(AnnotatorTest, ServiceNamesUnlessNumeric) {
    AnnotateOptions options;
    Annotator annotator(options);
    std::string out;
    annotator.feed("socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3", out);
    annotator.feed(
        R"(connect(3, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("10.0.0.7")}, 16) = 0)",
        out);
    annotator.feed(R"(write(3, "x", 1) = 1)", out);
    EXPECT_NE(out.find("write(3 -> TCP ?->10.0.0.7:https,"), std::string::npos) << out;
}

// Case 12: a UDP port is named from the udp half of /etc/services.
TEST_F(AnnotatorTest, UdpPortsNamedFromTheUdpServices) {
    if (!getservbyport(htons(514), "udp") || !getservbyport(htons(123), "udp") ||
        !getservbyport(htons(514), "tcp"))
        GTEST_SKIP() << "this machine's /etc/services lacks syslog/ntp/shell";
    const std::string syslog = getservbyport(htons(514), "udp")->s_name;
    const std::string ntp = getservbyport(htons(123), "udp")->s_name;
    const std::string shell = getservbyport(htons(514), "tcp")->s_name;
    AnnotateOptions options;
    Annotator annotator(options);
    std::string out;
    for (
        const char* line : {
            "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3",
            R"(connect(3, {sa_family=AF_INET, sin_port=htons(514), sin_addr=inet_addr("192.0.2.9")}, 16) = 0)",
            R"(sendto(3, "<13>hello", 9, 0, NULL, 0) = 9)",
            "socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 4",
            R"(connect(4, {sa_family=AF_INET6, sin6_port=htons(123), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = 0)",
            R"(sendto(4, "x", 1, 0, NULL, 0) = 1)",
            "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5",
            R"(connect(5, {sa_family=AF_INET, sin_port=htons(514), sin_addr=inet_addr("192.0.2.9")}, 16) = 0)",
            R"(write(5, "x", 1) = 1)",
        })
        annotator.feed(line, out);
    EXPECT_NE(out.find("sendto(3 -> UDP ?->192.0.2.9:" + syslog + ","), std::string::npos) << out;
    EXPECT_NE(out.find("sendto(4 -> UDPv6 ?->[2001:db8::1]:" + ntp + ","), std::string::npos)
        << out;
    EXPECT_NE(out.find("write(5 -> TCP ?->192.0.2.9:" + shell + ","), std::string::npos) << out;
}

TEST_F(AnnotatorTest, UnixSocketsPathAbstractDeleted) {
    auto out = run({
        "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3",
        R"(bind(3, {sa_family=AF_UNIX, sun_path="/tmp/agent.sock"}, 18) = 0)",
        "listen(3, 5) = 0",
        R"(unlink("/tmp/agent.sock") = 0)",
        "accept4(3, {sa_family=AF_UNIX}, [110 => 2], SOCK_CLOEXEC) = 4",
        "socket(AF_UNIX, SOCK_DGRAM, 0) = 5",
        R"(connect(5, {sa_family=AF_UNIX, sun_path=@"logger"}, 9) = 0)",
        R"(sendto(5, "x", 1, 0, NULL, 0) = 1)",
    });
    EXPECT_EQ(out[3], R"(unlink("/tmp/agent.sock") = 0)");
    EXPECT_EQ(out[4],
              "accept4(3 -> UNIX-STREAM /tmp/agent.sock (deleted) (LISTEN), {sa_family=AF_UNIX}, "
              "[110 => 2], SOCK_CLOEXEC) = 4 -> UNIX-STREAM /tmp/agent.sock (deleted)");
    EXPECT_EQ(out[7], R"(sendto(5 -> UNIX-DGRAM ?->@logger, "x", 1, 0, NULL, 0) = 1)");
}

TEST_F(AnnotatorTest, NetlinkPidfdMemfdAnonKinds) {
    auto out = run({
        "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) = 3",
        "pidfd_open(812, 0) = 4",
        R"(memfd_create("jit-cache", MFD_CLOEXEC) = 5)",
        "eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 6",
        "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC) = 7",
        "inotify_init1(IN_NONBLOCK) = 8",
        "io_uring_setup(8, 0x7ffc) = 9",
        "bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_HASH}, 72) = 10",
        "bpf(BPF_MAP_UPDATE_ELEM, {map_fd=10, key=0x1, value=0x2}, 32) = 0",
    });
    EXPECT_EQ(
        out[0],
        "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) = 3 -> NETLINK sock_diag");
    EXPECT_EQ(out[1], "pidfd_open(812, 0) = 4 -> pidfd 812");
    EXPECT_EQ(out[2], R"(memfd_create("jit-cache", MFD_CLOEXEC) = 5 -> memfd:jit-cache)");
    EXPECT_EQ(out[3], "eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 6 -> [eventfd]");
    EXPECT_EQ(out[4], "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC) = 7 -> [timerfd]");
    EXPECT_EQ(out[5], "inotify_init1(IN_NONBLOCK) = 8 -> inotify");
    EXPECT_EQ(out[6], "io_uring_setup(8, 0x7ffc) = 9 -> [io_uring]");
    EXPECT_EQ(out[7], "bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_HASH}, 72) = 10 -> bpf-map");
    EXPECT_EQ(out[8], "bpf(BPF_MAP_UPDATE_ELEM, {map_fd=10, key=0x1, value=0x2}, 32) = 0")
        << "only creating bpf commands return an fd";
}

TEST_F(AnnotatorTest, PipesDupAndFcntl) {
    auto out = run({
        "pipe2([3, 4], O_CLOEXEC) = 0",
        "dup2(4, 1) = 1",
        "fcntl(3, F_DUPFD_CLOEXEC, 10) = 10",
        "dup(10) = 11",
        R"(write(1, "x", 1) = 1)",
        "close(4) = 0",
        "dup3(11, 1, O_CLOEXEC) = 1",
    });
    EXPECT_EQ(out[0], "pipe2([3 -> pipe read end, 4 -> pipe write end], O_CLOEXEC) = 0");
    EXPECT_EQ(out[1], "dup2(4 -> pipe write end, 1 -> inherited) = 1 -> pipe write end");
    EXPECT_EQ(out[2], "fcntl(3 -> pipe read end, F_DUPFD_CLOEXEC, 10) = 10 -> pipe read end");
    EXPECT_EQ(out[6],
              "dup3(11 -> pipe read end, 1 -> pipe write end, O_CLOEXEC) = 1 -> pipe read end");
}

TEST_F(AnnotatorTest, ExecDropsCloexecFdsOnly) {
    auto out = run({
        R"(openat(AT_FDCWD, "/a", O_RDONLY|O_CLOEXEC) = 3)",
        R"(openat(AT_FDCWD, "/b", O_RDONLY) = 4)",
        "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5",
        "fcntl(5, F_SETFD, FD_CLOEXEC) = 0",
        "fcntl(4, F_SETFD, FD_CLOEXEC) = 0",
        "fcntl(4, F_SETFD, 0) = 0",
        R"(execve("/bin/cat", ["cat"], 0x7ffd /* 3 vars */) = 0)",
        "read(3, 0x1, 1) = -1 EBADF (Bad file descriptor)",
        R"(read(4, "", 1) = 0)",
        "close(5) = -1 EBADF (Bad file descriptor)",
    });
    EXPECT_EQ(out[7],
              "read(3 -> ? (closed on exec, line 7), 0x1, 1) = -1 EBADF (Bad file descriptor)");
    EXPECT_EQ(out[8], R"(read(4 -> /b, "", 1) = 0)");
    EXPECT_EQ(out[9], "close(5 -> ? (closed on exec, line 7)) = -1 EBADF (Bad file descriptor)");
}

TEST_F(AnnotatorTest, ForkCopiesThreadsShare) {
    auto out = run({
        R"(100 openat(AT_FDCWD, "/a", O_RDONLY) = 3)",
        "100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
        "child_tidptr=0x7f) = 200",
        "100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, "
        "exit_signal=0, stack=0x7f, stack_size=0x7fff00}, 88) = 101",
        "200 close(3) = 0",
        R"(100 read(3, "x", 1) = 1)",
        "101 close(3) = 0",
        "100 read(3, 0x1, 1) = -1 EBADF (Bad file descriptor)",
    });
    EXPECT_EQ(out[3], "200 close(3 -> /a) = 0");
    EXPECT_EQ(out[4], R"(100 read(3 -> /a, "x", 1) = 1)") << "a forked child has its own copy";
    EXPECT_EQ(out[5], "101 close(3 -> /a) = 0");
    EXPECT_EQ(out[6],
              "100 read(3 -> ? (closed at line 6), 0x1, 1) = -1 EBADF (Bad file descriptor)")
        << "threads share one table";
}

TEST_F(AnnotatorTest, ChildSeenBeforeCloneReturns) {
    auto out = run({
        R"([pid 100] openat(AT_FDCWD, "/a", O_RDONLY) = 3)",
        "[pid 100] clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD <unfinished ...>",
        R"([pid 300] read(3, "x", 1) = 1)",
        "[pid 100] <... clone resumed>, child_tidptr=0x7f) = 300",
    });
    EXPECT_EQ(out[2], R"([pid 300] read(3 -> /a, "x", 1) = 1)");
}

TEST_F(AnnotatorTest, UnfinishedResumedAcrossInterleavedPids) {
    auto out = run({
        "[pid 1] socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3",
        "[pid 1] bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"0.0.0.0\")}, "
        "16) = 0",
        "[pid 1] listen(3, 1) = 0",
        "[pid 1] accept(3,  <unfinished ...>",
        R"([pid 2] openat(AT_FDCWD, "/x", O_RDONLY) = 3)",
        "[pid 1] <... accept resumed>{sa_family=AF_INET, sin_port=htons(5555), "
        "sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 4",
        R"([pid 1] read(4, "GET", 3) = 3)",
    });
    EXPECT_EQ(out[3], "[pid 1] accept(3 -> TCP 0.0.0.0:80 (LISTEN),  <unfinished ...>");
    EXPECT_EQ(out[5],
              "[pid 1] <... accept resumed>{sa_family=AF_INET, sin_port=htons(5555), "
              "sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 4 -> TCP 127.0.0.1:80->127.0.0.1:5555");
    EXPECT_EQ(out[6], R"([pid 1] read(4 -> TCP 127.0.0.1:80->127.0.0.1:5555, "GET", 3) = 3)");
}

// The record with the result names the fd its unfinished half named, and
// points back at that half (case 16 of the logs people posted), for every
// shape of fd: a plain argument, a pollfd array, an fd returned on resumption.
TEST_F(AnnotatorTest, ResumedJsonRecordCarriesTheUnfinishedHalfsFds) {
    auto out = run(
        {
            R"([pid    10] openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3)",
            "[pid    10] read(3,  <unfinished ...>",
            R"([pid    11] openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3)",
            R"([pid    10] <... read resumed>"127.0.0.1", 4096) = 9)",
            "[pid    11] poll([{fd=3, events=POLLIN}], 1, -1 <unfinished ...>",
            "[pid    10] socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4",
            "[pid    11] <... poll resumed>) = 1 ([{fd=3, revents=POLLIN}])",
            "[pid    10] accept4(4, NULL, NULL, SOCK_CLOEXEC <unfinished ...>",
            "[pid    11] close(3) = 0",
            "[pid    10] <... accept4 resumed>) = 5",
        },
        OutputFormat::Json);
    EXPECT_NE(
        out[3].find(
            R"("resumed":true,"unfinished_line":2,"ret":"9","fds":[{"fd":3,"role":"arg","kind":"file","path":"/etc/hosts")"),
        std::string::npos)
        << out[3];
    EXPECT_NE(out[6].find(R"("unfinished_line":5)"), std::string::npos) << out[6];
    // Both places fd 3 appears: the array poll was given, the one it returned.
    EXPECT_NE(
        out[6].find(
            R"("fds":[{"fd":3,"role":"pollfd","kind":"file","path":"/etc/hosts","source":"log","text":"/etc/hosts"},{"fd":3,"role":"pollfd","kind":"file")"),
        std::string::npos)
        << out[6];
    EXPECT_NE(out[9].find(R"("fds":[{"fd":4,"role":"arg","kind":"tcp")"), std::string::npos)
        << out[9];
    EXPECT_NE(out[9].find(R"({"fd":5,"role":"ret")"), std::string::npos) << out[9];
    // Text is unchanged: the carried fd has no place on the resumed line.
    auto text = run({R"(openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3)", "read(3,  <unfinished ...>",
                     R"(<... read resumed>"127.0.0.1", 4096) = 9)"});
    EXPECT_EQ(text[1], "read(3 -> /etc/hosts,  <unfinished ...>");
    EXPECT_EQ(text[2], R"(<... read resumed>"127.0.0.1", 4096) = 9)");
}

// strace -p let go while the call was in flight: the line is an unfinished
// call (never returned), named like any other, in text and JSON.
TEST_F(AnnotatorTest, DetachedLinesAreUnfinishedCalls) {
    auto text = run({"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3", "recvfrom(3,  <detached ...>",
                     "read(0, <detached ...>"});
    EXPECT_EQ(text[1], "recvfrom(3 -> TCP,  <detached ...>");
    EXPECT_EQ(text[2], "read(0 -> inherited, <detached ...>");
    auto json =
        run({"[pid 7] socket(AF_UNIX, SOCK_STREAM, 0) = 3", "[pid 7] recvmsg(3,  <detached ...>"},
            OutputFormat::Json);
    EXPECT_NE(json[1].find(R"("syscall":"recvmsg","args":"3,","unfinished":true,"detached":true)"),
              std::string::npos)
        << json[1];
    EXPECT_NE(json[1].find(R"("fds":[{"fd":3,"role":"arg","kind":"unix")"), std::string::npos)
        << json[1];
}

// A line strace has only begun (it waits in the traced call) is shown as
// far as it goes, changing nothing: the whole line later starts the same.
TEST_F(AnnotatorTest, PreviewOfABegunLineIsTheStartOfTheWholeLine) {
    AnnotateOptions options;
    options.text.numeric = true;
    Annotator annotator(options);
    std::string out;
    annotator.feed("socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5", out);
    annotator.feed(
        R"(connect(5, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0)",
        out);
    for (const std::string partial : {"recvfrom(5, ", "accept4(5", "dup2(5, 7"}) {
        std::string preview;
        annotator.preview(partial, preview);
        std::string whole;
        std::string line =
            partial + std::string(partial.back() == ' ' ? "\"x\", 1, 0, NULL, NULL) = 1"
                                                        : ", NULL, NULL, 0) = 6");
        AnnotateOptions same = options;
        Annotator fresh(same);
        std::string ignored;
        fresh.feed("socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5", ignored);
        fresh.feed(
            R"(connect(5, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0)",
            ignored);
        fresh.feed(line, whole);
        EXPECT_EQ(whole.compare(0, preview.size(), preview), 0) << preview << "\n" << whole;
        EXPECT_NE(preview.find("5 -> TCP ?->10.0.0.1:80"), std::string::npos) << preview;
        EXPECT_EQ(preview.find('\n'), std::string::npos);
    }
    // No state changed: line numbers, and the dup2 target stays unknown.
    EXPECT_EQ(annotator.lines(), 2u);
    std::string after;
    annotator.feed("fstat(7, 0x1) = -1 EBADF (Bad file descriptor)", after);
    EXPECT_EQ(after.find("TCP"), std::string::npos) << after;
}

// strace -X raw spells fcntl's commands as numbers: F_DUPFD is 0,
// F_DUPFD_CLOEXEC 0x406, F_SETFD 2; the copy is the same file.
TEST_F(AnnotatorTest, RawFcntlCommandsDuplicate) {
    auto out = run({R"(openat(AT_FDCWD, "/dev/null", 0x2) = 3)", "fcntl(3, 0, 10) = 10",
                    "fcntl(3, 0x406, 20) = 20", "fcntl(20, 0x2, 0) = 0", "write(10, \"x\", 1) = 1",
                    "write(20, \"x\", 1) = 1"});
    EXPECT_EQ(out[1], "fcntl(3 -> /dev/null, 0, 10) = 10 -> /dev/null");
    EXPECT_EQ(out[2], "fcntl(3 -> /dev/null, 0x406, 20) = 20 -> /dev/null");
    EXPECT_EQ(out[4], R"(write(10 -> /dev/null, "x", 1) = 1)");
    EXPECT_EQ(out[5], R"(write(20 -> /dev/null, "x", 1) = 1)");
}

TEST_F(AnnotatorTest, PollSelectEpollAndScmRights) {
    auto out = run({
        R"(openat(AT_FDCWD, "/dev/null", O_RDONLY) = 3)",
        "socket(AF_UNIX, SOCK_STREAM, 0) = 4",
        "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, -1) = 1 ([{fd=4, "
        "revents=POLLOUT}])",
        "select(5, [3 4], [], NULL, NULL) = 1 (in [3])",
        "epoll_create1(EPOLL_CLOEXEC) = 5",
        "epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN, data={u32=77, u64=77}}) = 0",
        "epoll_wait(5, [{events=EPOLLIN, data={u32=77, u64=77}}], 8, -1) = 1",
        "sendmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], "
        "msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
        "cmsg_data=[3]}], msg_controllen=24, msg_flags=0}, 0) = 1",
    });
    EXPECT_EQ(
        out[2],
        "poll([{fd=3 -> /dev/null, events=POLLIN}, {fd=4 -> UNIX-STREAM, events=POLLOUT}], 2, -1) "
        "= 1 ([{fd=4 -> UNIX-STREAM, revents=POLLOUT}])");
    EXPECT_EQ(
        out[3],
        "select(5, [3 -> /dev/null 4 -> UNIX-STREAM], [], NULL, NULL) = 1 (in [3 -> /dev/null])");
    EXPECT_EQ(out[5],
              "epoll_ctl(5 -> [eventpoll], EPOLL_CTL_ADD, 4 -> UNIX-STREAM, {events=EPOLLIN, "
              "data={u32=77, u64=77}}) = 0");
    EXPECT_EQ(
        out[6],
        "epoll_wait(5 -> [eventpoll], [{events=EPOLLIN, data={u32=77, u64=77 -> UNIX-STREAM}}], 8, "
        "-1) = 1");
    EXPECT_NE(out[7].find("cmsg_data=[3 -> /dev/null]"), std::string::npos) << out[7];
}

TEST_F(AnnotatorTest, InheritedFdsLearnFromFstatAndIoctl) {
    auto out = run({
        "fstat(1, {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0x2), ...}) = 0",
        R"(write(1, "hi\n", 3) = 3)",
        R"(newfstatat(0, "", {st_mode=S_IFIFO|0600, st_size=0, ...}, AT_EMPTY_PATH) = 0)",
        "read(0, \"\", 1) = 0",
        "ioctl(2, TCGETS, {c_iflag=ICRNL}) = 0",
        R"(write(2, "e", 1) = 1)",
    });
    EXPECT_EQ(out[1], R"(write(1 -> /dev/pts/2, "hi\n", 3) = 3)");
    EXPECT_EQ(out[3], R"(read(0 -> pipe, "", 1) = 0)");
    EXPECT_EQ(out[5], R"(write(2 -> chr, "e", 1) = 1)");
}

TEST_F(AnnotatorTest, DeletedAndRenamedFiles) {
    auto out = run({
        R"(openat(AT_FDCWD, "/tmp/a", O_RDWR|O_CREAT, 0600) = 3)",
        R"(rename("/tmp/a", "/tmp/b") = 0)",
        R"(write(3, "x", 1) = 1)",
        R"(unlinkat(AT_FDCWD, "/tmp/b", 0) = 0)",
        R"(write(3, "x", 1) = 1)",
    });
    EXPECT_EQ(out[2], R"(write(3 -> /tmp/b, "x", 1) = 1)");
    EXPECT_EQ(out[4], R"(write(3 -> /tmp/b (deleted), "x", 1) = 1)");
}

TEST_F(AnnotatorTest, PipePeerNamedAfterFork) {
    auto out = run({
        "10 pipe2([3, 4], 0) = 0",
        "10 fork() = 11",
        "11 dup2(4, 1) = 1",
        "11 close(3) = 0",
        "11 close(4) = 0",
        R"(11 execve("/usr/bin/gzip", ["gzip"], 0x1 /* 1 var */) = 0)",
        "10 close(4) = 0",
        R"(10 read(3, "x", 1) = 1)",
    });
    EXPECT_EQ(out[7], R"(10 read(3 -> pipe read end (peer gzip[11]), "x", 1) = 1)");
}

TEST_F(AnnotatorTest, AlreadyAnnotatedLinesAreKept) {
    auto out = run({
        "read(3</etc/passwd>, \"x\", 1) = 1",
        "write(5<TCP:[127.0.0.1:1->127.0.0.1:2]>, \"x\", 1) = 1",
        "read(3, \"x\", 1) = 1",
    });
    EXPECT_EQ(out[0], "read(3</etc/passwd>, \"x\", 1) = 1");
    EXPECT_EQ(out[1], "write(5<TCP:[127.0.0.1:1->127.0.0.1:2]>, \"x\", 1) = 1");
    EXPECT_EQ(out[2], "read(3 -> /etc/passwd, \"x\", 1) = 1") << "learned from strace's annotation";
}

TEST_F(AnnotatorTest, CloseRangeAndCloexec) {
    auto out = run({
        R"(openat(AT_FDCWD, "/a", O_RDONLY) = 3)",
        R"(openat(AT_FDCWD, "/b", O_RDONLY) = 4)",
        "close_range(4, 4294967295, 0) = 0",
        "read(4, 0x1, 1) = -1 EBADF (Bad file descriptor)",
        "close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) = 0",
        R"(execve("/bin/true", ["true"], 0x1 /* 1 var */) = 0)",
        "read(3, 0x1, 1) = -1 EBADF (Bad file descriptor)",
    });
    EXPECT_EQ(out[3], "read(4 -> ? (closed at line 3), 0x1, 1) = -1 EBADF (Bad file descriptor)");
    EXPECT_EQ(out[6],
              "read(3 -> ? (closed on exec, line 6), 0x1, 1) = -1 EBADF (Bad file descriptor)");
}

TEST_F(AnnotatorTest, JsonRecordPerLine) {
    auto out = run(
        {
            R"(15:02:30.325882 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3)",
            "not strace at all \x01",
            "+++ exited with 0 +++",
        },
        OutputFormat::Json);
    EXPECT_EQ(
        out[0],
        R"({"line":1,"time":"15:02:30.325882","event":"syscall","syscall":"openat","args":"AT_FDCWD, \"/etc/passwd\", O_RDONLY","ret":"3","fds":[{"fd":3,"role":"ret","kind":"file","path":"/etc/passwd","source":"log","text":"/etc/passwd"}],"raw":"15:02:30.325882 openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = 3"})");
    EXPECT_EQ(out[1], R"({"line":2,"event":"unparsed","raw":"not strace at all \u0001"})");
    EXPECT_EQ(
        out[2],
        R"({"line":3,"event":"exit","status":"exited with 0","exit_code":0,"raw":"+++ exited with 0 +++"})");
}

TEST_F(AnnotatorTest, ScmRightsCarryTheFileToTheReceiver) {
    auto out = run({
        "1 socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, [3, 4]) = 0",
        "1 fork() = 2",
        R"(1 openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 5)",
        "1 sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], "
        "msg_iovlen=1, "
        "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}], "
        "msg_controllen=24, msg_flags=0}, 0) = 1",
        "2 recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], "
        "msg_iovlen=1, "
        "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[9]}], "
        "msg_controllen=24, msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 1",
        R"(2 read(9, "vm\n", 64) = 3)",
    });
    EXPECT_NE(out[4].find("cmsg_data=[9 -> /etc/hostname]"), std::string::npos) << out[4];
    EXPECT_EQ(out[5], R"(2 read(9 -> /etc/hostname, "vm\n", 64) = 3)");
}

TEST_F(AnnotatorTest, HostilePathsAreEscaped) {
    auto out =
        run({R"(openat(AT_FDCWD, "/tmp/\33[31mred\n", O_RDONLY) = 3)", "read(3, \"\", 1) = 0"});
    EXPECT_EQ(out[1], R"(read(3 -> /tmp/\x1b[31mred\n, "", 1) = 0)");
}

// strace -f on a terminal: no pid until a second task appears, then
// "[pid N]" for the first task too (case 05).
TEST_F(AnnotatorTest, PidLessLinesBelongToTheFirstPidThatIsNotAChild) {
    auto out = run({
        R"(openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3)",
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
        "child_tidptr=0x7f0000000a10) = 671",
        "strace: Process 671 attached",
        R"([pid   669] read(3, "127.0.0.1", 4096) = 9)",
        R"([pid   671] read(3, "127.0.0.1", 4096) = 9)",
    });
    EXPECT_EQ(out[3], R"([pid   669] read(3 -> /etc/hosts, "127.0.0.1", 4096) = 9)");
    EXPECT_EQ(out[4], R"([pid   671] read(3 -> /etc/hosts, "127.0.0.1", 4096) = 9)");
}

TEST_F(AnnotatorTest, PidLessProcessResumingItsCloneAfterTheChildRan) {
    // The child speaks first: it is the announced task, and the pid-less
    // process is the one resuming its clone. A socket, a pipe, vfork.
    auto out = run({
        "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5",
        "pipe2([6, 7], 0) = 0",
        "vfork( <unfinished ...>",
        "strace: Process 4001 attached",
        "[pid  4001] close(6) = 0",
        "[pid  4000] <... vfork resumed>) = 4001",
        R"([pid  4000] write(7, "x", 1) = 1)",
        "[pid  4000] close(5) = 0",
        "[pid  4001] +++ exited with 0 +++",
        R"(read(6, "x", 1) = 1)",
    });
    EXPECT_EQ(out[4], "[pid  4001] close(6 -> pipe read end) = 0");
    EXPECT_EQ(out[6], R"([pid  4000] write(7 -> pipe write end, "x", 1) = 1)");
    EXPECT_EQ(out[7], "[pid  4000] close(5 -> TCP) = 0");
    EXPECT_EQ(out[9], R"(read(6 -> pipe read end, "x", 1) = 1)")
        << "pid-less again once one task is left: still the first process";
}

TEST_F(AnnotatorTest, PidLessProcessWithoutAttachMessagesOrClone) {
    // strace -q -f -e trace=desc: no attach message, no clone line; the
    // first pid seen is the pid-less process (its JSON records carry it).
    auto out = run(
        {
            R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 4)",
            R"([pid 12] fstat(4, {st_mode=S_IFREG|0644, st_size=1}) = 0)",
            R"(read(4, "x", 1) = 1)",
        },
        OutputFormat::Json);
    EXPECT_NE(out[1].find(R"("fd":4,"role":"arg","kind":"file","path":"/etc/passwd")"),
              std::string::npos)
        << out[1];
    EXPECT_NE(out[2].find(R"("pid":12,)"), std::string::npos) << out[2];
    EXPECT_NE(out[2].find(R"("path":"/etc/passwd")"), std::string::npos) << out[2];
}

TEST_F(AnnotatorTest, PrefixedLogsAndPerPidFilesAreNotRelinked) {
    // Every line has a pid (strace -f -o): a new pid is a new process.
    auto out = run({
        R"(100 openat(AT_FDCWD, "/a", O_RDONLY) = 3)",
        R"(200 read(3, "x", 1) = 1)",
    });
    EXPECT_EQ(out[1], R"(200 read(3 -> inherited, "x", 1) = 1)");
    // A pid-less log whose second task was announced and never forked in it.
    auto announced = run({
        R"(openat(AT_FDCWD, "/a", O_RDONLY) = 3)",
        "Process 300 attached",
        R"([pid   300] read(3, "x", 1) = 1)",
        R"([pid   299] read(3, "x", 1) = 1)",
    });
    EXPECT_EQ(announced[2], R"([pid   300] read(3 -> inherited, "x", 1) = 1)");
    EXPECT_EQ(announced[3], R"([pid   299] read(3 -> /a, "x", 1) = 1)");
}

// strace -i (case 01): the instruction pointer between the leader and the call.
TEST_F(AnnotatorTest, InstructionPointerLinesAreAnnotated) {
    auto out = run({
        R"([00007f1e2a3b4c5d] openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3)",
        R"([00007f1e2a3b4c60] read(3, "127.0.0.1 localhost\n", 4096) = 20)",
        "[pid  4242] [00007f1e2a3b4c70] close(3) = 0",
        "12:00:00.000001 [b7f0c424] socket(PF_INET, SOCK_DGRAM, IPPROTO_IP) = 5",
        "[????????????????] +++ killed by SIGSEGV +++",
    });
    EXPECT_EQ(
        out[0],
        R"([00007f1e2a3b4c5d] openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3 -> /etc/hosts)");
    EXPECT_EQ(out[1],
              R"([00007f1e2a3b4c60] read(3 -> /etc/hosts, "127.0.0.1 localhost\n", 4096) = 20)");
    EXPECT_EQ(out[2], "[pid  4242] [00007f1e2a3b4c70] close(3 -> /etc/hosts) = 0");
    EXPECT_EQ(out[3],
              "12:00:00.000001 [b7f0c424] socket(PF_INET, SOCK_DGRAM, IPPROTO_IP) = 5 -> UDP");
    auto json = run({R"([00007f1e2a3b4c60] close(0) = 0)"}, OutputFormat::Json);
    EXPECT_NE(json[0].find(R"("event":"syscall","syscall":"close")"), std::string::npos) << json[0];
}

// -t/-tt/-ttt with -r (case 06).
TEST_F(AnnotatorTest, CombinedAbsoluteAndRelativeStampsAreAnnotated) {
    auto out = run({
        R"(20:37:49.050065 (+     0.000012) openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3 <0.000020>)",
        R"(20:37:49.050100 (+     0.000035) read(3, "x", 1) = 1 <0.000007>)",
        R"(21:58:50 (+     0.000048) connect(4, {sa_family=AF_UNIX, sun_path="/run/dbus/system_bus_socket"}, 30) = 0 <0.000024>)",
        "[pid  9] 1700000000.000001 (+     0.000001) close(3) = 0",
    });
    EXPECT_EQ(
        out[0],
        R"(20:37:49.050065 (+     0.000012) openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3 -> /etc/hosts <0.000020>)");
    EXPECT_EQ(out[1],
              R"(20:37:49.050100 (+     0.000035) read(3 -> /etc/hosts, "x", 1) = 1 <0.000007>)");
    EXPECT_EQ(
        out[2],
        R"(21:58:50 (+     0.000048) connect(4 -> inherited, {sa_family=AF_UNIX, sun_path="/run/dbus/system_bus_socket"}, 30) = 0 <0.000024>)");
    EXPECT_EQ(out[3], "[pid  9] 1700000000.000001 (+     0.000001) close(3 -> /etc/hosts) = 0");
}

// journald wrapping strace's stderr (case 18).
TEST_F(AnnotatorTest, JournaldPrefixedLinesAreAnnotated) {
    auto out = run({
        R"(May 17 21:36:42 myhost strace[1499]: openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3)",
        R"(May 17 21:36:42 myhost strace[1499]: read(3, "127.0.0.1", 4096) = 9)",
        R"(Maj  7 21:36:43 myhost strace[1499]: [pid  1500] dup2(3, 0) = 0)",
        "May 17 21:36:44 myhost systemd[1]: Stopped foo.service.",
    });
    EXPECT_EQ(
        out[0],
        R"(May 17 21:36:42 myhost strace[1499]: openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3 -> /etc/hosts)");
    EXPECT_EQ(
        out[1],
        R"(May 17 21:36:42 myhost strace[1499]: read(3 -> /etc/hosts, "127.0.0.1", 4096) = 9)");
    EXPECT_EQ(
        out[2],
        R"(Maj  7 21:36:43 myhost strace[1499]: [pid  1500] dup2(3 -> /etc/hosts, 0 -> inherited) = 0 -> /etc/hosts)");
    EXPECT_EQ(out[3], "May 17 21:36:44 myhost systemd[1]: Stopped foo.service.");
}

// 32-bit and old-ABI names (case 04): the fds sit where the 64-bit call has them.
TEST_F(AnnotatorTest, ThirtyTwoBitCallNamesNameTheirFds) {
    auto out = run({
        R"(open("/etc/hosts", O_RDONLY|O_LARGEFILE|O_CLOEXEC) = 4)",
        "fstat64(4, {st_mode=S_IFREG|0644, st_size=82, ...}) = 0",
        "mmap2(NULL, 4096, PROT_READ, MAP_PRIVATE, 4, 0) = 0xb7700000",
        "sendfile64(1, 4, NULL, 82) = 82",
        "fcntl64(4, F_GETFD) = 0x1 (flags FD_CLOEXEC)",
        "_llseek(4, 0, [0], SEEK_SET) = 0",
        "ftruncate64(4, 0) = 0",
        "fadvise64_64(4, 0, 0, POSIX_FADV_SEQUENTIAL) = 0",
        R"(fstatat64(4, "", {st_mode=S_IFREG|0644, st_size=82, ...}, AT_EMPTY_PATH) = 0)",
        "fstatfs64(4, 84, {f_type=EXT2_SUPER_MAGIC, f_bsize=4096}) = 0",
        "fchown32(4, 0, 0) = 0",
        R"(send(5, "x", 1, 0) = 1)",
        "fstat64(0, {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0x2), ...}) = 0",
        R"(read(0, "", 1) = 0)",
    });
    EXPECT_EQ(out[1], "fstat64(4 -> /etc/hosts, {st_mode=S_IFREG|0644, st_size=82, ...}) = 0");
    EXPECT_EQ(out[2], "mmap2(NULL, 4096, PROT_READ, MAP_PRIVATE, 4 -> /etc/hosts, 0) = 0xb7700000");
    EXPECT_EQ(out[3], "sendfile64(1 -> inherited, 4 -> /etc/hosts, NULL, 82) = 82");
    EXPECT_EQ(out[4], "fcntl64(4 -> /etc/hosts, F_GETFD) = 0x1 (flags FD_CLOEXEC)");
    EXPECT_EQ(out[5], "_llseek(4 -> /etc/hosts, 0, [0], SEEK_SET) = 0");
    EXPECT_EQ(out[6], "ftruncate64(4 -> /etc/hosts, 0) = 0");
    EXPECT_EQ(out[7], "fadvise64_64(4 -> /etc/hosts, 0, 0, POSIX_FADV_SEQUENTIAL) = 0");
    EXPECT_EQ(
        out[8],
        R"(fstatat64(4 -> /etc/hosts, "", {st_mode=S_IFREG|0644, st_size=82, ...}, AT_EMPTY_PATH) = 0)");
    EXPECT_EQ(out[9],
              "fstatfs64(4 -> /etc/hosts, 84, {f_type=EXT2_SUPER_MAGIC, f_bsize=4096}) = 0");
    EXPECT_EQ(out[10], "fchown32(4 -> /etc/hosts, 0, 0) = 0");
    EXPECT_EQ(out[11], R"(send(5 -> socket, "x", 1, 0) = 1)") << "only a socket sends";
    EXPECT_EQ(out[13], R"(read(0 -> /dev/pts/2, "", 1) = 0)") << "fstat64 reveals like fstat";
}

// strace 4.x spells socket()'s domain PF_* (case 02).
TEST_F(AnnotatorTest, Strace4ProtocolFamilyNamesGiveTheSocketKind) {
    auto out = run({
        "socket(PF_INET, SOCK_STREAM, IPPROTO_IP) = 3",
        "socket(PF_INET6, SOCK_DGRAM, IPPROTO_IP) = 4",
        "socket(PF_LOCAL, SOCK_STREAM|SOCK_CLOEXEC, 0) = 5",
        "socket(PF_NETLINK, SOCK_RAW, 0) = 6",
        "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 7",
        "socket(PF_FILE, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 8",
        "socket(PF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 9",
        "socket(PF_PACKET, SOCK_RAW, 768) = 10",
        "socketpair(PF_LOCAL, SOCK_STREAM, 0, [11, 12]) = 0",
        "socket(PF_INET, SOCK_RAW, IPPROTO_ICMP) = 13",
        R"(connect(5, {sa_family=AF_LOCAL, path="/dev/log"}, 110) = 0)",
        R"(send(5, "<13>hi", 6, MSG_NOSIGNAL) = 6)",
    });
    EXPECT_EQ(out[11], R"(send(5 -> UNIX-STREAM ?->/dev/log, "<13>hi", 6, MSG_NOSIGNAL) = 6)")
        << "4.x's path= is sun_path";
    EXPECT_EQ(out[0], "socket(PF_INET, SOCK_STREAM, IPPROTO_IP) = 3 -> TCP");
    EXPECT_EQ(out[1], "socket(PF_INET6, SOCK_DGRAM, IPPROTO_IP) = 4 -> UDPv6");
    EXPECT_EQ(out[2], "socket(PF_LOCAL, SOCK_STREAM|SOCK_CLOEXEC, 0) = 5 -> UNIX-STREAM");
    EXPECT_EQ(out[3], "socket(PF_NETLINK, SOCK_RAW, 0) = 6 -> NETLINK route");
    EXPECT_EQ(out[4], "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 7 -> TCP");
    EXPECT_EQ(out[5],
              "socket(PF_FILE, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 8 -> UNIX-DGRAM");
    EXPECT_EQ(out[6],
              "socket(PF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 9 -> NETLINK route");
    EXPECT_EQ(out[7], "socket(PF_PACKET, SOCK_RAW, 768) = 10 -> PACKET");
    EXPECT_EQ(out[8],
              "socketpair(PF_LOCAL, SOCK_STREAM, 0, [11 -> UNIX-STREAM, 12 -> UNIX-STREAM]) = 0");
    EXPECT_EQ(out[9], "socket(PF_INET, SOCK_RAW, IPPROTO_ICMP) = 13 -> RAW");
}

// Case 03: an inet address does not tell TCP from UDP.
TEST_F(AnnotatorTest, ConnectOnASocketOfUnknownTypeDoesNotClaimTcp) {
    auto out = run({
        "strace: Process 101 attached",
        "[pid   100] socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 3",
        R"([pid   101] connect(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("192.0.2.53")}, 16) = 0)",
        R"([pid   101] write(3, "\1\2", 2) = 2)",
        R"([pid   101] connect(7, {sa_family=AF_INET6, sin6_port=htons(123), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0)",
        R"([pid   101] sendto(7, "x", 1, 0, NULL, 0) = 1)",
        R"([pid   101] connect(8, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("192.0.2.10")}, 16) = -1 EINPROGRESS (Operation now in progress))",
        R"([pid   101] write(8, "x", 1) = 1)",
    });
    EXPECT_EQ(out[3], R"([pid   101] write(3 -> socket ?->192.0.2.53:53, "\1\2", 2) = 2)");
    EXPECT_EQ(out[5], R"([pid   101] sendto(7 -> socket ?->[::1]:123, "x", 1, 0, NULL, 0) = 1)");
    EXPECT_EQ(out[7], R"([pid   101] write(8 -> TCP ?->192.0.2.10:443, "x", 1) = 1)")
        << "only a stream socket answers EINPROGRESS";
    auto v6 = run({
        "socket(PF_INET6, SOCK_DGRAM, IPPROTO_IP) = 3",
        R"(connect(3, {sa_family=AF_INET6, sin6_port=htons(123), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_flowinfo=0, sin6_scope_id=0}, 28) = 0)",
        R"(write(3, "x", 1) = 1)",
    });
    EXPECT_EQ(v6[2], R"(write(3 -> UDPv6 ?->[::1]:123, "x", 1) = 1)");
    auto json = run(
        {R"(connect(9, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("192.0.2.53")}, 16) = 0)",
         R"(write(9, "x", 1) = 1)"},
        OutputFormat::Json);
    EXPECT_NE(json[1].find(R"("kind":"socket","remote":"192.0.2.53:53","source")"),
              std::string::npos)
        << json[1];
}

// Case 07: connect(AF_UNSPEC) dissolves a datagram socket's association.
TEST_F(AnnotatorTest, ConnectToAfUnspecForgetsThePeer) {
    auto out = run({
        "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3",
        R"(connect(3, {sa_family=AF_INET, sin_port=htons(123), sin_addr=inet_addr("192.0.2.123")}, 16) = 0)",
        R"(connect(3, {sa_family=AF_UNSPEC, sa_data="\0\0\0\0\0\0\0\0\0\0\0\0\0\0"}, 16) = 0)",
        R"(sendto(3, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(123), sin_addr=inet_addr("198.51.100.7")}, 16) = 1)",
        "socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 4",
        R"(connect(4, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::53", &sin6_addr), sin6_scope_id=0}, 28) = 0)",
        "connect(4, {sa_family=AF_UNSPEC}, 16) = 0",
        R"(sendto(4, "x", 1, 0, NULL, 0) = 1)",
        "socket(AF_UNIX, SOCK_DGRAM, 0) = 5",
        R"(connect(5, {sa_family=AF_UNIX, sun_path="/dev/log"}, 10) = 0)",
        "connect(5, {sa_family=AF_UNSPEC}, 2) = 0",
        R"(sendto(5, "x", 1, 0, NULL, 0) = 1)",
    });
    EXPECT_EQ(
        out[3],
        R"(sendto(3 -> UDP, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(123), sin_addr=inet_addr("198.51.100.7")}, 16) = 1)");
    EXPECT_EQ(out[7], R"(sendto(4 -> UDPv6, "x", 1, 0, NULL, 0) = 1)");
    EXPECT_EQ(out[11], R"(sendto(5 -> UNIX-DGRAM, "x", 1, 0, NULL, 0) = 1)");
}

// Case 08: a non-blocking connect ends with SO_ERROR, or with data moving.
TEST_F(AnnotatorTest, NonBlockingConnectSettlesOnSoErrorOrData) {
    std::vector<std::string> lines = {
        "socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 5",
        R"(connect(5, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("192.0.2.10")}, 16) = -1 EINPROGRESS (Operation now in progress))",
        "poll([{fd=5, events=POLLOUT}], 1, 1000) = 1 ([{fd=5, revents=POLLOUT}])",
        "getsockopt(5, SOL_SOCKET, SO_ERROR, [0], [4]) = 0",
        R"(sendto(5, "GET / HTTP/1.1\r\n", 16, MSG_NOSIGNAL, NULL, 0) = 16)",
    };
    auto json = run(lines, OutputFormat::Json);
    EXPECT_NE(json[2].find(R"("state":"SYN_SENT")"), std::string::npos) << json[2];
    EXPECT_NE(json[3].find(R"("state":"ESTABLISHED")"), std::string::npos) << json[3];
    EXPECT_NE(json[4].find(R"("state":"ESTABLISHED")"), std::string::npos) << json[4];

    auto refused = run({
        lines[0],
        lines[1],
        "getsockopt(5, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0",
        "close(5) = 0",
    });
    EXPECT_EQ(refused[3], "close(5 -> TCP ?->192.0.2.10:443 (ECONNREFUSED)) = 0");
    auto refused_json =
        run({lines[0], lines[1], "getsockopt(5, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0"},
            OutputFormat::Json);
    EXPECT_NE(refused_json[2].find(R"("state":"CLOSE","error":"ECONNREFUSED")"), std::string::npos)
        << refused_json[2];

    // IPv6, and the first data moving (recvmsg) instead of SO_ERROR.
    auto data = run(
        {
            "socket(AF_INET6, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 6",
            R"(connect(6, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 EINPROGRESS (Operation now in progress))",
            R"(recvmsg(6, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="HTTP", iov_len=4}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 4)",
        },
        OutputFormat::Json);
    EXPECT_NE(data[2].find(R"("state":"ESTABLISHED")"), std::string::npos) << data[2];
}

// Case 11: fds from before the log, named by what the call itself shows.
TEST_F(AnnotatorTest, KindEvidentFromTheCallItself) {
    auto out = run({
        "epoll_wait(5, [{EPOLLIN, {u32=4, u64=4}}], 1024, -1) = 1",
        R"(accept(4, {sa_family=AF_INET, sin_port=htons(44376), sin_addr=inet_addr("192.0.2.112")}, [16]) = 9)",
        "setsockopt(6, SOL_TCP, TCP_NODELAY, [1], 4) = 0",
        R"(recvmsg(7, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12, msg_iov=[{iov_base="\24\0\0\0", iov_len=4096}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 20)",
        R"(recvfrom(11, "RTPS", 65500, 0, {sa_family=AF_INET, sin_port=htons(58901), sin_addr=inet_addr("10.0.0.5")}, [28 => 16]) = 4)",
        "ioctl(0, TCGETS, {B38400 opost isig icanon echo ...}) = 0",
        R"(write(6, "x", 1) = 1)",
        "epoll_pwait(5, [], 1024, 0, NULL, 8) = 0",
        "getsockopt(12, SOL_SOCKET, SO_TYPE, [SOCK_DGRAM], [4]) = 0",
        R"(recvfrom(13, "x", 1, 0, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, [28]) = 1)",
        R"(accept4(14, {sa_family=AF_UNIX}, [110 => 2], SOCK_CLOEXEC) = 15)",
        "shutdown(16, SHUT_WR) = 0",
        R"(sendto(17, "x", 1, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(514), sin_addr=inet_addr("192.0.2.9")}, 16) = 1)",
        R"(sendto(18, "x", 1, MSG_FASTOPEN, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("192.0.2.9")}, 16) = 1)",
        "setsockopt(19, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
        "setsockopt(20, SOL_TCP, TCP_NODELAY, [1], 4) = -1 ENOTSOCK (Socket operation on "
        "non-socket)",
    });
    EXPECT_EQ(out[0], "epoll_wait(5 -> [eventpoll], [{EPOLLIN, {u32=4, u64=4}}], 1024, -1) = 1");
    EXPECT_EQ(
        out[1],
        R"(accept(4 -> TCP (LISTEN), {sa_family=AF_INET, sin_port=htons(44376), sin_addr=inet_addr("192.0.2.112")}, [16]) = 9 -> TCP ?->192.0.2.112:44376)");
    EXPECT_EQ(out[2], "setsockopt(6 -> TCP, SOL_TCP, TCP_NODELAY, [1], 4) = 0");
    EXPECT_TRUE(out[3].starts_with("recvmsg(7 -> NETLINK, {msg_name=")) << out[3];
    EXPECT_TRUE(out[4].starts_with(R"(recvfrom(11 -> UDP, "RTPS")")) << out[4];
    EXPECT_EQ(out[5], "ioctl(0 -> chr, TCGETS, {B38400 opost isig icanon echo ...}) = 0");
    EXPECT_EQ(out[6], R"(write(6 -> TCP, "x", 1) = 1)") << "later lines keep what was learned";
    EXPECT_EQ(out[7], "epoll_pwait(5 -> [eventpoll], [], 1024, 0, NULL, 8) = 0");
    EXPECT_EQ(out[8], "getsockopt(12 -> socket, SOL_SOCKET, SO_TYPE, [SOCK_DGRAM], [4]) = 0")
        << "a datagram socket of any family";
    EXPECT_TRUE(out[9].starts_with(R"(recvfrom(13 -> UDPv6, "x")")) << out[9];
    EXPECT_EQ(out[10],
              "accept4(14 -> UNIX-STREAM (LISTEN), {sa_family=AF_UNIX}, [110 => 2], SOCK_CLOEXEC) "
              "= 15 -> "
              "UNIX-STREAM");
    EXPECT_EQ(out[11], "shutdown(16 -> socket, SHUT_WR) = 0");
    EXPECT_TRUE(out[12].starts_with(R"(sendto(17 -> UDP, "x")")) << out[12];
    EXPECT_TRUE(out[13].starts_with(R"(sendto(18 -> socket, "x")"))
        << out[13] << "TCP Fast Open sends to an address too";
    EXPECT_EQ(out[14], "setsockopt(19 -> socket, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
    EXPECT_EQ(out[15],
              "setsockopt(20 -> inherited, SOL_TCP, TCP_NODELAY, [1], 4) = -1 ENOTSOCK (Socket "
              "operation on non-socket)");
}

// Case 10's kind: every ioctl only a terminal answers names a terminal, not
// only TCGETS (bash's TIOCGPGRP, ls's TIOCGWINSZ, strace's "X or TCSETS"
// spelling); one a socket or pipe answers too, or a failed one, does not. A
// later fstat gives the terminal its path from st_rdev (pty majors 136-143).
TEST_F(AnnotatorTest, TerminalOnlyIoctlsNameATerminal) {
    auto out = run({
        "ioctl(2, TIOCGPGRP, [23898]) = 0",
        "ioctl(3, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0",
        "ioctl(4, SNDCTL_TMR_START or TCSETS, {c_iflag=ICRNL|IXON}) = 0",
        "ioctl(5, TIOCOUTQ, [0]) = 0",
        "ioctl(6, FIONREAD, [12]) = 0",
        "ioctl(7, TIOCGWINSZ, 0x7ffd8d7b6f30) = -1 ENOTTY (Inappropriate ioctl for device)",
        R"(newfstatat(2, "", {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0x3), ...}, AT_EMPTY_PATH) = 0)",
        "write(2, \"x\", 1) = 1",
        "fstat(3, {st_mode=S_IFCHR|0620, st_rdev=makedev(0x89, 0x2), ...}) = 0",
        "fstat(4, {st_mode=S_IFREG|0644, st_size=3, ...}) = 0",
        R"(statx(8, "", AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH, STATX_ALL, {stx_mask=STATX_BASIC_STATS, stx_attributes=0, stx_mode=S_IFCHR|0620, stx_size=0, stx_rdev_major=136, stx_rdev_minor=7, ...}) = 0)",
        // -X raw and -X verbose (a fresh user's recordings of stty size)
        "ioctl(10, 0x5401, {c_iflag=0x500, c_oflag=0x5, c_cflag=0xbf, c_lflag=0x8a3b, ...}) = 0",
        "ioctl(11, 0x5413 /* TIOCGWINSZ */, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0",
        "ioctl(12, 0x541b, [0]) = 0",
        R"(newfstatat(10, "", {st_mode=020600, st_rdev=0x8800, ...}, 0x1000) = 0)",
        R"(newfstatat(11, "", {st_mode=020620 /* S_IFCHR|0620 */, st_rdev=0x8801 /* makedev(0x88, 0x1) */, ...}, 0x1000 /* AT_EMPTY_PATH */) = 0)",
        R"(newfstatat(13, "", {st_mode=0100644, st_size=3, ...}, 0x1000) = 0)",
    });
    EXPECT_EQ(out[0], "ioctl(2 -> chr, TIOCGPGRP, [23898]) = 0");
    EXPECT_TRUE(out[1].starts_with("ioctl(3 -> chr, TIOCGWINSZ")) << out[1];
    EXPECT_TRUE(out[2].starts_with("ioctl(4 -> chr, SNDCTL_TMR_START or TCSETS")) << out[2];
    EXPECT_TRUE(out[3].starts_with("ioctl(5 -> inherited, TIOCOUTQ")) << out[3] << "SIOCOUTQ too";
    EXPECT_TRUE(out[4].starts_with("ioctl(6 -> inherited, FIONREAD")) << out[4];
    EXPECT_TRUE(out[5].starts_with("ioctl(7 -> inherited, TIOCGWINSZ")) << out[5];
    EXPECT_TRUE(out[6].starts_with("newfstatat(2 -> /dev/pts/3, ")) << out[6];
    EXPECT_EQ(out[7], "write(2 -> /dev/pts/3, \"x\", 1) = 1");
    EXPECT_TRUE(out[8].starts_with("fstat(3 -> /dev/pts/258, ")) << out[8];
    EXPECT_TRUE(out[9].starts_with("fstat(4 -> chr, ")) << out[9] << "a terminal stays one";
    EXPECT_TRUE(out[10].starts_with("statx(8 -> /dev/pts/7, ")) << out[10];
    EXPECT_TRUE(out[11].starts_with("ioctl(10 -> chr, 0x5401,")) << out[11];
    EXPECT_TRUE(out[12].starts_with("ioctl(11 -> chr, 0x5413 /* TIOCGWINSZ */")) << out[12];
    EXPECT_TRUE(out[13].starts_with("ioctl(12 -> inherited, 0x541b")) << out[13] << "FIONREAD";
    EXPECT_TRUE(out[14].starts_with("newfstatat(10 -> /dev/pts/0, ")) << out[14];
    EXPECT_TRUE(out[15].starts_with("newfstatat(11 -> /dev/pts/1, ")) << out[15];
    EXPECT_TRUE(out[16].starts_with("newfstatat(13 -> file, ")) << out[16];
}

// /proc/mounts and /proc/net lead into /proc/self: the kernel (and strace
// -y) names what was opened through them by the process's own directory.
TEST_F(AnnotatorTest, ProcLinksIntoSelfNameTheProcess) {
    auto out = run({
        R"(41 openat(AT_FDCWD, "/proc/mounts", O_RDONLY) = 3)",
        R"(41 openat(AT_FDCWD, "/proc/net/unix", O_RDONLY) = 4)",
        R"(41 openat(AT_FDCWD, "/proc/network", O_RDONLY) = -1 ENOENT (No such file or directory))",
        R"(41 openat(AT_FDCWD, "/proc/self/net/tcp", O_RDONLY) = 5)",
    });
    EXPECT_TRUE(out[0].ends_with("= 3 -> /proc/41/mounts")) << out[0];
    EXPECT_TRUE(out[1].ends_with("= 4 -> /proc/41/net/unix")) << out[1];
    EXPECT_TRUE(out[3].ends_with("= 5 -> /proc/41/net/tcp")) << out[3];
}

// lsof and fuser read /proc/N/fd/M of other processes: when N is a process
// of the log, that names N's fd M (and, across fork, what N shares).
TEST_F(AnnotatorTest, ReadlinkOfAnotherProcessesFdNamesIt) {
    auto out = run({
        "50 clone(child_stack=NULL, flags=SIGCHLD) = 51",
        R"(51 write(2, "x", 1) = 1)",
        R"(52 readlink("/proc/51/fd/2", "/dev/pts/4", 4096) = 10)",
        R"(51 write(2, "y", 1) = 1)",
        R"(50 write(2, "z", 1) = 1)",
        R"(52 readlink("/proc/999/fd/1", "/dev/pts/9", 4096) = 10)",
        R"(52 readlink("/proc/51/fdinfo/1", "/x", 4096) = 2)",
        R"(52 write(1, "w", 1) = 1)",
        R"(52 readlink("/proc/self/fd/0", "/dev/pts/2", 4096) = 10)",
        R"(52 read(0, "", 1) = 0)",
        "50 ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0",
        R"(52 readlink("/proc/50/fd/1", "/dev/pts/1", 4096) = 10)",
        R"(50 write(1, "v", 1) = 1)",
    });
    EXPECT_EQ(out[9], R"(52 read(0 -> /dev/pts/2, "", 1) = 0)");
    EXPECT_EQ(out[12], R"(50 write(1 -> /dev/pts/1, "v", 1) = 1)")
        << "a terminal known by its ioctl takes the path";
    EXPECT_EQ(out[3], R"(51 write(2 -> /dev/pts/4, "y", 1) = 1)");
    EXPECT_EQ(out[4], R"(50 write(2 -> /dev/pts/4, "z", 1) = 1)")
        << "the parent's, from before the fork";
    EXPECT_EQ(out[7], R"(52 write(1 -> inherited, "w", 1) = 1)") << "pid 999 is not in the log";
}

// What a fresh user found in readlink reveals: a file an fstat showed only
// the type of takes the path; /proc/self of a thread is its process's; task
// paths, a relative link after cd /proc/PID/fd and lines without a pid name
// their fd; a target as long as the buffer may be cut short and names none.
TEST_F(AnnotatorTest, ReadlinkRevealsInEveryForm) {
    auto out = run({
        "300 fstat(3, {st_mode=S_IFREG|0644, st_size=10, ...}) = 0",
        R"(300 readlink("/proc/self/fd/3", "/etc/hosts", 100) = 10)",
        R"(300 read(3, "x", 1) = 1)",
        "300 clone(child_stack=0x7f00, "
        "flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM) = 302",
        R"(302 openat(AT_FDCWD, "/proc/mounts", O_RDONLY) = 4)",
        R"(302 openat(AT_FDCWD, "/proc/thread-self/status", O_RDONLY) = 5)",
        R"(302 readlink("/proc/300/task/302/fd/6", "/etc/group", 100) = 10)",
        R"(302 read(6, "x", 1) = 1)",
        R"(302 readlink("/proc/thread-self/fd/7", "/etc/motd", 100) = 9)",
        R"(300 read(7, "x", 1) = 1)",
        R"(300 chdir("/proc/300/fd") = 0)",
        R"(300 readlink("8", "/etc/passwd", 65) = 11)",
        R"(300 read(8, "x", 1) = 1)",
        R"(300 readlink("/proc/self/fd/9", "/dev", 4) = 4)",
        R"(300 read(9, "x", 1) = 1)",
    });
    EXPECT_EQ(out[2], R"(300 read(3 -> /etc/hosts, "x", 1) = 1)");
    EXPECT_TRUE(out[4].ends_with("= 4 -> /proc/300/mounts")) << out[4];
    EXPECT_TRUE(out[5].ends_with("= 5 -> /proc/300/task/302/status")) << out[5];
    EXPECT_EQ(out[7], R"(302 read(6 -> /etc/group, "x", 1) = 1)");
    EXPECT_EQ(out[9], R"(300 read(7 -> /etc/motd, "x", 1) = 1)");
    EXPECT_EQ(out[12], R"(300 read(8 -> /etc/passwd, "x", 1) = 1)");
    EXPECT_EQ(out[14], R"(300 read(9 -> inherited, "x", 1) = 1)") << "maybe cut short";

    auto pidless = run({
        R"(readlink("/proc/self/fd/4", "/var/log/syslog", 4096) = 15)",
        R"(write(4, "x", 1) = 1)",
    });
    EXPECT_EQ(pidless[1], R"(write(4 -> /var/log/syslog, "x", 1) = 1)");
}

// glibc's openpty: the slave comes from ioctl(master, TIOCGPTPEER), a new
// fd of the log, /dev/pts/N after TIOCGPTN told N (strace -yy's "= 4</dev/pts/0<char 136:0>>").
TEST_F(AnnotatorTest, TiocgptpeerReturnsThePtySlave) {
    auto out = run({
        R"(openat(AT_FDCWD, "/dev/ptmx", O_RDWR|O_NOCTTY) = 3)",
        "ioctl(3, TIOCSPTLCK, [0]) = 0",
        "ioctl(3, TIOCGPTN, [5]) = 0",
        "ioctl(3, TIOCGPTPEER, O_RDWR|O_NOCTTY) = 4",
        "ioctl(4, FIOCLEX) = 0",
        "ioctl(3, 0x5441, 0x102) = 6",
        "ioctl(9, TIOCGPTPEER, O_RDWR|O_NOCTTY) = 10",
        R"(write(10, "x", 1) = 1)",
        "ioctl(3, TIOCGPTPEER, O_RDWR) = -1 EIO (Input/output error)",
        "ioctl(13, TIOCGPTN, [7]) = 0",
        "ioctl(14, TCGETS2, {c_iflag=ICRNL}) = 0",
    });
    EXPECT_EQ(out[9], "ioctl(13 -> /dev/ptmx, TIOCGPTN, [7]) = 0") << "only a master answers";
    EXPECT_EQ(out[10], "ioctl(14 -> chr, TCGETS2, {c_iflag=ICRNL}) = 0");
    EXPECT_EQ(out[3], "ioctl(3 -> /dev/ptmx, TIOCGPTPEER, O_RDWR|O_NOCTTY) = 4 -> /dev/pts/5");
    EXPECT_EQ(out[4], "ioctl(4 -> /dev/pts/5, FIOCLEX) = 0");
    EXPECT_EQ(out[5], "ioctl(3 -> /dev/ptmx, 0x5441, 0x102) = 6 -> /dev/pts/5") << "-X raw";
    EXPECT_EQ(out[6], "ioctl(9 -> chr, TIOCGPTPEER, O_RDWR|O_NOCTTY) = 10 -> chr");
    EXPECT_EQ(out[7], R"(write(10 -> chr, "x", 1) = 1)") << "made in the log, not inherited";
    EXPECT_EQ(out[8], "ioctl(3 -> /dev/ptmx, TIOCGPTPEER, O_RDWR) = -1 EIO (Input/output error)");
}

// Only a namespace fd answers the nsfs ioctls (ENOTTY elsewhere):
// NS_GET_NSTYPE says its type, NS_GET_USERNS and NS_GET_PARENT return new
// namespace fds (strace -yy: "= 4<user:[4026531837]>"); a fresh recording
// showed fd 4 as the file a closed fd 4 had been. setns(fd, 0) takes any
// namespace fd; with two types or more only a pidfd; with one, either.
TEST_F(AnnotatorTest, NsfsIoctlsAndSetnsNameNamespaceFds) {
    auto out = run({
        R"(openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 4)",
        "close(4) = 0",
        R"(openat(AT_FDCWD, "/proc/self/ns/net", O_RDONLY|O_CLOEXEC) = 3)",
        "ioctl(3, NS_GET_USERNS) = 4",
        "ioctl(4, NS_GET_NSTYPE) = 268435456 (CLONE_NEWUSER)",
        "ioctl(4, NS_GET_PARENT) = -1 EPERM (Operation not permitted)",
        "ioctl(7, NS_GET_NSTYPE) = 1073741824 (CLONE_NEWNET)",
        "ioctl(8, 0xb701) = 9",
        "ioctl(10, 0xb703 /* NS_GET_NSTYPE */) = 131072",
        "ioctl(11, NS_GET_OWNER_UID, [0]) = 0",
        "ioctl(12, NS_GET_NSTYPE) = -1 ENOTTY (Inappropriate ioctl for device)",
        "setns(13, 0) = 0",
        "setns(14, CLONE_NEWNET|CLONE_NEWUTS) = 0",
        "setns(15, CLONE_NEWNET) = 0",
        "setns(16, 0x40000000|0x4000000) = 0",
        "ioctl(17, NS_GET_PARENT) = 18",
        "ioctl(17, NS_GET_NSTYPE) = 536870912 (CLONE_NEWPID)",
        "ioctl(19, _IOC(_IOC_NONE, 0xb7, 0x1, 0), 0) = 20",
    });
    EXPECT_EQ(out[17],
              "ioctl(19 -> namespace, _IOC(_IOC_NONE, 0xb7, 0x1, 0), 0) = 20 -> user namespace")
        << "strace's spelling of a request it has no name for";
    EXPECT_TRUE(out[3].ends_with("NS_GET_USERNS) = 4 -> user namespace")) << out[3];
    EXPECT_EQ(out[4], "ioctl(4 -> user namespace, NS_GET_NSTYPE) = 268435456 (CLONE_NEWUSER)");
    EXPECT_EQ(out[6], "ioctl(7 -> net namespace, NS_GET_NSTYPE) = 1073741824 (CLONE_NEWNET)");
    EXPECT_EQ(out[7], "ioctl(8 -> namespace, 0xb701) = 9 -> user namespace") << "-X raw";
    EXPECT_EQ(out[8], "ioctl(10 -> mnt namespace, 0xb703 /* NS_GET_NSTYPE */) = 131072");
    EXPECT_EQ(out[9], "ioctl(11 -> namespace, NS_GET_OWNER_UID, [0]) = 0");
    EXPECT_EQ(out[10],
              "ioctl(12 -> inherited, NS_GET_NSTYPE) = -1 ENOTTY (Inappropriate ioctl for device)");
    EXPECT_EQ(out[11], "setns(13 -> namespace, 0) = 0");
    EXPECT_EQ(out[12], "setns(14 -> pidfd, CLONE_NEWNET|CLONE_NEWUTS) = 0");
    EXPECT_EQ(out[13], "setns(15 -> inherited, CLONE_NEWNET) = 0") << "a namespace or a pidfd";
    EXPECT_EQ(out[14], "setns(16 -> pidfd, 0x40000000|0x4000000) = 0");
    EXPECT_EQ(out[15], "ioctl(17 -> namespace, NS_GET_PARENT) = 18 -> namespace")
        << "its type is not known yet";
    EXPECT_EQ(out[16], "ioctl(17 -> pid namespace, NS_GET_NSTYPE) = 536870912 (CLONE_NEWPID)");
}

// Namespace fds (setns, ip netns, nsenter): strace -y's "net:[4026531840]",
// a readlink's, and opens of /proc/PID/ns/TYPE and /run/netns/NAME.
TEST_F(AnnotatorTest, NamespaceFds) {
    auto out = run({
        "setns(25<net:[4026531840]>, CLONE_NEWNET) = 0",
        R"(readlink("/proc/self/fd/26", "mnt:[4026531841]", 100) = 16)",
        "setns(26, CLONE_NEWNS) = 0",
        R"(openat(AT_FDCWD, "/proc/self/ns/net", O_RDONLY) = 27)",
        R"(openat(AT_FDCWD, "/run/netns/blue", O_RDONLY|O_CLOEXEC) = 28)",
        R"(openat(AT_FDCWD, "/proc/42/task/43/ns/pid_for_children", O_RDONLY) = 29)",
        R"(openat(AT_FDCWD, "/proc/42/ns/bogus", O_RDONLY) = 30)",
        R"(openat(AT_FDCWD, "/run/netns/blue/x", O_RDONLY) = 31)",
    });
    EXPECT_EQ(out[0], "setns(25<net:[4026531840]>, CLONE_NEWNET) = 0");
    EXPECT_EQ(out[2], "setns(26 -> mnt:[4026531841], CLONE_NEWNS) = 0");
    EXPECT_TRUE(out[3].ends_with("= 27 -> net namespace")) << out[3];
    EXPECT_TRUE(out[4].ends_with("= 28 -> net namespace")) << out[4];
    EXPECT_TRUE(out[5].ends_with("= 29 -> pid namespace")) << out[5] << ": the kernel's link";
    EXPECT_TRUE(out[6].ends_with("= 30 -> /proc/42/ns/bogus")) << out[6];
    EXPECT_TRUE(out[7].ends_with("= 31 -> /run/netns/blue/x")) << out[7];
}

// strace -p attached while a server blocked in accept4: the call's first
// half is not in the log, but the fd it returns is made on that line.
TEST_F(AnnotatorTest, AnFdReturnedByACallStartedBeforeTheLogIsNew) {
    auto out = run({
        R"(100 <... accept4 resumed>{sa_family=AF_INET, sin_port=htons(5555), sin_addr=inet_addr("10.0.0.8")}, [16], SOCK_CLOEXEC) = 9)",
        R"(100 read(9, "x", 1) = 1)",
        "100 <... openat resumed>) = 10",
        R"(100 read(10, "x", 1) = 1)",
        "101 <... epoll_create1 resumed>) = 11",
        "102 <... accept resumed>{sa_family=AF_UNIX}, [110 => 2]) = 12",
        "103 <... accept4 resumed>NULL, NULL, SOCK_CLOEXEC) = 13",
        "103 <... accept4 resumed>NULL, NULL, SOCK_CLOEXEC) = -1 EAGAIN (Resource temporarily "
        "unavailable)",
        R"(103 read(14, "x", 1) = 1)",
        "104 <... pipe2 resumed>[15, 16], O_CLOEXEC) = 0",
        "104 <... socketpair resumed>[5, 6]) = 0",
        R"(104 read(5, "x", 1) = 1)",
        R"(104 <... recvmsg resumed>{msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="x", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[18]}], msg_controllen=24, msg_flags=0}, 0) = 1)",
        R"(104 read(18, "", 1) = 0)",
        "104 <... memfd_create resumed>) = 11",
        "104 <... pidfd_open resumed>) = 12",
    });
    EXPECT_EQ(out[9],
              "104 <... pipe2 resumed>[15 -> pipe read end, 16 -> pipe write end], O_CLOEXEC) = 0");
    EXPECT_EQ(out[11], R"(104 read(5 -> UNIX, "x", 1) = 1)");
    EXPECT_EQ(out[13], R"(104 read(18 -> received, "", 1) = 0)");
    EXPECT_TRUE(out[14].ends_with("= 11 -> memfd")) << out[14];
    EXPECT_TRUE(out[15].ends_with("= 12 -> pidfd")) << out[15];
    EXPECT_TRUE(out[0].ends_with("= 9 -> TCP ?->10.0.0.8:5555")) << out[0];
    EXPECT_EQ(out[1], R"(100 read(9 -> TCP ?->10.0.0.8:5555, "x", 1) = 1)");
    EXPECT_EQ(out[3], R"(100 read(10 -> ?, "x", 1) = 1)") << "made here, path unknown";
    EXPECT_TRUE(out[4].ends_with("= 11 -> [eventpoll]")) << out[4];
    EXPECT_TRUE(out[5].ends_with("= 12 -> UNIX-STREAM")) << out[5];
    EXPECT_TRUE(out[6].ends_with("= 13 -> socket")) << out[6];
    EXPECT_EQ(out[8], R"(103 read(14 -> inherited, "x", 1) = 1)");
}

// strace -f -p of a threaded process: "attached with 2 threads", then a pid
// never cloned in the log is the other thread, with the leader's fd table.
// Two groups waiting at once (several -p) would be a guess: each stays apart.
TEST_F(AnnotatorTest, ThreadsAttachedTogetherShareTheirFds) {
    auto out = run({
        "strace: Process 5167 attached with 2 threads",
        R"([pid  5233] futex(0x7f63, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>)",
        R"([pid  5167] openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3)",
        R"([pid  5233] <... futex resumed>) = 0)",
        R"([pid  5233] read(3, "vm\n", 10) = 3)",
        "strace: Process 600 attached with 2 threads",
        "strace: Process 700 attached with 3 threads",
        R"([pid   601] read(3, "x", 1) = 1)",
    });
    EXPECT_EQ(out[4], R"([pid  5233] read(3 -> /etc/hostname, "vm\n", 10) = 3)");
    EXPECT_EQ(out[7], R"([pid   601] read(3 -> inherited, "x", 1) = 1)");
}

// Case 09: a number the log closed, that exec dropped or that EBADF proved
// not open is never "inherited".
TEST_F(AnnotatorTest, ClosedOrNotOpenFdsAreNotInherited) {
    auto out = run({
        R"(openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3)",
        "close(3) = 0",
        R"(read(3, "x", 1) = 1)",
        "fcntl(255, F_GETFD) = -1 EBADF (Bad file descriptor)",
        "dup2(2, 255) = 255",
        R"(write(255, "x", 1) = 1)",
        "fstat(9, 0x7ffd) = -1 EBADF (Bad file descriptor)",
        "fstat(9, 0x7ffd) = -1 EBADF (Bad file descriptor)",
        R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3)",
        R"(read(3, "x", 1) = 1)",
        "close(4) = 0",
        "fcntl64(4, F_GETFL) = -1 EBADF (Bad file descriptor)",
        "sendfile(1, 7, NULL, 10) = -1 EBADF (Bad file descriptor)",
    });
    // The read succeeded: a call the log does not show (strace -e trace=)
    // made a new fd 3.
    EXPECT_EQ(out[2],
              R"(read(3 -> ? (closed at line 2; reopened by a call not in the log), "x", 1) = 1)");
    EXPECT_EQ(out[3], "fcntl(255 -> not open, F_GETFD) = -1 EBADF (Bad file descriptor)");
    EXPECT_EQ(out[4], "dup2(2 -> inherited, 255 -> not open) = 255 -> dup of fd 2 (inherited)");
    EXPECT_EQ(out[5], R"(write(255 -> dup of fd 2 (inherited), "x", 1) = 1)");
    EXPECT_EQ(out[7], "fstat(9 -> not open, 0x7ffd) = -1 EBADF (Bad file descriptor)");
    EXPECT_EQ(out[9], R"(read(3 -> /etc/passwd, "x", 1) = 1)") << "a new file takes the number";
    EXPECT_EQ(out[10], "close(4 -> inherited) = 0") << "closing an fd from before the log";
    EXPECT_EQ(out[11],
              "fcntl64(4 -> ? (closed at line 11), F_GETFL) = -1 EBADF (Bad file descriptor)");
    EXPECT_EQ(out[12],
              "sendfile(1 -> inherited, 7 -> inherited, NULL, 10) = -1 EBADF (Bad file descriptor)")
        << "two fds: which one is not open is unknown";

    auto json = run({"close(3) = 0", "read(3, \"x\", 1) = 1"}, OutputFormat::Json);
    EXPECT_NE(
        json[1].find(
            R"json("fd":3,"role":"arg","kind":"unknown","source":"log","text":"? (closed at line 1; reopened by a call not in the log)")json"),
        std::string::npos)
        << json[1];
}

// Case 09 (c): what exec dropped, in a child and after a vfork-style shared table.
TEST_F(AnnotatorTest, CloseOnExecDropsAreNamedAsSuch) {
    auto out = run({
        R"(memfd_create("runc_cloned:/proc/self/exe", MFD_CLOEXEC|MFD_ALLOW_SEALING) = 5)",
        R"(openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 6)",
        R"(execve("/proc/self/fd/5", ["runc", "init"], [/* 4 vars */]) = 0)",
        R"(read(6, "x", 1) = 1)",
        R"(read(5, "x", 1) = -1 EBADF (Bad file descriptor))",
    });
    EXPECT_EQ(out[3], R"(read(6 -> /etc/hosts, "x", 1) = 1)");
    EXPECT_EQ(out[4],
              R"(read(5 -> ? (closed on exec, line 3), "x", 1) = -1 EBADF (Bad file descriptor))");
    auto child = run({
        "10 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4",
        "10 fork() = 11",
        R"(11 execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0)",
        R"(11 write(4, "x", 1) = -1 EBADF (Bad file descriptor))",
        R"(10 write(4, "x", 1) = 1)",
    });
    EXPECT_EQ(
        child[3],
        R"(11 write(4 -> ? (closed on exec, line 3), "x", 1) = -1 EBADF (Bad file descriptor))");
    EXPECT_EQ(child[4], R"(10 write(4 -> TCP, "x", 1) = 1)") << "the parent's copy stays";
}

// Case 14: what connect() taught (the kind, the port) shows even when the
// host could not be read.
TEST_F(AnnotatorTest, ConnectWithUnreadableHostKeepsKindAndPort) {
    auto out = run({
        R"(connect(5, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("")}, 16) = -1 EINPROGRESS (Operation now in progress))",
        R"(write(5, "\26\3\1", 3) = 3)",
        "socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 6",
        R"(connect(6, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "", &sin6_addr), sin6_scope_id=0}, 28) = 0)",
        R"(sendto(6, "x", 1, 0, NULL, 0) = 1)",
        "connect(7, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"\")}, 16) = 0",
        R"(write(7, "x", 1) = 1)",
    });
    EXPECT_TRUE(out[1].starts_with(R"(write(5 -> TCP ?->?:443, )")) << out[1];
    EXPECT_TRUE(out[4].starts_with(R"(sendto(6 -> UDPv6 ?->?:53, )")) << out[4];
    EXPECT_TRUE(out[6].starts_with(R"(write(7 -> socket, )")) << out[6];
    auto json = run(
        {R"(connect(5, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("")}, 16) = -1 EINPROGRESS (Operation now in progress))",
         R"(write(5, "\26\3\1", 3) = 3)"},
        OutputFormat::Json);
    EXPECT_NE(
        json[1].find(
            R"json("kind":"tcp","remote":"?:443","state":"SYN_SENT","source":"log","text":"TCP ?->?:443")json"),
        std::string::npos)
        << json[1];
}

// Case 15: JSON's "source" is "log" once a line named an fd from before the
// log; an fd argument's fields and text describe one moment (after the
// call); "ret" is the value without strace -y's annotation.
TEST_F(AnnotatorTest, JsonFdObjectsAgreeWithThemselves) {
    auto out = run(
        {
            R"(connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("192.0.2.53")}, 16) = 0)",
            R"(sendto(7, "\1\2", 2, MSG_NOSIGNAL, NULL, 0) = 2)",
            "fstat(0, {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0x1), ...}) = 0",
            "ioctl(1, TCGETS, {B38400 opost isig icanon echo ...}) = 0",
            R"(bind(8, {sa_family=AF_UNIX, sun_path="/run/a.sock"}, 13) = 0)",
            "read(9, \"x\", 1) = 1",
            R"(accept4(3<socket:[15157]>, {sa_family=AF_INET, sin_port=htons(62958), sin_addr=inet_addr("192.0.2.4")}, [16], SOCK_CLOEXEC) = 29<socket:[91704707]>)",
        },
        OutputFormat::Json);
    EXPECT_NE(
        out[0].find(
            R"json("fd":7,"role":"arg","kind":"socket","remote":"192.0.2.53:53","source":"log","text":"socket ?->192.0.2.53:53")json"),
        std::string::npos)
        << out[0];
    EXPECT_NE(out[1].find(R"json("source":"log","text":"socket ?->192.0.2.53:53")json"),
              std::string::npos)
        << out[1];
    EXPECT_NE(out[2].find(
                  R"json("fd":0,"role":"arg","kind":"chr","path":"/dev/pts/1","source":"log")json"),
              std::string::npos)
        << out[2];
    EXPECT_NE(
        out[3].find(R"json("fd":1,"role":"arg","kind":"chr","source":"log","text":"chr")json"),
        std::string::npos)
        << out[3];
    EXPECT_NE(
        out[4].find(
            R"json("kind":"unix","path":"/run/a.sock","source":"log","text":"UNIX /run/a.sock")json"),
        std::string::npos)
        << out[4];
    EXPECT_NE(out[5].find(R"json("kind":"unknown","source":"inherited","text":"inherited")json"),
              std::string::npos)
        << "an fd nothing named stays inherited: " << out[5];
    EXPECT_NE(out[6].find(R"json("ret":"29","fds")json"), std::string::npos) << out[6];
    EXPECT_EQ(out[6].find(R"json("ret":"29<)json"), std::string::npos) << out[6];
}

// Case 10: a copy of an fd from before the log is that fd's open file.
TEST_F(AnnotatorTest, DupOfAnUnknownFdSaysWhoseCopyItIs) {
    auto out = run({
        "dup(2) = 4",
        R"(write(4, "x", 1) = 1)",
        "fcntl(0, F_DUPFD_CLOEXEC, 10) = 10",
        "dup2(1, 255) = 255",
        "dup3(255, 7, O_CLOEXEC) = 7",
        R"(write(7, "x", 1) = 1)",
        "fstat(4, {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0x2), ...}) = 0",
        R"(write(2, "x", 1) = 1)",
        "close(2) = 0",
        R"(write(4, "x", 1) = 1)",
    });
    EXPECT_EQ(out[0], "dup(2 -> inherited) = 4 -> dup of fd 2 (inherited)");
    EXPECT_EQ(out[1], R"(write(4 -> dup of fd 2 (inherited), "x", 1) = 1)");
    EXPECT_EQ(out[2], "fcntl(0 -> inherited, F_DUPFD_CLOEXEC, 10) = 10 -> dup of fd 0 (inherited)");
    EXPECT_EQ(out[3], "dup2(1 -> inherited, 255 -> inherited) = 255 -> dup of fd 1 (inherited)");
    EXPECT_EQ(out[5], R"(write(7 -> dup of fd 1 (inherited), "x", 1) = 1)");
    EXPECT_EQ(out[7], R"(write(2 -> /dev/pts/2, "x", 1) = 1)")
        << "what one learns, all copies know";
    EXPECT_EQ(out[9], R"(write(4 -> /dev/pts/2, "x", 1) = 1)");
}

// Case 13: an unknown local end is "?" and an accepted socket is never
// local 0.0.0.0; unix sockets alike ("UNIX ?->PATH").
TEST_F(AnnotatorTest, UnknownOrWildcardLocalEnds) {
    auto out = run({
        R"(accept(4, {sa_family=AF_INET, sin_port=htons(44376), sin_addr=inet_addr("192.0.2.112")}, [16]) = 9)",
        R"(connect(3, {sa_family=AF_UNIX, sun_path="/run/dbus/system_bus_socket"}, 30) = 0)",
        R"(write(3, "x", 1) = 1)",
        "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5",
        R"(bind(5, {sa_family=AF_INET, sin_port=htons(12345), sin_addr=inet_addr("0.0.0.0")}, 16) = 0)",
        "listen(5, 5) = 0",
        R"(accept(5, {sa_family=AF_INET, sin_port=htons(44376), sin_addr=inet_addr("192.0.2.112")}, [16]) = 6)",
        "socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = 7",
        R"(bind(7, {sa_family=AF_INET6, sin6_port=htons(8443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::", &sin6_addr), sin6_scope_id=0}, 28) = 0)",
        "listen(7, 5) = 0",
        R"(accept4(7, {sa_family=AF_INET6, sin6_port=htons(50000), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::7", &sin6_addr), sin6_scope_id=0}, [28], SOCK_CLOEXEC) = 8)",
        "socket(AF_UNIX, SOCK_STREAM, 0) = 10",
        R"(bind(10, {sa_family=AF_UNIX, sun_path="/tmp/c.sock"}, 13) = 0)",
        R"(connect(10, {sa_family=AF_UNIX, sun_path="/tmp/s.sock"}, 13) = 0)",
        R"(write(10, "x", 1) = 1)",
    });
    EXPECT_TRUE(out[0].ends_with("= 9 -> TCP ?->192.0.2.112:44376")) << out[0];
    EXPECT_EQ(out[2], R"(write(3 -> UNIX ?->/run/dbus/system_bus_socket, "x", 1) = 1)");
    EXPECT_TRUE(out[6].ends_with("= 6 -> TCP *:12345->192.0.2.112:44376")) << out[6];
    EXPECT_EQ(out[9], "listen(7 -> TCPv6 [::]:8443, 5) = 0") << "a listener is on the wildcard";
    EXPECT_TRUE(out[10].ends_with("= 8 -> TCPv6 *:8443->[2001:db8::7]:50000")) << out[10];
    EXPECT_EQ(out[14], R"(write(10 -> UNIX-STREAM /tmp/c.sock->/tmp/s.sock, "x", 1) = 1)");
}

// Case 20: pipe ends are told apart, and each process sees as its peer a
// process holding the other end, never itself, after any number of forks.
TEST_F(AnnotatorTest, PipePeersAfterSeveralForks) {
    auto out = run({
        "19473 pipe([4, 5])            = 0",
        "19473 fork()                  = 19755",
        "19755 dup2(5, 1) = 1",
        "19473 close(5)                = 0",
        "19473 fork()                  = 19756",
        "19755 close(4)                = 0",
        "19473 close(4)                = 0",
        "19755 close(5) = 0",
        "19756 dup2(4, 0) = 0",
        R"(19755 write(1, "x", 1) = 1)",
        R"(19756 read(0, "x", 1) = 1)",
    });
    EXPECT_EQ(out[0], "19473 pipe([4 -> pipe read end, 5 -> pipe write end])            = 0");
    EXPECT_EQ(out[2],
              "19755 dup2(5 -> pipe write end (peer [19473]), 1 -> inherited) = 1 -> pipe write "
              "end (peer [19473])");
    // Closing an end others hold: who they are (the close ends nothing yet).
    EXPECT_EQ(out[3], "19473 close(5 -> pipe write end (also held by [19755]))                = 0");
    EXPECT_EQ(out[5],
              "19755 close(4 -> pipe read end (also held by [19473], [19756]))                = 0");
    EXPECT_EQ(out[6], "19473 close(4 -> pipe read end (also held by [19756]))                = 0");
    EXPECT_EQ(out[7], "19755 close(5 -> pipe write end (peer [19756])) = 0");
    EXPECT_EQ(out[9], R"(19755 write(1 -> pipe write end (peer [19756]), "x", 1) = 1)");
    EXPECT_EQ(out[10], R"(19756 read(0 -> pipe read end (peer [19755]), "x", 1) = 1)");
    auto json = run({"pipe2([3, 4], 0) = 0"}, OutputFormat::Json);
    EXPECT_NE(
        json[0].find(
            R"json({"fd":3,"role":"pair","kind":"pipe","end":"read","source":"log","text":"pipe read end"})json"),
        std::string::npos)
        << json[0];
}

// Case 20 as it came: each close says who else holds that end; a process's
// own other fds on the same end are no one else (-ff files: the pid is the
// file's).
TEST_F(AnnotatorTest, ClosingAPipeEndOthersHold) {
    auto out = run({
        "pipe([4, 5])            = 0",
        "fork()                  = 19755",
        "close(5)                = 0",
        "fork()                  = 19756",
        "close(4)                = 0",
        "[pid 19756] dup2(4, 0) = 0",
        "[pid 19756] close(4) = 0",
        "[pid 19755] socketpair(AF_UNIX, SOCK_STREAM, 0, [6, 7]) = 0",
        "[pid 19755] vfork() = 19757",
        "[pid 19755] close(7) = 0",
    });
    EXPECT_EQ(out[2], "close(5 -> pipe write end (also held by [19755]))                = 0");
    EXPECT_EQ(out[4],
              "close(4 -> pipe read end (also held by [19755], [19756]))                = 0");
    EXPECT_EQ(out[6], "[pid 19756] close(4 -> pipe read end (also held by [19755])) = 0");
    EXPECT_EQ(out[9], "[pid 19755] close(7 -> UNIX-STREAM (also held by [19757])) = 0");
}

// Case 21: strace's own -y/-yy annotation refines what replay knew.
TEST_F(AnnotatorTest, StraceAnnotationsRefineKnownFds) {
    const std::vector<std::string> lines = {
        R"(accept4(3<socket:[15157]>, {sa_family=AF_INET, sin_port=htons(62958), sin_addr=inet_addr("192.0.2.4")}, [16], SOCK_CLOEXEC) = 29<socket:[91704707]>)",
        R"(openat(AT_FDCWD, "/srv/www/i/moon.jpg", O_RDONLY|O_CLOEXEC) = 30</srv/www/test.jpg>)",
        R"(sendfile(29<TCP:[198.51.100.1:80->192.0.2.4:62958]>, 30</srv/www/test.jpg>, [0], 21952) = 21952)",
        "poll([{fd=29, events=POLLOUT}], 1, 1000) = 1 ([{fd=29, revents=POLLOUT}])",
        "read(30, \"x\", 1) = 1",
        R"(openat(AT_FDCWD, "/etc", O_RDONLY|O_DIRECTORY) = 4</etc>)",
        "fstat(4, 0x1) = 0",
        "socket(AF_UNIX, SOCK_STREAM, 0) = 5",
        R"(connect(5, {sa_family=AF_UNIX, sun_path="/run/x.sock"}, 13) = 0)",
        "write(5<UNIX-STREAM:[777->778]>, \"x\", 1) = 1",
        "pipe([6, 7]) = 0",
        "write(7<pipe:[4242]>, \"x\", 1) = 1",
        "read(6, \"x\", 1) = 1",
    };
    auto out = run(lines);
    EXPECT_EQ(out[3],
              "poll([{fd=29 -> TCP 198.51.100.1:80->192.0.2.4:62958, events=POLLOUT}], 1, 1000) = "
              "1 ([{fd=29 -> TCP 198.51.100.1:80->192.0.2.4:62958, revents=POLLOUT}])");
    EXPECT_EQ(out[4], "read(30 -> /srv/www/test.jpg, \"x\", 1) = 1");
    EXPECT_EQ(out[6], "fstat(4 -> /etc, 0x1) = 0")
        << "strace's \"/etc\" keeps the directory a directory";
    EXPECT_EQ(out[12], "read(6 -> pipe read end, \"x\", 1) = 1")
        << "the other end's inode is its own";
    auto json = run(lines, OutputFormat::Json);
    EXPECT_NE(
        json[2].find(
            R"json({"fd":29,"role":"arg","kind":"tcp","local":"198.51.100.1:80","remote":"192.0.2.4:62958","state":"ESTABLISHED","inode":91704707,"source":"log")json"),
        std::string::npos)
        << json[2];
    EXPECT_NE(
        json[2].find(
            R"json({"fd":30,"role":"arg","kind":"file","path":"/srv/www/test.jpg","source":"log")json"),
        std::string::npos)
        << json[2];
    EXPECT_NE(json[6].find(R"json("kind":"dir","path":"/etc")json"), std::string::npos) << json[6];
    EXPECT_NE(
        json[9].find(
            R"json("kind":"unix","type":"STREAM","peer_path":"/run/x.sock","peer_inode":778,"state":"ESTABLISHED","inode":777)json"),
        std::string::npos)
        << json[9];
}

// strace -z and -Z (6.1) print the rest of an unfinished call as a bare
// line: no pid, no "<... NAME resumed>". It is that call's end: its effect
// (here the fd accept4 returns) is applied. A line that cannot end the call
// stays its own.
TEST_F(AnnotatorTest, BareRestOfAnUnfinishedCallUnderZ) {
    auto out = run({
        R"(3932  bind(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("0.0.0.0")}, 16) = 0)",
        "3932  listen(3, 5) = 0",
        "3932  accept4(3,  <unfinished ...>",
        "NULL, NULL, SOCK_CLOEXEC)               = 5",
        R"(3932  read(5, "x", 1) = 1)",
        "3932  read(5,  <unfinished ...>",
        "some other program's output",
        "[pid   101] accept4(6, <unfinished ...>",
        "[pid   101] {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr(\"1.2.3.4\")}, "
        "[16], SOCK_CLOEXEC) = 7",
    });
    EXPECT_EQ(out[8].substr(0, 12), "[pid   101] ") << "a pid prefix is never annotated";
    EXPECT_EQ(out[3], "NULL, NULL, SOCK_CLOEXEC)               = 5 -> TCP *:8080");
    EXPECT_EQ(out[4], R"(3932  read(5 -> TCP *:8080, "x", 1) = 1)");
    EXPECT_EQ(out[6], "some other program's output");
}

// Case 17: a call hard-wrapped onto the next line (a web page, a paste) is
// joined with it: the text stays as it came, JSON says the first half is
// incomplete and the second is no timestamped record, and the call's effect
// is applied once it is whole.
TEST_F(AnnotatorTest, HardWrappedCallsAreJoined) {
    const std::vector<std::string> wrapped = {
        R"(100 sendto(14, "abc", 3, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(7418), sin_addr=inet_addr("127.0.0.1")},)",
        " 16 <unfinished ...>",
        "100 <... sendto resumed>)             = 3",
        R"(100 openat(AT_FDCWD, "/etc/ho)",
        R"(sts", O_RDONLY|O_CLOEXEC) = 3)",
        R"(100 read(3, "x", 1) = 1)",
        "connect(5, {sa_family=AF_INET, sin_port=htons(80),",
        R"(    sin_addr=inet_addr("192.0.2.1")}, 16) = 0)",
        R"(write(5, "x", 1) = 1)",
    };
    auto text = run(wrapped);
    for (std::size_t i : {1, 2, 7}) EXPECT_EQ(text[i], wrapped[i]);
    EXPECT_EQ(text[4], R"(sts", O_RDONLY|O_CLOEXEC) = 3 -> /etc/hosts)") << "the fd on this half";
    EXPECT_EQ(text[5], R"(100 read(3 -> /etc/hosts, "x", 1) = 1)");
    EXPECT_EQ(text[8], R"(write(5 -> socket ?->192.0.2.1:80, "x", 1) = 1)");
    auto json = run(wrapped, OutputFormat::Json);
    EXPECT_NE(json[0].find(R"json("incomplete":true)json"), std::string::npos) << json[0];
    EXPECT_EQ(json[1].find(R"json("time")json"), std::string::npos) << json[1];
    EXPECT_NE(
        json[1].find(
            R"json("syscall":"sendto","args":"14, \"abc\", 3, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(7418), sin_addr=inet_addr(\"127.0.0.1\")}, 16","unfinished":true,"unfinished_line":1)json"),
        std::string::npos)
        << json[1];
    EXPECT_NE(json[1].find(R"json("raw":" 16 <unfinished ...>")json"), std::string::npos)
        << json[1];
    EXPECT_NE(json[2].find(R"json({"fd":14,"role":"arg","kind":"udp")json"), std::string::npos)
        << json[2];
    EXPECT_NE(
        json[4].find(
            R"json("ret":"3","fds":[{"fd":3,"role":"ret","kind":"file","path":"/etc/hosts")json"),
        std::string::npos)
        << json[4];
}

TEST_F(AnnotatorTest, UnparsedAndGarbagePassThrough) {
    std::vector<std::string> lines = {"",
                                      "garbage (((",
                                      "\xff\xfe binary",
                                      "read(",
                                      "<... read resumed>) = 1",
                                      "--- SIGINT {si_signo=SIGINT} ---",
                                      "close(99999999999) = 0"};
    auto out = run(lines);
    for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(out[i], lines[i]);
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

TEST(Explain, TeachesErrnosFlagsAndEofOncePerRun) {
    AnnotateOptions options;
    options.text.numeric = true;
    options.explain = true;
    Annotator annotator(options);
    std::string out;
    annotator.feed("socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 3", out);
    annotator.feed(
        R"(connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress))",
        out);
    annotator.feed(R"(read(3, "", 10) = 0)", out);
    annotator.feed(R"(read(3, "", 10) = 0)", out);
    EXPECT_NE(out.find("= 3 -> TCP\n  ^ SOCK_NONBLOCK: calls on this socket return EAGAIN instead "
                       "of waiting\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("  ^ EINPROGRESS: the non-blocking connect has started"), std::string::npos);
    auto first = out.find("  ^ returned 0: end of file");
    ASSERT_NE(first, std::string::npos);
    EXPECT_EQ(out.find("  ^ returned 0", first + 1), std::string::npos) << "once per run";

    AnnotateOptions json = options;
    json.format = OutputFormat::Json;
    Annotator json_annotator(json);
    std::string record;
    json_annotator.feed("write(1, \"x\", 1) = -1 EPIPE (Broken pipe)", record);
    EXPECT_NE(record.find(R"("explain":["EPIPE: the reading end is gone)"), std::string::npos)
        << record;
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

TEST(Leaks, ReportsFdsNeverClosedWithTheLineThatOpenedThem) {
    AnnotateOptions options;
    options.text.numeric = true;
    options.leaks = true;
    Annotator annotator(options);
    std::string out;
    for (const char* line : {
             R"(10 openat(AT_FDCWD, "/var/log/app.log", O_WRONLY|O_APPEND) = 3)",
             "10 socket(AF_UNIX, SOCK_STREAM, 0) = 4",
             "10 dup2(3, 7) = 7",
             "10 close(4) = 0",
             R"(11 openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3)",
             "11 +++ exited with 0 +++",
         })
        annotator.feed(line, out);
    out.clear();
    annotator.finish_leaks(out);
    EXPECT_NE(out.find("fds opened during the trace and never closed: 3\n"), std::string::npos)
        << out;
    EXPECT_NE(
        out.find("  pid 11 fd 3 -> /etc/hosts  (held until exit)\n"
                 "      created at line 5: 11 openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY) = 3\n"),
        std::string::npos)
        << out;
    EXPECT_NE(out.find("  pid 10 fd 3 -> /var/log/app.log  (still open)\n      created at line 1:"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("  pid 10 fd 7 -> /var/log/app.log  (still open)\n      created at line 1:"),
              std::string::npos)
        << "a dup keeps the origin of the file it duplicates: " << out;
    EXPECT_EQ(out.find("UNIX"), std::string::npos) << "closed: not a leak";
}

// A copy of an fd from before the log is an fd the trace made; the file it
// copies is not: its other fds (and the other processes' copies) are no leak.
TEST(Leaks, ACopyOfAnFdFromBeforeTheLogIsTheOnlyLeakOfIt) {
    AnnotateOptions options;
    options.text.numeric = true;
    options.leaks = true;
    Annotator annotator(options);
    std::string out;
    for (const char* line : {
             R"(100 write(4, "a", 1) = 1)",
             "100 clone(child_stack=NULL, flags=SIGCHLD) = 101",
             "101 dup2(4, 9) = 9",
             "100 dup(4) = 7",
             R"(100 write(4, "b", 1) = 1)",
         })
        annotator.feed(line, out);
    out.clear();
    annotator.finish_leaks(out);
    EXPECT_NE(out.find("never closed: 2\n"), std::string::npos) << out;
    EXPECT_NE(out.find("pid 101 fd 9 -> inherited  (still open)\n      created at line 3:"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("pid 100 fd 7 -> inherited  (still open)\n      created at line 4:"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("fd 4 "), std::string::npos) << out;
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

// Two reads of one log, as `fdtrace annotate FILE` does.
std::vector<std::string> run_twice(const std::vector<std::string>& lines,
                                   OutputFormat format = OutputFormat::Text) {
    AnnotateOptions options;
    options.format = format;
    options.text.numeric = true;
    RevealIndex reveals;
    std::string nothing;
    Annotator first(options);
    first.collect_reveals(reveals);
    for (const auto& line : lines) first.feed(line, nothing);
    EXPECT_TRUE(nothing.empty()) << "a first read renders nothing";
    Annotator annotator(options);
    annotator.name_ahead(std::move(reveals));
    std::vector<std::string> out;
    for (const auto& line : lines) {
        std::string rendered;
        annotator.feed(line, rendered);
        if (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
        out.push_back(rendered);
    }
    return out;
}

// One read of a log (defined below).
std::vector<std::string> annotate_lines(const std::vector<std::string>& lines,
                                        OutputFormat format = OutputFormat::Text);

// connect/bind/listen on an fd from before the log: what the fd is after
// them is not what it was before, but its kind is (a fresh user saw these
// stay "inherited"); epoll_ctl names an epoll fd; a blocking connect the
// peer refused keeps where it went and why it failed.
TEST(AnnotateTwice, SocketCallsNameTheKindOfFdsFromBeforeTheLog) {
    auto out = run_twice({
        R"(read(9, "x", 1) = 1)",
        R"(connect(9, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("93.184.216.34")}, 16) = 0)",
        R"(read(10, "x", 1) = 1)",
        R"(connect(10, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("192.0.2.10")}, 16) = -1 EINPROGRESS (Operation now in progress))",
        R"(read(11, "x", 1) = 1)",
        R"(connect(11, {sa_family=AF_UNIX, sun_path="/run/x.sock"}, 110) = 0)",
        R"(read(12, "x", 1) = 1)",
        R"(connect(12, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("192.0.2.10")}, 16) = -1 ENOTSOCK (Socket operation on non-socket))",
        "epoll_ctl(6, EPOLL_CTL_ADD, 4, {events=EPOLLIN, data={u32=4, u64=4}}) = 0",
        "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 7",
        R"(connect(7, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("192.0.2.10")}, 16) = -1 ECONNREFUSED (Connection refused))",
        R"(write(7, "x", 1) = -1 EPIPE (Broken pipe))",
        R"(write(9, "x", 1) = 1)",
        R"(connect(13, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.9.9.9")}, 16) = -1 ENETUNREACH (Network is unreachable))",
        R"(close(13) = 0)",
        R"(write(20, "a", 1) = 1)",
        R"(connect(20, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}, 16 <unfinished ...>)",
        "<... connect resumed>) = -1 EINPROGRESS (Operation now in progress)",
        R"(read(21, "x", 1) = 1)",
        R"(connect(21, {sa_family=AF_UNIX, sun_path="/run/x.sock"}, 110) = -1 ENOENT (No such file or directory))",
        R"(bind(22, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("0.0.0.0")}, 16) = 0)",
        "listen(22, 5) = 0",
        "accept4(22, NULL, NULL, 0) = 23",
    });
    EXPECT_EQ(out[15], R"(write(20 -> inherited, TCP (from line 18), "a", 1) = 1)")
        << "a connect split in two";
    EXPECT_EQ(out[18], R"(read(21 -> inherited, UNIX (from line 20), "x", 1) = 1)")
        << "ENOENT: the kernel looked the path up";
    EXPECT_EQ(out[22], "accept4(22 -> TCP 0.0.0.0:8080 (LISTEN), NULL, NULL, 0) = 23 -> TCP *:8080")
        << "only a stream socket listens";
    EXPECT_EQ(out[14], "close(13 -> socket ?->10.9.9.9:53 (ENETUNREACH)) = 0")
        << "a UDP connect fails so too: not TCP";
    EXPECT_EQ(out[0], R"(read(9 -> inherited, socket (from line 2), "x", 1) = 1)");
    EXPECT_EQ(out[2], R"(read(10 -> inherited, TCP (from line 4), "x", 1) = 1)");
    EXPECT_EQ(out[4], R"(read(11 -> inherited, UNIX (from line 6), "x", 1) = 1)");
    EXPECT_EQ(out[6], R"(read(12 -> inherited, "x", 1) = 1)");
    EXPECT_TRUE(out[8].starts_with("epoll_ctl(6 -> [eventpoll], EPOLL_CTL_ADD, 4 -> inherited"))
        << out[8];
    EXPECT_EQ(
        out[11],
        R"(write(7 -> TCP ?->192.0.2.10:80 (ECONNREFUSED), "x", 1) = -1 EPIPE (Broken pipe))");
    EXPECT_EQ(out[12], R"(write(9 -> socket ?->93.184.216.34:443, "x", 1) = 1)");
}

// An fd received from outside the log (SCM_RIGHTS from a process the log
// does not show, pidfd_getfd of one) is named from its first use by a later
// line, as an fd from before the log is, but it is not "inherited".
TEST(AnnotateTwice, ReceivedFdsAreNamedFromTheirFirstUse) {
    auto out = run_twice({
        R"(300 recvmsg(5, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="x", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[7]}], msg_controllen=24, msg_flags=0}, 0) = 1)",
        R"(300 read(7, "x", 1) = 1)",
        "300 pidfd_getfd(6, 3, 0) = 8",
        R"(300 write(8, "y", 1) = 1)",
        R"(300 readlink("/proc/self/fd/7", "/etc/hosts", 4096) = 10)",
        R"(300 newfstatat(8, "", {st_mode=S_IFSOCK|0777, st_size=0, ...}, AT_EMPTY_PATH) = 0)",
        R"(300 read(7, "x", 1) = 1)",
    });
    EXPECT_EQ(out[1], R"(300 read(7 -> received, /etc/hosts (from line 5), "x", 1) = 1)");
    EXPECT_EQ(out[3], R"(300 write(8 -> received, socket (from line 6), "y", 1) = 1)");
    EXPECT_EQ(out[6], R"(300 read(7 -> /etc/hosts, "x", 1) = 1)");
    auto unnamed = run_twice({
        R"(recvmsg(17, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="x", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[18]}], msg_controllen=24, msg_flags=0}, 0) = 1)",
        R"(read(18, "", 1) = 0)",
        "dup(18) = 19",
    });
    EXPECT_NE(unnamed[0].find("cmsg_data=[18 -> received]"), std::string::npos) << unnamed[0];
    EXPECT_EQ(unnamed[1], R"(read(18 -> received, "", 1) = 0)");
    EXPECT_EQ(unnamed[2], "dup(18 -> received) = 19 -> dup of fd 18 (received)");
    auto json = run_twice(
        {
            R"(recvmsg(17, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="x", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[18]}], msg_controllen=24, msg_flags=0}, 0) = 1)",
            R"(read(18, "", 1) = 0)",
            R"(readlink("/proc/self/fd/18", "/etc/hosts", 4096) = 10)",
        },
        OutputFormat::Json);
    EXPECT_NE(json[1].find(R"("source":"log")"), std::string::npos) << json[1];
    EXPECT_EQ(json[1].find(R"("source":"inherited")"), std::string::npos) << json[1];
}

// fuser and lsof stat /proc/N/fd/M of every process, following the link:
// the st_mode (and st_rdev) of what N's fd M is. A fresh recording of fuser
// left its own stdin (the dirfd of 630 statx calls) "inherited" although
// fuser stat'ed its parent's fd 0, which fuser shares from before the fork.
TEST(AnnotateTwice, StatOfAProcFdLinkNamesThatFd) {
    auto out = run_twice({
        "10 clone(child_stack=NULL, flags=SIGCHLD) = 11",
        R"(11 statx(0, "/proc/10/cwd", AT_STATX_DONT_SYNC, STATX_INO, {stx_mask=STATX_BASIC_STATS, stx_mode=S_IFDIR|0755, stx_size=4096, ...}) = 0)",
        R"(11 statx(0, "/proc/10/fd/0", AT_STATX_DONT_SYNC, STATX_INO, {stx_mask=STATX_BASIC_STATS, stx_attributes=0, stx_mode=S_IFCHR|0600, stx_size=0, ...}) = 0)",
        R"(11 newfstatat(AT_FDCWD, "/proc/10/fd/1", {st_mode=S_IFLNK|0700, st_size=64, ...}, AT_SYMLINK_NOFOLLOW) = 0)",
        R"(11 newfstatat(AT_FDCWD, "/proc/10/fd/1", {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0x3), ...}, 0) = 0)",
        R"(11 stat("/proc/999/fd/2", {st_mode=S_IFREG|0644, st_size=0, ...}) = 0)",
        R"(11 stat64("/proc/self/fd/5", {st_mode=S_IFIFO|0600, st_size=0, ...}) = 0)",
        R"(11 lstat("/proc/self/fd/6", {st_mode=S_IFLNK|0700, st_size=64, ...}) = 0)",
        R"(11 fstatat64(AT_FDCWD, "/proc/10/fd/7", 0xffd0, 0) = -1 ENOENT (No such file or directory))",
        R"(10 write(1, "x", 1) = 1)",
        R"(11 read(5, "", 1) = 0)",
        R"(11 read(6, "", 1) = 0)",
        R"(11 write(2, "x", 1) = 1)",
    });
    EXPECT_TRUE(out[1].starts_with(R"(11 statx(0 -> inherited, chr (from line 3), "/proc)"))
        << out[1];
    EXPECT_EQ(out[9], R"(10 write(1 -> /dev/pts/3, "x", 1) = 1)");
    EXPECT_EQ(out[10], R"(11 read(5 -> pipe, "", 1) = 0)") << "its own, through /proc/self";
    EXPECT_EQ(out[11], R"(11 read(6 -> inherited, "", 1) = 0)") << "lstat: the link itself";
    EXPECT_EQ(out[12], R"(11 write(2 -> inherited, "x", 1) = 1)") << "pid 999 is not in the log";
}

// A program closing every fd up to its limit writes thousands of
// close(N) = -1 EBADF lines; the first read takes them without a full parse
// (a fifth of a real log's lines), and must still see each N proven not
// open, or the two reads would number the fds from before the log apart.
TEST(AnnotateTwice, FailedClosesProveFdsNotOpenInBothReads) {
    auto out = run_twice({
        "close(3)       = -1 EBADF (Bad file descriptor)",
        "close(4) = -1 EBADF (Bad file descriptor) <0.000004>",
        "close(5) = -1 EINTR (Interrupted system call)",
        R"(read(4, "", 1) = 0)",
        R"(read(5, "", 1) = 0)",
        R"(read(9, "", 1) = 0)",
        "ioctl(9, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, "
        "c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, "
        "...}) = 0",
    });
    EXPECT_EQ(out[3], R"(read(4 -> ? (not open; reopened by a call not in the log), "", 1) = 0)");
    EXPECT_EQ(out[4],
              R"(read(5 -> ? (closed at line 3; reopened by a call not in the log), "", 1) = 0)")
        << "Linux closes on EINTR";
    EXPECT_EQ(out[5], R"(read(9 -> inherited, chr (from line 7), "", 1) = 0)");
}

// Two later lines showing different paths for one fd from before the log:
// the file was renamed or unlinked between them, and at its first use it
// was what the first showed (the last one used to name it, and the lines
// between). Older strace printed a deleted file as the kernel's link reads,
// "</tmp/err (deleted)>", which came out "(deleted) (deleted)".
TEST(AnnotateTwice, TheFirstPathALaterLineShowsNamesTheFirstUse) {
    auto out = run_twice({
        R"(write(1, "x", 1) = 1)",
        R"(readlink("/proc/self/fd/1", "/tmp/out", 100) = 8)",
        R"(rename("/tmp/out", "/tmp/out.1") = 0)",
        R"(write(1, "x", 1) = 1)",
        R"(readlink("/proc/self/fd/1", "/tmp/out.1", 100) = 10)",
        R"(write(1, "x", 1) = 1)",
        R"(write(2, "x", 1) = 1)",
        R"(write(2</tmp/err>, "x", 1) = 1)",
        R"(unlink("/tmp/err") = 0)",
        R"(write(2</tmp/err (deleted)>, "x", 1) = 1)",
        R"(write(2, "x", 1) = 1)",
        R"(write(3</var/log/a.log (deleted)>, "x", 1) = 1)",
        R"(write(3, "x", 1) = 1)",
    });
    EXPECT_EQ(out[0], R"(write(1 -> inherited, /tmp/out (from line 2), "x", 1) = 1)");
    EXPECT_EQ(out[3], R"(write(1 -> /tmp/out.1, "x", 1) = 1)") << "renamed on line 3";
    EXPECT_EQ(out[5], R"(write(1 -> /tmp/out.1, "x", 1) = 1)");
    EXPECT_EQ(out[6], R"(write(2 -> inherited, /tmp/err (from line 8), "x", 1) = 1)");
    EXPECT_EQ(out[10], R"(write(2 -> /tmp/err (deleted), "x", 1) = 1)");
    EXPECT_EQ(out[12], R"(write(3 -> /var/log/a.log (deleted), "x", 1) = 1)");
}

// strace 5.19 moved "(deleted)" outside the brackets ("</tmp/x>(deleted)");
// inside, it is then part of a name. A file named "y (deleted)" that the
// log opened is that file, whatever the strace.
TEST(AnnotateTwice, DeletedInsideBracketsIsANameWhenTheLogSaysSo) {
    auto newer = run_twice({
        R"(read(4</srv/y (deleted)>, "x", 1) = 1)",
        R"(read(4, "x", 1) = 1)",
        R"(read(5</tmp/gone>(deleted), "x", 1) = 1)",
    });
    EXPECT_EQ(newer[1], R"(read(4 -> /srv/y (deleted), "x", 1) = 1)");
    auto opened = run_twice({
        R"x(openat(AT_FDCWD, "/srv/y (deleted)", O_RDONLY) = 3</srv/y (deleted)>)x",
        R"(read(3, "x", 1) = 1)",
    });
    EXPECT_EQ(opened[1], R"(read(3 -> /srv/y (deleted), "x", 1) = 1)");
    auto json =
        run_twice({R"x(openat(AT_FDCWD, "/srv/y (deleted)", O_RDONLY) = 3</srv/y (deleted)>)x",
                   R"(read(3, "x", 1) = 1)"},
                  OutputFormat::Json);
    EXPECT_EQ(json[1].find(R"("deleted":true)"), std::string::npos) << json[1];
    // The rule changes at the first "<P>(deleted)", in both reads alike:
    // a line before it was an older strace's (they disagreed in JSON).
    const std::vector<std::string> switching = {
        R"(100 read(3</tmp/a (deleted)>, "x", 1) = 1)",
        R"(100 read(4</tmp/b>(deleted), "x", 1) = 1)",
        R"(100 read(3, "x", 1) = 1)",
    };
    auto twice = run_twice(switching, OutputFormat::Json);
    auto once = annotate_lines(switching, OutputFormat::Json);
    EXPECT_NE(twice[2].find(R"("path":"/tmp/a","deleted":true)"), std::string::npos) << twice[2];
    EXPECT_EQ(twice[2], once[2]);
}

// Opening /dev/fd/N, /dev/stdin or /proc/PID/fd/N opens what fd N is: bash's
// <(...) hands the program /dev/fd/63, a pipe. A fresh user saw each shown
// as its path ("/dev/fd/62", kind chr in JSON) for every read and close on
// it. Both reads of a file must see such opens (they may name an fd from
// before the log).
TEST(AnnotateTwice, OpeningDevFdOpensWhatThatFdIs) {
    auto out = run_twice({
        "10 pipe2([3, 4], 0) = 0",
        "10 dup2(3, 63) = 63",
        R"(10 openat(AT_FDCWD, "/dev/fd/63", O_RDONLY) = 5)",
        R"(10 read(5, "x", 1) = 1)",
        R"(10 openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 6)",
        R"(10 open("/dev/fd/6", O_RDONLY) = 7)",
        R"(10 openat(AT_FDCWD, "/proc/self/fd/3", O_WRONLY) = 8)",
        R"(10 openat(AT_FDCWD, "/dev/stdin", O_RDONLY) = 9)",
        R"(10 read(9, "", 1) = 0)",
        R"(10 openat(AT_FDCWD, "/dev/stderr", O_WRONLY) = 11)",
        "10 clone(child_stack=NULL, flags=SIGCHLD) = 12",
        R"(12 openat(AT_FDCWD, "/proc/10/fd/6", O_RDONLY) = 3)",
        R"(10 readlink("/proc/self/fd/0", "/srv/in.txt", 100) = 11)",
    });
    EXPECT_TRUE(out[2].ends_with("= 5 -> pipe read end")) << out[2];
    EXPECT_EQ(out[3], R"(10 read(5 -> pipe read end, "x", 1) = 1)");
    EXPECT_TRUE(out[5].ends_with("= 7 -> /etc/hostname")) << out[5];
    EXPECT_TRUE(out[6].ends_with("= 8 -> pipe write end")) << out[6] << ": its flags' end";
    EXPECT_TRUE(out[7].ends_with("= 9 -> /srv/in.txt")) << out[7] << ": fd 0 named ahead";
    EXPECT_TRUE(out[9].ends_with("= 11 -> /dev/stderr")) << out[9] << ": fd 2 is not known";
    EXPECT_TRUE(out[11].ends_with("= 3 -> /etc/hostname")) << out[11] << ": the parent's fd 6";
    // A log without pids: /proc/self is its one process too.
    auto pidless =
        run_twice({"pipe2([3, 4], 0) = 0", R"(openat(AT_FDCWD, "/proc/self/fd/3", O_RDONLY) = 5)"});
    EXPECT_TRUE(pidless[1].ends_with("= 5 -> pipe read end")) << pidless[1];
    auto json = run_twice({R"(openat(AT_FDCWD, "/dev/fd/62", O_RDONLY) = 3)"}, OutputFormat::Json);
    EXPECT_EQ(json[0].find(R"("kind":"chr")"), std::string::npos) << json[0];
}

// strace -e trace=openat,read,close leaves out the calls that made some
// fds (inotify_init1, signalfd, timerfd_create...): a call that succeeds on
// a number the log saw go disproves "closed" (a fresh user's filtered log
// said "? (closed at line N)" for an open inotify fd). Not for dup2's new fd,
// the dirfd of an absolute path, an anonymous mmap's fd, or a failed call.
TEST(AnnotateTwice, ASucceedingCallOnAClosedNumberShowsAnUnseenOpen) {
    auto out = run_twice({
        R"(openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 9)",
        "close(9) = 0",
        R"(read(9, "\1\0\0\0", 64) = 16)",
        "close(9) = 0",
        "close(10) = 0",
        "dup2(1, 10) = 10",
        "close(11) = 0",
        R"(openat(11, "/etc/motd", O_RDONLY) = 12)",
        R"(read(11, 0x1, 1) = -1 EBADF (Bad file descriptor))",
        "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, 11, 0) = 0x7f0000000000",
        "close(13) = 0",
        R"(read(13, "x", 1) = 1)",
        "ioctl(13, TCGETS, {c_iflag=ICRNL, c_oflag=OPOST, c_cflag=B38400|CS8, c_lflag=ISIG, ...}) "
        "= 0",
        "close(14) = 0",
        "read(14, 0x7ffd, 8) = -1 EAGAIN (Resource temporarily unavailable)",
        "close(15) = 0",
        "epoll_wait(15, 0x7ffd, 0, -1) = -1 EINVAL (Invalid argument)",
        "dup(14) = 16",
        R"(read(16, "x", 1) = 1)",
    });
    // Its text and a dup's were one cache: the dup said what fd 14 says.
    EXPECT_EQ(
        out[18],
        R"(read(16 -> dup of fd 14 (? (closed at line 14; reopened by a call not in the log)), "x", 1) = 1)");
    EXPECT_EQ(
        out[14],
        "read(14 -> ? (closed at line 14; reopened by a call not in the log), 0x7ffd, 8) = -1 "
        "EAGAIN (Resource temporarily unavailable)")
        << "EAGAIN comes after the fd was found";
    EXPECT_EQ(
        out[16],
        "epoll_wait(15 -> ? (closed at line 16), 0x7ffd, 0, -1) = -1 EINVAL (Invalid argument)")
        << "maxevents is checked before the fd";
    EXPECT_EQ(
        out[2],
        R"(read(9 -> ? (closed at line 2; reopened by a call not in the log), "\1\0\0\0", 64) = 16)");
    EXPECT_EQ(out[3], "close(9 -> ? (closed at line 2; reopened by a call not in the log)) = 0");
    EXPECT_EQ(out[5],
              "dup2(1 -> inherited, 10 -> ? (closed at line 5)) = 10 -> dup of fd 1 (inherited)");
    EXPECT_TRUE(out[7].starts_with("openat(11 -> ? (closed at line 7), ")) << out[7];
    EXPECT_EQ(out[8], "read(11 -> ? (closed at line 7), 0x1, 1) = -1 EBADF (Bad file descriptor)");
    EXPECT_NE(out[9].find("11 -> ? (closed at line 7)"), std::string::npos) << out[9];
    EXPECT_EQ(out[11], R"(read(13 -> chr (from line 13), "x", 1) = 1)") << "named ahead";
}

// strace -v prints every field of a stat: st_rdev is the ninth, past the
// eight fields the argument splitter keeps (/dev/null came out "chr"); -X
// verbose prints AT_FDCWD as "-100 /* AT_FDCWD */" (a relative path stayed
// "(cwd unknown)"). A fresh user's logs with those options.
TEST(AnnotateTwice, VerboseStructsAndVerboseConstants) {
    auto out = run_twice({
        R"(100 read(0, "", 1) = 0)",
        "100 newfstatat(0, \"\", {st_dev=makedev(0, 0x6), st_ino=3, st_mode=S_IFCHR|0666, "
        "st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, st_blocks=0, st_rdev=makedev(0x1, 0x3), "
        "st_size=0, st_atime=1700000000 /* 2023-11-14T22:13:20+0000 */}, AT_EMPTY_PATH) = 0",
        R"(100 chdir("/etc") = 0)",
        R"(100 openat(-100 /* AT_FDCWD */, "hostname", 0 /* O_RDONLY */) = 3)",
        R"(100 openat(0xffffff9c /* AT_FDCWD */, "passwd", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 4)",
    });
    EXPECT_EQ(out[0], R"(100 read(0 -> inherited, /dev/null (from line 2), "", 1) = 0)");
    EXPECT_TRUE(out[3].ends_with("= 3 -> /etc/hostname")) << out[3];
    EXPECT_TRUE(out[4].ends_with("= 4 -> /etc/passwd")) << out[4];
}

// strace -Z (-e status=failed) logs only calls that failed: the opens and
// closes between two lines are not in it, so fd 3 may be another file on
// each. A fresh user's such log named a bash script's fd 3 "TCP" from a
// connect 1,400 lines later. Nothing is named ahead in such a log.
TEST(AnnotateTwice, AFailuresOnlyLogNamesNothingAhead) {
    auto failures = run_twice({
        "ioctl(3, TCGETS, 0x7ffe83a16af0) = -1 ENOTTY (Inappropriate ioctl for device)",
        R"(openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory))",
        R"(connect(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused))",
    });
    EXPECT_EQ(failures[0],
              "ioctl(3 -> inherited, TCGETS, 0x7ffe83a16af0) = -1 ENOTTY (Inappropriate ioctl "
              "for device)");
    auto mixed = run_twice({
        R"(read(3, "x", 1) = 1)",
        R"(connect(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused))",
    });
    EXPECT_EQ(mixed[0], R"(read(3 -> inherited, TCP (from line 2), "x", 1) = 1)");
}

// openat(20, "rel") with fd 20 unknown: the path is relative to fd 20, not
// to the working directory (it said "(cwd unknown)"); strace -p onto find
// or rm -r shows many such.
TEST(AnnotateTwice, APathRelativeToAnUnknownDirfdSaysSo) {
    auto out = run_twice({
        R"(100 openat(20, "rel", O_RDONLY) = 5)",
        R"(100 openat(AT_FDCWD, "www", O_RDONLY|O_DIRECTORY) = 6)",
        R"(100 openat(6, "a", O_RDONLY) = 7)",
        R"(100 chdir("/srv") = 0)",
        R"(100 openat(AT_FDCWD, "b", O_RDONLY) = 8)",
    });
    EXPECT_TRUE(out[0].ends_with("= 5 -> rel (relative to fd 20)")) << out[0];
    EXPECT_TRUE(out[2].ends_with("= 7 -> www/a (cwd unknown)")) << out[2];
    EXPECT_TRUE(out[4].ends_with("= 8 -> /srv/b")) << out[4];
}

TEST(NameAhead, FstatOfStdioNamesItsEarlierUses) {
    auto out = run_twice({
        R"(read(0, "x", 1) = 1)",
        R"(write(2, "oops", 4) = 4)",
        R"(newfstatat(0, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0)",
        R"(fstat64(2, {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0), ...}) = 0)",
        R"(read(0, "", 1) = 0)",
    });
    EXPECT_EQ(out[0], R"(read(0 -> inherited, /dev/null (from line 3), "x", 1) = 1)");
    EXPECT_EQ(out[1], R"(write(2 -> inherited, /dev/pts/0 (from line 4), "oops", 4) = 4)");
    // The revealing line and what follows are the log's, as in one read.
    EXPECT_EQ(out[2].substr(0, 26), "newfstatat(0 -> /dev/null,");
    EXPECT_EQ(out[4], R"(read(0 -> /dev/null, "", 1) = 0)");
}

TEST(NameAhead, SocketCallsAndYyAnnotationsNameEarlierUses) {
    auto out = run_twice({
        R"(write(3, "a", 1) = 1)",
        R"(write(4, "a", 1) = 1)",
        R"(read(5, "a", 1) = 1)",
        R"(write(6, "a", 1) = 1)",
        R"(read(7, "a", 1) = 1)",
        R"(getpeername(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}, [16]) = 0)",
        R"(getsockname(3, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("10.0.0.1")}, [16]) = 0)",
        R"(accept4(4, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, [28], SOCK_CLOEXEC) = 9)",
        R"(epoll_wait(5, [], 8, 0) = 0)",
        R"(setsockopt(6, SOL_TCP, TCP_NODELAY, [1], 4) = 0)",
        R"(read(7<UDP:[10.0.0.1:53->10.0.0.2:5353]>, "a", 1) = 1)",
    });
    EXPECT_EQ(
        out[0],
        R"(write(3 -> inherited, socket 10.0.0.1:40000->1.2.3.4:80 (from line 7), "a", 1) = 1)");
    EXPECT_EQ(out[1], R"(write(4 -> inherited, TCPv6 (LISTEN) (from line 8), "a", 1) = 1)");
    EXPECT_EQ(out[2], R"(read(5 -> inherited, [eventpoll] (from line 9), "a", 1) = 1)");
    EXPECT_EQ(out[3], R"(write(6 -> inherited, TCP (from line 10), "a", 1) = 1)");
    EXPECT_EQ(out[4],
              R"(read(7 -> inherited, UDP 10.0.0.1:53->10.0.0.2:5353 (from line 11), "a", 1) = 1)");
}

TEST(NameAhead, OnlyTheSameOpenFile) {
    auto out = run_twice({
        R"(write(1, "a", 1) = 1)",
        R"(close(1) = 0)",
        R"(openat(AT_FDCWD, "/tmp/out", O_WRONLY) = 1)",
        R"(fstat(1, {st_mode=S_IFREG|0644, st_size=0, ...}) = 0)",
        R"(write(2, "a", 1) = 1)",
        R"(dup2(5, 2) = 2)",
        R"(fstat(2, {st_mode=S_IFIFO|0600, st_size=0, ...}) = 0)",
    });
    // fstat saw the file opened at line 3, not the fd 1 closed at line 2;
    // nor is the fd 2 that dup2 replaced the one fstat saw.
    EXPECT_EQ(out[0], R"(write(1 -> inherited, "a", 1) = 1)");
    EXPECT_EQ(out[4], R"(write(2 -> inherited, "a", 1) = 1)");
}

TEST(NameAhead, ADupAndAForkShareTheRevealPerProcess) {
    auto out = run_twice({
        R"(100 write(1, "a", 1) = 1)",
        R"(100 dup(1) = 5)",
        R"(100 clone(child_stack=NULL, flags=SIGCHLD) = 101)",
        R"(101 write(5, "a", 1) = 1)",
        R"(101 ioctl(5, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0, c_cflag=B38400, c_lflag=ISIG}) = 0)",
        R"(102 write(1, "a", 1) = 1)",
    });
    EXPECT_EQ(out[0], R"(100 write(1 -> inherited, chr (from line 5), "a", 1) = 1)");
    EXPECT_EQ(out[3], R"(101 write(5 -> inherited, chr (from line 5), "a", 1) = 1)");
    // Another process's fd 1 is another file.
    EXPECT_EQ(out[5], R"(102 write(1 -> inherited, "a", 1) = 1)");
}

// A forked child and its parent hold one open file under a number neither
// touched since the fork: what a line of one shows of it names it in both.
TEST(NameAhead, ARevealInAChildNamesItsParentsUntouchedFd) {
    auto out = run_twice({
        R"(100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101)",
        R"(100 write(1, "a", 1) = 1)",
        R"(101 newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0)",
        R"(101 exit_group(0) = ?)",
        R"(101 +++ exited with 0 +++)",
        R"(100 write(1, "b", 1) = 1)",
    });
    EXPECT_EQ(out[1], R"(100 write(1 -> inherited, /dev/null (from line 3), "a", 1) = 1)");
    EXPECT_EQ(out[5], R"(100 write(1 -> /dev/null, "b", 1) = 1)");
    // The same with the child's reveal before the parent's first use: one
    // read is enough.
    auto once = annotate_lines({
        R"(100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101)",
        R"(101 ioctl(2, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0, c_cflag=B38400, c_lflag=ISIG}) = 0)",
        R"(100 write(2, "a", 1) = 1)",
    });
    EXPECT_EQ(once[2], R"(100 write(2 -> chr, "a", 1) = 1)");
}

TEST(NameAhead, ARevealReachesGrandparentsAndSiblings) {
    auto out = run_twice({
        R"(100 read(0, "a", 1) = 1)",
        R"(100 vfork() = 101)",
        R"(100 clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f) = 102)",
        R"(101 clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f) = 103)",
        R"(102 write(2, "a", 1) = 1)",
        R"(103 fstat(2, {st_mode=S_IFREG|0644, st_size=0, ...}) = 0)",
        R"(103 getsockname(4, {sa_family=AF_UNIX, sun_path="/run/s"}, [9]) = 0)",
        R"(100 write(4, "a", 1) = 1)",
        R"(100 write(2, "a", 1) = 1)",
    });
    EXPECT_EQ(out[4], R"(102 write(2 -> inherited, file (from line 6), "a", 1) = 1)") << "sibling";
    EXPECT_EQ(out[7], R"(100 write(4 -> UNIX /run/s, "a", 1) = 1)") << "grandparent";
    EXPECT_EQ(out[8], R"(100 write(2 -> file, "a", 1) = 1)");
    // fd 0 the parent used before forking was copied: its children have it.
    EXPECT_EQ(out[0], R"(100 read(0 -> inherited, "a", 1) = 1)");
}

// A number either side touched after the fork is no longer the file from
// before the log there.
TEST(NameAhead, NotWhereTheParentReplacedOrClosedTheFd) {
    auto out = run_twice({
        R"(100 clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f) = 101)",
        R"(100 close(1) = 0)",
        R"(100 openat(AT_FDCWD, "/tmp/log", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 1)",
        R"(100 dup2(1, 2) = 2)",
        R"(101 fstat(1, {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0), ...}) = 0)",
        R"(101 dup2(5, 3) = 3)",
        R"(101 fstat(3, {st_mode=S_IFIFO|0600, st_size=0, ...}) = 0)",
        R"(100 write(1, "a", 1) = 1)",
        R"(100 write(2, "a", 1) = 1)",
        R"(100 write(3, "a", 1) = 1)",
        R"(101 write(2, "a", 1) = 1)",
    });
    // The parent closed the file the child fstat's later: the same file.
    EXPECT_EQ(out[1], R"(100 close(1 -> inherited, /dev/pts/0 (from line 5)) = 0)");
    EXPECT_EQ(out[7], R"(100 write(1 -> /tmp/log, "a", 1) = 1)");
    EXPECT_EQ(out[8], R"(100 write(2 -> /tmp/log, "a", 1) = 1)");
    // The child's fd 3 became a copy of its fd 5: the fstat saw that, not
    // the fd 3 from before the log, which the parent still has.
    EXPECT_EQ(out[9], R"(100 write(3 -> inherited, "a", 1) = 1)");
    // The child's fd 2 is still the one from before the log (the parent's
    // dup2 replaced its own).
    EXPECT_EQ(out[10], R"(101 write(2 -> inherited, "a", 1) = 1)");
}

TEST(NameAhead, ThreadsExecAndAnUnrelatedProcess) {
    auto out = run_twice({
        R"(100 openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 5)",
        R"(100 clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM) = 101)",
        R"(100 clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f) = 102)",
        R"(102 execve("/bin/cat", ["cat"], 0x7ffd /* 1 var */) = 0)",
        R"(102 read(5, "a", 1) = 1)",
        R"(101 write(6, "a", 1) = 1)",
        R"(102 fstat(6, {st_mode=S_IFSOCK|0777, st_size=0, ...}) = 0)",
        R"(102 fstat(5, {st_mode=S_IFSOCK|0777, st_size=0, ...}) = 0)",
        R"(200 write(6, "a", 1) = 1)",
        R"(100 read(5, "a", 1) = 1)",
    });
    // The thread shares its leader's table, which the child copied.
    EXPECT_EQ(out[5], R"(101 write(6 -> inherited, socket (from line 7), "a", 1) = 1)");
    // fd 5 went with the exec: the child's fd 5 is none of its parent's (a
    // call the log does not show made it; line 8 says what it is).
    EXPECT_EQ(out[4], R"(102 read(5 -> socket (from line 8), "a", 1) = 1)");
    EXPECT_EQ(out[9], R"(100 read(5 -> /etc/hosts, "a", 1) = 1)");
    // A process no line forked is no relative.
    EXPECT_EQ(out[8], R"(200 write(6 -> inherited, "a", 1) = 1)");
}

TEST(NameAhead, PidlessFirstProcessAndItsChildren) {
    auto out = run_twice({
        R"(write(1, "a", 1) = 1)",
        R"(clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101)",
        R"([pid   101] fstat(2, {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0)",
        R"([pid   100] write(2, "a", 1) = 1)",
        R"([pid   101] fstat(1, {st_mode=S_IFIFO|0600, st_size=0, ...}) = 0)",
    });
    EXPECT_EQ(out[0], R"(write(1 -> inherited, pipe (from line 5), "a", 1) = 1)");
    EXPECT_EQ(out[3], R"([pid   100] write(2 -> /dev/null, "a", 1) = 1)");
}

// strace -ff files merged by time, as `fdtrace annotate t.100 t.101` reads
// them twice: each line with its pid, its file and its number in that file.
struct FileLine {
    int pid;
    const char* file;
    const char* line;
};

std::vector<std::string> run_files_twice(const std::vector<FileLine>& lines,
                                         OutputFormat format = OutputFormat::Text) {
    AnnotateOptions options;
    options.format = format;
    options.text.numeric = true;
    RevealIndex reveals;
    std::string nothing;
    Annotator first(options);
    first.collect_reveals(reveals);
    std::map<std::string, std::uint64_t> numbers;
    for (const auto& input : lines)
        first.feed(input.line, nothing, input.pid, true, input.file, true, ++numbers[input.file]);
    Annotator annotator(options);
    annotator.name_ahead(std::move(reveals));
    std::vector<std::string> out;
    numbers.clear();
    for (const auto& input : lines) {
        std::string rendered;
        annotator.feed(input.line, rendered, input.pid, true, input.file, true,
                       ++numbers[input.file]);
        out.push_back(rendered);
    }
    return out;
}

// strace -ff: a file per pid, merged by time (as `fdtrace annotate t.100 t.101`).
TEST(NameAhead, PerPidFilesShareWhatTheChildSaw) {
    auto out = run_files_twice({
        {100, "t.100",
         R"(10:00:00.000001 clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f) = 101)"},
        {100, "t.100", R"(10:00:00.000002 write(1, "a", 1) = 1)"},
        {101, "t.101",
         R"(10:00:00.000003 newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0)"},
    });
    EXPECT_NE(out[1].find(R"(write(1 -> inherited, /dev/null (from t.101:1), "a", 1) = 1)"),
              std::string::npos)
        << out[1];
}

// Merged files: a line number alone does not say which file it is in.
TEST(MergedFiles, LineReferencesNameTheFile) {
    const std::vector<FileLine> lines = {
        {100, "t.100", R"(10:00:00.000001 openat(AT_FDCWD, "/a", O_RDONLY|O_CLOEXEC) = 5)"},
        {100, "t.100", R"(10:00:00.000002 openat(AT_FDCWD, "/b", O_RDONLY) = 6)"},
        {101, "t.101", R"(10:00:00.000003 read(0, "a", 1) = 1)"},
        {101, "t.101", R"(10:00:00.000004 close(6) = 0)"},
        {100, "t.100", R"(10:00:00.000005 execve("/bin/true", ["true"], 0x7ffd /* 1 var */) = 0)"},
        {100, "t.100", R"(10:00:00.000006 read(5, "a", 1) = -1 EBADF (Bad file descriptor))"},
        {101, "t.101", R"(10:00:00.000007 read(6, "a", 1) = -1 EBADF (Bad file descriptor))"},
        {101, "t.101", R"(10:00:00.000008 fstat(0, {st_mode=S_IFIFO|0600, st_size=0, ...}) = 0)"},
    };
    for (auto format : {OutputFormat::Text, OutputFormat::Json}) {
        auto out = run_files_twice(lines, format);
        if (format == OutputFormat::Json) {
            EXPECT_NE(out[2].find(R"("revealed_at_line":4,"revealed_at_file":"t.101",)"),
                      std::string::npos)
                << out[2];
            EXPECT_NE(out[5].find(R"j("text":"? (closed on exec, t.100:3)")j"), std::string::npos)
                << out[5];
            continue;
        }
        EXPECT_NE(out[2].find(R"(read(0 -> inherited, pipe (from t.101:4), "a", 1))"),
                  std::string::npos)
            << out[2];
        EXPECT_NE(out[5].find(R"(read(5 -> ? (closed on exec, t.100:3), "a", 1))"),
                  std::string::npos)
            << out[5];
        EXPECT_NE(out[6].find(R"(read(6 -> ? (closed at t.101:2), "a", 1))"), std::string::npos)
            << out[6];
    }
    // One file: line numbers as before.
    auto one = run_twice({
        R"(close(7) = 0)",
        R"(write(7, "a", 1) = -1 EBADF (Bad file descriptor))",
    });
    EXPECT_EQ(one[1],
              R"(write(7 -> ? (closed at line 1), "a", 1) = -1 EBADF (Bad file descriptor))");
}

TEST(NameAhead, WhatAConnectMadeIsNotWhatItWas) {
    auto out = run_twice({
        R"(write(3, "a", 1) = 1)",
        R"(fstat(3, {st_mode=S_IFSOCK|0777, st_size=0, ...}) = 0)",
        R"(read(3, "a", 1) = 1)",
        R"(connect(3, {sa_family=PF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}, 16) = 0)",
        R"(getsockname(3, {sa_family=PF_INET, sin_port=htons(40000), sin_addr=inet_addr("10.0.0.1")}, [16]) = 0)",
    });
    EXPECT_EQ(out[0], R"(write(3 -> inherited, socket (from line 2), "a", 1) = 1)");
    EXPECT_EQ(out[2], R"(read(3 -> socket, "a", 1) = 1)");
}

TEST(NameAhead, JsonSaysInheritedAndWhichLineTold) {
    auto out = run_twice(
        {
            R"(read(0, "x", 1) = 1)",
            R"(newfstatat(0, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0)",
        },
        OutputFormat::Json);
    EXPECT_NE(out[0].find(
                  R"("kind":"chr","path":"/dev/null","source":"inherited","revealed_at_line":2,)"),
              std::string::npos)
        << out[0];
    EXPECT_EQ(out[1].find("revealed_at_line"), std::string::npos) << out[1];
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

// Case 13, unix sockets: the local end unknown or unnamed is "?", as for TCP,
// whatever the spelling (strace 4's PF_LOCAL, abstract names, sendto/sendmsg).
TEST(UnixPeerText, UnknownLocalEndIsAQuestionMark) {
    AnnotateOptions options;
    options.text.numeric = true;
    Annotator annotator(options);
    std::vector<std::string> out;
    for (const char* line : {
             R"(connect(4, {sa_family=PF_LOCAL, sun_path="/var/run/nscd/socket"}, 110) = 0)",
             R"(read(4, "", 1) = 0)",
             "socket(PF_FILE, SOCK_DGRAM|SOCK_CLOEXEC, 0) = 5",
             R"(connect(5, {sa_family=AF_UNIX, sun_path=@"/tmp/.X11-unix/X0"}, 20) = 0)",
             R"(write(5, "x", 1) = 1)",
             "socket(AF_UNIX, SOCK_STREAM, 0) = 6",
             R"(bind(6, {sa_family=AF_UNIX, sun_path=@"me"}, 5) = 0)",
             R"(connect(6, {sa_family=AF_UNIX, sun_path="/run/x.sock"}, 13) = 0)",
             R"(write(6, "x", 1) = 1)",
         }) {
        std::string rendered;
        annotator.feed(line, rendered);
        out.push_back(rendered);
    }
    EXPECT_EQ(out[1], "read(4 -> UNIX ?->/var/run/nscd/socket, \"\", 1) = 0\n");
    EXPECT_EQ(out[4], "write(5 -> UNIX-DGRAM ?->@/tmp/.X11-unix/X0, \"x\", 1) = 1\n");
    EXPECT_EQ(out[8], "write(6 -> UNIX-STREAM @me->/run/x.sock, \"x\", 1) = 1\n");
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

std::vector<std::string> annotate_lines(const std::vector<std::string>& lines,
                                        OutputFormat format) {
    AnnotateOptions options;
    options.format = format;
    options.text.numeric = true;
    Annotator annotator(options);
    std::vector<std::string> out;
    for (const auto& line : lines) {
        std::string rendered;
        annotator.feed(line, rendered);
        if (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
        out.push_back(rendered);
    }
    return out;
}

// Issue 11: a relative path with the working directory unknown says so; the
// log teaches the cwd where it shows it, per process and across fork.
TEST(UnknownCwd, RelativePathsSaySoUntilTheLogShowsTheCwd) {
    auto out = annotate_lines({
        R"(1 openat(AT_FDCWD, "www/a", O_RDONLY) = 5)",
        R"(1 open("./x/../b", O_RDONLY) = 6)",
        R"(1 openat(AT_FDCWD</srv/x>, "www/b", O_RDONLY) = 7)",
        R"(2 readlink("/proc/self/cwd", "/home/u", 4095) = 7)",
        R"(2 open("c.txt", O_RDONLY) = 3)",
        R"(3 readlinkat(AT_FDCWD, "/proc/3/cwd", "/opt", 4095) = 4)",
        "3 clone(child_stack=NULL, flags=SIGCHLD) = 4",
        R"(4 open("d", O_RDONLY) = 3)",
        R"(3 chdir("sub") = 0)",
        R"(3 open("e", O_RDONLY) = 3)",
        R"(4 open("f", O_RDONLY) = 5)",
        R"(5 chdir("rel") = 0)",
        R"(5 open("g", O_RDONLY) = 3)",
        R"(6 readlink("/proc/7/cwd", "/elsewhere", 4095) = 10)",
        R"(6 open("h", O_RDONLY) = 3)",
        R"(8 openat(AT_FDCWD, "www/a", O_RDONLY) = 5</srv/www/a>)",
        R"(8 open("i", O_RDONLY) = 6)",
        R"(9 openat(3, "c", O_RDONLY) = 7</x/y/c>)",
        R"(9 open("j", O_RDONLY) = 8)",
    });
    EXPECT_EQ(out[0], R"(1 openat(AT_FDCWD, "www/a", O_RDONLY) = 5 -> www/a (cwd unknown))");
    EXPECT_EQ(out[1], R"(1 open("./x/../b", O_RDONLY) = 6 -> b (cwd unknown))");
    EXPECT_EQ(out[2], R"(1 openat(AT_FDCWD</srv/x>, "www/b", O_RDONLY) = 7 -> /srv/x/www/b)");
    EXPECT_EQ(out[4], R"(2 open("c.txt", O_RDONLY) = 3 -> /home/u/c.txt)");
    EXPECT_EQ(out[7], R"(4 open("d", O_RDONLY) = 3 -> /opt/d)") << "a fork's cwd is its parent's";
    EXPECT_EQ(out[9], R"(3 open("e", O_RDONLY) = 3 -> /opt/sub/e)");
    EXPECT_EQ(out[10], R"(4 open("f", O_RDONLY) = 5 -> /opt/f)") << "not shared without CLONE_FS";
    EXPECT_EQ(out[12], R"(5 open("g", O_RDONLY) = 3 -> rel/g (cwd unknown))");
    EXPECT_EQ(out[14], R"(6 open("h", O_RDONLY) = 3 -> h (cwd unknown))") << "another's cwd";
    EXPECT_EQ(out[16], R"(8 open("i", O_RDONLY) = 6 -> /srv/i)") << "-yy named the relative open";
    EXPECT_EQ(out[18], R"(9 open("j", O_RDONLY) = 8 -> j (cwd unknown))")
        << "relative to fd 3, not the cwd";
    auto json = annotate_lines({R"(open("k", O_RDONLY) = 3)"}, OutputFormat::Json);
    EXPECT_NE(json[0].find(R"json("path":"k","source":"log","text":"k (cwd unknown)")json"),
              std::string::npos)
        << json[0];
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

// Two reads: a working directory a later line shows (getcwd, readlink of
// /proc/self/cwd, -y's AT_FDCWD<...>) was the process's from its start, if
// no chdir came between: relative paths before that line use it.
TEST(UnknownCwd, ALaterLineNamesTheCwdTheProcessStartedIn) {
    auto out = run_twice({
        R"(1 openat(AT_FDCWD, "www/a", O_RDONLY) = 5)",
        R"(1 clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f) = 2)",
        R"(2 open("b", O_RDONLY) = 3)",
        R"(2 chdir("sub") = 0)",
        R"(2 open("c", O_RDONLY) = 4)",
        R"(1 getcwd("/srv", 4096) = 5)",
        R"(3 open("d", O_RDONLY) = 3)",
        R"(3 chdir("/tmp") = 0)",
        R"(3 readlink("/proc/self/cwd", "/tmp", 4095) = 4)",
        R"(4 open("e", O_RDONLY) = 3)",
        R"(4 chdir("x") = 0)",
        R"(4 getcwd("/home/x", 4096) = 8)",
        R"(5 open("f", O_RDONLY) = 3)",
        R"(5 readlinkat(AT_FDCWD, "/proc/self/cwd", "/opt", 4095) = 4)",
    });
    EXPECT_EQ(out[0], R"(1 openat(AT_FDCWD, "www/a", O_RDONLY) = 5 -> /srv/www/a)");
    EXPECT_EQ(out[2], R"(2 open("b", O_RDONLY) = 3 -> /srv/b)") << "a fork's is its parent's";
    EXPECT_EQ(out[4], R"(2 open("c", O_RDONLY) = 4 -> /srv/sub/c)");
    EXPECT_EQ(out[6], R"(3 open("d", O_RDONLY) = 3 -> d (cwd unknown))")
        << "the cwd shown was one a chdir set";
    EXPECT_EQ(out[9], R"(4 open("e", O_RDONLY) = 3 -> e (cwd unknown))")
        << "getcwd after a chdir tells the new one";
    EXPECT_EQ(out[12], R"(5 open("f", O_RDONLY) = 3 -> /opt/f)");
    // One read knows it only from that line on.
    auto once = annotate_lines({
        R"(1 openat(AT_FDCWD, "www/a", O_RDONLY) = 5)",
        R"(1 getcwd("/srv", 4096) = 5)",
    });
    EXPECT_EQ(once[0], R"(1 openat(AT_FDCWD, "www/a", O_RDONLY) = 5 -> www/a (cwd unknown))");
}

// A first read passes most lines by, and opens and closes fds without
// working out what they are: what it learns must be what a whole replay
// would, and the second read must come out as one read does, but for the
// fds named ahead.
TEST(NameAhead, TheFirstReadsShortcutsLearnWhatAWholeReplayWould) {
    const std::vector<std::string> lines = {
        R"(100 brk(NULL) = 0x55d0c0a00000)",
        R"(100 openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3 <0.000010>)",
        R"(100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000)",
        R"(100 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=1, ...}, AT_EMPTY_PATH) = 0)",
        R"(100 newfstatat(AT_FDCWD, "/etc", {st_mode=S_IFDIR|0755, st_size=1, ...}, 0) = 0)",
        R"(100 close(3) = 0)",
        R"(100 openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory))",
        R"(100 write(4, "a", 1) = 1)",
        R"(100 rt_sigaction(SIGINT, {sa_handler=0x1, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f}, NULL, 8) = 0)",
        R"( > /usr/lib/x86_64-linux-gnu/libc.so.6(write+0x10) [0x1234])",
        R"(100 futex(0x5, FUTEX_WAIT, 0, NULL <unfinished ...>)",
        R"(101 read(4, "a", 1) = 1)",
        R"(100 <... futex resumed>) = 0)",
        R"(100 openat(AT_FDCWD, "/tmp/kept", O_WRONLY) = 5)",
        R"(100 openat(AT_FDCWD, "/tmp/dropped", O_WRONLY|O_CLOEXEC) = 6)",
        R"(100 execve("/bin/true", ["true"], 0x7ffd /* 1 var */) = 0)",
        R"(100 write(5, "a", 1) = 1)",
        R"(100 write(6, "a", 1) = 1)",
        R"(100 read(3, "a", 1) = 1)",
        R"(100 fstat(4, {st_mode=S_IFSOCK|0777, st_size=0, ...}) = 0)",
        R"(100 fstat(6, {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0), ...}) = 0)",
        // A child's reveal of an fd its parent had not touched names the parent's.
        R"(100 clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f) = 102)",
        R"(102 fstat(8, {st_mode=S_IFIFO|0600, st_size=0, ...}) = 0)",
        R"(100 write(8, "a", 1) = 1)",
    };
    auto twice = run_twice(lines);
    auto once = annotate_lines(lines);
    ASSERT_EQ(twice.size(), once.size());
    EXPECT_EQ(twice[7], R"(100 write(4 -> inherited, socket (from line 20), "a", 1) = 1)");
    EXPECT_EQ(twice[9], lines[9]) << "a stack frame passes through";
    // fd 6 went with the exec (O_CLOEXEC); fd 3 with its close: the fstat
    // of fd 6 names a new fd, never the one that was dropped.
    EXPECT_NE(twice[16].find("/tmp/kept"), std::string::npos) << twice[16];
    EXPECT_EQ(twice[23], R"(100 write(8 -> pipe, "a", 1) = 1)");
    // A write on the dropped fd 6 succeeded: a call not in the log made it.
    EXPECT_EQ(twice[17], R"(100 write(6 -> /dev/pts/0 (from line 21), "a", 1) = 1)");
    EXPECT_EQ(
        once[17],
        R"(100 write(6 -> ? (closed on exec, line 16; reopened by a call not in the log), "a", 1) = 1)");
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (i != 7 && i != 17) EXPECT_EQ(twice[i], once[i]) << "line " << i + 1;
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

// getsockname/getpeername name their fd on their own line, as fstat does,
// read from a file or from a pipe; a later line telling the same again
// does not make the first one cite it.
TEST(NameAhead, SockNameAndPeerNameNameTheirFdOnTheirOwnLine) {
    const std::vector<std::string> lines = {
        R"(10    getsockname(5, {sa_family=AF_INET, sin_port=htons(22), sin_addr=inet_addr("10.1.1.1")}, [16]) = 0)",
        R"(10    getpeername(6, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, [28]) = 0)",
        R"(10    getsockname(5, {sa_family=AF_INET, sin_port=htons(22), sin_addr=inet_addr("10.1.1.1")}, [16]) = 0)",
    };
    auto once = annotate_lines(lines);
    auto twice = run_twice(lines);
    EXPECT_TRUE(once[0].starts_with("10    getsockname(5 -> socket 10.1.1.1:22, {")) << once[0];
    EXPECT_TRUE(once[1].starts_with("10    getpeername(6 -> socket ?->[::1]:443, {")) << once[1];
    for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(twice[i], once[i]) << "line " << i + 1;
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

// A known socket's getsockname line shows the local end it tells (text and
// JSON alike); an fd named ahead stays "inherited" in JSON, as in text,
// even when a call before the revealing line changed it.
TEST(NameAhead, SockNameShowsWhatItTellsAndJsonAgreesWithText) {
    const std::vector<std::string> lines = {
        R"(100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3)",
        R"(100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0)",
        R"(100 getsockname(3, {sa_family=AF_INET, sin_port=htons(5555), sin_addr=inet_addr("10.0.0.2")}, [16]) = 0)",
        R"(300 getpeername(0, {sa_family=AF_INET, sin_port=htons(22), sin_addr=inet_addr("1.2.3.4")}, [16]) = 0)",
        R"(300 getsockname(0, {sa_family=AF_INET, sin_port=htons(9999), sin_addr=inet_addr("5.6.7.8")}, [16]) = 0)",
    };
    auto text = run_twice(lines);
    EXPECT_TRUE(text[2].starts_with("100 getsockname(3 -> TCP 10.0.0.2:5555->10.0.0.1:80, {"))
        << text[2];
    auto json = run_twice(lines, OutputFormat::Json);
    EXPECT_NE(json[3].find(R"("source":"inherited")"), std::string::npos) << json[3];
    EXPECT_NE(json[3].find(R"("revealed_at_line":5)"), std::string::npos) << json[3];
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

// readlink("/proc/self/fd/N") prints what -y would have said of fd N: it
// names that fd from there on, and, read from a file, from its first use.
TEST(NameAhead, ReadlinkOfProcSelfFdNamesTheFd) {
    const std::vector<std::string> lines = {
        R"(10 write(2, "x", 1) = 1)",
        R"(10 readlink("/proc/self/fd/0", "/dev/null", 4095) = 9)",
        R"x(10 readlinkat(AT_FDCWD, "/proc/10/fd/2", "/tmp/out.err (deleted)", 4095) = 22)x",
        R"(10 readlink("/proc/self/fd/5", "pipe:[1234]", 4095) = 11)",
        R"(10 read(5, "", 1) = 0)",
        R"(10 read(0, "", 1) = 0)",
        R"(10 readlink("/proc/self/fd/7", "/very/long/pa"..., 13) = 13)",
        R"(10 read(7, "", 1) = 0)",
    };
    auto once = annotate_lines(lines);
    EXPECT_EQ(once[4], R"(10 read(5 -> pipe:[1234], "", 1) = 0)");
    EXPECT_EQ(once[5], R"(10 read(0 -> /dev/null, "", 1) = 0)");
    EXPECT_EQ(once[7], R"(10 read(7 -> inherited, "", 1) = 0)") << "a cut target names nothing";
    auto twice = run_twice(lines);
    EXPECT_EQ(twice[0],
              R"x(10 write(2 -> inherited, /tmp/out.err (deleted) (from line 3), "x", 1) = 1)x");
}

}  // namespace
}  // namespace fdtrace

namespace fdtrace {
namespace {

// bind(port 0): the kernel's port is what a later getsockname shows; read
// from a file, the socket has it from the bind on (as strace -yy shows it).
// Another socket bound to 0 and never asked keeps port 0.
TEST(NameAhead, APortZeroBindGetsThePortAGetsocknameShowedLater) {
    const std::vector<std::string> lines = {
        R"(100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4)",
        R"(100 openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 5)",
        R"(100 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 6)",
        R"(100 bind(4, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0)",
        R"(100 bind(6, {sa_family=AF_INET6, sin6_port=htons(0), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0)",
        R"(100 listen(4, 5) = 0)",
        R"(100 getsockname(4, {sa_family=AF_INET, sin_port=htons(4444), sin_addr=inet_addr("127.0.0.1")}, [16]) = 0)",
    };
    auto twice = run_twice(lines);
    EXPECT_EQ(twice[5], "100 listen(4 -> TCP 127.0.0.1:4444, 5) = 0");
    auto once = annotate_lines(lines);
    EXPECT_EQ(once[5], "100 listen(4 -> TCP 127.0.0.1:0, 5) = 0");
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (i != 5) EXPECT_EQ(twice[i], once[i]) << "line " << i + 1;
}

}  // namespace
}  // namespace fdtrace
