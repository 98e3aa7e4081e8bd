// Tracee: one traced task (thread). Every ptrace request made on a task goes
// through its Tracee; destroying an attached Tracee detaches it, so no error
// path can leave a process stopped or traced.
#pragma once

#include <signal.h>
#include <sys/ptrace.h>

#include <array>
#include <cstdint>
#include <optional>

#include "fdtrace/sys_error.h"
#include "fdtrace/syscall_decoder.h"

namespace fdtrace {

// Another process's memory: process_vm_readv, falling back to
// /proc/PID/mem where the former is refused.
class ProcessMemory final : public MemoryReader {
  public:
    explicit ProcessMemory(int pid) noexcept : pid_(pid) {}
    std::size_t read(std::uint64_t address, void* buffer, std::size_t length) override;
    void retarget(int pid) noexcept { pid_ = pid; }

  private:
    int pid_;
};

// A syscall as the registers show it (the native ABI only).
struct SyscallRegisters {
    long nr = -1;
    std::array<std::uint64_t, 6> args{};
    std::int64_t ret = 0;
    std::uint64_t sp = 0;  // the stack pointer
};

enum class Resume { Continue, Syscall, Listen };

class Tracee {
  public:
    // PTRACE_SEIZE: the task keeps running; `options` are PTRACE_O_*.
    static Result<Tracee> seize(int tid, unsigned options);
    // A task the kernel attached for us (PTRACE_O_TRACECLONE and friends).
    static Tracee adopt(int tid) noexcept { return Tracee(tid); }

    Tracee(Tracee&& other) noexcept;
    Tracee& operator=(Tracee&& other) noexcept;
    Tracee(const Tracee&) = delete;
    Tracee& operator=(const Tracee&) = delete;
    // Detaches if still attached (interrupting a running task first).
    ~Tracee();

    int tid() const noexcept { return tid_; }
    bool attached() const noexcept { return tid_ > 0; }

    // Restarts a stopped task, delivering `signal` (0: none). false if the
    // task is gone (ESRCH), which the caller learns about from waitpid.
    bool resume(Resume how, int signal = 0) noexcept;
    bool interrupt() noexcept;
    // Detaches a stopped task, delivering `signal`; the Tracee is then inert.
    bool detach(int signal = 0) noexcept;
    // The task vanished under this tid (exited, or became another tid at an
    // exec): nothing to detach.
    void forget() noexcept { tid_ = -1; }
    // A non-leader thread's execve: it carries on under the leader's tid.
    void retarget(int tid) noexcept;

    // PTRACE_SETOPTIONS on a stopped task.
    bool set_options(unsigned options) noexcept;
    // At a syscall-entry or seccomp stop: the call is not run and returns
    // `ret` (a negative errno), as the kernel does for a seccomp filter's
    // SECCOMP_RET_TRACE when no tracer takes the stop.
    bool skip_syscall(std::int64_t ret) noexcept;

    std::optional<unsigned long> event_message() const noexcept;
    std::optional<siginfo_t> signal_info() const noexcept;
    // nullopt for a task running another ABI (a 32-bit process).
    std::optional<SyscallRegisters> registers() const noexcept;
    // PTRACE_GET_SYSCALL_INFO (Linux 5.3+): whether a syscall-stop is an
    // entry or an exit, the number and the ABI; nullopt if unsupported.
    std::optional<__ptrace_syscall_info> syscall_info() const noexcept;

    MemoryReader& memory() noexcept { return memory_; }

  private:
    explicit Tracee(int tid) noexcept : tid_(tid), memory_(tid) {}
    void release() noexcept;

    int tid_ = -1;
    ProcessMemory memory_;
};

}  // namespace fdtrace
