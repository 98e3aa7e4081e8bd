#include "fdtrace/stuck.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <type_traits>

#include "fdtrace/fd_snapshot.h"
#include "fdtrace/scoped_fd.h"
#include "fdtrace/syscall_table.h"
#include "src/resolve/proc_files.h"
#include "src/resolve/socket_info.h"
#include "src/resolve/text_util.h"

namespace fdtrace {

// ---- /proc/PID/task/TID/syscall ---------------------------------------------

namespace {

bool parse_hex(std::string_view word, std::uint64_t& out) {
    if (word.starts_with("0x")) word.remove_prefix(2);
    return parse_number(word, out, 16);
}

}  // namespace

std::optional<TaskSyscall> parse_task_syscall(std::string_view text) {
    auto words = split_words(trim(text));
    TaskSyscall call;
    if (words.size() == 1 && words[0] == "running") return call;
    if (words.empty() || !parse_number(words[0], call.nr)) return std::nullopt;
    if (call.nr == -1 && words.size() == 3) {
        call.where = TaskSyscall::Where::NotInSyscall;
        if (!parse_hex(words[1], call.sp) || !parse_hex(words[2], call.pc)) return std::nullopt;
        return call;
    }
    if (call.nr < 0 || words.size() != 9) return std::nullopt;
    call.where = TaskSyscall::Where::InSyscall;
    for (std::size_t i = 0; i < 6; ++i)
        if (!parse_hex(words[i + 1], call.args[i])) return std::nullopt;
    if (!parse_hex(words[7], call.sp) || !parse_hex(words[8], call.pc)) return std::nullopt;
    return call;
}

std::string syscall_name(long nr) {
    std::unique_ptr<char, void (*)(void*)> name(
        seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, static_cast<int>(nr)), std::free);
    if (!name) return "syscall_" + std::to_string(nr);
    return name.get();
}

std::string format_seconds(double seconds) {
    char buffer[48];
    if (seconds < 0) seconds = 0;
    if (seconds < 10) {
        std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
    } else if (seconds < 600) {
        std::snprintf(buffer, sizeof buffer, "%.0f s", seconds);
    } else if (seconds < 3600) {
        auto whole = static_cast<long>(seconds);
        std::snprintf(buffer, sizeof buffer, "%ld min %02ld s", whole / 60, whole % 60);
    } else {
        auto minutes = static_cast<long>(seconds / 60);
        std::snprintf(buffer, sizeof buffer, "%ld h %02ld min", minutes / 60, minutes % 60);
    }
    return buffer;
}

namespace {

// ---- what each blocking call is: the syscall table's waits_as column ------

// The row of a call `stuck` knows how to wait on, or nullptr.
const SyscallSignature* find_call(std::string_view name) {
    const SyscallSignature* row = find_syscall_row(name);
    return row && row->waits != CallClass::Other ? row : nullptr;
}

// ---- the task's memory and files ---------------------------------------------

std::size_t read_memory(int pid, std::uint64_t address, void* buffer, std::size_t length) {
    if (address == 0 || length == 0) return 0;
    iovec local{buffer, length};
    iovec remote{reinterpret_cast<void*>(address), length};
    ssize_t got = ::process_vm_readv(pid, &local, 1, &remote, 1, 0);
    if (got >= 0) return static_cast<std::size_t>(got);
    // Refused (no CONFIG_CROSS_MEMORY_ATTACH, seccomp): /proc/PID/mem.
    ScopedFd mem(::open(proc_path(pid, "mem").c_str(), O_RDONLY | O_CLOEXEC));
    if (!mem) return 0;
    got = ::pread(mem.get(), buffer, length, static_cast<off_t>(address));
    return got > 0 ? static_cast<std::size_t>(got) : 0;
}

template <class T>
std::optional<T> read_struct(int pid, std::uint64_t address) {
    T value{};
    if (read_memory(pid, address, &value, sizeof value) != sizeof value) return std::nullopt;
    return value;
}

std::string task_path(int pid, int tid, std::string_view file) {
    return proc_path(pid, "task/" + std::to_string(tid) + "/" + std::string(file));
}

// /proc/PID/task/TID/stat: state (field 3) and the CPU it last ran on (39).
void read_task_stat(int pid, int tid, ThreadReport& thread) {
    auto stat = read_file(task_path(pid, tid, "stat"));
    if (!stat) return;
    auto close = stat->rfind(')');
    if (close == std::string::npos) return;
    auto fields = split_words(std::string_view(*stat).substr(close + 1));
    if (!fields.empty() && !fields[0].empty()) thread.state = fields[0][0];
    if (fields.size() > 36) parse_number(fields[36], thread.cpu);
}

int read_tracer(int pid, int tid) {
    auto status = read_file(task_path(pid, tid, "status"));
    if (!status) return 0;
    for (std::string_view line : split_lines(*status)) {
        int tracer = 0;
        if (line.starts_with("TracerPid:") && parse_number(trim(line.substr(10)), tracer)) {
            return tracer;
        }
    }
    return 0;
}

// What a .../sched file says about a thread's time on CPUs, in ms of the
// scheduler's task clock of the CPU it last ran on.
struct SchedTimes {
    double exec_start_ms = 0;        // when it last ran (0: migrated, not run since)
    double sum_exec_runtime_ms = 0;  // its whole time on CPUs
    long nr_switches = 0;            // changes whenever it runs
};

std::optional<SchedTimes> read_sched_times(const std::string& path) {
    auto sched = read_file(path);
    if (!sched) return std::nullopt;
    SchedTimes times;
    bool has_exec_start = false;
    for (std::string_view line : split_lines(*sched)) {
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view name = trim(line.substr(0, colon));
        std::string_view value = trim(line.substr(colon + 1));
        auto number = [&value](auto& out) {
            auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
            return error == std::errc{};
        };
        if (name == "se.exec_start") {
            has_exec_start = number(times.exec_start_ms);
        } else if (name == "se.sum_exec_runtime") {
            number(times.sum_exec_runtime_ms);
        } else if (name == "nr_switches") {
            number(times.nr_switches);
        }
    }
    if (!has_exec_start) return std::nullopt;
    return times;
}

// Runs this thread on one CPU for its lifetime, then restores its affinity.
class CpuPin {
  public:
    explicit CpuPin(int cpu) {
        if (cpu < 0 || cpu >= CPU_SETSIZE) return;
        if (::sched_getaffinity(0, sizeof saved_, &saved_) != 0) return;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        pinned_ = ::sched_setaffinity(0, sizeof one, &one) == 0;
    }
    ~CpuPin() {
        if (pinned_) ::sched_setaffinity(0, sizeof saved_, &saved_);
    }
    CpuPin(const CpuPin&) = delete;
    CpuPin& operator=(const CpuPin&) = delete;

    // A cpuset (a container's) may leave the CPU out: then we run elsewhere.
    bool pinned() const noexcept { return pinned_; }

