// ---- processes and signals: execve, clone, rlimits, sigaction, wait4, sleeps,
// futex, uname; and ioctl.

#include <asm/prctl.h>
#include <linux/futex.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "src/trace/arch.h"
#include "src/trace/decoders.h"

namespace fdtrace::decode {

namespace {

// argv: ["ls", "-l"]; envp: 0x7ffd... /* 23 vars */
void string_array(Ctx& c, std::uint64_t address, bool count_only) {
    if (!address) {
        c.out += "NULL";
        return;
    }
    std::vector<std::uint64_t> pointers;
    for (std::size_t i = 0; i < kMaxArrayItems; ++i) {
        std::uint64_t pointer = 0;
        if (!c.fetch(address + i * sizeof pointer, pointer)) break;
        if (!pointer) break;
        pointers.push_back(pointer);
    }
    if (count_only) {
        append_hex(c.out, address);
        c.out += " /* ";
        append_unsigned(c.out, pointers.size());
        c.out += pointers.size() == 1 ? " var */" : " vars */";
        return;
    }
    c.out += '[';
    for (std::size_t i = 0; i < pointers.size(); ++i) {
        if (i) c.out += ", ";
        if (i == kMaxShownItems) {
            c.out += "...";
            break;
        }
        c.cstring(pointers[i]);
    }
    c.out += ']';
}

}  // namespace

void decode_execve(Ctx& c) {
    if (!c.entering) return;
    c.path(c.arg(0));
    c.sep();
    string_array(c, c.arg(1), false);
    c.sep();
    string_array(c, c.arg(2), !c.options().no_abbrev);  // -v: the environment too, as strace
}

void decode_execveat(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    string_array(c, c.arg(2), false);
    c.sep();
    string_array(c, c.arg(3), !c.options().no_abbrev);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(4)), xlat::at_flags());
}

namespace {

void clone_flags(Ctx& c, std::uint64_t flags) {
    std::uint64_t signal = flags & 0xff;
    std::uint64_t rest = flags & ~std::uint64_t{0xff};
    if (rest) c.flags(rest, xlat::clone_flags());
    if (signal) {
        if (rest) c.out += '|';
        c.signal(static_cast<int>(signal));
    }
    if (!flags) c.out += '0';
}

}  // namespace

void decode_clone(Ctx& c) {
    if (!c.entering) return;
    c.out += "child_stack=";
    c.ptr(1);
    c.out += ", flags=";
    clone_flags(c, c.arg(0));
    if (c.arg(0) & CLONE_PARENT_SETTID) {
        c.out += ", parent_tid=";
        c.ptr(2);
    }
    if (c.arg(0) & CLONE_SETTLS) {
        c.out += ", tls=";
        c.ptr(kNativeArch.clone_tls_arg);
    }
    if (c.arg(0) & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
        c.out += ", child_tidptr=";
        c.ptr(kNativeArch.clone_child_tid_arg);
    }
}

void decode_clone3(Ctx& c) {
    if (!c.entering) return;
    clone_args args{};
    std::size_t size = std::min<std::uint64_t>(c.arg(1), sizeof args);
    if (size < offsetof(clone_args, stack) || c.read(c.arg(0), &args, size) != size) {
        c.ptr(0);
    } else {
        // strace's field order; the pointers only when a flag uses them.
        c.out += "{flags=";
        clone_flags(c, args.flags);
        if (args.flags & CLONE_PIDFD) {
            c.out += ", pidfd=";
            append_pointer(c.out, args.pidfd);
        }
        if (args.flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
            c.out += ", child_tid=";
            append_pointer(c.out, args.child_tid);
        }
        if (args.flags & CLONE_PARENT_SETTID) {
            c.out += ", parent_tid=";
            append_pointer(c.out, args.parent_tid);
        }
        c.out += ", exit_signal=";
        if (args.exit_signal)
            c.signal(static_cast<int>(args.exit_signal));
        else
            c.out += '0';
        c.out += ", stack=";
        append_pointer(c.out, args.stack);
        c.out += ", stack_size=";
        append_hex(c.out, args.stack_size);
        if (args.flags & CLONE_SETTLS) {
            c.out += ", tls=";
            append_pointer(c.out, args.tls);
        }
        c.out += '}';
    }
    c.sep();
    c.ulong(1);
}

