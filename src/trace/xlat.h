// Symbolic names of flag and enum values, as strace prints them. The tables
// (xlat.cpp) are data built from the libc and kernel headers' own constants.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fdtrace/xlat_style.h"

namespace fdtrace::xlat {

struct Entry {
    std::uint64_t value;
    std::string_view name;
};

using Style = XlatStyle;  // strace's -X (fdtrace/xlat_style.h)

// "A|B|0x40" (bits without a name in hex); `zero` when value is 0.
// With `unknown` ("PROT_???"), bits none of which has a name are followed
// by strace's comment: "0x8 /* PROT_??? */". A table's entry for 0 is
// printed for 0 (PROT_NONE, F_OK) in place of `zero`.
// raw: the value in hex ("0" for 0); verbose: "0x3 /* A|B */", the bits
// without a name inside the comment ("0x41 /* A|0x40 */"), "0 /* PROT_NONE */"
// (strace's printflags_ex).
void append_flags(std::string& out, std::uint64_t value, std::span<const Entry> table,
                  std::string_view zero = "0", std::string_view unknown = {},
                  Style style = Style::abbrev);
// "NAME", or the number (decimal, or hex with `hex`) when it has no name.
// With `unknown`: "0x3001 /* ARCH_??? */".
// raw: the number in hex, whatever `hex` says (strace's printxval formats
// every table fdtrace prints this way in hex); verbose: "0x2 /* SEEK_END */"
// (strace's printxvals_ex).
void append_enum(std::string& out, std::uint64_t value, std::span<const Entry> table,
                 bool hex = false, std::string_view unknown = {}, Style style = Style::abbrev);
// A number and, in verbose, its name: "-100 /* AT_FDCWD */", "10 /* SIGUSR1 */";
// in abbrev the name alone. `number` is already formatted.
void append_named(std::string& out, std::string_view number, std::string_view name, Style style);
// The name, or empty.
std::string_view find(std::uint64_t value, std::span<const Entry> table) noexcept;

std::span<const Entry> open_access_modes();  // O_RDONLY, O_WRONLY, O_RDWR
std::span<const Entry> open_flags();         // everything but the access mode
std::span<const Entry> address_families();
std::span<const Entry> socket_types();
std::span<const Entry> socket_type_flags();  // SOCK_CLOEXEC, SOCK_NONBLOCK
std::span<const Entry> ip_protocols();
std::span<const Entry> netlink_protocols();
std::span<const Entry> message_flags();
std::span<const Entry> shutdown_modes();
std::span<const Entry> fcntl_commands();
std::span<const Entry> fd_flags();  // FD_CLOEXEC
std::span<const Entry> poll_events();
std::span<const Entry> epoll_events();
std::span<const Entry> epoll_ctl_ops();
std::span<const Entry> epoll_create_flags();
std::span<const Entry> clock_ids();
std::span<const Entry> timerfd_flags();
std::span<const Entry> eventfd_flags();
std::span<const Entry> signalfd_flags();
std::span<const Entry> inotify_flags();
std::span<const Entry> memfd_flags();
std::span<const Entry> pidfd_flags();
std::span<const Entry> close_range_flags();
std::span<const Entry> rwf_flags();
std::span<const Entry> splice_flags();  // splice, tee, vmsplice: SPLICE_F_*
std::span<const Entry> falloc_flags();  // fallocate's mode: FALLOC_FL_*
std::span<const Entry> owner_types();
std::span<const Entry> notify_flags();
std::span<const Entry> timerfd_settime_flags();  // TFD_TIMER_*   // fcntl F_NOTIFY: DN_*    //
                                                 // fcntl F_[GS]ETOWN_EX: F_OWNER_*
std::span<const Entry> at_flags();
std::span<const Entry> rename_flags();           // RENAME_* (renameat2)
std::span<const Entry> inotify_masks();          // IN_* (inotify_add_watch)
std::span<const Entry> fanotify_classes();       // FAN_CLASS_* (fanotify_init flags & 0xc)
std::span<const Entry> fanotify_init_flags();    // the other FAN_* bits of fanotify_init
std::span<const Entry> fanotify_mark_flags();    // FAN_MARK_*
std::span<const Entry> fanotify_events();        // FAN_ACCESS ... (fanotify_mark's mask)
std::span<const Entry> setns_types();            // CLONE_NEW*
std::span<const Entry> sync_file_range_flags();  // SYNC_FILE_RANGE_*
std::span<const Entry> module_init_flags();      // MODULE_INIT_*
std::span<const Entry> xattr_flags();            // XATTR_CREATE, XATTR_REPLACE
std::span<const Entry> statfs_flags();           // ST_* (f_flags)
std::span<const Entry> fs_magics();              // *_MAGIC (f_type)
std::span<const Entry> sigaltstack_flags();      // SS_*
std::span<const Entry> seek_whences();
std::span<const Entry> socket_levels();
std::span<const Entry> socket_options();  // SOL_SOCKET
std::span<const Entry> tcp_options();     // IPPROTO_TCP
std::span<const Entry> clone_flags();
std::span<const Entry> bpf_commands();
std::span<const Entry> signal_codes();                // si_code for any signal (SI_*)
std::span<const Entry> child_codes();                 // si_code for SIGCHLD (CLD_*)
std::span<const Entry> signal_codes_for(int signal);  // si_code per signal: SEGV_*, FPE_*, ...
std::span<const Entry> resolve_flags();               // openat2 RESOLVE_*
std::span<const Entry> mmap_prot();                   // PROT_*
std::span<const Entry> mmap_types();  // MAP_SHARED, MAP_PRIVATE ... (flags & MAP_TYPE)
std::span<const Entry> mmap_flags();  // the other MAP_* bits
std::span<const Entry> mremap_flags();
std::span<const Entry> madvise_advice();    // MADV_*
std::span<const Entry> access_modes();      // F_OK, R_OK, W_OK, X_OK
std::span<const Entry> faccessat_flags();   // AT_SYMLINK_NOFOLLOW, AT_EACCESS, AT_EMPTY_PATH
std::span<const Entry> statx_sync_types();  // AT_STATX_* (flags & AT_STATX_SYNC_TYPE)
std::span<const Entry> statx_masks();       // STATX_*
std::span<const Entry> statx_attributes();  // STATX_ATTR_*
std::span<const Entry> file_types();        // S_IFREG ... (mode & S_IFMT)
std::span<const Entry> fadvise_advice();    // POSIX_FADV_*
std::span<const Entry> flock_operations();  // LOCK_*
std::span<const Entry> lock_types();        // F_RDLCK, F_WRLCK, F_UNLCK
std::span<const Entry> arch_prctl_codes();  // ARCH_*
std::span<const Entry> rlimit_resources();  // RLIMIT_*
std::span<const Entry> getrandom_flags();   // GRND_*
std::span<const Entry> sigaction_flags();   // SA_*
std::span<const Entry> sigprocmask_hows();  // SIG_BLOCK ...
std::span<const Entry> wait_options();      // WNOHANG ...
std::span<const Entry> rusage_who();        // RUSAGE_SELF ... (getrusage)
std::span<const Entry> timer_flags();       // TIMER_ABSTIME
std::span<const Entry> futex_ops();         // FUTEX_* with PRIVATE/CLOCK_REALTIME variants
std::span<const Entry> futex_bitsets();     // FUTEX_BITSET_MATCH_ANY
std::span<const Entry> ioctl_requests();    // tty and FIO* requests
std::span<const Entry> rseq_flags();        // RSEQ_FLAG_UNREGISTER
// The kernel's SA_RESTORER bit (glibc does not define it).
std::uint64_t sa_restorer();

// "SIGINT"; "SIGRT_3" for real-time signals; the number if unknown.
std::string signal_name(int signal);
// signal_name() in a style: raw "2", verbose "2 /* SIGINT */".
std::string signal_name(int signal, Style style);

}  // namespace fdtrace::xlat
