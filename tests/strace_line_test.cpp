#include "fdtrace/strace_line.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "fdtrace/strace_args.h"
#include "parsers/byte_scan.h"

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
        "2018  09:19:06.119660 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2019} "
        "---");
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

TEST(StraceLine, InstructionPointerPrefixOfStraceI) {
    auto alone = parse_strace_line(
        R"([00007f1e2a3b4c5d] openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3)");
    EXPECT_EQ(alone.kind, EventKind::Syscall);
    EXPECT_EQ(alone.name, "openat");
    EXPECT_EQ(alone.retval, 3);
    auto with_pid = parse_strace_line("[pid  4242] [00007f1e2a3b4c70] close(3) = 0");
    EXPECT_EQ(with_pid.pid, 4242);
    EXPECT_EQ(with_pid.name, "close");
    EXPECT_EQ(with_pid.args, "3");
    auto everything =
        parse_strace_line("4242  12:00:01.000001 [00007f1e2a3b4c70] read(3, \"x\", 1) = 1");
    EXPECT_EQ(everything.pid, 4242);
    EXPECT_EQ(everything.time, "12:00:01.000001");
    EXPECT_EQ(everything.name, "read");
    auto i386 = parse_strace_line("[b7f0c424] fstat64(3, {st_mode=S_IFREG|0644, ...}) = 0");
    EXPECT_EQ(i386.name, "fstat64");
    auto killed = parse_strace_line("[????????????????] +++ killed by SIGSEGV +++");
    EXPECT_EQ(killed.kind, EventKind::Exit);
    EXPECT_EQ(killed.rest, "killed by SIGSEGV");
    auto signal = parse_strace_line(
        "[pid 10] [00007f1e2a3b4c70] --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---");
    EXPECT_EQ(signal.kind, EventKind::Signal);
    EXPECT_EQ(signal.name, "SIGCHLD");
    // Not an instruction pointer: a select set or garbage stays what it was.
    EXPECT_EQ(parse_strace_line("[0000] read(3, \"\", 1) = 0").kind, EventKind::Unparsed);
}

TEST(StraceLine, AbsoluteAndRelativeStampsTogether) {
    auto a = parse_strace_line(
        R"(20:37:49.050065 (+     0.000012) openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3 <0.000020>)");
    EXPECT_EQ(a.kind, EventKind::Syscall);
    EXPECT_EQ(a.time, "20:37:49.050065");
    EXPECT_EQ(a.name, "openat");
    EXPECT_EQ(a.retval, 3);
    EXPECT_EQ(a.duration, "0.000020");
    auto b = parse_strace_line("21:58:50 (+     0.000048) close(4) = 0");
    EXPECT_EQ(b.time, "21:58:50");
    EXPECT_EQ(b.name, "close");
    auto c = parse_strace_line("[pid  77] 1700000000.123456 (+0.000100) close(5) = 0");
    EXPECT_EQ(c.pid, 77);
    EXPECT_EQ(c.time, "1700000000.123456");
    EXPECT_EQ(c.args, "5");
    auto d = parse_strace_line(
        "77    20:37:49.050065 (+     0.000012) [00007f1e2a3b4c70] +++ exited with 0 +++");
    EXPECT_EQ(d.kind, EventKind::Exit);
    EXPECT_EQ(d.pid, 77);
}

TEST(StraceLine, JournaldAndSyslogPrefixesAreSkipped) {
    auto a = parse_strace_line(
        R"(May 17 21:36:42 myhost strace[1499]: openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3)");
    EXPECT_EQ(a.kind, EventKind::Syscall);
    EXPECT_EQ(a.pid, 0) << "1499 is strace's own pid, not the tracee's";
    EXPECT_EQ(a.name, "openat");
    EXPECT_EQ(a.retval, 3);
    auto polish = parse_strace_line(R"(Maj  7 21:36:42 myhost strace[1499]: read(3, "x", 1) = 1)");
    EXPECT_EQ(polish.name, "read");
    EXPECT_EQ(polish.args, R"(3, "x", 1)");
    auto german =
        parse_strace_line("M\xc3\xa4r 17 08:00:00 box strace[12]: [pid  4242] close(3) = 0");
    EXPECT_EQ(german.pid, 4242);
    EXPECT_EQ(german.name, "close");
    auto iso = parse_strace_line(
        "2023-05-17T21:36:42+0200 myhost strace[1499]: 21:36:42.000001 close(3) = 0");
    EXPECT_EQ(iso.time, "21:36:42.000001");
    EXPECT_EQ(iso.name, "close");
    auto message = parse_strace_line("May 17 21:36:42 myhost strace[1499]: +++ exited with 0 +++");
    EXPECT_EQ(message.kind, EventKind::Exit);
    // Other log lines stay unparsed.
    EXPECT_EQ(parse_strace_line("May 17 21:36:42 myhost systemd[1]: Started x.").kind,
              EventKind::Unparsed);
    EXPECT_EQ(parse_strace_line("May 17 21:36:42 myhost kernel: hello").kind, EventKind::Unparsed);
}