void decode_restart_syscall(Ctx& c) {
    if (!c.entering) return;
    c.out += "<... resuming interrupted ";
    c.out += c.call.resuming.empty() ? std::string_view("call") : c.call.resuming;
    c.out += " ...>";
}

void decode_arch_prctl(Ctx& c) {
    std::uint32_t code = static_cast<std::uint32_t>(c.arg(0));
    bool output = code == ARCH_GET_FS || code == ARCH_GET_GS;
    if (c.entering) {
        c.enumeration(code, xlat::arch_prctl_codes(), true, "ARCH_???");
        if (code == ARCH_GET_CPUID) return;
        c.sep();
        if (!output) c.hex(1);
        return;
    }
    if (!output) return;
    std::uint64_t value = 0;
    if (c.failed() || !c.fetch(c.arg(1), value)) {
        c.ptr(1);
        return;
    }
    c.out += '[';
    append_hex(c.out, value);
    c.out += ']';
}

void decode_rseq(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.hex(1);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::rseq_flags(), "0", "RSEQ_FLAG_???");
    c.sep();
    c.hex(3);
}

namespace {

// "8192*1024", "RLIM64_INFINITY" (strace's print_rlim64_t).
// -X raw: the number; verbose: "8388608 /* 8192*1024 */".
void append_rlimit_value(std::string& out, std::uint64_t limit,
                         xlat::Style style = xlat::Style::abbrev) {
    if (style != xlat::Style::abbrev) {
        append_unsigned(out, limit);
        std::string named;
        append_rlimit_value(named, limit);
        if (style == xlat::Style::verbose && named != std::to_string(limit))
            out += " /* " + named + " */";
        return;
    }
    if (limit == RLIM64_INFINITY) {
        out += "RLIM64_INFINITY";
    } else if (limit > 1024 && limit % 1024 == 0) {
        append_unsigned(out, limit / 1024);
        out += "*1024";
    } else {
        append_unsigned(out, limit);
    }
}

void rlimit_at(Ctx& c, int i) {
    struct rlimit64 limit {};
    if (!c.arg(i) || (c.exiting() && c.failed()) || !c.fetch(c.arg(i), limit)) {
        c.ptr(i);
        return;
    }
    c.out += "{rlim_cur=";
    append_rlimit_value(c.out, limit.rlim_cur, c.style());
    c.out += ", rlim_max=";
    append_rlimit_value(c.out, limit.rlim_max, c.style());
    c.out += '}';
}

}  // namespace

void decode_prlimit64(Ctx& c) {
    if (c.entering) {
        c.sint(0);
        c.sep();
        c.enumeration(static_cast<std::uint32_t>(c.arg(1)), xlat::rlimit_resources(), true,
                      "RLIMIT_???");
        c.sep();
        rlimit_at(c, 2);
        c.sep();
        return;
    }
    rlimit_at(c, 3);
}

void decode_getrandom(Ctx& c) {
    if (c.entering) return;
    if (c.failed()) {
        c.ptr(0);
    } else {
        // strace shows random bytes in hex whatever -x says.
        std::size_t length = static_cast<std::size_t>(c.ret());
        std::size_t shown = std::min(length, c.options().string_limit);
        std::string bytes(shown, '\0');
        if (c.arg(0) && (shown == 0 || c.read(c.arg(0), bytes.data(), shown) == shown))
            append_quoted(c.out, bytes, length > shown, 2);
        else
            c.ptr(0);
    }
    c.sep();
    c.ulong(1);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::getrandom_flags(), "0", "GRND_???");
}

