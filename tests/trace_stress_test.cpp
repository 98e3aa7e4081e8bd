// The tracee under stress: fork storms, exec loops, threads that come and
// go, signals at a high rate. Traced, everything must behave as untraced:
// same exit status, no signal lost, nothing left stopped or as a zombie.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::run_shell;

std::string traced(const std::string& command) {
    return fdtrace_binary() + " -f -o /dev/null -- " + command + " 3>&- 4>&-";
}

TEST(TraceStress, ForkAndExecStormKeepsTheExitStatus) {
    // 200 children that exec, half of them failing: the shell's status
    // (the last one's, 3) must come through; no child may be left behind.
    std::string storm =
        "sh -c 'for i in $(seq 200); do (if [ $((i % 2)) = 0 ]; then exec /bin/true; else exec "
        "/bin/false; fi) & done; "
        "wait; exit 3'";
    auto untraced = run_shell(storm);
    auto result = run_shell(traced(storm));
    EXPECT_EQ(untraced.status, 3);
    EXPECT_EQ(result.status, 3);
    auto leftovers =
        run_shell("ps -eo stat,args | grep -E '^[ZT].*(true|false)' | grep -v grep | wc -l");
    EXPECT_EQ(leftovers.out, "0\n") << "no zombie or stopped child";
}

TEST(TraceStress, QueuedSignalsAtAHighRateAreAllDelivered) {
    // 5000 real-time signals (queued, never merged) sent to a process that
    // counts them in a handler while it reads: traced, it must count 5000.
    std::string program = FDTRACE_TEST_PROGRAMS_DIR "/stress_signals";
    auto untraced = run_shell(program);
    ASSERT_EQ(untraced.status, 0) << "the machine queues 5000 signals: " << untraced.out;
    auto result = run_shell(fdtrace_binary() + " -f -o /dev/null -- " + program + " 3>&- 4>&-");
    EXPECT_EQ(result.status, 0) << result.out;
    EXPECT_EQ(result.out, "5000\n");
}

TEST(TraceStress, ThreadsThatComeAndGoAndAKilledProcess) {
    // 100 short-lived threads doing I/O, then the process kills itself:
    // the status is 128+9 traced as untraced, with no task left stopped.
    std::string program = R"(python3 -c "
import os, signal, threading
def work():
    fd = os.open('/dev/null', os.O_WRONLY); os.write(fd, b'x'); os.close(fd)
threads = [threading.Thread(target=work) for _ in range(100)]
for t in threads: t.start()
for t in threads: t.join()
os.kill(os.getpid(), signal.SIGKILL)
")";
    EXPECT_EQ(run_shell(program).status, 137);
    EXPECT_EQ(run_shell(traced(program)).status, 137);
}

}  // namespace
}  // namespace fdtrace
