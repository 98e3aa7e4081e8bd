#include "fdtrace/syscall_decoder.h"

#include <fcntl.h>
#include <linux/stat.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fdtrace/syscall_table.h"
#include "src/trace/decoders.h"
#include "src/trace/xlat.h"

namespace fdtrace {
namespace decode {
namespace {

// Calls without a decoder of their own print as many raw arguments as they
// take: the syscall table's arg_count (strace's syscallent nargs), else six.
int arity(std::string_view name) {
    const SyscallSignature* row = find_syscall_row(name);
    return row && row->arg_count >= 0 ? row->arg_count : 6;
}

// Arguments all read at entry, one letter each:
//   f fd   d dirfd   i int   l long   u unsigned long   x hex int   X hex long
//   p pointer   s path   o octal mode   w lseek whence   g signal   a AT_* flags
//   O open flags   U uid/gid (-1, else unsigned)
void decode_by_spec(Ctx& c, std::string_view spec) {
    if (!c.entering) return;
    for (std::size_t i = 0; i < spec.size() && i < 6; ++i) {
        if (i) c.sep();
        int n = static_cast<int>(i);
        switch (spec[i]) {
            case 'f':
                c.fd(n);
                break;
            case 'd':
                c.dirfd(n);
                break;
            case 'i':
                c.sint(n);
                break;
            case 'l':
                c.slong(n);
                break;
            case 'u':
                c.ulong(n);
                break;
            case 'p':
                c.ptr(n);
                break;
            case 's':
                c.path(c.arg(n));
                break;
            case 'o':
                c.octal(n);
                break;
            case 'U':
                c.uid(n);
                break;
            case 'x':
                c.hex32(n);
                break;
            case 'w':
                c.enumeration(static_cast<std::uint32_t>(c.arg(n)), xlat::seek_whences());
                break;
            case 'g':
                c.signal(c.int_arg(n));
                break;
            case 'a':
                c.flags(static_cast<std::uint32_t>(c.arg(n)), xlat::at_flags());
                break;
            case 'O':
                c.open_flags(static_cast<std::uint32_t>(c.arg(n)));
                break;
            default:
                c.hex(n);
        }
    }
}

constexpr CallDecoder call(std::string_view name, DecodeFn decode, bool ret_hex = false) {
    return {name, decode, {}, ret_hex};
}
constexpr CallDecoder spec(std::string_view name, std::string_view letters, bool ret_hex = false) {
    return {name, nullptr, letters, ret_hex};
}

// clang-format off
const CallDecoder kDecoders[] = {
    call("read", decode_read),          call("write", decode_write),
    call("pread64", decode_pread),      call("pwrite64", decode_pwrite),
    call("readv", decode_readv),        call("writev", decode_writev),
    call("preadv", decode_preadv),      call("pwritev", decode_pwritev),
    call("preadv2", decode_preadv2),    call("pwritev2", decode_pwritev2), call("vmsplice", decode_vmsplice),
    call("recvfrom", decode_recvfrom),  call("sendto", decode_sendto),
    call("recvmsg", decode_recvmsg),    call("sendmsg", decode_sendmsg),
    call("recvmmsg", decode_recvmmsg),  call("sendmmsg", decode_sendmmsg),
    call("poll", decode_poll),          call("ppoll", decode_ppoll),
    call("select", decode_select),      call("pselect6", decode_pselect6),
    call("epoll_create1", decode_epoll_create1),
    call("epoll_ctl", decode_epoll_ctl),
    call("epoll_wait", decode_epoll_wait), call("epoll_pwait", decode_epoll_pwait),
    call("epoll_pwait2", decode_epoll_pwait2),
    call("socket", decode_socket),      call("socketpair", decode_socketpair),
    call("accept", decode_accept),      call("accept4", decode_accept4),
    call("connect", decode_connect),    call("bind", decode_connect),
    call("shutdown", decode_shutdown),
    call("getsockname", decode_getsockname), call("getpeername", decode_getsockname),
    call("setsockopt", decode_setsockopt), call("getsockopt", decode_getsockopt),
    call("close_range", decode_close_range),
    call("dup3", decode_dup3),          call("fcntl", decode_fcntl),
    call("pipe", decode_pipe),          call("pipe2", decode_pipe2),
    call("open", decode_open),          call("openat", decode_openat),
    call("openat2", decode_openat2),    call("creat", decode_creat),
    call("eventfd2", decode_eventfd2),
    call("timerfd_create", decode_timerfd_create),
    call("signalfd", decode_signalfd),  call("signalfd4", decode_signalfd4),
    call("inotify_init1", decode_inotify_init1),
    call("perf_event_open", decode_perf_event_open),
    call("bpf", decode_bpf),            call("userfaultfd", decode_userfaultfd),
    call("memfd_create", decode_memfd_create),
    call("pidfd_open", decode_pidfd_open), call("execve", decode_execve),      call("execveat", decode_execveat),
    call("clone", decode_clone),        call("clone3", decode_clone3),
    call("restart_syscall", decode_restart_syscall),
    call("getdents", decode_getdents),  call("getdents64", decode_getdents),
    call("mmap", decode_mmap, true),          call("mprotect", decode_mprotect),
    call("mremap", decode_mremap, true),      call("madvise", decode_madvise),
    call("access", decode_access),      call("faccessat", decode_faccessat),
    call("faccessat2", decode_faccessat2),
    call("fstat", decode_fstat),        call("newfstatat", decode_newfstatat),
    call("stat", decode_stat),          call("lstat", decode_stat),
    call("statx", decode_statx),        call("readlink", decode_readlink),
    call("readlinkat", decode_readlinkat), call("getcwd", decode_getcwd),
    call("fadvise64", decode_fadvise64), call("flock", decode_flock),
    call("arch_prctl", decode_arch_prctl), call("rseq", decode_rseq),
    call("prlimit64", decode_prlimit64), call("getrandom", decode_getrandom),
    call("rt_sigaction", decode_rt_sigaction), call("rt_sigprocmask", decode_rt_sigprocmask),
    call("wait4", decode_wait4), call("getrusage", decode_getrusage), call("sysinfo", decode_sysinfo),        call("nanosleep", decode_nanosleep),
    call("clock_nanosleep", decode_clock_nanosleep),
    call("futex", decode_futex),        call("uname", decode_uname),
    call("ioctl", decode_ioctl),
    call("getxattr", decode_getxattr),  call("lgetxattr", decode_getxattr),
    call("fgetxattr", decode_fgetxattr), call("statfs", decode_statfs),
    // Simple calls, mostly for -e trace= beyond the default set.
    call("fallocate", decode_fallocate),
    call("sendfile", decode_sendfile),  call("splice", decode_splice),      call("tee", decode_tee),
    call("copy_file_range", decode_copy_file_range),
    call("timerfd_settime", decode_timerfd_settime),
    call("timerfd_gettime", decode_timerfd_gettime),
    // Path calls as strace 6.1 prints them (seen in git, gcc, make traces).
    call("fstatfs", decode_fstatfs),    call("mknodat", decode_mknodat),
    call("renameat2", decode_renameat2), call("utimensat", decode_utimensat),
    call("futimesat", decode_futimesat), call("sync_file_range", decode_sync_file_range),
    call("umask", decode_umask),
    call("setxattr", decode_setxattr),  call("lsetxattr", decode_setxattr),
    call("fsetxattr", decode_fsetxattr),
    call("listxattr", decode_listxattr), call("llistxattr", decode_listxattr),
    call("flistxattr", decode_flistxattr),
    call("removexattr", decode_removexattr), call("lremovexattr", decode_removexattr),
    call("fremovexattr", decode_fremovexattr),
    call("inotify_add_watch", decode_inotify_add_watch),
    call("fanotify_init", decode_fanotify_init), call("fanotify_mark", decode_fanotify_mark),
    call("setns", decode_setns),        call("pidfd_send_signal", decode_pidfd_send_signal),
    call("process_madvise", decode_process_madvise),
    call("finit_module", decode_finit_module), call("sigaltstack", decode_sigaltstack),
    call("rt_sigreturn", decode_rt_sigreturn),
};
// clang-format on

// Decoders of their own first; then every row of the syscall table that
// says how its arguments print (its printed_as column).
struct DecoderIndex {
    std::vector<CallDecoder> from_table;
    std::unordered_map<std::string_view, const CallDecoder*> by_name;
    DecoderIndex() {
        for (const auto& decoder : kDecoders) by_name.emplace(decoder.name, &decoder);
        for (const auto& row : all_syscall_signatures())
            if (row.printed_generically)
                from_table.push_back(CallDecoder{row.name, nullptr, row.printed, row.ret_hex});
        for (const auto& decoder : from_table) by_name.emplace(decoder.name, &decoder);
    }
};

const CallDecoder* find_decoder(std::string_view name) {
    static const DecoderIndex index;  // immutable after construction
    auto it = index.by_name.find(name);
    return it == index.by_name.end() ? nullptr : it->second;
}

}  // namespace
}  // namespace decode

using decode::append_hex;
using decode::append_number;
using decode::append_pointer;
using decode::append_unsigned;

using decode::arity;
using decode::Ctx;
using decode::decode_by_spec;
using decode::find_decoder;
using decode::kErestartnohand;
using decode::kErestartnointr;
using decode::kErestartRestartblock;
using decode::kErestartsys;
using decode::kMaxErrno;

bool has_decoder(std::string_view name) noexcept { return find_decoder(name) != nullptr; }

namespace {

// Calls nobody taught us: their arguments in hex, as strace prints a call
// it has no decoder for; as many as the call takes when the syscall table knows it,
// all six registers otherwise.
const CallDecoder kGenericDecoder = decode::spec("", "XXXXXX");

void run_decoder(Ctx& c) {
    const CallDecoder& decoder = *c.call.decoder;
    if (decoder.decode)
        decoder.decode(c);
    else if (&decoder == &kGenericDecoder)
        decode_by_spec(c, decoder.spec.substr(0, static_cast<std::size_t>(arity(c.call.name))));
    else
        decode_by_spec(c, decoder.spec);
}

void append_call_name(std::string& out, const SyscallCall& call) {
    if (!call.name.empty()) {
        out += call.name;
    } else {
        out += "syscall_";
        append_hex(out, static_cast<std::uint64_t>(call.nr));
    }
}

}  // namespace

namespace {
bool has_c_escape(unsigned char c) {
    return c == '"' || c == '\\' || c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == '\v';
}
}  // namespace

void append_quoted(std::string& out, std::string_view bytes, bool more, int hex_strings) {
    bool hex = hex_strings >= 2;
    if (hex_strings == 1)
        for (char byte : bytes) {
            auto c = static_cast<unsigned char>(byte);
            if (!has_c_escape(c) && (c < ' ' || c >= 0x7f)) {
                hex = true;
                break;
            }
        }
    out += '"';
    if (hex) {
        static constexpr char kDigits[] = "0123456789abcdef";
        for (char byte : bytes) {
            auto c = static_cast<unsigned char>(byte);
            out += "\\x";
            out += kDigits[c >> 4];
            out += kDigits[c & 15];
        }
        out += '"';
        if (more) out += "...";
        return;
    }
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto c = static_cast<unsigned char>(bytes[i]);
        switch (c) {
            case '"':
                out += "\\\"";
                continue;
            case '\\':
                out += "\\\\";
                continue;
            case '\f':
                out += "\\f";
                continue;
            case '\n':
                out += "\\n";
                continue;
            case '\r':
                out += "\\r";
                continue;
            case '\t':
                out += "\\t";
                continue;
            case '\v':
                out += "\\v";
                continue;
            default:
                break;
        }
        if (c >= ' ' && c < 0x7f) {
            out += static_cast<char>(c);
            continue;
        }
        // Octal, as short as possible unless an octal digit follows.
        out += '\\';
        bool digit_follows = i + 1 < bytes.size() && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
        if (digit_follows || (c >> 6)) out += static_cast<char>('0' + (c >> 6));
        if (digit_follows || (c >> 3)) out += static_cast<char>('0' + ((c >> 3) & 7));
        out += static_cast<char>('0' + (c & 7));
    }
    out += '"';
    if (more) out += "...";
}