namespace {

// The kernel's struct sigaction on x86-64 (not glibc's, whose mask is 128 bytes).
struct KernelSigaction {
    std::uint64_t handler;
    std::uint64_t flags;
    std::uint64_t restorer;
    std::uint64_t mask;
};

void sigaction_at(Ctx& c, int i) {
    KernelSigaction action{};
    if (!c.arg(i) || (c.exiting() && c.failed()) || !c.fetch(c.arg(i), action)) {
        c.ptr(i);
        return;
    }
    c.out += "{sa_handler=";
    if (action.handler == reinterpret_cast<std::uint64_t>(SIG_DFL))
        xlat::append_named(c.out, "0", "SIG_DFL", c.style());
    else if (action.handler == reinterpret_cast<std::uint64_t>(SIG_IGN))
        xlat::append_named(c.out, "0x1", "SIG_IGN", c.style());
    else if (action.handler == reinterpret_cast<std::uint64_t>(SIG_ERR))
        xlat::append_named(c.out, "0xffffffffffffffff", "SIG_ERR", c.style());
    else
        append_pointer(c.out, action.handler);
    c.out += ", sa_mask=";
    append_sigmask(c.out, action.mask, sizeof action.mask, c.style());
    c.out += ", sa_flags=";
    c.flags(action.flags, xlat::sigaction_flags(), "0", "SA_???");
    if (action.flags & xlat::sa_restorer()) {
        c.out += ", sa_restorer=";
        append_pointer(c.out, action.restorer);
    }
    c.out += '}';
}

}  // namespace

void decode_rt_sigaction(Ctx& c) {
    if (c.entering) {
        c.signal(c.int_arg(0));
        c.sep();
        sigaction_at(c, 1);
        c.sep();
        return;
    }
    sigaction_at(c, 2);
    c.sep();
    c.ulong(3);
}

void decode_rt_sigprocmask(Ctx& c) {
    if (c.entering) {
        c.enumeration(static_cast<std::uint32_t>(c.arg(0)), xlat::sigprocmask_hows(), true,
                      "SIG_???");
        c.sep();
        c.sigset(c.arg(1), c.arg(3));
        c.sep();
        return;
    }
    if (c.failed())
        c.ptr(2);
    else
        c.sigset(c.arg(2), c.arg(3));
    c.sep();
    c.ulong(3);
}

