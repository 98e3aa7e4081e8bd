// -P PATH / --trace-path=PATH: the matching rules (PathTrace) on their own,
// and the live tracer against strace -P on the same workload.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/select.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "fdtrace/path_trace.h"
#include "fdtrace/render.h"
#include "process_support.h"
#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::run_shell;

// Tracee memory made of a few blocks at chosen addresses.
class FakeMemory final : public MemoryReader {
  public:
    std::uint64_t put(const void* data, std::size_t length) {
        std::uint64_t address = next_;
        blocks_[address] = std::string(static_cast<const char*>(data), length);
        next_ += 0x1000;
        return address;
    }
    std::uint64_t put_string(const std::string& text) { return put(text.c_str(), text.size() + 1); }
    std::size_t read(std::uint64_t address, void* buffer, std::size_t length) override {
        auto it = blocks_.upper_bound(address);
        if (it == blocks_.begin()) return 0;
        --it;
        std::uint64_t offset = address - it->first;
        if (offset >= it->second.size()) return 0;
        std::size_t n = std::min<std::size_t>(length, it->second.size() - offset);
        std::memcpy(buffer, it->second.data() + offset, n);
        return n;
    }

  private:
    std::map<std::uint64_t, std::string> blocks_;
    std::uint64_t next_ = 0x10000;
};

SyscallCall call_of(std::string_view name, std::array<std::uint64_t, 6> args) {
    SyscallCall call;
    call.name = name;
    call.args = args;
    return call;
}

TEST(PathTrace, KeepsThePathAndWhereItResolves) {
    TempDir dir;
    { std::ofstream(dir / "file") << "x"; }
    std::filesystem::create_symlink(dir / "file", dir / "link");
    PathTrace trace;
    EXPECT_TRUE(trace.empty());
    EXPECT_EQ(trace.add(dir / "file"), std::nullopt);  // already canonical (mkdtemp's /tmp/...)
    auto resolved = trace.add(dir / "link");
    ASSERT_TRUE(resolved);
    EXPECT_EQ(*resolved, dir / "file");
    EXPECT_EQ(trace.paths(), (std::vector<std::string>{dir / "file", dir / "link"}));
    EXPECT_TRUE(trace.path_matches(dir / "link"));
    EXPECT_FALSE(trace.path_matches(dir.path() + "//file"));  // bytes, not files, are compared
    EXPECT_EQ(trace.add("/nonexistent/x"), std::nullopt);     // kept although nothing is there
    EXPECT_TRUE(trace.path_matches("/nonexistent/x"));
}

TEST(PathTrace, FdPathsAsStraceReadsThem) {
    TempDir dir;
    { std::ofstream(dir / "gone") << "x"; }
    { std::ofstream(dir / "named (deleted)") << "x"; }
    ScopedFd gone(::open((dir / "gone").c_str(), O_RDONLY));
    ScopedFd named(::open((dir / "named (deleted)").c_str(), O_RDONLY));
    ASSERT_TRUE(gone && named);
    ::unlink((dir / "gone").c_str());
    // An unlinked file loses the kernel's " (deleted)"; a file really named so keeps it.
    EXPECT_EQ(proc_fd_path(::getpid(), gone.get()), dir / "gone");
    EXPECT_EQ(proc_fd_path(::getpid(), named.get()), dir / "named (deleted)");
    EXPECT_EQ(proc_fd_path(::getpid(), -100), std::nullopt);  // AT_FDCWD is no fd
    EXPECT_EQ(proc_fd_path(::getpid(), 999999), std::nullopt);
}

