// ---- the decoders: called with entering == true, then false.
// I/O, poll/select/epoll, and the calls that make or change fds (pipe, dup3,
// fcntl, open, eventfd, timerfd, signalfd, memfd ...); sockets are decode_net.cpp.

#include <fcntl.h>
#include <limits.h>
#include <linux/fanotify.h>
#include <linux/memfd.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <type_traits>
#include <vector>

#include "src/trace/decoders.h"

namespace fdtrace::decode {

namespace {

// read(fd, buf, count), pread64(..., offset), recvfrom's first three.
void read_like(Ctx& c, bool with_offset) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    if (c.failed())
        c.ptr(1);
    else
        c.buffer(c.arg(1), static_cast<std::uint64_t>(c.ret()));
    c.sep();
    c.ulong(2);
    if (with_offset) {
        c.sep();
        c.slong(3);
    }
}

void write_like(Ctx& c, bool with_offset) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.buffer(c.arg(1), c.arg(2));
    c.sep();
    c.ulong(2);
    if (with_offset) {
        c.sep();
        c.slong(3);
    }
}

}  // namespace

void decode_read(Ctx& c) { read_like(c, false); }

void decode_pread(Ctx& c) { read_like(c, true); }

void decode_write(Ctx& c) { write_like(c, false); }

void decode_pwrite(Ctx& c) { write_like(c, true); }

namespace {

// readv/preadv/preadv2: 0 none, 1 offset, 2 offset and flags.
void readv_like(Ctx& c, int extras) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    // A failed call's buffers hold nothing: strace shows their addresses.
    c.iovec_array(c.arg(1), c.arg(2), c.failed() ? Ctx::kAddressesOnly : c.ret());
    c.sep();
    c.ulong(2);  // strace: the count as an unsigned long (PRINT_VAL_U)
    if (extras >= 1) {
        c.sep();
        c.slong(3);
    }
    if (extras >= 2) {
        c.sep();
        c.flags(c.arg(5), xlat::rwf_flags());
    }
}

void writev_like(Ctx& c, int extras) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.iovec_array(c.arg(1), c.arg(2), -1);
    c.sep();
    c.ulong(2);
    if (extras >= 1) {
        c.sep();
        c.slong(3);
    }
    if (extras >= 2) {
        c.sep();
        c.flags(c.arg(5), xlat::rwf_flags());
    }
}

}  // namespace

void decode_readv(Ctx& c) { readv_like(c, 0); }

void decode_preadv(Ctx& c) { readv_like(c, 1); }

void decode_preadv2(Ctx& c) { readv_like(c, 2); }

void decode_writev(Ctx& c) { writev_like(c, 0); }

void decode_pwritev(Ctx& c) { writev_like(c, 1); }

void decode_pwritev2(Ctx& c) { writev_like(c, 2); }

// vmsplice(fd, iov, nr_segs, flags): the iovecs as writev's, at entry.
void decode_vmsplice(Ctx& c) {
    if (!c.entering) return;
    writev_like(c, 0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::splice_flags(), "0", "SPLICE_F_???");
}

namespace {

void pollfds(Ctx& c, bool results) {
    std::uint64_t address = c.arg(0);
    std::size_t n = static_cast<std::size_t>(
        std::min<std::uint64_t>(static_cast<std::uint32_t>(c.arg(1)), kMaxArrayItems));
    pollfd item{};
    if (!address || (n && !c.fetch(address, item))) {
        if (!results) c.ptr(0);
        return;
    }
    // As strace's poll.c: an element that cannot be read ends the array,
    // "... /* ADDRESS */" at entry, the address among the results.
    std::string& out = results ? c.call.ret_extra : c.out;
    out += '[';
    bool first = true;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t at = address + i * sizeof(pollfd);
        if (!c.fetch(at, item)) {
            if (!first) out += ", ";
            if (!results) out += "... /* ";
            append_hex(out, at);
            if (!results) out += " */";
            break;
        }
        if (results && item.revents == 0) continue;
        if (!first) out += ", ";
        first = false;
        if (++shown > c.shown_items()) {
            out += "...";
            break;
        }
        out += "{fd=";
        append_number(out, item.fd);
        if (!results && item.fd < 0) {  // strace: no events for an fd the kernel skips
            out += '}';
            continue;
        }
        out += results ? ", revents=" : ", events=";
        xlat::append_flags(out, static_cast<std::uint16_t>(results ? item.revents : item.events),
                           xlat::poll_events(), "0", {}, c.style());
        out += '}';
    }
    out += ']';
}

}  // namespace

