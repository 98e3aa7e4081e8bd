// Reading strace's own -y/-yy fd annotations ("<TCP:[1.2.3.4:5->6.7.8.9:80]>",
// "</etc/passwd>", "<pipe:[1234]>") as FdIdentity: logs that already carry
// them keep theirs, and fdtrace's own scoring compares against them.
#pragma once

#include <optional>
#include <string_view>

#include "fdtrace/fd_identity.h"

namespace fdtrace {

// `annotation` is the text from '<' to the matching '>', optionally followed
// by "(deleted)". nullopt if it is not an annotation strace prints.
std::optional<FdIdentity> parse_yy_annotation(std::string_view annotation);

}  // namespace fdtrace
