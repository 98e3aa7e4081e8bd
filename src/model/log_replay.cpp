#include "fdtrace/log_replay.h"

#include <linux/close_range.h>
#include <linux/netlink.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "fdtrace/fd_sites.h"
#include "fdtrace/strace_line.h"
#include "fdtrace/yy_annotation.h"

namespace fdtrace {
namespace {

// ---- decoding tables (data): names strace prints -> libc's values

struct NamedValue {
    std::string_view name;
    int value;
};

// strace 4.x names socket()'s domain by its protocol family (PF_INET,
// PF_LOCAL ...); the values are the address families'.
constexpr NamedValue kFamilies[] = {
    {"AF_UNIX", AF_UNIX},   {"AF_LOCAL", AF_UNIX},      {"AF_INET", AF_INET},
    {"AF_INET6", AF_INET6}, {"AF_NETLINK", AF_NETLINK}, {"AF_PACKET", AF_PACKET},
    {"PF_UNIX", PF_UNIX},   {"PF_LOCAL", PF_LOCAL},     {"PF_INET", PF_INET},
    {"PF_INET6", PF_INET6}, {"PF_NETLINK", PF_NETLINK}, {"PF_PACKET", PF_PACKET},
    {"AF_FILE", AF_UNIX},   {"PF_FILE", PF_UNIX},
};

constexpr NamedValue kSocketTypes[] = {
    {"SOCK_STREAM", SOCK_STREAM},       {"SOCK_DGRAM", SOCK_DGRAM}, {"SOCK_RAW", SOCK_RAW},
    {"SOCK_SEQPACKET", SOCK_SEQPACKET}, {"SOCK_RDM", SOCK_RDM},
};

struct NetlinkProtocol {
    std::string_view constant;  // as strace prints it
    int value;
    std::string_view name;  // as fdtrace (and ss) call it
};

constexpr NetlinkProtocol kNetlinkProtocols[] = {
    {"NETLINK_ROUTE", NETLINK_ROUTE, "route"},
    {"NETLINK_USERSOCK", NETLINK_USERSOCK, "usersock"},
    {"NETLINK_FIREWALL", NETLINK_FIREWALL, "firewall"},
    {"NETLINK_SOCK_DIAG", NETLINK_SOCK_DIAG, "sock_diag"},
    {"NETLINK_INET_DIAG", NETLINK_INET_DIAG, "sock_diag"},
    {"NETLINK_NFLOG", NETLINK_NFLOG, "nflog"},
    {"NETLINK_XFRM", NETLINK_XFRM, "xfrm"},
    {"NETLINK_SELINUX", NETLINK_SELINUX, "selinux"},
    {"NETLINK_ISCSI", NETLINK_ISCSI, "iscsi"},
    {"NETLINK_AUDIT", NETLINK_AUDIT, "audit"},
    {"NETLINK_FIB_LOOKUP", NETLINK_FIB_LOOKUP, "fib_lookup"},
    {"NETLINK_CONNECTOR", NETLINK_CONNECTOR, "connector"},
    {"NETLINK_NETFILTER", NETLINK_NETFILTER, "netfilter"},
    {"NETLINK_IP6_FW", NETLINK_IP6_FW, "ip6_fw"},
    {"NETLINK_DNRTMSG", NETLINK_DNRTMSG, "dnrtmsg"},
    {"NETLINK_KOBJECT_UEVENT", NETLINK_KOBJECT_UEVENT, "kobject_uevent"},
    {"NETLINK_GENERIC", NETLINK_GENERIC, "generic"},
    {"NETLINK_SCSITRANSPORT", NETLINK_SCSITRANSPORT, "scsitransport"},
    {"NETLINK_ECRYPTFS", NETLINK_ECRYPTFS, "ecryptfs"},
    {"NETLINK_RDMA", NETLINK_RDMA, "rdma"},
    {"NETLINK_CRYPTO", NETLINK_CRYPTO, "crypto"},
};

struct FileTypeBits {
    std::string_view name;  // in st_mode=S_IFREG|0644
    FdKind kind;
    mode_t bits;  // in st_mode=0100644 (-X raw)
};

constexpr FileTypeBits kFileTypes[] = {
    {"S_IFREG", FdKind::File, S_IFREG}, {"S_IFDIR", FdKind::Dir, S_IFDIR},
    {"S_IFCHR", FdKind::Chr, S_IFCHR},  {"S_IFBLK", FdKind::Blk, S_IFBLK},
    {"S_IFIFO", FdKind::Pipe, S_IFIFO}, {"S_IFSOCK", FdKind::Socket, S_IFSOCK},
};

// st_mode's file type: by name (S_IFCHR|0620, and -X verbose's comment) or,
// under -X raw, from the octal number (020620).
const FileTypeBits* file_type_of(std::string_view mode) {
    for (const auto& row : kFileTypes)
        if (has_flag(mode, row.name)) return &row;
    std::size_t end = 0;
    while (end < mode.size() && mode[end] >= '0' && mode[end] <= '7') ++end;
    if (end < 2 || mode[0] != '0') return nullptr;
    unsigned long value = 0;
    for (char digit : mode.substr(1, end - 1))
        value = value * 8 + static_cast<unsigned>(digit - '0');
    for (const auto& row : kFileTypes)
        if ((value & S_IFMT) == row.bits) return &row;
    return nullptr;
}

// Character devices every Linux numbers the same (the kernel's devices.txt),
// so an inherited stdin/stdout is named from its fstat alone.
struct WellKnownDevice {
    unsigned major;
    int minor;  // -1: any minor, appended to the path
    std::string_view path;
};

constexpr WellKnownDevice kDevices[] = {
    {1, 3, "/dev/null"},    {1, 5, "/dev/zero"}, {1, 7, "/dev/full"},    {1, 8, "/dev/random"},
    {1, 9, "/dev/urandom"}, {5, 0, "/dev/tty"},  {5, 1, "/dev/console"}, {5, 2, "/dev/ptmx"},
    {4, -1, "/dev/tty"},  // (pty slaves span majors 136-143: device_path)
};

// UNIX98 pty slaves: majors 136..143 (UNIX98_PTY_SLAVE_MAJOR and the seven
// after it, Documentation/admin-guide/devices.txt), minor counting on across
// them: makedev(0x89, 0x2) is /dev/pts/258.
constexpr unsigned kPtySlaveMajorFirst = 136;
constexpr unsigned kPtySlaveMajorLast = 143;

// ioctls that only a terminal (or a pty master) answers with success: every
// other file fails them with ENOTTY (drivers/tty/tty_io.c, tty_ioctl.c).
// Not here: FIONREAD/TIOCINQ, FIONBIO, FIOCLEX (any fd), and TIOCOUTQ,
// which is SIOCOUTQ's number, so a socket answers it too. strace prints some
// numbers as "SNDCTL_TMR_START or TCSETS": any of the names may match.
struct TerminalIoctl {
    std::string_view name;
    unsigned long request;  // what -X raw prints, from <asm/ioctls.h>
};
#define FDTRACE_IOCTL(name) \
    { #name, name }
constexpr TerminalIoctl kTerminalIoctls[] = {
    // (TCGETS2 and its kin need <asm/termbits.h>, which clashes with glibc's
    // termios: they are matched by name only, kTerminalIoctlsByName.)
    FDTRACE_IOCTL(TCGETS),         FDTRACE_IOCTL(TCSETS),         FDTRACE_IOCTL(TCSETSW),
    FDTRACE_IOCTL(TCSETSF),        FDTRACE_IOCTL(TCGETA),         FDTRACE_IOCTL(TCSETA),
    FDTRACE_IOCTL(TCSETAW),        FDTRACE_IOCTL(TCSETAF),        FDTRACE_IOCTL(TCSBRK),
    FDTRACE_IOCTL(TCSBRKP),        FDTRACE_IOCTL(TCXONC),         FDTRACE_IOCTL(TCFLSH),
    FDTRACE_IOCTL(TIOCGWINSZ),     FDTRACE_IOCTL(TIOCSWINSZ),     FDTRACE_IOCTL(TIOCGPGRP),
    FDTRACE_IOCTL(TIOCSPGRP),      FDTRACE_IOCTL(TIOCGSID),       FDTRACE_IOCTL(TIOCSCTTY),
    FDTRACE_IOCTL(TIOCNOTTY),      FDTRACE_IOCTL(TIOCSTI),        FDTRACE_IOCTL(TIOCMGET),
    FDTRACE_IOCTL(TIOCMSET),       FDTRACE_IOCTL(TIOCMBIS),       FDTRACE_IOCTL(TIOCMBIC),
    FDTRACE_IOCTL(TIOCGPTN),       FDTRACE_IOCTL(TIOCSPTLCK),     FDTRACE_IOCTL(TIOCGPTLCK),
    FDTRACE_IOCTL(TIOCGPTPEER),    FDTRACE_IOCTL(TIOCGETD),       FDTRACE_IOCTL(TIOCSETD),
    FDTRACE_IOCTL(TIOCEXCL),       FDTRACE_IOCTL(TIOCNXCL),       FDTRACE_IOCTL(TIOCGEXCL),
    FDTRACE_IOCTL(TIOCGLCKTRMIOS), FDTRACE_IOCTL(TIOCSLCKTRMIOS), FDTRACE_IOCTL(TIOCCONS),
    FDTRACE_IOCTL(TIOCVHANGUP),    FDTRACE_IOCTL(TIOCGDEV),
};
#undef FDTRACE_IOCTL

constexpr std::string_view kTerminalIoctlsByName[] = {"TCGETS2", "TCSETS2", "TCSETSW2", "TCSETSF2"};

bool is_terminal_ioctl(std::string_view request) noexcept {
    // -X verbose: "0x5401 /* TCGETS */"; the name is in the comment.
    if (std::size_t comment = request.find("/* "); comment != std::string_view::npos) {
        request.remove_prefix(comment + 3);
        request = request.substr(0, request.find(" */"));
    } else if (auto number = parse_integer(request)) {  // -X raw: "0x5401"
        for (const auto& terminal : kTerminalIoctls)
            if (static_cast<unsigned long>(*number) == terminal.request) return true;
        return false;
    }
    // "SNDCTL_TMR_START or TCSETS": each alternative on its own.
    while (!request.empty()) {
        std::size_t end = request.find(" or ");
        std::string_view name = request.substr(0, end);
        for (const auto& terminal : kTerminalIoctls)
            if (name == terminal.name) return true;
        for (std::string_view terminal : kTerminalIoctlsByName)
            if (name == terminal) return true;
        if (end == std::string_view::npos) break;
        request.remove_prefix(end + 4);
    }
    return false;
}

// The path of a character device from its numbers, for the devices whose
// path the numbers tell (kDevices and pty slaves); empty otherwise.
std::string device_path(std::int64_t major, std::int64_t minor) {
    if (major < 0 || minor < 0) return {};
    if (major >= kPtySlaveMajorFirst && major <= kPtySlaveMajorLast)
        return "/dev/pts/" + std::to_string((major - kPtySlaveMajorFirst) * 256 + minor);
    for (const auto& device : kDevices) {
        if (static_cast<std::uint64_t>(major) != device.major) continue;
        if (device.minor >= 0 && device.minor != minor) continue;
        std::string path(device.path);
        if (device.minor < 0) path += std::to_string(minor);
        return path;
    }
    return {};
}

// Block devices by path prefix: opening them gives kind blk, not chr.
constexpr std::string_view kBlockDevicePrefixes[] = {"/dev/sd",   "/dev/vd",  "/dev/nvme",
                                                     "/dev/loop", "/dev/dm-", "/dev/md",
                                                     "/dev/xvd",  "/dev/sr",  "/dev/mmcblk"};

// What a path names, as far as the path tells: under /dev a device (block
// for the disk names), but for the tmpfs and mqueue mounts there;
// `otherwise` elsewhere.
FdKind kind_by_path(std::string_view path, FdKind otherwise) {
    if (!path.starts_with("/dev/") || path.starts_with("/dev/shm/") ||
        path.starts_with("/dev/mqueue/"))
        return otherwise;
    for (std::string_view prefix : kBlockDevicePrefixes)
        if (path.starts_with(prefix)) return FdKind::Blk;
    return FdKind::Chr;
}

// The namespace type a path opens, as setns(2) users name them:
// /proc/PID/ns/TYPE (and /proc/PID/task/TID/ns/TYPE), and the bind mounts
// of network namespaces `ip netns` keeps in /run/netns (/var/run/netns).
// Empty for any other path.
std::string namespace_of_path(std::string_view path) {
    for (std::string_view netns : {"/run/netns/", "/var/run/netns/"})
        if (path.starts_with(netns) && path.size() > netns.size() &&
            path.find('/', netns.size()) == std::string_view::npos)
            return "net";
    if (!path.starts_with("/proc/")) return {};
    std::size_t ns = path.rfind("/ns/");
    if (ns == std::string_view::npos) return {};
    std::string_view type = path.substr(ns + 4);
    if (!is_namespace_type(type)) return {};
    // pid_for_children is a pid namespace: the kernel's link says "pid:[...]".
    if (type.ends_with("_for_children")) type.remove_suffix(13);
    return std::string(type);
}

template <class Table>
const auto* find_by_name(const Table& table, std::string_view text) {
    for (const auto& row : table)
        if (has_flag(text, row.name)) return &row;
    return static_cast<decltype(&table[0])>(nullptr);
}

std::optional<int> numeric_or_named(std::string_view text, std::span<const NamedValue> table) {
    for (const auto& row : table)
        if (has_flag(text, row.name)) return row.value;
    // -X raw prints numbers ("0x2", "2"); keep the low bits for socket types.
    std::size_t end = text.find_first_of("| ");
    if (auto value = parse_integer(text.substr(0, end))) return static_cast<int>(*value);
    return std::nullopt;
}

bool any_cloexec(const ArgList& args) {
    for (std::size_t i = 0; i < args.count; ++i) {
        std::string_view arg = args[i];
        if (arg.find("CLOEXEC") != std::string_view::npos) return true;
    }
    return false;
}

std::string decoded_or_raw(std::string_view text) {
    auto decoded = decode_c_string(text);
    return decoded ? *decoded : std::string();
}

bool is_loopback(std::string_view address) {
    return address.starts_with("127.") || address.starts_with("[::1]") ||
           address.starts_with("[::ffff:127.");
}

std::string host_of(std::string_view address) {
    std::size_t colon = address.rfind(':');
    return std::string(colon == std::string_view::npos ? address : address.substr(0, colon));
}

std::string port_of(std::string_view address) {
    std::size_t colon = address.rfind(':');
    return std::string(colon == std::string_view::npos ? std::string_view{}
                                                       : address.substr(colon + 1));
}

bool is_wildcard_host(std::string_view host) {
    return host == "0.0.0.0" || host == "[::]" || host.empty();
}

// Only an fd whose kind the log has not shown learns it from how it is used.
bool kind_unknown(const FdIdentity& identity) {
    return identity.kind == FdKind::Unknown || identity.kind == FdKind::Socket;
}

bool is_v6(const FdIdentity& identity) {
    const auto* inet = identity.get<InetDetails>();
    return inet && (inet->remote.starts_with('[') || inet->local.starts_with('['));
}

// An fd from before the log that a line has named: its identity now comes
// from the log (JSON "source"), whatever it was opened by.
void learned_from_log(FdIdentity& identity) {
    if (identity.source == FdSource::Inherited || identity.source == FdSource::Unknown)
        identity.source = FdSource::Log;
}

// A socket of unknown kind turns out to be `kind`; addresses seen so far stay.
void become(OpenFile& file, FdKind kind) {
    FdIdentity& identity = file.identity;
    if (identity.kind == kind) return;
    identity.kind = kind;
    learned_from_log(identity);
    if (is_inet_kind(kind))
        identity.ensure<InetDetails>();
    else if (kind == FdKind::Unix)
        identity.ensure<UnixDetails>();
    else if (kind == FdKind::Netlink)
        identity.ensure<NetlinkDetails>();
    file.changed();
}

// setns(2)'s nstype flags and NS_GET_NSTYPE's answer, each with the name
// /proc/PID/ns/ gives its type (what strace -y prints: "net:[4026531840]").
struct NamespaceFlag {
    std::string_view flag;
    unsigned long value;
    std::string_view type;
};
#define FDTRACE_NAMESPACE(flag, type) \
    { #flag, flag, type }
constexpr NamespaceFlag kNamespaceFlags[] = {
    FDTRACE_NAMESPACE(CLONE_NEWCGROUP, "cgroup"), FDTRACE_NAMESPACE(CLONE_NEWIPC, "ipc"),
    FDTRACE_NAMESPACE(CLONE_NEWNS, "mnt"),        FDTRACE_NAMESPACE(CLONE_NEWNET, "net"),
    FDTRACE_NAMESPACE(CLONE_NEWPID, "pid"),       FDTRACE_NAMESPACE(CLONE_NEWTIME, "time"),
    FDTRACE_NAMESPACE(CLONE_NEWUSER, "user"),     FDTRACE_NAMESPACE(CLONE_NEWUTS, "uts"),
};
#undef FDTRACE_NAMESPACE

// The namespace types `flags` names: "CLONE_NEWNET|CLONE_NEWUTS", -X raw's
// "0x40000000", -X verbose's "0x40000000 /* CLONE_NEWNET */", or a return
// value ("1073741824 (CLONE_NEWUSER)"). Empty for 0 and for what is not one.
std::vector<std::string_view> namespace_types(std::string_view flags) {
    flags = flags.substr(0, flags.find_first_of(" ("));  // a comment, a return's name
    unsigned long bits = 0;
    while (!flags.empty()) {
        std::size_t bar = flags.find('|');
        std::string_view part = flags.substr(0, bar);
        flags = bar == std::string_view::npos ? std::string_view{} : flags.substr(bar + 1);
        const auto named = std::find_if(std::begin(kNamespaceFlags), std::end(kNamespaceFlags),
                                        [&](const auto& row) { return row.flag == part; });
        if (named != std::end(kNamespaceFlags)) {
            bits |= named->value;
        } else if (auto number = parse_integer(part); number && *number > 0) {
            bits |= static_cast<unsigned long>(*number);
        } else {
            return {};  // not namespace flags
        }
    }
    std::vector<std::string_view> types;
    for (const auto& row : kNamespaceFlags)
        if (bits & row.value) {
            types.push_back(row.type);
            bits &= ~row.value;
        }
    if (bits != 0) types.clear();  // other bits: not namespace flags
    return types;
}

// `file` is a namespace (of `type`, when known): a setns(fd, 0) or an nsfs
// ioctl (NS_GET_*, which only a namespace fd answers) showed it.
void name_namespace(OpenFile& file, std::string_view type) {
    FdIdentity& identity = file.identity;
    if (identity.kind == FdKind::Unknown) {
        identity.kind = FdKind::Namespace;
        identity.details = AnonDetails{std::string(type), {}};
        learned_from_log(identity);
        file.changed();
        return;
    }
    if (identity.kind != FdKind::Namespace || type.empty()) return;
    AnonDetails& details = identity.ensure<AnonDetails>();
    if (!details.name.empty()) return;
    details.name = type;
    file.changed();
}

// The nsfs ioctl `request` names (NS_GET_USERNS...; -X raw's 0xb701), or 0.
unsigned long nsfs_request(std::string_view request) {
    constexpr std::pair<std::string_view, unsigned long> kRequests[] = {
        {"NS_GET_USERNS", NS_GET_USERNS},
        {"NS_GET_PARENT", NS_GET_PARENT},
        {"NS_GET_NSTYPE", NS_GET_NSTYPE},
        {"NS_GET_OWNER_UID", NS_GET_OWNER_UID},
    };
    for (const auto& [name, value] : kRequests)
        if (has_flag(request, name)) return value;
    auto value = ioctl_request_number(request);  // 0xb701, _IOC(_IOC_NONE, 0xb7, 0x1, 0)
    return value && _IOC_TYPE(*value) == NSIO ? *value : 0;
}

bool waiting_for_connect(const FdIdentity& identity) {
    const auto* inet = identity.get<InetDetails>();
    return inet && inet->state == "SYN_SENT";
}

}  // namespace

namespace {
// True when `path` has no empty, "." or ".." component and no trailing
// slash: most paths in a log, which normalize_path then returns as they are.
bool already_normal(std::string_view path) noexcept {
    if (path.empty()) return false;
    if (path == "/") return true;
    if (path.back() == '/') return false;
    std::size_t start = path.front() == '/' ? 1 : 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        std::string_view part = path.substr(start, slash - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = slash + 1;
    }
    return true;
}
}  // namespace

std::string normalize_path(std::string_view path) {
    if (already_normal(path)) return std::string(path);
    bool absolute = path.starts_with('/');
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        std::size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos) slash = path.size();
        std::string_view part = path.substr(pos, slash - pos);
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..")
                parts.pop_back();
            else if (!absolute)
                parts.push_back(part);
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        pos = slash + 1;
    }
    std::string out = absolute ? "/" : "";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += '/';
        out += parts[i];
    }
    if (out.empty()) out = ".";
    return out;
}

