// LiveAnnotator: the live-mode pipeline. Each TraceRecord's text goes through
// the same parse_strace_line + find_fd_sites + renderers as `annotate`; the
// fds are named from a cache of every traced fd table (FdModel), filled from
// the live process (an IdentityResolver, normally ProcResolver) and refreshed
// only by events that can change an fd: calls that create, close, duplicate
// or rebind one, unlink/rename, fork, exec and exit. Everything else is served
// from the cache.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fdtrace/annotator.h"
#include "fdtrace/fd_filter.h"
#include "fdtrace/fd_leaks.h"
#include "fdtrace/fd_model.h"
#include "fdtrace/render.h"
#include "fdtrace/syscall_table.h"
#include "fdtrace/tracer.h"

namespace fdtrace {

class ProcResolver;

// Where live identities come from.
class IdentityResolver {
  public:
    virtual ~IdentityResolver() = default;
    // What fd `fd` of task `pid` is now; nullopt if it is not open.
    virtual std::optional<FdIdentity> resolve(int pid, int fd) = 0;
    // epoll: registered data -> watched fd, for an epoll fd set up before we
    // saw it (fdinfo); empty if unknown.
    virtual std::vector<std::pair<std::uint64_t, int>> epoll_data(int pid, int epoll_fd) = 0;
    // Sockets were connected, bound, accepted ...: cached socket tables are out of date.
    virtual void sockets_changed() = 0;
};

// The resolver of a real system: /proc and sock_diag.
class ProcIdentityResolver final : public IdentityResolver {
  public:
    ProcIdentityResolver();
    ~ProcIdentityResolver() override;
    std::optional<FdIdentity> resolve(int pid, int fd) override;
    std::vector<std::pair<std::uint64_t, int>> epoll_data(int pid, int epoll_fd) override;
    void sockets_changed() override;

  private:
    std::unique_ptr<ProcResolver> proc_;
};

struct LiveOptions {
    OutputFormat format = OutputFormat::Text;
    FormatOptions text;
    int timestamps = 0;             // -t 1, -tt 2, -ttt 3
    bool relative = false;          // -r: seconds since the previous line's timestamp
    std::size_t align_column = 40;  // -a: strace pads " = " to this column (0: never)
    bool durations = false;         // -T
    bool bracket_pids = true;       // "[pid N] " (terminal) or "N " (-o FILE), as strace
    bool leaks = false;             // --leaks: remember where each fd was created
    // strace -ff -o PREFIX: every task writes to an output of its own (see
    // set_output_router), so no task's line interrupts another's, and lines
    // carry no pid.
    bool output_per_task = false;
    // --fd-filter / --trace-fds: only calls with an fd that passes one of
    // these are shown (signals and exits always are). Empty: every call.
    std::vector<FdFilter> fd_filters;
};

class LiveAnnotator {
  public:
    LiveAnnotator(LiveOptions options, IdentityResolver& resolver);

    // Before a traced syscall runs: what it will close or replace is named now.
    // (record() calls it for Entry records.)
    void entering(int tid, const SyscallCall& call);
    // Appends the rendering of one record (nothing for a silent call).
    // Lines are laid out as strace lays them out: a call's entry half is
    // held back (not yet rendered) until its exit completes the line, or
    // until another task's record comes first, which closes it with
    // " <unfinished ...>" and makes the exit a "<... NAME resumed>" line;
    // a Detached record closes an open line with " <detached ...>".
    // A syscall's -e read=/write= dump (record.dump) follows its line, in
    // text output, when the line was shown (JSON: not shown).
    void record(const TraceRecord& record, std::string& out);
    // The tracer is about to wait: a call still in flight (held back) is put
    // on the output now, so a blocked call is seen while it blocks. Text:
    // its entry half, left open (its exit continues the line, as in strace).
    // JSON: an "unfinished" record (its exit becomes a "resumed" one).
    // Only a call in flight for at least `min_age_ms` is shown; returns the
    // ms until the held one would be due, -1 if none is held.
    long show_in_flight(std::string& out, long min_age_ms = 0);
    // Something else goes on task `tid`'s output (a --stuck-after verdict):
    // a call's line that is held or open there is closed with
    // " <unfinished ...>" first, as another task's line would close it.
    void interrupt_line(int tid, std::string& out);
    // -ff: where each task's lines go (the `out` given to record() is then
    // not used). The router is called for every write; it owns the buffers.
    using OutputRouter = std::function<std::string&(int tid)>;
    void set_output_router(OutputRouter router) { router_ = std::move(router); }
    void spawned(int parent, int child, bool shares_files);
    void execed(int tid, int former_tid);
    void vanished(int tid);

