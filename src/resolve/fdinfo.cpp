#include "fdtrace/fdinfo.h"

#include <fcntl.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstring>

#include "src/resolve/text_util.h"

namespace fdtrace {

bool FdFlags::cloexec() const noexcept { return (flags & O_CLOEXEC) != 0; }
int FdFlags::access_mode() const noexcept { return flags & O_ACCMODE; }

std::optional<std::string_view> fdinfo_field(std::string_view fdinfo, std::string_view key) {
    for (std::string_view line : split_lines(fdinfo)) {
        if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ':') {
            return trim(line.substr(key.size() + 1));
        }
    }
    return std::nullopt;
}

std::optional<FdFlags> parse_fd_flags(std::string_view fdinfo) {
    auto flags = fdinfo_field(fdinfo, "flags");
    auto pos = fdinfo_field(fdinfo, "pos");
    auto mnt_id = fdinfo_field(fdinfo, "mnt_id");
    FdFlags result;
    // fdinfo prints flags in octal ("02100002"), pos and mnt_id in decimal.
    if (!flags || !parse_number(*flags, result.flags, 8)) return std::nullopt;
    if (pos) parse_number(*pos, result.pos);
    if (mnt_id) parse_number(*mnt_id, result.mnt_id);
    return result;
}

namespace {

// "tfd:        5 events:       19 data:                5  pos:0 ino:1bac sdev:f"
// Every value after a `key:` is hex except the fd itself.
std::optional<EpollWatch> parse_epoll_line(std::string_view line) {
    EpollWatch watch;
    auto fd = value_after(line, "tfd:");
    if (!fd || !parse_number(*fd, watch.fd)) return std::nullopt;
    if (auto events = value_after(line, "events:")) parse_number(*events, watch.events, 16);
    if (auto data = value_after(line, "data:")) parse_number(*data, watch.data, 16);
    if (auto inode = value_after(line, "ino:")) parse_number(*inode, watch.inode, 16);
    return watch;
}

std::string epoll_info(std::string_view fdinfo) {
    std::vector<int> fds;
    for (const EpollWatch& watch : parse_epoll_watches(fdinfo)) fds.push_back(watch.fd);
    std::sort(fds.begin(), fds.end());
    std::string info = "fds=";
    for (std::size_t i = 0; i < fds.size(); ++i) {
        if (i) info += ',';
        info += std::to_string(fds[i]);
    }
    return info;
}

std::string eventfd_info(std::string_view fdinfo) {
    // The kernel prints the counter as "%16llx".
    std::uint64_t count = 0;
    auto field = fdinfo_field(fdinfo, "eventfd-count");
    if (!field || !parse_number(*field, count, 16)) return "";
    std::string info = "count=" + std::to_string(count);
    if (fdinfo_field(fdinfo, "eventfd-semaphore") == "1") info += " semaphore";
    return info;
}

std::string_view clock_name(int clockid) {
    switch (clockid) {
        case 0:
            return "REALTIME";
        case 1:
            return "MONOTONIC";
        case 7:
            return "BOOTTIME";
        case 8:
            return "REALTIME_ALARM";
        case 9:
            return "BOOTTIME_ALARM";
        default:
            return "";
    }
}

// "(99, 999086706)" -> "99.999s"; millisecond precision is plenty to show.
std::optional<std::string> format_timespec(std::string_view text) {
    text = trim(text);
    if (text.size() < 2 || text.front() != '(' || text.back() != ')') return std::nullopt;
    text = text.substr(1, text.size() - 2);
    auto comma = text.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    std::int64_t seconds = 0, nanoseconds = 0;
    if (!parse_number(trim(text.substr(0, comma)), seconds) ||
        !parse_number(trim(text.substr(comma + 1)), nanoseconds)) {
        return std::nullopt;
    }
    std::string result = std::to_string(seconds);
    if (auto millis = nanoseconds / 1000000; millis != 0) {
        std::string fraction = std::to_string(1000 + millis).substr(1);  // zero-padded
        while (fraction.back() == '0') fraction.pop_back();
        result += '.' + fraction;
    }
    return result + 's';
}

bool is_zero_timespec(std::string_view text) { return trim(text) == "(0, 0)"; }

std::string timerfd_info(std::string_view fdinfo) {
    std::string info;
    int clockid = -1;
    if (auto field = fdinfo_field(fdinfo, "clockid"); field && parse_number(*field, clockid)) {
        std::string_view name = clock_name(clockid);
        info = "clock=" + (name.empty() ? std::to_string(clockid) : std::string(name));
    }
    auto value = fdinfo_field(fdinfo, "it_value");
    auto interval = fdinfo_field(fdinfo, "it_interval");
    if (!value || is_zero_timespec(*value)) return join_words(info, "disarmed");
    if (auto text = format_timespec(*value)) info = join_words(info, "value=" + *text);
    if (interval && !is_zero_timespec(*interval)) {
        if (auto text = format_timespec(*interval)) info = join_words(info, "interval=" + *text);
    }
    return info;
}

std::string signalfd_info(std::string_view fdinfo) {
    std::uint64_t mask = 0;
    auto field = fdinfo_field(fdinfo, "sigmask");
    if (!field || !parse_number(*field, mask, 16)) return "";
    return "mask=" + describe_sigmask(mask);
}

// "inotify wd:1 ino:3c51a sdev:fe00000 mask:100 ignored_mask:0 fhandle-bytes:8 ..."
// One "inotify wd:1 ino:... sdev:... mask:..." line per watch: their count
// (a process may watch thousands of directories; each trace line names it).
std::string inotify_info(std::string_view fdinfo) {
    int watches = 0;
    for (std::string_view line : split_lines(fdinfo))
        if (line.starts_with("inotify ")) ++watches;
    return "watches=" + std::to_string(watches);
}

// "fanotify flags:0 event-flags:8000" then one "fanotify ino:..." (or
// "fanotify mnt_id:...", "fanotify sdev:...") line per mark.
std::string fanotify_info(std::string_view fdinfo) {
    std::string info;
    int marks = 0;
    for (std::string_view line : split_lines(fdinfo)) {
        if (!line.starts_with("fanotify ")) continue;
        if (auto flags = value_after(line, " flags:")) {
            info = join_words(info, "flags=" + std::string(*flags));
            if (auto events = value_after(line, "event-flags:")) {
                info = join_words(info, "event-flags=" + std::string(*events));
            }
        } else {
            ++marks;
        }
    }
    return join_words(info, "marks=" + std::to_string(marks));
}

std::string io_uring_info(std::string_view fdinfo) {
    std::string info;
    // Ring sizes are powers of two; fdinfo shows them as masks ("0x3").
    for (auto [key, name] :
         {std::pair{"SqMask", "sq_entries"}, std::pair{"CqMask", "cq_entries"}}) {
        std::uint32_t mask = 0;
        auto field = fdinfo_field(fdinfo, key);
        if (field && field->starts_with("0x") && parse_number(field->substr(2), mask, 16)) {
            info = join_words(info, std::string(name) + '=' + std::to_string(mask + 1ULL));
        }
    }
    return info;
}

// Copies the named fields, in order, as "key=value" words.
std::string fields_info(std::string_view fdinfo, std::initializer_list<std::string_view> keys) {
    std::string info;
    for (std::string_view key : keys) {
        if (auto value = fdinfo_field(fdinfo, key)) {
            info = join_words(info, std::string(key) + '=' + std::string(*value));
        }
    }
    return info;
}

std::string anon_info(FdKind kind, std::string_view fdinfo) {
    switch (kind) {
        case FdKind::Eventfd:
            return eventfd_info(fdinfo);
        case FdKind::Epoll:
            return epoll_info(fdinfo);
        case FdKind::Timerfd:
            return timerfd_info(fdinfo);
        case FdKind::Signalfd:
            return signalfd_info(fdinfo);
        case FdKind::Inotify:
            return inotify_info(fdinfo);
        case FdKind::Fanotify:
            return fanotify_info(fdinfo);
        case FdKind::IoUring:
            return io_uring_info(fdinfo);
        case FdKind::Userfaultfd:
            return fields_info(fdinfo, {"pending", "total"});
        case FdKind::Bpf:
            return fields_info(fdinfo, {"map_type", "map_id", "prog_type", "prog_id", "prog_tag",
                                        "link_type", "link_id"});
        default:
            return "";
    }
}

}  // namespace