namespace {

// "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]" (strace's printstatus).
void append_wait_status(std::string& out, int status, xlat::Style style = xlat::Style::abbrev) {
    out += '[';
    if (WIFSTOPPED(status)) {
        int signal = WSTOPSIG(status);
        out += "{WIFSTOPPED(s) && WSTOPSIG(s) == " + xlat::signal_name(signal & 0x7f, style);
        if (signal & 0x80) out += " | 0x80";
        out += '}';
        status &= ~W_STOPCODE(signal);
    } else if (WIFSIGNALED(status)) {
        out += "{WIFSIGNALED(s) && WTERMSIG(s) == " + xlat::signal_name(WTERMSIG(status), style);
        if (WCOREDUMP(status)) out += " && WCOREDUMP(s)";
        out += '}';
        status &= ~(W_EXITCODE(0, WTERMSIG(status)) | WCOREFLAG);
    } else if (WIFEXITED(status)) {
        out += "{WIFEXITED(s) && WEXITSTATUS(s) == " + std::to_string(WEXITSTATUS(status)) + "}";
        status &= ~W_EXITCODE(WEXITSTATUS(status), 0);
    } else if (WIFCONTINUED(status)) {
        out += "{WIFCONTINUED(s)}";
        status &= ~__W_CONTINUED;
    } else {
        append_hex(out, static_cast<std::uint32_t>(status));
        out += ']';
        return;
    }
    if (status) {
        out += '|';
        append_hex(out, static_cast<std::uint32_t>(status));
    }
    out += ']';
}

void append_timeval(std::string& out, const timeval& value) {
    out += "{tv_sec=";
    append_number(out, value.tv_sec);
    out += ", tv_usec=";
    append_number(out, value.tv_usec);
    out += '}';
}

// strace's printrusage: "{ru_utime={...}, ru_stime={...}, ...}", every
// field with -v, or the address when it cannot be read.
void rusage_at(Ctx& c, int arg) {
    rusage usage{};
    if (!c.fetch(c.arg(arg), usage)) {
        c.ptr(arg);
        return;
    }
    c.out += "{ru_utime=";
    append_timeval(c.out, usage.ru_utime);
    c.out += ", ru_stime=";
    append_timeval(c.out, usage.ru_stime);
    if (!c.options().no_abbrev) {
        c.out += ", ...}";
        return;
    }
    const std::pair<const char*, long> fields[] = {
        {"ru_maxrss", usage.ru_maxrss},   {"ru_ixrss", usage.ru_ixrss},
        {"ru_idrss", usage.ru_idrss},     {"ru_isrss", usage.ru_isrss},
        {"ru_minflt", usage.ru_minflt},   {"ru_majflt", usage.ru_majflt},
        {"ru_nswap", usage.ru_nswap},     {"ru_inblock", usage.ru_inblock},
        {"ru_oublock", usage.ru_oublock}, {"ru_msgsnd", usage.ru_msgsnd},
        {"ru_msgrcv", usage.ru_msgrcv},   {"ru_nsignals", usage.ru_nsignals},
        {"ru_nvcsw", usage.ru_nvcsw},     {"ru_nivcsw", usage.ru_nivcsw}};
    for (const auto& [name, value] : fields) {
        c.out += ", ";
        c.out += name;
        c.out += '=';
        append_unsigned(c.out, static_cast<std::uint64_t>(value));
    }
    c.out += '}';
}

}  // namespace

// getrusage(who, usage): strace's printrusage, user and system time then
// "...", every field under -v.
void decode_getrusage(Ctx& c) {
    if (c.entering) {
        c.enumeration(static_cast<std::uint64_t>(c.int_arg(0)), xlat::rusage_who(), true,
                      "RUSAGE_???");
        c.sep();
        return;
    }
    if (c.failed())
        c.ptr(1);
    else
        rusage_at(c, 1);
}

// sysinfo(info): every field, as strace prints it.
void decode_sysinfo(Ctx& c) {
    if (c.entering) return;
    struct sysinfo info {};
    if (c.failed() || !c.fetch(c.arg(0), info)) {
        c.ptr(0);
        return;
    }
    c.out += "{uptime=";
    append_number(c.out, info.uptime);
    c.out += ", loads=[";
    for (int i = 0; i < 3; ++i) {
        if (i) c.out += ", ";
        append_unsigned(c.out, info.loads[i]);
    }
    const std::pair<const char*, unsigned long> fields[] = {
        {"totalram", info.totalram},   {"freeram", info.freeram},     {"sharedram", info.sharedram},
        {"bufferram", info.bufferram}, {"totalswap", info.totalswap}, {"freeswap", info.freeswap},
        {"procs", info.procs},         {"totalhigh", info.totalhigh}, {"freehigh", info.freehigh},
        {"mem_unit", info.mem_unit}};
    c.out += ']';
    for (const auto& [name, value] : fields) {
        c.out += ", ";
        c.out += name;
        c.out += '=';
        append_unsigned(c.out, value);
    }
    c.out += '}';
}

void decode_wait4(Ctx& c) {
    if (c.entering) {
        c.sint(0);
        c.sep();
        return;
    }
    int status = 0;
    if (c.ret() == 0 || c.failed() || !c.fetch(c.arg(1), status))
        c.ptr(1);
    else
        append_wait_status(c.out, status, c.style());
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::wait_options(), "0", "W???");
    c.sep();
    if (c.ret() <= 0)
        c.ptr(3);
    else
        rusage_at(c, 3);
}

