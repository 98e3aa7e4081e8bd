// strace's syscall classes for -e trace=%CLASS, read off the one syscall
// table (parsers/syscall_table.cpp), where each row carries its class bits
// as strace's syscallent tables carry flags. The names are those of every
// architecture strace knows; one that is not a syscall here matches nothing.
#pragma once

#include <span>
#include <string_view>

namespace fdtrace {

// The calls of class `name` ("%file", "%process", ..., also strace's bare
// spellings "file", "process", ...); empty if `name` is not a class. %desc,
// %fd, %network and %default are not here: they come from the fd syscall
// table (every call that takes or makes an fd).
std::span<const std::string_view> syscall_class(std::string_view name) noexcept;

// Every class name syscall_class() knows, for messages and tests.
std::span<const std::string_view> syscall_class_names() noexcept;

// strace's %network (the socket calls, socketcall's send/recv included).
bool is_network_call(std::string_view name) noexcept;

}  // namespace fdtrace