    const FdModel& model() const noexcept { return model_; }
    std::uint64_t lines() const noexcept { return line_number_; }
    // Called for every traced call with its fds and what they were (the
    // per-fd summary, -c), whether or not the line is shown.
    using Observer = std::function<void(const SyscallEvent&, std::span<const ResolvedFd>)>;
    void set_observer(Observer observer) { observer_ = std::move(observer); }
    // --leaks: the trace ended; appends the report in the output format.
    void finish_leaks(std::string& out);
    // Host names for addresses (off the tracing thread; -n leaves it unset).
    void set_host_names(ReverseDns* names) noexcept { formatter_.set_host_names(names); }
    // How many times the resolver was asked (tests check the cache works).
    std::uint64_t resolutions() const noexcept { return resolutions_; }

  private:
    // An entry half not yet on the output (strace would have printed it).
    struct HeldEntry {
        int tid = 0;  // 0: none
        std::string body;
        timespec when{};
        bool several_tasks = false;
        SyscallCall call;  // nr, name and args only
    };

    // line_ = "[pid N] " / "N " (when several tasks) + timestamps (-r counts
    // only `shown` lines).
    void compose_prefix(int tid, bool several_tasks, const timespec& when, bool shown = true);
    void compose(const TraceRecord& record);
    // Renders line_ (already composed) as one output line; false if it was
    // not shown (a silent call, or one no --fd-filter lets through).
    bool emit_line(int tid, const SyscallCall* call, bool shown, bool newline, std::string& out,
                   std::string_view resumed_head = {}, std::uint64_t unfinished_line = 0);
    // The line layout of one output: the entry held back (not yet on the
    // output), and the task whose text line is open (its entry half printed,
    // no newline yet). One for all tasks (strace's printing_tcp), or one per
    // task with -ff.
    struct Layout {
        HeldEntry held;
        int open_tid = 0;
        std::uint64_t open_line_number = 0;
        std::size_t open_prefix = 0;  // its pid and time columns
    };
    bool passes_fd_filters() const;
    void record_line(const TraceRecord& record, std::string& out);
    Layout& layout_for(int tid);
    std::string& out_for(int tid, std::string& out);
    // Puts the held entry on the output: as an unfinished line (`suffix` "
    // <unfinished ...>" or " <detached ...>", newline), or open (text, no suffix).
    void show_held(Layout& layout, std::string& out, std::string_view suffix);
    // Another line comes: the held entry and any open line are closed.
    void break_line(Layout& layout, std::string& out);
    // `open_prefix`: with `continuation`, the length of the open line's pid
    // and time columns (its padding counts from there).
    void resumed(const TraceRecord& record, std::string& out, bool continuation,
                 std::size_t open_prefix = 0);
    void append_duration(const TraceRecord& record);
    void align_result(std::size_t result_in_line, std::size_t column);
    void annotate(int pid, const SyscallCall& call, SyscallEvent& event, bool render,
                  std::string_view all_args, std::int64_t args_base);
    void apply_effect(const SyscallSignature& signature, const SyscallEvent& event,
                      const SyscallCall& call, int pid, std::string_view all_args);
    std::optional<FdIdentity> ask(int pid, int fd);
    // The open file behind pid's fd: from the cache, resolved on a miss or
    // (unless `fresh_enough`) when the cached answer may be stale. Null if
    // the fd is not open.
    OpenFile* file_for(int pid, int fd, bool fresh_enough);
    // A new open file at pid's fd (the call just created it).
    OpenFile* install_new(int pid, int fd);
    // The same open file, looked at again (a socket just connected).
    OpenFile* reresolve(int pid, int fd);
    bool stale(const OpenFile& file) const noexcept;
    std::string_view text_of(OpenFile& file);
    int epoll_target(int pid, int epoll_fd, std::uint64_t data);
    void changed_world() noexcept;

    LiveOptions options_;
    Observer observer_;
    FdLeakTracker leaks_;
    IdentityResolver& resolver_;
    FdModel model_;
    IdentityFormatter formatter_;
    std::uint64_t line_number_ = 0;
    bool emitted_ = false;  // the record being handled put its line on the output
    std::uint64_t resolutions_ = 0;
    // Bumped when peers or socket states (fork, exit, exec, closing a pipe
    // or socket ...) or paths (unlink, rename) may have changed: identities
    // that depend on them are resolved again at their next use.
    std::uint32_t peer_epoch_ = 1;
    std::uint32_t path_epoch_ = 1;
    // A call changed socket tables (connect, bind, listen, accept): the
    // resolver's cached dumps are dropped before its next answer.
    bool resolver_stale_ = false;
    Layout shared_layout_;
    std::unordered_map<int, Layout> layouts_;  // -ff
    OutputRouter router_;
    // Tasks whose entry was closed by <unfinished ...>, with that line's number.
    std::unordered_map<int, std::uint64_t> unfinished_;
    // Scratch reused for every line.
    std::string line_;
    std::string all_args_;
    std::string scratch_;
    std::string time_text_;
    std::int64_t time_second_ = -1;
    timespec previous_when_{};  // -r
    std::vector<ResolvedFd> resolved_;
    std::vector<OpenFilePtr> keep_alive_;
    std::string texts_;
    std::vector<std::pair<std::size_t, std::size_t>> spans_;
};

}  // namespace fdtrace
