// LogReplay: rebuilds fd identities from what a strace log shows — the paths
// opened, the addresses connected to and bound, pipes, dups, forks, execs —
// and applies them to the FdModel. The log is the only source of truth here.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fdtrace/fd_model.h"
#include "fdtrace/strace_args.h"
#include "fdtrace/syscall_event.h"
#include "fdtrace/syscall_table.h"

namespace fdtrace {

struct ReplayOptions {
    // Canonicalise paths through this machine's filesystem (symlinks), as the
    // kernel does for strace -yy. Only right when the log was recorded here.
    bool realpath = false;
    std::string initial_cwd;  // the traced program's cwd, if the user knows it
    // -ff files without times are replayed one after another: a thread (any
    // task made with CLONE_FILES) replayed after its creator's whole file
    // would meet the creator's later closes in a shared table. It gets a
    // copy of the table as it was at its creation instead.
    bool copy_shared_tables = false;
};

// An errno a call on an fd returns only once the fd was found open
// (EAGAIN, ENOTSOCK, ENOTTY, EPIPE...): such a failure shows the fd open,
// as LogReplay::note_open reads a success. Not EBADF, EINVAL or EFAULT.
bool is_error_of_an_open_fd(std::string_view error) noexcept;

class LogReplay {
  public:
    LogReplay(FdModel& model, ReplayOptions options);

    // Applies a completed syscall. `args` is the complete argument text (for
    // a resumed call: the unfinished part and the resumed part together);
    // `line` is where it is in the log (for "closed at line N").
    void apply(const SyscallSignature& signature, const SyscallEvent& event, std::string_view args,
               std::uint64_t line = 0);

    // A call that failed with EBADF proves its fd is not open: the table
    // forgets it (and remembers why, unless it already knows). Called before
    // the line's fds are named, so the line itself shows it.
    void note_not_open(const SyscallSignature& signature, const SyscallEvent& event,
                       std::uint64_t line);
    // The converse: a call that succeeded (or failed after finding its fd:
    // is_error_of_an_open_fd) on an fd the log saw go (closed,
    // EBADF, dropped on exec) shows it open again, made by a call the log
    // does not show (strace -e trace=... filtered it out): it becomes an
    // fd of unknown origin (OpenFile::unseen), not "closed at line N".
    // `line` is the line the sites' offsets are in.
    void note_open(const SyscallSignature& signature, const SyscallEvent& event,
                   std::string_view line);

    // The fd `fd` of `pid` as far as the log has shown it; installs an
    // "inherited" entry for an fd used before the log opened it (of unknown
    // source when the log saw that number go: it is not from before the log).
    OpenFile& file_for(int pid, int fd);

    // Called with each inherited entry file_for installs (numbered in
    // OpenFile::inherited_ordinal), before anything else sees it.
    using InheritedHook = std::function<void(OpenFile&)>;
    void on_inherited(InheritedHook hook) { on_inherited_ = std::move(hook); }

    // strace -y/-yy said what `file` is (the kernel's view, at that line):
    // an unknown fd takes it whole, a known one what is new in it (the local
    // address of an accepted socket, the path a symlink led to, the inode).
    void learn_from_annotation(OpenFile& file, const FdIdentity& theirs);

    // readlink("/proc/self/cwd", "/srv/www", 4096) = 8 (readlinkat, and
    // /proc/PID/cwd of the caller, too): the working directory, which the log
    // may not have shown being set. readlink("/proc/self/fd/2", "/dev/pts/0",
    // 4096): fd 2 is what -y would have said; returns (pid, fd) then, so the
    // annotator can note it as a reveal. /proc/N/fd/M of another process N
    // the log holds (lsof, fuser) names N's fd M the same way.
    std::optional<std::pair<int, int>> learn_from_readlink(const SyscallEvent& event);

    // stat("/proc/N/fd/M", {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0),
    // ...}) follows the link (newfstatat, statx and stat64 too, without
    // AT_SYMLINK_NOFOLLOW): the st_mode and st_rdev of what fd M of N is, as
    // fuser and lsof stat every process's fds. N is the caller or a process
    // the log holds. Returns (N, M) when it applied, as learn_from_readlink.
    std::optional<std::pair<int, int>> learn_from_proc_fd_stat(const SyscallEvent& event);

    // strace -p attached while a call blocked: "<... accept4 resumed>{sa_family=
    // AF_INET, ...}, [16], SOCK_CLOEXEC) = 9". Its beginning is not in the log,
    // but the fd it returns is still made on this line: a socket of the peer's
    // family for accept (TCP for inet), the kind an eventfd/epoll/... call
    // makes, else of unknown kind. Never "inherited".
    void returned_by_headless_call(const SyscallEvent& event, const SyscallSignature& signature,
                                   std::string_view tail);

