// Tracer: the live source. Attaches to running processes (-p) or launches a
// command, follows its children (-f), and turns every traced syscall into
// strace's text for it (SyscallDecoder). What it sees goes to a
// TraceListener, in order, on the tracing thread; the listener knows nothing
// of ptrace and the tracer nothing of fd identities.
//
// A launched command gets a seccomp-bpf filter so that only the traced
// syscalls stop it; attached processes are traced with PTRACE_SYSCALL. Job
// control behaves as without a tracer (group-stops use PTRACE_LISTEN), every
// signal is delivered as it would have been, and SIGINT/SIGTERM/SIGHUP detach
// every tracee and leave it running.
#pragma once

#include <time.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/io_dump.h"
#include "fdtrace/path_trace.h"
#include "fdtrace/syscall_decoder.h"

namespace fdtrace {

struct TracerOptions {
    std::vector<int> pids;             // -p, in order
    std::vector<std::string> command;  // -- CMD ARGS...
    bool follow_forks = false;         // -f
    bool pid_column_always = false;    // strace -f -o FILE: "PID " on every line
    bool seccomp = true;               // launched commands: stop only on traced syscalls
    bool kill_on_exit = false;         // kill tracees when fdtrace ends
    std::vector<std::string> shown;    // syscalls printed (names)
    bool trace_all = false;            // every syscall is printed
    std::vector<std::string> silent;   // traced to keep the fd model right, never printed
    // strace -z / -Z: only calls that succeeded / failed are shown (their
    // lines then come whole, at exit, as strace stages them).
    enum class Status { All, Successful, Failed } status = Status::All;
    int quiet = 0;  // -q: no attach/detach messages; -qq: no "+++ exited" lines either
    // -e signal=SET: the signals whose "--- SIG... ---" lines are shown (all
    // when unset). Delivery is never changed, only what is printed.
    std::optional<std::set<int>> signals;
    // -e read=SET / -e write=SET: the fds whose data is hex-dumped after a
    // shown call's line (fdtrace/io_dump.h).
    FdNumberSet dump_reads, dump_writes;
    // -P PATH: of the shown calls, only those touching one of these paths
    // are shown (decided at entry); the others become silent.
    PathTrace trace_paths;
    DecodeOptions decode;
};

// One thing the tracer saw. A syscall comes as two records, as strace
// prints it in two halves: Entry when it starts (what is known then), and
// Syscall when it returns (the whole call), or Detached if tracing ends
// while it is still in flight.
struct TraceRecord {
    enum class Kind { Entry, Syscall, Detached, Signal, Exit };
    Kind kind = Kind::Syscall;
    int tid = 0;
    // strace's text, without pid, time or duration:
    //   Entry:    "read(3, "   (the call's name, "(" and the arguments printed at entry)
    //   Syscall:  "read(3, \"abc\", 5) = 5"; a task that died inside the call:
    //             "read(3,  <unfinished ...>) = ?" (strace's form)
    //   Detached: empty
    //   Signal:   "--- SIGINT {...} ---";  Exit: "+++ exited with 0 +++"
    std::string_view body;
    // Syscall: how many leading bytes of `body` the Entry record carried
    // (0: the entry was not seen, e.g. a call already running at attach).
    std::size_t entry_length = 0;
    // Syscall: where ") = " begins in `body` (strace pads " = " to a column
    // after its ") "); 0 if unknown.
    std::size_t result_at = 0;
    timespec when{};      // CLOCK_REALTIME at syscall entry / at the event
    timespec returned{};  // Syscall: CLOCK_REALTIME at its exit
    timespec elapsed{};   // syscalls: time spent inside (-T)
    // Syscall: system CPU time the task used during the call (strace -c's
    // default clock; from wait4's rusage, which counts the whole thread group).
    timespec system{};
    const SyscallCall* call = nullptr;  // syscalls: number, raw arguments, return value
    bool shown = true;                  // false: a silent call, for the fd model only
    bool several_tasks = false;         // more than one task is (or may be) traced: print pids
    // Syscall: strace's hex dump lines for -e read=/write= (each ends in
    // '\n'), printed after the call's line; empty without those options.
    std::string_view dump;
};

class TraceListener {
  public:
    virtual ~TraceListener() = default;
    // Every record, in order. An Entry record comes before the call runs
    // (close: the fd still exists), for silent calls too.
    virtual void record(const TraceRecord& record) = 0;
    // A new task (-f); `shares_files`: CLONE_FILES (threads), else a copy.
    virtual void spawned(int parent, int child, bool shares_files) = 0;
    // execve succeeded; `former_tid` differs when a non-leader thread called it.
    virtual void execed(int tid, int former_tid) = 0;
    // The task is gone (its exit was recorded, or it vanished at an exec).
    virtual void vanished(int tid) = 0;
    // No event is pending. Returns how long (ms) the tracer may then block
    // before calling idle() again (-1: until the next event).
    virtual int idle() = 0;
    // A line for stderr: attach/detach messages, warnings.
    virtual void notice(std::string_view message) = 0;
};

// A failure to start tracing, with the exit status it calls for.
struct TraceError {
    int exit_status = 3;
    std::string message;  // without the "fdtrace: " prefix
};

class Tracer {
  public:
    Tracer(TracerOptions options, TraceListener& listener);
    ~Tracer();
    Tracer(const Tracer&) = delete;
    Tracer& operator=(const Tracer&) = delete;

    // Blocks SIGINT, SIGTERM, SIGHUP, SIGCHLD and SIGPIPE for the calling
    // thread (they are read from a signalfd), then attaches or launches.
    std::optional<TraceError> start();
    // Traces until every tracee is gone or a signal ends tracing. Returns
    // fdtrace's exit status: the command's (128+N if killed by signal N), or
    // 0 for attached processes.
    int run();
    // Ends tracing as SIGTERM would (the output went away, say). Safe to call
    // from a TraceListener callback.
    void stop();

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fdtrace