  private:
    cpu_set_t saved_{};
    bool pinned_ = false;
};

// The CPU a thread last ran on (stat field 39) and its start time (field 22,
// clock ticks since boot on the boot-time clock).
struct TaskPlacement {
    int cpu = -1;
    std::uint64_t start_ticks = 0;
    bool operator==(const TaskPlacement&) const = default;
};

std::optional<TaskPlacement> read_task_placement(int pid, int tid) {
    auto stat = read_file(task_path(pid, tid, "stat"));
    if (!stat) return std::nullopt;
    auto close = stat->rfind(')');
    if (close == std::string::npos) return std::nullopt;
    auto fields = split_words(std::string_view(*stat).substr(close + 1));
    TaskPlacement placement;
    if (fields.size() <= 36 || !parse_number(fields[19], placement.start_ticks) ||
        !parse_number(fields[36], placement.cpu)) {
        return std::nullopt;
    }
    return placement;
}

// The least time the thread can have existed, on the boot-time clock: its
// start time is truncated to a clock tick, so it began before the end of that
// tick.
std::optional<double> least_age_seconds(std::uint64_t start_ticks) {
    timespec now{};
    long ticks_per_second = ::sysconf(_SC_CLK_TCK);
    if (ticks_per_second <= 0 || ::clock_gettime(CLOCK_BOOTTIME, &now) != 0) return std::nullopt;
    double started = static_cast<double>(start_ticks + 1) / static_cast<double>(ticks_per_second);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9 - started;
}

}  // namespace

double bounded_off_cpu_seconds(double measured_s, double least_age_s, double time_on_cpus_s) {
    // It ran for time_on_cpus_s, all before it last stopped, and it is at
    // least least_age_s old: it cannot have been off a CPU longer than the
    // difference, whatever two clocks said.
    double most = std::max(0.0, least_age_s - time_on_cpus_s);
    return std::clamp(measured_s, 0.0, most);
}

namespace {

// How long since the thread last ran: its se.exec_start against ours, read
// on the CPU it last ran on. Each CPU's task clock leaves out that CPU's own
// interrupt and steal time, so two CPUs' clocks drift seconds apart: without
// being on its CPU (a cpuset forbids it, or it moved meanwhile) there is no
// answer rather than a wrong one. The answer is then bounded by the thread's
// age, on the boot-time clock.
std::optional<double> off_cpu_seconds(int pid, int tid) {
    std::string sched_path = task_path(pid, tid, "sched");
    auto placement = read_task_placement(pid, tid);
    auto then = read_sched_times(sched_path);
    if (!placement || !then || then->exec_start_ms <= 0) return std::nullopt;
    std::optional<SchedTimes> now;
    {
        CpuPin pin(placement->cpu);
        if (!pin.pinned() || ::sched_getcpu() != placement->cpu) return std::nullopt;
        now = read_sched_times("/proc/thread-self/sched");
    }
    if (!now) return std::nullopt;
    // It ran or moved while we looked: its exec_start is not the one we read.
    auto again = read_sched_times(sched_path);
    if (!again || again->nr_switches != then->nr_switches ||
        again->exec_start_ms != then->exec_start_ms || read_task_placement(pid, tid) != placement) {
        return std::nullopt;
    }
    auto least_age = least_age_seconds(placement->start_ticks);
    if (!least_age) return std::nullopt;
    return bounded_off_cpu_seconds((now->exec_start_ms - then->exec_start_ms) / 1000.0, *least_age,
                                   then->sum_exec_runtime_ms / 1000.0);
}

// ---- sockets --------------------------------------------------------------------

double timeval_seconds(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

Result<SocketFacts> socket_facts(int pidfd, int fd, bool tcp) {
    ScopedFd dup(static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, fd, 0)));
    if (!dup) return SysError::from_errno("pidfd_getfd fd " + std::to_string(fd));
    SocketFacts facts;
    int s = dup.get();
    timeval tv{};
    socklen_t length = sizeof tv;
    if (::getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &length) == 0) {
        facts.rcvtimeo_s = timeval_seconds(tv);
    }
    length = sizeof tv;
    if (::getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, &length) == 0) {
        facts.sndtimeo_s = timeval_seconds(tv);
    }
    int value = 0;
    length = sizeof value;
    if (::getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &value, &length) == 0) {
        facts.keepalive = value != 0;
    }
    length = sizeof value;
    if (::getsockopt(s, SOL_SOCKET, SO_ERROR, &value, &length) == 0) facts.pending_error = value;
    if (::ioctl(s, SIOCINQ, &value) == 0) facts.unread_bytes = value;
    if (::ioctl(s, SIOCOUTQ, &value) == 0) facts.unsent_bytes = value;
    if (!tcp) return facts;
    auto tcp_int = [&](int option, auto& out) {
        int number = 0;
        socklen_t size = sizeof number;
        if (::getsockopt(s, IPPROTO_TCP, option, &number, &size) == 0) {
            out = static_cast<std::remove_reference_t<decltype(out)>>(number);
        }
    };
    tcp_int(TCP_KEEPIDLE, facts.keepidle_s);
    tcp_int(TCP_KEEPINTVL, facts.keepintvl_s);
    tcp_int(TCP_KEEPCNT, facts.keepcnt);
    tcp_int(TCP_USER_TIMEOUT, facts.user_timeout_ms);
    tcp_info info{};
    length = sizeof info;
    if (::getsockopt(s, IPPROTO_TCP, TCP_INFO, &info, &length) == 0) {
        TcpFacts t;
        t.state = socket_state_name(SocketTable::Tcp, info.tcpi_state);
        t.unacked = info.tcpi_unacked;
        t.retransmits = info.tcpi_retransmits;
        t.probes = info.tcpi_probes;
        t.last_data_sent_ms = info.tcpi_last_data_sent;
        t.last_data_recv_ms = info.tcpi_last_data_recv;
        t.last_ack_recv_ms = info.tcpi_last_ack_recv;
        t.rtt_us = info.tcpi_rtt;
        // Older kernels return a shorter struct: the window is then unknown.
        if (length >= offsetof(tcp_info, tcpi_snd_wnd) + sizeof info.tcpi_snd_wnd) {
            t.snd_wnd = info.tcpi_snd_wnd;
        }
        facts.tcp = t;
    }
    return facts;
}

// ---- poll, select and epoll sets ----------------------------------------------

struct EventName {
    std::uint32_t bit;
    std::string_view name;
};
// poll(2) and epoll(7) share the low bits.
constexpr EventName kEventNames[] = {
    {0x001, "IN"},           {0x002, "PRI"},       {0x004, "OUT"},        {0x008, "ERR"},
    {0x010, "HUP"},          {0x020, "NVAL"},      {0x040, "RDNORM"},     {0x080, "RDBAND"},
    {0x100, "WRNORM"},       {0x200, "WRBAND"},    {0x400, "MSG"},        {0x2000, "RDHUP"},
    {1u << 28, "EXCLUSIVE"}, {1u << 29, "WAKEUP"}, {1u << 30, "ONESHOT"}, {1u << 31, "ET"},
};