namespace {

// poll/ppoll at exit, after the return value: " (Timeout)", or " ([{fd=3,
// revents=POLLIN}]" left open for the caller to add to and close (true).
bool poll_revents(Ctx& c) {
    if (c.failed()) return false;
    if (c.ret() == 0) {
        c.call.ret_extra = " (Timeout)";
        return false;
    }
    c.call.ret_extra = " (";
    pollfds(c, true);
    return true;
}

}  // namespace

void decode_poll(Ctx& c) {
    if (c.entering) {
        pollfds(c, false);
        c.sep();
        c.uint(1);
        c.sep();
        c.sint(2);
        return;
    }
    if (poll_revents(c)) c.call.ret_extra += ')';
}

void decode_ppoll(Ctx& c) {
    if (c.entering) {
        pollfds(c, false);
        c.sep();
        c.uint(1);
        c.sep();
        c.timespec_at(c.arg(2));
        c.sep();
        c.sigset(c.arg(3), c.arg(4));
        c.sep();
        c.ulong(4);
        return;
    }
    if (!poll_revents(c)) return;
    if (c.arg(2)) {
        c.call.ret_extra += ", left ";
        std::swap(c.out, c.call.ret_extra);  // print the timespec into ret_extra
        c.timespec_at(c.arg(2));
        std::swap(c.out, c.call.ret_extra);
    }
    c.call.ret_extra += ')';
}

namespace {

// select/pselect6: the sets as inputs at entry; at exit " (in [3], left {...})".
void select_like(Ctx& c, bool pselect) {
    int nfds = c.int_arg(0);
    if (c.entering) {
        c.sint(0);
        for (int i = 1; i <= 3; ++i) {
            c.sep();
            c.fd_set_at(c.arg(i), nfds);
        }
        c.sep();
        if (pselect) {
            c.timespec_at(c.arg(4));
            c.sep();
            struct {
                std::uint64_t set;
                std::uint64_t size;
            } sigmask{};
            if (!c.arg(5)) {
                c.out += "NULL";
            } else if (!c.fetch(c.arg(5), sigmask)) {
                c.hex(5);
            } else {
                c.out += "{sigmask=";
                c.sigset(sigmask.set, sigmask.size);
                c.out += ", sigsetsize=";
                append_unsigned(c.out, sigmask.size);
                c.out += '}';
            }
        } else {
            c.timeval_at(c.arg(4));
        }
        return;
    }
    if (c.failed()) return;
    if (c.ret() == 0) {
        c.call.ret_extra = " (Timeout)";
        return;
    }
    std::string extra = " (";
    bool first = true;
    constexpr std::string_view kNames[] = {"in", "out", "except"};
    std::swap(c.out, extra);
    for (int i = 1; i <= 3; ++i) {
        if (!c.arg(i)) continue;
        std::size_t before = c.out.size();
        if (!first) c.out += ", ";
        c.out += kNames[i - 1];
        c.out += ' ';
        std::size_t list = c.out.size();
        c.fd_set_at(c.arg(i), nfds);
        if (c.out.compare(list, std::string::npos, "[]") == 0) {
            c.out.resize(before);  // an empty set is not mentioned
            continue;
        }
        first = false;
    }
    if (c.arg(4)) {
        if (!first) c.out += ", ";
        c.out += "left ";
        if (pselect)
            c.timespec_at(c.arg(4));
        else
            c.timeval_at(c.arg(4));
    }
    c.out += ')';
    std::swap(c.out, extra);
    c.call.ret_extra = std::move(extra);
}

}  // namespace

