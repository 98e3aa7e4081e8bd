// `fdtrace annotate` as a user runs it: files, stdin, -ff sets, JSON, bad
// input, errors and exit statuses.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "fdtrace/render.h"
#include "process_support.h"
#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::run_shell;
using testing::source_dir;

std::string fixture(const std::string& name) { return source_dir() + "/fixtures/" + name; }

class AnnotateCli : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = std::filesystem::temp_directory_path() /
              ("fdtrace-cli-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::string path(const std::string& name) { return (dir / name).string(); }
    std::filesystem::path dir;
};

TEST_F(AnnotateCli, MissingFileIsOneLineAndStatus2) {
    // Under this test's own fresh directory: a shared path such as
    // /nonexistent can be made by anything else on the machine.
    std::string missing = (dir / "missing" / "trace.log").string();
    auto result = run_shell(fdtrace_binary() + " annotate " + missing + " 2>&1");
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.out,
              "fdtrace: annotate: cannot open '" + missing + "': No such file or directory\n");
}

TEST_F(AnnotateCli, BadOptionsAreUsageErrors) {
    EXPECT_EQ(run_shell(fdtrace_binary() + " annotate --format=xml /dev/null 2>/dev/null").status,
              2);
    EXPECT_EQ(run_shell(fdtrace_binary() + " annotate --bogus 2>/dev/null").status, 2);
    EXPECT_EQ(run_shell(fdtrace_binary() + " frobnicate 2>/dev/null").status, 2);
    auto help = run_shell(fdtrace_binary() + " annotate --help");
    EXPECT_EQ(help.status, 0);
    EXPECT_NE(help.out.find("--format"), std::string::npos);
}

TEST_F(AnnotateCli, StdinAndFileGiveTheSameOutput) {
    std::string log = fixture("nginx-curl.plain.log");
    auto from_file = run_shell(fdtrace_binary() + " annotate " + log);
    auto from_stdin = run_shell(fdtrace_binary() + " annotate - < " + log);
    auto from_pipe = run_shell("cat " + log + " | " + fdtrace_binary() + " annotate");
    EXPECT_EQ(from_file.status, 0);
    EXPECT_EQ(from_file.out, from_stdin.out);
    EXPECT_EQ(from_file.out, from_pipe.out);
    EXPECT_NE(from_file.out.find(" -> TCP "), std::string::npos);
}

TEST_F(AnnotateCli, AFileIsReadTwiceAPipeOnce) {
    {
        std::ofstream log(path("trace.log"));
        log << "7 write(2, \"x\", 1) = 1\n"
               "7 newfstatat(2, \"\", {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0x3), ...}, "
               "AT_EMPTY_PATH) = 0\n";
    }
    const std::string named = "7 write(2 -> inherited, /dev/pts/3 (from line 2), \"x\", 1) = 1\n";
    auto from_file = run_shell(fdtrace_binary() + " annotate " + path("trace.log"));
    auto from_stdin = run_shell(fdtrace_binary() + " annotate < " + path("trace.log"));
    auto from_pipe = run_shell("cat " + path("trace.log") + " | " + fdtrace_binary() + " annotate");
    auto one_pass = run_shell(fdtrace_binary() + " annotate --one-pass " + path("trace.log"));
    EXPECT_EQ(from_file.status, 0);
    EXPECT_TRUE(from_file.out.starts_with(named)) << from_file.out;
    EXPECT_EQ(from_stdin.out, from_file.out);
    EXPECT_TRUE(from_pipe.out.starts_with("7 write(2 -> inherited, \"x\"")) << from_pipe.out;
    EXPECT_EQ(one_pass.out, from_pipe.out);
    // -ff files merged: each read in the same order.
    {
        std::ofstream a(path("ff.log.7")), b(path("ff.log.8"));
        a << "10:00:00.000001 write(1, \"x\", 1) = 1\n"
             "10:00:00.000004 ioctl(1, TCGETS, {c_iflag=ICRNL}) = 0\n";
        b << "10:00:00.000002 write(1, \"x\", 1) = 1\n"
             "10:00:00.000003 fstat(1, {st_mode=S_IFIFO|0600, st_size=0, ...}) = 0\n";
    }
    auto merged =
        run_shell(fdtrace_binary() + " annotate " + path("ff.log.7") + " " + path("ff.log.8"));
    // Line 2 of which file: the name as given, as JSON's "file".
    EXPECT_NE(merged.out.find("[pid 7] 10:00:00.000001 write(1 -> inherited, chr (from " +
                              path("ff.log.7") + ":2)"),
              std::string::npos)
        << merged.out;
    EXPECT_NE(merged.out.find("[pid 8] 10:00:00.000002 write(1 -> inherited, pipe (from " +
                              path("ff.log.8") + ":2)"),
              std::string::npos)
        << merged.out;
}

