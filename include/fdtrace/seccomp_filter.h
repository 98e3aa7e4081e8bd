// Syscall numbers and names of the native architecture (from libseccomp,
// never a hand-typed table), and the seccomp-bpf program that makes a
// launched command stop only on the syscalls being traced.
#pragma once

#include <linux/filter.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/sys_error.h"

namespace fdtrace {

// Number <-> name for the native architecture, resolved once.
class SyscallNames {
  public:
    SyscallNames();
    // "read"; empty if the number names no syscall here.
    std::string_view name(long number) const noexcept;
    // nullopt if the name is not a syscall of this architecture.
    std::optional<long> number(std::string_view name) const;
    // Every number that has a name, ascending.
    std::vector<long> numbers() const;
    long limit() const noexcept { return static_cast<long>(names_.size()); }

  private:
    std::vector<std::string> names_;  // indexed by number
};

// SECCOMP_RET_DATA of fdtrace's own SECCOMP_RET_TRACE: a seccomp stop with
// other data comes from a filter the tracee installed itself, which without
// fdtrace would have made the call fail with ENOSYS.
inline constexpr unsigned kSeccompTraceData = 0xfd7;

// A compiled filter: SECCOMP_RET_TRACE for the given syscalls, ALLOW for the
// rest (and for other architectures' calls, which are then simply not traced).
class SeccompProgram {
  public:
    static Result<SeccompProgram> build(std::span<const long> traced);

    // Installs the filter in the calling process. Meant for a forked child
    // before exec: async-signal-safe, no allocation. Returns 0 or an errno.
    // Sets no_new_privs only when the kernel insists (no CAP_SYS_ADMIN), so a
    // root tracer does not break setuid programs.
    int install() const noexcept;

    std::size_t size() const noexcept { return program_.size(); }

  private:
    std::vector<sock_filter> program_;
};

}  // namespace fdtrace
