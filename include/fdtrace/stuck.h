// `fdtrace stuck`: what every thread of a process is blocked in right now,
// on what, for how long, and what would end the wait, without ptrace (so it
// works while strace or gdb is attached):
//
//   - the call: /proc/PID/task/TID/syscall (number and argument registers of
//     a task sleeping in a syscall), named by libseccomp;
//   - its fds: the fd arguments, a poll/ppoll pollfd array and select fd_sets
//     read from the task's memory (process_vm_readv), an epoll fd's watch
//     list from fdinfo; each named by ProcResolver;
//   - how long: the time since the thread last ran on a CPU (se.exec_start
//     in /proc/PID/task/TID/sched, compared with our own on the same CPU, and
//     nothing when we cannot run there), a lower bound on its time in the
//     call: a spurious wakeup resets it. Never more than the thread's age
//     (stat starttime on the boot-time clock) less its time on CPUs;
//   - what ends it: the call's own timeout argument, and for sockets the
//     options of a duplicate of the fd taken with pidfd_getfd (SO_RCVTIMEO,
//     SO_SNDTIMEO, keepalive, TCP_USER_TIMEOUT, TCP_INFO);
//   - a verdict from an ordered table of rules (verdict_rules()).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/fd_identity.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/render.h"
#include "fdtrace/sys_error.h"
#include "fdtrace/syscall_table.h"

namespace fdtrace {

// /proc/PID/task/TID/syscall.
struct TaskSyscall {
    enum class Where : std::uint8_t {
        Running,       // "running": on a CPU (or runnable), nothing to read
        InSyscall,     // "NR ARG1..ARG6 SP PC": blocked in syscall NR
        NotInSyscall,  // "-1 SP PC": blocked, but not in a syscall (a page fault...)
    };
    Where where = Where::Running;
    long nr = -1;
    std::array<std::uint64_t, 6> args{};
    std::uint64_t sp = 0;
    std::uint64_t pc = 0;
    bool operator==(const TaskSyscall&) const = default;
};
std::optional<TaskSyscall> parse_task_syscall(std::string_view text);

// The native architecture's name for a syscall number ("read"); "syscall_N"
// when libseccomp does not know it.
std::string syscall_name(long nr);

// What a duplicate of a socket fd (pidfd_getfd) says about it.
struct TcpFacts {
    std::string state;                    // "ESTABLISHED", ...
    std::uint32_t unacked = 0;            // segments sent, not acknowledged
    std::uint32_t retransmits = 0;        // unrecovered RTO timeouts
    std::uint32_t probes = 0;             // unanswered zero-window or keepalive probes
    std::uint32_t last_data_sent_ms = 0;  // ms since we last sent data
    std::uint32_t last_data_recv_ms = 0;  // ms since the peer last sent data
    std::uint32_t last_ack_recv_ms = 0;   // ms since the peer last acknowledged
    std::uint32_t rtt_us = 0;
    std::uint32_t snd_wnd = 0;  // peer's advertised window (0 if unknown)
    bool operator==(const TcpFacts&) const = default;
};

struct SocketFacts {
    double rcvtimeo_s = 0;  // SO_RCVTIMEO; 0: none
    double sndtimeo_s = 0;  // SO_SNDTIMEO; 0: none
    bool keepalive = false;
    int keepidle_s = 0;  // TCP_KEEPIDLE/INTVL/CNT (tcp only; the netns default if unset)
    int keepintvl_s = 0;
    int keepcnt = 0;
    std::uint32_t user_timeout_ms = 0;  // TCP_USER_TIMEOUT; 0: the kernel's default
    int pending_error = 0;              // SO_ERROR
    std::optional<int> unread_bytes;    // SIOCINQ
    std::optional<int> unsent_bytes;    // SIOCOUTQ
    std::optional<TcpFacts> tcp;
    bool operator==(const SocketFacts&) const = default;
};

// One fd a blocked call waits on.
struct WaitFd {
    int fd = -1;
    std::string role;                    // "arg", "pollfd", "select", "epoll"
    std::string events;                  // "IN|OUT", "in,out" (select); empty for plain args
    std::optional<FdIdentity> identity;  // nullopt: closed meanwhile
    std::optional<SocketFacts> socket;
    std::optional<SysError> socket_error;  // why `socket` is missing, for a socket
};

// The call's own timeout argument (poll, select, epoll_wait, futex, sleeps).
struct CallTimeout {
    enum class Kind : std::uint8_t {
        Infinite,  // -1, NULL: none
        Relative,  // counted from the start of the call (whose start we do not know)
        Deadline,  // an absolute time: `seconds` is what is left now
    };
    Kind kind = Kind::Infinite;
    double seconds = 0;
    bool operator==(const CallTimeout&) const = default;
};

// What kind of wait a syscall is (CallClass): a column of the syscall table.

struct ThreadReport {
    int pid = 0;
    int tid = 0;
    std::string comm;
    char state = '?';   // /proc/.../stat: R S D T t Z ...
    int cpu = -1;       // the CPU it last ran on
    std::string wchan;  // kernel function it sleeps in ("" if hidden)
    int tracer_pid = 0;
    std::string tracer_comm;
    std::optional<TaskSyscall> syscall;
    std::string syscall_name;
    CallClass call = CallClass::Other;
    std::optional<double> off_cpu_s;  // time since it last ran: see the header comment
    std::vector<WaitFd> fds;
    std::optional<CallTimeout> timeout;  // nullopt: the call has no timeout argument
    std::string detail;                  // "nfds=2" and the like, for the call text
    // Filled by apply_verdict().
    std::string rule;
    std::vector<std::string> facts;
    std::string verdict;
};

struct StuckReport {
    int pid = 0;
    std::string comm;
    std::size_t total_threads = 0;  // in the process, shown or not
    std::vector<ThreadReport> threads;
};

struct StuckOptions {
    // Take duplicates of socket fds (pidfd_getfd) to read their options.
    bool socket_options = true;
    // Only these threads (empty: all).
    std::vector<int> tids;
};

// Every thread of `pid` (a tid names its whole thread group). Errors: ESRCH,
// EACCES/EPERM (reading another user's task/N/syscall needs ptrace access).
Result<StuckReport> diagnose_stuck(ProcResolver& resolver, int pid, const StuckOptions& options);

// One rule of the verdict table: the first rule that applies wins.
struct VerdictRule {
    std::string_view id;
    bool (*applies)(const ThreadReport& thread);
    std::string (*verdict)(const ThreadReport& thread);
};
std::span<const VerdictRule> verdict_rules() noexcept;

// Fills thread.rule, .facts and .verdict from its other fields (pure).
void apply_verdict(ThreadReport& thread);

// A measured time off CPUs bounded by what the thread's life allows: at
// most its least possible age less its time on CPUs, never negative (pure).
double bounded_off_cpu_seconds(double measured_s, double least_age_s, double time_on_cpus_s);

// "12.3 s", "312 s", "2 h 05 min".
std::string format_seconds(double seconds);

void render_stuck_text(std::string& out, const StuckReport& report, IdentityFormatter& formatter);
// JSON Lines: one object per thread.
void render_stuck_json(std::string& out, const StuckReport& report, IdentityFormatter& formatter);

}  // namespace fdtrace
