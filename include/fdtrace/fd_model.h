// FdTable and FdModel: the fd tables of every traced process, the only place
// fds are created, duplicated or dropped. No I/O here.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fdtrace/fd_identity.h"

namespace fdtrace {

// The call that created an open file (for --leaks).
struct FdOrigin {
    std::uint64_t line = 0;  // output/input line number
    std::string time;        // as printed, may be empty
    std::string call;        // the call as printed, cut to a sensible length
};

// Why an fd the log has seen is not open now: a later use of that number is
// then no fd from before the log ("inherited"), and says so.
enum class FdGoneReason : std::uint8_t {
    Closed,        // close(), close_range()
    ClosedOnExec,  // execve dropped it (O_CLOEXEC / FD_CLOEXEC)
    NotOpen,       // a call on it failed with EBADF
};

struct FdGone {
    FdGoneReason reason = FdGoneReason::Closed;
    std::uint64_t line = 0;  // where it went (0: unknown)
};

// One open file description: what dup'd and inherited fds share.
struct OpenFile {
    FdIdentity identity;
    std::uint64_t id = 0;                    // unique per open file description, for summaries
    std::shared_ptr<const FdOrigin> origin;  // --leaks: where it was created
    // epoll instances: the `data` registered with epoll_ctl -> the fd it was
    // registered for, so epoll_wait results can be named.
    std::unordered_map<std::uint64_t, int> epoll_data;
    // A pty master's slave number, from ioctl(TIOCGPTN): its TIOCGPTPEER
    // fd is /dev/pts/N. -1 while unknown.
    int pty_index = -1;
    // Bumped on every change of `identity`, so renderers can cache text.
    std::uint32_t generation = 0;
    // Pipes and socketpairs: the other end, for naming peers in replay.
    std::weak_ptr<OpenFile> other_end;
    // The fd tables holding this file, once per fd (kept by FdTable), and a
    // counter bumped when that list changes: who is at the other end of a
    // pipe is then a look at a few tables, not a scan of every fd.
    std::vector<const class FdTable*> holders;
    std::uint32_t holders_generation = 0;
    // Renderer's cache of the identity as text, valid for `rendered_generation`
    // (and, for identities with peers, the model's epoch).
    std::string rendered;
    std::uint32_t rendered_generation = ~0u;
    std::uint64_t rendered_epoch = 0;
    std::uint64_t rendered_names = 0;  // host-name generation the text used
    // The fd table the text was made for: a pipe's peer is someone else than
    // the process looking at it, so each viewer has its own peer.
    const class FdTable* rendered_viewer = nullptr;
    // An fd the log never opened: the number it was first seen under, so its
    // dups can say whose copy they are while nothing else is known (-1: none).
    int first_fd = -1;
    std::string rendered_dup;  // "dup of fd 2 (inherited)", for rendered_dup_generation
    std::uint32_t rendered_dup_generation = ~0u;
    // An fd from before the log: its number among those the replay met (1,
    // 2, ...; 0 for files the log opened). Two reads of one log number them
    // alike, so what the first read learned of one names it in the second.
    std::uint64_t inherited_ordinal = 0;
    // Made in the log from an open file the log never showed (SCM_RIGHTS
    // from a process outside it, pidfd_getfd): numbered with those from
    // before the log, so a later line names it from its first use too.
    bool received = false;
    // Open although the log saw its number go (how and where it went): made
    // by a call the log does not show (strace -e trace=... left it out).
    // Numbered as received ones.
    std::optional<FdGone> unseen;
    // Named ahead from what a later line showed (a second read of a file):
    // that line's number (0: not named ahead), until the replay gets there.
    std::uint64_t revealed_line = 0;
    std::uint64_t revealed_seq = 0;  // the same line, counted across merged files
    std::string rendered_revealed;   // "inherited, TCP ... (from line N)"
    std::uint32_t rendered_revealed_generation = ~0u;