    // A line showed pid's working directory (getcwd, readlink, -y's
    // AT_FDCWD<...>, a relative open -yy named).
    void learn_cwd(int pid, std::string path);
    // Two reads of a log: the first hears of each working directory from
    // before the log that a line showed while a process still had it (by
    // FdModel::Process::cwd_from_before); the second resolves relative paths
    // met before that line with it.
    using CwdHook = std::function<void(std::uint64_t from_before, const std::string& path)>;
    void on_cwd_revealed(CwdHook hook) { on_cwd_revealed_ = std::move(hook); }
    void name_cwds_ahead(std::unordered_map<std::uint64_t, std::string> cwds) {
        cwds_ahead_ = std::move(cwds);
    }

    // An absolute, lexically normalised path for `path` as seen by pid,
    // relative to `dirfd_text` (AT_FDCWD or an fd) when it is relative.
    std::string resolve_path(int pid, std::string_view dirfd_text, std::string_view path);

  private:
    void open_file(int pid, const SyscallEvent& event, const ArgList& args, bool has_dirfd);
    void create_socket(int pid, int fd, const ArgList& args);
    void socket_pair(int pid, const ArgList& args, bool is_pipe, std::string_view flags);
    // accept/accept4's new fd: from the listener (when the log shows it) and
    // the peer's address; `flags` is accept4's.
    void accept(int pid, int fd, std::optional<int> listener_fd, std::string_view peer_text,
                std::string_view flags);
    void socket_address(int pid, const ArgList& args, FdEffect effect, bool succeeded,
                        std::string_view error);
    void learn_type_from_mode(int pid, int fd, std::string_view stat_text);
    // The (process, fd) that opening `path` (absolute, resolved) opens anew:
    // /proc/N/fd/M (and task paths) of the caller or a process of the log,
    // /dev/fd/M, /dev/stdin, /dev/stdout, /dev/stderr.
    std::optional<std::pair<int, int>> reopened_fd(int pid, std::string_view path);
    // "/proc/N/..." (or relative to the cwd or `dirfd_text`) of the caller
    // or of a process the log holds: (N, the rest after "/proc/N/"), the
    // caller's own pid for self and its threads. `storage` holds the text.
    std::optional<std::pair<int, std::string_view>> proc_entry_of(int pid,
                                                                  std::string_view dirfd_text,
                                                                  std::string_view link,
                                                                  std::string& storage);
    // The same for a path already resolved (the rest is a view into it).
    std::optional<std::pair<int, std::string_view>> proc_entry(int pid, std::string_view path);
    void reveal(const SyscallSignature& signature, const SyscallEvent& event,
                std::string_view args_text);
    void reveal_by_level(OpenFile& file, const ArgList& args, bool getting);
    void reveal_by_address(OpenFile& file, std::string_view address_text, bool receiving,
                           bool may_be_stream);
    void finish_connect(OpenFile& file, const SyscallEvent& event, const ArgList& args);
    void clone(int pid, const SyscallEvent& event, const ArgList& args, std::string_view name);
    void pass_fds(int pid, std::string_view args_text, bool sending);
    std::string channel_of(OpenFile& socket, bool sending) const;
    std::string canonical(std::string path) const;
    std::string proc_self(int pid, std::string path) const;
    void install_pipe(int pid, int read_fd, int write_fd, bool cloexec);
    // An fd the log made from an open file it never showed (OpenFile::received),
    // or one a call the log does not show made (`unseen`, OpenFile::unseen).
    void install_received(int pid, int fd, bool cloexec, std::optional<FdGone> unseen = {});
    // The process (thread group) id of task `pid`, as far as the log showed.
    int thread_group(int pid) const;

    FdModel& model_;
    ReplayOptions options_;
    // Files passed with SCM_RIGHTS, sent but not yet received, per channel
    // (a socketpair end, or a unix socket path); bounded per channel.
    std::unordered_map<std::string, std::deque<OpenFilePtr>> in_flight_;
    std::uint64_t inherited_count_ = 0;
    InheritedHook on_inherited_;
    CwdHook on_cwd_revealed_;
    std::unordered_map<std::uint64_t, std::string> cwds_ahead_;
};

// Whether an open call's flags argument (open/openat: the flags; openat2:
// its struct) leaves the new fd close-on-exec. creat() takes no flags.
bool open_sets_cloexec(std::string_view call, std::string_view flags) noexcept;

// Lexical normalisation: "/a/./b//../c" -> "/a/c".
std::string normalize_path(std::string_view path);

}  // namespace fdtrace
