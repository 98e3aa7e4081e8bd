#include "fdtrace/syscall_decoder.h"

#include <arpa/inet.h>
#include <asm/prctl.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/memfd.h>
#include <linux/netlink.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/stat.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fdtrace/syscall_table.h"
#include "src/trace/arch.h"
#include "src/trace/xlat.h"

namespace fdtrace {
namespace {

// Caps on what is read from a tracee for one argument, so a hostile or
// corrupt process cannot make the tracer allocate without bound.
constexpr std::size_t kMaxPath = 4096;
constexpr std::size_t kMaxArrayItems = 1024;  // pollfds, epoll events, iovecs, argv ...
constexpr std::size_t kMaxShownItems = 64;    // printed before "..."
constexpr std::size_t kMaxControl = 4096;     // msg_control bytes
constexpr std::int64_t kMaxErrno = 4095;
constexpr std::uint64_t kMaxXattrSize = 65536;  // XATTR_SIZE_MAX

// The kernel's restart codes: never seen by programs, but by a tracer.
constexpr std::int64_t kErestartsys = 512;
constexpr std::int64_t kErestartnointr = 513;
constexpr std::int64_t kErestartnohand = 514;
constexpr std::int64_t kErestartRestartblock = 516;

void append_number(std::string& out, std::int64_t value) { out += std::to_string(value); }
void append_unsigned(std::string& out, std::uint64_t value) { out += std::to_string(value); }

void append_hex(std::string& out, std::uint64_t value) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%#llx", static_cast<unsigned long long>(value));
    out += buffer;
}

void append_pointer(std::string& out, std::uint64_t value) {
    if (value == 0)
        out += "NULL";
    else
        append_hex(out, value);
}

// "O_RDONLY|O_CLOEXEC"; the access mode is an enum inside the flag set.
void append_open_flags(std::string& out, std::uint64_t value, xlat::Style style) {
    if (style == xlat::Style::raw) {
        append_hex(out, value);
        return;
    }
    std::string names;
    xlat::append_enum(names, value & O_ACCMODE, xlat::open_access_modes());
    std::uint64_t rest = value & ~static_cast<std::uint64_t>(O_ACCMODE);
    if (rest) {
        names += '|';
        xlat::append_flags(names, rest, xlat::open_flags());
    }
    if (style == xlat::Style::abbrev) {
        out += names;
        return;
    }
    append_hex(out, value);
    out += " /* " + names + " */";
}

class Ctx;
using DecodeFn = void (*)(Ctx&);

}  // namespace

// How one syscall is printed: a function called at entry and at exit, or a
// one-letter-per-argument spec for calls whose arguments are all inputs.
struct CallDecoder {
    std::string_view name;
    DecodeFn decode = nullptr;
    std::string_view spec;  // used when decode is null
    bool ret_hex = false;
};

namespace {

class Ctx {
  public:
    Ctx(SyscallCall& call, MemoryReader& memory, const DecodeOptions& options, bool entering)
        : call(call), out(call.text), memory_(memory), options_(options), entering(entering) {}

    SyscallCall& call;
    std::string& out;

    std::uint64_t arg(int i) const { return call.args[static_cast<std::size_t>(i)]; }
    int int_arg(int i) const { return static_cast<int>(arg(i)); }
    bool exiting() const { return !entering; }
    bool failed() const { return !entering && is_error_return(call.ret); }
    std::int64_t ret() const { return call.ret; }

    void sep() { out += ", "; }

    void fd(int i) { append_number(out, int_arg(i)); }
    void dirfd(int i) {
        if (int_arg(i) == AT_FDCWD)
            xlat::append_named(out, std::to_string(AT_FDCWD), "AT_FDCWD", style());
        else
            fd(i);
    }
    void sint(int i) { append_number(out, int_arg(i)); }
    void slong(int i) { append_number(out, static_cast<std::int64_t>(arg(i))); }
    void uint(int i) { append_unsigned(out, static_cast<unsigned>(arg(i))); }
    void ulong(int i) { append_unsigned(out, arg(i)); }
    void hex(int i) { append_hex(out, arg(i)); }
    void ptr(int i) { append_pointer(out, arg(i)); }
    void octal(int i) {
        char buffer[24];
        std::snprintf(buffer, sizeof buffer, "%#03o", static_cast<unsigned>(arg(i)));
        out += buffer;
    }
    // Every flag set, enum value and signal is printed through these, in
    // the -X style (fdtrace/xlat_style.h).
    xlat::Style style() const { return abbreviating_ ? xlat::Style::abbrev : options_.xlat; }
    // A value strace prints whole under -X: raw "0x22", verbose
    // "0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */", abbrev what `print` writes.
    template <class Print>
    void numbered(std::uint64_t value, Print print) {
        if (style() == xlat::Style::abbrev) {
            print();
            return;
        }
        append_hex(out, value);
        if (style() == xlat::Style::raw) return;
        std::string before;
        std::swap(out, before);
        abbreviating_ = true;
        print();
        abbreviating_ = false;
        std::swap(out, before);
        out += " /* " + before + " */";
    }
    void flags(std::uint64_t value, std::span<const xlat::Entry> table, std::string_view zero = "0",
               std::string_view unknown = {}) {
        xlat::append_flags(out, value, table, zero, unknown, style());
    }
    void enumeration(std::uint64_t value, std::span<const xlat::Entry> table, bool hex = false,
                     std::string_view unknown = {}) {
        xlat::append_enum(out, value, table, hex, unknown, style());
    }
    void signal(int number) { out += xlat::signal_name(number, style()); }
    // O_* with the access mode: one flag set to strace ("0x80000 /* O_RDONLY|O_CLOEXEC */").
    void open_flags(std::uint64_t value) { append_open_flags(out, value, style()); }

    std::size_t read(std::uint64_t address, void* buffer, std::size_t length) {
        return memory_.read(address, buffer, length);
    }
    template <class T>
    bool fetch(std::uint64_t address, T& value) {
        return address && read(address, &value, sizeof value) == sizeof value;
    }

    // A NUL-terminated string (a path, a name): "..." or the pointer.
    void path(std::uint64_t address) {
        if (!address) {
            out += "NULL";
            return;
        }
        std::string text;
        bool terminated = false;
        char chunk[256];
        while (text.size() < kMaxPath) {
            // Read up to the end of the page, so a string near unmapped memory is still found.
            std::size_t room = 4096 - ((address + text.size()) % 4096);
            std::size_t want = std::min({sizeof chunk, room, kMaxPath - text.size()});
            std::size_t got = read(address + text.size(), chunk, want);
            if (got == 0) break;
            const char* nul = static_cast<const char*>(::memchr(chunk, 0, got));
            if (nul) {
                text.append(chunk, static_cast<std::size_t>(nul - chunk));
                terminated = true;
                break;
            }
            text.append(chunk, got);
        }
        if (text.empty() && !terminated) {
            append_hex(out, address);
            return;
        }
        append_quoted(out, text, !terminated, options_.hex_strings);
    }