void decode_select(Ctx& c) { select_like(c, false); }

void decode_pselect6(Ctx& c) { select_like(c, true); }

void decode_epoll_ctl(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.enumeration(static_cast<std::uint32_t>(c.arg(1)), xlat::epoll_ctl_ops());
    c.sep();
    c.fd(2);
    c.sep();
    epoll_event event{};
    if (!c.arg(3))
        c.out += "NULL";
    else if (c.int_arg(1) == EPOLL_CTL_DEL || !c.fetch(c.arg(3), event))
        c.hex(3);
    else
        c.epoll_event_value(event);
}

namespace {

// epoll_wait/epoll_pwait/epoll_pwait2 (timeout: 0 int, 1 int + sigmask, 2 timespec + sigmask).
void epoll_wait_like(Ctx& c, int variant) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    if (c.failed() || !c.arg(1)) {
        c.ptr(1);
    } else {
        std::size_t n = static_cast<std::size_t>(std::min<std::int64_t>(c.ret(), kMaxArrayItems));
        std::vector<epoll_event> events(n);
        if (n &&
            c.read(c.arg(1), events.data(), n * sizeof(epoll_event)) != n * sizeof(epoll_event)) {
            c.hex(1);
        } else {
            c.out += '[';
            for (std::size_t i = 0; i < n; ++i) {
                if (i) c.out += ", ";
                if (i == kMaxShownItems) {
                    c.out += "...";
                    break;
                }
                c.epoll_event_value(events[i]);
            }
            c.out += ']';
        }
    }
    c.sep();
    c.sint(2);
    c.sep();
    if (variant == 2)
        c.timespec_at(c.arg(3));
    else
        c.sint(3);
    if (variant >= 1) {
        c.sep();
        c.sigset(c.arg(4), c.arg(5));
        c.sep();
        c.ulong(5);
    }
}

}  // namespace

void decode_epoll_wait(Ctx& c) { epoll_wait_like(c, 0); }

void decode_epoll_pwait(Ctx& c) { epoll_wait_like(c, 1); }

void decode_epoll_pwait2(Ctx& c) { epoll_wait_like(c, 2); }

void decode_epoll_create1(Ctx& c) {
    if (c.entering) c.flags(static_cast<std::uint32_t>(c.arg(0)), xlat::epoll_create_flags());
}

void decode_pipe(Ctx& c) {
    if (!c.entering) fd_pair(c, 0);
}

void decode_pipe2(Ctx& c) {
    if (c.entering) return;
    fd_pair(c, 0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::open_flags());
}

void decode_dup3(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.fd(1);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::open_flags(), "0", "O_???");
}

namespace {

void flock_at(Ctx& c, int i, bool with_pid);  // at the end of this file

// fcntl's struct f_owner_ex: {type=F_OWNER_TID, pid=N}, as strace's fcntl.c.
void owner_ex_at(Ctx& c, std::uint64_t address) {
    f_owner_ex owner{};
    if (!c.fetch(address, owner)) {
        append_pointer(c.out, address);
        return;
    }
    c.out += "{type=";
    c.enumeration(static_cast<std::uint32_t>(owner.type), xlat::owner_types(), false,
                  "F_OWNER_???");
    c.out += ", pid=";
    append_number(c.out, owner.pid);
    c.out += '}';
}

}  // namespace

