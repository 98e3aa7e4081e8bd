#include "fdtrace/tracer.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "fdtrace/scoped_fd.h"
#include "fdtrace/seccomp_filter.h"
#include "fdtrace/tracee.h"
#include "src/resolve/proc_files.h"
#include "src/resolve/text_util.h"
#include "src/trace/arch.h"
#include "src/trace/xlat.h"

namespace fdtrace {
namespace {

constexpr unsigned kBaseOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT |
                                  PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
constexpr int kSyscallStop = SIGTRAP | 0x80;
constexpr int kDetachTimeoutMs = 3000;
constexpr int kFirstStopTimeoutMs = 1000;
constexpr int kMaxPollMs = 1000;  // wake up now and then even if a SIGCHLD was missed
constexpr long kBusyTickMs =
    20;  // the listener's turn (and stop requests) while events keep coming

enum class CallMode : std::uint8_t { Ignored, Silent, Shown };

// What a task's syscalls are for.
enum class TaskRole : std::uint8_t {
    Followed,     // printed
    Silent,       // shares a followed task's fd table: decoded for the model, not printed
    Passthrough,  // carries our seccomp filter but is not followed: only kept running
};

bool is_stop_signal(int signal) {
    return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
}

bool is_restart_code(std::int64_t ret) { return ret <= -512 && ret >= -516; }

timespec clock_now(clockid_t clock) {
    timespec now{};
    ::clock_gettime(clock, &now);
    return now;
}

timespec difference(const timespec& later, const timespec& earlier) {
    timespec out{later.tv_sec - earlier.tv_sec, later.tv_nsec - earlier.tv_nsec};
    if (out.tv_nsec < 0) {
        out.tv_nsec += 1'000'000'000;
        --out.tv_sec;
    }
    if (out.tv_sec < 0) out = {};
    return out;
}

long elapsed_ms(const timespec& since) {
    timespec d = difference(clock_now(CLOCK_MONOTONIC), since);
    return d.tv_sec * 1000 + d.tv_nsec / 1'000'000;
}

// The threads of a process, from /proc/PID/task.
std::vector<int> list_threads(int pid) {
    std::vector<int> tids;
    std::string path = "/proc/" + std::to_string(pid) + "/task";
    DIR* dir = ::opendir(path.c_str());
    if (!dir) return tids;
    while (dirent* entry = ::readdir(dir)) {
        char* end = nullptr;
        long tid = std::strtol(entry->d_name, &end, 10);
        if (end != entry->d_name && *end == '\0' && tid > 0) tids.push_back(static_cast<int>(tid));
    }
    ::closedir(dir);
    std::sort(tids.begin(), tids.end());
    return tids;
}

// The program execvp would run, or an errno.
std::variant<std::string, int> find_program(const std::string& name) {
    auto check = [](const std::string& path) -> int {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return errno;
        if (S_ISDIR(st.st_mode)) return EACCES;
        if (::access(path.c_str(), X_OK) != 0) return errno;
        return 0;
    };
    if (name.find('/') != std::string::npos) {
        if (int error = check(name)) return error;
        return name;
    }
    const char* path_env = std::getenv("PATH");
    std::string_view search = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
    int first_error = ENOENT;
    while (true) {
        std::size_t colon = search.find(':');
        std::string dir(search.substr(0, colon));
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        int error = check(candidate);
        if (error == 0) return candidate;
        if (error != ENOENT && first_error == ENOENT) first_error = error;
        if (colon == std::string_view::npos) break;
        search.remove_prefix(colon + 1);
    }
    return first_error;
}

// Whether two tasks use the same fd table (kcmp); threads are assumed to
// when the kernel cannot tell.
bool shares_fd_table(int a, int b) {
    long same = ::syscall(SYS_kcmp, a, b, KCMP_FILES, 0, 0);
    return same == 0 || (same < 0 && (errno == ENOSYS || errno == EPERM));
}

std::string exit_text(int status) {
    if (WIFEXITED(status)) return "+++ exited with " + std::to_string(WEXITSTATUS(status)) + " +++";
    std::string text = "+++ killed by " + xlat::signal_name(WTERMSIG(status));
    if (WCOREDUMP(status)) text += " (core dumped)";
    return text + " +++";
}

}  // namespace

class Tracer::Impl {
  public:
    Impl(TracerOptions options, TraceListener& listener)
        : options_(std::move(options)), listener_(listener), decoder_(options_.decode) {}

    ~Impl() {
        // Tracees left (an error path) detach in their destructors, before
        // the signal mask is restored.
        tasks_.clear();
        if (!mask_blocked_) return;
        // A write to a closed pipe left SIGPIPE pending (the error was seen
        // as EPIPE): unblocking it now would kill fdtrace and lose the
        // command's exit status, so it is taken first.
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        const timespec now{0, 0};
        while (::sigtimedwait(&pipe, nullptr, &now) == SIGPIPE) {
        }
        ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    }

    std::optional<TraceError> start();
    int run();
    void request_stop(int signal) {
        if (!stop_signal_) stop_signal_ = signal;
    }

