#include "fdtrace/strace_line.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace fdtrace {
namespace {

TEST(StraceLine, PlainCallWithoutPrefix) {
    auto e = parse_strace_line(R"(read(3, "root:x:0:0"..., 4096) = 1024)");
    EXPECT_EQ(e.kind, EventKind::Syscall);
    EXPECT_EQ(e.pid, 0);
    EXPECT_EQ(e.name, "read");
    EXPECT_EQ(e.args, R"(3, "root:x:0:0"..., 4096)");
    EXPECT_EQ(e.ret, "1024");
    EXPECT_EQ(e.retval, 1024);
    EXPECT_TRUE(e.error.empty());
}

TEST(StraceLine, PidAndTimeAndDurationForms) {
    auto a = parse_strace_line("2019  09:19:06.100353 close(3) = 0 <0.000078>");
    EXPECT_EQ(a.pid, 2019);
    EXPECT_EQ(a.time, "09:19:06.100353");
    EXPECT_EQ(a.duration, "0.000078");
    EXPECT_EQ(a.ret, "0");

    auto b = parse_strace_line("[pid  4242] 1700000000.123456 close(3) = 0");
    EXPECT_EQ(b.pid, 4242);
    EXPECT_EQ(b.time, "1700000000.123456");

    auto c = parse_strace_line("     0.000123 close(3) = 0");
    EXPECT_EQ(c.pid, 0);
    EXPECT_EQ(c.time, "0.000123");
    EXPECT_EQ(c.name, "close");

    auto d = parse_strace_line("09:19:06 close(3) = 0");
    EXPECT_EQ(d.time, "09:19:06");

    auto e = parse_strace_line("close(3) = 0", 77);
    EXPECT_EQ(e.pid, 77) << "-ff files give the pid from the file name";
}

TEST(StraceLine, ErrorsAndAlignedReturn) {
    auto e = parse_strace_line(
        R"(openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory))");
    EXPECT_EQ(e.retval, -1);
    EXPECT_EQ(e.error, "ENOENT");
    auto aligned = parse_strace_line("getpid()          = 2019 <0.000067>");
    EXPECT_EQ(aligned.retval, 2019);
    auto restart = parse_strace_line(
        "read(0, 0x7ffd, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
    EXPECT_FALSE(restart.retval);
    EXPECT_EQ(restart.error, "ERESTARTSYS");
    auto exit = parse_strace_line("exit_group(0)     = ?");
    EXPECT_EQ(exit.ret, "?");
    auto hex = parse_strace_line("mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f1234560000");
    EXPECT_EQ(hex.retval, 0x7f1234560000);
}

TEST(StraceLine, UnfinishedAndResumed) {
    auto u = parse_strace_line("[pid 10] read(3,  <unfinished ...>");
    EXPECT_TRUE(u.unfinished);
    EXPECT_EQ(u.name, "read");
    EXPECT_EQ(u.args, "3,");
    EXPECT_TRUE(u.ret.empty());

    auto r = parse_strace_line(R"([pid 10] <... read resumed>"abc", 5) = 3 <0.5>)");
    EXPECT_TRUE(r.resumed);
    EXPECT_EQ(r.name, "read");
    EXPECT_EQ(r.args, R"("abc", 5)");
    EXPECT_EQ(r.retval, 3);
    EXPECT_EQ(r.duration, "0.5");
}

TEST(StraceLine, StringsWithParensQuotesAndEquals) {
    auto e = parse_strace_line(R"(write(1, "a) = 5 \"quoted\" (x", 16) = 16)");
    EXPECT_EQ(e.args, R"(1, "a) = 5 \"quoted\" (x", 16)");
    EXPECT_EQ(e.retval, 16);
    auto hex = parse_strace_line(R"(write(1, "\x68\x69\x0a", 3) = 3)");
    EXPECT_EQ(hex.retval, 3);
}

TEST(StraceLine, SignalsExitsAndStraceMessages) {
    auto s = parse_strace_line(
        "2018  09:19:06.119660 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2019} ---");
    EXPECT_EQ(s.kind, EventKind::Signal);
    EXPECT_EQ(s.name, "SIGCHLD");
    EXPECT_EQ(s.rest, "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2019}");
    auto x = parse_strace_line("2019  09:19:06.119633 +++ exited with 3 +++");
    EXPECT_EQ(x.kind, EventKind::Exit);
    EXPECT_EQ(x.exit_status, 3);
    auto k = parse_strace_line("+++ killed by SIGKILL +++");
    EXPECT_EQ(k.kind, EventKind::Exit);
    EXPECT_EQ(k.rest, "killed by SIGKILL");
    EXPECT_EQ(parse_strace_line("strace: Process 123 attached").kind, EventKind::Other);
    EXPECT_EQ(parse_strace_line("hello world").kind, EventKind::Unparsed);
    EXPECT_EQ(parse_strace_line("").kind, EventKind::Unparsed);
}

TEST(StraceLine, TruncatedLineKeepsArguments) {
    auto e = parse_strace_line(R"(write(3, "abc)");
    EXPECT_EQ(e.kind, EventKind::Syscall);
    EXPECT_FALSE(e.unfinished);
    EXPECT_TRUE(e.ret.empty());
    EXPECT_EQ(e.args, R"(3, "abc)");
}

TEST(StraceLine, AnnotatedYyLine) {
    auto e = parse_strace_line(
        "2019  09:19:06.101537 epoll_ctl(16<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
        "5<TCP:[127.0.0.1:56678->127.0.0.1:39383]>, {events=EPOLLOUT, data={u32=5, u64=5}}) = 0 "
        "<0.000091>");
    EXPECT_EQ(e.name, "epoll_ctl");
    EXPECT_EQ(e.retval, 0);
    auto ret = parse_strace_line(
        "memfd_create(\"foo\", MFD_CLOEXEC) = 13</memfd:foo>(deleted) <0.000078>");
    EXPECT_EQ(ret.retval, 13);
    EXPECT_EQ(ret.ret, "13</memfd:foo>(deleted)");
}

TEST(StraceLine, RandomBytesNeverCrash) {
    std::mt19937 random(1234);
    const std::string alphabet = "()[]{}\"\\<>=,. 0123456789abcdefresumed-+?\n\x01\xff";
    for (int round = 0; round < 20000; ++round) {
        std::string line;
        std::size_t length = random() % 120;
        for (std::size_t i = 0; i < length; ++i) line += alphabet[random() % alphabet.size()];
        auto event = parse_strace_line(line);
        EXPECT_LE(event.args.size(), line.size());
    }
}

}  // namespace
}  // namespace fdtrace