TEST(PathTrace, WhichArgumentsEachCallHas) {
    TempDir dir;
    { std::ofstream(dir / "file") << "x"; }
    { std::ofstream(dir / "other") << "x"; }
    ScopedFd file(::open((dir / "file").c_str(), O_RDONLY));
    ScopedFd other(::open((dir / "other").c_str(), O_RDONLY));
    ScopedFd directory(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
    const auto f = static_cast<std::uint64_t>(file.get());
    const auto o = static_cast<std::uint64_t>(other.get());
    const auto d = static_cast<std::uint64_t>(directory.get());
    const auto cwd = static_cast<std::uint64_t>(static_cast<std::int64_t>(AT_FDCWD));
    PathTrace trace;
    trace.add(dir / "file");
    FakeMemory memory;
    const std::uint64_t named = memory.put_string(dir / "file");
    const std::uint64_t relative = memory.put_string("file");
    const std::uint64_t elsewhere = memory.put_string(dir / "other");
    const int pid = ::getpid();
    auto match = [&](std::string_view name, std::array<std::uint64_t, 6> args) {
        return trace.matches(pid, call_of(name, args), memory);
    };
    EXPECT_TRUE(match("read", {f}));
    EXPECT_FALSE(match("read", {o}));
    EXPECT_TRUE(match("openat", {cwd, named}));
    EXPECT_FALSE(match("openat", {cwd, relative}));  // "file" is not the path given
    EXPECT_FALSE(match("openat", {d, relative}));    // nor is the directory
    EXPECT_TRUE(match("openat", {f, elsewhere}));    // the dirfd is tested on its own
    EXPECT_TRUE(match("dup2", {o, f}));
    EXPECT_TRUE(match("sendfile", {o, f}));
    EXPECT_TRUE(match("splice", {o, 0, f}));
    EXPECT_FALSE(match("splice", {o, f, o}));  // arg 1 is an offset
    EXPECT_TRUE(match("mmap", {0, 4096, 1, 2, f, 0}));
    EXPECT_FALSE(match("mmap", {f, 4096, 1, 2, o, 0}));
    EXPECT_TRUE(match("epoll_ctl", {o, 1, f, 0}));
    EXPECT_TRUE(match("renameat2", {cwd, elsewhere, cwd, named}));
    EXPECT_FALSE(match("symlinkat", {named, cwd, elsewhere}));  // the target is not touched
    EXPECT_TRUE(match("symlinkat", {elsewhere, cwd, named}));
    EXPECT_TRUE(match("link", {elsewhere, named}));
    EXPECT_TRUE(match("unlink", {named}));
    EXPECT_TRUE(match("execve", {named}));
    EXPECT_FALSE(match("socket", {f}));    // makes an fd, takes none
    EXPECT_FALSE(match("accept4", {f}));   // strace does not test it
    EXPECT_FALSE(match("mprotect", {f}));  // in no class of strace's
    EXPECT_FALSE(match("restart_syscall", {f}));
    pollfd fds[2] = {{other.get(), POLLIN, 0}, {file.get(), POLLIN, 0}};
    const std::uint64_t poll_array = memory.put(fds, sizeof fds);
    EXPECT_TRUE(match("poll", {poll_array, 2}));
    EXPECT_FALSE(match("poll", {poll_array, 1}));
    EXPECT_TRUE(match("ppoll", {poll_array, 2}));
    fd_set in_set;
    FD_ZERO(&in_set);
    FD_SET(file.get(), &in_set);
    const std::uint64_t sets = memory.put(&in_set, sizeof in_set);
    EXPECT_TRUE(match("select", {f + 1, 0, sets}));  // the write set
    EXPECT_FALSE(match("select", {f, 0, sets}));     // nfds leaves it out
    EXPECT_TRUE(match("pselect6", {f + 1, sets}));
}

// strace's lines and fdtrace's, annotations out, " = " padding folded,
// "strace: " / "fdtrace: " messages made alike.
std::vector<std::string> comparable(const std::string& trace) {
    static const std::regex kPadding("\\) +=");
    static const std::regex kWho("^(strace|fdtrace): ");
    std::vector<std::string> lines;
    std::istringstream in(strip_marked(trace));
    for (std::string line; std::getline(in, line);)
        lines.push_back(
            std::regex_replace(std::regex_replace(line, kPadding, ") ="), kWho, "TRACER: "));
    return lines;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

TEST(TracePath, AsStrace) {
    TempDir dir;
    { std::ofstream(dir / "file") << "file data\n"; }
    { std::ofstream(dir / "other") << "other data\n"; }
    const std::string workload = program("trace_paths");
    struct Case {
        std::string options;
        std::string command;
    };
    const Case cases[] = {
        {"-P file", workload},                         // relative: also its realpath
        {"--trace-path=" + (dir / "file"), workload},  // absolute
        {"-P " + dir.path(), workload},                // a directory: openat(dirfd, ...)
        {"-P file -P other", workload},                // repeated
        {"-P file -e trace=read,close", workload},     // -e trace= first, then -P
        {"-P file", "cat file other"},
        {"-P /nonexistent", "cat file"},  // nothing matches: exits only
    };
    for (const Case& c : cases) {
        const std::string cd = "cd " + dir.path() + " && ";
        auto theirs =
            run_shell(cd + "strace " + c.options + " " + c.command + " 2>&1 >/dev/null 3>&- 4>&-");
        auto ours = run_shell(cd + fdtrace_binary() + " --mark-annotations " + c.options + " -- " +
                              c.command + " 2>&1 >/dev/null 3>&- 4>&-");
        EXPECT_EQ(ours.status, theirs.status) << c.options;
        EXPECT_EQ(comparable(ours.out), comparable(theirs.out))
            << c.options << " " << c.command << "\nstrace:\n"
            << theirs.out << "fdtrace:\n"
            << strip_marked(ours.out);
        EXPECT_FALSE(theirs.out.empty()) << c.options << ": nothing to compare";
    }
    // The names are still there: the fd of a dup is named by what it is.
    auto named = run_shell("cd " + dir.path() + " && " + fdtrace_binary() +
                           " -P file -e trace=read -- " + workload + " 2>&1 >/dev/null 3>&- 4>&-");
    EXPECT_TRUE(matches(named.out, "read\\(5 -> " + dir.path() + "/file, ")) << named.out;
}

TEST(TracePath, InHelp) {
    auto help = run_shell(fdtrace_binary() + " --help");
    EXPECT_NE(help.out.find("--trace-path"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("-P"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace fdtrace