// -ff files without times replay file by file: the parent's must come
// first, whatever order the shell's glob gave (trace.10001 < trace.9998).
TEST_F(AnnotateCli, FfFilesWithoutTimesGoParentFirst) {
    {
        std::ofstream parent(path("trace.9998")), child(path("trace.10001"));
        parent
            << "pipe([3, 4]) = 0\nclone(child_stack=NULL, flags=SIGCHLD) = 10001\nclose(4) = 0\n";
        child << "close(3) = 0\ndup2(4, 1) = 1\n";
    }
    auto result =
        run_shell(fdtrace_binary() + " annotate " + path("trace.10001") + " " + path("trace.9998"));
    EXPECT_NE(result.out.find("[pid 10001] close(3 -> pipe read end"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("[pid 10001] dup2(4 -> pipe write end"), std::string::npos)
        << result.out;
    // Pids wrap: the fork line says which file is the parent's.
    {
        std::ofstream parent(path("wrap.32000")), child(path("wrap.300"));
        parent << "openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY) = 3\n"
                  "clone(child_stack=NULL, flags=SIGCHLD) = 300\nclose(3) = 0\n";
        child << "read(3, \"\", 1) = 0\n";
    }
    auto wrapped =
        run_shell(fdtrace_binary() + " annotate " + path("wrap.300") + " " + path("wrap.32000"));
    EXPECT_NE(wrapped.out.find("[pid 300] read(3 -> /etc/hosts"), std::string::npos) << wrapped.out;
    // strace -ff -r: a time since the file's previous line orders nothing
    // across files (the child's small stamps came first, its fds inherited).
    {
        std::ofstream parent(path("rel.500")), child(path("rel.501"));
        parent << "     0.000000 pipe([3, 4]) = 0\n"
                  "     0.000120 clone(child_stack=NULL, flags=SIGCHLD) = 501\n"
                  "     0.000300 close(4) = 0\n";
        child << "     0.000000 close(3) = 0\n     0.000017 dup2(4, 1) = 1\n";
    }
    auto relative =
        run_shell(fdtrace_binary() + " annotate " + path("rel.500") + " " + path("rel.501"));
    EXPECT_NE(relative.out.find("dup2(4 -> pipe write end"), std::string::npos) << relative.out;
    // A thread's file comes after its creator's whole file: the creator's
    // later close must not reach into the thread's lines (one fd table).
    {
        std::ofstream main(path("thr.700")), thread(path("thr.701"));
        main << "openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY) = 3\n"
                "clone(child_stack=0x7f00, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|"
                "CLONE_THREAD|CLONE_SYSVSEM) = 701\n"
                "close(3) = 0\n";
        thread << "read(3, \"x\", 1) = 1\n";
    }
    auto threads =
        run_shell(fdtrace_binary() + " annotate " + path("thr.700") + " " + path("thr.701"));
    EXPECT_NE(threads.out.find("[pid 701] read(3 -> /etc/hosts, "), std::string::npos)
        << threads.out;
}

// Case 20 (b): a pipe across -ff files; a child is never its own peer.
TEST_F(AnnotateCli, PipeEndsAcrossFfFiles) {
    {
        std::ofstream parent(path("trace.19473")), writer(path("trace.19755")),
            reader(path("trace.19756"));
        parent << "pipe([4, 5]) = 0\nfork() = 19755\nclose(5) = 0\nfork() = 19756\nclose(4) = 0\n";
        writer << "close(4) = 0\ndup2(5, 1) = 1\nclose(5) = 0\n";
        reader << "dup2(4, 0) = 0\nclose(4) = 0\n";
    }
    auto result = run_shell(fdtrace_binary() + " annotate " + path("trace.19473") + " " +
                            path("trace.19755") + " " + path("trace.19756"));
    EXPECT_NE(result.out.find(
                  "[pid 19473] close(4 -> pipe read end (also held by [19755], [19756])) = 0"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("[pid 19755] close(4 -> pipe read end (also held by [19756])) = 0"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("[pid 19755] close(5 -> pipe write end (peer [19756])) = 0"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("[pid 19756] close(4 -> pipe read end (peer [19755])) = 0"),
              std::string::npos)
        << result.out;
}

TEST_F(AnnotateCli, OutputFileAndJsonLinesOnePerInputLine) {
    std::string log = fixture("python-sockets.plain.log");
    auto result =
        run_shell(fdtrace_binary() + " annotate --format=json -o " + path("out.json") + " " + log);
    ASSERT_EQ(result.status, 0);
    std::string json = read_file(path("out.json"));
    std::string input = read_file(log);
    EXPECT_EQ(std::count(json.begin(), json.end(), '\n'),
              std::count(input.begin(), input.end(), '\n'));
    EXPECT_NE(json.find("\"kind\":\"unix\""), std::string::npos);
    // Every record is valid JSON (python3's parser is the judge).
    auto check =
        run_shell("python3 -c 'import json,sys\nfor l in open(sys.argv[1]): json.loads(l)' " +
                  path("out.json") + " 2>&1");
    EXPECT_EQ(check.status, 0) << check.out;
}

TEST_F(AnnotateCli, StrippingAnnotationsGivesTheInputBack) {
    // The text contract: the input line with " -> IDENTITY" inserted, nothing
    // else changed. Without colour, the annotation is the only difference.
    std::string log = fixture("shell-pipeline.plain.log");
    auto result =
        run_shell(fdtrace_binary() + " annotate --color=never " + log + " > " + path("out.txt"));
    ASSERT_EQ(result.status, 0);
    std::string annotated = read_file(path("out.txt"));
    std::string input = read_file(log);
    // Every input line is a prefix-preserving subsequence of its output line.
    std::istringstream in(input), out(annotated);
    std::string a, b;
    int lines = 0;
    while (std::getline(in, a)) {
        ASSERT_TRUE(std::getline(out, b));
        std::size_t i = 0;
        for (char c : b)
            if (i < a.size() && c == a[i]) ++i;
        EXPECT_EQ(i, a.size()) << a << "\n" << b;
        ++lines;
    }
    EXPECT_FALSE(std::getline(out, b));
    EXPECT_GT(lines, 100);
}

TEST_F(AnnotateCli, RoundTripEveryFixtureByteForByte) {
    // With the annotations marked, taking them out gives the input back
    // exactly, and the marks are the only difference from normal output:
    // fdtrace inserts, it never rewrites.
    int checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/fixtures")) {
        std::string name = entry.path().string();
        if (name.find(".log") == std::string::npos) continue;
        for (std::string flags : {"", " --explain", " --format=text -n"}) {
            auto marked =
                run_shell(fdtrace_binary() + " annotate --color=never --mark-annotations" + flags +
                          " " + name);
            ASSERT_EQ(marked.status, 0) << name;
            ASSERT_EQ(strip_marked(marked.out), read_file(name)) << name << flags;
            auto plain =
                run_shell(fdtrace_binary() + " annotate --color=never" + flags + " " + name);
            std::string unmarked = marked.out;
            std::erase(unmarked, kMarkBegin);
            std::erase(unmarked, kMarkEnd);
            ASSERT_EQ(unmarked, plain.out) << name << flags;
        }
        ++checked;
    }
    EXPECT_GT(checked, 25);
}

TEST_F(AnnotateCli, HostileNamesAreEscapedInTextAndValidInJson) {
    // A log naming files with newlines, quotes, "->", terminal escapes and
    // bytes that are not UTF-8, as strace prints them (C escapes).
    std::ofstream(path("hostile.log"))
        << R"(openat(AT_FDCWD, "/tmp/a\nb -> c\"d\33[2J\377\376", O_RDONLY) = 3)"
        << "\n"
        << R"(read(3, "x", 1) = 1)"
        << "\n"
        << R"(socket(AF_UNIX, SOCK_STREAM, 0) = 4)"
        << "\n"
        << R"(connect(4, {sa_family=AF_UNIX, sun_path=@"\33]0;pwned\7"}, 12) = 0)"
        << "\n"
        << R"(write(4, "x", 1) = 1)"
        << "\n";
    auto text = run_shell(fdtrace_binary() + " annotate --color=never " + path("hostile.log"));
    ASSERT_EQ(text.status, 0);
    EXPECT_NE(text.out.find(R"(read(3 -> /tmp/a\nb -> c"d\x1b[2J\xff\xfe, "x", 1) = 1)"),
              std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find(R"(write(4 -> UNIX-STREAM ?->@\x1b]0;pwned\x07, "x", 1) = 1)"),
              std::string::npos)
        << text.out;
    for (char c : text.out)
        EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20)
            << "no control bytes reach the terminal";
    auto json = run_shell(fdtrace_binary() + " annotate --format=json " + path("hostile.log") +
                          " > " + path("hostile.json") +
                          " && python3 -c 'import json,sys\nfor l in open(sys.argv[1], "
                          "encoding=\"utf-8\"): json.loads(l)' " +
                          path("hostile.json") + " 2>&1");
    EXPECT_EQ(json.status, 0) << json.out;
}

