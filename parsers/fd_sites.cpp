#include "fdtrace/fd_sites.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>

#include <algorithm>

#include "fdtrace/strace_args.h"
#include "fdtrace/strace_line.h"

namespace fdtrace {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Collects sites for one event; positions are given in `args` coordinates or
// directly as line offsets.
class SiteCollector {
  public:
    SiteCollector(std::string_view line, std::string_view args, std::int64_t args_base,
                  SyscallEvent& event)
        : line_(line), args_(args), args_base_(args_base), event_(event) {}

    // A number at line offset `offset` with `digits` digits.
    void add_at_line(std::int64_t offset, std::size_t digits, FdRole role) {
        if (offset < event_.args_offset && event_.resumed && role != FdRole::Ret) return;
        if (offset < 0 ||
            offset + static_cast<std::int64_t>(digits) > static_cast<std::int64_t>(line_.size()))
            return;
        FdSite site;
        site.offset = static_cast<std::uint32_t>(offset);
        site.length = static_cast<std::uint32_t>(digits);
        add(site, line_, site.offset, role);
    }

    void add_in_args(std::size_t pos, std::size_t digits, FdRole role) {
        std::int64_t offset = args_base_ + static_cast<std::int64_t>(pos);
        if (!event_.resumed || offset >= event_.args_offset) {
            add_at_line(offset, digits, role);
            return;
        }
        // In the unfinished half: named (JSON), never drawn on this line.
        if (pos + digits > args_.size()) return;
        FdSite site;
        site.carried = true;
        site.length = static_cast<std::uint32_t>(digits);
        if (add(site, args_, pos, role)) event_.fds.back().length = 0;
    }

  private:
    // `text` holds the digits at `at` (the line, or the combined args).
    bool add(FdSite site, std::string_view text, std::size_t at, FdRole role) {
        auto value = parse_integer(text.substr(at, site.length));
        if (!value) return false;
        site.role = role;
        if (role == FdRole::Epoll) {
            site.epoll_data = static_cast<std::uint64_t>(*value);
        } else {
            if (*value > 0x7fffffff) return false;
            site.fd = static_cast<int>(*value);
        }
        std::size_t after = at + site.length;
        if (after < text.size() && text[after] == '<') {
            std::size_t length = annotation_length(text.substr(after));
            site.existing_annotation = text.substr(after, length);
        }
        event_.fds.push_back(site);
        return true;
    }

    std::string_view line_;
    std::string_view args_;
    std::int64_t args_base_;
    SyscallEvent& event_;
};

// "[3 4]", "[3, 4]", "[3<pipe:[1]>, 4<pipe:[1]>]" starting at text[pos] == '['.
// Calls add(position, digits) for each number; returns the index after ']'.
template <class Add>
std::size_t scan_number_list(std::string_view text, std::size_t pos, Add add) {
    if (pos >= text.size() || text[pos] != '[') return pos;
    ++pos;
    while (pos < text.size() && text[pos] != ']') {
        if (is_digit(text[pos]) && (text[pos - 1] == '[' || text[pos - 1] == ' ')) {
            std::size_t digits = digit_run(text.substr(pos));
            add(pos, digits);
            pos += digits;
            if (pos < text.size() && text[pos] == '<')
                pos += std::max<std::size_t>(1, annotation_length(text.substr(pos)));
            continue;
        }
        if (text[pos] == '"') {
            pos = skip_quoted(text, pos);
            continue;
        }
        ++pos;
    }
    return pos + 1;
}

// Every "key" + number (e.g. "fd=3", "u64=5") in `text`.
template <class Add>
void scan_keyed_numbers(std::string_view text, std::string_view key, Add add) {
    std::size_t pos = 0;
    while ((pos = text.find(key, pos)) != std::string_view::npos) {
        std::size_t start = pos + key.size();
        bool boundary = pos == 0 || text[pos - 1] == '{' || text[pos - 1] == ' ';
        std::size_t digits = digit_run(text.substr(start));
        if (boundary && digits > 0) add(start, digits);
        pos = start;
    }
}

void find_plain_args(const SyscallSignature& signature, const ArgList& list, SiteCollector& sites) {
    for (std::size_t i = 0; i < list.count; ++i) {
        if (!(signature.fd_args & (1u << i))) continue;
        std::string_view arg = list[i];
        if (!parse_fd(arg)) continue;
        sites.add_in_args(list.offsets[i], digit_run(arg), FdRole::Arg);
    }
}

// The return value is an fd: "= 3", "= 3</etc/passwd>".
void find_returned_fd(const SyscallSignature& signature, const ArgList& list, SiteCollector& sites,
                      const SyscallEvent& event) {
    bool returns_fd = signature.returns_fd;
    if (signature.shape == FdShape::Fcntl) returns_fd = fcntl_command_dups(list[1]);
    if (signature.shape == FdShape::Bpf) returns_fd = bpf_command_creates_fd(list[0]);
    if (signature.effect == FdEffect::Ioctl)
        returns_fd = list.count > 1 && ioctl_request_returns_fd(list[1]);
    if (!returns_fd || !event.retval || *event.retval < 0 || !event.error.empty()) return;
    std::size_t digits = digit_run(event.ret);
    if (digits > 0) sites.add_at_line(event.ret_offset, digits, FdRole::Ret);
}

void find_in_return_lists(std::string_view ret, std::uint32_t ret_offset, FdShape shape,
                          SiteCollector& sites) {
    if (shape == FdShape::PollArray) {
        scan_keyed_numbers(ret, "fd=", [&](std::size_t pos, std::size_t digits) {
            sites.add_at_line(ret_offset + pos, digits, FdRole::Pollfd);
        });
        return;
    }
    // select: "= 1 (in [3], out [4 5], left {...})"
    for (std::string_view key : {"in [", "out [", "except ["}) {
        std::size_t pos = ret.find(key);
        if (pos == std::string_view::npos) continue;
        scan_number_list(ret, pos + key.size() - 1, [&](std::size_t at, std::size_t digits) {
            sites.add_at_line(ret_offset + at, digits, FdRole::Select);
        });
    }
}

}  // namespace