void decode_fcntl(Ctx& c) {
    int command = c.int_arg(1);
    if (c.entering) {
        c.fd(0);
        c.sep();
        c.enumeration(static_cast<std::uint32_t>(command), xlat::fcntl_commands(), true);
        switch (command) {
            case F_GETFD:
            case F_GETFL:
            case F_GETOWN:
            case F_GETSIG:
            case F_GETLEASE:
            case F_GETPIPE_SZ:
            case F_GET_SEALS:
                break;
            case F_SETFD:
                c.sep();
                c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::fd_flags());
                break;
            case F_SETFL:
                c.sep();
                c.open_flags(static_cast<std::uint32_t>(c.arg(2)));
                break;
            case F_SETLK:
            case F_SETLKW:
            case F_OFD_SETLK:
            case F_OFD_SETLKW:
                c.sep();
                flock_at(c, 2, false);
                break;
            case F_GETLK:
            case F_OFD_GETLK:
            case F_GETOWN_EX:
                break;  // the lock found, the owner: at exit
            case F_SETOWN_EX:
                c.sep();
                owner_ex_at(c, c.arg(2));
                break;
            case F_NOTIFY:
                c.sep();
                c.flags(c.arg(2), xlat::notify_flags(), "0", "DN_???");
                break;
            case F_SETLEASE:
                c.sep();
                c.enumeration(c.arg(2), xlat::lock_types(), false, "F_???");
                break;
            case F_SETSIG:
                c.sep();
                if (c.arg(2) > 0 && c.arg(2) < NSIG)
                    c.out += xlat::signal_name(c.int_arg(2));
                else
                    c.slong(2);
                break;
            case F_DUPFD:
            case F_DUPFD_CLOEXEC:
            case F_SETOWN:
            case F_SETPIPE_SZ:
            case F_ADD_SEALS:
                c.sep();
                c.sint(2);
                break;
            default:
                c.sep();
                c.ptr(2);
        }
        return;
    }
    if (command == F_GETLK || command == F_OFD_GETLK) {
        c.sep();
        flock_at(c, 2, true);
        return;
    }
    if (command == F_GETOWN_EX) {
        c.sep();
        if (c.failed())
            c.ptr(2);
        else
            owner_ex_at(c, c.arg(2));
        return;
    }
    if (c.failed()) return;
    if (command == F_GETLEASE) {  // strace: RVAL_HEX with the lock type's name
        c.call.ret_hex = true;
        auto name = xlat::find(static_cast<std::uint64_t>(c.ret()), xlat::lock_types());
        if (!name.empty()) c.call.ret_extra = " (" + std::string(name) + ")";
        return;
    }
    if (command == F_GETSIG && c.ret() > 0 && c.ret() < NSIG) {
        c.call.ret_extra = " (" + xlat::signal_name(static_cast<int>(c.ret())) + ")";
        return;
    }
    if (command == F_GETFD && c.ret() != 0) {
        c.call.ret_hex = true;
        c.call.ret_extra = " (flags ";
        xlat::append_flags(c.call.ret_extra, static_cast<std::uint64_t>(c.ret()), xlat::fd_flags(),
                           "0", {}, c.style());
        c.call.ret_extra += ')';
    } else if (command == F_GETFL) {
        c.call.ret_hex = true;
        // Named under every -X style, as strace 6.1 prints it.
        std::string flags;
        append_open_flags(flags, static_cast<std::uint64_t>(c.ret()), xlat::Style::abbrev);
        c.call.ret_extra = " (flags " + flags + ")";
    }
}

// The flags, then the mode when the call may create a file: O_CREAT, or
// the kernel's __O_TMPFILE bit (strace prints it for both).
void open_flags_and_mode(Ctx& c, int flags_arg) {
    const auto flags = static_cast<std::uint32_t>(c.arg(flags_arg));
    c.open_flags(flags);
    if (flags & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY))) {
        c.sep();
        c.octal(flags_arg + 1);
    }
}

void decode_open(Ctx& c) {
    if (!c.entering) return;
    c.path(c.arg(0));
    c.sep();
    open_flags_and_mode(c, 1);
}

void decode_openat(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    open_flags_and_mode(c, 2);
}

void decode_openat2(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    open_how how{};
    if (!c.fetch(c.arg(2), how)) {
        c.ptr(2);
    } else {
        c.out += "{flags=";
        c.open_flags(how.flags);
        if ((how.flags & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY))) || how.mode) {
            char mode[24];
            std::snprintf(mode, sizeof mode, "%#03llo", static_cast<unsigned long long>(how.mode));
            c.out += ", mode=";
            c.out += mode;
        }
        c.out += ", resolve=";
        c.flags(how.resolve, xlat::resolve_flags());
        c.out += '}';
    }
    c.sep();
    c.ulong(3);
}