std::string event_names(std::uint32_t events) {
    std::string text;
    for (const EventName& event : kEventNames) {
        if (!(events & event.bit)) continue;
        if (!text.empty()) text += '|';
        text += event.name;
        events &= ~event.bit;
    }
    if (events) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "%#x", events);
        if (!text.empty()) text += '|';
        text += hex;
    }
    return text;
}

constexpr std::size_t kMaxSetFds = 4096;

void add_poll_fds(int pid, const TaskSyscall& call, ThreadReport& thread) {
    std::uint64_t count = std::min<std::uint64_t>(call.args[1], kMaxSetFds);
    thread.detail = std::to_string(call.args[1]) + (call.args[1] == 1 ? " fd" : " fds");
    struct PollFd {
        int fd;
        short events;
        short revents;
    };
    std::vector<PollFd> fds(count);
    std::size_t got = read_memory(pid, call.args[0], fds.data(), count * sizeof(PollFd));
    fds.resize(got / sizeof(PollFd));
    for (const PollFd& entry : fds) {
        if (entry.fd < 0) continue;  // poll ignores negative fds
        WaitFd fd;
        fd.fd = entry.fd;
        fd.role = "pollfd";
        fd.events = event_names(static_cast<std::uint16_t>(entry.events));
        thread.fds.push_back(std::move(fd));
    }
}

void add_select_fds(int pid, const TaskSyscall& call, ThreadReport& thread) {
    std::uint64_t nfds = std::min<std::uint64_t>(call.args[0], 65536);
    thread.detail = "nfds=" + std::to_string(call.args[0]);
    std::size_t bytes = (nfds + 63) / 64 * 8;
    std::vector<std::string> events(nfds);
    constexpr std::string_view kSetNames[] = {"in", "out", "except"};
    for (int set = 0; set < 3; ++set) {
        std::vector<unsigned char> bits(bytes);
        std::size_t got = read_memory(pid, call.args[1 + set], bits.data(), bytes);
        for (std::size_t fd = 0; fd < nfds && fd / 8 < got; ++fd) {
            if (!(bits[fd / 8] & (1u << (fd % 8)))) continue;
            if (!events[fd].empty()) events[fd] += ',';
            events[fd] += kSetNames[set];
        }
    }
    for (std::size_t fd = 0; fd < nfds; ++fd) {
        if (events[fd].empty()) continue;
        thread.fds.push_back(WaitFd{static_cast<int>(fd), "select", events[fd], {}, {}, {}});
    }
}

void add_epoll_fds(ProcResolver& resolver, int pid, const TaskSyscall& call, ThreadReport& thread) {
    auto watches = resolver.epoll_watches(pid, static_cast<int>(call.args[0]));
    if (!watches) return;
    thread.detail =
        std::to_string(watches->size()) + (watches->size() == 1 ? " fd" : " fds") + " watched";
    for (const EpollWatch& watch : *watches) {
        if (thread.fds.size() > kMaxSetFds) break;
        thread.fds.push_back(WaitFd{watch.fd, "epoll", event_names(watch.events), {}, {}, {}});
    }
}

// ---- timeouts ---------------------------------------------------------------------