TEST_F(AnnotateCli, PerPidFilesOfStraceFfAreMerged) {
    std::string files;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/fixtures")) {
        std::string name = entry.path().filename().string();
        if (name.starts_with("shell-pipeline-ff.plain.log.")) files += " " + entry.path().string();
    }
    ASSERT_FALSE(files.empty());
    auto result = run_shell(fdtrace_binary() + " annotate -n" + files);
    ASSERT_EQ(result.status, 0);
    EXPECT_NE(result.out.find("[pid "), std::string::npos);
    EXPECT_NE(result.out.find(" -> pipe"), std::string::npos) << "pipes between the pids";
}

// Case 22: a line with its own pid column gets no "[pid N] " in a merge;
// a -ff file's lines (no pid column) do.
TEST_F(AnnotateCli, MergedFilesKeepTheirOwnPidColumn) {
    std::ofstream(path("a.log")) << "4949  close(3) = 0\n";
    std::ofstream(path("b.log")) << "4950  write(2, \"  Trying 127.0.0.1:1111...\\n\", 27) = 27\n"
                                 << "[pid  4951] read(0, \"\", 1) = 0\n";
    std::ofstream(path("trace.4952")) << "read(0, \"\", 1) = 0\n";
    auto result = run_shell(fdtrace_binary() + " annotate -n " + path("a.log") + " " +
                            path("b.log") + " " + path("trace.4952"));
    ASSERT_EQ(result.status, 0);
    EXPECT_EQ(result.out,
              "4949  close(3 -> inherited) = 0\n"
              "4950  write(2 -> inherited, \"  Trying 127.0.0.1:1111...\\n\", 27) = 27\n"
              "[pid  4951] read(0 -> inherited, \"\", 1) = 0\n"
              "[pid 4952] read(0 -> inherited, \"\", 1) = 0\n");
}