  private:
    struct Task {
        explicit Task(Tracee t, TaskRole r) : tracee(std::move(t)), role(r) {}
        Tracee tracee;
        TaskRole role;
        bool in_syscall = false;
        bool state_known = false;  // whether in_syscall can be trusted (syscall mode)
        CallMode mode = CallMode::Ignored;
        SyscallCall call;
        timespec entered{};
        timespec entered_steady{};
        std::size_t entry_length = 0;  // of the Entry record's text (0: entry not seen)
        std::size_t result_at = 0;     // of ") = " in the exit text
        timeval stime{};               // system CPU time at the latest stop (strace -c's clock)
        timeval entry_stime{};
        std::string interrupted;      // a call a signal interrupted, for restart_syscall
        bool attaching = false;       // -p: the interrupt stop that begins tracing is still due
        bool pre_exec = false;        // the launched child before its execve
        bool detach_on_stop = false;  // an unfollowed child: let go at its first stop
    };

    unsigned ptrace_options() const {
        unsigned options = kBaseOptions;
        if (seccomp_mode_) options |= PTRACE_O_TRACESECCOMP;
        // A command under our filter cannot live without us: every traced
        // call would fail with ENOSYS. If fdtrace dies (SIGKILL, OOM, crash)
        // the kernel kills it too, rather than leave it running broken.
        if (options_.kill_on_exit || seccomp_mode_) options |= PTRACE_O_EXITKILL;
        return options;
    }

    std::optional<TraceError> compute_modes();
    std::optional<TraceError> block_signals();
    std::optional<TraceError> launch();
    std::optional<TraceError> attach(int pid);
    void await_first_stop(int tid);

    // `stime`: the task's system CPU time at this stop (wait4's rusage), if known.
    void handle(int tid, int status, const timeval* stime = nullptr);
    void syscall_stop(Task& task);
    void syscall_entry(Task& task);
    void syscall_exit(Task& task);
    void event_stop(Task& task, int event, int signal);
    void signal_stop(Task& task, int signal);
    void new_child(Task& parent, int child, std::optional<bool> shares_known = std::nullopt);
    void add_child(Task* parent, int child, bool shares_files);
    std::unordered_map<int, Task>::iterator adopt_unannounced(int tid);
    void exec_event(int tid);
    void task_exited(int tid, int status);
    void emit_unfinished(Task& task);
    void emit_detached(Task& task);
    void note_interrupted_call(Task& task);
    void resume(Task& task, int signal = 0);
    void emit(TraceRecord::Kind kind, Task& task, const timespec& when, const timespec& elapsed,
              bool shown, const timespec& returned = {}, const timespec& system = {});

    void drain_signals();
    void handle_stop_request();
    void detach_all();

    bool signal_shown(int signal) const {
        return !options_.signals || options_.signals->count(signal) > 0;
    }
    CallMode mode_of(long nr) const {
        if (nr < 0 || static_cast<std::size_t>(nr) >= modes_.size()) return CallMode::Ignored;
        return modes_[static_cast<std::size_t>(nr)];
    }
    // strace's rule for the pid column: always with -f -o FILE, else once
    // more than one task is traced (a -f run on a terminal starts without it).
    bool several_tasks() {
        if (options_.pid_column_always) return true;
        if (tasks_.size() != followed_counted_for_) {  // recounted only when tasks come or go
            followed_counted_for_ = tasks_.size();
            followed_ = 0;
            for (const auto& [tid, task] : tasks_) followed_ += task.role == TaskRole::Followed;
        }
        return followed_ > 1;
    }

    TracerOptions options_;
    TraceListener& listener_;
    SyscallNames names_;
    SyscallDecoder decoder_;
    std::string dump_;  // -e read=/write=: the hex dump of the call being emitted
    std::vector<CallMode> modes_;
    long restart_nr_ = -1;
    long execve_nr_ = -1;
    long execveat_nr_ = -1;
    bool seccomp_mode_ = false;
    bool have_syscall_info_ = true;
    std::unordered_map<int, Task> tasks_;
    std::unordered_set<int> attached_pids_;
    int launched_ = 0;
    std::optional<int> launched_status_;
    ScopedFd exec_error_;
    ScopedFd signal_fd_;
    sigset_t old_mask_{};
    bool mask_blocked_ = false;
    int stop_signal_ = 0;
    bool stop_handled_ = false;
    bool quiet_ = false;  // after a stop request that could not detach: only keep tracees running
    std::string text_;
    std::unordered_set<int> skipped_;  // -p threads that could not be seized
    std::size_t followed_counted_for_ = ~std::size_t{0};
    int followed_ = 0;
};

std::optional<TraceError> Tracer::Impl::compute_modes() {
    modes_.assign(static_cast<std::size_t>(names_.limit()), CallMode::Ignored);
    auto mark = [&](const std::string& name, CallMode mode) {
        auto nr = names_.number(name);
        if (!nr) return;  // not a syscall of this architecture (the CLI checked spelling)
        auto& slot = modes_[static_cast<std::size_t>(*nr)];
        slot = std::max(slot, mode);
    };
    if (options_.trace_all) {
        for (long nr : names_.numbers()) modes_[static_cast<std::size_t>(nr)] = CallMode::Shown;
    }
    for (const auto& name : options_.silent) mark(name, CallMode::Silent);
    for (const auto& name : options_.shown) mark(name, CallMode::Shown);
    if (auto nr = names_.number("restart_syscall")) {
        restart_nr_ = *nr;
        // Shown when it resumes a shown call (decided per task at entry).
        modes_[static_cast<std::size_t>(*nr)] = CallMode::Shown;
    }
    execve_nr_ = names_.number("execve").value_or(-1);
    execveat_nr_ = names_.number("execveat").value_or(-1);
    return std::nullopt;
}

std::optional<TraceError> Tracer::Impl::block_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE}) sigaddset(&set, signal);
    if (::pthread_sigmask(SIG_BLOCK, &set, &old_mask_) != 0)
        return TraceError{3, std::string("sigprocmask: ") + std::strerror(errno)};
    mask_blocked_ = true;
    sigdelset(&set, SIGPIPE);  // write errors come back as EPIPE; the signal stays blocked
    signal_fd_.reset(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!signal_fd_) return TraceError{3, std::string("signalfd: ") + std::strerror(errno)};
    return std::nullopt;
}

