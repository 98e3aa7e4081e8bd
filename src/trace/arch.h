// Where a syscall's number, arguments and return value live in the register
// set PTRACE_GETREGSET(NT_PRSTATUS) returns, one description per
// architecture. Adding an architecture means adding one row here (and its
// struct layouts in the decoder, which today assume an LP64 ABI).
#pragma once

#include <linux/audit.h>
#include <signal.h>
#include <sys/ucontext.h>
#include <sys/user.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fdtrace {

struct ArchLayout {
    std::string_view name;
    std::uint32_t audit_arch;  // AUDIT_ARCH_*, as PTRACE_GET_SYSCALL_INFO reports it
    std::size_t regs_size;     // the NT_PRSTATUS regset of a native task
    std::size_t nr_offset;
    std::array<std::size_t, 6> arg_offsets;
    std::size_t ret_offset;
    std::size_t sp_offset;  // the stack pointer
    // rt_sigreturn: where the signal frame's saved mask (uc_sigmask) is,
    // from the stack pointer at the call (strace's arch_rt_sigframe.c).
    std::size_t sigframe_mask_offset;
    // clone(2)'s argument order differs between ABIs: which holds what.
    int clone_child_tid_arg;
    int clone_tls_arg;
};

#if defined(__x86_64__)
inline constexpr ArchLayout kNativeArch{
    "x86_64",
    AUDIT_ARCH_X86_64,
    sizeof(user_regs_struct),
    offsetof(user_regs_struct, orig_rax),
    {offsetof(user_regs_struct, rdi), offsetof(user_regs_struct, rsi),
     offsetof(user_regs_struct, rdx), offsetof(user_regs_struct, r10),
     offsetof(user_regs_struct, r8), offsetof(user_regs_struct, r9)},
    offsetof(user_regs_struct, rax),
    offsetof(user_regs_struct, rsp),
    // The handler's return popped rt_sigframe's pretcode: the ucontext is at sp.
    offsetof(ucontext_t, uc_sigmask),
    3,  // clone(flags, stack, parent_tid, child_tid, tls)
    4,
};
#elif defined(__aarch64__)
// x8 holds the number; x0 is both the first argument and the return value,
// which is why arguments are always saved at entry.
inline constexpr ArchLayout kNativeArch{
    "aarch64",
    AUDIT_ARCH_AARCH64,
    sizeof(user_regs_struct),
    offsetof(user_regs_struct, regs) + 8 * 8,
    {offsetof(user_regs_struct, regs) + 0 * 8, offsetof(user_regs_struct, regs) + 1 * 8,
     offsetof(user_regs_struct, regs) + 2 * 8, offsetof(user_regs_struct, regs) + 3 * 8,
     offsetof(user_regs_struct, regs) + 4 * 8, offsetof(user_regs_struct, regs) + 5 * 8},
    offsetof(user_regs_struct, regs) + 0 * 8,
    offsetof(user_regs_struct, sp),
    // rt_sigframe: the siginfo, then the ucontext.
    sizeof(siginfo_t) + offsetof(ucontext_t, uc_sigmask),
    4,  // clone(flags, stack, parent_tid, tls, child_tid)
    3,
};
#else
#error "fdtrace: no register layout for this architecture yet (see src/trace/arch.h)"
#endif

// Room for any architecture's NT_PRSTATUS regset (a compat task's is smaller).
inline constexpr std::size_t kMaxRegsSize = 512;
static_assert(kNativeArch.regs_size <= kMaxRegsSize);

}  // namespace fdtrace
