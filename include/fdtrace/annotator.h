// Annotator: the log-mode pipeline for one stream of strace lines —
// parse -> stitch unfinished/resumed -> find fd sites -> FdModel (replay) ->
// render. One instance per output; lines are fed in log order.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "fdtrace/explain.h"
#include "fdtrace/fd_leaks.h"
#include "fdtrace/fd_model.h"
#include "fdtrace/log_replay.h"
#include "fdtrace/render.h"
#include "fdtrace/yy_annotation.h"

namespace fdtrace {

enum class OutputFormat { Text, Json };

struct AnnotateOptions {
    OutputFormat format = OutputFormat::Text;
    FormatOptions text;
    ReplayOptions replay;
    bool explain = false;  // --explain: teach what errnos, flags and returns mean
    bool leaks = false;    // --leaks: remember where each fd was created
};

// What a first read of a log learned, from later lines, about the fds it
// used before knowing them (fds from before the log): by
// OpenFile::inherited_ordinal, the identity as the last revealing line
// left it, before any call changed it (connect, bind, listen). Only fds a
// line revealed are kept: memory grows with them, not with the log.
struct LaterReveal {
    int pid = 0;
    int fd = -1;
    FdIdentity identity;
    std::uint64_t line = 0;  // the last line that told (its number in its file)
    std::string file;        // that line's file, when several are merged
    std::uint64_t seq = 0;   // the same line, counted across merged files
    std::uint32_t generation = 0;
};
// A socket the log bound to port 0: the address a later getsockname showed
// the kernel gave it (strace -yy shows that port from the bind on).
struct LaterPort {
    int pid = 0;  // where the bind was
    int fd = -1;
    std::string local;
};
struct RevealIndex {
    std::unordered_map<std::uint64_t, LaterReveal> fds;  // by OpenFile::inherited_ordinal
    std::unordered_map<std::uint64_t, LaterPort> ports;  // by OpenFile::id
    // Working directories from before the log a line showed, by
    // FdModel::Process::cwd_from_before: relative paths met earlier use them.
    std::unordered_map<std::uint64_t, std::string> cwds;
    // Some call of the log succeeded (strace -Z logs only failures).
    bool saw_success = false;
};

// Fills identities the log cannot know (fds opened before it began) from a
// live process, when the user named one with --pid.
using InheritedLookup = std::function<std::optional<FdIdentity>(int pid, int fd)>;

class Annotator {
  public:
    explicit Annotator(AnnotateOptions options);

    void set_inherited_lookup(InheritedLookup lookup) { inherited_lookup_ = std::move(lookup); }

    // Called for every line with the fds found on it and what they were, in
    // text order (for consumers other than the renderers: scoring, summaries).
    using Observer = std::function<void(const SyscallEvent&, std::span<const ResolvedFd>)>;
    void set_observer(Observer observer) { observer_ = std::move(observer); }

    // Appends the rendering of one input line (without its '\n') to `out`.
    // `default_pid`: pid of lines that carry none (-ff files); `file`: input
    // name when several are merged (goes to JSON; its pid-less lines are a
    // process of their own, not those of another file); `add_pid_prefix`:
    // "[pid N] " before a line that has no pid of its own (-ff files);
    // `line_number`: the line's number in its file (0: counted here).
    void feed(std::string_view line, std::string& out, int default_pid = 0, bool newline = true,
              std::string_view file = {}, bool add_pid_prefix = false,
              std::uint64_t line_number = 0);

    // Text mode, a line still being written (strace -p on a blocked call
    // prints "recvfrom(3, " and waits): appends it as annotated so far,
    // without a newline and without changing any state, so feeding the whole
    // line later renders the same beginning.
    void preview(std::string_view partial, std::string& out, int default_pid = 0);

    // Two reads of a file (not of a pipe, which is read once, streaming):
    // the first read feeds every line to an annotator collecting into
    // `index` (nothing is rendered, `out` stays as it was); the second
    // annotator, given that index before its first line, names an fd from
    // before the log at its first use by what a later line showed:
    // "inherited, /dev/null (from line 812)", JSON "revealed_at_line".
    // From that line on it is the log's, as in one read.
    void collect_reveals(RevealIndex& index);
    void name_ahead(RevealIndex index);

    const FdModel& model() const noexcept { return model_; }
    std::uint64_t lines() const noexcept { return line_number_; }
    // --leaks: the end of the log; appends the report in the output format.
    void finish_leaks(std::string& out);

  private:
    struct Pending {  // an unfinished syscall, waiting for its "resumed" line
        std::string name;
        std::string args;
        std::uint64_t line = 0;  // where it was unfinished
    };