std::optional<TraceError> Tracer::Impl::start() {
    if (auto error = compute_modes()) return error;
    if (auto error = block_signals()) return error;
    seccomp_mode_ = !options_.command.empty() && options_.seccomp;
    if (!options_.command.empty()) return launch();
    // strace's way with several -p: one that cannot be traced (gone, not
    // permitted) is reported and the others are traced; only when none can
    // be does tracing fail, with the first reason.
    std::optional<TraceError> first_error;
    for (int pid : options_.pids) {
        auto error = attach(pid);
        if (!error) continue;
        if (!first_error) first_error = error;
        if (options_.pids.size() > 1) listener_.notice(error->message);
    }
    if (tasks_.empty() && first_error) {
        if (options_.pids.size() > 1) first_error->message = "no process could be traced";
        return first_error;
    }
    return std::nullopt;
}

std::optional<TraceError> Tracer::Impl::launch() {
    const std::string& name = options_.command.front();
    auto found = find_program(name);
    if (const int* error = std::get_if<int>(&found))
        return TraceError{*error == ENOENT ? 127 : 126,
                          "cannot run '" + name + "': " + std::strerror(*error)};
    const std::string& path = std::get<std::string>(found);

    std::optional<SeccompProgram> program;
    if (seccomp_mode_) {
        std::vector<long> traced;
        for (std::size_t nr = 0; nr < modes_.size(); ++nr)
            if (modes_[nr] != CallMode::Ignored) traced.push_back(static_cast<long>(nr));
        auto built = SeccompProgram::build(traced);
        if (!built) return TraceError{3, built.error().message()};
        program = std::move(built.value());
    }

    std::vector<char*> argv;
    for (const auto& arg : options_.command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    int sync_pipe[2];
    int error_pipe[2];
    if (::pipe2(sync_pipe, O_CLOEXEC) != 0)
        return TraceError{3, std::string("pipe: ") + std::strerror(errno)};
    ScopedFd sync_read(sync_pipe[0]);
    ScopedFd sync_write(sync_pipe[1]);
    if (::pipe2(error_pipe, O_CLOEXEC) != 0)
        return TraceError{3, std::string("pipe: ") + std::strerror(errno)};
    ScopedFd error_read(error_pipe[0]);
    ScopedFd error_write(error_pipe[1]);

    pid_t child = ::fork();
    if (child < 0) return TraceError{3, std::string("fork: ") + std::strerror(errno)};
    if (child == 0) {
        // Only async-signal-safe calls from here to execv.
        ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
        char byte = 0;
        ssize_t got;
        do got = ::read(sync_pipe[0], &byte, 1);
        while (got < 0 && errno == EINTR);
        if (got != 1) ::_exit(127);  // the tracer could not attach: never run untraced
        if (program) {
            if (int error = program->install()) {
                (void)!::write(error_pipe[1], &error, sizeof error);
                ::_exit(126);
            }
        }
        ::execv(path.c_str(), argv.data());
        int error = errno;
        (void)!::write(error_pipe[1], &error, sizeof error);
        ::_exit(error == ENOENT ? 127 : 126);
    }
    error_write.reset();
    sync_read.reset();
    auto tracee = Tracee::seize(child, ptrace_options());
    if (!tracee) {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        return TraceError{3, tracee.error().message()};
    }
    launched_ = child;
    exec_error_ = std::move(error_read);
    Task task(std::move(tracee.value()), TaskRole::Followed);
    task.pre_exec = true;
    auto& inserted = tasks_.emplace(child, std::move(task)).first->second;
    // PTRACE_SYSCALL needs a first stop; a seccomp filter does not.
    if (!seccomp_mode_) inserted.tracee.interrupt();
    if (::write(sync_write.get(), "x", 1) != 1)
        return TraceError{3, std::string("write: ") + std::strerror(errno)};
    return std::nullopt;
}

// Why PTRACE_SEIZE of `tid` failed, from what /proc says about it, in one line.
static std::string attach_refusal(int tid, int error) {
    if (error != EPERM) return std::strerror(error);
    std::string_view tracer, state;
    auto status = read_file(proc_path(tid, "status"));
    if (status) {
        for (std::string_view line : split_lines(*status)) {
            if (auto value = value_after(line, "TracerPid:")) tracer = *value;
            if (auto value = value_after(line, "State:")) state = *value;
        }
    }
    if (int other = 0; parse_number(tracer, other) && other > 0)
        return "already traced by " + read_comm(other) + "[" + std::to_string(other) + "]";
    if (state.starts_with("Z")) return "a zombie (exited, not yet reaped by its parent)";
    if (auto stat = read_file(proc_path(tid, "stat"))) {
        // The flags are the 9th field, the 7th after the ")" ending the name.
        auto close = stat->rfind(')');
        auto fields =
            split_words(std::string_view(*stat).substr(close == std::string::npos ? 0 : close + 1));
        unsigned long flags = 0;
        constexpr unsigned long kPfKthread = 0x00200000;
        if (fields.size() > 6 && parse_number(fields[6], flags) && (flags & kPfKthread))
            return "a kernel thread (kernel threads cannot be traced)";
    }
    std::string scope;
    if (auto yama = read_file("/proc/sys/kernel/yama/ptrace_scope"))
        scope = std::string(trim(*yama));
    std::string refused = "Operation not permitted";
    if (scope == "3") return refused + " (kernel.yama.ptrace_scope is 3: no process may be traced)";
    if (::geteuid() != 0)
        return refused + " (tracing another user's process needs CAP_SYS_PTRACE" +
               (scope.empty() || scope == "0" ? ")"
                                              : "; kernel.yama.ptrace_scope is " + scope + ")");
    if (scope == "2")
        return refused + " (kernel.yama.ptrace_scope is 2: only CAP_SYS_PTRACE may attach)";
    return refused;
}

std::optional<TraceError> Tracer::Impl::attach(int pid) {
    std::string what = "-p " + std::to_string(pid);
    if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH))
        return TraceError{2, what + ": no such process"};
    if (pid == ::getpid()) return TraceError{2, what + ": cannot trace fdtrace itself"};
    // No PTRACE_O_TRACEEXIT until every thread is in: a thread killed by
    // another thread's execve meanwhile must not stop at its exit waiting for
    // us while we wait in PTRACE_SEIZE for that execve, which holds
    // cred_guard_mutex until every other thread is gone (a deadlock only
    // SIGKILL ends). The full options are set at each thread's first stop.
    const unsigned seize_options = ptrace_options() & ~static_cast<unsigned>(PTRACE_O_TRACEEXIT);
    bool attached_any = false;
    // Threads may start while we attach: read the list until it holds no newcomer.
    for (int pass = 0; pass < 4 && !stop_signal_; ++pass) {
        std::vector<int> tids = list_threads(pid);
        if (tids.empty()) tids.push_back(pid);
        bool new_ones = false;
        for (int tid : tids) {
            if (tasks_.count(tid) || skipped_.count(tid)) continue;
            auto tracee = Tracee::seize(tid, seize_options);
            if (!tracee) {
                int error = tracee.error().error;
                if (error == ESRCH) continue;  // a thread that just ended
                if (tid == pid)
                    return TraceError{3, what + ": attach: " + attach_refusal(tid, error)};
                // strace's way: trace the threads that can be, say which could not.
                skipped_.insert(tid);
                listener_.notice(what + ": thread " + std::to_string(tid) +
                                 " not traced: " + attach_refusal(tid, error));
                continue;
            }
            new_ones = true;
            attached_any = true;
            auto& task = tasks_.emplace(tid, Task(std::move(tracee.value()), TaskRole::Followed))
                             .first->second;
            task.attaching = true;
            task.tracee.interrupt();  // the first stop, from which PTRACE_SYSCALL starts
            // The process's threads (almost always) share one fd table.
            if (tid != pid && shares_fd_table(pid, tid)) listener_.spawned(pid, tid, true);
        }
        if (!new_ones) break;
        drain_signals();
    }
    if (!attached_any) return TraceError{2, what + ": no such process"};
    // Tracing has begun once each thread has reached its first stop: from
    // then on no syscall goes unseen, and "attached" can be said.
    for (int tid : list_threads(pid)) await_first_stop(tid);
    attached_pids_.insert(pid);
    if (!options_.quiet) listener_.notice("Process " + std::to_string(pid) + " attached");
    return std::nullopt;
}