namespace {
// strace -X verbose: "0x406 /* F_DUPFD_CLOEXEC */" -> "0x406".
std::string_view without_comment(std::string_view text) noexcept {
    std::size_t comment = text.find(" /* ");
    return comment == std::string_view::npos ? text : text.substr(0, comment);
}
}  // namespace

bool fcntl_command_dups(std::string_view command, bool* cloexec) noexcept {
    command = without_comment(command);
    bool with_cloexec = command == "F_DUPFD_CLOEXEC";
    bool dups = with_cloexec || command == "F_DUPFD";
    if (!dups) {
        if (auto number = parse_integer(command)) {
            with_cloexec = *number == F_DUPFD_CLOEXEC;
            dups = with_cloexec || *number == F_DUPFD;
        }
    }
    if (cloexec) *cloexec = with_cloexec;
    return dups;
}

std::optional<unsigned long> ioctl_request_number(std::string_view request) noexcept {
    request = without_comment(request);
    if (request.starts_with("_IOC(")) {
        // strace's spelling of a request it has no name for (and older
        // strace's of the nsfs ones): _IOC(_IOC_NONE, 0xb7, 0x1, 0).
        ArgList parts = split_args(request.substr(5, request.find(')') - 5));
        if (parts.count != 4) return std::nullopt;
        unsigned long direction = 0;
        if (has_flag(parts[0], "_IOC_WRITE")) direction |= _IOC_WRITE;
        if (has_flag(parts[0], "_IOC_READ")) direction |= _IOC_READ;
        auto type = parse_integer(parts[1]);
        auto nr = parse_integer(parts[2]);
        auto size = parse_integer(parts[3]);
        if (!type || !nr || !size || *type < 0 || *nr < 0 || *size < 0) return std::nullopt;
        return _IOC(direction, static_cast<unsigned long>(*type), static_cast<unsigned long>(*nr),
                    static_cast<unsigned long>(*size));
    }
    auto number = parse_integer(request);
    if (!number) return std::nullopt;
    return static_cast<unsigned long>(*number);
}

bool ioctl_request_returns_fd(std::string_view request) noexcept {
    for (std::string_view name : {"TIOCGPTPEER", "NS_GET_USERNS", "NS_GET_PARENT"})
        if (request.find(name) != std::string_view::npos) return true;
    auto value = ioctl_request_number(request);
    return value && (*value == TIOCGPTPEER || *value == NS_GET_USERNS || *value == NS_GET_PARENT);
}

bool fcntl_command_sets_fd_flags(std::string_view command) noexcept {
    command = without_comment(command);
    if (command == "F_SETFD") return true;
    auto number = parse_integer(command);
    return number && *number == F_SETFD;
}