LogReplay::LogReplay(FdModel& model, ReplayOptions options)
    : model_(model), options_(std::move(options)) {}

std::string LogReplay::canonical(std::string path) const {
    if (!options_.realpath || path.empty() || path[0] != '/') return path;
    // /proc and /dev/fd describe processes, and this machine's are not the log's.
    if (path.starts_with("/proc/") || path.starts_with("/dev/fd/") || path.starts_with("/dev/std"))
        return path;
    // realpath(3) of the file, or failing that of its directory: the file may
    // be gone by now while the directory's symlinks are still there.
    if (char* resolved = ::realpath(path.c_str(), nullptr)) {
        std::string out(resolved);
        std::free(resolved);
        return out;
    }
    std::size_t slash = path.rfind('/');
    if (slash == 0 || slash == std::string::npos) return path;
    if (char* resolved = ::realpath(path.substr(0, slash).c_str(), nullptr)) {
        std::string out = std::string(resolved) + path.substr(slash);
        std::free(resolved);
        return out;
    }
    return path;
}

bool open_sets_cloexec(std::string_view call, std::string_view flags) noexcept {
    // creat() is open(O_CREAT|O_WRONLY|O_TRUNC): it has no flags argument.
    return call != "creat" && flags.find("O_CLOEXEC") != std::string_view::npos;
}