void append_return_value(std::string& out, std::int64_t ret, bool hex) {
    if (is_error_return(ret)) {
        int error = static_cast<int>(-ret);
        const char* restart = nullptr;
        const char* name = nullptr;
        switch (error) {
            case kErestartsys:
                name = "ERESTARTSYS";
                restart = "To be restarted if SA_RESTART is set";
                break;
            case kErestartnointr:
                name = "ERESTARTNOINTR";
                restart = "To be restarted";
                break;
            case kErestartnohand:
                name = "ERESTARTNOHAND";
                restart = "To be restarted if no handler";
                break;
            case kErestartRestartblock:
                name = "ERESTART_RESTARTBLOCK";
                restart = "Interrupted by signal";
                break;
            default:
                break;
        }
        if (restart) {
            out += "? ";
            out += name;
            out += " (";
            out += restart;
            out += ')';
            return;
        }
        out += "-1 ";
        const char* errno_name = ::strerrorname_np(error);
        const char* description = ::strerrordesc_np(error);
        if (errno_name)
            out += errno_name;
        else
            out += "E" + std::to_string(error);
        out += " (";
        out += description ? description : "Unknown error";
        out += ')';
        return;
    }
    if (hex)
        append_hex(out, static_cast<std::uint64_t>(ret));
    else
        append_number(out, ret);
}

