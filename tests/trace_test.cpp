// The live tracer: decoder units, the live cache, and real programs
// (tests/programs/trace_*.cpp) run under the fdtrace binary, checking the
// annotated lines it printed.
#include <arpa/inet.h>
#include <asm/prctl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/futex.h>
#include <linux/nsfs.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "fdtrace/fd_summary.h"
#include "fdtrace/live_annotator.h"
#include "fdtrace/render.h"
#include "fdtrace/seccomp_filter.h"
#include "fdtrace/syscall_decoder.h"
#include "fdtrace/trace_cli.h"
#include "fdtrace/tracee.h"
#include "process_support.h"

namespace fdtrace {
namespace {

constexpr std::string_view kUnfinished = " <unfinished ...>";

// The trace with every "<unfinished ...>" line joined to its "<... NAME
// resumed>" line, so a call reads as one line whatever came in between
// (what a reader of a strace -f log does by eye).
std::string join_resumed(const std::string& trace) {
    static const std::regex kPid("^(\\[pid +\\d+\\] |\\d+ +)");
    static const std::regex kResumed("^<\\.\\.\\. [a-z0-9_]+ resumed>");
    std::map<std::string, std::string> pending;
    std::string joined;
    std::istringstream lines(trace);
    for (std::string line; std::getline(lines, line);) {
        std::smatch pid;
        std::string key = std::regex_search(line, pid, kPid) ? pid[1].str() : "";
        std::string body = line.substr(key.size());
        key.erase(std::remove_if(key.begin(), key.end(), [](char c) { return !std::isdigit(c); }),
                  key.end());
        if (std::string_view(line).ends_with(kUnfinished)) {
            pending[key] = line.substr(0, line.size() - kUnfinished.size());
            continue;
        }
        std::smatch resumed;
        if (std::regex_search(body, resumed, kResumed) && pending.count(key)) {
            joined += pending[key] + body.substr(resumed.length()) + "\n";
            pending.erase(key);
            continue;
        }
        joined += line + "\n";
    }
    for (const auto& [key, line] : pending) joined += line + std::string(kUnfinished) + "\n";
    return joined;
}

struct TraceRun {
    std::optional<int> status;
    std::string trace;   // what fdtrace wrote to -o
    std::string calls;   // the trace with unfinished/resumed pairs joined (join_resumed)
    std::string out;     // the command's stdout
    std::string errors;  // fdtrace's (and the command's) stderr
};

// fdtrace ARGS... with the trace going to DIR/trace.txt.
TraceRun run_fdtrace(const TempDir& dir, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kFdtrace, "-o", dir / "trace.txt"};
    argv.insert(argv.end(), args.begin(), args.end());
    int out = ::open((dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err = ::open((dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_t pid = spawn(argv, in, out, err);
    ::close(in);
    ::close(out);
    ::close(err);
    TraceRun run;
    run.status = wait_for(pid);
    run.trace = fold_alignment(read_file(dir / "trace.txt"));
    run.calls = join_resumed(run.trace);
    run.out = read_file(dir / "stdout");
    run.errors = read_file(dir / "stderr");
    return run;
}

// ------------------------------------------------------------------ decoder

std::string decode(const std::string& name, std::array<std::uint64_t, 6> args, std::int64_t ret,
                   std::size_t limit = 32) {
    SyscallNames names;
    SyscallCall call;
    call.nr = names.number(name).value_or(-1);
    call.name = names.name(call.nr);
    call.args = args;
    ProcessMemory memory(::getpid());  // our own memory stands in for a tracee's
    SyscallDecoder decoder(DecodeOptions{limit});
    decoder.enter(call, memory);
    call.ret = ret;
    std::string out;
    decoder.exit(call, memory, out);
    return out;
}

std::uint64_t address(const void* pointer) { return reinterpret_cast<std::uint64_t>(pointer); }

// As decode, with the options given (-X, -s).
std::string decode_with(const std::string& name, std::array<std::uint64_t, 6> args,
                        std::int64_t ret, DecodeOptions options) {
    SyscallNames names;
    SyscallCall call;
    call.nr = names.number(name).value_or(-1);
    call.name = names.name(call.nr);
    call.args = args;
    ProcessMemory memory(::getpid());
    SyscallDecoder decoder(options);
    decoder.enter(call, memory);
    call.ret = ret;
    std::string out;
    decoder.exit(call, memory, out);
    return out;
}

std::string hex(std::uint64_t value) {
    std::ostringstream text;
    text << "0x" << std::hex << value;
    return text.str();
}

// A child's CPU times in SIGCHLD, as strace: ticks, then seconds in a comment.
TEST(TraceDecoder, SigchldTimesAsStrace) {
    siginfo_t info{};
    info.si_signo = SIGCHLD;
    info.si_code = CLD_EXITED;
    info.si_pid = 42;
    info.si_status = 0;
    info.si_utime = 0;
    info.si_stime = 150;
    std::string out;
    append_siginfo(out, info);
    EXPECT_EQ(
        out,
        "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, si_status=0, si_utime=0, "
        "si_stime=150 /* 1.50 s */}");
}

// A queued signal, as strace's printsiginfo: si_errno when set, si_uid -1,
// then the value as both int and pointer.
TEST(TraceDecoder, QueuedSiginfoAsStrace) {
    siginfo_t info{};
    info.si_signo = SIGUSR1;
    info.si_code = SI_QUEUE;
    info.si_errno = EPERM;
    info.si_pid = 42;
    info.si_uid = static_cast<uid_t>(-1);
    info.si_value.sival_ptr = reinterpret_cast<void*>(0x1234);
    std::string out;
    append_siginfo(out, info);
    EXPECT_EQ(out,
              "{si_signo=SIGUSR1, si_code=SI_QUEUE, si_errno=EPERM, si_pid=42, si_uid=-1, "
              "si_int=4660, si_ptr=0x1234}");
}

// strace 6.1's printsiginfo: si_code by the signal's own table (hex when
// unnamed), the fields each kind of code carries, si_errno numeric in raw.
TEST(TraceDecoder, SiginfoCodesAndFieldsAsStrace) {
    auto text = [](int signo, int code, auto fill, XlatStyle style = XlatStyle::abbrev) {
        siginfo_t info{};
        info.si_signo = signo;
        info.si_code = code;
        fill(info);
        std::string out;
        append_siginfo(out, info, style);
        return out;
    };
    auto none = [](siginfo_t&) {};
    EXPECT_EQ(text(SIGFPE, FPE_INTDIV, [](siginfo_t& i) { i.si_addr = (void*)0x1000; }),
              "{si_signo=SIGFPE, si_code=FPE_INTDIV, si_addr=0x1000}");
    EXPECT_EQ(text(SIGSEGV, SEGV_ACCERR, [](siginfo_t& i) { i.si_addr = (void*)0x8; }),
              "{si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x8}");
    EXPECT_EQ(text(SIGTRAP, SI_KERNEL, none),
              "{si_signo=SIGTRAP, si_code=SI_KERNEL, si_addr=NULL}");
    EXPECT_EQ(text(SIGIO, POLL_IN,
                   [](siginfo_t& i) {
                       i.si_band = 65;
                       i.si_fd = 3;
                   }),
              "{si_signo=SIGIO, si_code=POLL_IN, si_band=65, si_fd=3}");
    EXPECT_EQ(text(SIGUSR2, SI_TIMER,
                   [](siginfo_t& i) {
                       i.si_timerid = 1;
                       i.si_overrun = 2;
                       i.si_value.sival_int = 3;
                   }),
              "{si_signo=SIGUSR2, si_code=SI_TIMER, si_timerid=0x1, si_overrun=2, si_int=3, "
              "si_ptr=0x3}");
    auto queued = [](siginfo_t& i) {
        i.si_pid = 1;
        i.si_uid = 2;
        i.si_value.sival_int = 3;
    };
    EXPECT_EQ(text(SIGUSR2, -50, queued),
              "{si_signo=SIGUSR2, si_code=0xffffffce, si_pid=1, si_uid=2, si_int=3, si_ptr=0x3}");
    EXPECT_EQ(text(SIGUSR2, SI_KERNEL, queued),
              "{si_signo=SIGUSR2, si_code=SI_KERNEL, si_pid=1, si_uid=2, si_int=3, si_ptr=0x3}");
    EXPECT_EQ(text(SIGUSR1, 7,
                   [](siginfo_t& i) {
                       i.si_errno = ENOENT;
                       i.si_pid = 123;
                       i.si_uid = 456;
                   }),
              "{si_signo=SIGUSR1, si_code=0x7, si_errno=ENOENT, si_pid=123, si_uid=456}");
    EXPECT_EQ(text(SIGUSR1, SI_ASYNCNL,
                   [](siginfo_t& i) {
                       i.si_errno = EIO;
                       i.si_pid = 123;
                       i.si_uid = 456;
                   }),
              "{si_signo=SIGUSR1, si_code=SI_ASYNCNL, si_errno=EIO, si_pid=123, si_uid=456}");
    EXPECT_EQ(text(
                  SIGUSR1, SI_ASYNCNL, [](siginfo_t& i) { i.si_errno = EIO; }, XlatStyle::raw),
              "{si_signo=10, si_code=0xffffffc4, si_errno=5, si_pid=0, si_uid=0}");
}

#ifdef __x86_64__
// SIGSYS from a seccomp filter, as strace 6.1's printsiginfo: the call by
// name on the tracee's own architecture, "number /* name */" on another,
// the number and AUDIT_ARCH_??? when the architecture is unknown.
TEST(TraceDecoder, SigsysSiginfoAsStrace) {
    auto text = [](int nr, unsigned arch, XlatStyle style = XlatStyle::abbrev) {
        siginfo_t info{};
        info.si_signo = SIGSYS;
        info.si_code = 1;  // SYS_SECCOMP
        info.si_call_addr = reinterpret_cast<void*>(0x7f0000001829);
        info.si_syscall = nr;
        info.si_arch = arch;
        std::string out;
        append_siginfo(out, info, style);
        return out;
    };
    EXPECT_EQ(text(SYS_getppid, AUDIT_ARCH_X86_64),
              "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x7f0000001829, "
              "si_syscall=__NR_getppid, si_arch=AUDIT_ARCH_X86_64}");
    EXPECT_EQ(text(SYS_getppid, AUDIT_ARCH_X86_64, XlatStyle::verbose),
              "{si_signo=31 /* SIGSYS */, si_code=0x1 /* SYS_SECCOMP */, "
              "si_call_addr=0x7f0000001829, si_syscall=110 /* __NR_getppid */, "
              "si_arch=0xc000003e /* AUDIT_ARCH_X86_64 */}");
    EXPECT_EQ(text(SYS_getppid, AUDIT_ARCH_X86_64, XlatStyle::raw),
              "{si_signo=31, si_code=0x1, si_call_addr=0x7f0000001829, si_syscall=110, "
              "si_arch=0xc000003e}");
    EXPECT_EQ(text(20, AUDIT_ARCH_I386),
              "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x7f0000001829, "
              "si_syscall=20 /* getpid */, si_arch=AUDIT_ARCH_I386}");
    EXPECT_EQ(text(5, 0x1234),
              "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x7f0000001829, "
              "si_syscall=5, si_arch=0x1234 /* AUDIT_ARCH_??? */}");
}
#endif

// Owners as strace's printuid: -1 by name, anything else unsigned.
TEST(TraceDecoder, ChownOwnersAsStrace) {
    const char path[] = "/tmp/x";
    EXPECT_EQ(decode("chown", {address(path), 0xffffffff, 0xffff0000}, 0),
              R"(chown("/tmp/x", -1, 4294901760) = 0)");
    EXPECT_EQ(decode("lchown", {address(path), 1000, 0xffffffff}, 0),
              R"(lchown("/tmp/x", 1000, -1) = 0)");
}

TEST(TraceDecoder, QuotesLikeStrace) {
    std::string out;
    append_quoted(out,
                  std::string_view("a\0b\1\n\t\"\\\377"
                                   "7x\x1b[31m",
                                   16),
                  true);
    EXPECT_EQ(out, R"("a\0b\1\n\t\"\\\3777x\33[31m"...)");
}

TEST(TraceDecoder, ReadWriteBuffersAndLimit) {
    std::string data(40, 'q');
    EXPECT_EQ(decode("write", {1, address(data.data()), 40}, 40, 8),
              R"(write(1, "qqqqqqqq"..., 40) = 40)");
    EXPECT_EQ(decode("read", {3, address(data.data()), 100}, 3), R"(read(3, "qqq", 100) = 3)");
    EXPECT_EQ(decode("read", {3, 0x1000, 10}, -EBADF),
              "read(3, 0x1000, 10) = -1 EBADF (Bad file descriptor)");
    EXPECT_EQ(decode("read", {3, 0x1000, 10}, -512),
              "read(3, 0x1000, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
}

TEST(TraceDecoder, OpenatFlagsAndModes) {
    const char path[] = "/tmp/x";
    EXPECT_EQ(
        decode("openat",
               {static_cast<std::uint64_t>(AT_FDCWD), address(path), O_RDONLY | O_CLOEXEC}, 3),
        R"(openat(AT_FDCWD, "/tmp/x", O_RDONLY|O_CLOEXEC) = 3)");
    EXPECT_EQ(
        decode("openat", {5, address(path), O_WRONLY | O_CREAT | O_TRUNC, 0644}, -ENOENT),
        R"(openat(5, "/tmp/x", O_WRONLY|O_CREAT|O_TRUNC, 0644) = -1 ENOENT (No such file or directory))");
}

TEST(TraceDecoder, SocketAddresses) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(80);
    in.sin_addr.s_addr = htonl(0x01020304);
    EXPECT_EQ(
        decode("connect", {3, address(&in), sizeof in}, 0),
        R"(connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}, 16) = 0)");
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(443);
    in6.sin6_addr = in6addr_loopback;
    EXPECT_EQ(decode("bind", {4, address(&in6), sizeof in6}, 0),
              R"(bind(4, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), )"
              R"(inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0)");
    std::uint8_t un[2 + 4] = {AF_UNIX, 0, 0, 'a', 'b', 's'};
    EXPECT_EQ(decode("connect", {5, address(un), sizeof un}, 0),
              R"(connect(5, {sa_family=AF_UNIX, sun_path=@"abs"}, 6) = 0)");
    std::uint8_t path[2 + 3] = {AF_UNIX, 0, '/', 'x', 0};
    EXPECT_EQ(decode("bind", {5, address(path), sizeof path}, 0),
              R"(bind(5, {sa_family=AF_UNIX, sun_path="/x"}, 5) = 0)");
}

// strace's print_sockaddr: a family's own fields only when the length (for
// recvfrom, the smaller of what the caller gave and what the kernel
// returned) covers that family's struct, else the bytes there as sa_data.
TEST(TraceDecoder, ShortSocketAddressesAsRawData) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(0x9601);
    in.sin_addr.s_addr = htonl(0x7f000001);
    EXPECT_EQ(decode("connect", {3, address(&in), 2}, 0), "connect(3, {sa_family=AF_INET}, 2) = 0");
    EXPECT_EQ(decode("connect", {3, address(&in), 8}, 0),
              R"(connect(3, {sa_family=AF_INET, sa_data="\226\1\177\0\0\1"}, 8) = 0)");
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_addr = in6addr_loopback;
    EXPECT_EQ(decode("bind", {4, address(&in6), 24}, 0),
              R"(bind(4, {sa_family=AF_INET6, sin6_port=htons(0), sin6_flowinfo=htonl(0), )"
              R"(inet_pton(AF_INET6, "::1", &sin6_addr)}, 24) = 0)");

    // recvfrom with 3 given and 16 returned: 3 bytes decoded.
    char data[] = "abcdefgh";
    socklen_t length = 3;
    SyscallNames names;
    SyscallCall call;
    call.nr = names.number("recvfrom").value_or(-1);
    call.name = names.name(call.nr);
    call.args = {3, address(data), 64, 0, address(&in), address(&length)};
    ProcessMemory memory(::getpid());
    SyscallDecoder decoder(DecodeOptions{32});
    decoder.enter(call, memory);
    length = 16;
    call.ret = 8;
    std::string out;
    decoder.exit(call, memory, out);
    EXPECT_EQ(
        out,
        R"(recvfrom(3, "abcdefgh", 64, 0, {sa_family=AF_INET, sa_data="\226"}, [3 => 16]) = 8)");
}

// What strace 6.1 prints for renameat2's unknown flags, mknodat's unknown
// file type (-X verbose), UTIME_NOW/UTIME_OMIT (-X raw / verbose), f_fsid
// under -s, and process_madvise with a vlen whose array would wrap.
TEST(TraceDecoder, SmallFormsAsStrace61) {
    auto at_fdcwd = static_cast<std::uint64_t>(AT_FDCWD);
    EXPECT_EQ(decode("renameat2", {at_fdcwd, 0, at_fdcwd, 1, 0x80000000}, -EINVAL),
              "renameat2(AT_FDCWD, NULL, AT_FDCWD, 0x1, 0x80000000 /* RENAME_?? */) = -1 EINVAL "
              "(Invalid argument)");
    const char path[] = "/tmp/x";
    DecodeOptions verbose;
    verbose.xlat = XlatStyle::verbose;
    DecodeOptions raw;
    raw.xlat = XlatStyle::raw;
    EXPECT_EQ(decode_with("mknodat", {at_fdcwd, address(path), 0170777}, -EINVAL, verbose),
              R"(mknodat(-100 /* AT_FDCWD */, "/tmp/x", 0170777) = -1 EINVAL (Invalid argument))");
    timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    EXPECT_EQ(decode_with("utimensat", {3, address(path), address(times), 0}, 0, raw),
              R"(utimensat(3, "/tmp/x", [{tv_sec=0, tv_nsec=1073741823}, )"
              R"({tv_sec=0, tv_nsec=1073741822}], 0) = 0)");
    EXPECT_EQ(decode_with("utimensat", {3, address(path), address(times), 0}, 0, verbose),
              R"(utimensat(3, "/tmp/x", [{tv_sec=0, tv_nsec=1073741823} /* UTIME_NOW */, )"
              R"({tv_sec=0, tv_nsec=1073741822} /* UTIME_OMIT */], 0) = 0)");
    EXPECT_EQ(decode("utimensat", {3, address(path), address(times), 0}, 0),
              R"(utimensat(3, "/tmp/x", [UTIME_NOW, UTIME_OMIT], 0) = 0)");
    struct statfs fs {};
    int fsid[2] = {static_cast<int>(0xf83498db), 0x1234};
    std::memcpy(&fs.f_fsid, fsid, sizeof fsid);
    auto fsid_of = [&](std::size_t limit) {
        std::string out = decode("fstatfs", {3, address(&fs)}, 0, limit);
        auto at = out.find("f_fsid=");
        return at == std::string::npos ? out : out.substr(at, out.find('}', at) + 1 - at);
    };
    EXPECT_EQ(fsid_of(0), "f_fsid={val=[...]}");
    EXPECT_EQ(fsid_of(1), "f_fsid={val=[0xf83498db, ...]}");
    EXPECT_EQ(fsid_of(32), "f_fsid={val=[0xf83498db, 0x1234]}");
    iovec ranges[1] = {};
    EXPECT_EQ(decode("process_madvise", {4, address(ranges), ~0ull, MADV_COLD, 0}, -EINVAL),
              "process_madvise(4, " + hex(address(ranges)) +
                  ", 18446744073709551615, MADV_COLD, 0) = -1 EINVAL (Invalid argument)");
}

TEST(TraceDecoder, PipePollEpollAndFcntl) {
    int fds[2] = {3, 4};
    EXPECT_EQ(decode("pipe2", {address(fds), O_CLOEXEC}, 0), "pipe2([3, 4], O_CLOEXEC) = 0");
    pollfd polled[2] = {{3, POLLIN, POLLIN}, {4, POLLOUT, 0}};
    EXPECT_EQ(decode("poll", {address(polled), 2, static_cast<std::uint64_t>(-1)}, 1),
              "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, -1) = 1 ([{fd=3, "
              "revents=POLLIN}])");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = 7;
    EXPECT_EQ(decode("epoll_ctl", {5, EPOLL_CTL_ADD, 7, address(&event)}, 0),
              "epoll_ctl(5, EPOLL_CTL_ADD, 7, {events=EPOLLIN, data={u32=7, u64=7}}) = 0");
    EXPECT_EQ(decode("fcntl", {3, F_DUPFD_CLOEXEC, 10}, 10), "fcntl(3, F_DUPFD_CLOEXEC, 10) = 10");
    EXPECT_EQ(decode("fcntl", {3, F_GETFD}, 1), "fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)");
    EXPECT_EQ(decode("socket", {AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0}, 3),
              "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3");
}

TEST(TraceDecoder, MemoryCallsNameTheirFlags) {
    EXPECT_EQ(decode("mmap",
                     {0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                      static_cast<std::uint64_t>(-1), 0},
                     0x7f0000001000),
              "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = "
              "0x7f0000001000");
    EXPECT_EQ(
        decode("mmap",
               {0x7f0000000000, 4096, PROT_READ | PROT_EXEC,
                MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE, 3, 0x26000},
               0x7f0000000000),
        "mmap(0x7f0000000000, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, "
        "3, 0x26000) = 0x7f0000000000");
    EXPECT_EQ(decode("mprotect", {0x1000, 4096, PROT_NONE}, 0),
              "mprotect(0x1000, 4096, PROT_NONE) = 0");
    EXPECT_EQ(decode("mprotect", {0x1000, 4096, 0x100}, 0),
              "mprotect(0x1000, 4096, 0x100 /* PROT_??? */) = 0");
    EXPECT_EQ(decode("mremap", {0x1000, 4096, 8192, MREMAP_MAYMOVE}, 0x2000),
              "mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE) = 0x2000");
    EXPECT_EQ(decode("madvise", {0x1000, 4096, MADV_DONTNEED}, 0),
              "madvise(0x1000, 4096, MADV_DONTNEED) = 0");
    EXPECT_EQ(decode("brk", {0}, 0x55000000), "brk(NULL) = 0x55000000");
}

TEST(TraceDecoder, AccessModesAndFaccessat2Flags) {
    const char path[] = "/etc/ld.so.preload";
    EXPECT_EQ(decode("access", {address(path), R_OK}, -ENOENT),
              R"(access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory))");
    EXPECT_EQ(decode("faccessat", {static_cast<std::uint64_t>(AT_FDCWD), address(path), F_OK}, 0),
              R"(faccessat(AT_FDCWD, "/etc/ld.so.preload", F_OK) = 0)");
    // 0x200 is AT_EACCESS for faccessat2, not AT_REMOVEDIR.
    EXPECT_EQ(decode("faccessat2",
                     {static_cast<std::uint64_t>(AT_FDCWD), address(path), F_OK, AT_EACCESS}, 0),
              R"(faccessat2(AT_FDCWD, "/etc/ld.so.preload", F_OK, AT_EACCESS) = 0)");
    EXPECT_EQ(decode("faccessat2",
                     {static_cast<std::uint64_t>(AT_FDCWD), address(path), R_OK | X_OK, 0}, 0),
              R"(faccessat2(AT_FDCWD, "/etc/ld.so.preload", R_OK|X_OK, 0) = 0)");
}

TEST(TraceDecoder, StatStructsAbbreviatedAsStrace) {
    struct stat file {};
    file.st_mode = S_IFREG | 0644;
    file.st_size = 41687;
    EXPECT_EQ(decode("fstat", {3, address(&file)}, 0),
              "fstat(3, {st_mode=S_IFREG|0644, st_size=41687, ...}) = 0");
    const char empty[] = "";
    EXPECT_EQ(
        decode("newfstatat", {3, address(empty), address(&file), AT_EMPTY_PATH}, 0),
        R"(newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=41687, ...}, AT_EMPTY_PATH) = 0)");
    struct stat device {};
    device.st_mode = S_IFCHR | 0666;
    device.st_rdev = makedev(1, 3);
    const char null_path[] = "/dev/null";
    EXPECT_EQ(decode("stat", {address(null_path), address(&device)}, 0),
              R"(stat("/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0)");
    struct stat setuid {};
    setuid.st_mode = S_IFREG | S_ISUID | 0755;
    EXPECT_EQ(decode("lstat", {address(null_path), address(&setuid)}, 0),
              R"(lstat("/dev/null", {st_mode=S_IFREG|S_ISUID|0755, st_size=0, ...}) = 0)");
    EXPECT_EQ(decode("fstat", {3, 0x1000}, -EBADF),
              "fstat(3, 0x1000) = -1 EBADF (Bad file descriptor)");
    struct statx extended {};
    extended.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
    extended.stx_mode = S_IFDIR | 0755;
    extended.stx_size = 4096;
    const char etc[] = "/etc";
    EXPECT_EQ(
        decode("statx",
               {static_cast<std::uint64_t>(AT_FDCWD), address(etc),
                AT_STATX_SYNC_AS_STAT | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT,
                STATX_MODE | STATX_SIZE, address(&extended)},
               0),
        R"(statx(AT_FDCWD, "/etc", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT, )"
        R"(STATX_MODE|STATX_SIZE, {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, )"
        R"(stx_mode=S_IFDIR|0755, stx_size=4096, ...}) = 0)");
}

TEST(TraceDecoder, ProcessStartupCalls) {
    EXPECT_EQ(decode("arch_prctl", {ARCH_SET_FS, 0x7f0000000740}, 0),
              "arch_prctl(ARCH_SET_FS, 0x7f0000000740) = 0");
    EXPECT_EQ(decode("arch_prctl", {0x3001, 0}, -EINVAL),
              "arch_prctl(0x3001 /* ARCH_??? */, 0) = -1 EINVAL (Invalid argument)");
    EXPECT_EQ(decode("set_tid_address", {0x7f0000000a10}, 42),
              "set_tid_address(0x7f0000000a10) = 42");
    EXPECT_EQ(decode("set_robust_list", {0x7f0000000a20, 24}, 0),
              "set_robust_list(0x7f0000000a20, 24) = 0");
    EXPECT_EQ(decode("rseq", {0x7f0000001060, 0x20, 0, 0x53053053}, 0),
              "rseq(0x7f0000001060, 0x20, 0, 0x53053053) = 0");
    struct {
        std::uint64_t cur, max;
    } limit{8192 * 1024, RLIM64_INFINITY};
    EXPECT_EQ(
        decode("prlimit64", {0, RLIMIT_STACK, 0, address(&limit)}, 0),
        "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
    unsigned char random[4] = {0x92, 0x15, 0x41, 0x0a};
    EXPECT_EQ(decode("getrandom", {address(random), 4, GRND_NONBLOCK}, 4),
              R"(getrandom("\x92\x15\x41\x0a", 4, GRND_NONBLOCK) = 4)");
    EXPECT_EQ(decode("getpid", {7, 7, 7, 7, 7, 7}, 42), "getpid() = 42");
    // No decoder, but a known arity: as many arguments as the call takes.
    EXPECT_EQ(decode("getpgid", {0, 7, 7, 7, 7, 7}, 42), "getpgid(0) = 42");
}

TEST(TraceDecoder, SignalsWaitsAndSleeps) {
    struct {
        std::uint64_t handler, flags, restorer, mask;
    } action{0, 0x04000000 | SA_RESTART, 0x7f0000000050, 0}, old{1, 0, 0, 1u << (SIGINT - 1)};
    EXPECT_EQ(decode("rt_sigaction", {SIGCHLD, address(&action), address(&old), 8}, 0),
              "rt_sigaction(SIGCHLD, {sa_handler=SIG_DFL, sa_mask=[], "
              "sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f0000000050}, "
              "{sa_handler=SIG_IGN, sa_mask=[INT], sa_flags=0}, 8) = 0");
    std::uint64_t all_but_two = ~std::uint64_t{0} & ~(std::uint64_t{3} << 31);
    EXPECT_EQ(decode("rt_sigprocmask", {SIG_BLOCK, address(&all_but_two), 0, 8}, 0),
              "rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], NULL, 8) = 0");
    int status = 0;
    EXPECT_EQ(decode("wait4", {static_cast<std::uint64_t>(-1), address(&status), WNOHANG, 0}, 77),
              "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WNOHANG, NULL) = 77");
    status = SIGKILL;
    EXPECT_EQ(decode("wait4", {static_cast<std::uint64_t>(-1), address(&status), 0, 0}, 77),
              "wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 77");
    timespec request{1, 500};
    EXPECT_EQ(decode("clock_nanosleep", {CLOCK_MONOTONIC, TIMER_ABSTIME, address(&request), 0}, 0),
              "clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=1, tv_nsec=500}, NULL) = 0");
    EXPECT_EQ(decode("nanosleep", {address(&request), 0x1000}, 0),
              "nanosleep({tv_sec=1, tv_nsec=500}, 0x1000) = 0");
    EXPECT_EQ(decode("futex", {0x7f0000000a4c, FUTEX_WAKE_PRIVATE, 2147483647}, 0),
              "futex(0x7f0000000a4c, FUTEX_WAKE_PRIVATE, 2147483647) = 0");
    EXPECT_EQ(decode("futex",
                     {0x1000, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, 0, 0,
                      FUTEX_BITSET_MATCH_ANY},
                     0),
              "futex(0x1000, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, "
              "FUTEX_BITSET_MATCH_ANY) = 0");
}

TEST(TraceDecoder, FileOutputsAndSmallEnums) {
    char link[] = "../usr/lib/os-release";
    const char path[] = "/etc/os-release";
    EXPECT_EQ(decode("readlink", {address(path), address(link), 22}, 21),
              R"(readlink("/etc/os-release", "../usr/lib/os-release", 22) = 21)");
    char cwd[] = "/tmp/w10";
    EXPECT_EQ(decode("getcwd", {address(cwd), 1024}, 9), R"(getcwd("/tmp/w10", 1024) = 9)");
    // Two entries of 24 bytes: d_ino, d_off, d_reclen, d_type, name.
    alignas(8) unsigned char entries[48] = {};
    entries[16] = 24;
    entries[24 + 16] = 24;
    EXPECT_EQ(
        decode("getdents64", {3, address(entries), 32768}, 48),
        "getdents64(3, " + std::string(hex(address(entries))) + " /* 2 entries */, 32768) = 48");
    EXPECT_EQ(decode("getdents64", {3, 0x1000, 32768}, 0),
              "getdents64(3, 0x1000 /* 0 entries */, 32768) = 0");
    EXPECT_EQ(decode("lseek", {3, static_cast<std::uint64_t>(-60), SEEK_CUR}, 54),
              "lseek(3, -60, SEEK_CUR) = 54");
    EXPECT_EQ(decode("fadvise64", {3, 0, 0, POSIX_FADV_SEQUENTIAL}, 0),
              "fadvise64(3, 0, 0, POSIX_FADV_SEQUENTIAL) = 0");
    EXPECT_EQ(decode("flock", {3, LOCK_EX | LOCK_NB}, 0), "flock(3, LOCK_EX|LOCK_NB) = 0");
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_len = 10;
    EXPECT_EQ(decode("fcntl", {3, F_SETLK, address(&lock)}, 0),
              "fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0");
    lock.l_type = F_UNLCK;
    EXPECT_EQ(decode("fcntl", {3, F_GETLK, address(&lock)}, 0),
              "fcntl(3, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=10, "
              "l_pid=0}) = 0");
    EXPECT_EQ(decode("fcntl", {0, F_GETFL}, 0), "fcntl(0, F_GETFL) = 0 (flags O_RDONLY)");
    EXPECT_EQ(decode("ioctl", {1, TCGETS, 0x1000}, -ENOTTY),
              "ioctl(1, TCGETS, 0x1000) = -1 ENOTTY (Inappropriate ioctl for device)");
    int pending = 5;
    EXPECT_EQ(decode("ioctl", {3, FIONREAD, address(&pending)}, 0), "ioctl(3, FIONREAD, [5]) = 0");
    int on = 1;
    EXPECT_EQ(decode("ioctl", {3, FIONBIO, address(&on)}, 0), "ioctl(3, FIONBIO, [1]) = 0");
    // openpty's calls, as strace prints them (were raw addresses)
    unsigned pty_number = 7, unlock = 0;
    EXPECT_EQ(decode("ioctl", {3, TIOCGPTN, address(&pty_number)}, 0),
              "ioctl(3, TIOCGPTN, [7]) = 0");
    EXPECT_EQ(decode("ioctl", {3, TIOCSPTLCK, address(&unlock)}, 0),
              "ioctl(3, TIOCSPTLCK, [0]) = 0");
    // strace's nsfs.c: no argument but NS_GET_OWNER_UID's; NS_GET_NSTYPE's
    // return named (were _IOC(_IOC_NONE, 0xb7, 0x1, 0), 0)
    EXPECT_EQ(decode("ioctl", {3, NS_GET_USERNS}, 4), "ioctl(3, NS_GET_USERNS) = 4");
    EXPECT_EQ(decode("ioctl", {4, NS_GET_PARENT}, -EPERM),
              "ioctl(4, NS_GET_PARENT) = -1 EPERM (Operation not permitted)");
    EXPECT_EQ(decode("ioctl", {4, NS_GET_NSTYPE}, CLONE_NEWUSER),
              "ioctl(4, NS_GET_NSTYPE) = 268435456 (CLONE_NEWUSER)");
    unsigned owner = 1000;
    EXPECT_EQ(decode("ioctl", {4, NS_GET_OWNER_UID, address(&owner)}, 0),
              "ioctl(4, NS_GET_OWNER_UID, [1000]) = 0");
    winsize size{24, 80, 0, 0};
    EXPECT_EQ(decode("ioctl", {1, TIOCGWINSZ, address(&size)}, 0),
              "ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0");
    utsname names{};
    std::strcpy(names.sysname, "Linux");
    std::strcpy(names.nodename, "vm");
    EXPECT_EQ(decode("uname", {address(&names)}, 0),
              R"(uname({sysname="Linux", nodename="vm", ...}) = 0)");
}

TEST(TraceDecoder, SyscallNamesComeFromLibseccomp) {
    SyscallNames names;
    ASSERT_TRUE(names.number("read"));
    EXPECT_EQ(names.name(*names.number("read")), "read");
    EXPECT_FALSE(names.number("no_such_call"));
    // Every name the default set asks for is a syscall libseccomp knows,
    // here or on another architecture (_llseek, fcntl64 on i386 ...): the
    // set is read off the table, and a typo in the table shows here.
    for (const auto& name : default_trace_set()) {
        bool known = names.number(name).has_value();
        for (std::uint32_t arch :
             std::initializer_list<std::uint32_t>{SCMP_ARCH_X86, SCMP_ARCH_ARM, SCMP_ARCH_AARCH64})
            known = known || seccomp_syscall_resolve_name_arch(arch, name.c_str()) >= 0;
        EXPECT_TRUE(known) << name;
    }
    // It is every call that takes or returns an fd (issue 10): the ones the
    // old hand-kept list left out are in it.
    auto set = default_trace_set();
    for (const char* name : {"newfstatat",
                             "fstat",
                             "ioctl",
                             "lseek",
                             "mmap",
                             "getdents64",
                             "sendfile",
                             "splice",
                             "fsync",
                             "ftruncate",
                             "fadvise64",
                             "flock",
                             "fchdir",
                             "unlinkat",
                             "mkdirat",
                             "renameat2",
                             "inotify_add_watch",
                             "setsockopt",
                             "getsockname",
                             "pidfd_send_signal",
                             "setns",
                             "timerfd_settime",
                             "io_uring_enter",
                             "read",
                             "close_range",
                             "poll",
                             "pipe2",
                             "socketpair",
                             "openat",
                             "accept4"})
        EXPECT_NE(std::find(set.begin(), set.end(), name), set.end()) << name;
    for (const char* name : {"execve", "unlink", "chdir", "clone", "exit_group", "getpid", "brk"})
        EXPECT_EQ(std::find(set.begin(), set.end(), name), set.end()) << name;
}

// ------------------------------------------------------------------ live cache

// A resolver that answers from a table and counts the questions.
class FakeResolver : public IdentityResolver {
  public:
    std::map<std::pair<int, int>, FdIdentity> fds;
    int asked = 0;
    std::optional<FdIdentity> resolve(int pid, int fd) override {
        ++asked;
        auto it = fds.find({pid, fd});
        if (it == fds.end()) return std::nullopt;
        return it->second;
    }
    std::vector<std::pair<std::uint64_t, int>> epoll_data(int, int) override { return {}; }
    void sockets_changed() override {}
};

FdIdentity file_identity(const std::string& path) {
    FdIdentity identity;
    identity.kind = FdKind::File;
    identity.details = PathDetails{path, false};
    identity.source = FdSource::Live;
    return identity;
}

std::string feed(LiveAnnotator& annotator, int tid, const std::string& name,
                 std::array<std::uint64_t, 6> args, std::int64_t ret, const std::string& body) {
    SyscallNames names;
    SyscallCall call;
    call.nr = names.number(name).value_or(-1);
    call.name = names.name(call.nr);
    call.args = args;
    annotator.entering(tid, call);
    call.ret = ret;
    TraceRecord record;
    record.tid = tid;
    record.body = body;
    record.call = &call;
    std::string out;
    annotator.record(record, out);
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

TEST(TraceLiveCache, ResolvesOnlyWhenAnFdChanges) {
    FakeResolver resolver;
    LiveOptions options;
    LiveAnnotator annotator(options, resolver);
    resolver.fds[{10, 3}] = file_identity("/etc/passwd");
    EXPECT_EQ(feed(annotator, 10, "openat", {static_cast<std::uint64_t>(AT_FDCWD), 0, 0}, 3,
                   R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3)"),
              R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3 -> /etc/passwd)");
    int after_open = resolver.asked;
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(feed(annotator, 10, "read", {3, 0, 4}, 4, R"(read(3, "root", 4) = 4)"),
                  R"(read(3 -> /etc/passwd, "root", 4) = 4)");
    EXPECT_EQ(resolver.asked, after_open) << "reads must be served from the cache";
    // dup shares the open file without asking; close forgets it.
    EXPECT_EQ(feed(annotator, 10, "dup", {3}, 5, "dup(3) = 5"),
              "dup(3 -> /etc/passwd) = 5 -> /etc/passwd");
    EXPECT_EQ(resolver.asked, after_open);
    resolver.fds.erase({10, 3});
    EXPECT_EQ(feed(annotator, 10, "close", {3}, 0, "close(3) = 0"), "close(3 -> /etc/passwd) = 0");
    EXPECT_EQ(feed(annotator, 10, "read", {3, 0, 4}, -EBADF,
                   "read(3, 0x1, 4) = -1 EBADF (Bad file descriptor)"),
              "read(3, 0x1, 4) = -1 EBADF (Bad file descriptor)");
    EXPECT_EQ(feed(annotator, 10, "write", {5, 0, 1}, 1, R"(write(5, "x", 1) = 1)"),
              R"(write(5 -> /etc/passwd, "x", 1) = 1)");
}

// What `annotator` writes for one record of task `tid` about `call`.
std::string render_record(LiveAnnotator& annotator, TraceRecord::Kind kind, int tid,
                          const SyscallCall& call, std::string_view body, std::size_t entry_length,
                          bool several_tasks) {
    TraceRecord record;
    record.kind = kind;
    record.tid = tid;
    record.body = body;
    record.call = &call;
    record.entry_length = entry_length;
    record.result_at = body.find(") = ") == std::string_view::npos ? 0 : body.find(") = ");
    record.several_tasks = several_tasks;
    std::string out;
    annotator.record(record, out);
    return out;
}

// The pid column as strace pads it: "[pid %5u] " on a terminal, "%-5u " to a file.
TEST(TraceLiveLayout, PidColumnAsStracePadsIt) {
    FakeResolver resolver;
    for (bool bracket : {true, false}) {
        LiveOptions options;
        options.bracket_pids = bracket;
        LiveAnnotator annotator(options, resolver);
        for (int tid : {42, 123456}) {
            TraceRecord record;
            record.kind = TraceRecord::Kind::Exit;
            record.tid = tid;
            record.body = "+++ exited with 0 +++";
            record.several_tasks = true;
            std::string out;
            annotator.record(record, out);
            std::string pid = std::to_string(tid);
            std::string expected = bracket ? (tid == 42 ? "[pid    42] " : "[pid 123456] ")
                                           : (tid == 42 ? "42    " : "123456 ");
            EXPECT_EQ(out, expected + "+++ exited with 0 +++\n");
        }
    }
}

// Two tasks' calls in flight, as strace lays them out: the first line closed
// by the second's entry, its end as "<... NAME resumed>", the second's line
// left open while it blocks and completed in place.
// A socket whose text changes under the trace (connected, then a host name
// arrives) is one row of --fd-summary: rows are open files, not texts.
TEST(TraceLiveCache, SummaryRowsAreOpenFilesNotTexts) {
    FakeResolver resolver;
    FdIdentity socket;
    socket.kind = FdKind::Tcp;
    socket.details = InetDetails{};
    socket.source = FdSource::Live;
    resolver.fds[{10, 3}] = socket;
    LiveAnnotator annotator(LiveOptions{}, resolver);
    FdSummary summary;
    annotator.set_observer([&](const SyscallEvent& event, std::span<const ResolvedFd> fds) {
        summary.add(event, fds);
    });
    feed(annotator, 10, "socket", {2, 1, 0}, 3, "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3");
    feed(annotator, 10, "setsockopt", {3, 1, 2}, 0,
         "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
    FdIdentity connected = socket;
    connected.details = InetDetails{"127.0.0.1:5000", "127.0.0.1:80", "ESTABLISHED", ""};
    resolver.fds[{10, 3}] = connected;
    feed(
        annotator, 10, "connect", {3, 0, 16}, 0,
        R"(connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}, 16) = 0)");
    EXPECT_EQ(feed(annotator, 10, "read", {3, 0, 4}, 4, R"(read(3, "HTTP", 4) = 4)"),
              R"(read(3 -> TCP 127.0.0.1:5000->127.0.0.1:http, "HTTP", 4) = 4)");
    auto rows = summary.rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].identity, "TCP 127.0.0.1:5000->127.0.0.1:http");
    EXPECT_EQ(rows[0].calls, 3u);
}

TEST(TraceLiveLayout, UnfinishedResumedAndContinuedLines) {
    FakeResolver resolver;
    resolver.fds[{10, 3}] = file_identity("/a");
    resolver.fds[{11, 3}] = file_identity("/a");
    LiveOptions options;
    LiveAnnotator annotator(options, resolver);
    annotator.spawned(10, 11, true);
    SyscallNames names;
    SyscallCall first, second;
    for (SyscallCall* call : {&first, &second}) {
        call->nr = names.number("read").value_or(-1);
        call->name = names.name(call->nr);
        call->args = {3, 0, 4};
    }
    auto record = [&](TraceRecord::Kind kind, int tid, const SyscallCall& call,
                      std::string_view body, std::size_t entry_length = 0) {
        return render_record(annotator, kind, tid, call, body, entry_length, true);
    };
    EXPECT_EQ(record(TraceRecord::Kind::Entry, 10, first, "read(3, "), "");  // held back
    EXPECT_EQ(record(TraceRecord::Kind::Entry, 11, second, "read(3, "),
              "[pid    10] read(3 -> /a,  <unfinished ...>\n");
    std::string shown;
    EXPECT_EQ(annotator.show_in_flight(shown), -1);
    EXPECT_EQ(shown, "[pid    11] read(3 -> /a, ");  // open while it blocks
    EXPECT_EQ(record(TraceRecord::Kind::Syscall, 11, second, R"(read(3, "b", 4) = 1)", 8),
              "\"b\", 4)             = 1\n");  // the same line, continued, " = " at column 40
    EXPECT_EQ(record(TraceRecord::Kind::Syscall, 10, first, R"(read(3, "a", 4) = 1)", 8),
              "[pid    10] <... read resumed>\"a\", 4)   = 1\n");
    // Detached mid-call: the open line is closed as strace closes it.
    record(TraceRecord::Kind::Entry, 10, first, "read(3, ");
    shown.clear();
    annotator.show_in_flight(shown);
    EXPECT_EQ(record(TraceRecord::Kind::Detached, 10, first, ""), " <detached ...>\n");
}

// JSON cannot leave a record open: a blocked call gets an "unfinished"
// record when it is shown in flight, and its exit a "resumed" one that names
// the same fd and points back at it; a detach after that says it will not
// return.
TEST(TraceLiveLayout, JsonRecordsForACallInFlight) {
    FakeResolver resolver;
    resolver.fds[{10, 3}] = file_identity("/a");
    LiveOptions options;
    options.format = OutputFormat::Json;
    LiveAnnotator annotator(options, resolver);
    SyscallNames names;
    SyscallCall call;
    call.nr = names.number("read").value_or(-1);
    call.name = names.name(call.nr);
    call.args = {3, 0, 4};
    auto record = [&](TraceRecord::Kind kind, std::string_view body, std::size_t entry_length = 0) {
        return render_record(annotator, kind, 10, call, body, entry_length, false);
    };
    EXPECT_EQ(record(TraceRecord::Kind::Entry, "read(3, "), "");
    std::string shown;
    annotator.show_in_flight(shown);
    EXPECT_NE(
        shown.find(
            R"("line":1,"pid":10,"event":"syscall","syscall":"read","args":"3,","unfinished":true,"fds":[{"fd":3,"role":"arg","kind":"file","path":"/a")"),
        std::string::npos)
        << shown;
    std::string resumed = record(TraceRecord::Kind::Syscall, R"(read(3, "a", 4) = 1)", 8);
    EXPECT_NE(
        resumed.find(
            R"("resumed":true,"unfinished_line":1,"ret":"1","fds":[{"fd":3,"role":"arg","kind":"file","path":"/a")"),
        std::string::npos)
        << resumed;
    record(TraceRecord::Kind::Entry, "read(3, ");
    shown.clear();
    annotator.show_in_flight(shown);
    std::string detached = record(TraceRecord::Kind::Detached, "");
    EXPECT_NE(
        detached.find(
            R"("syscall":"read","args":"","unfinished":true,"detached":true,"resumed":true,"unfinished_line":3)"),
        std::string::npos)
        << detached;
}

TEST(TraceLiveCache, ThreadsShareForksCopyExecForgets) {
    FakeResolver resolver;
    LiveAnnotator annotator(LiveOptions{}, resolver);
    resolver.fds[{10, 3}] = file_identity("/a");
    feed(annotator, 10, "openat", {static_cast<std::uint64_t>(AT_FDCWD), 0, 0}, 3,
         R"(openat(AT_FDCWD, "/a", O_RDONLY) = 3)");
    annotator.spawned(10, 11, true);   // a thread
    annotator.spawned(10, 12, false);  // a forked child
    int asked = resolver.asked;
    EXPECT_EQ(feed(annotator, 11, "read", {3, 0, 1}, 1, R"(read(3, "a", 1) = 1)"),
              R"(read(3 -> /a, "a", 1) = 1)");
    EXPECT_EQ(feed(annotator, 12, "read", {3, 0, 1}, 1, R"(read(3, "a", 1) = 1)"),
              R"(read(3 -> /a, "a", 1) = 1)");
    EXPECT_EQ(resolver.asked, asked);
    feed(annotator, 12, "close", {3}, 0, "close(3) = 0");
    EXPECT_EQ(feed(annotator, 11, "read", {3, 0, 1}, 1, R"(read(3, "a", 1) = 1)"),
              R"(read(3 -> /a, "a", 1) = 1)");
    annotator.execed(10, 10);
    resolver.fds[{10, 3}] = file_identity("/b");
    EXPECT_EQ(feed(annotator, 10, "read", {3, 0, 1}, 1, R"(read(3, "b", 1) = 1)"),
              R"(read(3 -> /b, "b", 1) = 1)");
}

// ------------------------------------------------------------------ real programs

TEST(TraceLive, TcpClientAndServer) {
    TempDir dir;
    TraceRun run = run_fdtrace(dir, {"-f", "-n", "--", program("trace_tcp")});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    std::smatch port;
    ASSERT_TRUE(std::regex_search(run.out, port, std::regex("port (\\d+)"))) << run.out;
    std::string p = port[1];
    EXPECT_TRUE(
        matches(run.calls, "listen\\(3 -> TCP 127\\.0\\.0\\.1:" + p + " \\(LISTEN\\), 4\\) = 0"))
        << run.trace;
    // Named as it is when the line starts: connected when the call returned
    // before another task printed, a bare TCP socket when its entry was
    // shown first (as strace -yy shows it).
    EXPECT_TRUE(
        matches(run.calls, "connect\\(4 -> TCP( 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:" + p +
                               "[^,]*)?, \\{sa_family=AF_INET, sin_port=htons\\(" + p + "\\)"))
        << run.trace;
    EXPECT_TRUE(matches(run.calls, "accept4\\(3 -> TCP 127\\.0\\.0\\.1:" + p +
                                       " \\(LISTEN\\), .*\\) = 4 -> TCP 127\\.0\\.0\\.1:" + p +
                                       "->127\\.0\\.0\\.1:\\d+"))
        << run.trace;
    EXPECT_TRUE(matches(run.calls, "read\\(4 -> TCP 127\\.0\\.0\\.1:" + p +
                                       "->127\\.0\\.0\\.1:\\d+.*, \"ping\", 16\\) = 4"))
        << run.trace;
    EXPECT_TRUE(matches(run.calls, "write\\(4 -> TCP 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:" + p +
                                       ".*, \"ping\", 4\\) = 4"))
        << run.trace;
}

TEST(TraceLive, TcpWithoutSeccompToo) {
    TempDir dir;
    TraceRun run = run_fdtrace(dir, {"-f", "-n", "--no-seccomp", "--", program("trace_tcp")});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    EXPECT_TRUE(matches(run.calls,
                        "connect\\(4 -> TCP( 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:\\d+[^,]*)?, "))
        << run.trace;
    EXPECT_TRUE(matches(run.calls, "write\\(4 -> TCP 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:\\d+"))
        << run.trace;
    EXPECT_TRUE(contains(run.calls, "\"pong\", 4) = 4")) << run.trace;
}

TEST(TraceLive, UnixSocketsWithPathAndAbstract) {
    TempDir dir;
    std::string socket_path = dir / "server.sock";
    std::string abstract = "fdtrace-test-" + std::to_string(::getpid());
    TraceRun run = run_fdtrace(dir, {"-f", "--", program("trace_unix"), socket_path, abstract});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    EXPECT_TRUE(contains(run.calls, "listen(3 -> UNIX-STREAM " + socket_path + " (LISTEN), 4) = 0"))
        << run.trace;
    EXPECT_TRUE(contains(run.calls, "listen(4 -> UNIX-STREAM @" + abstract + " (LISTEN), 4) = 0"))
        << run.trace;
    // Before it returns (its entry shown first) the socket has no peer yet.
    EXPECT_TRUE(matches(run.calls, "connect\\(5 -> UNIX-STREAM( \\?->" + socket_path +
                                       "[^,]*)?, \\{sa_family=AF_UNIX, sun_path=\"" + socket_path))
        << run.trace;
    EXPECT_TRUE(
        matches(run.calls, "read\\(5 -> UNIX-STREAM " + socket_path + "[^,]*, \"via-path\""))
        << run.trace;
    EXPECT_TRUE(matches(run.calls, "accept\\(4 -> UNIX-STREAM @" + abstract +
                                       " \\(LISTEN\\), NULL, NULL\\) = 6 -> UNIX-STREAM @" +
                                       abstract))
        << run.trace;
}

TEST(TraceLive, PipeBetweenParentAndChild) {
    TempDir dir;
    TraceRun run = run_fdtrace(dir, {"-f", "--", program("trace_pipe")});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    EXPECT_TRUE(matches(run.calls, "pipe2?\\(\\[3 -> pipe:\\[\\d+\\][^,]*, 4 -> pipe:\\[\\d+\\]"))
        << run.trace;
    EXPECT_TRUE(matches(
        run.calls,
        "write\\(4 -> pipe:\\[\\d+\\] \\(peer trace_pipe\\[\\d+\\]\\), \"hello\", 5\\) = 5"))
        << run.trace;
    EXPECT_TRUE(matches(run.calls, "read\\(3 -> pipe:\\[\\d+\\][^,]*, \"hello\", 32\\) = 5"))
        << run.trace;
}

TEST(TraceLive, ThreadsShareTheFdTable) {
    TempDir dir;
    std::string file = dir / "threads.txt";
    TraceRun run = run_fdtrace(dir, {"-f", "--", program("trace_threads"), file});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    std::smatch opened;
    ASSERT_TRUE(
        std::regex_search(run.trace, opened, std::regex("(\\d+) +openat\\(.*\\) = 3 -> " + file)))
        << run.trace;
    std::string main_tid = opened[1];
    int writes = 0;
    std::istringstream lines(run.trace);
    for (std::string line; std::getline(lines, line);) {
        if (!contains(line, "write(3 -> " + file + ", \"thread ")) continue;
        ++writes;
        EXPECT_FALSE(line.starts_with(main_tid + " "))
            << "written by threads, not the main thread: " << line;
    }
    EXPECT_EQ(writes, 3) << run.trace;
    EXPECT_TRUE(matches(run.calls, main_tid + " +close\\(3 -> " + file + "\\) = 0")) << run.trace;
}

TEST(TraceLive, DeletedFileHeldOpen) {
    TempDir dir;
    std::string file = dir / "doomed.txt";
    TraceRun run = run_fdtrace(dir, {"--", program("trace_deleted"), file});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    EXPECT_TRUE(contains(run.calls, "write(3 -> " + file + ", \"before\", 6) = 6")) << run.trace;
    EXPECT_TRUE(contains(run.calls, "write(3 -> " + file + " (deleted), \"after\", 5) = 5"))
        << run.trace;
    EXPECT_TRUE(contains(run.calls, "close(3 -> " + file + " (deleted)) = 0")) << run.trace;
}

TEST(TraceLive, AnonInodeKinds) {
    TempDir dir;
    TraceRun run = run_fdtrace(dir, {"--", program("trace_kinds")});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    EXPECT_TRUE(matches(run.calls, "eventfd2\\(0, EFD_CLOEXEC\\) = 3 -> \\S*eventfd")) << run.trace;
    EXPECT_TRUE(matches(run.calls, "epoll_create1\\(EPOLL_CLOEXEC\\) = 4 -> \\S*eventpoll"))
        << run.trace;
    EXPECT_TRUE(matches(
        run.calls,
        "epoll_wait\\(4 -> [^,]*, \\[\\{events=EPOLLIN, data=\\{u32=4242, u64=4242 -> \\S*eventfd"))
        << run.trace;
    EXPECT_TRUE(matches(
        run.calls,
        "timerfd_create\\(CLOCK_MONOTONIC, TFD_CLOEXEC\\|TFD_NONBLOCK\\) = 5 -> \\S*timerfd"))
        << run.trace;
    EXPECT_TRUE(
        matches(run.calls, "signalfd4\\(-1, \\[USR1\\], 8, SFD_CLOEXEC\\) = 6 -> \\S*signalfd"))
        << run.trace;
    EXPECT_TRUE(matches(run.calls, "pidfd_open\\((\\d+), 0\\) = 7 -> pidfd \\1")) << run.trace;
    EXPECT_TRUE(contains(run.calls,
                         "memfd_create(\"fdtrace-test\", MFD_CLOEXEC) = 8 -> memfd:fdtrace-test"))
        << run.trace;
    EXPECT_TRUE(contains(run.calls, "write(8 -> memfd:fdtrace-test, \"m\", 1) = 1")) << run.trace;
    // Named when made, and read again after each watch (was watches=0 to the end).
    EXPECT_TRUE(contains(run.calls, "inotify_init1(IN_CLOEXEC) = 3 -> inotify (watches=0)"))
        << run.trace;
    EXPECT_TRUE(contains(run.calls, "close(3 -> inotify (watches=2)) = 0")) << run.trace;
}

TEST(TraceLive, ExitStatusPassesThrough) {
    TempDir dir;
    TraceRun exited = run_fdtrace(dir, {"--", program("trace_exit"), "7"});
    EXPECT_EQ(exited.status, 7) << exited.errors;
    EXPECT_TRUE(contains(exited.trace, "+++ exited with 7 +++")) << exited.trace;
    TraceRun killed =
        run_fdtrace(dir, {"--", program("trace_exit"), "kill", std::to_string(SIGTERM)});
    EXPECT_EQ(killed.status, 128 + SIGTERM) << killed.errors;
    EXPECT_TRUE(contains(killed.trace, "+++ killed by SIGTERM +++")) << killed.trace;
}

TEST(TraceLive, SignalHandlerRunsAndStopContinueWork) {
    TempDir dir;
    TraceRun run = run_fdtrace(dir, {"-f", "--", program("trace_signals")});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    EXPECT_TRUE(contains(run.out, "handler ran")) << run.out;
    EXPECT_TRUE(contains(run.out, "resumed")) << run.out;
    EXPECT_TRUE(contains(run.calls, "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid="))
        << run.trace;
    EXPECT_TRUE(contains(run.calls, "--- stopped by SIGSTOP ---")) << run.trace;
    EXPECT_TRUE(contains(run.calls, "--- SIGCONT {si_signo=SIGCONT, si_code=SI_USER")) << run.trace;
}

TEST(TraceLive, RestrictedSetStillNamesFds) {
    // pipe() and close() are not shown, but still traced: the fds they make
    // and drop keep the cache right.
    TempDir dir;
    TraceRun run = run_fdtrace(dir, {"-f", "-e", "trace=write,read", "--", program("trace_pipe")});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    EXPECT_TRUE(matches(run.calls, "write\\(4 -> pipe:\\[\\d+\\][^,]*, \"hello\", 5\\) = 5"))
        << run.trace;
    EXPECT_FALSE(contains(run.calls, "pipe2(")) << run.trace;
    EXPECT_FALSE(contains(run.calls, "close(")) << run.trace;
}

TEST(TraceLive, TimestampsAndDurations) {
    TempDir dir;
    TraceRun run = run_fdtrace(dir, {"-ttt", "-T", "--", program("trace_exit"), "0"});
    ASSERT_EQ(run.status, 0) << run.errors;
    EXPECT_TRUE(matches(
        run.calls,
        "(^|\\n)\\d{10}\\.\\d{6} write\\(1 -> [^,]+, \"bye\\\\n\", 4\\) = 4 <\\d+\\.\\d{6}>\\n"))
        << run.trace;
    TraceRun clock = run_fdtrace(dir, {"-tt", "--", program("trace_exit"), "0"});
    EXPECT_TRUE(matches(clock.trace, "(^|\\n)\\d\\d:\\d\\d:\\d\\d\\.\\d{6} write\\(1 -> "))
        << clock.trace;
}

TEST(TraceLive, JsonLinesCarryLiveIdentities) {
    TempDir dir;
    std::string file = dir / "doomed.txt";
    TraceRun run = run_fdtrace(dir, {"--format=json", "--", program("trace_deleted"), file});
    ASSERT_EQ(run.status, 0) << run.errors;
    EXPECT_TRUE(
        matches(run.calls,
                "\"syscall\":\"write\".*\"fds\":\\[\\{\"fd\":3,\"role\":\"arg\",\"kind\":\"file\","
                "\"path\":\"" +
                    file + "\",\"deleted\":true.*\"source\":\"live\""))
        << run.trace;
    EXPECT_TRUE(contains(run.calls, "\"event\":\"exit\"")) << run.trace;
}

TEST(TraceLive, AttachToBlockedReaderThenDetachOnSigint) {
    Pipe input, output, errors;
    pid_t reader = spawn({program("trace_reader")}, input.read, output.write);
    input.close_read();
    output.close_write();
    ASSERT_TRUE(contains(read_until(output.read, "ready\n"), "ready\n"));

    TempDir dir;
    pid_t tracer = spawn({kFdtrace, "-p", std::to_string(reader), "-o", dir / "trace.txt"}, -1, -1,
                         errors.write);
    errors.close_write();
    ASSERT_TRUE(contains(read_until(errors.read, "attached"),
                         "Process " + std::to_string(reader) + " attached"));

    ASSERT_EQ(::write(input.write, "abc", 3), 3);
    EXPECT_TRUE(contains(read_until(output.read, "got:abc"), "got:abc"));
    // The trace is flushed when the tracee goes idle.
    std::string trace;
    for (long deadline = now_ms() + kTimeoutMs; now_ms() < deadline; ::usleep(10'000)) {
        trace = fold_alignment(read_file(dir / "trace.txt"));
        if (contains(trace, "got:abc")) break;
    }
    EXPECT_TRUE(matches(trace, "read\\(0 -> pipe:\\[\\d+\\][^,]*, \"abc\", 256\\) = 3")) << trace;
    EXPECT_TRUE(matches(trace, "write\\(1 -> pipe:\\[\\d+\\][^,]*, \"got:abc\", 7\\) = 7"))
        << trace;

    ::kill(tracer, SIGINT);
    EXPECT_EQ(wait_for(tracer), 0);
    EXPECT_TRUE(contains(read_until(errors.read, "detached"), "detached"));
    char state = process_state(reader);
    EXPECT_TRUE(state != 't' && state != 'T' && state != '?') << "state " << state;
    ASSERT_EQ(::write(input.write, "def", 3), 3);
    EXPECT_TRUE(contains(read_until(output.read, "got:def"), "got:def"));
    input.close_write();
    EXPECT_EQ(wait_for(reader), 0);
}

// ------------------------------------------------------------------ calls in flight

// A listening socket on loopback that accepts (through its backlog) and
// never answers: the server of a hung client.
struct SilentServer {
    int fd = -1;
    int port = 0;
    SilentServer() {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            ::listen(fd, 4) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            port = ntohs(address.sin_port);
    }
    ~SilentServer() { ::close(fd); }
    // Ends the wait: accepts the client and sends it a byte.
    void answer() {
        int client = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (client >= 0 && ::write(client, "x", 1) == 1) ::close(client);
    }
};

// `fdtrace -p` on a process blocked in a call: the call is on the output
// (annotated) within a second of attaching, " <detached ...>" closes it on
// SIGINT, and the process is left running, in the call, untouched.
void expect_blocked_call_on_attach(pid_t target, int target_out, const std::string& call_regex,
                                   const std::string& what) {
    Pipe errors;
    pid_t tracer = spawn({kFdtrace, "-n", "-p", std::to_string(target)}, -1, -1, errors.write);
    errors.close_write();
    std::string seen = read_until(errors.read, "attached");
    ASSERT_TRUE(contains(seen, "attached")) << what << seen;
    long attached = now_ms();
    std::string more = read_until(errors.read, ", ", 1000);
    seen += more;
    long shown = now_ms();
    EXPECT_TRUE(matches(seen, call_regex + "$")) << what << ": " << seen;
    EXPECT_LT(shown - attached, 1000) << what;
    ::usleep(100'000);
    ::kill(tracer, SIGINT);
    seen += read_until(errors.read, "detached\n");
    EXPECT_EQ(wait_for(tracer), 0) << what;
    EXPECT_TRUE(matches(seen, call_regex + " <detached \\.\\.\\.>\n")) << what << ": " << seen;
    EXPECT_EQ(settled_state(target, 'S'), 'S') << what;
    EXPECT_FALSE(contains(read_until(target_out, "got:", 100), "got:")) << what << ": woken up";
}

// trace_blocked MODE PORT blocked in recv on a silent server, attached to.
void expect_blocked_client_on_attach(const std::string& mode, const std::string& call_prefix) {
    SilentServer server;
    ASSERT_GT(server.port, 0);
    Pipe output;
    std::string port = std::to_string(server.port);
    pid_t client = spawn({program("trace_blocked"), mode, port}, -1, output.write);
    output.close_write();
    ASSERT_TRUE(contains(read_until(output.read, "ready\n"), "ready\n"));
    ::usleep(100'000);  // in recv by now
    expect_blocked_call_on_attach(
        client, output.read,
        call_prefix + "recvfrom\\(3 -> TCP 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:" + port +
            "[^,]*, ",
        mode);
    server.answer();
    EXPECT_TRUE(contains(read_until(output.read, "got:1"), "got:1"));
    EXPECT_EQ(wait_for(client), 0);
}

TEST(TraceInFlight, AttachShowsARecvBlockedOnASilentServer) {
    expect_blocked_client_on_attach("recv", "\n?");
}

TEST(TraceInFlight, AttachShowsTheBlockedThreadOfAThreadedProcess) {
    expect_blocked_client_on_attach("thread-recv", "\\[pid +\\d+\\] ");
}

TEST(TraceInFlight, AttachShowsAReadBlockedOnAPipe) {
    Pipe input, output;
    pid_t reader = spawn({program("trace_reader")}, input.read, output.write);
    input.close_read();
    output.close_write();
    ASSERT_TRUE(contains(read_until(output.read, "ready\n"), "ready\n"));
    ::usleep(100'000);
    expect_blocked_call_on_attach(reader, output.read, "\nread\\(0 -> pipe:\\[\\d+\\][^,]*, ",
                                  "pipe");
    ASSERT_EQ(::write(input.write, "abc", 3), 3);
    EXPECT_TRUE(contains(read_until(output.read, "got:abc"), "got:abc"));
    input.close_write();
    EXPECT_EQ(wait_for(reader), 0);
}

// The kernel restarts an interrupted sleep as restart_syscall(): fdtrace
// names what it resumes from the registers (strace guesses, often wrongly).
TEST(TraceInFlight, AttachToASleepShowsTheRestartedSleep) {
    pid_t sleeper = spawn({"/bin/sleep", "30"});
    ::usleep(200'000);
    Pipe errors;
    pid_t tracer =
        spawn({kFdtrace, "-e", "trace=all", "-p", std::to_string(sleeper)}, -1, -1, errors.write);
    errors.close_write();
    std::string seen = read_until(errors.read, "nanosleep");
    EXPECT_TRUE(contains(seen, "restart_syscall(<... resuming interrupted clock_nanosleep ...>"))
        << seen;
    ::kill(tracer, SIGINT);
    seen += read_until(errors.read, "detached\n");
    EXPECT_TRUE(contains(seen, "clock_nanosleep ...> <detached ...>\n")) << seen;
    EXPECT_EQ(wait_for(tracer), 0);
    EXPECT_EQ(settled_state(sleeper, 'S'), 'S');
    ::kill(sleeper, SIGKILL);
    wait_for(sleeper);
}

// `fdtrace -f -- sh -c 'sleep 2; echo x'`: while the sleep runs, its
// clock_nanosleep and the shell's wait4 are already on the output; the
// wait4 that another task's line interrupted ends as "<... wait4 resumed>".
TEST(TraceInFlight, LaunchedCommandShowsCallsBeforeTheyReturn) {
    Pipe errors;
    pid_t tracer = spawn({kFdtrace, "-f", "-e", "trace=clock_nanosleep,wait4", "--", "/bin/sh",
                          "-c", "sleep 2; echo x"},
                         -1, -1, errors.write);
    errors.close_write();
    long started = now_ms();
    std::string seen = read_until(errors.read, "clock_nanosleep(", 1500);
    long shown = now_ms();
    EXPECT_LT(shown - started, 1500) << seen;
    EXPECT_TRUE(matches(seen, "\\[pid +\\d+\\] wait4\\(-1, [^\n]* <unfinished \\.\\.\\.>\n"))
        << seen;
    EXPECT_TRUE(matches(seen, "\\[pid +\\d+\\] clock_nanosleep\\(")) << seen;
    int status = 0;
    EXPECT_EQ(::waitpid(tracer, &status, WNOHANG), 0) << "the command ended already";
    seen += read_until(errors.read, "exited with 0 +++\n[pid", 5000);
    seen += read_until(errors.read, "<never>", 3000);
    seen = fold_alignment(seen);
    EXPECT_EQ(wait_for(tracer), 0);
    // Its child gone, the shell is the only task: no pid column, as strace.
    EXPECT_TRUE(matches(seen, "(\\[pid +\\d+\\] )?<\\.\\.\\. wait4 resumed>[^\n]*\\) = \\d+\n"))
        << seen;
    EXPECT_TRUE(matches(seen, "clock_nanosleep\\([^\n]*\\) = 0\n")) << seen;
}

// Counts, in a trace, the lines of each shape a call can take.
struct CallShapes {
    int whole = 0, unfinished = 0, resumed = 0;
};
CallShapes shapes_of(const std::string& trace, const std::string& name, const std::string& filter) {
    CallShapes shapes;
    std::istringstream lines(trace);
    for (std::string line; std::getline(lines, line);) {
        if (!matches(line, filter)) continue;
        if (contains(line, "<... " + name + " resumed>"))
            ++shapes.resumed;
        else if (!matches(line, "(^|\\] |^\\d+ +)" + name + "\\("))
            continue;
        else if (std::string_view(line).ends_with(kUnfinished))
            ++shapes.unfinished;
        else
            ++shapes.whole;
    }
    return shapes;
}

// Two threads that block in turn: the same unfinished/resumed pairs strace
// prints, and `fdtrace annotate` reads fdtrace's own output back (the
// resumed record names the pipe the unfinished half named).
TEST(TraceInFlight, ThreadsBlockingInTurnGiveStracesPairs) {
    TempDir dir;
    TraceRun run = run_fdtrace(
        dir, {"-f", "--mark-annotations", "-e", "trace=read,write,pipe,pipe2,clone,clone3", "--",
              program("trace_blocked"), "turns"});
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    std::string plain = strip_marked(run.trace);
    // One-byte reads are the two threads' (the loader reads 832 bytes). Both
    // are blocked when the main thread's first write is printed, so both are
    // closed as unfinished (the write's line comes between), whatever their order.
    CallShapes ours =
        shapes_of(plain, "read", "read\\(\\d+,  <unf|resumed>\"[ab]\", 1\\)|, \"[ab]\", 1\\)");
    EXPECT_EQ(ours.unfinished, 2) << run.trace;
    EXPECT_EQ(ours.resumed, 2) << run.trace;
    EXPECT_EQ(ours.whole, 0) << run.trace;
    EXPECT_EQ(std::count(run.trace.begin(), run.trace.end(), '\n') > 0, true);
    EXPECT_TRUE(matches(strip_marked(run.trace), "read\\(\\d+,  <unfinished \\.\\.\\.>\n"))
        << run.trace;
    EXPECT_TRUE(
        matches(run.calls, "read\\(\\d+\x1e -> pipe:\\[\\d+\\][^\x1f]*\x1f, \"a\", 1\\) = 1"))
        << run.calls;

    std::string strace_log = dir / "strace.txt";
    std::string strace_command = "strace -f -o " + strace_log +
                                 " -e trace=read,write,pipe,pipe2,clone,clone3 " +
                                 program("trace_blocked") + " turns";
    ASSERT_EQ(::system(strace_command.c_str()), 0);
    CallShapes theirs = shapes_of(read_file(strace_log), "read",
                                  "read\\(\\d+,  <unf|resumed>\"[ab]\", 1\\)|, \"[ab]\", 1\\)");
    EXPECT_EQ(theirs.unfinished, ours.unfinished) << read_file(strace_log);
    EXPECT_EQ(theirs.resumed, ours.resumed) << read_file(strace_log);

    // Round trip: fdtrace's text without its annotations is a strace log.
    std::ofstream(dir / "plain.log") << plain;
    std::string annotate =
        kFdtrace + " annotate --format=json " + dir / "plain.log" + " > " + dir / "out.json";
    ASSERT_EQ(::system(annotate.c_str()), 0);
    std::string json = read_file(dir / "out.json");
    EXPECT_TRUE(
        matches(json,
                "\"syscall\":\"read\",\"args\":\"\\\\\"[ab]\\\\\", 1\",\"resumed\":true,"
                "\"unfinished_line\":\\d+,\"ret\":\"1\",\"fds\":\\[\\{\"fd\":\\d+,\"role\":\"arg\","
                "\"kind\":\"pipe\""))
        << json;
    std::string marked =
        kFdtrace + " annotate --mark-annotations " + dir / "plain.log" + " > " + dir / "again.txt";
    ASSERT_EQ(::system(marked.c_str()), 0);
    EXPECT_EQ(strip_marked(read_file(dir / "again.txt")), plain);
}

TEST(TraceLive, InterruptedLaunchKeepsTheCommandWorking) {
    // A launched command carries fdtrace's seccomp filter, so SIGINT cannot
    // detach it: output stops and it must go on working until it exits.
    Pipe input, output, errors;
    TempDir dir;
    pid_t tracer = spawn({kFdtrace, "-o", dir / "trace.txt", "--", program("trace_reader")},
                         input.read, output.write, errors.write);
    input.close_read();
    output.close_write();
    errors.close_write();
    ASSERT_TRUE(contains(read_until(output.read, "ready\n"), "ready\n"));
    ::kill(tracer, SIGINT);
    EXPECT_TRUE(contains(read_until(errors.read, "cannot be detached"), "cannot be detached"));
    ASSERT_EQ(::write(input.write, "xyz", 3), 3);
    EXPECT_TRUE(contains(read_until(output.read, "got:xyz"), "got:xyz"));
    input.close_write();
    EXPECT_EQ(wait_for(tracer), 0);
}

TEST(TraceLive, NonexistentPidIsOneLineAndStatusTwo) {
    TempDir dir;
    // Find a pid that is not in use (pid_max is at least 32768).
    int pid = 4'000'000;
    while (::kill(pid, 0) == 0 || errno != ESRCH) --pid;
    TraceRun run = run_fdtrace(dir, {"-p", std::to_string(pid)});
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(run.errors, "fdtrace: -p " + std::to_string(pid) + ": no such process\n");
}

TEST(TraceLive, UsageErrors) {
    TempDir dir;
    TraceRun unknown =
        run_fdtrace(dir, {"-e", "trace=read,no_such_call", "--", program("trace_exit")});
    EXPECT_EQ(unknown.status, 2);
    EXPECT_EQ(unknown.errors, "fdtrace: -e trace: invalid system call 'no_such_call'\n");
    TraceRun missing = run_fdtrace(dir, {"--", dir / "not-a-program"});
    EXPECT_EQ(missing.status, 127);
}

TEST(TraceLive, NetworkNamespaceAddresses) {
    const char* unshare = "/usr/bin/unshare";
    if (::access(unshare, X_OK) != 0) GTEST_SKIP() << "no unshare(1)";
    TempDir dir;
    TraceRun run = run_fdtrace(dir, {"-f", "-n", "--", unshare, "--net", program("trace_netns")});
    if (run.status != 0 && !contains(run.calls, "listen("))
        GTEST_SKIP() << "cannot create a network namespace here";
    ASSERT_EQ(run.status, 0) << run.errors << run.trace;
    std::smatch port;
    ASSERT_TRUE(std::regex_search(run.out, port, std::regex("port (\\d+)"))) << run.out;
    std::string p = port[1];
    EXPECT_TRUE(matches(run.calls, "listen\\(\\d+ -> TCP 127\\.0\\.0\\.1:" + p + " \\(LISTEN\\)"))
        << run.trace;
    EXPECT_TRUE(
        matches(run.calls, "connect\\(\\d+ -> TCP 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:" + p))
        << run.trace;
}

// The decoders print what strace prints: the same program, the same calls,
// compared line by line (addresses and ephemeral ports aside).
TEST(TraceFormats, MatchStrace) {
    const char* strace = "/usr/bin/strace";
    if (::access(strace, X_OK) != 0) GTEST_SKIP() << "no strace to compare with";
    const std::string set =
        "trace=read,write,pread64,pwrite64,readv,writev,openat,pipe2,dup,dup2,dup3,fcntl,poll,"
        "ppoll,"
        "pselect6,epoll_create1,epoll_ctl,epoll_wait,eventfd2,socketpair,sendmsg,recvmsg,socket,"
        "bind,"
        "getsockname,sendto,recvfrom,setsockopt,listen,shutdown,connect,close,close_range,lseek";
    TempDir dir;
    pid_t reference =
        spawn({strace, "-o", dir / "strace.txt", "-e", set, program("trace_formats"), dir.path()});
    ASSERT_EQ(wait_for(reference), 0);
    TraceRun run =
        run_fdtrace(dir, {"--format=json", "-e", set, "--", program("trace_formats"), dir.path()});
    ASSERT_EQ(run.status, 0) << run.errors;

    auto normalize = [](std::string line) {
        line = std::regex_replace(line, std::regex("0x[0-9a-f]{6,}"), "0xADDR");
        line = std::regex_replace(line, std::regex("htons\\(\\d{4,5}\\)"), "htons(PORT)");
        line = std::regex_replace(line, std::regex("\\s+= "), " = ");
        return line;
    };
    std::vector<std::string> expected;
    std::istringstream strace_lines(read_file(dir / "strace.txt"));
    for (std::string line; std::getline(strace_lines, line);) expected.push_back(normalize(line));
    std::vector<std::string> actual;
    std::istringstream json_lines(run.trace);
    const std::string key = "\"raw\":\"";
    for (std::string line; std::getline(json_lines, line);) {
        std::size_t at = line.find(key);
        ASSERT_NE(at, std::string::npos) << line;
        // The raw line, JSON escapes undone.
        std::string plain;
        for (std::size_t i = at + key.size(); i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\' && i + 1 < line.size()) {
                char next = line[++i];
                plain += next == 'n' ? '\n' : next == 't' ? '\t' : next;
            } else {
                plain += line[i];
            }
        }
        actual.push_back(normalize(plain));
    }
    // From the program's own first call on: what the loader (or a
    // sanitizer's runtime) does before main() depends on addresses.
    auto own_calls = [](std::vector<std::string>& lines) {
        auto first = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
            return contains(line, "formats.txt");
        });
        lines.erase(lines.begin(), first);
    };
    own_calls(expected);
    own_calls(actual);
    ASSERT_GT(expected.size(), 40u);
    ASSERT_EQ(actual.size(), expected.size()) << run.trace;
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(actual[i], expected[i]) << "line " << i + 1;
}

}  // namespace
}  // namespace fdtrace
