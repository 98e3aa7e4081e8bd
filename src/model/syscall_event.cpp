#include "fdtrace/syscall_event.h"

namespace fdtrace {

std::string_view event_kind_name(EventKind kind) noexcept {
    switch (kind) {
        case EventKind::Syscall:
            return "syscall";
        case EventKind::Signal:
            return "signal";
        case EventKind::Exit:
            return "exit";
        case EventKind::Other:
            return "other";
        case EventKind::Unparsed:
            break;
    }
    return "unparsed";
}

std::string_view fd_role_name(FdRole role) noexcept {
    switch (role) {
        case FdRole::Arg:
            return "arg";
        case FdRole::Ret:
            return "ret";
        case FdRole::Pollfd:
            return "pollfd";
        case FdRole::Select:
            return "select";
        case FdRole::Epoll:
            return "epoll";
        case FdRole::ScmRights:
            return "scm_rights";
        case FdRole::Pair:
            return "pair";
    }
    return "arg";
}

}  // namespace fdtrace