// Case 23: each merged file counts its own lines, and the pid-less lines of
// different files are different processes.
TEST_F(AnnotateCli, MergedFilesHaveTheirOwnLinesAndPidLessProcess) {
    std::ofstream(path("files-a.log")) << "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5\n"
                                       << "epoll_create1(EPOLL_CLOEXEC) = 6\n";
    std::ofstream(path("files-b.log"))
        << "epoll_wait(5, [{EPOLLIN, {u32=4, u64=4}}], 1024, -1) = 1\n"
        << "read(6, \"x\", 1) = 1\n";
    std::string both = path("files-a.log") + " " + path("files-b.log");
    auto text = run_shell(fdtrace_binary() + " annotate -n " + both);
    ASSERT_EQ(text.status, 0);
    EXPECT_EQ(text.out,
              "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5 -> TCP\n"
              "epoll_create1(EPOLL_CLOEXEC) = 6 -> [eventpoll]\n"
              "epoll_wait(5 -> [eventpoll], [{EPOLLIN, {u32=4, u64=4}}], 1024, -1) = 1\n"
              "read(6 -> inherited, \"x\", 1) = 1\n");
    auto json = run_shell(fdtrace_binary() + " annotate --format=json " + both);
    ASSERT_EQ(json.status, 0);
    EXPECT_NE(json.out.find("{\"line\":1,\"file\":\"" + path("files-b.log") + "\""),
              std::string::npos)
        << json.out;
    EXPECT_NE(json.out.find("{\"line\":2,\"file\":\"" + path("files-b.log") + "\""),
              std::string::npos)
        << json.out;
    // Stamped lines interleave: each file's pid-less process keeps its own fds.
    std::ofstream(path("t-a.log")) << "10:00:01 openat(AT_FDCWD, \"/a\", O_RDONLY) = 3\n"
                                   << "10:00:03 read(3, \"x\", 1) = 1\n";
    std::ofstream(path("t-b.log")) << "10:00:02 openat(AT_FDCWD, \"/b\", O_RDONLY) = 3\n"
                                   << "10:00:04 read(3, \"x\", 1) = 1\n";
    auto stamped =
        run_shell(fdtrace_binary() + " annotate -n " + path("t-a.log") + " " + path("t-b.log"));
    EXPECT_EQ(stamped.out,
              "10:00:01 openat(AT_FDCWD, \"/a\", O_RDONLY) = 3 -> /a\n"
              "10:00:02 openat(AT_FDCWD, \"/b\", O_RDONLY) = 3 -> /b\n"
              "10:00:03 read(3 -> /a, \"x\", 1) = 1\n"
              "10:00:04 read(3 -> /b, \"x\", 1) = 1\n");
}