    // A NUL-terminated string that is data, not a path (argv): at most -s
    // bytes of it shown, "..." after when it goes on.
    void cstring(std::uint64_t address) {
        if (!address) {
            out += "NULL";
            return;
        }
        std::string text;
        bool terminated = false;
        std::size_t limit = options_.string_limit;
        char chunk[256];
        while (text.size() <= limit) {
            // Up to the end of the page, so a string near unmapped memory is still found.
            std::size_t room = 4096 - ((address + text.size()) % 4096);
            std::size_t want = std::min({sizeof chunk, room, limit + 1 - text.size()});
            std::size_t got = read(address + text.size(), chunk, want);
            if (got == 0) break;
            const char* nul = static_cast<const char*>(::memchr(chunk, 0, got));
            text.append(chunk, nul ? static_cast<std::size_t>(nul - chunk) : got);
            if (nul) {
                terminated = true;
                break;
            }
        }
        if (text.empty() && !terminated) {
            append_hex(out, address);
            return;
        }
        bool more = !terminated;
        if (text.size() > limit) text.resize(limit);
        append_quoted(out, text, more, options_.hex_strings);
    }

    // `size` bytes of data at `address`, at most -s of them shown.
    void buffer(std::uint64_t address, std::uint64_t size) {
        if (!address) {
            out += "NULL";
            return;
        }
        std::size_t shown =
            static_cast<std::size_t>(std::min<std::uint64_t>(size, options_.string_limit));
        std::string bytes(shown, '\0');
        std::size_t got = shown ? read(address, bytes.data(), shown) : 0;
        if (got != shown) {
            append_hex(out, address);
            return;
        }
        append_quoted(out, bytes, size > shown, options_.hex_strings);
    }

    // [{iov_base="...", iov_len=N}, ...]; `data` bytes in all are shown (the
    // return value of a read), or each iov_len when `data` is negative.
    void iovec_array(std::uint64_t address, std::uint64_t count, std::int64_t data) {
        if (!address) {
            out += "NULL";
            return;
        }
        // As strace's print_array: the first element unreadable, the
        // pointer; a later one, "... /* ADDRESS */"; "..." after -s elements.
        std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(count, kMaxArrayItems));
        std::vector<iovec> items(n);
        iovec first{};
        if (n && read(address, &first, sizeof first) != sizeof first) {
            append_hex(out, address);
            return;
        }
        out += '[';
        for (std::size_t i = 0; i < n; ++i) {
            if (i) out += ", ";
            std::uint64_t at = address + i * sizeof(iovec);
            if (read(at, &items[i], sizeof(iovec)) != sizeof(iovec)) {
                out += "... /* ";
                append_hex(out, at);
                out += " */";
                break;
            }
            if (i == shown_items()) {
                out += "...";
                break;
            }
            auto base = reinterpret_cast<std::uint64_t>(items[i].iov_base);
            std::uint64_t length = items[i].iov_len;
            out += "{iov_base=";
            if (data == kAddressesOnly) {
                append_pointer(out, base);
            } else if (data < 0) {
                buffer(base, length);
            } else {
                std::uint64_t here =
                    std::min<std::uint64_t>(length, static_cast<std::uint64_t>(data));
                buffer(base, here);
                data -= static_cast<std::int64_t>(here);
            }
            out += ", iov_len=";
            append_unsigned(out, length);
            out += '}';
        }
        out += ']';
    }
    static constexpr std::int64_t kAddressesOnly = -2;  // iovec_array's data: iov_base as pointers

    void sockaddr(std::uint64_t address, std::uint64_t length);
    // -X raw/verbose: a network-order field as its bytes, "\x00\x50", and in
    // verbose what they mean, " /* htons(80) */" (strace's print_inet_addr).
    void raw_field(const void* bytes, std::size_t size, const std::string& meaning) {
        append_quoted(out, std::string_view(static_cast<const char*>(bytes), size), false, 2);
        if (style() == xlat::Style::verbose) out += " /* " + meaning + " */";
    }
    void msghdr(std::uint64_t address, std::int64_t data);
    void sigset(std::uint64_t address, std::uint64_t size);
    void timespec_at(std::uint64_t address);
    void timeval_at(std::uint64_t address);
    template <class Time, class Fraction>
    void time_at(std::uint64_t address, std::string_view fraction_name, Fraction fraction);
    void fd_set_at(std::uint64_t address, int nfds);
    void epoll_event_value(const epoll_event& event);

    const DecodeOptions& options() const { return options_; }
    // Elements of an array printed before "...": strace's abbrev() limit.
    std::size_t shown_items() const {
        return options_.no_abbrev ? kMaxArrayItems
                                  : std::min(options_.string_limit, kMaxArrayItems);
    }

  private:
    MemoryReader& memory_;
    const DecodeOptions& options_;
    bool abbreviating_ = false;  // inside numbered(): names only

  public:
    const bool entering;
};

void Ctx::sockaddr(std::uint64_t address, std::uint64_t length) {
    if (!address) {
        out += "NULL";
        return;
    }
    sockaddr_storage storage{};
    std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(length, sizeof storage));
    if (size < sizeof(sa_family_t) || read(address, &storage, size) != size) {
        append_hex(out, address);
        return;
    }
    out += "{sa_family=";
    enumeration(storage.ss_family, xlat::address_families());
    switch (storage.ss_family) {
        case AF_UNIX: {
            const auto& un = reinterpret_cast<const sockaddr_un&>(storage);
            std::size_t path_length = size - offsetof(sockaddr_un, sun_path);
            if (path_length == 0) break;
            std::string_view path(un.sun_path, std::min(path_length, sizeof un.sun_path));
            out += ", sun_path=";
            if (path[0] == '\0') {  // abstract: every byte counts, NULs included
                out += '@';
                append_quoted(out, path.substr(1), false, options_.hex_strings);
            } else {
                append_quoted(out, path.substr(0, std::min(path.find('\0'), path.size())), false,
                              options_.hex_strings);
            }
            break;
        }
        case AF_INET: {
            const auto& in = reinterpret_cast<const sockaddr_in&>(storage);
            char text[INET_ADDRSTRLEN] = {};
            ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
            if (style() != xlat::Style::abbrev) {  // strace -X raw: the bytes as they are
                out += ", sin_port=";
                raw_field(&in.sin_port, sizeof in.sin_port,
                          "htons(" + std::to_string(ntohs(in.sin_port)) + ")");
                out += ", sin_addr=";
                raw_field(&in.sin_addr, sizeof in.sin_addr,
                          "inet_addr(\"" + std::string(text) + "\")");
                break;
            }
            out += ", sin_port=htons(";
            append_unsigned(out, ntohs(in.sin_port));
            out += "), sin_addr=inet_addr(\"";
            out += text;
            out += "\")";
            break;
        }
        case AF_INET6: {
            const auto& in6 = reinterpret_cast<const sockaddr_in6&>(storage);
            char text[INET6_ADDRSTRLEN] = {};
            ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
            if (style() != xlat::Style::abbrev) {
                out += ", sin6_port=";
                raw_field(&in6.sin6_port, sizeof in6.sin6_port,
                          "htons(" + std::to_string(ntohs(in6.sin6_port)) + ")");
                out += ", sin6_flowinfo=";
                raw_field(&in6.sin6_flowinfo, sizeof in6.sin6_flowinfo,
                          "htonl(" + std::to_string(ntohl(in6.sin6_flowinfo)) + ")");
                out += ", sin6_addr=";
                raw_field(&in6.sin6_addr, sizeof in6.sin6_addr,
                          "inet_pton(AF_INET6, \"" + std::string(text) + "\")");
                out += ", sin6_scope_id=";
                append_unsigned(out, in6.sin6_scope_id);
                break;
            }
            out += ", sin6_port=htons(";
            append_unsigned(out, ntohs(in6.sin6_port));
            out += "), sin6_flowinfo=htonl(";
            append_unsigned(out, ntohl(in6.sin6_flowinfo));
            out += "), inet_pton(AF_INET6, \"";
            out += text;
            out += "\", &sin6_addr), sin6_scope_id=";
            append_unsigned(out, in6.sin6_scope_id);
            break;
        }
        case AF_NETLINK: {
            const auto& nl = reinterpret_cast<const sockaddr_nl&>(storage);
            char groups[16];
            std::snprintf(groups, sizeof groups, "%08x", nl.nl_groups);
            out += ", nl_pid=";
            append_number(out, static_cast<std::int32_t>(nl.nl_pid));
            out += ", nl_groups=";
            out += groups;
            break;
        }
        default: {
            std::size_t data = size > sizeof(sa_family_t) ? size - sizeof(sa_family_t) : 0;
            if (data == 0) break;
            out += ", sa_data=";
            append_quoted(
                out, std::string_view(reinterpret_cast<const char*>(&storage) + sizeof(sa_family_t),
                                      data));
        }
    }
    out += '}';
}