bool is_error_return(std::int64_t ret) noexcept { return ret < 0 && ret >= -kMaxErrno; }

namespace {
// CPU time in clock ticks, as strace prints it: "1 /* 0.01 s */" (0 alone;
// no comment with -X raw).
void append_clock_ticks(std::string& out, std::int64_t ticks, XlatStyle style) {
    append_number(out, ticks);
    if (ticks == 0 || style == XlatStyle::raw) return;
    static const long kTicksPerSecond = ::sysconf(_SC_CLK_TCK);
    char comment[48];
    std::snprintf(comment, sizeof comment, " /* %.2f s */",
                  static_cast<double>(ticks) /
                      static_cast<double>(kTicksPerSecond > 0 ? kTicksPerSecond : 100));
    out += comment;
}
}  // namespace

namespace {
void append_signal_source(std::string& out, const siginfo_t& info) {
    out += ", si_pid=";
    append_number(out, info.si_pid);
    out += ", si_uid=";
    if (info.si_uid == static_cast<uid_t>(-1))  // strace's printuid
        out += "-1";
    else
        append_unsigned(out, info.si_uid);
}

void append_signal_value(std::string& out, const siginfo_t& info) {  // strace's printsigval
    out += ", si_int=";
    append_number(out, info.si_int);
    out += ", si_ptr=";
    append_pointer(out, reinterpret_cast<std::uint64_t>(info.si_ptr));
}
}  // namespace