namespace {

bool is_restart(std::int64_t ret) {
    return ret == -kErestartsys || ret == -kErestartnointr || ret == -kErestartnohand ||
           ret == -kErestartRestartblock;
}

// The time left is written only when a relative sleep is interrupted.
void time_left(Ctx& c, int i, bool relative) {
    if (relative && is_restart(c.ret()))
        c.timespec_at(c.arg(i));
    else
        c.ptr(i);
}

}  // namespace

void decode_nanosleep(Ctx& c) {
    if (c.entering) {
        c.timespec_at(c.arg(0));
        c.sep();
        return;
    }
    time_left(c, 1, true);
}

void decode_clock_nanosleep(Ctx& c) {
    if (c.entering) {
        c.enumeration(static_cast<std::uint32_t>(c.arg(0)), xlat::clock_ids(), true, "CLOCK_???");
        c.sep();
        c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::timer_flags(), "0", "TIMER_???");
        c.sep();
        c.timespec_at(c.arg(2));
        c.sep();
        return;
    }
    time_left(c, 3, static_cast<std::uint32_t>(c.arg(1)) == 0);
}

// futex(uaddr, op, ...): which of the other arguments mean something
// depends on the command (strace's do_futex).
void decode_futex(Ctx& c) {
    if (!c.entering) return;
    int op = c.int_arg(1);
    auto val3 = [&] {
        c.sep();
        c.enumeration(static_cast<std::uint32_t>(c.arg(5)), xlat::futex_bitsets(), true);
    };
    c.ptr(0);
    c.sep();
    c.enumeration(static_cast<std::uint32_t>(op), xlat::futex_ops(), true, "FUTEX_???");
    switch (op & FUTEX_CMD_MASK) {
        case FUTEX_WAIT:
            c.sep();
            c.uint(2);
            c.sep();
            c.timespec_at(c.arg(3));
            break;
        case FUTEX_LOCK_PI:
        case FUTEX_LOCK_PI2:
            c.sep();
            c.timespec_at(c.arg(3));
            break;
        case FUTEX_WAIT_BITSET:
            c.sep();
            c.uint(2);
            c.sep();
            c.timespec_at(c.arg(3));
            val3();
            break;
        case FUTEX_WAKE_BITSET:
            c.sep();
            c.uint(2);
            val3();
            break;
        case FUTEX_REQUEUE:
        case FUTEX_CMP_REQUEUE:
        case FUTEX_CMP_REQUEUE_PI:
        case FUTEX_WAKE_OP:
            c.sep();
            c.uint(2);
            c.sep();
            c.uint(3);
            c.sep();
            c.ptr(4);
            if ((op & FUTEX_CMD_MASK) != FUTEX_REQUEUE) {
                c.sep();
                if ((op & FUTEX_CMD_MASK) == FUTEX_WAKE_OP)
                    c.hex(5);  // strace spells the operation out; the word is enough here
                else
                    c.uint(5);
            }
            break;
        case FUTEX_WAIT_REQUEUE_PI:
            c.sep();
            c.uint(2);
            c.sep();
            c.timespec_at(c.arg(3));
            c.sep();
            c.ptr(4);
            break;
        case FUTEX_UNLOCK_PI:
        case FUTEX_TRYLOCK_PI:
            break;
        default:
            c.sep();
            c.uint(2);
            if ((op & FUTEX_CMD_MASK) != FUTEX_WAKE && (op & FUTEX_CMD_MASK) != FUTEX_FD) {
                c.sep();
                c.hex(3);
                c.sep();
                c.hex(4);
                c.sep();
                c.hex(5);
            }
    }
}