void Tracer::Impl::await_first_stop(int tid) {
    auto it = tasks_.find(tid);
    if (it == tasks_.end() || it->second.state_known) return;
    timespec started = clock_now(CLOCK_MONOTONIC);
    // Bounded: a task in uninterruptible sleep stops only when it wakes.
    while (elapsed_ms(started) < kFirstStopTimeoutMs) {
        int status = 0;
        pid_t got = ::waitpid(tid, &status, __WALL | WNOHANG);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return;
        if (got == 0) {
            drain_signals();
            if (stop_signal_) return;  // run() detaches at once
            timespec pause{0, 1'000'000};
            ::nanosleep(&pause, nullptr);
            continue;
        }
        handle(tid, status);
        if (!WIFSTOPPED(status) || (status >> 16) == PTRACE_EVENT_STOP || !tasks_.count(tid))
            return;
    }
}

int Tracer::Impl::run() {
    timespec last_idle = clock_now(CLOCK_MONOTONIC);
    struct Stop {
        pid_t tid;
        int status;
        timeval stime;
    };
    std::vector<Stop> stops;
    while (!tasks_.empty()) {
        if (stop_signal_ && !stop_handled_) {
            handle_stop_request();
            if (tasks_.empty()) break;
        }
        // strace's fairness: every stop pending now is taken, then each is
        // served, so tasks that stop all the time cannot keep waitpid(-1)
        // answering with them while another task waits to be resumed.
        stops.clear();
        bool nothing_left = false;
        for (;;) {
            int status = 0;
            rusage usage{};
            pid_t tid = ::wait4(-1, &status, __WALL | WNOHANG, &usage);
            if (tid > 0) {
                stops.push_back({tid, status, usage.ru_stime});
                // One task has one stop at a time: nothing else to collect.
                if (tasks_.size() <= 1) break;
                continue;
            }
            if (tid < 0 && errno == EINTR) continue;
            nothing_left = tid < 0 && stops.empty();  // ECHILD: nothing we could wait for
            break;
        }
        if (!stops.empty()) {
            for (const Stop& stop : stops) handle(stop.tid, stop.status, &stop.stime);
            // Never idle while tasks keep us busy: the listener still gets
            // its turn (a call blocked in another task is shown, output is
            // flushed) and a stop request is still heard.
            if (elapsed_ms(last_idle) >= kBusyTickMs) {
                last_idle = clock_now(CLOCK_MONOTONIC);
                listener_.idle();
                drain_signals();
            }
            continue;
        }
        if (nothing_left) {
            for (auto& [id, task] : tasks_) task.tracee.forget();
            tasks_.clear();
            break;
        }
        last_idle = clock_now(CLOCK_MONOTONIC);
        int timeout = listener_.idle();
        if (timeout < 0 || timeout > kMaxPollMs) timeout = kMaxPollMs;
        pollfd wait{signal_fd_.get(), POLLIN, 0};
        if (::poll(&wait, 1, timeout) > 0) drain_signals();
    }
    listener_.idle();
    if (launched_) {
        if (launched_status_) {
            int status = *launched_status_;
            if (WIFEXITED(status)) {
                int code = WEXITSTATUS(status);
                int error = 0;
                if ((code == 126 || code == 127) && exec_error_ &&
                    ::read(exec_error_.get(), &error, sizeof error) == sizeof error) {
                    listener_.notice("cannot run '" + options_.command.front() +
                                     "': " + std::strerror(error));
                }
                return code;
            }
            return 128 + WTERMSIG(status);
        }
        return stop_signal_ ? 128 + stop_signal_ : 0;
    }
    return 0;
}

