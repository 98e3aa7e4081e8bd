// strace's -X / --xlat-verbosity: how a named constant (a flag set, an enum
// value, a signal, AT_FDCWD) is printed.
#pragma once

namespace fdtrace {

// abbrev (strace's default): the name, "O_RDONLY|O_CLOEXEC".
// raw: the number only, flag sets and enums in hex ("0x80000"), signals and
//      AT_FDCWD in decimal ("10", "-100"), as strace 6.1 -X raw.
// verbose: the number and the name in a comment, "0x80000 /* O_RDONLY|O_CLOEXEC */".
enum class XlatStyle { abbrev, raw, verbose };

}  // namespace fdtrace