void decode_eventfd2(Ctx& c) {
    if (!c.entering) return;
    c.uint(0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::eventfd_flags());
}

void decode_timerfd_create(Ctx& c) {
    if (!c.entering) return;
    c.enumeration(static_cast<std::uint32_t>(c.arg(0)), xlat::clock_ids());
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::timerfd_flags());
}

namespace {

// {it_interval={...}, it_value={...}}, or the address (strace: failed
// calls' outputs are addresses too). Itimer: itimerspec (timerfd, its parts
// as timespecs) or itimerval (setitimer, strace's print_itimerval: timevals).
template <class Itimer>
void itimer_at(Ctx& c, std::uint64_t address, bool output) {
    Itimer value{};
    if (!address) {
        c.out += "NULL";
        return;
    }
    if ((output && c.failed()) || !c.fetch(address, value)) {
        append_hex(c.out, address);
        return;
    }
    auto part = [&](std::uint64_t at) {
        if constexpr (std::is_same_v<Itimer, itimerspec>)
            c.timespec_at(at);
        else
            c.timeval_at(at);
    };
    c.out += "{it_interval=";
    part(address + offsetof(Itimer, it_interval));
    c.out += ", it_value=";
    part(address + offsetof(Itimer, it_value));
    c.out += '}';
}

void itimerspec_at(Ctx& c, std::uint64_t address, bool output) {
    itimer_at<itimerspec>(c, address, output);
}
void itimerval_at(Ctx& c, std::uint64_t address, bool output) {
    itimer_at<itimerval>(c, address, output);
}

void itimer_which(Ctx& c) {
    c.enumeration(static_cast<std::uint32_t>(c.arg(0)), xlat::itimer_which(), true, "ITIMER_???");
}

}  // namespace

// setitimer(which, new_value, old_value).
void decode_setitimer(Ctx& c) {
    if (c.entering) {
        itimer_which(c);
        c.sep();
        itimerval_at(c, c.arg(1), false);
        c.sep();
        return;
    }
    itimerval_at(c, c.arg(2), true);
}

// getitimer(which, curr_value).
void decode_getitimer(Ctx& c) {
    if (c.entering) {
        itimer_which(c);
        c.sep();
        return;
    }
    itimerval_at(c, c.arg(1), true);
}

void decode_timerfd_settime(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::timerfd_settime_flags(), "0",
                "TFD_TIMER_???");
        c.sep();
        itimerspec_at(c, c.arg(2), false);
        c.sep();
        return;
    }
    itimerspec_at(c, c.arg(3), true);
}

void decode_timerfd_gettime(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    itimerspec_at(c, c.arg(1), true);
}

void decode_signalfd(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.sigset(c.arg(1), c.arg(2));
    c.sep();
    c.ulong(2);
}

void decode_signalfd4(Ctx& c) {
    decode_signalfd(c);
    if (!c.entering) return;
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::signalfd_flags());
}

void decode_inotify_init1(Ctx& c) {
    if (c.entering)
        c.flags(static_cast<std::uint32_t>(c.arg(0)), xlat::inotify_flags(), "0", "IN_???");
}

void decode_inotify_add_watch(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::inotify_masks(), "0", "IN_???");
}

// fanotify_init(flags, event_f_flags): the notification class is an enum
// inside the flags, then the other bits; the second argument is open flags.
void decode_fanotify_init(Ctx& c) {
    if (!c.entering) return;
    auto flags = static_cast<std::uint32_t>(c.arg(0));
    c.enumeration(flags & FAN_ALL_CLASS_BITS, xlat::fanotify_classes(), true, "FAN_CLASS_???");
    flags &= ~static_cast<std::uint32_t>(FAN_ALL_CLASS_BITS);
    if (flags) {
        c.out += '|';
        c.flags(flags, xlat::fanotify_init_flags(), "0", "FAN_???");
    }
    c.sep();
    c.open_flags(static_cast<std::uint32_t>(c.arg(1)));
}