void Tracer::Impl::drain_signals() {
    signalfd_siginfo info;
    while (::read(signal_fd_.get(), &info, sizeof info) == sizeof info) {
        int signal = static_cast<int>(info.ssi_signo);
        if (signal == SIGINT || signal == SIGTERM || signal == SIGHUP) request_stop(signal);
    }
}

void Tracer::Impl::handle_stop_request() {
    stop_handled_ = true;
    if (options_.kill_on_exit) {
        for (auto& [tid, task] : tasks_) ::kill(tid, SIGKILL);
        return;  // their deaths arrive through waitpid
    }
    if (seccomp_mode_) {
        // Our filter stays in the command and its children: without a tracer
        // every traced syscall would fail with ENOSYS. Keep them running, silently.
        for (auto& [tid, task] : tasks_) emit_detached(task);
        quiet_ = true;
        listener_.notice(
            "the command runs under fdtrace's seccomp filter and cannot be detached; "
            "output stops, fdtrace exits when it does (--kill-on-exit ends it instead)");
        return;
    }
    detach_all();
}

void Tracer::Impl::detach_all() {
    if (!quiet_)
        for (auto& [tid, task] : tasks_) emit_detached(task);
    for (auto it = tasks_.begin(); it != tasks_.end();) {
        Task& task = it->second;
        task.tracee.interrupt();
        ++it;
    }
    timespec started = clock_now(CLOCK_MONOTONIC);
    while (!tasks_.empty() && elapsed_ms(started) < kDetachTimeoutMs) {
        int status = 0;
        pid_t tid = ::waitpid(-1, &status, __WALL | WNOHANG);
        if (tid < 0 && errno == EINTR) continue;
        if (tid < 0) break;
        if (tid == 0) {
            pollfd wait{signal_fd_.get(), POLLIN, 0};
            if (::poll(&wait, 1, 50) > 0) {
                signalfd_siginfo info;
                while (::read(signal_fd_.get(), &info, sizeof info) == sizeof info) {
                }
            }
            continue;
        }
        auto it = tasks_.find(tid);
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (tid == launched_) launched_status_ = status;
            if (it != tasks_.end()) {
                it->second.tracee.forget();
                tasks_.erase(it);
            }
            continue;
        }
        int event = status >> 16;
        int signal = WSTOPSIG(status);
        // A signal-delivery-stop's signal goes with it; every other stop has none.
        int deliver = (event == 0 && signal != kSyscallStop) ? signal : 0;
        if (it == tasks_.end()) {  // a child auto-attached during the detach
            Tracee::adopt(tid).detach(deliver);
            continue;
        }
        it->second.tracee.detach(deliver);
        tasks_.erase(it);
    }
    // Whatever did not stop in time is detached by the kernel when we exit.
    for (auto& [tid, task] : tasks_) task.tracee.forget();
    tasks_.clear();
    if (!options_.quiet)
        for (int pid : attached_pids_)
            listener_.notice("Process " + std::to_string(pid) + " detached");
}