namespace {

// "/proc/PID/REST" or "/proc/PID/task/TID/REST": the task whose directory it
// is (TID if given) and REST; nullopt for any other path.
std::optional<std::pair<int, std::string_view>> proc_task_path(std::string_view path) {
    auto number = [](std::string_view& text) -> std::optional<int> {
        std::size_t digits = 0;
        while (digits < text.size() && digits < 10 && text[digits] >= '0' && text[digits] <= '9')
            ++digits;
        if (digits == 0 || digits >= text.size() || text[digits] != '/') return std::nullopt;
        auto value = parse_integer(text.substr(0, digits));
        text.remove_prefix(digits + 1);
        if (!value || *value <= 0) return std::nullopt;
        return static_cast<int>(*value);
    };
    if (!path.starts_with("/proc/")) return std::nullopt;
    path.remove_prefix(6);
    auto task = number(path);
    if (!task) return std::nullopt;
    if (path.starts_with("task/")) {
        path.remove_prefix(5);
        task = number(path);
        if (!task) return std::nullopt;
    }
    return std::pair{*task, path};
}

}  // namespace

std::optional<std::pair<int, std::string_view>> LogReplay::proc_entry_of(
    int pid, std::string_view dirfd_text, std::string_view link, std::string& storage) {
    // A relative link ("7" after cd /proc/PID/fd, as ls -l does there) is
    // the working directory's, or the dirfd's.
    storage = resolve_path(pid, dirfd_text, link);
    return proc_entry(pid, storage);
}

std::optional<std::pair<int, std::string_view>> LogReplay::proc_entry(int pid,
                                                                      std::string_view path) {
    auto task = proc_task_path(path);
    // A line without a pid (strace without -f): its process is task 0 here.
    if (pid <= 0)
        for (std::string_view self : {"/proc/self/", "/proc/thread-self/"})
            if (path.starts_with(self)) task = std::pair{0, path.substr(self.size())};
    if (!task) return std::nullopt;
    // The caller's own task or one of its threads, or another process of the
    // log (lsof, fuser, a supervisor looking at its child). A pid the log
    // never showed names nothing.
    auto [owner, rest] = *task;
    const bool own = owner == std::max(pid, 0) || owner == thread_group(pid);
    if (!own && !model_.find_process(owner)) return std::nullopt;
    return std::pair{own ? std::max(pid, 0) : owner, rest};
}

std::optional<std::pair<int, int>> LogReplay::reopened_fd(int pid, std::string_view path) {
    // /dev/fd is a link to /proc/self/fd, /dev/stdin to /proc/self/fd/0.
    constexpr std::pair<std::string_view, int> kStdio[] = {
        {"/dev/stdin", 0}, {"/dev/stdout", 1}, {"/dev/stderr", 2}};
    for (const auto& [name, fd] : kStdio)
        if (path == name) return std::pair{std::max(pid, 0), fd};
    if (path.starts_with("/dev/fd/")) {
        auto fd = parse_fd(path.substr(8));
        if (!fd) return std::nullopt;
        return std::pair{std::max(pid, 0), *fd};
    }
    auto entry = proc_entry(pid, path);
    if (!entry || !entry->second.starts_with("fd/")) return std::nullopt;
    auto fd = parse_fd(entry->second.substr(3));
    if (!fd) return std::nullopt;
    return std::pair{entry->first, *fd};
}

std::optional<std::pair<int, int>> LogReplay::learn_from_readlink(const SyscallEvent& event) {
    if (!event.succeeded() || event.resumed) return std::nullopt;
    ArgList args = split_args(event.args);
    const bool at = event.name == "readlinkat";
    if (args.count < (at ? 4u : 3u)) return std::nullopt;
    auto link = decode_c_string(args[at ? 1 : 0]);
    auto target = decode_c_string(args[at ? 2 : 1]);
    if (!link || !target || target->empty() || event.args.find("\"...") != std::string_view::npos)
        return std::nullopt;
    // A return as long as the buffer may be a target cut short (readlink(2)
    // does not say), and strace then prints no "...".
    auto size = parse_integer(args[at ? 3 : 2]);
    if (!size || !event.retval || *event.retval >= *size) return std::nullopt;
    std::string storage;
    auto entry = proc_entry_of(event.pid, at ? args[0] : std::string_view{}, *link, storage);
    if (!entry) return std::nullopt;
    auto [owner, rest] = *entry;
    if (rest == "cwd") {
        if (owner == std::max(event.pid, 0) && target->starts_with('/'))
            learn_cwd(event.pid, normalize_path(*target));
        return std::nullopt;
    }
    // readlink("/proc/self/fd/N") is what -y prints for fd N: the fd's
    // identity, as strace would have annotated it.
    if (!rest.starts_with("fd/")) return std::nullopt;
    auto fd = parse_fd(rest.substr(3));
    if (!fd) return std::nullopt;
    // As -y would print it: "<TARGET>", a deleted file's " (deleted)" after.
    std::string annotation = *target;
    std::string deleted;
    if (annotation.ends_with(" (deleted)")) {
        annotation.resize(annotation.size() - 10);
        deleted = "(deleted)";
    }
    auto theirs = parse_yy_annotation('<' + annotation + '>' + deleted);
    if (!theirs) return std::nullopt;
    // -yy would add "<char 136:0>" to a device; the link has only its path.
    if (theirs->kind == FdKind::File)
        if (const auto* path = theirs->get<PathDetails>())
            theirs->kind = kind_by_path(path->path, FdKind::File);
    learn_from_annotation(file_for(owner, *fd), *theirs);
    return std::pair{owner, *fd};
}

std::optional<std::pair<int, int>> LogReplay::learn_from_proc_fd_stat(const SyscallEvent& event) {
    if (!event.succeeded() || event.resumed) return std::nullopt;
    // stat(PATH, BUF), stat64; newfstatat/fstatat64(DIRFD, PATH, BUF, FLAGS);
    // statx(DIRFD, PATH, FLAGS, MASK, BUF). lstat and AT_SYMLINK_NOFOLLOW
    // stat the link itself (S_IFLNK), which says nothing of the fd.
    const std::string_view name = event.name;
    const bool at = name == "newfstatat" || name == "fstatat64";
    const bool x = name == "statx";
    if (!at && !x && name != "stat" && name != "stat64") return std::nullopt;
    // Most stats are of other paths: those pass by before any parsing. (A
    // path relative to a dirfd open on /proc/N/fd is not looked for.)
    if (event.args.find("\"/proc/") == std::string_view::npos &&
        !model_.process(std::max(event.pid, 0)).cwd->starts_with("/proc/"))
        return std::nullopt;
    ArgList args = split_args(event.args);
    if (args.count < (x ? 5u : at ? 4u : 2u)) return std::nullopt;
    std::string_view flags = x ? args[2] : at ? args[3] : std::string_view{};
    if (flags.find("AT_SYMLINK_NOFOLLOW") != std::string_view::npos ||
        flags.find("AT_EMPTY_PATH") != std::string_view::npos)
        return std::nullopt;
    // -X raw: no names, and 0x100 is AT_SYMLINK_NOFOLLOW.
    if (auto raw = parse_integer(flags); raw && (*raw & 0x100)) return std::nullopt;
    auto link = decode_c_string(args[(at || x) ? 1 : 0]);
    if (!link || link->empty() || event.args.find("\"...") != std::string_view::npos)
        return std::nullopt;
    std::string storage;
    auto entry = proc_entry_of(event.pid, (at || x) ? args[0] : std::string_view{}, *link, storage);
    if (!entry || !entry->second.starts_with("fd/")) return std::nullopt;
    auto fd = parse_fd(entry->second.substr(3));
    if (!fd) return std::nullopt;
    const int owner = entry->first;
    learn_type_from_mode(owner, *fd, args[x ? 4 : at ? 2 : 1]);
    return std::pair{owner, *fd};
}

