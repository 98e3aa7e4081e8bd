// Reading strace's own -y/-yy fd annotations ("<TCP:[1.2.3.4:5->6.7.8.9:80]>",
// "</etc/passwd>", "<pipe:[1234]>") as FdIdentity: logs that already carry
// them keep theirs, and fdtrace's own scoring compares against them.
#pragma once

#include <optional>
#include <string_view>

#include "fdtrace/fd_identity.h"

namespace fdtrace {

// Where strace puts the "(deleted)" of an unlinked file: outside the
// brackets since 5.19 ("</tmp/x>(deleted)"), inside before ("</tmp/x
// (deleted)>", the kernel's link text as it reads). Inside also accepts
// outside; with Outside, " (deleted)" inside is part of the name.
enum class DeletedMarker : std::uint8_t { Inside, Outside };

// `annotation` is the text from '<' to the matching '>', optionally followed
// by "(deleted)". nullopt if it is not an annotation strace prints.
std::optional<FdIdentity> parse_yy_annotation(std::string_view annotation,
                                              DeletedMarker marker = DeletedMarker::Inside);

}  // namespace fdtrace