double timespec_seconds(const timespec& ts) {
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::optional<CallTimeout> deadline_on(clockid_t clock, const timespec& deadline) {
    timespec now{};
    if (::clock_gettime(clock, &now) != 0) return std::nullopt;
    return CallTimeout{CallTimeout::Kind::Deadline,
                       std::max(0.0, timespec_seconds(deadline) - timespec_seconds(now))};
}

std::optional<CallTimeout> decode_timeout(int pid, const SyscallSignature& shape,
                                          const TaskSyscall& call) {
    if (shape.timeout == TimeoutArg::None) return std::nullopt;
    std::uint64_t arg = call.args[static_cast<std::size_t>(shape.timeout_arg)];
    constexpr CallTimeout kInfinite{CallTimeout::Kind::Infinite, 0};
    switch (shape.timeout) {
        case TimeoutArg::Millis: {
            int ms = static_cast<int>(arg);
            if (ms < 0) return kInfinite;
            return CallTimeout{CallTimeout::Kind::Relative, ms / 1000.0};
        }
        case TimeoutArg::Timespec: {
            if (arg == 0) return kInfinite;
            auto ts = read_struct<timespec>(pid, arg);
            if (!ts) return std::nullopt;
            return CallTimeout{CallTimeout::Kind::Relative, timespec_seconds(*ts)};
        }
        case TimeoutArg::Timeval: {
            if (arg == 0) return kInfinite;
            auto tv = read_struct<timeval>(pid, arg);
            if (!tv) return std::nullopt;
            return CallTimeout{CallTimeout::Kind::Relative, timeval_seconds(*tv)};
        }
        case TimeoutArg::Futex: {
            int op = static_cast<int>(call.args[1]);
            int command = op & FUTEX_CMD_MASK;
            bool waits = command == FUTEX_WAIT || command == FUTEX_WAIT_BITSET ||
                         command == FUTEX_LOCK_PI || command == FUTEX_LOCK_PI2 ||
                         command == FUTEX_WAIT_REQUEUE_PI;
            if (!waits) return std::nullopt;
            if (arg == 0) return kInfinite;
            auto ts = read_struct<timespec>(pid, arg);
            if (!ts) return std::nullopt;
            if (command == FUTEX_WAIT) {
                return CallTimeout{CallTimeout::Kind::Relative, timespec_seconds(*ts)};
            }
            // The others take an absolute time; FUTEX_LOCK_PI always on
            // CLOCK_REALTIME.
            bool realtime = command == FUTEX_LOCK_PI || (op & FUTEX_CLOCK_REALTIME);
            return deadline_on(realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, *ts);
        }
        case TimeoutArg::ClockNanosleep: {
            auto ts = read_struct<timespec>(pid, arg);
            if (!ts) return std::nullopt;
            if (call.args[1] & TIMER_ABSTIME) {
                return deadline_on(static_cast<clockid_t>(call.args[0]), *ts);
            }
            return CallTimeout{CallTimeout::Kind::Relative, timespec_seconds(*ts)};
        }
        case TimeoutArg::None:
            break;
    }
    return std::nullopt;
}

// ---- facts and verdicts -------------------------------------------------------------

const WaitFd* primary_fd(const ThreadReport& thread) {
    for (const WaitFd& fd : thread.fds)
        if (fd.role == "arg" && fd.identity) return &fd;
    return nullptr;
}

FdKind primary_kind(const ThreadReport& thread) {
    const WaitFd* fd = primary_fd(thread);
    return fd ? fd->identity->kind : FdKind::Unknown;
}

const SocketFacts* primary_socket(const ThreadReport& thread) {
    const WaitFd* fd = primary_fd(thread);
    return fd && fd->socket ? &*fd->socket : nullptr;
}

bool blocked_in_call(const ThreadReport& thread) {
    return thread.syscall && thread.syscall->where == TaskSyscall::Where::InSyscall;
}

bool on_tcp(const ThreadReport& t) {
    return primary_kind(t) == FdKind::Tcp || primary_kind(t) == FdKind::Tcp6;
}
bool on_pipe(const ThreadReport& t) {
    return primary_kind(t) == FdKind::Pipe || primary_kind(t) == FdKind::Fifo;
}
bool on_socket(const ThreadReport& t) { return is_socket_kind(primary_kind(t)); }

bool reads(const ThreadReport& t) { return t.call == CallClass::Read; }
bool writes(const ThreadReport& t) { return t.call == CallClass::Write; }
bool waits_for_set(const ThreadReport& t) {
    return t.call == CallClass::Poll || t.call == CallClass::Select ||
           t.call == CallClass::EpollWait;
}
bool finite(const std::optional<CallTimeout>& timeout) {
    return timeout && timeout->kind != CallTimeout::Kind::Infinite;
}

// "gzip[812]", or "this process itself".
std::string peer_name(const ThreadReport& thread, const PeerProcess& peer) {
    if (peer.pid == thread.pid) return "this process itself";
    std::string name;
    append_escaped(name, peer.comm);
    return name + "[" + std::to_string(peer.pid) + "]";
}

std::optional<PeerProcess> primary_peer(const ThreadReport& thread) {
    const WaitFd* fd = primary_fd(thread);
    return fd ? fd->identity->peer : std::nullopt;
}

std::string remote_of(const ThreadReport& thread) {
    const WaitFd* fd = primary_fd(thread);
    if (!fd) return "the peer";
    if (const auto* inet = fd->identity->get<InetDetails>(); inet && !inet->remote.empty()) {
        return inet->remote;
    }
    if (const auto* unix_socket = fd->identity->get<UnixDetails>()) {
        std::string path;
        append_escaped(path,
                       unix_socket->peer_path.empty() ? unix_socket->path : unix_socket->peer_path);
        if (!path.empty()) return path;
    }
    return "the peer";
}

std::string local_of(const ThreadReport& thread) {
    const WaitFd* fd = primary_fd(thread);
    if (!fd) return "its address";
    if (const auto* inet = fd->identity->get<InetDetails>(); inet && !inet->local.empty()) {
        return inet->local;
    }
    if (const auto* unix_socket = fd->identity->get<UnixDetails>(); unix_socket) {
        std::string path;
        append_escaped(path, unix_socket->path);
        if (!path.empty()) return path;
    }
    return "its address";
}

std::string timeout_text(const CallTimeout& timeout) {
    switch (timeout.kind) {
        case CallTimeout::Kind::Infinite:
            return "no timeout";
        case CallTimeout::Kind::Relative:
            return "timeout " + format_seconds(timeout.seconds);
        case CallTimeout::Kind::Deadline:
            return "deadline in " + format_seconds(timeout.seconds);
    }
    return {};
}

double keepalive_seconds(const SocketFacts& facts) {
    return facts.keepidle_s + static_cast<double>(facts.keepintvl_s) * facts.keepcnt;
}

// "its one fd", "one of its 3 fds".
std::string set_phrase(const ThreadReport& thread) {
    std::size_t count = 0;
    for (const WaitFd& fd : thread.fds)
        if (fd.role != "arg") ++count;
    return count == 1 ? "its one fd" : "one of its " + std::to_string(count) + " fds";
}

std::string wchan_clause(const ThreadReport& thread) {
    return thread.wchan.empty() ? std::string() : " (kernel: " + thread.wchan + ")";
}

// The ordered verdict table. Conditions look only at the report; the first
// rule that applies gives the verdict.
constexpr VerdictRule kRules[] = {
    {"exited", [](const ThreadReport& t) { return t.state == 'Z' || t.state == 'X'; },
     [](const ThreadReport&) -> std::string { return "the thread has exited: nothing waits"; }},
    {"stopped", [](const ThreadReport& t) { return t.state == 'T'; },
     [](const ThreadReport&) -> std::string {
         return "stopped by a signal (SIGSTOP, SIGTSTP...): nothing happens until SIGCONT";
     }},
    {"tracer-stop", [](const ThreadReport& t) { return t.state == 't'; },
     [](const ThreadReport& t) -> std::string {
         std::string tracer = t.tracer_pid
                                  ? t.tracer_comm + "[" + std::to_string(t.tracer_pid) + "]"
                                  : std::string("its tracer");
         return "stopped by " + tracer + " (a debugger or tracer holds it): it moves only when " +
                "the tracer resumes it";
     }},
    {"running",
     [](const ThreadReport& t) {
         return t.state == 'R' || (t.syscall && t.syscall->where == TaskSyscall::Where::Running);
     },
     [](const ThreadReport&) -> std::string {
         return "running, not blocked: it is computing (or waiting for a CPU); a profiler "
                "shows where";
     }},
    {"not-in-syscall",
     [](const ThreadReport& t) {
         return !t.syscall || t.syscall->where == TaskSyscall::Where::NotInSyscall;
     },
     [](const ThreadReport& t) -> std::string {
         return "blocked outside any system call (a page fault, or memory reclaim)" +
                wchan_clause(t);
     }},
    {"uninterruptible", [](const ThreadReport& t) { return t.state == 'D'; },
     [](const ThreadReport& t) -> std::string {
         return "in uninterruptible sleep (D)" + wchan_clause(t) +
                ": waiting for disk or network filesystem I/O or a kernel lock; not even "
                "SIGKILL ends it before the kernel returns";
     }},
    {"restarted", [](const ThreadReport& t) { return t.call == CallClass::Restart; },
     [](const ThreadReport& t) -> std::string {
         return "resuming a call interrupted by a stop (a debugger or strace attaching, "
                "SIGSTOP/SIGCONT); its arguments are no longer visible" +
                wchan_clause(t);
     }},
    {"receive-timeout",
     [](const ThreadReport& t) {
         const SocketFacts* s = primary_socket(t);
         return (reads(t) || t.call == CallClass::Accept) && s && s->rcvtimeo_s > 0;
     },
     [](const ThreadReport& t) -> std::string {
         return "this " + t.syscall_name + " returns EAGAIN after " +
                format_seconds(primary_socket(t)->rcvtimeo_s) +
                " without data (SO_RCVTIMEO); the program then decides what to do";
     }},
    {"read-keepalive",
     [](const ThreadReport& t) {
         const SocketFacts* s = primary_socket(t);
         return reads(t) && on_tcp(t) && s && s->keepalive;
     },
     [](const ThreadReport& t) -> std::string {
         const SocketFacts& s = *primary_socket(t);
         std::string limit =
             s.user_timeout_ms ? format_seconds(s.user_timeout_ms / 1000.0) + " (TCP_USER_TIMEOUT)"
                               : "about " + format_seconds(keepalive_seconds(s));
         return "if the peer host dies or the network drops, keepalive fails this " +
                t.syscall_name + " with ETIMEDOUT after " + limit +
                " of silence; a live peer that never sends keeps it waiting forever: set a timeout";
     }},
    {"read-forever",
     [](const ThreadReport& t) { return reads(t) && on_tcp(t) && primary_socket(t); },
     [](const ThreadReport& t) -> std::string {
         return "this " + t.syscall_name +
                " waits forever if the peer never sends: set a timeout or enable keepalive";
     }},
    {"read-socket-peer",
     [](const ThreadReport& t) { return reads(t) && on_socket(t) && primary_peer(t); },
     [](const ThreadReport& t) -> std::string {
         std::string peer = peer_name(t, *primary_peer(t));
         std::string end =
             primary_socket(t) ? "; no receive timeout: it waits as long as " + peer + " does" : "";
         return "waits for " + peer + " to send (or to close its end)" + end;
     }},
    {"read-socket", [](const ThreadReport& t) { return reads(t) && on_socket(t); },
     [](const ThreadReport& t) -> std::string {
         std::string end = primary_socket(t) ? ", with no receive timeout" : "";
         return "waits for data sent to " + local_of(t) + end + "; no process holds the other end";
     }},
    {"read-pipe-self",
     [](const ThreadReport& t) {
         return reads(t) && on_pipe(t) && primary_peer(t) && primary_peer(t)->pid == t.pid;
     },
     [](const ThreadReport&) -> std::string {
         return "waits for a write to a pipe whose only writer is this process itself: unless "
                "another of its threads writes, this never ends (close the write end in the "
                "reader)";
     }},
    {"read-pipe", [](const ThreadReport& t) { return reads(t) && on_pipe(t) && primary_peer(t); },
     [](const ThreadReport& t) -> std::string {
         return "waits for " + peer_name(t, *primary_peer(t)) +
                " to write (or to close its end: the read then returns 0)";
     }},
    {"read-terminal",
     [](const ThreadReport& t) { return reads(t) && primary_kind(t) == FdKind::Chr; },
     [](const ThreadReport&) -> std::string {
         return "waits for input from the terminal or device: someone has to type";
     }},
    {"read", [](const ThreadReport& t) { return reads(t); },
     [](const ThreadReport& t) -> std::string { return "waits for data" + wchan_clause(t); }},
    {"write-pipe", [](const ThreadReport& t) { return writes(t) && on_pipe(t); },
     [](const ThreadReport& t) -> std::string {
         auto peer = primary_peer(t);
         return "the pipe is full: waits for " +
                (peer ? peer_name(t, *peer) : std::string("its reader")) + " to read";
     }},
    {"send-timeout",
     [](const ThreadReport& t) {
         const SocketFacts* s = primary_socket(t);
         return (writes(t) || t.call == CallClass::Connect) && s && s->sndtimeo_s > 0;
     },
     [](const ThreadReport& t) -> std::string {
         return "this " + t.syscall_name + " gives up after " +
                format_seconds(primary_socket(t)->sndtimeo_s) +
                " (SO_SNDTIMEO) if the peer makes no room";
     }},
    {"write-tcp", [](const ThreadReport& t) { return writes(t) && on_tcp(t); },
     [](const ThreadReport& t) -> std::string {
         const SocketFacts* s = primary_socket(t);
         std::string who = primary_peer(t) ? peer_name(t, *primary_peer(t)) : remote_of(t);
         std::string limit = s && s->user_timeout_ms ? format_seconds(s->user_timeout_ms / 1000.0) +
                                                           " (TCP_USER_TIMEOUT)"
                                                     : "about 15 min (net.ipv4.tcp_retries2)";
         return "the send buffer is full: waits for " + who +
                " to read; a dead peer fails it after " + limit +
                " of unacknowledged data, a live peer that stops reading never does";
     }},
    {"write-socket", [](const ThreadReport& t) { return writes(t) && on_socket(t); },
     [](const ThreadReport& t) -> std::string {
         auto peer = primary_peer(t);
         return "the socket buffer is full: waits for " +
                (peer ? peer_name(t, *peer) : std::string("the receiver")) + " to read";
     }},
    {"write", [](const ThreadReport& t) { return writes(t); },
     [](const ThreadReport& t) -> std::string { return "waits to write" + wchan_clause(t); }},
    {"accept", [](const ThreadReport& t) { return t.call == CallClass::Accept; },
     [](const ThreadReport& t) -> std::string {
         return "waits for a client to connect to " + local_of(t) + "; no timeout";
     }},
    {"connect-tcp", [](const ThreadReport& t) { return t.call == CallClass::Connect && on_tcp(t); },
     [](const ThreadReport& t) -> std::string {
         return "the handshake with " + remote_of(t) +
                " is unanswered: connect fails with ETIMEDOUT after the kernel's SYN retries "
                "(net.ipv4.tcp_syn_retries, about 2 min by default)";
     }},
    {"connect", [](const ThreadReport& t) { return t.call == CallClass::Connect; },
     [](const ThreadReport& t) -> std::string {
         return "the listener at " + remote_of(t) + " has a full backlog: waits for it to accept";
     }},
    {"set-empty",
     [](const ThreadReport& t) {
         bool none = std::none_of(t.fds.begin(), t.fds.end(),
                                  [](const WaitFd& fd) { return fd.role != "arg"; });
         return waits_for_set(t) && none && t.timeout;
     },
     [](const ThreadReport& t) -> std::string {
         if (t.timeout->kind == CallTimeout::Kind::Infinite) {
             return "waits on no fds and with no timeout: only a signal ends this";
         }
         return "waits on no fds: a sleep, over when its " + timeout_text(*t.timeout) +
                " has passed";
     }},
    {"set-timeout", [](const ThreadReport& t) { return waits_for_set(t) && finite(t.timeout); },
     [](const ThreadReport& t) -> std::string {
         std::string when = t.timeout->kind == CallTimeout::Kind::Deadline
                                ? "in at most " + format_seconds(t.timeout->seconds)
                                : "at most " + format_seconds(t.timeout->seconds) +
                                      " after it began (its timeout)";
         return "returns " + when + ", sooner if " + set_phrase(t) + " becomes ready";
     }},
    {"set-forever",
     [](const ThreadReport& t) {
         return waits_for_set(t) && t.timeout && t.timeout->kind == CallTimeout::Kind::Infinite;
     },
     [](const ThreadReport& t) -> std::string {
         return "waits, with no timeout, until " + set_phrase(t) + " becomes ready";
     }},
    {"set", [](const ThreadReport& t) { return waits_for_set(t); },
     [](const ThreadReport& t) -> std::string {
         return "waits until " + set_phrase(t) + " becomes ready (its timeout could not be read)";
     }},
    {"futex", [](const ThreadReport& t) { return t.call == CallClass::Futex; },
     [](const ThreadReport& t) -> std::string {
         std::string end = finite(t.timeout) ? " or its " + timeout_text(*t.timeout) + " passes"
                                             : " (no timeout)";
         return "waits on a futex (a mutex, condition variable or thread join) until another "
                "thread wakes it" +
                end;
     }},
    {"sleep", [](const ThreadReport& t) { return t.call == CallClass::Sleep; },
     [](const ThreadReport& t) -> std::string {
         if (!t.timeout) return "sleeping";
         if (t.timeout->kind == CallTimeout::Kind::Deadline) {
             return "sleeping until a set time, " + format_seconds(t.timeout->seconds) +
                    " from now";
         }
         return "sleeping for " + format_seconds(t.timeout->seconds) + " from when it began";
     }},
    {"wait-child", [](const ThreadReport& t) { return t.call == CallClass::WaitChild; },
     [](const ThreadReport&) -> std::string {
         return "waits for a child process to exit or stop";
     }},
    {"wait-signal", [](const ThreadReport& t) { return t.call == CallClass::WaitSignal; },
     [](const ThreadReport& t) -> std::string {
         std::string end = finite(t.timeout) ? " (" + timeout_text(*t.timeout) + ")" : "";
         return "waits for a signal" + end;
     }},
    {"lock", [](const ThreadReport& t) { return t.call == CallClass::Lock; },
     [](const ThreadReport&) -> std::string {
         return "waits for a file lock another process holds (see /proc/locks)";
     }},
    {"other", [](const ThreadReport&) { return true; },
     [](const ThreadReport& t) -> std::string {
         return "blocked in " + t.syscall_name + wchan_clause(t) + "; fdtrace has no rule for it";
     }},
};

// The second line: what fdtrace read that the verdict rests on.
std::vector<std::string> facts_of(const ThreadReport& thread) {
    std::vector<std::string> facts;
    if (!blocked_in_call(thread)) return facts;
    const WaitFd* fd = primary_fd(thread);
    const bool receiving = reads(thread) || thread.call == CallClass::Accept;
    const bool sending = writes(thread) || thread.call == CallClass::Connect;
    if (fd && fd->socket) {
        const SocketFacts& s = *fd->socket;
        if (receiving) {
            facts.push_back(s.rcvtimeo_s > 0 ? "SO_RCVTIMEO " + format_seconds(s.rcvtimeo_s)
                                             : "no receive timeout (SO_RCVTIMEO 0)");
        }
        if (sending) {
            facts.push_back(s.sndtimeo_s > 0 ? "SO_SNDTIMEO " + format_seconds(s.sndtimeo_s)
                                             : "no send timeout (SO_SNDTIMEO 0)");
        }
        if (s.tcp) {
            if (s.keepalive) {
                facts.push_back("keepalive on (idle " + std::to_string(s.keepidle_s) + " s, then " +
                                std::to_string(s.keepcnt) + " probes " +
                                std::to_string(s.keepintvl_s) + " s apart)");
            } else {
                facts.push_back("keepalive off");
            }
            if (s.user_timeout_ms) {
                facts.push_back("TCP_USER_TIMEOUT " + format_seconds(s.user_timeout_ms / 1000.0));
            }
            const TcpFacts& tcp = *s.tcp;
            if (tcp.state != "ESTABLISHED" && tcp.state != "LISTEN") {
                facts.push_back("state " + tcp.state);
            }
            if (receiving && tcp.state != "LISTEN") {
                facts.push_back("nothing received for " +
                                format_seconds(tcp.last_data_recv_ms / 1000.0));
            }
            if (sending) {
                facts.push_back("last sent " + format_seconds(tcp.last_data_sent_ms / 1000.0) +
                                " ago");
                if (tcp.unacked)
                    facts.push_back(std::to_string(tcp.unacked) + " segments unacknowledged");
                if (tcp.snd_wnd == 0 && tcp.state == "ESTABLISHED") {
                    facts.push_back("peer's receive window 0");
                }
                if (tcp.retransmits) {
                    facts.push_back(std::to_string(tcp.retransmits) + " retransmission timeouts");
                }
            }
        }
        if (sending && s.unsent_bytes && *s.unsent_bytes > 0) {
            facts.push_back(std::to_string(*s.unsent_bytes) + " bytes queued to send");
        }
        if (receiving && s.unread_bytes && *s.unread_bytes > 0) {
            facts.push_back(std::to_string(*s.unread_bytes) + " bytes queued, unread");
        }
        if (s.pending_error)
            facts.push_back(std::string("pending error ") + std::strerror(s.pending_error));
    } else if (fd && fd->socket_error) {
        facts.push_back("socket options unknown (" + fd->socket_error->message() + ")");
    }
    return facts;
}

// ---- gathering ---------------------------------------------------------------------

void add_fd_args(const TaskSyscall& call, std::string_view name, ThreadReport& thread) {
    const SyscallSignature* signature = find_syscall(name);
    if (!signature) return;
    for (std::size_t i = 0; i < 6; ++i) {
        if (!(signature->fd_args & (1u << i))) continue;
        int fd = static_cast<int>(call.args[i]);
        if (fd < 0) continue;  // AT_FDCWD and the like
        thread.fds.push_back(WaitFd{fd, "arg", "", {}, {}, {}});
    }
}

// What one look found of an fd: the threads of a process share their fd
// table, so a thousand threads blocked on one pipe are one lookup, not a
// thousand (each of which would scan the relatives for the other end).
struct FdLookup {
    std::optional<FdIdentity> identity;
    std::optional<SocketFacts> socket;
    std::optional<SysError> socket_error;
    bool socket_looked = false;
};
using FdLookups = std::unordered_map<int, FdLookup>;

// Identities and socket options of the fds the call waits on.
void resolve_fds(ProcResolver& resolver, int pid, int pidfd, const SysError* pidfd_error,
                 ThreadReport& thread, FdLookups& lookups) {
    constexpr std::size_t kMaxSocketLookups = 32;
    std::size_t socket_lookups = 0;
    for (WaitFd& fd : thread.fds) {
        auto [known, fresh] = lookups.try_emplace(fd.fd);
        FdLookup& lookup = known->second;
        if (fresh) lookup.identity = resolver.resolve(pid, fd.fd);
        fd.identity = lookup.identity;
        if (lookup.socket_looked) {
            fd.socket = lookup.socket;
            fd.socket_error = lookup.socket_error;
            continue;
        }
        if (!fd.identity || !is_socket_kind(fd.identity->kind)) continue;
        if (socket_lookups++ >= kMaxSocketLookups) continue;
        if (pidfd < 0) {
            if (pidfd_error) fd.socket_error = *pidfd_error;
            continue;
        }
        bool tcp = fd.identity->kind == FdKind::Tcp || fd.identity->kind == FdKind::Tcp6;
        auto facts = socket_facts(pidfd, fd.fd, tcp);
        if (facts)
            fd.socket = std::move(facts).value();
        else
            fd.socket_error = facts.error();
        lookup.socket = fd.socket;
        lookup.socket_error = fd.socket_error;
        lookup.socket_looked = true;
    }
}

ThreadReport inspect_thread(ProcResolver& resolver, int pid, int tid, int pidfd,
                            const SysError* pidfd_error, std::optional<SysError>& access_error,
                            FdLookups& lookups) {
    ThreadReport thread;
    thread.pid = pid;
    thread.tid = tid;
    thread.comm = read_comm(tid);
    read_task_stat(pid, tid, thread);
    if (auto wchan = read_file(task_path(pid, tid, "wchan")); wchan && *wchan != "0") {
        thread.wchan = std::string(trim(*wchan));
    }
    thread.tracer_pid = read_tracer(pid, tid);
    if (thread.tracer_pid) thread.tracer_comm = read_comm(thread.tracer_pid);

    auto text = read_file(task_path(pid, tid, "syscall"));
    if (!text) {
        if (!text.error().gone()) access_error = text.error();
        return thread;
    }
    thread.syscall = parse_task_syscall(*text);
    if (!blocked_in_call(thread)) return thread;
    const TaskSyscall& call = *thread.syscall;
    thread.syscall_name = syscall_name(call.nr);
    const SyscallSignature* shape = find_call(thread.syscall_name);
    thread.call = shape ? shape->waits : CallClass::Other;
    if (shape) thread.timeout = decode_timeout(pid, *shape, call);
    add_fd_args(call, thread.syscall_name, thread);
    if (thread.call == CallClass::Poll) add_poll_fds(pid, call, thread);
    if (thread.call == CallClass::Select) add_select_fds(pid, call, thread);
    if (thread.call == CallClass::EpollWait) add_epoll_fds(resolver, pid, call, thread);
    resolve_fds(resolver, pid, pidfd, pidfd_error, thread, lookups);
    if (thread.state != 'R') thread.off_cpu_s = off_cpu_seconds(pid, tid);
    return thread;
}

}  // namespace