// "[INT TERM]", or "~[RTMIN RT_1]" when two thirds or more of the `bytes`
// bytes' signals are in the set (strace's sprintsigmask_n).
// -X raw: the numbers, "~[32 33]"; verbose: "~[32 /* RTMIN */ 33 /* RT_1 */]".
void append_sigmask(std::string& out, std::uint64_t mask, std::size_t bytes,
                    xlat::Style style = xlat::Style::abbrev) {
    int bits = static_cast<int>(bytes * 8);
    if (bits < 64) mask &= (std::uint64_t{1} << bits) - 1;
    bool inverted = __builtin_popcountll(mask) >= bits * 2 / 3;
    if (inverted) out += '~';
    out += '[';
    bool first = true;
    for (int signal = 1; signal <= bits; ++signal) {
        bool member = mask & (std::uint64_t{1} << (signal - 1));
        if (member == inverted) continue;
        if (!first) out += ' ';
        first = false;
        std::string name = xlat::signal_name(signal);
        std::string_view bare =
            std::string_view(name).starts_with("SIG") ? std::string_view(name).substr(3) : name;
        std::string number = std::to_string(signal);
        xlat::append_named(out, number, bare == number ? std::string_view{} : bare, style);
    }
    out += ']';
}

void Ctx::sigset(std::uint64_t address, std::uint64_t size) {
    if (!address) {
        out += "NULL";
        return;
    }
    std::uint64_t mask = 0;
    // strace shows the address for a size the kernel would refuse.
    if (size == 0 || size > sizeof mask) {
        append_hex(out, address);
        return;
    }
    std::size_t want = static_cast<std::size_t>(size);
    if (read(address, &mask, want) != want) {
        append_hex(out, address);
        return;
    }
    append_sigmask(out, mask, want, style());
}

// {tv_sec=1, tv_nsec=2} / {tv_sec=1, tv_usec=2}: the same shape, one printer.
template <class Time, class Fraction>
void Ctx::time_at(std::uint64_t address, std::string_view fraction_name, Fraction fraction) {
    Time value{};
    if (!address) {
        out += "NULL";
    } else if (!fetch(address, value)) {
        append_hex(out, address);
    } else {
        out += "{tv_sec=";
        append_number(out, value.tv_sec);
        out += ", ";
        out += fraction_name;
        out += '=';
        // strace prints the fraction unsigned (tv_nsec=13464652301697220333).
        append_unsigned(out, static_cast<std::uint64_t>(fraction(value)));
        out += '}';
    }
}

void Ctx::timespec_at(std::uint64_t address) {
    time_at<timespec>(address, "tv_nsec", [](const timespec& t) { return t.tv_nsec; });
}

void Ctx::timeval_at(std::uint64_t address) {
    time_at<timeval>(address, "tv_usec", [](const timeval& t) { return t.tv_usec; });
}

// "[3 4]" for the fds set among the first `nfds`.
void Ctx::fd_set_at(std::uint64_t address, int nfds) {
    if (!address) {
        out += "NULL";
        return;
    }
    if (nfds < 0) {  // strace: the kernel rejects it, the set is not read
        append_hex(out, address);
        return;
    }
    int limit = std::clamp(nfds, 0, 65536);
    std::size_t words = (static_cast<std::size_t>(limit) + 63) / 64;
    std::vector<std::uint64_t> bits(words);
    if (words && read(address, bits.data(), words * 8) != words * 8) {
        append_hex(out, address);
        return;
    }
    out += '[';
    bool first = true;
    for (int fd = 0; fd < limit; ++fd) {
        if (!(bits[fd / 64] & (std::uint64_t{1} << (fd % 64)))) continue;
        if (!first) out += ' ';
        first = false;
        append_number(out, fd);
    }
    out += ']';
}

void Ctx::epoll_event_value(const epoll_event& event) {
    out += "{events=";
    flags(event.events, xlat::epoll_events());
    out += ", data={u32=";
    append_unsigned(out, static_cast<std::uint32_t>(event.data.u64));
    out += ", u64=";
    append_unsigned(out, event.data.u64);
    out += "}}";
}

