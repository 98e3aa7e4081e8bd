#include "fdtrace/seccomp_filter.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>

#include "fdtrace/scoped_fd.h"

namespace fdtrace {
namespace {

// Highest syscall number asked of libseccomp; native tables end well below.
constexpr long kProbeLimit = 1024;

struct FilterContext {
    scmp_filter_ctx ctx;
    explicit FilterContext(std::uint32_t default_action) : ctx(seccomp_init(default_action)) {}
    ~FilterContext() {
        if (ctx) seccomp_release(ctx);
    }
    FilterContext(const FilterContext&) = delete;
    FilterContext& operator=(const FilterContext&) = delete;
};

}  // namespace

SyscallNames::SyscallNames() {
    for (long number = 0; number < kProbeLimit; ++number) {
        char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, static_cast<int>(number));
        if (!name) continue;
        if (names_.size() <= static_cast<std::size_t>(number)) names_.resize(number + 1);
        names_[number] = name;
        std::free(name);
    }
}

std::string_view SyscallNames::name(long number) const noexcept {
    if (number < 0 || number >= static_cast<long>(names_.size())) return {};
    return names_[number];
}

std::optional<long> SyscallNames::number(std::string_view name) const {
    std::string copy(name);
    int number = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, copy.c_str());
    // Negative numbers are libseccomp's pseudo-syscalls: not on this arch.
    if (number < 0 || number >= static_cast<int>(names_.size())) return std::nullopt;
    return number;
}

std::vector<long> SyscallNames::numbers() const {
    std::vector<long> out;
    for (std::size_t i = 0; i < names_.size(); ++i)
        if (!names_[i].empty()) out.push_back(static_cast<long>(i));
    return out;
}

Result<SeccompProgram> SeccompProgram::build(std::span<const long> traced) {
    FilterContext filter(SCMP_ACT_ALLOW);
    if (!filter.ctx) return SysError{ENOMEM, "seccomp_init"};
    // Calls of another ABI (int 0x80, x32) are let through untraced rather
    // than killing the process.
    if (int rc = seccomp_attr_set(filter.ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW); rc < 0)
        return SysError{-rc, "seccomp_attr_set(ACT_BADARCH)"};
    // A binary tree instead of a linear list of ~100 comparisons: every
    // syscall of the tracee runs this filter, traced or not (measured: the
    // getpid-heavy bench went from 1.8x strace --seccomp-bpf to parity).
    // Older libseccomp without the attribute keeps the linear filter.
    (void)seccomp_attr_set(filter.ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    for (long number : traced) {
        int rc = seccomp_rule_add(filter.ctx, SCMP_ACT_TRACE(kSeccompTraceData),
                                  static_cast<int>(number), 0);
        if (rc < 0) return SysError{-rc, "seccomp_rule_add(" + std::to_string(number) + ")"};
    }
    ScopedFd memory(::memfd_create("fdtrace-seccomp", MFD_CLOEXEC));
    if (!memory) return SysError::from_errno("memfd_create");
    if (int rc = seccomp_export_bpf(filter.ctx, memory.get()); rc < 0)
        return SysError{-rc, "seccomp_export_bpf"};
    off_t bytes = ::lseek(memory.get(), 0, SEEK_END);
    if (bytes <= 0 || bytes % sizeof(sock_filter) != 0)
        return SysError{EINVAL, "seccomp_export_bpf size"};
    SeccompProgram program;
    program.program_.resize(static_cast<std::size_t>(bytes) / sizeof(sock_filter));
    if (::pread(memory.get(), program.program_.data(), static_cast<std::size_t>(bytes), 0) != bytes)
        return SysError::from_errno("read exported seccomp filter");
    return program;
}

int SeccompProgram::install() const noexcept {
    sock_fprog program{};
    program.len = static_cast<unsigned short>(program_.size());
    program.filter = const_cast<sock_filter*>(program_.data());
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) == 0) return 0;
    if (errno != EACCES) return errno;
    // Without CAP_SYS_ADMIN the kernel requires no_new_privs.
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) == 0) return 0;
    return errno;
}

}  // namespace fdtrace