std::span<const VerdictRule> verdict_rules() noexcept { return kRules; }

namespace {

const VerdictRule& first_rule(const ThreadReport& thread) {
    for (const VerdictRule& rule : kRules)
        if (rule.applies(thread)) return rule;
    return kRules[std::size(kRules) - 1];
}

}  // namespace

void apply_verdict(ThreadReport& thread) {
    thread.facts = facts_of(thread);
    const VerdictRule& rule = first_rule(thread);
    thread.rule = rule.id;
    thread.verdict = rule.verdict(thread);
    // A thread stopped (by gdb, say) inside a blocking call goes back to
    // waiting when resumed: say what for.
    if ((thread.state == 't' || thread.state == 'T') && blocked_in_call(thread)) {
        ThreadReport resumed = thread;
        resumed.state = 'S';
        const VerdictRule& then = first_rule(resumed);
        thread.verdict += "; once resumed, " + then.verdict(resumed);
    }
}

Result<StuckReport> diagnose_stuck(ProcResolver& resolver, int pid, const StuckOptions& options) {
    if (auto error = check_process_access(pid)) return *error;
    int tgid = thread_group_of(pid);
    auto tids = list_numeric_entries(proc_path(tgid, "task"));
    if (!tids) {
        SysError error = tids.error();
        if (error.gone()) error.error = ESRCH;
        return error;
    }
    StuckReport report;
    report.pid = tgid;
    report.comm = read_comm(tgid);
    report.total_threads = tids->size();

    ScopedFd pidfd;
    std::optional<SysError> pidfd_error;
    if (options.socket_options) {
        pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, tgid, 0)));
        if (!pidfd) pidfd_error = SysError::from_errno("pidfd_open " + std::to_string(tgid));
    } else {
        pidfd_error = SysError{EPERM, "socket options not read (--no-socket-options)"};
    }
    std::vector<int> wanted = options.tids;
    if (wanted.empty() && pid != tgid) wanted.push_back(pid);  // a tid names one thread

    std::optional<SysError> access_error;
    FdLookups lookups;
    ProcResolver::Batch batch(resolver);  // /proc scanned once for peers, however many threads
    for (int tid : *tids) {
        if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), tid) == wanted.end()) {
            continue;
        }
        ThreadReport thread =
            inspect_thread(resolver, tgid, tid, pidfd.get(), pidfd_error ? &*pidfd_error : nullptr,
                           access_error, lookups);
        apply_verdict(thread);
        report.threads.push_back(std::move(thread));
    }
    // Every thread's syscall file refused: not ours to look at.
    if (access_error && std::none_of(report.threads.begin(), report.threads.end(),
                                     [](const ThreadReport& t) { return t.syscall.has_value(); })) {
        return *access_error;
    }
    if (report.threads.empty()) return SysError{ESRCH, "pid " + std::to_string(pid)};
    return report;
}