// {msg_name=..., msg_namelen=N, msg_iov=[...], msg_iovlen=N, msg_control=[...],
// msg_controllen=N, msg_flags=...}; `data` as for iovec_array.
void Ctx::msghdr(std::uint64_t address, std::int64_t data) {
    struct ::msghdr header {};
    if (!fetch(address, header)) {
        append_pointer(out, address);
        return;
    }
    out += "{msg_name=";
    sockaddr(reinterpret_cast<std::uint64_t>(header.msg_name), header.msg_namelen);
    out += ", msg_namelen=";
    append_unsigned(out, header.msg_namelen);
    out += ", msg_iov=";
    iovec_array(reinterpret_cast<std::uint64_t>(header.msg_iov), header.msg_iovlen, data);
    out += ", msg_iovlen=";
    append_unsigned(out, header.msg_iovlen);
    auto control = reinterpret_cast<std::uint64_t>(header.msg_control);
    if (control && header.msg_controllen) {
        out += ", msg_control=";
        std::size_t size = std::min<std::size_t>(header.msg_controllen, kMaxControl);
        std::vector<unsigned char> bytes(size);
        if (read(control, bytes.data(), size) != size) {
            append_hex(out, control);
        } else {
            out += '[';
            std::size_t offset = 0;
            bool first = true;
            constexpr std::size_t kHeader = CMSG_ALIGN(sizeof(cmsghdr));
            while (offset + sizeof(cmsghdr) <= size) {
                cmsghdr cmsg;
                ::memcpy(&cmsg, bytes.data() + offset, sizeof cmsg);
                if (cmsg.cmsg_len < sizeof(cmsghdr)) break;
                if (!first) out += ", ";
                first = false;
                out += "{cmsg_len=";
                append_unsigned(out, cmsg.cmsg_len);
                out += ", cmsg_level=";
                enumeration(static_cast<std::uint32_t>(cmsg.cmsg_level), xlat::socket_levels());
                out += ", cmsg_type=";
                std::size_t data_length = std::min<std::size_t>(cmsg.cmsg_len, size - offset);
                data_length = data_length > kHeader ? data_length - kHeader : 0;
                const unsigned char* payload = bytes.data() + offset + kHeader;
                if (cmsg.cmsg_level == SOL_SOCKET && cmsg.cmsg_type == SCM_RIGHTS) {
                    out += "SCM_RIGHTS, cmsg_data=[";
                    for (std::size_t i = 0; i + sizeof(int) <= data_length; i += sizeof(int)) {
                        int fd;
                        ::memcpy(&fd, payload + i, sizeof fd);
                        if (i) out += ", ";
                        append_number(out, fd);
                    }
                    out += ']';
                } else if (cmsg.cmsg_level == SOL_SOCKET && cmsg.cmsg_type == SCM_CREDENTIALS &&
                           data_length >= sizeof(ucred)) {
                    ucred credentials;
                    ::memcpy(&credentials, payload, sizeof credentials);
                    out += "SCM_CREDENTIALS, cmsg_data={pid=";
                    append_number(out, credentials.pid);
                    out += ", uid=";
                    append_unsigned(out, credentials.uid);
                    out += ", gid=";
                    append_unsigned(out, credentials.gid);
                    out += '}';
                } else {
                    append_hex(out, static_cast<std::uint32_t>(cmsg.cmsg_type));
                }
                out += '}';
                offset += CMSG_ALIGN(cmsg.cmsg_len);
            }
            out += ']';
        }
    }
    out += ", msg_controllen=";
    append_unsigned(out, header.msg_controllen);
    out += ", msg_flags=";
    flags(static_cast<std::uint32_t>(header.msg_flags), xlat::message_flags());
    out += '}';
}

// ---- the decoders: called with entering == true, then false.

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

void decode_read(Ctx& c) { read_like(c, false); }
void decode_pread(Ctx& c) { read_like(c, true); }
void decode_write(Ctx& c) { write_like(c, false); }
void decode_pwrite(Ctx& c) { write_like(c, true); }

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

void decode_readv(Ctx& c) { readv_like(c, 0); }
void decode_preadv(Ctx& c) { readv_like(c, 1); }
void decode_preadv2(Ctx& c) { readv_like(c, 2); }
void decode_writev(Ctx& c) { writev_like(c, 0); }
void decode_pwritev(Ctx& c) { writev_like(c, 1); }
void decode_pwritev2(Ctx& c) { writev_like(c, 2); }

// vmsplice(fd, iov, nr_segs, flags): the iovecs as writev's, at entry.
void decode_vmsplice(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.iovec_array(c.arg(1), c.arg(2), -1);
    c.sep();
    c.ulong(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::splice_flags(), "0", "SPLICE_F_???");
}

// An output sockaddr with an in/out length pointer: "{...}, [128 => 16]".
void sockaddr_out(Ctx& c, int address_arg, int length_arg) {
    std::uint64_t address = c.arg(address_arg);
    std::uint64_t length_address = c.arg(length_arg);
    if (c.entering) {
        int length = 0;
        c.call.saved = c.fetch(length_address, length) ? static_cast<std::uint32_t>(length) : ~0ull;
        return;
    }
    int length = 0;
    bool have_length = c.fetch(length_address, length);
    if (c.failed() || !have_length)
        c.ptr(address_arg);
    else
        c.sockaddr(address,
                   std::min<std::uint64_t>(static_cast<std::uint32_t>(length), c.call.saved));
    c.sep();
    if (!length_address) {
        c.out += "NULL";
    } else if (c.call.saved == ~0ull) {
        append_hex(c.out, length_address);
    } else {
        c.out += '[';
        append_unsigned(c.out, c.call.saved);
        if (!c.failed() && have_length && static_cast<std::uint32_t>(length) != c.call.saved) {
            c.out += " => ";
            append_unsigned(c.out, static_cast<std::uint32_t>(length));
        }
        c.out += ']';
    }
}

void decode_recvfrom(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        sockaddr_out(c, 4, 5);
        return;
    }
    if (c.failed())
        c.ptr(1);
    else
        c.buffer(c.arg(1), static_cast<std::uint64_t>(c.ret()));
    c.sep();
    c.ulong(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::message_flags());
    c.sep();
    sockaddr_out(c, 4, 5);
}

void decode_sendto(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.buffer(c.arg(1), c.arg(2));
    c.sep();
    c.ulong(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::message_flags());
    c.sep();
    c.sockaddr(c.arg(4), static_cast<std::uint32_t>(c.arg(5)));
    c.sep();
    c.uint(5);
}

void decode_sendmsg(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.msghdr(c.arg(1), -1);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::message_flags());
}

void decode_recvmsg(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    if (c.failed())
        c.ptr(1);
    else
        c.msghdr(c.arg(1), c.ret());
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::message_flags());
}

// sendmmsg/recvmmsg: printed at exit, when msg_len is known.
void mmsg_like(Ctx& c, bool receiving) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    std::uint64_t address = c.arg(1);
    if (c.failed() || !address) {
        c.ptr(1);
    } else {
        std::uint64_t count =
            std::min<std::uint64_t>(static_cast<std::uint64_t>(c.ret()), kMaxShownItems);
        c.out += '[';
        for (std::uint64_t i = 0; i < count; ++i) {
            std::uint64_t item = address + i * sizeof(mmsghdr);
            unsigned length = 0;
            c.fetch(item + offsetof(mmsghdr, msg_len), length);
            if (i) c.out += ", ";
            c.out += "{msg_hdr=";
            c.msghdr(item, receiving ? static_cast<std::int64_t>(length) : -1);
            c.out += ", msg_len=";
            append_unsigned(c.out, length);
            c.out += '}';
        }
        if (static_cast<std::uint64_t>(c.ret()) > count) c.out += ", ...";
        c.out += ']';
    }
    c.sep();
    c.uint(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::message_flags());
    if (receiving) {
        c.sep();
        c.timespec_at(c.arg(4));
    }
}

void decode_sendmmsg(Ctx& c) { mmsg_like(c, false); }
void decode_recvmmsg(Ctx& c) { mmsg_like(c, true); }

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

void decode_poll(Ctx& c) {
    if (c.entering) {
        pollfds(c, false);
        c.sep();
        c.uint(1);
        c.sep();
        c.sint(2);
        return;
    }
    if (c.failed()) return;
    if (c.ret() == 0) {
        c.call.ret_extra = " (Timeout)";
        return;
    }
    c.call.ret_extra = " (";
    pollfds(c, true);
    c.call.ret_extra += ')';
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
    if (c.failed()) return;
    if (c.ret() == 0) {
        c.call.ret_extra = " (Timeout)";
        return;
    }
    c.call.ret_extra = " (";
    pollfds(c, true);
    if (c.arg(2)) {
        c.call.ret_extra += ", left ";
        std::swap(c.out, c.call.ret_extra);  // print the timespec into ret_extra
        c.timespec_at(c.arg(2));
        std::swap(c.out, c.call.ret_extra);
    }
    c.call.ret_extra += ')';
}

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