void LogReplay::learn_cwd(int pid, std::string path) {
    FdModel::Process& process = model_.process(pid);
    if (on_cwd_revealed_ && process.cwd->empty() && *process.cwd_from_before != 0)
        on_cwd_revealed_(*process.cwd_from_before, path);
    *process.cwd = std::move(path);
}

std::string LogReplay::resolve_path(int pid, std::string_view dirfd_text, std::string_view path) {
    if (path.starts_with('/')) return canonical(proc_self(pid, normalize_path(path)));
    std::string base;
    if (is_at_fdcwd(dirfd_text) && dirfd_text.find('<') != std::string_view::npos) {
        // strace -y: AT_FDCWD</srv/www>, the working directory itself.
        std::string_view annotated = dirfd_text.substr(dirfd_text.find('<'));
        while (!annotated.empty() && annotated.back() == ' ') annotated.remove_suffix(1);
        if (auto theirs = parse_yy_annotation(annotated))
            if (const auto* dir = theirs->get<PathDetails>(); dir && dir->path.starts_with('/'))
                learn_cwd(pid, dir->path);
    }
    if (dirfd_text.empty() || is_at_fdcwd(dirfd_text)) {
        const FdModel::Process& process = model_.process(pid);
        base = *process.cwd;
        // Still the directory from before the log: what a later line showed
        // of it (a second read), else what the user said.
        if (base.empty() && !cwds_ahead_.empty())
            if (auto it = cwds_ahead_.find(*process.cwd_from_before); it != cwds_ahead_.end())
                base = it->second;
        if (base.empty()) base = options_.initial_cwd;
    } else if (auto dirfd = parse_fd(dirfd_text)) {
        if (OpenFile* dir = model_.lookup(pid, *dirfd))
            if (auto* details = dir->identity.get<PathDetails>()) base = details->path;
    }
    if (base.empty()) return normalize_path(path);  // unknown cwd: keep it relative
    if (path.empty()) return base;
    return canonical(proc_self(pid, normalize_path(base + "/" + std::string(path))));
}

// Links at the top of /proc that lead into /proc/self (fs/proc/root.c,
// fs/proc/proc_net.c): the kernel names a file opened through them by where
// they lead, as strace -y shows it.
constexpr std::pair<std::string_view, std::string_view> kProcSelfLinks[] = {
    {"/proc/mounts", "/proc/self/mounts"},
    {"/proc/net", "/proc/self/net"},
};

int LogReplay::thread_group(int pid) const {
    const FdModel::Process* process = model_.find_process(pid);
    return process && process->tgid ? process->tgid : pid;
}

std::string LogReplay::proc_self(int pid, std::string path) const {
    // /proc/self is the traced process, not us: name it as the kernel would.
    if (pid <= 0) return path;
    for (const auto& [link, target] : kProcSelfLinks) {
        if (path == link || (path.starts_with(link) && path[link.size()] == '/')) {
            path = std::string(target) + path.substr(link.size());
            break;
        }
    }
    for (std::string_view self : {"/proc/self", "/proc/thread-self"}) {
        if (path == self || (path.starts_with(self) && path[self.size()] == '/')) {
            // /proc/self is the thread group's directory, thread-self the
            // thread's own under it.
            std::string proc = "/proc/" + std::to_string(thread_group(pid));
            if (self == "/proc/thread-self") proc += "/task/" + std::to_string(pid);
            return proc + path.substr(self.size());
        }
    }
    return path;
}

void LogReplay::returned_by_headless_call(const SyscallEvent& event,
                                          const SyscallSignature& signature,
                                          std::string_view tail) {
    if (!event.succeeded()) return;
    const int pid = event.pid;
    const bool any_cloexec = tail.find("CLOEXEC") != std::string_view::npos;
    if (signature.effect == FdEffect::RecvMsg) {  // SCM_RIGHTS fds in the msghdr
        pass_fds(pid, tail, false);
        return;
    }
    if (signature.effect == FdEffect::Pipe || signature.effect == FdEffect::SocketPair) {
        // "[15, 16], O_CLOEXEC": the pair array is in the tail.
        std::size_t open = tail.find('[');
        std::size_t close = tail.find(']', open);
        if (open == std::string_view::npos || close == std::string_view::npos) return;
        ArgList numbers = split_args(tail.substr(open + 1, close - open - 1));
        auto first = numbers.count == 2 ? parse_fd(numbers[0]) : std::nullopt;
        auto second = numbers.count == 2 ? parse_fd(numbers[1]) : std::nullopt;
        if (!first || !second) return;
        if (signature.effect == FdEffect::Pipe) {
            install_pipe(pid, *first, *second, any_cloexec);
            return;
        }
        // socketpair: AF_UNIX (the only family Linux pairs), type unknown.
        FdIdentity end;
        end.kind = FdKind::Unix;
        end.source = FdSource::Log;
        end.details = UnixDetails{};
        end.ensure<UnixDetails>().state = "ESTABLISHED";
        auto one = model_.install(pid, *first, end, any_cloexec);
        auto other = model_.install(pid, *second, std::move(end), any_cloexec);
        one->other_end = other;
        other->other_end = one;
        return;
    }
    if (!signature.returns_fd || !event.retval || *event.retval < 0 || *event.retval > INT_MAX)
        return;
    const int fd = static_cast<int>(*event.retval);
    if (signature.effect == FdEffect::Accept) {
        // The tail starts with the peer's address (or NULL); no listener.
        accept(pid, fd, std::nullopt, split_args(tail)[0], tail);
        return;
    }
    FdIdentity identity;
    identity.source = FdSource::Log;
    if (signature.effect == FdEffect::Anon) identity.kind = signature.creates;
    if (signature.effect == FdEffect::MemfdCreate) identity.kind = FdKind::Memfd;
    if (signature.effect == FdEffect::PidfdOpen) identity.kind = FdKind::Pidfd;
    const bool cloexec = any_cloexec || signature.effect == FdEffect::PidfdOpen;
    OpenFilePtr file = model_.install(pid, fd, std::move(identity), cloexec);
    file->first_fd = fd;
}

void LogReplay::install_received(int pid, int fd, bool cloexec, std::optional<FdGone> unseen) {
    if (fd < 0) return;
    FdIdentity unknown;
    unknown.source = FdSource::Log;
    OpenFilePtr file = model_.install(pid, fd, std::move(unknown), cloexec);
    file->first_fd = fd;
    file->received = !unseen;
    file->unseen = unseen;
    file->inherited_ordinal = ++inherited_count_;
    if (on_inherited_) on_inherited_(*file);
}

bool is_error_of_an_open_fd(std::string_view error) noexcept {
    // The kernel looks the fd up first (fdget) and fails with EBADF there;
    // these come after, from what the fd is. (EINVAL and EFAULT may come
    // before: a flag or a pointer checked first.)
    constexpr std::string_view kAfterTheLookup[] = {
        "EAGAIN",   "EWOULDBLOCK", "EINTR",        "ENOTSOCK",     "ENOTTY",
        "ESPIPE",   "EPIPE",       "ECONNRESET",   "ENOTCONN",     "EINPROGRESS",
        "EALREADY", "EISCONN",     "ECONNREFUSED", "EDESTADDRREQ", "ETIMEDOUT",
    };
    for (std::string_view known : kAfterTheLookup)
        if (error == known) return true;
    return false;
}

void LogReplay::note_open(const SyscallSignature& signature, const SyscallEvent& event,
                          std::string_view line) {
    // Most lines: every fd on them is one the model holds.
    FdTable* table = model_.table(event.pid);
    if (!table) return;
    bool first_arg = true;
    for (const FdSite& site : event.fds) {
        if (site.role != FdRole::Arg || site.carried) continue;
        const bool is_first = std::exchange(first_arg, false);
        if (site.fd < 0) continue;
        auto went = table->gone(site.fd);
        if (!went) continue;
        // dup2/dup3's new fd need not be open; the kernel ignores the dirfd
        // of an absolute path and the fd of an anonymous mmap.
        if (!is_first && signature.effect == FdEffect::Dup2) continue;
        if (site.offset + site.length > line.size()) continue;
        std::string_view after = line.substr(site.offset + site.length);
        after.remove_prefix(std::min(after.size(), site.existing_annotation.size()));
        if (after.starts_with(", \"/")) continue;
        if (event.name.starts_with("mmap") && event.args.find("MAP_ANON") != std::string_view::npos)
            continue;
        install_received(event.pid, site.fd, false, went);
    }
}

OpenFile& LogReplay::file_for(int pid, int fd) {
    if (OpenFile* existing = model_.lookup(pid, fd)) return *existing;
    FdTable& table = *model_.process(pid).fds;
    // A child meeting an fd its parent had not touched when it forked (or
    // the parent meeting one a child met first, or a sibling): the same
    // open file from before the log, so what reveals it in one names it in
    // all (and it keeps its one ordinal, in both reads of a log).
    if (OpenFilePtr shared = table.from_before(fd)) {
        model_.install(pid, fd, shared, false);
        return *shared;
    }
    FdIdentity inherited;
    inherited.source = table.gone(fd) ? FdSource::Unknown : FdSource::Inherited;
    const bool from_before = inherited.source == FdSource::Inherited;
    OpenFilePtr file = model_.install(pid, fd, std::move(inherited), false);
    file->first_fd = fd;
    if (from_before) {
        file->inherited_ordinal = ++inherited_count_;
        table.met_from_before(fd, file);
        if (on_inherited_) on_inherited_(*file);
    }
    return *file;
}