// ---- output ---------------------------------------------------------------------------

namespace {

std::string fd_text(const WaitFd& fd, IdentityFormatter& formatter) {
    std::string text = std::to_string(fd.fd) + " -> ";
    text += fd.identity ? formatter.text(*fd.identity) : "(closed)";
    return text;
}

std::string call_text(const ThreadReport& thread, IdentityFormatter& formatter) {
    std::string text = thread.syscall_name + "(";
    std::vector<std::string> parts;
    for (const WaitFd& fd : thread.fds)
        if (fd.role == "arg") parts.push_back(fd_text(fd, formatter));
    if (!thread.detail.empty()) parts.push_back(thread.detail);
    if (thread.timeout && (waits_for_set(thread) || thread.call == CallClass::Sleep ||
                           thread.call == CallClass::Futex)) {
        parts.push_back(timeout_text(*thread.timeout));
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) text += ", ";
        text += parts[i];
    }
    return text + ")";
}

std::string socket_line(const SocketFacts& s) {
    if (!s.tcp || s.tcp->state == "LISTEN") return {};
    std::string line = "nothing received for " + format_seconds(s.tcp->last_data_recv_ms / 1000.0);
    if (s.unread_bytes && *s.unread_bytes > 0) {
        line += ", " + std::to_string(*s.unread_bytes) + " bytes unread";
    }
    return line;
}