void decode_epoll_wait(Ctx& c) { epoll_wait_like(c, 0); }
void decode_epoll_pwait(Ctx& c) { epoll_wait_like(c, 1); }
void decode_epoll_pwait2(Ctx& c) { epoll_wait_like(c, 2); }

void decode_epoll_create1(Ctx& c) {
    if (c.entering) c.flags(static_cast<std::uint32_t>(c.arg(0)), xlat::epoll_create_flags());
}

void decode_accept(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
    }
    sockaddr_out(c, 1, 2);
}

void decode_accept4(Ctx& c) {
    decode_accept(c);
    if (c.entering) return;
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::socket_type_flags());
}

void decode_getsockname(Ctx& c) { decode_accept(c); }

void decode_connect(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.sockaddr(c.arg(1), static_cast<std::uint32_t>(c.arg(2)));
    c.sep();
    c.uint(2);
}

void decode_shutdown(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.enumeration(static_cast<std::uint32_t>(c.arg(1)), xlat::shutdown_modes());
}

void socket_option_name(Ctx& c, int level, int name) {
    if (level == SOL_SOCKET)
        c.enumeration(static_cast<std::uint32_t>(name), xlat::socket_options());
    else if (level == IPPROTO_TCP)
        c.enumeration(static_cast<std::uint32_t>(name), xlat::tcp_options());
    else
        append_number(c.out, name);
}

void decode_setsockopt(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.enumeration(static_cast<std::uint32_t>(c.arg(1)), xlat::socket_levels());
    c.sep();
    socket_option_name(c, c.int_arg(1), c.int_arg(2));
    c.sep();
    int value = 0;
    if (static_cast<std::uint32_t>(c.arg(4)) == sizeof(int) && c.fetch(c.arg(3), value)) {
        c.out += '[';
        append_number(c.out, value);
        c.out += ']';
    } else {
        c.ptr(3);
    }
    c.sep();
    c.uint(4);
}

void decode_getsockopt(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        c.enumeration(static_cast<std::uint32_t>(c.arg(1)), xlat::socket_levels());
        c.sep();
        socket_option_name(c, c.int_arg(1), c.int_arg(2));
        c.sep();
        return;
    }
    int length = 0;
    bool have_length = c.fetch(c.arg(4), length);
    int value = 0;
    if (!c.failed() && have_length && length == static_cast<int>(sizeof(int)) &&
        c.fetch(c.arg(3), value)) {
        c.out += '[';
        append_number(c.out, value);
        c.out += ']';
    } else {
        c.ptr(3);
    }
    c.sep();
    if (have_length) {
        c.out += '[';
        append_number(c.out, length);
        c.out += ']';
    } else {
        c.ptr(4);
    }
}

void decode_socket(Ctx& c) {
    if (!c.entering) return;
    int family = c.int_arg(0);
    c.enumeration(static_cast<std::uint32_t>(family), xlat::address_families());
    c.sep();
    std::uint32_t type = static_cast<std::uint32_t>(c.arg(1));
    c.enumeration(type & 0xf, xlat::socket_types());
    if (type & ~0xfu) {
        c.out += '|';
        c.flags(type & ~0xfu, xlat::socket_type_flags());
    }
    c.sep();
    std::uint32_t protocol = static_cast<std::uint32_t>(c.arg(2));
    if (family == AF_INET || family == AF_INET6)
        c.enumeration(protocol, xlat::ip_protocols());
    else if (family == AF_NETLINK)
        c.enumeration(protocol, xlat::netlink_protocols());
    else
        append_unsigned(c.out, protocol);
}

// "[3, 4]" written by pipe/pipe2/socketpair.
void fd_pair(Ctx& c, int i) {
    int fds[2] = {-1, -1};
    if (c.failed() || !c.fetch(c.arg(i), fds)) {
        c.ptr(i);
        return;
    }
    c.out += '[';
    append_number(c.out, fds[0]);
    c.out += ", ";
    append_number(c.out, fds[1]);
    c.out += ']';
}

void decode_socketpair(Ctx& c) {
    if (c.entering) {
        decode_socket(c);
        c.sep();
        return;
    }
    fd_pair(c, 3);
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

void flock_at(Ctx& c, int i, bool with_pid);  // below, with the other structs

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

void decode_open(Ctx& c) {
    if (!c.entering) return;
    c.path(c.arg(0));
    c.sep();
    c.open_flags(static_cast<std::uint32_t>(c.arg(1)));
    std::uint32_t flags = static_cast<std::uint32_t>(c.arg(1));
    if ((flags & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY)))) {
        c.sep();
        c.octal(2);
    }
}

void decode_openat(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    std::uint32_t flags = static_cast<std::uint32_t>(c.arg(2));
    c.open_flags(flags);
    if ((flags & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY)))) {
        c.sep();
        c.octal(3);
    }
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