TEST_F(AnnotateCli, GarbageBinaryAndTruncatedInputNeverCrash) {
    std::mt19937 random(7);
    std::string garbage;
    for (int i = 0; i < 200000; ++i) garbage += static_cast<char>(random() & 0xff);
    std::ofstream(path("garbage.bin"), std::ios::binary) << garbage;
    auto result =
        run_shell(fdtrace_binary() + " annotate " + path("garbage.bin") + " > " + path("out.bin"));
    EXPECT_EQ(result.status, 0);
    EXPECT_EQ(read_file(path("out.bin")), garbage) << "unparsed bytes pass through unchanged";

    // Real logs cut at random byte offsets, and lines cut in the middle.
    std::string log = read_file(fixture("http-python-curl.plain.log"));
    for (int round = 0; round < 20; ++round) {
        std::string cut = log.substr(0, random() % log.size());
        std::string shuffled;
        std::istringstream lines(cut);
        std::string line;
        while (std::getline(lines, line))
            shuffled += line.substr(0, random() % (line.size() + 1)) + "\n";
        std::ofstream(path("cut.log"), std::ios::binary) << cut << "\n" << shuffled;
        auto json = run_shell(fdtrace_binary() + " annotate --format=json " + path("cut.log") +
                              " > /dev/null");
        EXPECT_EQ(json.status, 0);
        auto text = run_shell(fdtrace_binary() + " annotate " + path("cut.log") + " > /dev/null");
        EXPECT_EQ(text.status, 0);
    }
}

TEST_F(AnnotateCli, VeryLongLineIsBoundedAndPassedThrough) {
    std::string line = "write(1, \"" + std::string(20 << 20, 'a') + "\", 20971520) = 20971520";
    std::ofstream(path("long.log"), std::ios::binary) << line << "\n";
    auto result = run_shell(fdtrace_binary() + " annotate " + path("long.log") + " | wc -c");
    EXPECT_EQ(result.status, 0);
    EXPECT_GE(std::stoul(result.out), line.size() + 1);
}

TEST_F(AnnotateCli, LivePidNamesInheritedFds) {
    // A still-running process holding a file on fd 5: the log never opened it.
    std::string held = path("held.txt");
    std::ofstream(held) << "x";
    auto result = run_shell("exec 5<" + held + "; printf 'read(5, \"x\", 1) = 1\\n' | " +
                            fdtrace_binary() + " annotate --pid $$");
    EXPECT_EQ(result.status, 0);
    EXPECT_EQ(result.out, "read(5 -> " + held + ", \"x\", 1) = 1\n");
}

