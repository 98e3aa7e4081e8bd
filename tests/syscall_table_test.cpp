// The one syscall table (parsers/syscall_table.cpp), walked row by row: every
// column agrees with the others and with what reads it (libseccomp's names,
// the decoder, strace's classes, stuck's timeouts).
#include "fdtrace/syscall_table.h"

#include <gtest/gtest.h>
#include <seccomp.h>

#include <initializer_list>
#include <set>
#include <string>

#include "fdtrace/syscall_classes.h"
#include "fdtrace/syscall_decoder.h"
#include "fdtrace/trace_cli.h"

namespace fdtrace {
namespace {

bool known_somewhere(std::string_view name) {
    std::string text(name);
    for (std::uint32_t arch : std::initializer_list<std::uint32_t>{
             SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_ARM, SCMP_ARCH_AARCH64, SCMP_ARCH_PPC64,
             SCMP_ARCH_S390X, SCMP_ARCH_MIPS, SCMP_ARCH_RISCV64})
        if (seccomp_syscall_resolve_name_arch(arch, text.c_str()) >= 0) return true;
    return false;
}

bool known_here(std::string_view name) {
    return seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, std::string(name).c_str()) >= 0;
}

TEST(SyscallTable, EveryRowIsOneSyscallOnSomeArchitecture) {
    std::set<std::string_view> seen;
    // strace's own names for calls libseccomp spells otherwise (or that only
    // old strace ABIs have), and calls newer than Debian 12's libseccomp.
    const std::set<std::string_view> strace_only = {
        "oldfstat", "oldlstat",   "oldstat", "oldselect", "sigreturn", "socketcall", "ipc",
        "uselib",   "_newselect", "_llseek", "umount",    "stime",     "statmount",  "listmount"};
    for (const auto& row : all_syscall_signatures()) {
        EXPECT_TRUE(seen.insert(row.name).second) << "two rows for " << row.name;
        EXPECT_TRUE(known_somewhere(row.name) || strace_only.count(row.name)) << row.name;
    }
}

TEST(SyscallTable, FdColumnsAgreeWithEachOther) {
    for (const auto& row : all_syscall_signatures()) {
        SCOPED_TRACE(std::string(row.name));
        EXPECT_LT(row.fd_args, 1u << 6);  // six arguments at most
        if (row.effect == FdEffect::Anon) EXPECT_NE(row.creates, FdKind::Unknown);
        if (row.shape == FdShape::PairArray) EXPECT_LT(row.pair_arg, 6);
        if (row.returns_fd) EXPECT_NE(row.effect, FdEffect::None);
        // Every fd argument is printed as an fd (pidfd_getfd's second
        // argument is an fd too, but of the other process: printed, not ours).
        if (row.printed_generically) {
            std::uint8_t from_letters = 0;
            for (std::size_t i = 0; i < row.printed.size(); ++i)
                if (row.printed[i] == 'f' || row.printed[i] == 'd') from_letters |= 1u << i;
            EXPECT_EQ(from_letters & row.fd_args, row.fd_args) << "printed as " << row.printed;
        }
        // A row find_syscall returns is one log replay and fd sites act on.
        const bool fd_business = row.fd_args || row.returns_fd || row.shape != FdShape::Plain ||
                                 row.effect != FdEffect::None;
        EXPECT_EQ(find_syscall(row.name) == &row, fd_business);
        EXPECT_EQ(find_syscall_row(row.name), &row);
    }
}

TEST(SyscallTable, BlockingRowsSayWhereTheirTimeoutIs) {
    std::size_t blocking = 0;
    for (const auto& row : all_syscall_signatures()) {
        SCOPED_TRACE(std::string(row.name));
        if (row.waits == CallClass::Other) {
            EXPECT_EQ(row.timeout, TimeoutArg::None);
            continue;
        }
        ++blocking;
        if (row.timeout == TimeoutArg::None)
            EXPECT_EQ(row.timeout_arg, -1);
        else
            EXPECT_TRUE(row.timeout_arg >= 0 && row.timeout_arg < 6);
    }
    EXPECT_GE(blocking, 30u);
    EXPECT_EQ(find_syscall_row("poll")->timeout, TimeoutArg::Millis);
    EXPECT_EQ(find_syscall_row("epoll_pwait2")->timeout_arg, 3);
}

// Every call in fdtrace's default set that exists here is printed by type,
// never as six raw registers.
TEST(SyscallTable, EveryFdCallHereHasADecoder) {
    for (const auto& row : all_syscall_signatures())
        if (takes_or_makes_fd(row) && known_here(row.name))
            EXPECT_TRUE(has_decoder(row.name)) << row.name << " would print as raw registers";
}

TEST(SyscallTable, ClassesAreReadOffTheRows) {
    auto members = [](std::string_view cls) {
        auto span = syscall_class(cls);
        return std::set<std::string_view>(span.begin(), span.end());
    };
    EXPECT_TRUE(members("%file").count("openat"));
    EXPECT_TRUE(members("%file").count("chmod"));
    EXPECT_FALSE(members("%file").count("read"));
    EXPECT_TRUE(members("%fstat").count("fstat64"));  // an alias, as strace's class has it
    EXPECT_TRUE(members("%memory").count("mmap2"));
    EXPECT_FALSE(members("%memory").count("old_mmap"));
    EXPECT_TRUE(members("%process").count("clone3"));
    EXPECT_TRUE(is_network_call("recvmmsg"));
    EXPECT_TRUE(is_network_call("recv"));
    EXPECT_FALSE(is_network_call("read"));
    EXPECT_TRUE(members("process") == members("%process"));  // strace's bare spelling
    EXPECT_TRUE(members("%nosuchclass").empty());
}

}  // namespace
}  // namespace fdtrace