// fanotify_mark(fd, flags, mask, dirfd, path): dirfd may be FAN_NOFD.
void decode_fanotify_mark(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::fanotify_mark_flags(), "0", "FAN_MARK_???");
    c.sep();
    c.flags(c.arg(2), xlat::fanotify_events(), "0", "FAN_???");
    c.sep();
    if (c.int_arg(3) == FAN_NOFD)
        xlat::append_named(c.out, std::to_string(FAN_NOFD), "FAN_NOFD", c.style());
    else
        c.dirfd(3);
    c.sep();
    c.path(c.arg(4));
}

void decode_userfaultfd(Ctx& c) {
    if (c.entering) c.flags(static_cast<std::uint32_t>(c.arg(0)), xlat::open_flags());
}

void decode_memfd_create(Ctx& c) {
    if (!c.entering) return;
    // The kernel reads at most 249 bytes of the name and its NUL (strace's
    // MFD_NAME_MAX_LEN: NAME_MAX less "memfd:").
    constexpr std::uint64_t kMaxName = NAME_MAX - (sizeof "memfd:" - 1) + 1;
    c.cstring(c.arg(0), kMaxName);
    c.sep();
    // As strace's memfd_create.c: the hugetlb size bits as "N<<MFD_HUGE_SHIFT".
    auto flags = static_cast<std::uint32_t>(c.arg(1));
    const std::uint32_t mask = static_cast<std::uint32_t>(MFD_HUGE_MASK) << MFD_HUGE_SHIFT;
    std::uint32_t huge = flags & mask;
    flags &= ~mask;
    if (flags || !huge) c.flags(flags, xlat::memfd_flags(), "0", "MFD_???");
    if (huge) {
        if (flags) c.out += '|';
        append_unsigned(c.out, huge >> MFD_HUGE_SHIFT);
        c.out += "<<MFD_HUGE_SHIFT";
    }
}

void decode_pidfd_open(Ctx& c) {
    if (!c.entering) return;
    c.sint(0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::pidfd_flags(), "0", "PIDFD_???");
}

void decode_close_range(Ctx& c) {
    if (!c.entering) return;
    c.uint(0);
    c.sep();
    c.uint(1);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::close_range_flags(), "0",
            "CLOSE_RANGE_???");
}

void decode_bpf(Ctx& c) {
    if (!c.entering) return;
    c.enumeration(static_cast<std::uint32_t>(c.arg(0)), xlat::bpf_commands());
    c.sep();
    c.ptr(1);
    c.sep();
    c.uint(2);
}

void decode_perf_event_open(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.sint(1);
    c.sep();
    c.sint(2);
    c.sep();
    c.fd(3);
    c.sep();
    c.hex(4);
}

namespace {

// fcntl's struct flock: "{l_type=F_RDLCK, l_whence=SEEK_SET, l_start=0, l_len=0}".
void flock_at(Ctx& c, int i, bool with_pid) {
    struct ::flock lock {};
    if ((c.exiting() && c.failed()) || !c.fetch(c.arg(i), lock)) {
        c.ptr(i);
        return;
    }
    c.out += "{l_type=";
    c.enumeration(static_cast<std::uint16_t>(lock.l_type), xlat::lock_types(), true, "F_???");
    c.out += ", l_whence=";
    c.enumeration(static_cast<std::uint16_t>(lock.l_whence), xlat::seek_whences(), true,
                  "SEEK_???");
    c.out += ", l_start=";
    append_number(c.out, lock.l_start);
    c.out += ", l_len=";
    append_number(c.out, lock.l_len);
    if (with_pid) {
        c.out += ", l_pid=";
        append_number(c.out, lock.l_pid);
    }
    c.out += '}';
}

}  // namespace

}  // namespace fdtrace::decode