// {it_interval={...}, it_value={...}}, or the address (strace: failed
// calls' outputs are addresses too).
void itimerspec_at(Ctx& c, std::uint64_t address, bool output) {
    itimerspec value{};
    if (!address) {
        c.out += "NULL";
        return;
    }
    if ((output && c.failed()) || !c.fetch(address, value)) {
        append_hex(c.out, address);
        return;
    }
    c.out += "{it_interval=";
    c.timespec_at(address + offsetof(itimerspec, it_interval));
    c.out += ", it_value=";
    c.timespec_at(address + offsetof(itimerspec, it_value));
    c.out += '}';
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

void decode_userfaultfd(Ctx& c) {
    if (c.entering) c.flags(static_cast<std::uint32_t>(c.arg(0)), xlat::open_flags());
}

void decode_memfd_create(Ctx& c) {
    if (!c.entering) return;
    c.path(c.arg(0));
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

// ---- memory

// "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE": the mapping type is a value, the
// rest bits, the huge page size a shifted count (strace's print_mmap_flags).
void mmap_flag_names(Ctx& c, std::uint64_t flags);
void mmap_flags(Ctx& c, std::uint64_t flags) {
    c.numbered(flags, [&] { mmap_flag_names(c, flags); });
}

void mmap_flag_names(Ctx& c, std::uint64_t flags) {
    c.enumeration(flags & MAP_TYPE, xlat::mmap_types(), true, "MAP_???");
    std::uint64_t rest = flags & ~std::uint64_t{MAP_TYPE};
    constexpr std::uint64_t kHugeMask = std::uint64_t{MAP_HUGE_MASK} << MAP_HUGE_SHIFT;
    std::uint64_t huge = rest & kHugeMask;
    rest &= ~kHugeMask;
    if (rest) {
        c.out += '|';
        c.flags(rest, xlat::mmap_flags());
    }
    if (huge) {
        c.out += '|';
        append_unsigned(c.out, huge >> MAP_HUGE_SHIFT);
        c.out += "<<MAP_HUGE_SHIFT";
    }
}

void protection(Ctx& c, int i) { c.flags(c.arg(i), xlat::mmap_prot(), "0", "PROT_???"); }

void decode_mmap(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.ulong(1);
    c.sep();
    protection(c, 2);
    c.sep();
    mmap_flags(c, c.arg(3));
    c.sep();
    c.fd(4);
    c.sep();
    c.hex(5);
}

void decode_mprotect(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.ulong(1);
    c.sep();
    protection(c, 2);
}

void decode_mremap(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.ulong(1);
    c.sep();
    c.ulong(2);
    c.sep();
    c.flags(c.arg(3), xlat::mremap_flags(), "0", "MREMAP_???");
    if ((c.arg(3) & (MREMAP_MAYMOVE | MREMAP_FIXED)) == (MREMAP_MAYMOVE | MREMAP_FIXED)) {
        c.sep();
        c.ptr(4);
    }
}

void decode_madvise(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.ulong(1);
    c.sep();
    c.enumeration(c.arg(2), xlat::madvise_advice(), true, "MADV_???");
}

// ---- files

void access_mode(Ctx& c, int i) {
    c.flags(static_cast<std::uint32_t>(c.arg(i)), xlat::access_modes(), "0", "?_OK");
}

void decode_access(Ctx& c) {
    if (!c.entering) return;
    c.path(c.arg(0));
    c.sep();
    access_mode(c, 1);
}

void decode_faccessat(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    access_mode(c, 2);
}

// faccessat2's flags are its own table: 0x200 is AT_EACCESS here, not
// AT_REMOVEDIR.
void decode_faccessat2(Ctx& c) {
    decode_faccessat(c);
    if (!c.entering) return;
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::faccessat_flags(), "0", "AT_???");
}

void at_flags(Ctx& c, int i) {
    c.flags(static_cast<std::uint32_t>(c.arg(i)), xlat::at_flags(), "0", "AT_???");
}

// "S_IFREG|S_ISUID|0755" (strace's print_symbolic_mode_t).
// -X raw: the octal number, "0100644"; verbose: "0100644 /* S_IFREG|0644 */".
void append_file_mode(std::string& out, std::uint32_t mode,
                      xlat::Style style = xlat::Style::abbrev) {
    if (style != xlat::Style::abbrev) {
        char number[16];
        std::snprintf(number, sizeof number, "%#03o", mode);
        out += number;
        if (style == xlat::Style::raw) return;
        out += " /* ";
        append_file_mode(out, mode);
        out += " */";
        return;
    }
    std::string_view type = xlat::find(mode & S_IFMT, xlat::file_types());
    char octal[16];
    if ((mode & S_IFMT) && type.empty()) {
        std::snprintf(octal, sizeof octal, "%#03o", mode);
        out += octal;
        return;
    }
    if (!type.empty()) {
        out += type;
        out += '|';
    }
    if (mode & S_ISUID) out += "S_ISUID|";
    if (mode & S_ISGID) out += "S_ISGID|";
    if (mode & S_ISVTX) out += "S_ISVTX|";
    std::snprintf(octal, sizeof octal, "%#03o", mode & ~(S_IFMT | S_ISUID | S_ISGID | S_ISVTX));
    out += octal;
}

// "makedev(0x1, 0x3)"
void append_device(std::string& out, std::uint64_t device,
                   xlat::Style style = xlat::Style::abbrev) {
    if (style != xlat::Style::abbrev) {  // -X raw: 0x103; verbose: 0x103 /* makedev(0x1, 0x3) */
        append_hex(out, device);
        if (style == xlat::Style::raw) return;
        out += " /* ";
        append_device(out, device);
        out += " */";
        return;
    }
    out += "makedev(";
    append_hex(out, major(device));
    out += ", ";
    append_hex(out, minor(device));
    out += ')';
}

// strace's comment after a time in seconds (sprinttime_nsec), local time:
// " /* 2026-11-29T20:07:10.425476507+0000 */"; nothing for 0.0 or a bad nsec.
void append_time_comment(std::string& out, std::int64_t sec, std::uint64_t nsec) {
    if ((sec == 0 && nsec == 0) || nsec > 999'999'999) return;
    time_t t = static_cast<time_t>(sec);
    struct tm local {};
    if (!::localtime_r(&t, &local)) return;
    char text[64];
    std::size_t n = ::strftime(text, sizeof text, "%FT%T", &local);
    if (n == 0) return;
    if (nsec > 0)
        n += static_cast<std::size_t>(std::snprintf(text + n, sizeof text - n, ".%09llu",
                                                    static_cast<unsigned long long>(nsec)));
    if (::strftime(text + n, sizeof text - n, "%z", &local) == 0) return;
    out += " /* ";
    out += text;
    out += " */";
}

// An output struct stat as strace prints it: without -v abbreviated,
// "{st_mode=S_IFREG|0644, st_size=41687, ...}" (st_rdev for devices); with
// -v every field, times with their date in a comment.
void stat_out(Ctx& c, int i) {
    struct ::stat st {};
    if (c.failed() || !c.fetch(c.arg(i), st)) {
        c.ptr(i);
        return;
    }
    const bool verbose = c.options().no_abbrev;
    c.out += '{';
    if (verbose) {
        c.out += "st_dev=";
        append_device(c.out, st.st_dev, c.style());
        c.out += ", st_ino=";
        append_unsigned(c.out, st.st_ino);
        c.out += ", ";
    }
    c.out += "st_mode=";
    append_file_mode(c.out, st.st_mode, c.style());
    if (verbose) {
        c.out += ", st_nlink=";
        append_unsigned(c.out, st.st_nlink);
        c.out += ", st_uid=";
        append_unsigned(c.out, st.st_uid);
        c.out += ", st_gid=";
        append_unsigned(c.out, st.st_gid);
        c.out += ", st_blksize=";
        append_unsigned(c.out, static_cast<std::uint64_t>(st.st_blksize));
        c.out += ", st_blocks=";
        append_unsigned(c.out, static_cast<std::uint64_t>(st.st_blocks));
    }
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        c.out += ", st_rdev=";
        append_device(c.out, st.st_rdev, c.style());
    } else {
        c.out += ", st_size=";
        append_number(c.out, st.st_size);
    }
    if (!verbose) {
        c.out += ", ...}";
        return;
    }
    const struct {
        std::string_view name;
        const timespec& time;
    } times[] = {{"st_atime", st.st_atim}, {"st_mtime", st.st_mtim}, {"st_ctime", st.st_ctim}};
    for (const auto& [name, time] : times) {
        c.out += ", ";
        c.out += name;
        c.out += '=';
        append_number(c.out, time.tv_sec);
        append_time_comment(c.out, time.tv_sec, static_cast<std::uint64_t>(time.tv_nsec));
        c.out += ", ";
        c.out += name;
        c.out += "_nsec=";
        append_unsigned(c.out, static_cast<std::uint64_t>(time.tv_nsec));
    }
    c.out += '}';
}

void decode_fstat(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    stat_out(c, 1);
}

void decode_stat(Ctx& c) {
    if (c.entering) {
        c.path(c.arg(0));
        c.sep();
        return;
    }
    stat_out(c, 1);
}

void decode_newfstatat(Ctx& c) {
    if (c.entering) {
        c.dirfd(0);
        c.sep();
        c.path(c.arg(1));
        c.sep();
        return;
    }
    stat_out(c, 2);
    c.sep();
    at_flags(c, 3);
}