// strace 6.1's printsiginfo.
void append_siginfo(std::string& out, const siginfo_t& info, XlatStyle style) {
    out += '{';
    if (info.si_signo == 0) {
        out += '}';
        return;
    }
    out += "si_signo=";
    out += xlat::signal_name(info.si_signo, style);
    out += ", si_code=";
    // print_si_code: the generic SI_* first, then the signal's own table;
    // printed as hex when unnamed (and always with -X raw).
    auto code = static_cast<std::uint64_t>(static_cast<std::int64_t>(info.si_code));
    std::string_view name = xlat::find(code, xlat::signal_codes());
    if (name.empty()) name = xlat::find(code, xlat::signal_codes_for(info.si_signo));
    if (style == XlatStyle::abbrev && !name.empty()) {
        out += name;
    } else {
        append_hex(out, static_cast<std::uint32_t>(info.si_code));
        if (style == XlatStyle::verbose && !name.empty()) out += " /* " + std::string(name) + " */";
    }
    if (info.si_errno) {  // strace's PRINT_FIELD_ERR_U: the name, else unsigned
        out += ", si_errno=";
        const char* errno_name = info.si_errno > 0 ? ::strerrorname_np(info.si_errno) : nullptr;
        std::string number = std::to_string(static_cast<std::uint32_t>(info.si_errno));
        if (!errno_name || style == XlatStyle::raw) {
            out += number;
        } else if (style == XlatStyle::verbose) {
            out += number + " /* " + errno_name + " */";
        } else {
            out += errno_name;
        }
    }
    if (info.si_code <= 0) {  // SI_FROMUSER
        switch (info.si_code) {
            case SI_TIMER:
                out += ", si_timerid=";
                if (info.si_timerid)
                    append_hex(out, static_cast<std::uint32_t>(info.si_timerid));
                else
                    out += '0';
                out += ", si_overrun=";
                append_number(out, info.si_overrun);
                append_signal_value(out, info);
                break;
            case SI_SIGIO:
                out += ", si_band=";
                append_number(out, static_cast<std::int64_t>(info.si_band));
                out += ", si_fd=";
                append_number(out, info.si_fd);
                break;
            case SI_USER:
            case SI_TKILL:
                append_signal_source(out, info);
                break;
            default:
                append_signal_source(out, info);
                if (info.si_ptr) append_signal_value(out, info);
                break;
        }
        out += '}';
        return;
    }
    switch (info.si_signo) {
        case SIGCHLD:
            append_signal_source(out, info);
            out += ", si_status=";
            if (info.si_code == CLD_EXITED)
                append_number(out, info.si_status);
            else
                out += xlat::signal_name(info.si_status, style);
            out += ", si_utime=";
            append_clock_ticks(out, static_cast<std::int64_t>(info.si_utime), style);
            out += ", si_stime=";
            append_clock_ticks(out, static_cast<std::int64_t>(info.si_stime), style);
            break;
        case SIGILL:
        case SIGFPE:
        case SIGBUS:
        case SIGSEGV:
        case SIGTRAP:
            out += ", si_addr=";
            append_pointer(out, reinterpret_cast<std::uint64_t>(info.si_addr));
            if (info.si_signo == SIGBUS &&
                (info.si_code == BUS_MCEERR_AR || info.si_code == BUS_MCEERR_AO)) {
                out += ", si_addr_lsb=";
                append_hex(out, static_cast<std::uint16_t>(info.si_addr_lsb));
            }
            break;
        case SIGIO:
            if (info.si_code >= POLL_IN && info.si_code <= POLL_HUP) {
                out += ", si_band=";
                append_number(out, static_cast<std::int64_t>(info.si_band));
                out += ", si_fd=";
                append_number(out, info.si_fd);
            }
            break;
        case SIGSYS:
            break;  // si_call_addr/si_syscall/si_arch: not decoded
        default:
            if (info.si_pid || info.si_uid) append_signal_source(out, info);
            if (info.si_ptr) append_signal_value(out, info);
            break;
    }
    out += '}';
}