    void changed() noexcept { ++generation; }
};

using OpenFilePtr = std::shared_ptr<OpenFile>;

// One slot of a table: an open file, or (file null) maybe why the number
// went, kept in the slot so closing and reopening allocate nothing.
struct FdEntry {
    OpenFilePtr file;
    // --leaks: where this fd was made, when its file is one from before the
    // log (a dup of an inherited fd): the file itself was not created here.
    std::shared_ptr<const FdOrigin> origin;
    std::uint64_t gone_line = 0;
    bool cloexec = false;
    bool gone = false;
    FdGoneReason gone_reason = FdGoneReason::Closed;
};

class FdTable {
  public:
    FdTable() = default;
    FdTable(const FdTable& other);  // a fork's copy: the files gain holders
    FdTable& operator=(const FdTable&) = delete;
    ~FdTable();

    const FdEntry* find(int fd) const noexcept;
    FdEntry* find(int fd) noexcept;
    void set(int fd, FdEntry entry);
    bool erase(int fd) noexcept;
    // Drops fd (if open) and remembers why, until a new file takes the number.
    void close(int fd, FdGone why);
    // Why fd is not open, if the table has seen it go (fds below 65536).
    std::optional<FdGone> gone(int fd) const noexcept;
    // close_range(first, last, flags): drop, or with CLOSE_RANGE_CLOEXEC mark.
    void close_range(int first, int last, bool cloexec_only, std::uint64_t line = 0);
    void drop_cloexec(std::uint64_t line = 0);  // execve
    int lowest_free(int minimum = 0) const noexcept;
    std::size_t size() const noexcept { return count_; }

    // Fds from before the log. A fork's copy shares them with the table it
    // was copied from, as the kernel does: a number neither table has seen
    // (no entry, no record of it going) is, in both, the one open file the
    // first process of their line had before the log began, whichever of
    // them meets it first. `from_before` gives the file another table of the
    // line met under `fd` (null: none did, or the number is not untouched
    // here); `met_from_before` tells the others of one met here.
    OpenFilePtr from_before(int fd) const;
    void met_from_before(int fd, OpenFilePtr file);
    template <class Visit>
    void for_each(Visit&& visit) const {
        for (std::size_t i = 0; i < dense_.size(); ++i)
            if (dense_[i].file) visit(static_cast<int>(i), dense_[i]);
        if (!sparse_.empty()) for_each_sparse(visit);
    }

  private:
    void hold(const FdEntry& entry);
    void release(const FdEntry& entry);
    void for_each_sparse(const std::function<void(int, const FdEntry&)>& visit) const;
    // Dense storage for the fds programs really use; a map for absurd numbers
    // (dup2(0, 1000000)) so a hostile log cannot make us allocate gigabytes.
    static constexpr int kDenseLimit = 1 << 16;
    std::vector<FdEntry> dense_;
    std::unordered_map<int, FdEntry> sparse_;
    std::size_t count_ = 0;
    // Shared by every table copied (forked) from one another.
    std::shared_ptr<std::unordered_map<int, OpenFilePtr>> from_before_ =
        std::make_shared<std::unordered_map<int, OpenFilePtr>>();
};

class FdModel {
  public:
    struct Process {
        std::shared_ptr<FdTable> fds;
        std::shared_ptr<std::string> cwd;  // empty string: unknown
        std::string comm;                  // from execve, for peers
        // While the process still has the working directory its line had
        // before the log began: that directory's number (1, 2, ... in the
        // order the model met processes no line forked); 0 once a chdir
        // changed it. Shared with `cwd` (CLONE_FS), copied with it on fork.
        std::shared_ptr<std::uint64_t> cwd_from_before;
        // The thread group (process) id of a thread the log saw created with
        // CLONE_THREAD; 0 for a task that is its own group as far as known.
        int tgid = 0;
    };

    // The process, created on first sight with an empty table (fds it uses
    // without opening them are inherited).
    Process& process(int pid);
    const Process* find_process(int pid) const noexcept;

    // pid's fd table, or null if the process is unknown.
    FdTable* table(int pid) noexcept;
    // Open file behind pid's fd, or null if the model has never seen it.
    OpenFile* lookup(int pid, int fd) noexcept;
    FdEntry* entry(int pid, int fd) noexcept;

    // Installs a new open file at pid's fd (replacing whatever was there).
    OpenFilePtr install(int pid, int fd, FdIdentity identity, bool cloexec);
    void install(int pid, int fd, OpenFilePtr file, bool cloexec);
    // Closes pid's fd (or notes that it is not open): `line` is where.
    bool close(int pid, int fd, std::uint64_t line = 0, FdGoneReason reason = FdGoneReason::Closed);
    // Why pid's fd is not open, if the log showed it going; null otherwise.
    std::optional<FdGone> gone(int pid, int fd) const noexcept;