void decode_uname(Ctx& c) {
    if (c.entering) return;
    utsname names{};
    if (c.failed() || !c.fetch(c.arg(0), names)) {
        c.ptr(0);
        return;
    }
    c.out += "{sysname=";
    append_quoted(c.out,
                  std::string_view(names.sysname, ::strnlen(names.sysname, sizeof names.sysname)));
    c.out += ", nodename=";
    append_quoted(
        c.out, std::string_view(names.nodename, ::strnlen(names.nodename, sizeof names.nodename)));
    c.out += ", ...}";
}

// ioctl(fd, request, arg): names for the tty and FIO* requests, their
// arguments as strace shows them; others keep the raw word.
void decode_ioctl(Ctx& c) {
    std::uint32_t request = static_cast<std::uint32_t>(c.arg(1));
    auto int_at = [&](int i) {
        int value = 0;
        if ((c.exiting() && c.failed()) || !c.fetch(c.arg(i), value)) {
            c.ptr(i);
            return;
        }
        c.out += '[';
        append_number(c.out, value);
        c.out += ']';
    };
    auto winsize_at = [&](int i) {
        winsize size{};
        if ((c.exiting() && c.failed()) || !c.fetch(c.arg(i), size)) {
            c.ptr(i);
            return;
        }
        c.out += "{ws_row=" + std::to_string(size.ws_row) +
                 ", ws_col=" + std::to_string(size.ws_col) +
                 ", ws_xpixel=" + std::to_string(size.ws_xpixel) +
                 ", ws_ypixel=" + std::to_string(size.ws_ypixel) + "}";
    };
    if (c.entering) {
        c.fd(0);
        c.sep();
        std::string_view name = xlat::find(request, xlat::ioctl_requests());
        if (c.style() != xlat::Style::abbrev) {  // -X raw: 0x5401; verbose: 0x5401 /* TCGETS */
            c.enumeration(request, xlat::ioctl_requests());
        } else if (!name.empty()) {
            c.out += name;
        } else {
            // strace's generic spelling of a request it has no name for.
            static constexpr std::string_view kDirections[] = {"_IOC_NONE", "_IOC_WRITE",
                                                               "_IOC_READ", "_IOC_READ|_IOC_WRITE"};
            c.out += "_IOC(";
            c.out += kDirections[_IOC_DIR(request) & 3];
            c.out += ", ";
            append_hex(c.out, _IOC_TYPE(request));
            c.out += ", ";
            append_hex(c.out, _IOC_NR(request));
            c.out += ", ";
            append_hex(c.out, _IOC_SIZE(request));
            c.out += ')';
        }
        switch (request) {
            case TCGETS:
            case TIOCGWINSZ:
            case TIOCGPGRP:
            case TIOCGSID:
            case TIOCOUTQ:
            case FIONREAD:
            case TIOCGPTN:
                return;  // outputs, at exit
            case TIOCSPGRP:
            case TIOCSPTLCK:
            case FIONBIO:
            case FIOASYNC:
                c.sep();
                int_at(2);
                return;
            case TIOCSWINSZ:
                c.sep();
                winsize_at(2);
                return;
            case FIOCLEX:
            case FIONCLEX:
            case TIOCNOTTY:
            case TIOCEXCL:
            case TIOCNXCL:
            case NS_GET_USERNS:  // strace's nsfs.c: no argument; the fd returned
            case NS_GET_PARENT:
            case NS_GET_NSTYPE:
            case NS_GET_OWNER_UID:  // [uid], at exit
                return;
            default:
                c.sep();
                c.hex(2);
                return;
        }
    }
    switch (request) {
        case TIOCGWINSZ:
            c.sep();
            winsize_at(2);
            return;
        case TCGETS:
            // strace decodes the termios flags; the address is what it shows on failure.
            c.sep();
            c.ptr(2);
            return;
        case TIOCGPGRP:
        case TIOCGSID:
        case TIOCOUTQ:
        case FIONREAD:
        case TIOCGPTN:
            c.sep();
            int_at(2);
            return;
        case NS_GET_OWNER_UID:  // "[1000]"; the address if unreadable
            c.sep();
            int_at(2);
            return;
        case NS_GET_NSTYPE:  // "= 1073741824 (CLONE_NEWUSER)"
            if (!c.failed())
                if (auto name =
                        xlat::find(static_cast<std::uint64_t>(c.ret()), xlat::setns_types());
                    !name.empty())
                    c.call.ret_extra = " (" + std::string(name) + ")";
            return;
        default:
            return;
    }
}

