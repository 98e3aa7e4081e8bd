// SyscallDecoder: a syscall's registers and the tracee's memory -> strace's
// text for it, "read(3, \"abc\", 5) = 3". That text then goes through the same
// parser, fd-site finder and renderers as a strace log, so the live tracer
// and `annotate` share every annotation rule.
//
// Input arguments (paths, buffers being written, addresses being connected
// to) are read at syscall entry; outputs (buffers read, returned addresses,
// pipe fds, poll results) at exit. Everything read from the tracee is quoted
// and escaped as strace does (octal escapes), so it can never carry control
// characters to a terminal. Structure layouts are those of the native LP64
// ABI.
#pragma once

#include <signal.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fdtrace/xlat_style.h"

namespace fdtrace {

// Reads the traced process's memory; fewer bytes than asked (0 for an
// unreadable address) is a normal answer.
class MemoryReader {
  public:
    virtual ~MemoryReader() = default;
    virtual std::size_t read(std::uint64_t address, void* buffer, std::size_t length) = 0;
};

struct DecodeOptions {
    std::size_t string_limit = 32;  // -s: bytes of data shown per buffer
    // -x: a string with a byte that is not printable is shown all in \xNN;
    // -xx: every string is (strace's -x / -xx).
    int hex_strings = 0;
    // -v (--no-abbrev): arrays printed whole; otherwise, as strace, at most
    // string_limit elements of an array, then "...".
    bool no_abbrev = false;
    // -X: named constants as names, numbers, or both (fdtrace/xlat_style.h).
    XlatStyle xlat = XlatStyle::abbrev;
};

struct CallDecoder;  // the per-syscall formatter (syscall_decoder.cpp)

// One syscall in flight on one task.
struct SyscallCall {
    long nr = -1;
    std::string_view name;  // owned by SyscallNames; empty: unknown number
    std::array<std::uint64_t, 6> args{};
    std::uint64_t stack_pointer = 0;  // at entry (rt_sigreturn reads its frame there)
    std::int64_t ret = 0;
    // restart_syscall: the name of the call being resumed, if known.
    std::string_view resuming;

    // Decoder state between entry and exit.
    const CallDecoder* decoder = nullptr;
    std::string text;       // arguments printed so far
    std::string ret_extra;  // printed after the return value: " (flags O_RDWR)"
    bool ret_hex = false;
    bool ret_octal = false;   // umask: "= 022"
    std::uint64_t saved = 0;  // a value an output argument needs from entry
};

class SyscallDecoder {
  public:
    explicit SyscallDecoder(DecodeOptions options) : options_(options) {}

    // Prints the input arguments (call.nr, name and args must be set).
    void enter(SyscallCall& call, MemoryReader& memory) const;
    // Prints the outputs; appends "name(args) = RET..." to `out`. Returns
    // where in `out` the ") = " begins (strace pads after its ") ").
    std::size_t exit(SyscallCall& call, MemoryReader& memory, std::string& out) const;
    // Appends what strace prints at entry: "name(" and the input arguments
    // ("read(3, "); exit() output always starts with exactly this text.
    void entry(const SyscallCall& call, std::string& out) const;
    // A call that never returned (its task died in it), as strace 6 prints
    // it: "read(3,  <unfinished ...>) = ?" when the decoder had more to print
    // at exit, "exit_group(0) = ?" when entry said everything.
    // Returns where in `out` the ") = ?" begins.
    std::size_t unfinished(const SyscallCall& call, std::string& out) const;

    const DecodeOptions& options() const noexcept { return options_; }

  private:
    DecodeOptions options_;
};

// Whether a raw return value is an error (-4095..-1, as the kernel returns them).
// True when the decoder prints `name`'s arguments by type (a decoder of its
// own, or the syscall table's printed_as letters); false when it would fall
// back to raw registers, as strace does for a call it does not know.
bool has_decoder(std::string_view name) noexcept;

bool is_error_return(std::int64_t ret) noexcept;

// "= -1 ENOENT (No such file or directory)" and friends: the text after
// "= " for a raw return value (restart codes as "? ERESTARTSYS (...)").
void append_return_value(std::string& out, std::int64_t ret, bool hex = false);

// "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, ...}"; with -X raw
// "{si_signo=17, si_code=0x1, ...}", verbose "{si_signo=17 /* SIGCHLD */, ...}".
void append_siginfo(std::string& out, const siginfo_t& info, XlatStyle style = XlatStyle::abbrev);

// A C string literal in strace's style: quotes, \n \t \" \\ and octal
// escapes for everything not printable ASCII; "..." appended if `more`.
// `hex_strings` as in DecodeOptions (1: \xNN throughout when a byte needs
// an escape other than \n \t ...; 2: \xNN throughout always).
void append_quoted(std::string& out, std::string_view bytes, bool more = false,
                   int hex_strings = 0);

}  // namespace fdtrace