// strace -n prints the syscall number ("[ 257] ") after the time and before
// -i's address; -Y (--decode-pids=comm) the command after each pid
// ("1234<cat> ", "[pid 1234<cat>] "). A fresh user saw every line of such
// logs pass unparsed.
TEST(StraceLine, SyscallNumbersAndPidCommands) {
    auto numbered = parse_strace_line(
        R"(5812  05:50:03.580575 [ 257] openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 11)");
    EXPECT_EQ(numbered.pid, 5812);
    EXPECT_EQ(numbered.time, "05:50:03.580575");
    EXPECT_EQ(numbered.name, "openat");
    EXPECT_EQ(numbered.retval, 11);
    EXPECT_EQ(parse_strace_line("[   1] write(1, \"x\", 1) = 1").name, "write");
    EXPECT_EQ(parse_strace_line("[1234] close(3) = 0").name, "close");
    auto all = parse_strace_line(
        R"(20246<cat> 05:50:03.632680 [ 257] [00007fb20c3aeb1d] openat(AT_FDCWD, "/a", 0) = 3)");
    EXPECT_EQ(all.pid, 20246);
    EXPECT_EQ(all.name, "openat");
    auto bracketed = parse_strace_line("[pid 20272<cat>] close(3) = 0");
    EXPECT_EQ(bracketed.pid, 20272);
    EXPECT_EQ(bracketed.name, "close");
    auto spaced = parse_strace_line("77<Web Content> close(4) = 0");
    EXPECT_EQ(spaced.pid, 77);
    EXPECT_EQ(spaced.name, "close");
    auto resumed =
        parse_strace_line("20422<sh> [  56] <... clone resumed>, child_tidptr=0x7f) = 20424<sh>");
    EXPECT_TRUE(resumed.resumed);
    EXPECT_EQ(resumed.retval, 20424);
    // Not a syscall number: an address, and a bracket that closes no number.
    EXPECT_EQ(parse_strace_line("[00007fb20c3aeb1d] close(3) = 0").name, "close");
    EXPECT_EQ(parse_strace_line("[ 25x] close(3) = 0").kind, EventKind::Unparsed);
}

// RFC 5424 syslog (rsyslog's RSYSLOG_SyslogProtocol23Format, syslog-ng's
// flags(syslog-protocol), logger --rfc5424): "<PRI>1 TIMESTAMP HOST APP
// PROCID MSGID SD MSG", each field "-" when absent, structured data in
// brackets holding spaces, the message maybe after a BOM. Was unparsed.
TEST(StraceLine, Rfc5424SyslogLines) {
    auto full = parse_strace_line(
        R"(<13>1 2026-11-30T05:00:00.123456+00:00 host strace 1499 - - 77 read(3, "", 1) = 0)");
    EXPECT_EQ(full.pid, 77) << "the tracee's pid, not strace's PROCID";
    EXPECT_EQ(full.name, "read");
    EXPECT_EQ(full.args, R"(3, "", 1)");
    auto data = parse_strace_line(
        R"(<13>1 2026-11-30T05:00:00Z host strace - ID47 [a@1 note="x ] y"][b c="\"]"] 05:00:00.5 close(4) = 0)");
    EXPECT_EQ(data.name, "close");
    EXPECT_EQ(data.time, "05:00:00.5");
    auto bom = parse_strace_line(
        "<14>1 - - - - - - \xEF\xBB\xBF"
        "close(5) = 0");
    EXPECT_EQ(bom.name, "close");
    EXPECT_EQ(parse_strace_line("<13>1 2026 host").kind, EventKind::Unparsed);
    EXPECT_EQ(parse_strace_line(R"(<13>1 - h app - - [unclosed close(3) = 0)").kind,
              EventKind::Unparsed);
}