void Tracer::Impl::handle(int tid, int status, const timeval* stime) {
    auto it = tasks_.find(tid);
    if (stime && it != tasks_.end()) it->second.stime = *stime;
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        if (it != tasks_.end())
            task_exited(tid, status);
        else if (tid == launched_)
            launched_status_ = status;
        return;
    }
    if (!WIFSTOPPED(status)) return;
    int signal = WSTOPSIG(status);
    int event = status >> 16;
    if (event == PTRACE_EVENT_EXEC) {
        exec_event(tid);
        return;
    }
    if (it == tasks_.end()) {
        // A new child whose parent's fork event is not in yet, and may never
        // come (the parent can die first): adopted now, never left stopped.
        it = adopt_unannounced(tid);
        if (it == tasks_.end()) return;
    }
    Task& task = it->second;
    if (signal == kSyscallStop) {
        syscall_stop(task);
        return;
    }
    if (event != 0) {
        event_stop(task, event, signal);
        return;
    }
    signal_stop(task, signal);
}

void Tracer::Impl::resume(Task& task, int signal) {
    Resume how = Resume::Continue;
    if (!seccomp_mode_)
        how = Resume::Syscall;
    else if (task.in_syscall && task.mode != CallMode::Ignored)
        how = Resume::Syscall;  // wait for its exit
    task.tracee.resume(how, signal);
}

void Tracer::Impl::syscall_stop(Task& task) {
    bool entry;
    if (seccomp_mode_ && task.in_syscall) {
        entry = false;  // the exit of the call whose seccomp stop we saw
    } else if (!seccomp_mode_ && task.state_known) {
        entry = !task.in_syscall;
    } else {
        std::optional<__ptrace_syscall_info> info;
        if (have_syscall_info_) {
            info = task.tracee.syscall_info();
            if (!info && (errno == EIO || errno == EINVAL)) have_syscall_info_ = false;
        }
        if (info && info->op == PTRACE_SYSCALL_INFO_ENTRY)
            entry = true;
        else if (info && info->op == PTRACE_SYSCALL_INFO_EXIT)
            entry = false;
        else
            entry = !task.in_syscall;
        task.state_known = true;
        if (seccomp_mode_ && entry) {
            // An entry stop we did not ask for: nothing to do but go on.
            task.in_syscall = false;
            resume(task);
            return;
        }
        if (!entry && !task.in_syscall) {
            // The exit of a call that began before we attached.
            task.mode = CallMode::Ignored;
            resume(task);
            return;
        }
    }
    if (entry)
        syscall_entry(task);
    else
        syscall_exit(task);
    resume(task);
}

void Tracer::Impl::syscall_entry(Task& task) {
    task.in_syscall = true;
    task.mode = CallMode::Ignored;
    if (quiet_ || task.role == TaskRole::Passthrough) return;
    auto regs = task.tracee.registers();
    if (!regs) return;  // another ABI (a 32-bit call): not decoded
    long nr = regs->nr;
    CallMode mode = mode_of(nr);
    if (mode == CallMode::Ignored) return;
    bool exec_call = nr == execve_nr_ || nr == execveat_nr_;
    if (task.pre_exec && !exec_call) return;  // fdtrace's own code in the child
    if (nr == restart_nr_ && task.interrupted.empty()) return;
    if (task.role == TaskRole::Silent) mode = CallMode::Silent;
    task.mode = mode;
    SyscallCall& call = task.call;
    call.nr = nr;
    call.name = names_.name(nr);
    call.args = regs->args;
    call.stack_pointer = regs->sp;
    call.ret = 0;
    call.resuming = nr == restart_nr_ ? std::string_view(task.interrupted) : std::string_view();
    task.entered = clock_now(CLOCK_REALTIME);
    task.entered_steady = clock_now(CLOCK_MONOTONIC);
    task.entry_stime = task.stime;
    if (mode == CallMode::Shown && !options_.trace_paths.empty() &&
        !options_.trace_paths.matches(task.tracee.tid(), call, task.tracee.memory()))
        task.mode = mode = CallMode::Silent;
    decoder_.enter(call, task.tracee.memory());
    text_.clear();
    decoder_.entry(call, text_);
    task.entry_length = text_.size();
    // -z/-Z decide at exit: the entry half is then never shown on its own.
    emit(TraceRecord::Kind::Entry, task, task.entered, {},
         mode == CallMode::Shown && options_.status == TracerOptions::Status::All);
}

void Tracer::Impl::syscall_exit(Task& task) {
    task.in_syscall = false;
    if (task.mode == CallMode::Ignored || quiet_) return;
    CallMode mode = task.mode;
    task.mode = CallMode::Ignored;
    auto regs = task.tracee.registers();
    if (!regs) return;
    SyscallCall& call = task.call;
    call.ret = regs->ret;
    text_.clear();
    task.result_at = decoder_.exit(call, task.tracee.memory(), text_);
    if (call.nr != restart_nr_) {
        if (is_restart_code(call.ret))
            task.interrupted = std::string(call.name);
        else
            task.interrupted.clear();
    } else if (!is_restart_code(call.ret)) {
        task.interrupted.clear();
    }
    timespec elapsed = difference(clock_now(CLOCK_MONOTONIC), task.entered_steady);
    timespec system = difference({task.stime.tv_sec, task.stime.tv_usec * 1000},
                                 {task.entry_stime.tv_sec, task.entry_stime.tv_usec * 1000});
    bool failed = is_error_return(call.ret);
    bool wanted = options_.status == TracerOptions::Status::All ||
                  failed == (options_.status == TracerOptions::Status::Failed);
    bool shown = mode == CallMode::Shown && wanted;
    dump_.clear();
    if (shown && task.role == TaskRole::Followed)
        append_io_dump(dump_, call, task.tracee.memory(), options_.dump_reads, options_.dump_writes,
                       task.tracee.tid());
    emit(TraceRecord::Kind::Syscall, task, task.entered, elapsed, shown, clock_now(CLOCK_REALTIME),
         system);
    dump_.clear();
}