    void adopt_new_process(int pid);
    void switch_pidless_file(std::string_view file);
    std::size_t continue_cut_call(SyscallEvent& event, std::string_view& line,
                                  std::uint64_t& first_half_line);
    static void carry_sites_before(std::size_t offset, SyscallEvent& event);
    void follow_unprefixed_process(SyscallEvent& event, std::string_view line);
    bool is_unprefixed_process(const SyscallEvent& event) const;
    int pid_of_unprefixed_line() const;
    void resolve(std::vector<ResolvedFd>& resolved, const SyscallEvent& event, bool after_effect);
    const FdIdentity* identity_for(int pid, const FdSite& site, std::string_view& text);
    // What happened to a number the log saw go; `reopened`: a call the log
    // does not show made it again (OpenFile::unseen).
    std::string_view gone_text(const FdGone& gone, bool reopened = false);
    std::string_view dup_text(OpenFile& file, std::string_view original_text);
    void refresh_changed_texts(const SyscallEvent& event);
    std::string_view cached_text(OpenFile& file, int pid, const FdTable* viewer);
    void pin_views_of(const std::string& text);
    void fill_log_peer(OpenFile& file, int pid);
    std::string_view held_text(OpenFile& file, const FdTable* viewer);
    void name_inherited_ahead(OpenFile& file);
    // A first read's shortcut: the line taught nothing, or only opened or
    // closed an fd, and was dealt with here (see annotator.cpp).
    bool first_read_shortcut(std::string_view line, int default_pid, std::string_view file,
                             std::uint64_t number);
    void settle_if_reached(OpenFile& file);
    std::string_view revealed_text(OpenFile& file, std::string_view text);
    void freeze_reveals(const SyscallEvent& event);
    // The kind connect/bind/listen showed of fds nothing named before them.
    void note_kind_reveals(const SyscallEvent& event, std::uint64_t number);
    std::vector<int> kind_reveals_;  // their fds, between the two
    std::unordered_map<int, std::vector<int>> unfinished_kind_reveals_;  // by pid
    void learn_cwd_from_open(const SyscallEvent& event, const OpenFile& file,
                             const FdIdentity& theirs);
    void note_reveals(const SyscallEvent& event, std::uint64_t number);
    void note_reveal(int pid, int fd, std::uint64_t number);
    void learn_port_ahead(const SyscallEvent& event, FdEffect effect);
    // Where a line is, for the texts that point back at one ("closed at line
    // N", "from line N"): its number in its file, and when several files are
    // merged, which file in the top bits (0: the only one). The model keeps
    // it as it is given.
    std::uint64_t line_ref(std::string_view file, std::uint64_t number);
    std::string where(std::uint64_t ref) const;
    std::string_view file_of(std::uint64_t ref) const noexcept;

    AnnotateOptions options_;
    FdModel model_;
    LogReplay replay_;
    IdentityFormatter formatter_;
    Explainer explainer_;
    FdLeakTracker leaks_;
    std::vector<std::string_view> explanations_;
    InheritedLookup inherited_lookup_;
    Observer observer_;
    std::unordered_map<int, Pending> pending_;
    // strace -f on a terminal prints no pid while it traces one task, then
    // "[pid N]" for every task, the first one included: the pid-less lines
    // were N's. 0 until a line tells N.
    int unprefixed_pid_ = 0;
    // Tasks strace announced ("Process N attached") after pid-less lines: new
    // tasks, so none of them is the pid-less one. Kept only until N is known.
    std::vector<int> attached_tasks_;
    // strace -p of a threaded process: (leader, threads not met yet).
    std::vector<std::pair<int, int>> thread_groups_;
    void note_thread_group(std::string_view line);
    // Several files merged: the pid-less lines of each are their own process.
    // The file whose pid-less process is the model's pid 0 now, and the
    // others', set aside while another file's lines come.
    struct PidlessProcess {
        int unprefixed_pid = 0;
        std::vector<int> attached_tasks;
        std::optional<FdModel::Process> process;
        std::optional<Pending> pending;
    };
    std::string pidless_file_;
    std::unordered_map<std::string, PidlessProcess> parked_pidless_;
    std::uint64_t line_number_ = 0;
    // Scratch space reused for every line, so the hot path does not allocate.
    std::vector<ResolvedFd> resolved_;
    std::vector<FdSite> site_scratch_;
    // What an fd the log saw go is: nothing known, and the log says so.
    FdIdentity gone_identity_{FdKind::Unknown, {}, {}, {}, FdSource::Log};
    // Its texts, by reason and line ("? (closed at line 2)").
    std::unordered_map<std::uint64_t, std::string> gone_texts_[6];  // by reason, reopened
    // Merged files, numbered from 1 in the order met (see line_ref).
    std::vector<std::string> file_names_;
    std::unordered_map<std::string, std::uint32_t> file_numbers_;
    std::string_view last_file_;
    std::uint32_t last_file_number_ = 0;
    std::string_view current_file_;  // the line being fed's
    // JSON: each fd's generation when named before the call (empty in text).
    std::vector<std::uint32_t> generations_;
    std::vector<OpenFilePtr> keep_alive_;
    bool keep_alive_needed_ = true;
    std::string combined_args_;
    AnnotatedLine annotated_;  // feed()'s, reused
    // A call cut short by a hard wrap (a web page, a terminal paste): its
    // pid, so the next line, if it is no record of its own, continues it.
    std::optional<int> cut_call_pid_;
    std::string continuation_;  // "<... NAME resumed>" + that next line
    std::string prefix_;
    // A close() of a pipe or socketpair end: who else holds that end.
    bool closing_ = false;
    std::string held_text_;
    // Two reads: the first one's index (collecting), the second one's copy.
    RevealIndex* collecting_ = nullptr;
    std::unordered_set<std::uint64_t> frozen_;  // ordinals a call changed
    std::unordered_map<std::uint64_t, LaterReveal> ahead_;
    // Port 0 binds: the first read's, waiting for a getsockname (OpenFile::id
    // -> where the bind was), and the second read's answers.
    std::unordered_map<std::uint64_t, std::pair<int, int>> zero_bound_;
    std::unordered_map<std::uint64_t, LaterPort> ports_ahead_;
    // How this log's strace marks an unlinked file: Outside from the first
    // line that shows strace 5.19's "<path>(deleted)" on.
    DeletedMarker deleted_marker_ = DeletedMarker::Inside;
    // Texts an earlier site of the line was given, kept when the file's
    // cached text is made again on the same line (see pin_views_of).
    std::deque<std::string> pinned_texts_;
};

}  // namespace fdtrace