    // ---- the effects of the calls that change the fd table, once their
    // arguments are numbers: one place for log replay and live tracing,
    // which differ only in where an fd's identity comes from.

    // close(fd) returned `error` ("" on success). Linux releases the fd
    // whatever close() reports (EINTR, EIO) but EBADF, when it was not open.
    // Returns whether an open fd went.
    bool close_call(int pid, int fd, std::string_view error, std::uint64_t line = 0);
    // close_range(first, last, flags) succeeded: CLOSE_RANGE_UNSHARE first
    // gives the process a copy of a table it shared (threads, CLONE_FILES),
    // then the range is closed, or only marked close-on-exec with
    // CLOSE_RANGE_CLOEXEC. `last` beyond INT_MAX (~0U) means every fd.
    void close_range_call(int pid, unsigned first, unsigned last, unsigned flags,
                          std::uint64_t line = 0);
    // dup/dup2/dup3/fcntl(F_DUPFD*) made `new_fd` refer to `old_fd`'s open
    // file, with its own close-on-exec flag; dup2(fd, fd) changes nothing.
    // False if `old_fd` is not in the model (the caller learns it first).
    bool dup_call(int pid, int old_fd, int new_fd, bool cloexec);
    // fcntl(fd, F_SETFD, FD_CLOEXEC or 0) succeeded.
    void set_cloexec(int pid, int fd, bool cloexec);

    // fork/vfork/clone: the child shares (CLONE_FILES) or copies the table,
    // and shares (CLONE_FS) or copies the working directory; a CLONE_THREAD
    // child is a thread of the parent's thread group.
    void clone(int parent, int child, bool share_files, bool share_fs, bool thread = false);
    void exec(int pid, std::string_view program, std::uint64_t line = 0);
    // The process known as `old_pid` turned out to be `new_pid` (strace -f
    // prints no pid until a second task appears): it keeps its table, cwd and
    // name. Nothing happens if `new_pid` is known already.
    void renumber(int old_pid, int new_pid);
    void exit(int pid);
    // Takes a process out of the model (to be put back later, maybe under
    // the same pid): several logs' pid-less processes share pid 0 in turn.
    std::optional<Process> take(int pid);
    void put(int pid, Process process);

    // A path was unlinked / renamed: every open file with that path follows.
    void mark_deleted(std::string_view path);
    void rename(std::string_view from, std::string_view to);

    // A process, other than those sharing `exclude`, holding `file` open
    // (the peer of a pipe or socketpair); 0 if none.
    int find_holder(const OpenFile& file, const FdTable* exclude) const;
    // Every such process, by pid, the lowest of those sharing one table.
    std::vector<int> holders(const OpenFile& file, const FdTable* exclude) const;

    std::size_t process_count() const noexcept { return processes_.size(); }
    template <class Visit>
    void for_each_process(Visit&& visit) const {
        for (const auto& [pid, process] : processes_) visit(pid, process);
    }
    // Changes whenever processes come, go or change name (fork, exec, exit):
    // with OpenFile::holders_generation it tells when a cached peer is stale.
    std::uint64_t epoch() const noexcept { return epoch_; }

  private:
    Process* slot(int pid) const noexcept;

    std::unordered_map<int, Process> processes_;
    std::uint64_t epoch_ = 0;
    // slot()'s recent answers, by pid modulo their count, each good while
    // epoch_ is its `epoch`; a copied or moved model starts without them
    // (they would point into the other's map).
    struct RecentLookups {
        struct Slot {
            int pid = 0;
            std::uint64_t epoch = 0;
            Process* process = nullptr;
        };
        static constexpr std::size_t kSlots = 16;
        std::array<Slot, kSlots> slots{};
        RecentLookups() = default;
        RecentLookups(const RecentLookups&) noexcept {}
        RecentLookups& operator=(const RecentLookups&) noexcept {
            slots = {};
            return *this;
        }
    };
    mutable RecentLookups recent_;
    std::uint64_t next_file_id_ = 0;
    std::uint64_t cwds_from_before_ = 0;
};

}  // namespace fdtrace
