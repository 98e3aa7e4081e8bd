// The decoders' shared state and printers: private to src/trace.
#pragma once

#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fdtrace/syscall_decoder.h"
#include "src/trace/xlat.h"

namespace fdtrace {

namespace decode {
class Ctx;
}  // namespace decode
using DecodeFn = void (*)(decode::Ctx&);

// How one syscall is printed: a function called at entry and at exit, or a
// one-letter-per-argument spec for calls whose arguments are all inputs.
struct CallDecoder {
    std::string_view name;
    DecodeFn decode = nullptr;
    std::string_view spec;  // used when decode is null
    bool ret_hex = false;
};

namespace decode {

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

inline void append_number(std::string& out, std::int64_t value) { out += std::to_string(value); }
inline void append_unsigned(std::string& out, std::uint64_t value) { out += std::to_string(value); }

inline void append_hex(std::string& out, std::uint64_t value) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%#llx", static_cast<unsigned long long>(value));
    out += buffer;
}

// "%#03o": "000", "0644".
inline void append_octal(std::string& out, std::uint64_t value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%#03llo", static_cast<unsigned long long>(value));
    out += buffer;
}

inline void append_pointer(std::string& out, std::uint64_t value) {
    if (value == 0)
        out += "NULL";
    else
        append_hex(out, value);
}

// "O_RDONLY|O_CLOEXEC"; the access mode is an enum inside the flag set.
inline void append_open_flags(std::string& out, std::uint64_t value, xlat::Style style) {
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

// "[INT TERM]", or "~[RTMIN RT_1]" (decode_context.cpp).
void append_sigmask(std::string& out, std::uint64_t mask, std::size_t bytes,
                    xlat::Style style = xlat::Style::abbrev);

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
    // An int or unsigned int argument: strace prints the low 32 bits.
    void hex32(int i) { append_hex(out, static_cast<std::uint32_t>(arg(i))); }
    // uid_t/gid_t: -1 as "-1", any other value unsigned (strace's printuid).
    void uid(int i) {
        auto id = static_cast<std::uint32_t>(arg(i));
        if (id == static_cast<std::uint32_t>(-1))
            out += "-1";
        else
            append_unsigned(out, id);
    }
    void ptr(int i) { append_pointer(out, arg(i)); }
    // A mode_t argument: the kernel takes a umode_t, so strace prints the
    // low 16 bits (print_numeric_umode_t).
    void octal(int i) { append_octal(out, static_cast<std::uint16_t>(arg(i))); }
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
        // Unreadable before its NUL: the pointer, as strace's umovestr
        // failing (a string cut at kMaxPath is printed, "..." after).
        if (!terminated && text.size() < kMaxPath) {
            append_hex(out, address);
            return;
        }
        append_quoted(out, text, !terminated, options_.hex_strings);
    }

    // A NUL-terminated string that is data, not a path (argv): at most -s
    // bytes of it shown, "..." after when it goes on; at most `max_length`
    // bytes of it read (strace's printstr_ex with QUOTE_0_TERMINATED).
    void cstring(std::uint64_t address, std::uint64_t max_length = UINT64_MAX) {
        if (!address) {
            out += "NULL";
            return;
        }
        std::string text;
        bool terminated = false;
        std::size_t limit = options_.string_limit;
        const std::size_t fetch = static_cast<std::size_t>(
            std::min<std::uint64_t>(max_length, static_cast<std::uint64_t>(limit) + 1));
        char chunk[256];
        while (text.size() < fetch) {
            // Up to the end of the page, so a string near unmapped memory is still found.
            std::size_t room = 4096 - ((address + text.size()) % 4096);
            std::size_t want = std::min({sizeof chunk, room, fetch - text.size()});
            std::size_t got = read(address + text.size(), chunk, want);
            if (got == 0) break;
            const char* nul = static_cast<const char*>(::memchr(chunk, 0, got));
            text.append(chunk, nul ? static_cast<std::size_t>(nul - chunk) : got);
            if (nul) {
                terminated = true;
                break;
            }
        }
        // Unreadable before its NUL or the end of what is read: the pointer.
        if (!terminated && text.size() < fetch) {
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
        // A count whose array would wrap the address space: the pointer.
        std::uint64_t size = count * sizeof(iovec);
        if (count && (size / sizeof(iovec) != count || address + size <= address)) {
            append_hex(out, address);
            return;
        }
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
    void msghdr(std::uint64_t address, std::int64_t data,
                const std::uint32_t* entry_namelen = nullptr);
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

}  // namespace decode
}  // namespace fdtrace