namespace {

// `to` = `from` where `from` says something; true if that changed `to`.
bool take_if_given(std::string& to, const std::string& from) {
    if (from.empty() || from == to) return false;
    to = from;
    return true;
}

// What of `theirs` refines `ours` when both are of one family of details.
bool refine_details(FdIdentity& ours, const FdIdentity& theirs) {
    bool changed = false;
    // A file known by kind alone (a terminal's ioctl, an fstat's st_mode)
    // takes the path -y or a readlink of /proc/N/fd/M shows; its kind stays.
    const bool path_kind = ours.kind == FdKind::Chr || ours.kind == FdKind::Blk ||
                           ours.kind == FdKind::File || ours.kind == FdKind::Dir ||
                           ours.kind == FdKind::Fifo;
    if (std::holds_alternative<std::monostate>(ours.details) && path_kind)
        if (const auto* given = theirs.get<PathDetails>(); given && !given->path.empty()) {
            ours.details = *given;
            return true;
        }
    if (auto* path = ours.get<PathDetails>()) {
        if (const auto* given = theirs.get<PathDetails>()) {
            // Unlinked stays unlinked, unless the path it had was misread
            // (an older strace's "<P (deleted)>" for a file named so).
            if (take_if_given(path->path, given->path)) {
                path->deleted = given->deleted;
                changed = true;
            } else if (given->deleted && !path->deleted) {
                path->deleted = changed = true;
            }
        }
    } else if (auto* inet = ours.get<InetDetails>()) {
        if (const auto* given = theirs.get<InetDetails>()) {
            changed |= take_if_given(inet->local, given->local);
            changed |= take_if_given(inet->remote, given->remote);
        }
    } else if (auto* unix_socket = ours.get<UnixDetails>()) {
        if (const auto* given = theirs.get<UnixDetails>()) {
            changed |= take_if_given(unix_socket->path, given->path);
            changed |= take_if_given(unix_socket->peer_path, given->peer_path);
            if (given->peer_inode && given->peer_inode != unix_socket->peer_inode) {
                unix_socket->peer_inode = given->peer_inode;
                changed = true;
            }
        }
    } else if (auto* netlink = ours.get<NetlinkDetails>()) {
        if (const auto* given = theirs.get<NetlinkDetails>())
            changed |= take_if_given(netlink->protocol, given->protocol);
    }
    return changed;
}

}  // namespace

void LogReplay::learn_from_annotation(OpenFile& file, const FdIdentity& theirs) {
    FdIdentity& ours = file.identity;
    bool changed = false;
    if (ours.kind == FdKind::Unknown) {
        ours = theirs;
        changed = true;
    } else if (kind_unknown(ours) && theirs.kind != FdKind::Unknown &&
               theirs.kind != FdKind::Socket) {
        // A socket of unknown family: theirs names it (addresses kept if any).
        std::optional<std::uint64_t> inode = ours.inode;
        ours.kind = theirs.kind;
        ours.details = theirs.details;
        ours.inode = inode;
        changed = true;
    } else {
        // strace says "/x" for a directory too: our kind stays, details refine.
        changed = refine_details(ours, theirs);
    }
    if (theirs.inode && theirs.inode != ours.inode) {
        ours.inode = theirs.inode;
        changed = true;
    }
    if (!changed) return;
    learned_from_log(ours);
    file.changed();
}

namespace {

// The fd an EBADF is about: the only fd argument, or dup's old fd (its new
// one fails with EBADF only when out of range). None when it is ambiguous.
std::optional<int> fd_proven_not_open(const SyscallSignature& signature,
                                      const SyscallEvent& event) {
    std::optional<int> found;
    for (const FdSite& site : event.fds) {
        if (site.role != FdRole::Arg || site.carried) continue;
        if (signature.effect == FdEffect::Dup || signature.effect == FdEffect::Dup2) return site.fd;
        if (found && *found != site.fd) return std::nullopt;
        found = site.fd;
    }
    return found;
}

}  // namespace

void LogReplay::note_not_open(const SyscallSignature& signature, const SyscallEvent& event,
                              std::uint64_t line) {
    auto fd = fd_proven_not_open(signature, event);
    if (!fd || model_.gone(event.pid, *fd)) return;
    model_.close(event.pid, *fd, line, FdGoneReason::NotOpen);
}

void LogReplay::open_file(int pid, const SyscallEvent& event, const ArgList& args, bool has_dirfd) {
    std::string_view dirfd = has_dirfd ? args[0] : std::string_view{};
    std::string_view path_arg = has_dirfd ? args[1] : args[0];
    std::string_view flags = has_dirfd ? args[2] : args[1];
    auto raw_path = decode_c_string(path_arg);
    FdIdentity identity;
    identity.source = FdSource::Log;
    std::string path = raw_path ? resolve_path(pid, dirfd, *raw_path) : std::string();
    identity.kind = FdKind::File;
    if (has_flag(flags, "O_DIRECTORY")) identity.kind = FdKind::Dir;
    identity.kind = kind_by_path(path, identity.kind);
    identity.details = PathDetails{path, false};
    // Relative to a directory fd whose path is unknown (else the path is
    // the cwd's, or absolute).
    if (!path.empty() && path[0] != '/' && !dirfd.empty() && !is_at_fdcwd(dirfd))
        if (auto number = parse_fd(dirfd)) {
            const OpenFile* dir = model_.lookup(pid, *number);
            const auto* known = dir ? dir->identity.get<PathDetails>() : nullptr;
            if (!known || known->path.empty()) identity.get<PathDetails>()->dirfd = *number;
        }
    if (std::string type = namespace_of_path(path); !type.empty()) {
        identity.kind = FdKind::Namespace;
        identity.details = AnonDetails{std::move(type), {}};
    }
    // Reopening /proc/N/fd/M, /dev/fd/M or /dev/stdin opens what fd M is
    // (a deleted file, a pipe: bash's <(...) is /dev/fd/63); the open
    // succeeded, so fd M was open. What fd M is unknown stays its path.
    if (auto reopened = reopened_fd(pid, path)) {
        const OpenFile& target = file_for(reopened->first, reopened->second);
        if (target.identity.kind != FdKind::Unknown) {
            identity = target.identity;
            identity.peer.reset();
            // Through /proc a pipe opens at the end the flags ask for.
            if (auto* pipe = identity.get<PipeDetails>()) {
                if (has_flag(flags, "O_WRONLY"))
                    pipe->end = "write";
                else if (!has_flag(flags, "O_RDWR"))
                    pipe->end = "read";
            }
        } else {
            identity.kind = FdKind::Unknown;
        }
        identity.source = FdSource::Log;
    }
    bool cloexec = open_sets_cloexec(event.name, flags);
    model_.install(pid, static_cast<int>(*event.retval), std::move(identity), cloexec);
}

void LogReplay::create_socket(int pid, int fd, const ArgList& args) {
    FdIdentity identity;
    identity.source = FdSource::Log;
    auto family = numeric_or_named(args[0], kFamilies);
    auto type = numeric_or_named(args[1], kSocketTypes);
    int base_type = type ? (*type & 0xf) : 0;
    switch (family.value_or(-1)) {
        case AF_INET:
        case AF_INET6: {
            bool v6 = *family == AF_INET6;
            if (base_type == SOCK_STREAM)
                identity.kind = v6 ? FdKind::Tcp6 : FdKind::Tcp;
            else if (base_type == SOCK_DGRAM)
                identity.kind = v6 ? FdKind::Udp6 : FdKind::Udp;
            else
                identity.kind = FdKind::Raw;
            identity.details = InetDetails{};
            break;
        }
        case AF_UNIX: {
            identity.kind = FdKind::Unix;
            UnixDetails details;
            if (base_type == SOCK_STREAM)
                details.type = "STREAM";
            else if (base_type == SOCK_DGRAM)
                details.type = "DGRAM";
            else if (base_type == SOCK_SEQPACKET)
                details.type = "SEQPACKET";
            identity.details = std::move(details);
            break;
        }
        case AF_NETLINK: {
            identity.kind = FdKind::Netlink;
            NetlinkDetails details;
            for (const auto& protocol : kNetlinkProtocols)
                if (has_flag(args[2], protocol.constant) ||
                    parse_integer(args[2]) == std::optional<std::int64_t>(protocol.value))
                    details.protocol = std::string(protocol.name);
            identity.details = std::move(details);
            break;
        }
        case AF_PACKET:
            identity.kind = FdKind::Packet;
            break;
        default:
            identity.kind = FdKind::Socket;
    }
    model_.install(pid, fd, std::move(identity), has_flag(args[1], "SOCK_CLOEXEC"));
}

void LogReplay::install_pipe(int pid, int read_fd, int write_fd, bool cloexec) {
    FdIdentity identity;
    identity.kind = FdKind::Pipe;
    identity.source = FdSource::Log;
    identity.details = PipeDetails{"read"};
    auto read_end = model_.install(pid, read_fd, identity, cloexec);
    identity.details = PipeDetails{"write"};
    auto write_end = model_.install(pid, write_fd, std::move(identity), cloexec);
    read_end->other_end = write_end;
    write_end->other_end = read_end;
}

void LogReplay::socket_pair(int pid, const ArgList& args, bool is_pipe, std::string_view flags) {
    // pipe([3, 4]) / pipe2([3, 4], O_CLOEXEC) / socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4])
    std::string_view pair = is_pipe ? args[0] : args[3];
    std::vector<int> fds;
    if (pair.starts_with('[')) {
        ArgList numbers = split_args(pair.substr(1, pair.size() - (pair.ends_with(']') ? 2 : 1)));
        for (std::size_t i = 0; i < numbers.count; ++i)
            if (auto fd = parse_fd(numbers[i])) fds.push_back(*fd);
    }
    if (fds.size() != 2) return;
    bool cloexec = flags.find("CLOEXEC") != std::string_view::npos;
    if (is_pipe) {
        install_pipe(pid, fds[0], fds[1], cloexec);
        return;
    }
    create_socket(pid, fds[0], args);
    create_socket(pid, fds[1], args);
    OpenFile* first = model_.lookup(pid, fds[0]);
    OpenFile* second = model_.lookup(pid, fds[1]);
    FdEntry* first_entry = model_.entry(pid, fds[0]);
    FdEntry* second_entry = model_.entry(pid, fds[1]);
    if (!first || !second) return;
    first->other_end = second_entry->file;
    second->other_end = first_entry->file;
    for (OpenFile* end : {first, second})
        if (auto* details = end->identity.get<UnixDetails>()) details->state = "ESTABLISHED";
}

