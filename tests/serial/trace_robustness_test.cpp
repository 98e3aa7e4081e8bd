// The tracee behaves as untraced whatever it does, and fdtrace always ends
// when asked: children born while their parent dies, busy threads beside a
// sleeper, fdtrace killed, a tracee's own seccomp filter, threads that cannot
// be attached, an execve in a second thread during the attach. Each trial is
// repeated; what is checked is the tracee's own behaviour as much as fdtrace's.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "fdtrace/tracee.h"
#include "process_support.h"

namespace fdtrace {
namespace {

const std::string kChaos = program("tracee_chaos");

// This test process adopts the orphans of the processes it starts (a child
// subreaper), so what they leave behind is found among its own children,
// whatever other tests run beside it.
void adopt_orphans() { ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

// Our children (direct, or orphans adopted) other than `except`.
std::vector<int> our_children(pid_t except = 0) {
    std::vector<int> children;
    DIR* proc = ::opendir("/proc");
    if (!proc) return children;
    while (dirent* entry = ::readdir(proc)) {
        int pid = std::atoi(entry->d_name);
        if (pid <= 0 || pid == except) continue;
        std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
        auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(stat.substr(close + 2));
        char state;
        int parent = 0;
        fields >> state >> parent;
        if (parent == ::getpid()) children.push_back(pid);
    }
    ::closedir(proc);
    return children;
}

// Tasks of our children that are stopped (t or T): a tracee left behind.
std::vector<int> stopped_children_tasks() {
    std::vector<int> stopped;
    for (int pid : our_children()) {
        std::string tasks = "/proc/" + std::to_string(pid) + "/task";
        DIR* dir = ::opendir(tasks.c_str());
        if (!dir) continue;
        while (dirent* task = ::readdir(dir)) {
            int tid = std::atoi(task->d_name);
            if (tid <= 0) continue;
            char state = process_state(tid);
            if (state == 't' || state == 'T') stopped.push_back(tid);
        }
        ::closedir(dir);
    }
    return stopped;
}

// Kills and reaps every child of ours (orphans included) but `except`.
void reap_children(pid_t except = 0) {
    for (int pid : our_children(except)) ::kill(pid, SIGKILL);
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    for (int pid : our_children(except)) wait_for(pid, 1000);
}

// A pid from "WORD PID" in `text`, 0 if none.
int number_after(const std::string& text, const std::string& word) {
    std::smatch found;
    if (!std::regex_search(text, found, std::regex(word + " (\\d+)"))) return 0;
    return std::stoi(found[1]);
}

// A process that forks in a loop is SIGKILLed at a random moment: children
// whose first stop comes before their parent's fork event (which then never
// comes) are adopted at once, so fdtrace ends and leaves nothing stopped.
TEST(TraceRobustness, ForkLoopKilledAtRandomEndsTracingAndLeavesNothingStopped) {
    adopt_orphans();
    std::mt19937 random(12345);
    for (bool attach : {false, true}) {
        for (int trial = 0; trial < 40; ++trial) {
            Pipe output, errors;
            pid_t loop = -1, tracer = -1;
            if (attach) {
                loop = spawn({kChaos, "fork-loop"}, -1, output.write);
                output.close_write();
                ASSERT_TRUE(contains(read_until(output.read, "ready"), "ready"));
                tracer = spawn({kFdtrace, "-f", "-o", "/dev/null", "-p", std::to_string(loop)}, -1,
                               -1, errors.write);
                errors.close_write();
                ASSERT_TRUE(contains(read_until(errors.read, "attached", 5000), "attached"));
            } else {
                tracer = spawn({kFdtrace, "-f", "-o", "/dev/null", "--", kChaos, "fork-loop"}, -1,
                               output.write, errors.write);
                output.close_write();
                errors.close_write();
                loop = number_after(read_until(output.read, "\n"), "ready");
                ASSERT_GT(loop, 0);
            }
            ::usleep(std::uniform_int_distribution<int>(0, 30'000)(random));
            ::kill(loop, SIGKILL);
            long killed = now_ms();
            std::optional<int> status = wait_for(tracer, 2000);
            EXPECT_TRUE(status.has_value()) << (attach ? "attached" : "launched") << " trial "
                                            << trial << ": fdtrace still runs 2 s later";
            EXPECT_LT(now_ms() - killed, 2100);
            if (attach) wait_for(loop, 1000);
            ::usleep(20'000);
            auto stopped = stopped_children_tasks();
            EXPECT_TRUE(stopped.empty()) << (attach ? "attached" : "launched") << " trial " << trial
                                         << ": " << stopped.size() << " tasks left stopped";
            reap_children();
            if (HasFailure()) return;
        }
    }
}

// The sleeper's tick rate over `ms`, from the "ticks N" lines it prints.
double tick_rate(int out, int ms) {
    std::string first = read_until(out, "\n", 2000);
    // Only complete lines after the first newline count.
    long start = now_ms();
    std::string text;
    while (now_ms() - start < ms) text += read_until(out, "\n", 200);
    std::vector<long> counts;
    std::regex tick("ticks (\\d+)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), tick);
         it != std::sregex_iterator(); ++it)
        counts.push_back(std::stol((*it)[1]));
    if (counts.size() < 2) return 0;
    return static_cast<double>(counts.back() - counts.front()) /
           (static_cast<double>(counts.size() - 1) * 0.1);
}

// Four threads in a tight syscall loop and one in a 1 ms sleep loop: under
// fdtrace -p the sleeper keeps at least half its untraced rate (every
// stopped task is served in turn), and SIGINT detaches within 0.5 s.
TEST(TraceRobustness, BusyThreadsDoNotStarveASleeperAndSigintIsPrompt) {
    Pipe output;
    pid_t target = spawn({kChaos, "spin-and-tick"}, -1, output.write);
    output.close_write();
    ASSERT_TRUE(contains(read_until(output.read, "ready"), "ready"));
    double untraced = tick_rate(output.read, 1000);
    ASSERT_GT(untraced, 50) << "ticks per second untraced";

    // The same tracee under a tracer: its sleeper's rate, in the same minute.
    auto rate_under = [&](std::vector<std::string> argv, const std::string& attached) {
        Pipe errors;
        pid_t tracer = spawn(argv, -1, -1, errors.write);
        errors.close_write();
        EXPECT_TRUE(contains(read_until(errors.read, attached, 5000), attached));
        double rate = tick_rate(output.read, 1000);
        ::kill(tracer, SIGINT);
        std::optional<int> status = wait_for(tracer, 2000);
        EXPECT_TRUE(status.has_value());
        if (argv[0] == kFdtrace) EXPECT_EQ(status, 0);  // strace says 130
        return rate;
    };
    double traced =
        rate_under({kFdtrace, "-o", "/dev/null", "-p", std::to_string(target)}, "attached");
    double under_strace = rate_under(
        {"/usr/bin/strace", "-f", "-o", "/dev/null", "-p", std::to_string(target)}, "attached");
    // Half the untraced rate, as the issue asks; on a machine too busy for
    // strace itself to keep that, no worse than strace in the same run.
    EXPECT_GE(traced, std::min(untraced / 2, under_strace * 0.8))
        << "untraced " << untraced << "/s, fdtrace " << traced << "/s, strace " << under_strace
        << "/s";

    for (int trial = 0; trial < 50; ++trial) {
        Pipe trial_errors;
        pid_t again = spawn({kFdtrace, "-o", "/dev/null", "-p", std::to_string(target)}, -1, -1,
                            trial_errors.write);
        trial_errors.close_write();
        ASSERT_TRUE(contains(read_until(trial_errors.read, "attached", 5000), "attached")) << trial;
        ::usleep(30'000);
        long asked = now_ms();
        ::kill(again, SIGINT);
        EXPECT_EQ(wait_for(again, 3000), 0) << trial;
        long took = now_ms() - asked;
        EXPECT_LE(took, 500) << "trial " << trial << ": SIGINT took " << took << " ms";
        ::usleep(10'000);
        EXPECT_TRUE(stopped_children_tasks().empty()) << "trial " << trial;
        if (HasFailure()) break;
    }
    // Untraced again, it runs as before.
    EXPECT_GT(tick_rate(output.read, 500), untraced / 2);
    ::kill(target, SIGKILL);
    wait_for(target);
}

// fdtrace killed while a launched command runs under its seccomp filter:
// the command must not go on with every traced call failing (ENOSYS); the
// kernel ends it with fdtrace (PTRACE_O_EXITKILL).
TEST(TraceRobustness, KilledTracerNeverLeavesTheCommandRunningBroken) {
    TempDir dir;
    std::string log = dir / "log";
    std::string failures = dir / "failures";
    pid_t tracer = spawn(
        {kFdtrace, "-f", "-o", "/dev/null", "--", "/bin/sh", "-c",
         "while :; do echo x >> " + log + " || echo failed >> " + failures + "; sleep 0.02; done"});
    for (long deadline = now_ms() + 5000; now_ms() < deadline && read_file(log).empty();)
        ::usleep(10'000);
    ASSERT_FALSE(read_file(log).empty());
    ::kill(tracer, SIGKILL);
    wait_for(tracer);
    ::usleep(300'000);
    std::size_t before = read_file(log).size();
    ::usleep(300'000);
    EXPECT_EQ(read_file(log).size(), before) << "the command went on without its tracer";
    EXPECT_EQ(read_file(failures), "") << "the command ran with its calls failing";
}

// A program's own seccomp filter that asks for a tracer: untraced, its
// calls fail with ENOSYS; traced by fdtrace (filter or not, in the traced
// set or not), they fail the same way.
TEST(TraceRobustness, TraceesOwnSeccompFilterGetsEnosysAsUntraced) {
    const std::string expected = "getppid=-1 ENOSYS dup3=-1 ENOSYS fd50=closed\n";
    Pipe alone;
    pid_t untraced = spawn({kChaos, "own-filter"}, -1, alone.write);
    alone.close_write();
    ASSERT_EQ(read_until(alone.read, "fd50=", 5000), expected);
    EXPECT_EQ(wait_for(untraced), 0);
    for (std::vector<std::string> options :
         {std::vector<std::string>{}, {"-e", "trace=all"}, {"--no-seccomp"}}) {
        std::vector<std::string> argv = {kFdtrace, "-f", "-o", "/dev/null"};
        argv.insert(argv.end(), options.begin(), options.end());
        argv.insert(argv.end(), {"--", kChaos, "own-filter"});
        Pipe output;
        pid_t tracer = spawn(argv, -1, output.write);
        output.close_write();
        EXPECT_EQ(read_until(output.read, "fd50=", 5000), expected)
            << (options.empty() ? "" : options.back());
        EXPECT_EQ(wait_for(tracer), 0);
    }
}

// strace attaches the threads it can: one held by another tracer is named
// and skipped, the others are traced.
TEST(TraceRobustness, ThreadHeldByAnotherTracerIsSkippedAndNamed) {
    Pipe output;
    pid_t target = spawn({kChaos, "two-threads"}, -1, output.write);
    output.close_write();
    std::string said = read_until(output.read, "ready");
    int thread = number_after(said, "tid");
    ASSERT_GT(thread, 0) << said;
    {
        auto held = Tracee::seize(thread, 0);  // this test process is the other tracer
        ASSERT_TRUE(held);
        Pipe errors;
        pid_t tracer = spawn({kFdtrace, "-o", "/dev/null", "-p", std::to_string(target)}, -1, -1,
                             errors.write);
        errors.close_write();
        std::string seen = read_until(errors.read, "attached", 5000);
        EXPECT_TRUE(
            contains(seen, "thread " + std::to_string(thread) + " not traced: already traced by "))
            << seen;
        EXPECT_TRUE(contains(seen, "Process " + std::to_string(target) + " attached")) << seen;
        ::kill(tracer, SIGINT);
        EXPECT_EQ(wait_for(tracer, 3000), 0);
    }  // the Tracee lets go of the thread
    for (int task : {target, thread}) EXPECT_EQ(settled_state(task, 'S'), 'S') << task;
    ::kill(target, SIGKILL);
    wait_for(target);
}

// One line naming why: a kernel thread, a zombie, a process another tracer holds.
TEST(TraceRobustness, AttachRefusalsNameTheirCause) {
    auto attach_error = [](int pid) {
        Pipe errors;
        pid_t tracer = spawn({kFdtrace, "-p", std::to_string(pid)}, -1, -1, errors.write);
        errors.close_write();
        std::string text = read_until(errors.read, "\n", 5000);
        std::optional<int> status = wait_for(tracer, 5000);
        return std::make_pair(status.value_or(-1), text);
    };
    auto [kthread_status, kthread] = attach_error(2);  // kthreadd
    EXPECT_EQ(kthread_status, 3);
    EXPECT_TRUE(contains(kthread, "kernel thread")) << kthread;

    pid_t zombie = ::fork();
    if (zombie == 0) ::_exit(0);
    ::usleep(50'000);
    auto [zombie_status, zombie_text] = attach_error(zombie);
    EXPECT_EQ(zombie_status, 3);
    EXPECT_TRUE(contains(zombie_text, "zombie")) << zombie_text;
    wait_for(zombie);

    pid_t sleeper = spawn({"/bin/sleep", "30"});
    {
        auto held = Tracee::seize(sleeper, 0);
        ASSERT_TRUE(held);
        auto [traced_status, traced_text] = attach_error(sleeper);
        EXPECT_EQ(traced_status, 3);
        std::string comm = read_file("/proc/self/comm");
        comm.erase(comm.find_last_not_of('\n') + 1);
        EXPECT_TRUE(contains(traced_text,
                             "already traced by " + comm + "[" + std::to_string(::getpid()) + "]"))
            << traced_text;
        EXPECT_EQ(std::count(traced_text.begin(), traced_text.end(), '\n'), 1) << traced_text;
    }
    ::kill(sleeper, SIGKILL);
    wait_for(sleeper);
}

// A second thread execve()s over and over while fdtrace attaches: no
// deadlock (the attach never waits on a thread the exec is killing), the
// exec always completes, and SIGINT ends fdtrace within a second.
TEST(TraceRobustness, ExecInASecondThreadDuringAttachNeverDeadlocks) {
    Pipe output;
    pid_t target = spawn({kChaos, "exec-thread"}, -1, output.write);
    output.close_write();
    ASSERT_TRUE(contains(read_until(output.read, "ready"), "ready"));
    std::string progress;
    for (int trial = 0; trial < 50; ++trial) {
        Pipe errors;
        pid_t tracer = spawn({kFdtrace, "-o", "/dev/null", "-p", std::to_string(target)}, -1, -1,
                             errors.write);
        errors.close_write();
        read_until(errors.read, "attached", 300);
        long asked = now_ms();
        ::kill(tracer, SIGINT);
        std::optional<int> status = wait_for(tracer, 3000);
        EXPECT_TRUE(status.has_value()) << "trial " << trial << ": fdtrace hangs";
        EXPECT_LE(now_ms() - asked, 1000) << "trial " << trial;
        // The execs go on.
        progress += read_until(output.read, "\n", 100);
        int before = 0;
        static const std::regex kExec("exec (\\d+)");
        for (auto it = std::sregex_iterator(progress.begin(), progress.end(), kExec);
             it != std::sregex_iterator(); ++it)
            before = std::stoi((*it)[1]);
        std::string later =
            read_until(output.read, "exec " + std::to_string(before + 2) + "\n", 2000);
        progress += later;
        EXPECT_TRUE(contains(later, "exec " + std::to_string(before + 2) + "\n"))
            << "trial " << trial << ": the execs stopped at " << before;
        if (HasFailure()) break;
    }
    ::kill(target, SIGKILL);
    wait_for(target);
}

// `fdtrace -f -- CMD 2>&1 | head`: the trace's reader goes away; fdtrace
// keeps the command running and ends with its status (not killed by the
// SIGPIPE its writes raised).
TEST(TraceRobustness, ExitStatusSurvivesAClosedOutputPipe) {
    std::string command = "bash -c '" + kFdtrace +
                          " -f -- sh -c \"seq 1 20000 >&2; exit 5\" 2>&1 | head -1 >/dev/null; "
                          "echo ${PIPESTATUS[0]}' 3>&- 4>&-";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[64] = {};
    std::string out;
    while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
    ::pclose(pipe);
    EXPECT_EQ(out, "5\n");
}

// strace's rules for its options: a negative -s is refused; the same pid
// twice is one process.
TEST(TraceRobustness, NegativeStringLimitAndRepeatedPids) {
    Pipe errors;
    pid_t tracer = spawn({kFdtrace, "-s", "-1", "--", "/bin/true"}, -1, -1, errors.write);
    errors.close_write();
    std::string said = read_until(errors.read, "\n", 5000);
    EXPECT_EQ(wait_for(tracer), 2);
    EXPECT_TRUE(contains(said, "-s -1")) << said;

    pid_t sleeper = spawn({"/bin/sleep", "30"});
    Pipe attach_errors;
    std::string pid = std::to_string(sleeper);
    pid_t twice = spawn({kFdtrace, "-p", pid, "-p", pid + "," + pid}, -1, -1, attach_errors.write);
    attach_errors.close_write();
    std::string seen = read_until(attach_errors.read, "attached", 5000);
    EXPECT_TRUE(contains(seen, "Process " + pid + " attached")) << seen;
    ::kill(twice, SIGINT);
    EXPECT_EQ(wait_for(twice, 3000), 0);
    EXPECT_EQ(settled_state(sleeper, 'S'), 'S');
    ::kill(sleeper, SIGKILL);
    wait_for(sleeper);
}

// Several -p with one gone: strace reports it and traces the others; only
// when none can be traced is it an error.
TEST(TraceRobustness, AGonePidAmongSeveralIsReportedAndTheOthersTraced) {
    int gone = 4'000'000;
    while (::kill(gone, 0) == 0 || errno != ESRCH) --gone;
    pid_t sleeper = spawn({"/bin/sleep", "30"});
    Pipe errors;
    pid_t tracer = spawn({kFdtrace, "-p", std::to_string(sleeper), "-p", std::to_string(gone)}, -1,
                         -1, errors.write);
    errors.close_write();
    std::string seen = read_until(errors.read, "no such process", 5000);  // after "attached"
    EXPECT_TRUE(contains(seen, "Process " + std::to_string(sleeper) + " attached")) << seen;
    EXPECT_TRUE(contains(seen, "-p " + std::to_string(gone) + ": no such process")) << seen;
    ::kill(tracer, SIGINT);
    EXPECT_EQ(wait_for(tracer, 3000), 0);
    ::kill(sleeper, SIGKILL);
    wait_for(sleeper);

    Pipe none_errors;
    pid_t none = spawn({kFdtrace, "-p", std::to_string(gone), "-p", std::to_string(gone - 1)}, -1,
                       -1, none_errors.write);
    none_errors.close_write();
    std::string said = read_until(none_errors.read, "no process could be traced", 5000);
    EXPECT_EQ(wait_for(none, 5000), 2);
    EXPECT_TRUE(contains(said, "no process could be traced")) << said;
}

// `leaks` on a process that ends between samples: the samples taken are
// the answer, and it says the process exited (gone or a zombie alike).
TEST(TraceRobustness, LeaksReportsTheSamplesTakenBeforeTheProcessExited) {
    for (std::string format : {"text", "json"}) {
        pid_t short_lived = spawn({"/bin/sleep", "0.6"});
        Pipe output;
        pid_t leaks = spawn({kFdtrace, "leaks", "--format=" + format, "-p",
                             std::to_string(short_lived), "--interval", "0.4", "--count", "4"},
                            -1, output.write);
        output.close_write();
        std::string said = read_until(output.read, "<never>", 4000);
        EXPECT_EQ(wait_for(leaks), 0) << said;
        if (format == "text")
            EXPECT_TRUE(contains(said, "the process exited after sample 2")) << said;
        else
            EXPECT_TRUE(contains(said, "\"counts\":[3,3],") && contains(said, "\"exited\":true"))
                << said;
        wait_for(short_lived);
    }
}

}  // namespace
}  // namespace fdtrace