std::vector<EpollWatch> parse_epoll_watches(std::string_view fdinfo) {
    std::vector<EpollWatch> watches;
    for (std::string_view line : split_lines(fdinfo)) {
        if (!line.starts_with("tfd:")) continue;
        if (auto watch = parse_epoll_line(line)) watches.push_back(*watch);
    }
    return watches;
}

AnonDescription describe_anon_inode(std::string_view anon_name, std::string_view fdinfo) {
    AnonDescription description;
    description.kind = anon_inode_kind(anon_name);
    if (description.kind == FdKind::Pidfd) {
        // "Pid: -1" once the process has been reaped; kept as -1.
        PidfdDetails pidfd;
        if (auto pid = fdinfo_field(fdinfo, "Pid")) parse_number(*pid, pidfd.pid);
        description.details = pidfd;
        return description;
    }
    description.details = AnonDetails{std::string(anon_name), anon_info(description.kind, fdinfo)};
    return description;
}

std::string describe_sigmask(std::uint64_t mask) {
    std::string names;
    for (int signal = 1; signal <= 64; ++signal) {
        if ((mask & (std::uint64_t{1} << (signal - 1))) == 0) continue;
        if (!names.empty()) names += ',';
        if (const char* abbrev = sigabbrev_np(signal)) {
            names += abbrev;
        } else if (signal >= SIGRTMIN && signal <= SIGRTMAX) {
            names += "RTMIN+" + std::to_string(signal - SIGRTMIN);
        } else {
            names += std::to_string(signal);
        }
    }
    return names;
}

}  // namespace fdtrace
