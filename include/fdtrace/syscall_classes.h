// strace's syscall classes for -e trace=%CLASS: which calls each class
// holds, as data (strace keeps them as flags in its syscallent tables). The
// names are those of every architecture strace knows; a name that is not a
// syscall here (another ABI's) simply matches nothing.
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

}  // namespace fdtrace
