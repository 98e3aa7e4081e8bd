// A filter on what an fd is, for showing only the calls on some fds:
// fdtrace's --fd-filter (by identity) and strace 6.3's --trace-fds (by number).
//
//   3,5-7            fd numbers (--trace-fds)
//   tcp  udp  unix  pipe  file ...   a kind (tcp and udp include their IPv6 forms)
//   tcp:443  udp:53  tcp:https       an inet kind with that port, local or remote
//   unix:/run/*.sock                 a kind with a path matching a glob (fnmatch)
//   /var/log/*                       any fd whose path matches the glob
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fdtrace/fd_identity.h"

namespace fdtrace {

class FdFilter {
  public:
    // A filter, or a one-line reason why `text` is not one.
    static std::variant<FdFilter, std::string> parse(std::string_view text);
    // --trace-fds=SET: fd numbers and ranges ("3,5-7"); or a reason.
    static std::variant<FdFilter, std::string> parse_numbers(std::string_view text);
    // Whether fd `fd`, which is `identity` (null: not known), passes.
    bool matches(int fd, const FdIdentity* identity) const;

  private:
    std::vector<std::pair<int, int>> fd_ranges_;  // inclusive
    std::optional<FdKind> kind_;
    bool inet_any_ = false;  // "tcp" also means tcp6, "udp" udp6
    std::optional<int> port_;
    std::string glob_;  // on the fd's path
};

}  // namespace fdtrace