void LogReplay::accept(int pid, int fd, std::optional<int> listener_fd, std::string_view peer_text,
                       std::string_view flags) {
    OpenFile* listener = listener_fd ? model_.lookup(pid, *listener_fd) : nullptr;
    auto peer = parse_sockaddr(peer_text);
    if (listener && kind_unknown(listener->identity) && peer) {
        // Only a listening stream socket accepts: TCP for an inet peer.
        if (peer->family == SockAddr::Family::Inet)
            become(*listener, FdKind::Tcp);
        else if (peer->family == SockAddr::Family::Inet6)
            become(*listener, FdKind::Tcp6);
        else if (peer->family == SockAddr::Family::Unix)
            become(*listener, FdKind::Unix);
        if (auto* inet = listener->identity.get<InetDetails>()) inet->state = "LISTEN";
        if (auto* unix_socket = listener->identity.get<UnixDetails>()) {
            unix_socket->state = "LISTEN";
            unix_socket->type = "STREAM";
        }
        listener->changed();
    }
    FdIdentity identity;
    identity.source = FdSource::Log;
    if (listener) {
        identity.kind = listener->identity.kind;
        identity.details = listener->identity.details;
    } else {
        identity.kind = FdKind::Socket;
    }
    if (auto* inet = identity.get<InetDetails>()) {
        inet->state = "ESTABLISHED";
        inet->remote = peer ? peer->address : std::string();
        // A listener on 0.0.0.0 accepting from a loopback peer: the local end
        // is that loopback address (the kernel answered on it). From anywhere
        // else it is one of the host's addresses, which the log does not
        // show: only the port is known ("*:80"; never 0.0.0.0 once connected).
        if (!inet->local.empty() && is_wildcard_host(host_of(inet->local))) {
            if (is_loopback(inet->remote))
                inet->local = host_of(inet->remote) + ":" + port_of(inet->local);
            else
                inet->local = "*:" + port_of(inet->local);
        }
    } else if (auto* unix_socket = identity.get<UnixDetails>()) {
        unix_socket->state = "ESTABLISHED";
        unix_socket->peer_inode = 0;
    } else if (peer && peer->family == SockAddr::Family::Inet) {
        identity.kind = FdKind::Tcp;
        identity.details = InetDetails{{}, peer->address, "ESTABLISHED", {}};
    } else if (peer && peer->family == SockAddr::Family::Inet6) {
        identity.kind = FdKind::Tcp6;
        identity.details = InetDetails{{}, peer->address, "ESTABLISHED", {}};
    } else if (peer && peer->family == SockAddr::Family::Unix) {
        identity.kind = FdKind::Unix;
        UnixDetails unix_socket;
        unix_socket.state = "ESTABLISHED";
        unix_socket.type = "STREAM";
        identity.details = std::move(unix_socket);
    }
    bool cloexec = has_flag(flags, "SOCK_CLOEXEC");
    model_.install(pid, fd, std::move(identity), cloexec);
}

void LogReplay::socket_address(int pid, const ArgList& args, FdEffect effect, bool succeeded,
                               std::string_view error) {
    auto fd = parse_fd(args[0]);
    if (!fd) return;
    // A connect in progress (non-blocking) still names the remote end, and
    // so does a blocking one the other end refused or never answered (only a
    // stream socket gets those: a datagram connect() sends nothing).
    bool in_progress = error == "EINPROGRESS" || error == "EALREADY";
    const bool stream_failure = error == "ECONNREFUSED" || error == "ETIMEDOUT" ||
                                error == "ECONNRESET";  // (a datagram connect is local)
    const bool failed_connect =
        effect == FdEffect::Connect &&
        (stream_failure || error == "EHOSTUNREACH" || error == "ENETUNREACH");
    if (!succeeded && effect == FdEffect::Connect && !in_progress && !failed_connect &&
        error != "EAFNOSUPPORT" && error != "EINVAL" && error != "ENOTSOCK" && error != "EBADF" &&
        error != "EFAULT") {
        // connect(AF_UNIX "/run/x.sock") = -1 ENOENT, ECONNREFUSED, EACCES...:
        // the kernel looked the address up, so it was of the socket's family.
        OpenFile& file = file_for(pid, *fd);
        auto address = parse_sockaddr(args[1]);
        if (kind_unknown(file.identity) && address && address->family == SockAddr::Family::Unix)
            become(file, FdKind::Unix);
        return;
    }
    if (!succeeded && ((!in_progress && !failed_connect) || effect == FdEffect::Listen)) return;
    OpenFile& file = file_for(pid, *fd);
    FdIdentity& identity = file.identity;
    if (effect == FdEffect::Listen) {
        // Only a stream socket listens: an inet one is TCP.
        if (identity.kind == FdKind::Socket && identity.get<InetDetails>())
            identity.kind = is_v6(identity) ? FdKind::Tcp6 : FdKind::Tcp;
        if (auto* inet = identity.get<InetDetails>()) inet->state = "LISTEN";
        if (auto* unix_socket = identity.get<UnixDetails>()) unix_socket->state = "LISTEN";
        file.changed();
        return;
    }
    auto address = parse_sockaddr(args[1]);
    if (!address) return;
    const bool inet_address =
        address->family == SockAddr::Family::Inet || address->family == SockAddr::Family::Inet6;
    if (effect == FdEffect::Connect && address->family == SockAddr::Family::Unspec) {
        // connect(AF_UNSPEC) dissolves the association: no peer any more.
        if (auto* inet = identity.get<InetDetails>()) {
            inet->remote.clear();
            inet->state.clear();
            inet->error.clear();
        }
        if (auto* unix_socket = identity.get<UnixDetails>()) unix_socket->peer_path.clear();
        file.changed();
        return;
    }
    // A socket the log never created (inherited) learns its family here, but
    // not its type: an inet address fits TCP and UDP alike, and only a stream
    // socket answers connect() with EINPROGRESS.
    if (kind_unknown(identity)) {
        const bool v6 = address->family == SockAddr::Family::Inet6;
        if (inet_address && (in_progress || (failed_connect && stream_failure)))
            become(file, v6 ? FdKind::Tcp6 : FdKind::Tcp);
        else if (address->family == SockAddr::Family::Unix)
            become(file, FdKind::Unix);
        else if (address->family == SockAddr::Family::Netlink)
            become(file, FdKind::Netlink);
        else
            identity.kind = FdKind::Socket;
    }
    learned_from_log(identity);
    if (is_inet_kind(identity.kind) || (identity.kind == FdKind::Socket && inet_address)) {
        auto& inet = identity.ensure<InetDetails>();
        bool is_local = effect == FdEffect::Bind || effect == FdEffect::SockName;
        // inet_addr("") (strace could not read the host): the port still is.
        std::string where = address->address;
        if (where.empty() && inet_address && address->port != 0)
            where = "?:" + std::to_string(address->port);
        if (where.empty()) {
            file.changed();
            return;
        }
        if (is_local) {
            inet.local = std::move(where);
        } else {
            inet.remote = std::move(where);
            inet.error.clear();
            if (identity.kind == FdKind::Tcp || identity.kind == FdKind::Tcp6)
                inet.state = in_progress ? "SYN_SENT" : "ESTABLISHED";
            if (failed_connect) {
                if (identity.kind == FdKind::Tcp || identity.kind == FdKind::Tcp6)
                    inet.state = "CLOSE";
                inet.error = std::string(error);
            }
        }
    } else if (identity.kind == FdKind::Unix) {
        auto& unix_socket = identity.ensure<UnixDetails>();
        if (effect == FdEffect::Bind || effect == FdEffect::SockName) {
            if (!address->address.empty()) unix_socket.path = address->address;
        } else {
            if (!address->address.empty()) unix_socket.peer_path = address->address;
            if (effect == FdEffect::Connect) unix_socket.state = "ESTABLISHED";
        }
    }
    file.changed();
}

void LogReplay::reveal_by_level(OpenFile& file, const ArgList& args, bool getting) {
    // setsockopt/getsockopt(fd, LEVEL, OPTION, ...): the level is the protocol.
    std::string_view level = args[1];
    const bool v6 = is_v6(file.identity);
    if (level == "SOL_TCP" || level == "IPPROTO_TCP") {
        become(file, v6 ? FdKind::Tcp6 : FdKind::Tcp);
    } else if (level == "SOL_UDP" || level == "IPPROTO_UDP") {
        become(file, v6 ? FdKind::Udp6 : FdKind::Udp);
    } else if (level == "SOL_NETLINK") {
        become(file, FdKind::Netlink);
    } else if (level == "SOL_PACKET") {
        become(file, FdKind::Packet);
    } else if (getting && args[2] == "SO_TYPE" && file.identity.get<InetDetails>()) {
        if (args[3] == "[SOCK_STREAM]")
            become(file, v6 ? FdKind::Tcp6 : FdKind::Tcp);
        else if (args[3] == "[SOCK_DGRAM]")
            become(file, v6 ? FdKind::Udp6 : FdKind::Udp);
    }
    if (file.identity.kind == FdKind::Unknown) become(file, FdKind::Socket);
}

void LogReplay::reveal_by_address(OpenFile& file, std::string_view address_text, bool receiving,
                                  bool may_be_stream) {
    // The other end's address on a datagram: a stream socket receives none,
    // and sends to its peer only (TCP Fast Open aside, hence may_be_stream).
    auto address = parse_sockaddr(address_text);
    const bool v6 = address && address->family == SockAddr::Family::Inet6;
    if (!address) {
        if (file.identity.kind == FdKind::Unknown) become(file, FdKind::Socket);
    } else if (address->family == SockAddr::Family::Netlink) {
        become(file, FdKind::Netlink);
    } else if (address->family == SockAddr::Family::Unix) {
        become(file, FdKind::Unix);
    } else if ((v6 || address->family == SockAddr::Family::Inet) && (receiving || !may_be_stream)) {
        become(file, v6 ? FdKind::Udp6 : FdKind::Udp);
    } else if (file.identity.kind == FdKind::Unknown) {
        become(file, FdKind::Socket);
    }
}