// setns(fd, nstype): one CLONE_NEW* type, or 0 for any.
void decode_setns(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::setns_types(), "0", "CLONE_NEW???");
}

namespace {
// The signal of argument i and the siginfo the caller made at i + 1 (strace's
// print_sigqueueinfo): NULL, the address when unreadable.
void sigqueueinfo_args(Ctx& c, int i) {
    c.signal(c.int_arg(i));
    c.sep();
    siginfo_t info{};
    if (!c.arg(i + 1))
        c.out += "NULL";
    else if (!c.fetch(c.arg(i + 1), info))
        c.ptr(i + 1);
    else
        append_siginfo(c.out, info, c.style());
}
}  // namespace

// pidfd_send_signal(pidfd, sig, info, flags).
void decode_pidfd_send_signal(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    sigqueueinfo_args(c, 1);
    c.sep();
    c.hex32(3);
}

// rt_sigqueueinfo(tgid, sig, info).
void decode_rt_sigqueueinfo(Ctx& c) {
    if (!c.entering) return;
    c.sint(0);
    c.sep();
    sigqueueinfo_args(c, 1);
}

// rt_tgsigqueueinfo(tgid, tid, sig, info).
void decode_rt_tgsigqueueinfo(Ctx& c) {
    if (!c.entering) return;
    c.sint(0);
    c.sep();
    c.sint(1);
    c.sep();
    sigqueueinfo_args(c, 2);
}

// finit_module(fd, param_values, flags): the parameters a string bounded by -s.
void decode_finit_module(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.cstring(c.arg(1));
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::module_init_flags(), "0",
            "MODULE_INIT_???");
}

namespace {

// "{ss_sp=0x..., ss_flags=SS_DISABLE, ss_size=8192}" (strace's print_stack_t).
void stack_at(Ctx& c, int i) {
    stack_t stack{};
    if (!c.arg(i)) {
        c.out += "NULL";
        return;
    }
    if (!c.fetch(c.arg(i), stack)) {
        c.ptr(i);
        return;
    }
    c.out += "{ss_sp=";
    append_pointer(c.out, reinterpret_cast<std::uint64_t>(stack.ss_sp));
    c.out += ", ss_flags=";
    c.flags(static_cast<std::uint32_t>(stack.ss_flags), xlat::sigaltstack_flags(), "0", "SS_???");
    c.out += ", ss_size=";
    append_unsigned(c.out, stack.ss_size);
    c.out += '}';
}

}  // namespace

// sigaltstack(ss, old_ss): the new stack at entry, the old one at exit.
void decode_sigaltstack(Ctx& c) {
    if (c.entering) {
        stack_at(c, 0);
        c.sep();
        return;
    }
    if (c.failed())
        c.ptr(1);
    else
        stack_at(c, 1);
}

// rt_sigreturn(): the signal mask it restores, read from the signal frame
// on the stack: "{mask=[INT USR2]}" (strace's SYS_FUNC(rt_sigreturn)).
void decode_rt_sigreturn(Ctx& c) {
    if (!c.entering) return;
    std::uint64_t mask = 0;  // the kernel's sigset: one 64-bit word
    std::uint64_t address = c.call.stack_pointer + kNativeArch.sigframe_mask_offset;
    if (!c.call.stack_pointer || !c.fetch(address, mask)) {
        append_pointer(c.out, address);  // strace prints the frame's address then
        return;
    }
    c.out += "{mask=";
    append_sigmask(c.out, mask, sizeof mask, c.style());
    c.out += '}';
}

}  // namespace fdtrace::decode