void append_thread_text(std::string& out, const StuckReport& report, const ThreadReport& thread,
                        IdentityFormatter& formatter, bool& used_bound) {
    out += "thread " + std::to_string(thread.tid);
    if (thread.comm != report.comm && !thread.comm.empty()) {
        out += " (";
        append_escaped(out, thread.comm);
        out += ')';
    }
    if (thread.rule == "running") {
        out += " running (state R";
        if (thread.cpu >= 0) out += ", CPU " + std::to_string(thread.cpu);
        out += ")\n";
    } else if (blocked_in_call(thread)) {
        out += thread.state == 't' || thread.state == 'T' ? " stopped in " : " blocked in ";
        out += call_text(thread, formatter);
        if (thread.off_cpu_s) {
            out += " for ≥ " + format_seconds(*thread.off_cpu_s);
            used_bound = true;
        }
        out += '\n';
    } else {
        out += std::string(" in state ") + thread.state;
        if (!thread.wchan.empty()) out += ", kernel: " + thread.wchan;
        out += '\n';
    }
    constexpr std::size_t kMaxListed = 20;
    std::size_t listed = 0, hidden = 0;
    for (const WaitFd& fd : thread.fds) {
        if (fd.role == "arg") continue;
        if (listed == kMaxListed) {
            ++hidden;
            continue;
        }
        ++listed;
        out += "  fd " + fd_text(fd, formatter);
        if (!fd.events.empty()) out += "  [" + fd.events + "]";
        if (fd.socket) {
            std::string line = socket_line(*fd.socket);
            if (!line.empty()) out += "  " + line;
        }
        out += '\n';
    }
    if (hidden) out += "  ... and " + std::to_string(hidden) + " more fds\n";
    if (!thread.facts.empty()) {
        out += "  ";
        for (std::size_t i = 0; i < thread.facts.size(); ++i) {
            if (i) out += ", ";
            out += thread.facts[i];
        }
        out += '\n';
    }
    out += "  => " + thread.verdict + "\n";
}