void LogReplay::finish_connect(OpenFile& file, const SyscallEvent& event, const ArgList& args) {
    // A non-blocking connect ends with SO_ERROR: 0 is connected, an errno
    // is the failure; data moving either way means it connected.
    auto& inet = *file.identity.get<InetDetails>();
    if (event.name == "getsockopt") {
        if (args[2] != "SO_ERROR") return;
        std::string_view value = args[3];
        if (value.size() < 3 || value.front() != '[' || value.back() != ']') return;
        value = value.substr(1, value.size() - 2);
        if (value == "0") {
            inet.state = "ESTABLISHED";
        } else {
            inet.state = "CLOSE";
            inet.error = std::string(value);
        }
    } else if (event.name != "setsockopt") {
        inet.state = "ESTABLISHED";
    } else {
        return;
    }
    file.changed();
}

void LogReplay::reveal(const SyscallSignature& signature, const SyscallEvent& event,
                       std::string_view args_text) {
    // Most of these lines are send/recv on sockets the log knows: settle
    // that from the fd alone, before splitting the arguments.
    auto fd = parse_fd(args_text.substr(0, args_text.find(',')));
    OpenFile* file = fd ? model_.lookup(event.pid, *fd) : nullptr;
    if (!file || !event.succeeded()) return;
    const bool unknown = kind_unknown(file->identity);
    const bool connecting = waiting_for_connect(file->identity);
    if (!unknown && !connecting) return;
    ArgList args = split_args(args_text);
    if (connecting) finish_connect(*file, event, args);
    if (!unknown) return;
    std::string_view name = signature.name;
    if (signature.shape == FdShape::EpollWait)
        become(*file, FdKind::Epoll);
    else if (name == "setsockopt" || name == "getsockopt")
        reveal_by_level(*file, args, name == "getsockopt");
    else if (name == "recvfrom")
        reveal_by_address(*file, args[4], true, true);
    else if (name == "sendto")
        reveal_by_address(*file, args[4], false, has_flag(args[3], "MSG_FASTOPEN"));
    else if (name == "recvmsg" || name == "sendmsg")
        reveal_by_address(*file, struct_field(args[1], "msg_name"), name == "recvmsg", true);
    else if (name == "setns") {
        // nstype 0: a namespace fd of any type. Two types or more: only a
        // pidfd takes them. One type: a namespace fd or a pidfd; not said.
        if (args.count < 2) return;
        auto types = namespace_types(args[1]);
        if (args[1] == "0")
            name_namespace(*file, {});
        else if (types.size() > 1)
            become(*file, FdKind::Pidfd);
    } else if (file->identity.kind == FdKind::Unknown)
        become(*file, FdKind::Socket);  // shutdown
}

void LogReplay::learn_type_from_mode(int pid, int fd, std::string_view stat_text) {
    // Only fds the log never opened are unknown; the rest already know more.
    OpenFile& file = file_for(pid, fd);
    FdIdentity& identity = file.identity;
    // A terminal known only from an ioctl may learn its path here.
    const bool pathless_device = identity.kind == FdKind::Chr && !identity.get<PathDetails>();
    if (identity.kind != FdKind::Unknown && !pathless_device) return;
    std::string_view mode = struct_field(stat_text, "st_mode");
    if (mode.empty()) mode = struct_field(stat_text, "stx_mode");
    const FileTypeBits* type = file_type_of(mode);
    if (!type || (pathless_device && type->kind != FdKind::Chr)) return;
    std::string path;
    if (type->kind == FdKind::Chr) {
        // st_rdev=makedev(0x1, 0x3); -X verbose: st_rdev=0x103 /* makedev(0x1, 0x3) */;
        // -X raw: st_rdev=0x103; statx: stx_rdev_major=136, stx_rdev_minor=0
        std::string_view rdev = struct_field(stat_text, "st_rdev");
        std::size_t makedev = rdev.find("makedev(");
        if (makedev != std::string_view::npos) {
            rdev.remove_prefix(makedev + 8);
            ArgList numbers = split_args(rdev.substr(0, rdev.find(')')));
            auto major = parse_integer(numbers[0]);
            auto minor = parse_integer(numbers[1]);
            if (major && minor) path = device_path(*major, *minor);
        } else if (auto number = parse_integer(rdev); number && *number >= 0) {
            const auto device = static_cast<dev_t>(*number);
            path = device_path(major(device), minor(device));
        } else {
            auto major = parse_integer(struct_field(stat_text, "stx_rdev_major"));
            auto minor = parse_integer(struct_field(stat_text, "stx_rdev_minor"));
            if (major && minor) path = device_path(*major, *minor);
        }
    }
    if (pathless_device && path.empty()) return;
    identity.kind = type->kind;
    learned_from_log(identity);
    if (!path.empty()) identity.details = PathDetails{path, false};
    file.changed();
}

void LogReplay::clone(int pid, const SyscallEvent& event, const ArgList& args,
                      std::string_view name) {
    if (!event.retval || *event.retval <= 0) return;
    int child = static_cast<int>(*event.retval);
    // The child may have shown up before the parent's clone returned; the
    // annotator then already made its table.
    if (model_.find_process(child)) return;
    std::string_view flags;
    if (name == "clone") {
        for (std::size_t i = 0; i < args.count; ++i)
            if (args[i].starts_with("flags=")) flags = args[i].substr(6);
    } else if (name == "clone3") {
        flags = struct_field(args[0], "flags");
    }
    model_.clone(pid, child, has_flag(flags, "CLONE_FILES") && !options_.copy_shared_tables,
                 has_flag(flags, "CLONE_FS"), has_flag(flags, "CLONE_THREAD"));
}

std::string LogReplay::channel_of(OpenFile& socket, bool sending) const {
    // A socketpair: what one end sends, the other end receives.
    if (auto other = socket.other_end.lock())
        return "pair:" +
               std::to_string(reinterpret_cast<std::uintptr_t>(sending ? other.get() : &socket));
    // A connection to a named socket: the client knows the server's path,
    // the accepted socket carries it as its own.
    if (const auto* unix_socket = socket.identity.get<UnixDetails>()) {
        const std::string& path =
            unix_socket->peer_path.empty() ? unix_socket->path : unix_socket->peer_path;
        if (!path.empty()) return "path:" + path;
    }
    return {};
}

void LogReplay::pass_fds(int pid, std::string_view args_text, bool sending) {
    // No socket fd: a receive whose first half is not in the log; what
    // it received came from outside, as far as the log shows.
    auto socket_fd = parse_fd(split_args(args_text)[0]);
    if (!socket_fd && sending) return;
    std::string channel = socket_fd ? channel_of(file_for(pid, *socket_fd), sending) : "";
    bool cloexec = args_text.find("MSG_CMSG_CLOEXEC") != std::string_view::npos;
    constexpr std::string_view kKey = "cmsg_data=[";
    std::size_t pos = args_text.find(kKey);
    while (pos != std::string_view::npos) {
        std::size_t end = args_text.find(']', pos);
        if (end == std::string_view::npos) break;
        ArgList numbers = split_args(args_text.substr(pos + kKey.size(), end - pos - kKey.size()));
        for (std::size_t i = 0; i < numbers.count; ++i) {
            auto fd = parse_fd(numbers[i]);
            if (!fd) continue;
            if (sending) {
                if (channel.empty()) continue;
                auto& queue = in_flight_[channel];
                if (queue.size() >= 1024) queue.pop_front();  // a log that never receives
                file_for(pid, *fd);
                queue.push_back(model_.entry(pid, *fd)->file);
                continue;
            }
            auto it = channel.empty() ? in_flight_.end() : in_flight_.find(channel);
            if (it != in_flight_.end() && !it->second.empty()) {
                model_.install(pid, *fd, it->second.front(), cloexec);
                it->second.pop_front();
                if (it->second.empty()) in_flight_.erase(it);
            } else {
                install_received(pid, *fd, cloexec);  // sent from outside the log
            }
        }
        pos = args_text.find(kKey, end);
    }
}