void decode_statx(Ctx& c) {
    if (c.entering) {
        c.dirfd(0);
        c.sep();
        c.path(c.arg(1));
        c.sep();
        std::uint32_t flags = static_cast<std::uint32_t>(c.arg(2));
        // strace 6.1 -X raw prints nothing for a sync type of 0: "|0x900".
        if (c.style() != xlat::Style::raw || (flags & AT_STATX_SYNC_TYPE) || !flags)
            c.flags(flags & AT_STATX_SYNC_TYPE, xlat::statx_sync_types());
        if (flags & ~AT_STATX_SYNC_TYPE) {
            c.out += '|';
            c.flags(flags & ~AT_STATX_SYNC_TYPE, xlat::at_flags());
        }
        c.sep();
        c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::statx_masks(), "0", "STATX_???");
        c.sep();
        return;
    }
    struct ::statx stx {};
    if (c.failed() || !c.fetch(c.arg(4), stx)) {
        c.ptr(4);
        return;
    }
    // As strace: -v adds every field, in its order.
    const bool verbose = c.options().no_abbrev;
    auto field = [&](std::string_view name, std::uint64_t value) {
        c.out += ", ";
        c.out += name;
        c.out += '=';
        append_unsigned(c.out, value);
    };
    auto id = [&](std::string_view name, std::uint32_t value) {
        c.out += ", ";
        c.out += name;
        c.out += '=';
        if (value == ~std::uint32_t{0})
            c.out += "-1";
        else
            append_unsigned(c.out, value);
    };
    c.out += "{stx_mask=";
    c.flags(stx.stx_mask, xlat::statx_masks(), "0", "STATX_???");
    if (verbose) field("stx_blksize", stx.stx_blksize);
    c.out += ", stx_attributes=";
    c.flags(stx.stx_attributes, xlat::statx_attributes(), "0", "STATX_ATTR_???");
    if (verbose) {
        if (stx.stx_mask & STATX_NLINK) field("stx_nlink", stx.stx_nlink);
        if (stx.stx_mask & STATX_UID) id("stx_uid", stx.stx_uid);
        if (stx.stx_mask & STATX_GID) id("stx_gid", stx.stx_gid);
    }
    if (stx.stx_mask & (STATX_TYPE | STATX_MODE)) {
        c.out += ", stx_mode=";
        append_file_mode(c.out, stx.stx_mode, c.style());
    }
    if (verbose && (stx.stx_mask & STATX_INO)) field("stx_ino", stx.stx_ino);
    if (stx.stx_mask & STATX_SIZE) field("stx_size", stx.stx_size);
    if (!verbose) {
        c.out += ", ...}";
        return;
    }
    if (stx.stx_mask & STATX_BLOCKS) field("stx_blocks", stx.stx_blocks);
    c.out += ", stx_attributes_mask=";
    c.flags(stx.stx_attributes_mask, xlat::statx_attributes(), "0", "STATX_ATTR_???");
    const struct {
        unsigned bit;
        std::string_view name;
        const struct statx_timestamp& time;
    } times[] = {{STATX_ATIME, "stx_atime", stx.stx_atime},
                 {STATX_BTIME, "stx_btime", stx.stx_btime},
                 {STATX_CTIME, "stx_ctime", stx.stx_ctime},
                 {STATX_MTIME, "stx_mtime", stx.stx_mtime}};
    for (const auto& [bit, name, time] : times) {
        if (!(stx.stx_mask & bit)) continue;
        c.out += ", ";
        c.out += name;
        c.out += "={tv_sec=";
        append_number(c.out, time.tv_sec);
        c.out += ", tv_nsec=";
        append_unsigned(c.out, time.tv_nsec);
        c.out += '}';
        append_time_comment(c.out, time.tv_sec, time.tv_nsec);
    }
    field("stx_rdev_major", stx.stx_rdev_major);
    field("stx_rdev_minor", stx.stx_rdev_minor);
    field("stx_dev_major", stx.stx_dev_major);
    field("stx_dev_minor", stx.stx_dev_minor);
#ifdef STATX_MNT_ID
    if (stx.stx_mask & STATX_MNT_ID) {
        c.out += ", stx_mnt_id=";
        append_hex(c.out, stx.stx_mnt_id);
    }
#endif
    c.out += '}';
}

// readlink/readlinkat: the link's text (not NUL-terminated) at exit.
void readlink_like(Ctx& c, int path_arg) {
    if (c.entering) {
        if (path_arg) {
            c.dirfd(0);
            c.sep();
        }
        c.path(c.arg(path_arg));
        c.sep();
        return;
    }
    if (c.failed())
        c.ptr(path_arg + 1);
    else
        c.buffer(c.arg(path_arg + 1), static_cast<std::uint64_t>(c.ret()));
    c.sep();
    c.ulong(path_arg + 2);
}

void decode_readlink(Ctx& c) { readlink_like(c, 0); }
void decode_readlinkat(Ctx& c) { readlink_like(c, 1); }

void decode_getcwd(Ctx& c) {
    if (c.entering) return;
    if (c.failed())
        c.ptr(0);
    else
        c.path(c.arg(0));
    c.sep();
    c.ulong(1);
}

// getdents/getdents64: strace without -v counts the entries.
void decode_getdents(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    c.ptr(1);
    std::uint64_t length = static_cast<std::uint64_t>(c.ret());
    if (!c.failed() && length <= static_cast<std::uint32_t>(c.arg(2))) {
        // d_reclen sits after d_ino and d_off in both layouts (64-bit longs).
        constexpr std::size_t kReclenOffset = 16;
        constexpr std::size_t kHeader = 19;  // d_ino, d_off, d_reclen, d_type
        std::uint64_t offset = 0;
        unsigned count = 0;
        while (length - offset >= kHeader && count < (1u << 20)) {
            std::uint16_t reclen = 0;
            if (!c.fetch(c.arg(1) + offset + kReclenOffset, reclen)) break;
            ++count;
            if (reclen < kHeader) reclen = kHeader;
            if (reclen > length - offset) break;
            offset += reclen;
        }
        c.out += " /* ";
        append_unsigned(c.out, count);
        if (offset < length) c.out += '+';  // bytes left that are no whole entry
        c.out += " entries */";
    }
    c.sep();
    c.uint(2);
}

// getxattr/lgetxattr/fgetxattr: the value read, at exit, without the
// trailing NUL a string value carries (strace's QUOTE_OMIT_TRAILING_0).
void getxattr_like(Ctx& c, bool by_fd) {
    if (c.entering) {
        if (by_fd)
            c.fd(0);
        else
            c.path(c.arg(0));
        c.sep();
        c.path(c.arg(1));
        c.sep();
        return;
    }
    std::uint64_t size = static_cast<std::uint64_t>(c.ret());
    if (c.failed() || size > kMaxXattrSize) {
        c.ptr(2);
    } else {
        char last = 1;
        if (size && c.arg(2) && !c.fetch(c.arg(2) + size - 1, last)) last = 1;
        c.buffer(c.arg(2), last == '\0' ? size - 1 : size);
    }
    c.sep();
    c.ulong(3);
}