bool bpf_command_creates_fd(std::string_view command) noexcept {
    constexpr std::string_view kCreating[] = {
        "BPF_MAP_CREATE",       "BPF_PROG_LOAD",        "BPF_OBJ_GET",
        "BPF_BTF_LOAD",         "BPF_LINK_CREATE",      "BPF_RAW_TRACEPOINT_OPEN",
        "BPF_ITER_CREATE",      "BPF_TOKEN_CREATE",     "BPF_PROG_GET_FD_BY_ID",
        "BPF_MAP_GET_FD_BY_ID", "BPF_BTF_GET_FD_BY_ID", "BPF_LINK_GET_FD_BY_ID"};
    for (std::string_view name : kCreating)
        if (command == name) return true;
    return false;
}

std::size_t annotation_length(std::string_view text) noexcept {
    if (text.empty() || text[0] != '<') return 0;
    // "->" inside "[...]" (sockets) is not a closing '>': count angle
    // brackets only outside square brackets and quotes.
    int angles = 0;
    int squares = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '"') {
            i = skip_quoted(text, i) - 1;
        } else if (c == '[') {
            ++squares;
        } else if (c == ']') {
            if (squares > 0) --squares;
        } else if (squares == 0 && c == '<') {
            ++angles;
        } else if (squares == 0 && c == '>') {
            if (--angles == 0) {
                std::size_t end = i + 1;
                if (text.substr(end).starts_with("(deleted)")) end += 9;
                return end;
            }
        }
    }
    return 0;
}

void find_fd_sites(const SyscallSignature& signature, std::string_view line, std::string_view args,
                   std::int64_t args_base, SyscallEvent& event) {
    SiteCollector sites(line, args, args_base, event);
    // Fast path for the bulk of any log (read, write, close, ...): the only
    // fd is the first argument, so there is nothing to split (but for
    // ioctl, whose request may make it return an fd).
    if (signature.shape == FdShape::Plain && signature.fd_args <= 1 &&
        signature.effect != FdEffect::Ioctl) {
        if (signature.fd_args == 1) {
            std::size_t start = 0;
            while (start < args.size() && args[start] == ' ') ++start;
            std::size_t digits = digit_run(args.substr(start));
            std::size_t end = start + digits;
            if (digits > 0 && (end == args.size() || args[end] == ',' || args[end] == '<'))
                sites.add_in_args(start, digits, FdRole::Arg);
        }
        find_returned_fd(signature, ArgList{}, sites, event);
        return;
    }
    ArgList list = split_args(args);
    find_plain_args(signature, list, sites);
    switch (signature.shape) {
        case FdShape::Plain:
        case FdShape::Fcntl:
        case FdShape::Bpf:
        case FdShape::EpollCtl:
            break;
        case FdShape::PollArray:
            scan_keyed_numbers(list[0], "fd=", [&](std::size_t pos, std::size_t digits) {
                sites.add_in_args(list.offsets[0] + pos, digits, FdRole::Pollfd);
            });
            break;
        case FdShape::SelectSets:
            for (std::size_t i = 1; i <= 3 && i < list.count; ++i) {
                scan_number_list(list[i], 0, [&](std::size_t pos, std::size_t digits) {
                    sites.add_in_args(list.offsets[i] + pos, digits, FdRole::Select);
                });
            }
            break;
        case FdShape::PairArray:
            scan_number_list(list[signature.pair_arg], 0, [&](std::size_t pos, std::size_t digits) {
                sites.add_in_args(list.offsets[signature.pair_arg] + pos, digits, FdRole::Pair);
            });
            break;
        case FdShape::Msghdr: {
            std::string_view key = "cmsg_data=";
            std::size_t pos = 0;
            while ((pos = args.find(key, pos)) != std::string_view::npos) {
                pos += key.size();
                pos = scan_number_list(args, pos, [&](std::size_t at, std::size_t digits) {
                    sites.add_in_args(at, digits, FdRole::ScmRights);
                });
            }
            break;
        }
        case FdShape::EpollWait:
            scan_keyed_numbers(list[1], "u64=", [&](std::size_t pos, std::size_t digits) {
                sites.add_in_args(list.offsets[1] + pos, digits, FdRole::Epoll);
            });
            break;
    }
    find_returned_fd(signature, list, sites, event);
    if (signature.shape == FdShape::PollArray || signature.shape == FdShape::SelectSets) {
        if (!event.ret.empty())
            find_in_return_lists(event.ret, event.ret_offset, signature.shape, sites);
    }
    std::stable_sort(event.fds.begin(), event.fds.end(),
                     [](const FdSite& a, const FdSite& b) { return a.offset < b.offset; });
}

}  // namespace fdtrace