void LogReplay::apply(const SyscallSignature& signature, const SyscallEvent& event,
                      std::string_view args_text, std::uint64_t line) {
    if (signature.effect == FdEffect::None || signature.effect == FdEffect::Exit) return;
    if (signature.effect == FdEffect::Reveal) {
        reveal(signature, event, args_text);
        return;
    }
    const int pid = event.pid;
    ArgList args = split_args(args_text);
    const bool ok = event.succeeded();
    const int ret_fd = event.retval && *event.retval >= 0 && *event.retval <= INT_MAX
                           ? static_cast<int>(*event.retval)
                           : -1;

    switch (signature.effect) {
        case FdEffect::None:
        case FdEffect::Exit:
        case FdEffect::Reveal:
            return;
        case FdEffect::Open:
            if (ok) open_file(pid, event, args, signature.fd_args & 1);
            return;
        case FdEffect::Socket:
            if (ok) create_socket(pid, ret_fd, args);
            return;
        case FdEffect::SocketPair:
            if (ok) socket_pair(pid, args, false, args[1]);
            return;
        case FdEffect::Pipe:
            if (ok) socket_pair(pid, args, true, args[1]);
            return;
        case FdEffect::Accept:
            if (ok) accept(pid, ret_fd, parse_fd(args[0]), args[1], args[3]);
            return;
        case FdEffect::Connect:
        case FdEffect::Bind:
        case FdEffect::Listen:
        case FdEffect::SockName:
        case FdEffect::PeerName:
            socket_address(pid, args, signature.effect, ok, event.error);
            return;
        case FdEffect::Dup:
        case FdEffect::Dup2: {
            auto old_fd = parse_fd(args[0]);
            if (!ok || !old_fd || ret_fd < 0) return;
            file_for(pid, *old_fd);  // an inherited fd gets its entry first
            bool cloexec = signature.effect == FdEffect::Dup2 && has_flag(args[2], "O_CLOEXEC");
            model_.dup_call(pid, *old_fd, ret_fd, cloexec);
            return;
        }
        case FdEffect::Fcntl: {
            auto fd = parse_fd(args[0]);
            if (!ok || !fd) return;
            std::string_view command = args[1];
            bool cloexec = false;
            if (fcntl_command_dups(command, &cloexec)) {
                file_for(pid, *fd);
                model_.dup_call(pid, *fd, ret_fd, cloexec);
            } else if (fcntl_command_sets_fd_flags(command)) {
                file_for(pid, *fd);
                model_.set_cloexec(pid, *fd, has_flag(args[2], "FD_CLOEXEC") || args[2] == "1");
            }
            return;
        }
        case FdEffect::Close: {
            // EBADF was noted before the line was named (note_not_open).
            if (auto fd = parse_fd(args[0])) model_.close_call(pid, *fd, event.error, line);
            return;
        }
        case FdEffect::CloseRange: {
            if (!ok) return;
            auto first = parse_integer(args[0]);
            auto last = parse_integer(args[1]);
            if (!first || *first < 0) return;
            unsigned high =
                last && *last >= 0 && *last <= UINT_MAX ? static_cast<unsigned>(*last) : UINT_MAX;
            if (args[1].starts_with("~0")) high = UINT_MAX;
            unsigned flags = 0;
            if (auto number = parse_integer(args[2])) {
                flags = static_cast<unsigned>(*number);  // -X raw
            } else {
                if (has_flag(args[2], "CLOSE_RANGE_UNSHARE")) flags |= CLOSE_RANGE_UNSHARE;
                if (has_flag(args[2], "CLOSE_RANGE_CLOEXEC")) flags |= CLOSE_RANGE_CLOEXEC;
            }
            model_.close_range_call(pid, static_cast<unsigned>(*first), high, flags, line);
            return;
        }
        case FdEffect::Anon: {
            if (!ok || ret_fd < 0) return;
            // signalfd(fd, ...) on an existing signalfd changes it in place.
            if (auto existing = parse_fd(args[0]);
                existing && *existing == ret_fd && (signature.fd_args & 1))
                return;
            FdIdentity identity;
            identity.kind = signature.creates;
            identity.source = FdSource::Log;
            if (signature.creates == FdKind::Bpf)
                identity.details =
                    AnonDetails{args[0] == "BPF_MAP_CREATE" ? "bpf-map" : "bpf-prog", {}};
            model_.install(pid, ret_fd, std::move(identity), any_cloexec(args));
            return;
        }
        case FdEffect::MemfdCreate: {
            if (!ok) return;
            FdIdentity identity;
            identity.kind = FdKind::Memfd;
            identity.source = FdSource::Log;
            identity.details = AnonDetails{decoded_or_raw(args[0]), {}};
            model_.install(pid, ret_fd, std::move(identity), has_flag(args[1], "MFD_CLOEXEC"));
            return;
        }
        case FdEffect::PidfdOpen: {
            if (!ok) return;
            FdIdentity identity;
            identity.kind = FdKind::Pidfd;
            identity.source = FdSource::Log;
            identity.details = PidfdDetails{static_cast<int>(parse_integer(args[0]).value_or(0))};
            // pidfds are always close-on-exec.
            model_.install(pid, ret_fd, std::move(identity), true);
            return;
        }
        case FdEffect::PidfdGetfd: {
            if (!ok) return;
            // The fd comes from the process the pidfd names; if the log knows
            // that process, it is the very same open file.
            OpenFile* pidfd = model_.lookup(pid, parse_fd(args[0]).value_or(-1));
            const PidfdDetails* target = pidfd ? pidfd->identity.get<PidfdDetails>() : nullptr;
            auto remote_fd = parse_fd(args[1]);
            if (target && remote_fd) {
                if (FdEntry* remote = model_.entry(target->pid, *remote_fd)) {
                    model_.install(pid, ret_fd, remote->file, true);
                    return;
                }
            }
            install_received(pid, ret_fd, true);
            return;
        }
        case FdEffect::Clone:
            clone(pid, event, args, signature.name);
            return;
        case FdEffect::Exec:
            if (ok) {
                std::string_view path = signature.name == "execveat" ? args[1] : args[0];
                model_.exec(pid, decoded_or_raw(path), line);
            }
            return;
        case FdEffect::Chdir:
            if (auto path = decode_c_string(args[0]); ok && path) {
                std::string cwd = resolve_path(pid, {}, *path);
                FdModel::Process& process = model_.process(pid);
                *process.cwd = std::move(cwd);
                *process.cwd_from_before = 0;
            }
            return;
        case FdEffect::Fchdir:
            if (auto fd = parse_fd(args[0]); ok && fd) {
                std::string cwd;  // a directory nothing named: the cwd is unknown now
                if (OpenFile* dir = model_.lookup(pid, *fd))
                    if (auto* details = dir->identity.get<PathDetails>()) cwd = details->path;
                FdModel::Process& process = model_.process(pid);
                *process.cwd = std::move(cwd);
                *process.cwd_from_before = 0;
            }
            return;
        case FdEffect::Getcwd:
            if (auto path = decode_c_string(args[0]); ok && path && path->starts_with('/'))
                learn_cwd(pid, *path);
            return;
        case FdEffect::Unlink: {
            if (!ok) return;
            bool at = signature.fd_args & 1;
            auto path = decode_c_string(at ? args[1] : args[0]);
            if (path)
                model_.mark_deleted(resolve_path(pid, at ? args[0] : std::string_view{}, *path));
            return;
        }
        case FdEffect::Rename: {
            if (!ok) return;
            bool at = signature.fd_args & 1;
            auto from = decode_c_string(at ? args[1] : args[0]);
            auto to = decode_c_string(at ? args[3] : args[1]);
            if (!from || !to) return;
            std::string new_path = resolve_path(pid, at ? args[2] : std::string_view{}, *to);
            model_.mark_deleted(new_path);  // whatever was there is replaced
            model_.rename(resolve_path(pid, at ? args[0] : std::string_view{}, *from), new_path);
            return;
        }
        case FdEffect::EpollCtl: {
            auto epfd = parse_fd(args[0]);
            auto fd = parse_fd(args[2]);
            if (!ok || !epfd || !fd) return;
            OpenFile& epoll = file_for(pid, *epfd);
            if (epoll.identity.kind == FdKind::Unknown) become(epoll, FdKind::Epoll);
            if (args[1].find("EPOLL_CTL_DEL") != std::string_view::npos) {
                std::erase_if(epoll.epoll_data,
                              [&](const auto& item) { return item.second == *fd; });
                return;
            }
            std::string_view data = struct_field(args[3], "data");
            std::string_view u64 = struct_field(data, "u64");
            if (auto value = parse_integer(u64))
                epoll.epoll_data[static_cast<std::uint64_t>(*value)] = *fd;
            return;
        }
        case FdEffect::Fstat: {
            auto fd = parse_fd(args[0]);
            if (!ok || !fd) return;
            if (signature.name == "fstat") {
                learn_type_from_mode(pid, *fd, args[1]);
            } else if (args[1] == "\"\"") {  // newfstatat/statx(fd, "", AT_EMPTY_PATH, ...)
                learn_type_from_mode(pid, *fd, signature.name == "statx" ? args[4] : args[2]);
            }
            return;
        }
        case FdEffect::Getdents: {
            auto fd = parse_fd(args[0]);
            if (!ok || !fd) return;
            OpenFile& file = file_for(pid, *fd);
            if (file.identity.kind == FdKind::Unknown || file.identity.kind == FdKind::File) {
                file.identity.kind = FdKind::Dir;
                learned_from_log(file.identity);
                file.changed();
            }
            return;
        }
        case FdEffect::Ioctl: {
            auto fd = parse_fd(args[0]);
            if (!ok || !fd || args.count < 2) return;
            const unsigned long nsfs = nsfs_request(args[1]);
            if (ioctl_request_returns_fd(args[1]) && ret_fd >= 0 && !nsfs) {
                // TIOCGPTPEER: the slave of master fd, as open("/dev/pts/N")
                // gives; the master is a terminal device (below).
                FdIdentity identity;
                identity.kind = FdKind::Chr;
                identity.source = FdSource::Log;
                if (const OpenFile* master = model_.lookup(pid, *fd);
                    master && master->pty_index >= 0)
                    identity.details =
                        PathDetails{"/dev/pts/" + std::to_string(master->pty_index), false};
                model_.install(pid, ret_fd, std::move(identity), any_cloexec(args));
            }
            if (const unsigned long request = nsfs) {
                // Only a namespace fd answers these; NS_GET_NSTYPE says its
                // type, NS_GET_USERNS returns its owning user namespace,
                // NS_GET_PARENT the parent (pid and user namespaces have one).
                OpenFile& file = file_for(pid, *fd);
                std::string_view type;
                if (request == NS_GET_NSTYPE && event.retval) {
                    auto types = namespace_types(std::to_string(*event.retval));
                    if (types.size() == 1) type = types[0];
                }
                name_namespace(file, type);
                if (ret_fd >= 0) {
                    std::string returned = "user";
                    if (request != NS_GET_USERNS) {
                        const auto* details = file.identity.get<AnonDetails>();
                        returned = details ? details->name : std::string();
                    }
                    FdIdentity identity;
                    identity.kind = FdKind::Namespace;
                    identity.source = FdSource::Log;
                    identity.details = AnonDetails{std::move(returned), {}};
                    model_.install(pid, ret_fd, std::move(identity), any_cloexec(args));
                }
                return;
            }
            if (!is_terminal_ioctl(args[1])) return;
            OpenFile& file = file_for(pid, *fd);
            // TIOCGPTN: [N], the number of the master's slave.
            if (args.count > 2 && has_flag(args[1], "TIOCGPTN") && args[2].starts_with('[') &&
                args[2].ends_with(']'))
                if (auto index = parse_integer(args[2].substr(1, args[2].size() - 2));
                    index && *index >= 0) {
                    file.pty_index = static_cast<int>(*index);
                    // Only a pty master answers TIOCGPTN.
                    if (file.identity.kind == FdKind::Unknown ||
                        (file.identity.kind == FdKind::Chr && !file.identity.get<PathDetails>())) {
                        file.identity.kind = FdKind::Chr;
                        file.identity.details = PathDetails{"/dev/ptmx", false};
                        learned_from_log(file.identity);
                        file.changed();
                    }
                }
            if (file.identity.kind == FdKind::Unknown) {
                file.identity.kind = FdKind::Chr;
                learned_from_log(file.identity);
                file.changed();
            }
            return;
        }
        case FdEffect::SendMsg:
        case FdEffect::RecvMsg:
            reveal(signature, event, args_text);
            if (ok) pass_fds(pid, args_text, signature.effect == FdEffect::SendMsg);
            return;
    }
}

}  // namespace fdtrace