// `fdtrace annotate ARGS` reading a pipe the test writes into, and holds open.
class StreamingAnnotate {
  public:
    explicit StreamingAnnotate(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {fdtrace_binary(), "annotate"};
        argv.insert(argv.end(), args.begin(), args.end());
        pid_ = spawn(argv, input_.read, output_.write);
        input_.close_read();
        output_.close_write();
    }
    ~StreamingAnnotate() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    void write(const std::string& text) {
        ASSERT_EQ(::write(input_.write, text.data(), text.size()),
                  static_cast<ssize_t>(text.size()));
    }
    void close_input() { input_.close_write(); }
    // Everything written so far, once `wanted` is in it or `timeout_ms` passed.
    const std::string& read_until(const std::string& wanted, int timeout_ms = 5000) {
        if (got_.find(wanted) == std::string::npos)
            got_ += fdtrace::read_until(output_.read, wanted, timeout_ms);
        return got_;
    }
    int wait() {
        std::optional<int> status = wait_for(pid_);
        pid_ = -1;
        return status.value_or(-1);
    }
    pid_t pid() const { return pid_; }

  private:
    Pipe input_, output_;
    pid_t pid_ = -1;
    std::string got_;
};

// `strace -p PID | fdtrace annotate`: each line is out before the next is
// read, with the input still open; a line strace has only begun (a call
// blocked in the tracee) is shown as far as it goes, and its end follows.
TEST_F(AnnotateCli, StreamsLineByLineFromAPipeThatStaysOpen) {
    for (std::string format : {"text", "json"}) {
        StreamingAnnotate annotate({"--format=" + format, "-n"});
        annotate.write("socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n");
        EXPECT_NE(
            annotate.read_until("\n").find(format == "text" ? "= 3 -> TCP\n" : "\"ret\":\"3\""),
            std::string::npos)
            << format;
        annotate.write(
            "connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.1.2.3\")}, "
            "16) = 0\n");
        EXPECT_NE(annotate.read_until("htons(80)").find("htons(80)"), std::string::npos) << format;
        if (format == "json") continue;
        annotate.write("recvfrom(3, ");
        EXPECT_NE(annotate.read_until("recvfrom(").find("recvfrom(3 -> TCP ?->10.1.2.3:80, "),
                  std::string::npos)
            << annotate.read_until("recvfrom(");
        annotate.write("\"HTTP\", 4, 0, NULL, NULL) = 4\nclose(3) = 0\n");
        const std::string& all = annotate.read_until("close(");
        EXPECT_NE(all.find("recvfrom(3 -> TCP ?->10.1.2.3:80, \"HTTP\", 4, 0, NULL, NULL) = 4\n"),
                  std::string::npos)
            << all;
        annotate.close_input();
        EXPECT_EQ(annotate.wait(), 0);
    }
}

// Ctrl-C reaches every process of `strace -p PID | fdtrace annotate`: strace
// detaches and writes " <detached ...>"; fdtrace waits for it (a second at
// most) instead of dying with the line half-printed.
TEST_F(AnnotateCli, InterruptedPipelineKeepsTheWritersLastLine) {
    StreamingAnnotate annotate({"-n"});
    annotate.write("socket(AF_UNIX, SOCK_STREAM, 0) = 3\nread(3, ");
    annotate.read_until("read(3 -> UNIX-STREAM, ");
    ::kill(annotate.pid(), SIGINT);
    ::usleep(100'000);
    annotate.write(" <detached ...>\n");
    annotate.close_input();
    EXPECT_NE(annotate.read_until("detached").find("read(3 -> UNIX-STREAM,  <detached ...>\n"),
              std::string::npos)
        << annotate.read_until("detached");
    EXPECT_EQ(annotate.wait(), 0);
    // A writer that does not finish: fdtrace still ends, soon.
    StreamingAnnotate stuck({"-n"});
    stuck.write("read(0, ");
    stuck.read_until("read(0");
    ::kill(stuck.pid(), SIGINT);
    EXPECT_EQ(stuck.wait(), 130);
}

// --cwd names the traced program's directory: a relative one cannot (it
// printed "relative/dir/f (cwd unknown)").
TEST_F(AnnotateCli, RelativeCwdIsRefused) {
    auto result = run_shell("echo 'openat(AT_FDCWD, \"f\", O_RDONLY) = 3' | " + fdtrace_binary() +
                            " annotate --cwd relative/dir 2>&1");
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.out, "fdtrace: annotate: --cwd relative/dir: must be an absolute path\n");
    auto good = run_shell("echo 'openat(AT_FDCWD, \"f\", O_RDONLY) = 3' | " + fdtrace_binary() +
                          " annotate --cwd /srv 2>&1");
    EXPECT_NE(good.out.find("= 3 -> /srv/f"), std::string::npos) << good.out;
}

}  // namespace
}  // namespace fdtrace