void append_number_field(std::string& out, std::string_view key, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, ",\"%.*s\":%.3f", static_cast<int>(key.size()), key.data(),
                  value);
    out += buffer;
}

void append_socket_json(std::string& out, const SocketFacts& s) {
    out += ",\"socket\":{";
    char buffer[256];
    std::snprintf(buffer, sizeof buffer,
                  "\"rcvtimeo_s\":%.3f,\"sndtimeo_s\":%.3f,\"keepalive\":%s,\"keepidle_s\":%d,"
                  "\"keepintvl_s\":%d,\"keepcnt\":%d,\"user_timeout_ms\":%u,\"error\":%d",
                  s.rcvtimeo_s, s.sndtimeo_s, s.keepalive ? "true" : "false", s.keepidle_s,
                  s.keepintvl_s, s.keepcnt, s.user_timeout_ms, s.pending_error);
    out += buffer;
    if (s.unread_bytes) out += ",\"unread_bytes\":" + std::to_string(*s.unread_bytes);
    if (s.unsent_bytes) out += ",\"unsent_bytes\":" + std::to_string(*s.unsent_bytes);
    if (s.tcp) {
        const TcpFacts& t = *s.tcp;
        out += ",\"tcp\":{\"state\":";
        append_json_string(out, t.state);
        std::snprintf(buffer, sizeof buffer,
                      ",\"unacked\":%u,\"retransmits\":%u,\"probes\":%u,\"last_data_sent_ms\":%u,"
                      "\"last_data_recv_ms\":%u,\"last_ack_recv_ms\":%u,\"rtt_us\":%u,"
                      "\"snd_wnd\":%u}",
                      t.unacked, t.retransmits, t.probes, t.last_data_sent_ms, t.last_data_recv_ms,
                      t.last_ack_recv_ms, t.rtt_us, t.snd_wnd);
        out += buffer;
    }
    out += '}';
}

}  // namespace

void render_stuck_text(std::string& out, const StuckReport& report, IdentityFormatter& formatter) {
    out += "pid " + std::to_string(report.pid) + " (";
    append_escaped(out, report.comm);
    out += "), " + std::to_string(report.total_threads) +
           (report.total_threads == 1 ? " thread" : " threads");
    if (report.threads.size() != report.total_threads) {
        out += ", " + std::to_string(report.threads.size()) + " shown";
    }
    out += '\n';
    bool used_bound = false;
    for (const ThreadReport& thread : report.threads) {
        append_thread_text(out, report, thread, formatter, used_bound);
    }
    if (used_bound) {
        out +=
            "(≥ T: time since the thread last ran on a CPU, from se.exec_start in "
            "/proc/PID/task/TID/sched, never more than the thread's age; it has been in the "
            "call at least that long)\n";
    }
}

void render_stuck_json(std::string& out, const StuckReport& report, IdentityFormatter& formatter) {
    for (const ThreadReport& thread : report.threads) {
        out += "{\"pid\":" + std::to_string(thread.pid) + ",\"tid\":" + std::to_string(thread.tid);
        out += ",\"comm\":";
        append_json_string(out, thread.comm);
        out += ",\"state\":";
        append_json_string(out, std::string(1, thread.state));
        if (thread.cpu >= 0) out += ",\"cpu\":" + std::to_string(thread.cpu);
        if (!thread.wchan.empty()) {
            out += ",\"wchan\":";
            append_json_string(out, thread.wchan);
        }
        if (thread.tracer_pid) out += ",\"tracer_pid\":" + std::to_string(thread.tracer_pid);
        if (blocked_in_call(thread)) {
            out += ",\"syscall\":";
            append_json_string(out, thread.syscall_name);
            out += ",\"nr\":" + std::to_string(thread.syscall->nr) + ",\"args\":[";
            for (std::size_t i = 0; i < 6; ++i) {
                char hex[24];
                std::snprintf(hex, sizeof hex, "%s\"%#llx\"", i ? "," : "",
                              static_cast<unsigned long long>(thread.syscall->args[i]));
                out += hex;
            }
            out += ']';
        } else {
            out += ",\"syscall\":null";
        }
        if (thread.off_cpu_s) {
            append_number_field(out, "off_cpu_s", *thread.off_cpu_s);
            out += ",\"off_cpu_basis\":\"sched_exec_start\"";
        }
        if (thread.timeout) {
            constexpr std::string_view kKinds[] = {"infinite", "relative", "deadline"};
            out += ",\"timeout\":{\"kind\":\"";
            out += kKinds[static_cast<int>(thread.timeout->kind)];
            out += '"';
            if (thread.timeout->kind != CallTimeout::Kind::Infinite) {
                append_number_field(out, "seconds", thread.timeout->seconds);
            }
            out += '}';
        }
        out += ",\"fds\":[";
        for (std::size_t i = 0; i < thread.fds.size(); ++i) {
            const WaitFd& fd = thread.fds[i];
            if (i) out += ',';
            out += "{\"fd\":" + std::to_string(fd.fd) + ",\"role\":";
            append_json_string(out, fd.role);
            if (!fd.events.empty()) {
                out += ",\"events\":";
                append_json_string(out, fd.events);
            }
            if (fd.identity) {
                out += ',';
                append_process_identity_fields(out, *fd.identity);
                out += ",\"text\":";
                append_json_string(out, formatter.text(*fd.identity));
            } else {
                out += ",\"kind\":\"unknown\",\"closed\":true";
            }
            if (fd.socket) append_socket_json(out, *fd.socket);
            if (fd.socket_error) {
                out += ",\"socket_error\":";
                append_json_string(out, fd.socket_error->message());
            }
            out += '}';
        }
        out += "],\"rule\":";
        append_json_string(out, thread.rule);
        out += ",\"facts\":[";
        for (std::size_t i = 0; i < thread.facts.size(); ++i) {
            if (i) out += ',';
            append_json_string(out, thread.facts[i]);
        }
        out += "],\"verdict\":";
        append_json_string(out, thread.verdict);
        out += "}\n";
    }
}

}  // namespace fdtrace