void Tracer::Impl::emit_unfinished(Task& task) {
    if (!task.in_syscall || task.mode == CallMode::Ignored || quiet_) return;
    CallMode mode = task.mode;
    task.mode = CallMode::Ignored;
    task.in_syscall = false;
    text_.clear();
    task.result_at = decoder_.unfinished(task.call, text_);
    emit(TraceRecord::Kind::Syscall, task, task.entered, {},
         mode == CallMode::Shown && options_.status == TracerOptions::Status::All,
         clock_now(CLOCK_REALTIME));
}

// Tracing ends while the task is inside a traced call: its line is closed
// with strace's " <detached ...>".
void Tracer::Impl::emit_detached(Task& task) {
    if (!task.in_syscall || task.mode == CallMode::Ignored) return;
    CallMode mode = task.mode;
    task.mode = CallMode::Ignored;
    text_.clear();
    emit(TraceRecord::Kind::Detached, task, clock_now(CLOCK_REALTIME), {},
         mode == CallMode::Shown && options_.status == TracerOptions::Status::All);
}

// The stop that begins tracing an attached task: if it came out of a
// syscall the kernel will restart, remember which, so a restart_syscall()
// says what it resumes (strace guesses; the registers say: orig_rax).
void Tracer::Impl::note_interrupted_call(Task& task) {
    task.attaching = false;
    auto regs = task.tracee.registers();
    if (!regs || regs->nr < 0 || !is_restart_code(regs->ret)) return;
    std::string_view name = names_.name(regs->nr);
    if (!name.empty()) task.interrupted = std::string(name);
}

void Tracer::Impl::emit(TraceRecord::Kind kind, Task& task, const timespec& when,
                        const timespec& elapsed, bool shown, const timespec& returned,
                        const timespec& system) {
    TraceRecord record;
    record.kind = kind;
    record.tid = task.tracee.tid();
    record.body = text_;
    record.when = when;
    record.returned = returned;
    record.elapsed = elapsed;
    record.system = system;
    bool syscall = kind == TraceRecord::Kind::Syscall || kind == TraceRecord::Kind::Entry ||
                   kind == TraceRecord::Kind::Detached;
    record.call = syscall ? &task.call : nullptr;
    if (kind == TraceRecord::Kind::Syscall) {
        record.entry_length = task.entry_length;
        record.result_at = task.result_at;
    }
    record.shown = shown && task.role == TaskRole::Followed;
    record.several_tasks = several_tasks();
    if (kind == TraceRecord::Kind::Syscall) record.dump = dump_;
    listener_.record(record);
}

void Tracer::Impl::event_stop(Task& task, int event, int signal) {
    switch (event) {
        case PTRACE_EVENT_SECCOMP:
            syscall_entry(task);
            // The tracee's own filter asked for a tracer (ours and theirs at
            // the same call: theirs, the newer, wins). Untraced, and under
            // strace, the call fails with ENOSYS: so it does here.
            if (auto data = task.tracee.event_message(); data && *data != kSeccompTraceData)
                task.tracee.skip_syscall(-ENOSYS);
            task.state_known = true;
            if (task.mode == CallMode::Ignored) task.in_syscall = false;  // no exit stop wanted
            resume(task);
            return;
        case PTRACE_EVENT_FORK:
        case PTRACE_EVENT_VFORK:
        case PTRACE_EVENT_CLONE:
            if (auto child = task.tracee.event_message()) new_child(task, static_cast<int>(*child));
            resume(task);
            return;
        case PTRACE_EVENT_EXIT:
            emit_unfinished(task);
            task.in_syscall = false;
            task.tracee.resume(Resume::Continue);
            return;
        case PTRACE_EVENT_STOP:
            if (is_stop_signal(signal)) {
                // Group-stop: stay stopped as if untraced, until SIGCONT.
                if (!quiet_ && task.role == TaskRole::Followed && !task.pre_exec &&
                    signal_shown(signal)) {
                    text_ = "--- stopped by " + xlat::signal_name(signal) + " ---";
                    emit(TraceRecord::Kind::Signal, task, clock_now(CLOCK_REALTIME), {}, true);
                }
                task.tracee.resume(Resume::Listen);
                return;
            }
            if (task.detach_on_stop) {
                int tid = task.tracee.tid();
                task.tracee.detach(0);
                tasks_.erase(tid);
                return;
            }
            if (task.attaching) {
                task.tracee.set_options(ptrace_options());  // PTRACE_O_TRACEEXIT from now on
                note_interrupted_call(task);
            }
            resume(task);
            return;
        default:
            resume(task);
    }
}

void Tracer::Impl::new_child(Task& parent, int child, std::optional<bool> shares_known) {
    if (tasks_.count(child)) return;  // its first stop came first: adopted already
    bool shares_files = false;
    if (shares_known) {
        shares_files = *shares_known;
    } else if (auto regs = parent.tracee.registers()) {
        std::string_view name = names_.name(regs->nr);
        std::uint64_t flags = 0;
        if (name == "clone")
            flags = regs->args[0];
        else if (name == "clone3")
            parent.tracee.memory().read(regs->args[0], &flags, sizeof flags);
        shares_files = flags & CLONE_FILES;
    }
    add_child(&parent, child, shares_files);
}

