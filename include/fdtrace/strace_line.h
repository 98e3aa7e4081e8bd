// Parsing one line of strace output into a SyscallEvent.
//
// Pure functions over string_view: no allocation, no I/O, never throw. A line
// that does not look like strace output comes back as EventKind::Unparsed and
// the caller passes it through untouched.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "fdtrace/syscall_event.h"

namespace fdtrace {

// Parses prefix ([pid N] / PID / time), body and suffix (= RET <DUR>).
// `default_pid` is used when the line carries no pid (single-process logs,
// or -ff files where the pid is in the file name).
SyscallEvent parse_strace_line(std::string_view line, int default_pid = 0) noexcept;

// The start of a call line, without reading its arguments: the pid (from
// the leader, else `default_pid`), the name and where the arguments begin.
// A resumed call ("<... NAME resumed>") too, with `resumed` set. nullopt for
// anything but "NAME(" or "<... NAME resumed>" after the leader (signals,
// exits, strace's messages). For a quick look before a full parse.
struct CallHead {
    int pid = 0;
    std::string_view name;
    std::size_t args_start = 0;  // index in the line just after '(' (or "resumed>")
    bool resumed = false;
};
std::optional<CallHead> parse_call_head(std::string_view line, int default_pid = 0) noexcept;

// strace's "Process N attached" message (any version, any prefix): N.
std::optional<int> attached_task(std::string_view line) noexcept;

// The calls that make a task: clone, clone3, fork, vfork (by name).
bool is_clone_call(std::string_view name) noexcept;

// The index one past the bracket/brace/paren that closes the group opened
// just before `pos`, honouring quoted strings; npos if the text ends first.
// Scanning starts at depth 1.
std::size_t find_group_end(std::string_view text, std::size_t pos) noexcept;

// Skips a C string literal starting at text[pos] == '"'; returns the index
// one past the closing quote, or text.size() if it is unterminated.
std::size_t skip_quoted(std::string_view text, std::size_t pos) noexcept;

// Parses a decimal (or 0x hex) integer, optionally negative, that spans all
// of `text`.
std::optional<std::int64_t> parse_integer(std::string_view text) noexcept;

// Length of the leading run of decimal digits.
std::size_t digit_run(std::string_view text) noexcept;

}  // namespace fdtrace
