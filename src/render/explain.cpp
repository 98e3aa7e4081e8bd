#include "fdtrace/explain.h"

#include "fdtrace/strace_args.h"

namespace fdtrace {
namespace {

// Which calls a rule applies to: a '|'-separated list of names; a trailing
// '*' matches a prefix ("recv*"); "*" alone matches every call.
bool matches_syscall(std::string_view pattern, std::string_view name) {
    while (!pattern.empty()) {
        std::size_t bar = pattern.find('|');
        std::string_view one = pattern.substr(0, bar);
        if (one == "*" || one == name ||
            (one.ends_with('*') && name.starts_with(one.substr(0, one.size() - 1))))
            return true;
        if (bar == std::string_view::npos) break;
        pattern.remove_prefix(bar + 1);
    }
    return false;
}

struct Rule {
    std::string_view syscalls;
    enum class When { Errno, Flag, Returns } when;
    std::string_view what;  // errno name, flag name, or return text
    std::string_view text;
};

using W = Rule::When;

// clang-format off
constexpr Rule kRules[] = {
    // --- errors, in the call where they mean something specific
    {"connect", W::Errno, "EINPROGRESS", "EINPROGRESS: the non-blocking connect has started; it completes when the fd polls writable (POLLOUT), then getsockopt(SO_ERROR) says how it went"},
    {"connect", W::Errno, "ECONNREFUSED", "ECONNREFUSED: nothing listens on that address and port (the peer answered with a reset)"},
    {"connect", W::Errno, "ETIMEDOUT", "ETIMEDOUT: the peer never answered the handshake (filtered, or the host is down)"},
    {"connect", W::Errno, "ENOENT", "ENOENT: no unix socket exists at that path (is the server running?)"},
    {"accept|accept4", W::Errno, "EAGAIN", "EAGAIN: no connection is waiting on this non-blocking listener; wait for POLLIN and accept again"},
    {"read|pread64|readv|preadv|preadv2|recv*", W::Errno, "EAGAIN", "EAGAIN: no data is waiting on this non-blocking fd; wait for POLLIN (poll/epoll) and read again"},
    {"write|pwrite64|writev|pwritev|pwritev2|send*", W::Errno, "EAGAIN", "EAGAIN: the buffer is full and the fd is non-blocking; wait for POLLOUT and write again"},
    {"write|pwrite64|writev|pwritev|pwritev2|send*", W::Errno, "EPIPE", "EPIPE: the reading end is gone (pipe closed, or the peer shut down); SIGPIPE was sent too unless ignored or MSG_NOSIGNAL"},
    {"*", W::Errno, "ECONNRESET", "ECONNRESET: the peer reset the connection (it closed with unread data, or crashed)"},
    {"*", W::Errno, "ENOTCONN", "ENOTCONN: the socket is not connected (yet, or any more)"},
    {"*", W::Errno, "EINTR", "EINTR: a signal handler ran before the call could finish; the call is usually retried"},
    {"*", W::Errno, "ERESTARTSYS", "ERESTARTSYS: interrupted by a signal; the kernel restarts the call after the handler (SA_RESTART)"},
    {"*", W::Errno, "EBADF", "EBADF: that fd is not open (closed already, or never opened) in this process"},
    {"*", W::Errno, "EMFILE", "EMFILE: this process holds RLIMIT_NOFILE fds already: a leak? (fdtrace leaks -p PID)"},
    {"*", W::Errno, "ENFILE", "ENFILE: the whole system is out of file handles (fs.file-max)"},
    {"open|openat|openat2|creat", W::Errno, "ENOENT", "ENOENT: the path, or a directory on the way to it, does not exist"},
    {"open|openat|openat2|creat", W::Errno, "EACCES", "EACCES: permission denied on the file or on a directory on the way (search permission)"},
    {"open|openat|openat2|creat", W::Errno, "EEXIST", "EEXIST: O_CREAT|O_EXCL and the file already exists"},
    {"bind", W::Errno, "EADDRINUSE", "EADDRINUSE: something already holds that address and port (or a TIME_WAIT socket: SO_REUSEADDR)"},
    {"*", W::Errno, "ETIMEDOUT", "ETIMEDOUT: the connection timed out (no answer to retransmissions or keepalives)"},
    {"*", W::Errno, "ESPIPE", "ESPIPE: this fd cannot seek (a pipe, socket or terminal)"},
    {"ioctl", W::Errno, "ENOTTY", "ENOTTY: not a terminal (the program is checking whether output goes to a tty)"},
    // --- what a return value means
    {"read|pread64|readv|preadv|preadv2|recv*", W::Returns, "0", "returned 0: end of file — the file ended, or the other end of the pipe/socket closed its side"},
    {"poll|ppoll|select|pselect6|epoll_wait|epoll_pwait|epoll_pwait2", W::Returns, "0", "returned 0: the timeout expired and no fd was ready"},
    // --- what a flag does
    {"*", W::Flag, "O_CLOEXEC", "O_CLOEXEC: closed automatically at execve, so programs this process runs do not inherit it"},
    {"*", W::Flag, "SOCK_CLOEXEC", "SOCK_CLOEXEC: closed automatically at execve, so programs this process runs do not inherit it"},
    {"*", W::Flag, "O_NONBLOCK", "O_NONBLOCK: calls on this fd return EAGAIN instead of waiting"},
    {"*", W::Flag, "SOCK_NONBLOCK", "SOCK_NONBLOCK: calls on this socket return EAGAIN instead of waiting"},
    {"*", W::Flag, "O_APPEND", "O_APPEND: every write goes to the end of the file, atomically with the seek"},
    {"*", W::Flag, "O_TRUNC", "O_TRUNC: an existing file is emptied on open"},
    {"*", W::Flag, "O_EXCL", "O_EXCL: with O_CREAT, fail if the file exists (safe creation of lock and temp files)"},
    {"*", W::Flag, "O_PATH", "O_PATH: the fd names a place in the filesystem; it cannot read or write"},
    {"*", W::Flag, "MSG_NOSIGNAL", "MSG_NOSIGNAL: a closed peer gives EPIPE without killing the process with SIGPIPE"},
    {"*", W::Flag, "MSG_PEEK", "MSG_PEEK: looks at the data without taking it off the queue"},
    {"*", W::Flag, "MSG_DONTWAIT", "MSG_DONTWAIT: this one call is non-blocking"},
    {"*", W::Flag, "EPOLLET", "EPOLLET: edge-triggered: reported once per change, so read until EAGAIN"},
    {"*", W::Flag, "EPOLLONESHOT", "EPOLLONESHOT: reported once, then disabled until EPOLL_CTL_MOD re-arms it"},
};
// clang-format on

bool applies(const Rule& rule, const SyscallEvent& event) {
    if (!matches_syscall(rule.syscalls, event.name)) return false;
    switch (rule.when) {
        case W::Errno:
            return event.error == rule.what;
        case W::Returns:
            return event.error.empty() && event.ret == rule.what;
        case W::Flag:
            return has_flag(event.args, rule.what);
    }
    return false;
}

}  // namespace

void Explainer::explain(const SyscallEvent& event, std::vector<std::string_view>& out) {
    if (event.kind != EventKind::Syscall || event.unfinished) return;
    for (const Rule& rule : kRules) {
        if (!applies(rule, event)) continue;
        if (!repeat_ && !given_.insert(&rule).second) continue;
        out.push_back(rule.text);
    }
}

}  // namespace fdtrace