// A new task (of `parent`, or of one we do not trace): followed, kept only
// to carry our filter, or let go at its first stop.
void Tracer::Impl::add_child(Task* parent, int child, bool shares_files) {
    TaskRole parent_role = parent ? parent->role : TaskRole::Passthrough;
    TaskRole role = TaskRole::Followed;
    bool detach = false;
    if (parent_role != TaskRole::Followed || !options_.follow_forks) {
        // Not followed, but a task sharing a traced fd table keeps the model
        // right; one carrying our seccomp filter must stay traced to run at all.
        if (shares_files && parent && parent_role != TaskRole::Passthrough)
            role = TaskRole::Silent;
        else if (seccomp_mode_)
            role = TaskRole::Passthrough;
        else
            detach = true;
    }
    if (!parent && options_.follow_forks) {
        role = TaskRole::Followed;  // an orphan of a traced process: still followed
        detach = false;
    }
    // (An orphan's table starts empty in the model and fills from /proc.)
    if (parent && role != TaskRole::Passthrough && !detach)
        listener_.spawned(parent->tracee.tid(), child, shares_files);
    if (role == TaskRole::Followed && !detach && !options_.quiet && !quiet_)
        listener_.notice("Process " + std::to_string(child) + " attached");  // as strace -f says
    followed_counted_for_ = ~std::size_t{0};  // roles change: count again
    Task task(Tracee::adopt(child), role);
    task.detach_on_stop = detach;
    tasks_.emplace(child, std::move(task));
}

// The first stop of a task we were not told about: its parent is found in
// /proc (the thread group's leader for a thread, else PPid), its fd table
// compared with kcmp.
std::unordered_map<int, Tracer::Impl::Task>::iterator Tracer::Impl::adopt_unannounced(int tid) {
    int parent = 0;
    int tgid = thread_group_of(tid);
    if (tgid != tid && tasks_.count(tgid))
        parent = tgid;
    else if (int ppid = parent_of(tid); ppid > 0 && tasks_.count(ppid))
        parent = ppid;
    if (parent) {
        Task& from = tasks_.at(parent);
        add_child(&from, tid, shares_fd_table(parent, tid));
    } else {
        add_child(nullptr, tid, false);
    }
    return tasks_.find(tid);
}

void Tracer::Impl::exec_event(int tid) {
    auto it = tasks_.find(tid);
    std::optional<unsigned long> former;
    if (it != tasks_.end()) {
        former = it->second.tracee.event_message();
    } else {
        Tracee probe = Tracee::adopt(tid);
        former = probe.event_message();
        probe.forget();
    }
    int former_tid = former ? static_cast<int>(*former) : tid;
    if (former_tid != tid) {
        // A non-leader thread called execve: it now carries the leader's tid,
        // and the old leader is gone without a word.
        auto from = tasks_.find(former_tid);
        if (from != tasks_.end()) {
            Task moved = std::move(from->second);
            tasks_.erase(from);
            moved.tracee.retarget(tid);
            if (it != tasks_.end()) {
                // The process goes on as its leader was: followed or not.
                moved.role = it->second.role;
                it->second.tracee.forget();
                tasks_.erase(it);
            }
            it = tasks_.emplace(tid, std::move(moved)).first;
        }
        listener_.vanished(former_tid);
    }
    if (it == tasks_.end()) return;  // not a task of ours: nothing to resume
    Task& task = it->second;
    task.pre_exec = false;
    task.interrupted.clear();
    if (task.role != TaskRole::Passthrough) listener_.execed(tid, former_tid);
    resume(task);
}

void Tracer::Impl::signal_stop(Task& task, int signal) {
    if (!quiet_ && task.role == TaskRole::Followed && !task.pre_exec && signal_shown(signal)) {
        text_ = "--- " + xlat::signal_name(signal) + " ";
        if (auto info = task.tracee.signal_info())
            append_siginfo(text_, *info, options_.decode.xlat);
        else
            text_ += "{}";
        text_ += " ---";
        emit(TraceRecord::Kind::Signal, task, clock_now(CLOCK_REALTIME), {}, true);
    }
    resume(task, signal);
}

void Tracer::Impl::task_exited(int tid, int status) {
    auto it = tasks_.find(tid);
    Task& task = it->second;
    emit_unfinished(task);
    if (!quiet_ && options_.quiet < 2 && task.role == TaskRole::Followed && !task.pre_exec) {
        text_ = exit_text(status);
        emit(TraceRecord::Kind::Exit, task, clock_now(CLOCK_REALTIME), {}, true);
    }
    bool tell = task.role != TaskRole::Passthrough;
    if (tid == launched_) launched_status_ = status;
    task.tracee.forget();
    tasks_.erase(it);
    if (tell) listener_.vanished(tid);
}

Tracer::Tracer(TracerOptions options, TraceListener& listener)
    : impl_(std::make_unique<Impl>(std::move(options), listener)) {}

Tracer::~Tracer() = default;

std::optional<TraceError> Tracer::start() { return impl_->start(); }

int Tracer::run() { return impl_->run(); }

void Tracer::stop() { impl_->request_stop(SIGTERM); }

}  // namespace fdtrace