void SyscallDecoder::enter(SyscallCall& call, MemoryReader& memory) const {
    call.text.clear();
    call.ret_extra.clear();
    call.ret_hex = false;
    call.ret_octal = false;
    call.saved = 0;
    call.decoder = call.name.empty() ? nullptr : find_decoder(call.name);
    if (!call.decoder) call.decoder = &kGenericDecoder;
    call.ret_hex = call.decoder->ret_hex;
    Ctx ctx(call, memory, options_, true);
    run_decoder(ctx);
}

std::size_t SyscallDecoder::exit(SyscallCall& call, MemoryReader& memory, std::string& out) const {
    if (!call.decoder) enter(call, memory);  // a call seen only at its exit
    Ctx ctx(call, memory, options_, false);
    run_decoder(ctx);
    append_call_name(out, call);
    out += '(';
    out += call.text;
    std::size_t result_at = out.size();
    out += ") = ";
    if (call.ret_octal && !is_error_return(call.ret))
        decode::append_octal(out, static_cast<std::uint64_t>(call.ret));
    else
        append_return_value(out, call.ret, call.ret_hex);
    out += call.ret_extra;
    return result_at;
}

void SyscallDecoder::entry(const SyscallCall& call, std::string& out) const {
    append_call_name(out, call);
    out += '(';
    out += call.text;
}

namespace {
// A tracee's memory that is gone: every read comes back empty.
class NoMemory final : public MemoryReader {
  public:
    std::size_t read(std::uint64_t, void*, std::size_t) override { return 0; }
};
}  // namespace

std::size_t SyscallDecoder::unfinished(const SyscallCall& call, std::string& out) const {
    entry(call, out);
    // strace says "<unfinished ...>" when its decoder would have printed
    // more at exit (not RVAL_DECODED at entry). Whether ours would is seen
    // by running its exit half on a copy, with nothing readable.
    if (call.decoder) {
        SyscallCall probe = call;
        NoMemory none;
        Ctx ctx(probe, none, options_, false);
        run_decoder(ctx);
        if (probe.text.size() != call.text.size() || !probe.ret_extra.empty())
            out += " <unfinished ...>";
    }
    std::size_t result_at = out.size();
    out += ") = ?";
    return result_at;
}

}  // namespace fdtrace