void decode_getxattr(Ctx& c) { getxattr_like(c, false); }
void decode_fgetxattr(Ctx& c) { getxattr_like(c, true); }

// statfs(path, buf): the struct is not decoded yet; its address, as strace
// shows it when the call fails.
void decode_statfs(Ctx& c) {
    if (c.entering) {
        c.path(c.arg(0));
        c.sep();
        return;
    }
    c.ptr(1);
}

// creat's mode is a umode_t (unsigned short), printed %#03o as strace's
// print_numeric_umode_t.
void decode_creat(Ctx& c) {
    if (!c.entering) return;
    c.path(c.arg(0));
    c.sep();
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%#03o",
                  static_cast<unsigned>(static_cast<std::uint16_t>(c.arg(1))));
    c.out += buffer;
}

// A loff_t in memory: "[N]" (signed, or unsigned as sendfile's), or the
// pointer when unreadable, NULL when null. False when not read.
bool loff_at(Ctx& c, std::uint64_t address, bool is_unsigned) {
    std::int64_t value = 0;
    if (!address) {
        c.out += "NULL";
        return false;
    }
    if (!c.fetch(address, value)) {
        append_hex(c.out, address);
        return false;
    }
    c.out += '[';
    if (is_unsigned)
        append_unsigned(c.out, static_cast<std::uint64_t>(value));
    else
        append_number(c.out, value);
    c.out += ']';
    return true;
}

// splice(fd_in, off_in, fd_out, off_out, len, flags) and copy_file_range.
void splice_like(Ctx& c, bool splice) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    loff_at(c, c.arg(1), false);
    c.sep();
    c.fd(2);
    c.sep();
    loff_at(c, c.arg(3), false);
    c.sep();
    c.ulong(4);
    c.sep();
    if (splice)
        c.flags(static_cast<std::uint32_t>(c.arg(5)), xlat::splice_flags(), "0", "SPLICE_F_???");
    else
        c.uint(5);
}
void decode_splice(Ctx& c) { splice_like(c, true); }
void decode_copy_file_range(Ctx& c) { splice_like(c, false); }

void decode_tee(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.fd(1);
    c.sep();
    c.ulong(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::splice_flags(), "0", "SPLICE_F_???");
}

void decode_fallocate(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::falloc_flags(), "0", "FALLOC_FL_???");
    c.sep();
    c.slong(2);
    c.sep();
    c.slong(3);
}

// sendfile(out, in, offset, count): the offset before, and " => [N]" after
// a call that moved it, as strace's sendfile.c.
void decode_sendfile(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        c.fd(1);
        c.sep();
        if (!loff_at(c, c.arg(2), true)) {
            c.sep();
            c.ulong(3);
            c.call.saved = 1;  // all printed at entry
        }
        return;
    }
    if (c.call.saved) return;
    if (!c.failed() && c.ret() != 0) {
        c.out += " => ";
        loff_at(c, c.arg(2), true);
    }
    c.sep();
    c.ulong(3);
}

void decode_fadvise64(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.slong(1);
    c.sep();
    c.ulong(2);
    c.sep();
    c.enumeration(static_cast<std::uint32_t>(c.arg(3)), xlat::fadvise_advice(), true,
                  "POSIX_FADV_???");
}

void decode_flock(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::flock_operations(), "0", "LOCK_???");
}

// ---- processes and signals

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
    rusage usage{};
    if (c.ret() <= 0 || !c.fetch(c.arg(3), usage)) {
        c.ptr(3);
        return;
    }
    c.out += "{ru_utime=";
    append_timeval(c.out, usage.ru_utime);
    c.out += ", ru_stime=";
    append_timeval(c.out, usage.ru_stime);
    c.out += ", ...}";
}

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
                return;  // outputs, at exit
            case TIOCSPGRP:
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
            c.sep();
            int_at(2);
            return;
        default:
            return;
    }
}

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

// Calls without a decoder of their own print as many raw arguments as they
// take: the syscall table's arg_count (strace's syscallent nargs), else six.
int arity(std::string_view name) {
    const SyscallSignature* row = find_syscall_row(name);
    return row && row->arg_count >= 0 ? row->arg_count : 6;
}

// Arguments all read at entry, one letter each:
//   f fd   d dirfd   i int   l long   u unsigned   x hex   p pointer
//   s path   o octal mode   w lseek whence   g signal   a AT_* flags   O open flags
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
    call("wait4", decode_wait4),        call("nanosleep", decode_nanosleep),
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

bool has_decoder(std::string_view name) noexcept { return find_decoder(name) != nullptr; }

namespace {

// Calls nobody taught us: their arguments in hex, as strace prints a call
// it has no decoder for; as many as the call takes when the syscall table knows it,
// all six registers otherwise.
const CallDecoder kGenericDecoder = spec("", "xxxxxx");

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

void append_siginfo(std::string& out, const siginfo_t& info, XlatStyle style) {
    out += "{si_signo=";
    out += xlat::signal_name(info.si_signo, style);
    out += ", si_code=";
    auto code = static_cast<std::uint64_t>(static_cast<std::int64_t>(info.si_code));
    std::string_view name;
    if (info.si_signo == SIGCHLD && info.si_code > 0) name = xlat::find(code, xlat::child_codes());
    if (name.empty()) name = xlat::find(code, xlat::signal_codes());
    if (style != XlatStyle::abbrev) {  // strace prints si_code with printxval: hex
        append_hex(out, static_cast<std::uint32_t>(info.si_code));
        if (style == XlatStyle::verbose && !name.empty()) out += " /* " + std::string(name) + " */";
    } else if (!name.empty()) {
        out += name;
    } else {
        append_number(out, info.si_code);
    }
    bool from_process =
        info.si_code == SI_USER || info.si_code == SI_TKILL || info.si_code == SI_QUEUE;
    if (info.si_signo == SIGCHLD && info.si_code > 0) {
        out += ", si_pid=";
        append_number(out, info.si_pid);
        out += ", si_uid=";
        append_unsigned(out, info.si_uid);
        out += ", si_status=";
        if (info.si_code == CLD_EXITED)
            append_number(out, info.si_status);
        else
            out += xlat::signal_name(info.si_status, style);
        out += ", si_utime=";
        append_clock_ticks(out, static_cast<std::int64_t>(info.si_utime), style);
        out += ", si_stime=";
        append_clock_ticks(out, static_cast<std::int64_t>(info.si_stime), style);
    } else if (from_process) {
        out += ", si_pid=";
        append_number(out, info.si_pid);
        out += ", si_uid=";
        append_unsigned(out, info.si_uid);
        if (info.si_code == SI_QUEUE) {
            out += ", si_int=";
            append_number(out, info.si_int);
        }
    } else if ((info.si_signo == SIGSEGV || info.si_signo == SIGBUS || info.si_signo == SIGILL ||
                info.si_signo == SIGFPE) &&
               info.si_code > 0) {
        out += ", si_addr=";
        append_pointer(out, reinterpret_cast<std::uint64_t>(info.si_addr));
    }
    out += '}';
}

void SyscallDecoder::enter(SyscallCall& call, MemoryReader& memory) const {
    call.text.clear();
    call.ret_extra.clear();
    call.ret_hex = false;
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