// What a fresh user pasted: raw syslog with its priority and a tag without
// a pid, container log stamps (docker logs -t, kubectl --timestamps, CRI
// files), and pastes indented by markdown or e-mail.
TEST(StraceLine, MorePrefixesUsersPaste) {
    auto raw = parse_strace_line(R"(<13>Nov 30 10:01:02 host strace: read(4, "", 1) = 0)");
    EXPECT_EQ(raw.name, "read");
    EXPECT_EQ(raw.args, R"(4, "", 1)");
    EXPECT_EQ(parse_strace_line("Nov 30 10:01:02 host strace: close(4) = 0").name, "close");
    auto docker = parse_strace_line(
        R"(2026-11-30T10:01:02.123456789Z openat(AT_FDCWD, "/etc/a", O_RDONLY) = 3)");
    EXPECT_EQ(docker.name, "openat");
    EXPECT_EQ(docker.retval, 3);
    auto cri =
        parse_strace_line("2026-11-30T10:01:02.123456789+01:00 stderr F [pid 77] close(3) = 0");
    EXPECT_EQ(cri.pid, 77);
    EXPECT_EQ(cri.name, "close");
    auto zulu_journald =
        parse_strace_line("2023-05-17T21:36:42Z myhost strace[1499]: 12:00:00 close(3) = 0");
    EXPECT_EQ(zulu_journald.name, "close");
    EXPECT_EQ(zulu_journald.time, "12:00:00");
    auto indented = parse_strace_line(R"(    read(3, "x", 1) = 1)");
    EXPECT_EQ(indented.name, "read");
    EXPECT_EQ(indented.args, R"(3, "x", 1)");
    auto tabbed = parse_strace_line("\t[pid  5] close(3) = 0");
    EXPECT_EQ(tabbed.pid, 5);
    EXPECT_EQ(tabbed.name, "close");
    auto relative = parse_strace_line("     0.000123 close(3) = 0");
    EXPECT_EQ(relative.time, "0.000123");
    EXPECT_EQ(relative.name, "close");
    // strace's own indented lines are not calls.
    EXPECT_NE(parse_strace_line(" > /lib/libc.so.6(read+0x12) [0x1234]").kind, EventKind::Syscall);
    EXPECT_NE(parse_strace_line(" | 00000  61 62  ab |").kind, EventKind::Syscall);
    EXPECT_EQ(parse_strace_line("2026-11-30T10:01:02.1Z some other log").kind, EventKind::Unparsed);
}

TEST(StraceLine, Strace4TaskMessagesAreStraceOutput) {
    for (const char* message :
         {"Process 969 attached - interrupt to quit", "strace: Process 970 attached",
          "Process 971 detached", "strace: Process 972 detached", "Process 973 attached",
          "Process 974 suspended", "Process 975 resumed (parent 974 ready)",
          "[ Process PID=976 runs in 32 bit mode. ]"})
        EXPECT_EQ(parse_strace_line(message).kind, EventKind::Other) << message;
    EXPECT_EQ(parse_strace_line("Process finished").kind, EventKind::Unparsed);
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

// The 16-bytes-at-a-time scan must find the same byte as a plain loop
// wherever it sits: in the first chunk, on a chunk boundary, in the tail.
TEST(ByteScan, FindsTheSameByteAsAPlainLoopAtEveryPosition) {
    constexpr fdtrace::ByteSet<7> groups("\"()[]{}");
    for (std::size_t length = 0; length < 70; ++length) {
        for (std::size_t at = 0; at <= length; ++at) {
            std::string text(length, 'a');
            if (at < length) text[at] = "\"()[]{}"[at % 7];
            for (std::size_t from = 0; from <= length; from += 5) {
                std::size_t expected = from <= at ? at : length;
                if (at == length) expected = length;
                EXPECT_EQ(fdtrace::find_byte_of(text, from, groups), expected)
                    << "length " << length << " at " << at << " from " << from;
            }
        }
    }
}

TEST(ByteScan, SplitArgumentsAcrossLongGroupsAndStrings) {
    // Commas inside 40-byte strings and nested groups are not separators;
    // escaped quotes do not end a string.
    std::string longstr(40, 'x');
    std::string args = "3, \"" + longstr + ",\\\"" + longstr + "\", {a=[1, 2], b={c=(d, e)}}, 0x10";
    auto list = fdtrace::split_args(args);
    ASSERT_EQ(list.count, 4u);
    EXPECT_EQ(list[0], "3");
    EXPECT_EQ(list[1], "\"" + longstr + ",\\\"" + longstr + "\"");
    EXPECT_EQ(list[2], "{a=[1, 2], b={c=(d, e)}}");
    EXPECT_EQ(list[3], "0x10");
    EXPECT_EQ(fdtrace::decode_c_escapes("plain/path"), "plain/path");
    EXPECT_EQ(fdtrace::decode_c_escapes("a\\nb\\x41\\\"c"), "a\nbA\"c");
}

namespace fdtrace {
namespace {

TEST(CallHead, CallsAndResumedCallsAgreeWithTheFullParse) {
    for (std::string line : {
             R"(1234  10:00:00.000001 openat(AT_FDCWD, "/x", O_RDONLY) = 3 <0.000010>)",
             R"([pid  77] 10:00:00.000001 <... futex resumed>) = 0)",
             R"(<... read resumed>"ab", 2) = 2)",
             R"(12:00:01.000001 (+     0.000100) close(3) = 0)",
         }) {
        auto head = parse_call_head(line, 5);
        auto event = parse_strace_line(line, 5);
        ASSERT_TRUE(head) << line;
        EXPECT_EQ(head->pid, event.pid) << line;
        EXPECT_EQ(head->name, event.name) << line;
        EXPECT_EQ(head->resumed, event.resumed) << line;
        EXPECT_EQ(line.substr(head->args_start, event.args.size()), event.args) << line;
    }
    EXPECT_FALSE(parse_call_head("--- SIGCHLD {si_signo=SIGCHLD} ---"));
    EXPECT_FALSE(parse_call_head("+++ exited with 0 +++"));
    EXPECT_FALSE(parse_call_head("<... read resumed"));
}

}  // namespace
}  // namespace fdtrace
