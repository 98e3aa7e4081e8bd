// The live tracer's command line: strace's options, fdtrace's output.
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "fdtrace/cli.h"
#include "fdtrace/fd_summary.h"
#include "fdtrace/line_io.h"
#include "fdtrace/live_annotator.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/reverse_dns.h"
#include "fdtrace/seccomp_filter.h"
#include "fdtrace/stuck.h"
#include "fdtrace/syscall_classes.h"
#include "fdtrace/syscall_summary.h"
#include "fdtrace/syscall_table.h"
#include "fdtrace/trace_cli.h"
#include "fdtrace/tracer.h"
#include "src/trace/xlat.h"

namespace fdtrace {
namespace po = boost::program_options;
namespace {

constexpr const char* kUsage =
    "usage: fdtrace [-f] [-p PID]... [-e trace=SET] [-P PATH]... [-e read=FDS] [-e write=FDS] [-s "
    "N]\n"
    "               [-X raw|abbrev|verbose] [-t|-tt|-ttt] [-T] [-o FILE]\n"
    "               [-n] [--format=text|json] [--color=WHEN] [--kill-on-exit]\n"
    "               [--no-seccomp] [--] [CMD [ARGS...]]\n"
    "\n"
    "Traces the fd-related syscalls of running processes (-p) or of a command, as\n"
    "strace does, and names every fd: read(3 -> TCP 127.0.0.1:5000->127.0.0.1:8080, ...).\n";

// Flush a file's output at least this often while the tracer is busy.
constexpr long kFlushDelayMs = 50;
// A call still in flight this long is put on the output (text: its entry
// half, left open; JSON: an "unfinished" record). Short enough to look
// immediate; long enough that a call which merely raced the tracer (the
// common case) is printed once, whole, without the tracee's own terminal
// output landing inside its line.
constexpr long kTextInFlightMs = 10;
constexpr long kJsonInFlightMs = 100;

constexpr FdEffect kChangingEffects[] = {
    FdEffect::Open,       FdEffect::Socket,  FdEffect::SocketPair,  FdEffect::Pipe,
    FdEffect::Accept,     FdEffect::Connect, FdEffect::Bind,        FdEffect::Listen,
    FdEffect::Dup,        FdEffect::Dup2,    FdEffect::Fcntl,       FdEffect::Close,
    FdEffect::CloseRange, FdEffect::Anon,    FdEffect::MemfdCreate, FdEffect::PidfdOpen,
    FdEffect::PidfdGetfd, FdEffect::RecvMsg, FdEffect::Unlink,      FdEffect::Rename,
    FdEffect::EpollCtl,
};

long now_ms() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000 + now.tv_nsec / 1'000'000;
}

// strace -ff -o PREFIX: one file per task, PREFIX.TID, opened at its first
// line and closed when the task is gone (a fork storm must not run out of fds).
class PerTaskFiles {
  public:
    explicit PerTaskFiles(std::string prefix) : prefix_(std::move(prefix)) {}
    std::string& buffer(int tid) {
        auto& file = files_[tid];
        if (!file) {
            file = std::make_unique<File>();
            std::string path = prefix_ + "." + std::to_string(tid);
            file->fd.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
            if (!file->fd && !error_) {
                error_ = errno;
                failed_path_ = path;
            }
            file->sink = std::make_unique<OutputSink>(file->fd ? file->fd.get() : -1);
        }
        return file->sink->buffer();
    }
    void flush() {
        for (auto& [tid, file] : files_) {
            if (file->sink->buffer().empty()) continue;
            if (!file->sink->flush() && !error_) error_ = file->sink->error();
        }
    }
    void close(int tid) {
        auto it = files_.find(tid);
        if (it == files_.end()) return;
        if (!it->second->sink->flush() && !error_) error_ = it->second->sink->error();
        files_.erase(it);
    }
    int error() const { return error_; }
    const std::string& failed_path() const { return failed_path_; }

  private:
    struct File {
        ScopedFd fd;
        std::unique_ptr<OutputSink> sink;
    };
    std::string prefix_;
    std::unordered_map<int, std::unique_ptr<File>> files_;
    int error_ = 0;
    std::string failed_path_;
};

// Glue: tracer events -> LiveAnnotator -> output, with the flush policy.
class LiveOutput final : public TraceListener {
  public:
    // `show_after_ms`: how long a call must be in flight before it is shown
    // unfinished when the tracer waits (0: at once).
    LiveOutput(LiveAnnotator& annotator, OutputSink& sink, bool flush_each_line, long show_after_ms)
        : annotator_(annotator),
          sink_(sink),
          flush_each_line_(flush_each_line),
          show_after_ms_(show_after_ms) {}

    void set_tracer(Tracer* tracer) { tracer_ = tracer; }
    // -ff -o PREFIX: the trace goes to one file per task instead of the sink.
    void write_per_task(PerTaskFiles* files) {
        files_ = files;
        annotator_.set_output_router(
            [files](int tid) -> std::string& { return files->buffer(tid); });
    }
    // --summary-only: calls are still annotated (for the summary), not shown.
    void discard_lines() { discard_ = true; }
    bool failed() const { return failed_; }

    // --stuck-after: a traced call blocked longer than this gets the
    // `fdtrace stuck` verdict, once per call.
    void stuck_after(double seconds, ProcResolver* resolver, FormatOptions text) {
        stuck_after_ms_ = static_cast<long>(seconds * 1000);
        stuck_resolver_ = resolver;
        stuck_formatter_.emplace(text);
    }

    // -c / -C: every shown call that returned is counted per syscall.
    void count_syscalls(SyscallSummary* summary, bool wall_clock) {
        syscall_summary_ = summary;
        wall_clock_ = wall_clock;
    }

    void record(const TraceRecord& record) override {
        if (syscall_summary_ && record.kind == TraceRecord::Kind::Syscall && record.shown &&
            record.call && !record.body.ends_with("= ?")) {
            const timespec& spent = wall_clock_ ? record.elapsed : record.system;
            syscall_summary_->add(
                record.call->nr, record.call->name,
                static_cast<double>(spent.tv_sec) + static_cast<double>(spent.tv_nsec) / 1e9,
                is_error_return(record.call->ret));
        }
        if (stuck_after_ms_ > 0) {
            if (record.kind == TraceRecord::Kind::Entry)
                in_call_since_[record.tid] = now_ms();
            else
                in_call_since_.erase(record.tid);
        }
        if (files_) {
            annotator_.record(record, sink_.buffer());
            long now = now_ms();
            if (now - pending_since_ >= kFlushDelayMs) {
                pending_since_ = now;
                flush();
            }
            return;
        }
        std::size_t before = sink_.buffer().size();
        annotator_.record(record, sink_.buffer());
        if (discard_) sink_.buffer().resize(before);
        if (sink_.buffer().size() == before) return;
        if (flush_each_line_) {
            flush();
            return;
        }
        // A file: in big writes, but never more than kFlushDelayMs behind,
        // even for a tracee that is never idle.
        long now = now_ms();
        if (before == 0) pending_since_ = now;
        if (now - pending_since_ >= kFlushDelayMs)
            flush();
        else {
            sink_.maybe_flush();
            check();
        }
    }
    void spawned(int parent, int child, bool shares_files) override {
        annotator_.spawned(parent, child, shares_files);
    }
    void execed(int tid, int former_tid) override { annotator_.execed(tid, former_tid); }
    void vanished(int tid) override {
        in_call_since_.erase(tid);
        if (files_) files_->close(tid);
        annotator_.vanished(tid);
    }
    // The tracer goes to wait (or has been busy for a while): a call still
    // in flight goes on the output and everything written so far is flushed,
    // so a blocked call is on screen while it blocks.
    int idle() override {
        int stuck_wait = check_stuck();
        long show_wait = -1;
        if (!discard_) show_wait = annotator_.show_in_flight(sink_.buffer(), show_after_ms_);
        if (!sink_.buffer().empty() || files_) flush();
        if (show_wait >= 0 && (stuck_wait < 0 || show_wait < stuck_wait))
            return static_cast<int>(show_wait);
        return stuck_wait;
    }
    void notice(std::string_view message) override {
        flush();
        print_error(std::string(message));
    }
    void flush() {
        sink_.flush();
        if (files_) files_->flush();
        check();
    }

  private:
    void check() {
        if (files_ && files_->error() && !failed_) {
            failed_ = true;
            print_error(
                "cannot write " +
                (files_->failed_path().empty() ? "output" : "'" + files_->failed_path() + "'") +
                ": " + std::strerror(files_->error()));
            if (tracer_) tracer_->stop();
        }
        if (sink_.error() && !failed_) {
            failed_ = true;
            if (sink_.error() != EPIPE)
                print_error(std::string("cannot write output: ") + std::strerror(sink_.error()));
            if (tracer_) tracer_->stop();
        }
        if (failed_) sink_.buffer().clear();  // nowhere to go
    }

    // Reports the calls blocked past the threshold; returns how long until
    // the next one would be (-1: none pending).
    int check_stuck() {
        if (stuck_after_ms_ <= 0 || !stuck_resolver_) return -1;
        long now = now_ms();
        long next = -1;
        for (auto& [tid, since] : in_call_since_) {
            if (since < 0) continue;  // reported already
            long due = since + stuck_after_ms_ - now;
            if (due > 0) {
                next = next < 0 ? due : std::min(next, due);
                continue;
            }
            StuckOptions options;
            options.tids = {tid};
            if (auto report = diagnose_stuck(*stuck_resolver_, tid, options)) {
                std::string& out = files_ ? files_->buffer(tid) : sink_.buffer();
                annotator_.interrupt_line(tid, out);
                out += "--- blocked for more than " + format_seconds(stuck_after_ms_ / 1000.0) +
                       " ---\n";
                render_stuck_text(out, *report, *stuck_formatter_);
                flush();
            }
            since = -1;
        }
        return static_cast<int>(next);
    }

    LiveAnnotator& annotator_;
    bool discard_ = false;
    long stuck_after_ms_ = 0;
    ProcResolver* stuck_resolver_ = nullptr;
    std::optional<IdentityFormatter> stuck_formatter_;
    std::unordered_map<int, long> in_call_since_;
    OutputSink& sink_;
    bool flush_each_line_;
    long show_after_ms_;
    Tracer* tracer_ = nullptr;
    PerTaskFiles* files_ = nullptr;
    SyscallSummary* syscall_summary_ = nullptr;
    bool wall_clock_ = false;
    long pending_since_ = 0;
    bool failed_ = false;
};

// Options that take a value, for telling the command apart from ours.
bool takes_value(const std::string& arg) {
    static const std::set<std::string> kWithValue = {"-p",
                                                     "-e",
                                                     "-s",
                                                     "-o",
                                                     "--attach",
                                                     "--output",
                                                     "--format",
                                                     "--color",
                                                     "--string-limit",
                                                     "--expr",
                                                     "--stuck-after",
                                                     "--fd-filter",
                                                     "--trace-fds",
                                                     "-a",
                                                     "--columns",
                                                     "-X",
                                                     "--const-print-style",
                                                     "--xlat-verbosity",
                                                     "--read",
                                                     "--write",
                                                     "-P",
                                                     "--trace-path"};
    return kWithValue.count(arg) > 0;
}

// Flags strace counts by repetition: -t/-tt/-ttt, -yy, -xx, -qq, -ff.
struct RepeatedFlags {
    int t = 0, y = 0, x = 0, q = 0, f = 0;
};

// strace lets flags cluster ("-fttT", "-fyy"), and some mean more when
// repeated: rewritten into what Program_options parses. Returns the options
// part; `command` gets everything from "--" or the first non-option on.
std::vector<std::string> split_arguments(const std::vector<std::string>& args,
                                         std::vector<std::string>& command,
                                         RepeatedFlags& counted) {
    std::vector<std::string> options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            command.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') {
            command.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
            break;
        }
        if (arg[1] != '-' && arg.find_first_not_of("ftTnhVyxqzZrvcCw", 1) == std::string::npos) {
            for (char flag : arg.substr(1)) {
                switch (flag) {
                    case 't':
                        ++counted.t;
                        break;
                    case 'y':
                        ++counted.y;
                        break;
                    case 'x':
                        ++counted.x;
                        break;
                    case 'q':
                        ++counted.q;
                        break;
                    case 'f':
                        ++counted.f;
                        break;
                    default:
                        options.push_back(std::string("-") + flag);
                }
            }
            continue;
        }
        options.push_back(arg);
        if (takes_value(arg) && i + 1 < args.size()) options.push_back(args[++i]);
    }
    return options;
}

struct TraceSet {
    std::vector<std::string> names;
    bool all = false;
};

// strace's %network.
// One item of a -e trace= list: a name, a class (%file, %desc, ...), all,
// none, /REGEX, or any of them after "?" (then nothing is an error if it
// matches no syscall here), as strace reads them.
std::optional<std::string> add_trace_item(std::string item, const SyscallNames& names,
                                          std::set<std::string>& chosen, bool& all) {
    bool optional = !item.empty() && item[0] == '?';
    if (optional) item.erase(0, 1);
    auto add_known = [&](std::string_view name) {
        if (names.number(name)) chosen.emplace(name);
    };
    if (item == "all") {
        all = true;
    } else if (item == "none") {
    } else if (item == "%default") {
        for (auto& name : default_trace_set()) chosen.insert(name);
    } else if (item == "%fd" || item == "%desc" || item == "desc") {
        // %fd (fdtrace's): every call that takes an fd (in its arguments, in
        // a poll or select set, as a range) or makes one. %desc is strace's:
        // the same without the socket calls, which strace puts in %network only.
        bool strace_desc = item != "%fd";
        for (const auto& signature : all_syscall_signatures())
            if (takes_or_makes_fd(signature) && !(strace_desc && is_network_call(signature.name)))
                add_known(signature.name);
    } else if (item == "%network" || item == "%net" || item == "network") {
        for (std::string_view name : syscalls_in_classes(kClassNetwork)) add_known(name);
    } else if (auto members = syscall_class(item); !members.empty()) {
        for (std::string_view name : members) add_known(name);
    } else if (item.size() > 1 && item[0] == '/') {
        std::regex pattern;
        try {
            pattern = std::regex(item.substr(1), std::regex::extended);
        } catch (const std::regex_error&) {
            return "-e trace: invalid regular expression '" + item.substr(1) + "'";
        }
        std::size_t before = chosen.size();
        for (long nr : names.numbers()) {
            std::string name(names.name(nr));
            if (std::regex_search(name, pattern)) chosen.insert(name);
        }
        if (chosen.size() == before && !optional)
            return "-e trace: '" + item + "' matches no system call";
    } else if (item.starts_with("%")) {
        if (!optional) return "-e trace: invalid system call class '" + item + "'";
    } else if (!names.number(item)) {
        if (!optional) return "-e trace: invalid system call '" + item + "'";
    } else {
        chosen.insert(item);
    }
    return std::nullopt;
}

// -e signal=SET: signal names (SIGINT or INT), numbers, all, none, !negation.
std::string signal_display_name(int signal) { return xlat::signal_name(signal); }

std::optional<std::string> parse_signal_set(std::string value, std::set<int>& shown) {
    bool negate = !value.empty() && value[0] == '!';
    if (negate) value.erase(0, 1);
    std::set<int> chosen;
    std::size_t start = 0;
    while (start <= value.size()) {
        std::size_t comma = value.find(',', start);
        std::string item =
            value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        start = comma == std::string::npos ? value.size() + 1 : comma + 1;
        if (item.empty() || item == "none") continue;
        if (item == "all") {
            for (int signal = 1; signal < NSIG; ++signal) chosen.insert(signal);
            continue;
        }
        char* end = nullptr;
        long number = std::strtol(item.c_str(), &end, 10);
        if (end != item.c_str() && *end == '\0' && number > 0 && number < NSIG) {
            chosen.insert(static_cast<int>(number));
            continue;
        }
        std::string name = item.starts_with("SIG") ? item : "SIG" + item;
        int found = 0;
        for (int signal = 1; signal < NSIG && !found; ++signal)
            if (signal_display_name(signal) == name) found = signal;
        if (!found) return "-e signal: invalid signal '" + item + "'";
        chosen.insert(found);
    }
    if (!negate) {
        shown = chosen;
        return std::nullopt;
    }
    shown.clear();
    for (int signal = 1; signal < NSIG; ++signal)
        if (!chosen.count(signal)) shown.insert(signal);
    return std::nullopt;
}

// -e QUALIFIER=SET. trace= (the default qualifier), signal=, status=, and
// read=/write= (strace's hex dumps of the data read from / written to fds).
std::optional<std::string> parse_expression(const std::string& expression,
                                            const SyscallNames& names, TraceSet& set,
                                            TracerOptions& tracing) {
    std::string qualifier = "trace";
    std::string value = expression;
    if (auto eq = value.find('='); eq != std::string::npos) {
        qualifier = value.substr(0, eq);
        value = value.substr(eq + 1);
    }
    if (qualifier == "signal" || qualifier == "signals" || qualifier == "s") {
        std::set<int> shown;
        if (auto error = parse_signal_set(value, shown)) return error;
        tracing.signals = std::move(shown);
        return std::nullopt;
    }
    if (qualifier == "status") {
        bool successful = false, failed = false;
        for (std::size_t start = 0; start <= value.size();) {
            std::size_t comma = value.find(',', start);
            std::string item =
                value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            start = comma == std::string::npos ? value.size() + 1 : comma + 1;
            if (item == "successful")
                successful = true;
            else if (item == "failed")
                failed = true;
            else if (item == "all")
                successful = failed = true;
            else
                return "-e status=" + item + ": not supported (successful, failed, all)";
        }
        tracing.status = successful == failed ? TracerOptions::Status::All
                         : successful         ? TracerOptions::Status::Successful
                                              : TracerOptions::Status::Failed;
        return std::nullopt;
    }
    if (qualifier == "read" || qualifier == "reads" || qualifier == "r" || qualifier == "write" ||
        qualifier == "writes" || qualifier == "w") {
        auto parsed = FdNumberSet::parse(value);
        if (auto* error = std::get_if<std::string>(&parsed))
            return "-e " + expression + ": " + *error;
        (qualifier.front() == 'r' ? tracing.dump_reads : tracing.dump_writes) =
            std::get<FdNumberSet>(std::move(parsed));
        return std::nullopt;
    }
    if (qualifier != "trace" && qualifier != "t" && qualifier != "trace-fds")
        return "-e " + expression + ": unknown qualifier '" + qualifier +
               "' (trace, signal, status, read, write)";
    const std::string as_given = value;
    bool negate = !value.empty() && value[0] == '!';
    if (negate) value.erase(0, 1);
    std::set<std::string> chosen;
    bool all = false;
    bool any = false;
    std::size_t start = 0;
    while (start <= value.size()) {
        std::size_t comma = value.find(',', start);
        std::string name =
            value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        start = comma == std::string::npos ? value.size() + 1 : comma + 1;
        if (name.empty()) continue;
        any = true;
        if (auto error = add_trace_item(name, names, chosen, all)) return error;
    }
    // strace: a set with no name in it ("", ",", "!") is an error.
    if (!any) return "invalid system call '" + as_given + "'";
    if (negate) {
        std::set<std::string> everything;
        if (!all)
            for (long nr : names.numbers()) everything.emplace(names.name(nr));
        for (const auto& name : chosen) everything.erase(name);
        set.all = false;
        set.names.assign(everything.begin(), everything.end());
        return std::nullopt;
    }
    set.all = set.all || all;
    set.names.insert(set.names.end(), chosen.begin(), chosen.end());
    return std::nullopt;
}

std::optional<std::vector<int>> parse_pids(const std::vector<std::string>& values,
                                           std::string& bad) {
    std::vector<int> pids;
    for (const auto& value : values) {
        std::size_t start = 0;
        while (start < value.size()) {
            std::size_t end = value.find_first_of(", ", start);
            std::string item =
                value.substr(start, end == std::string::npos ? std::string::npos : end - start);
            start = end == std::string::npos ? value.size() : end + 1;
            if (item.empty()) continue;
            char* stop = nullptr;
            errno = 0;
            long pid = std::strtol(item.c_str(), &stop, 10);
            if (*stop || errno || pid <= 0 || pid > INT32_MAX) {
                bad = item;
                return std::nullopt;
            }
            // -p X -p X (or -p X,X) is one process, as for strace.
            if (std::find(pids.begin(), pids.end(), pid) == pids.end())
                pids.push_back(static_cast<int>(pid));
        }
    }
    return pids;
}

}  // namespace

std::vector<std::string> default_trace_set() {
    // %fd: every call that takes or makes an fd, read off the one table.
    // 32-bit aliases are not rows, so they never reach the filter.
    std::set<std::string> names;
    for (const auto& signature : all_syscall_signatures())
        if (takes_or_makes_fd(signature)) names.emplace(signature.name);
    return {names.begin(), names.end()};
}

std::vector<std::string> fd_changing_syscalls() {
    std::vector<std::string> names;
    for (const auto& signature : all_syscall_signatures()) {
        bool changes = signature.returns_fd;
        for (FdEffect effect : kChangingEffects) changes = changes || signature.effect == effect;
        if (changes) names.emplace_back(signature.name);
    }
    return names;
}

int run_trace(const std::vector<std::string>& args) {
    std::vector<std::string> command;
    RepeatedFlags counted;
    std::vector<std::string> option_args = split_arguments(args, command, counted);
    const int timestamps = counted.t;

    po::options_description options("Options");
    std::vector<std::string> pid_values;
    std::vector<std::string> expressions;
    std::string string_limit_text;
    std::string align_text;
    std::vector<std::string> fd_filter_texts, trace_fd_texts, trace_paths;
    std::string output;
    std::string format = "text";
    std::string color = "auto";
    std::string xlat_style, xlat_alias;
    // clang-format off
    options.add_options()
        ("help,h", "show this help")
        ("attach,p", po::value(&pid_values), "trace process PID (repeatable; all its threads)")
        ("follow-forks", "trace children and threads too (-f; -ff: as strace, one file per process with -o)")
        ("expr,e", po::value(&expressions), "trace=SET: syscalls to show (names, %fd, %network, %default, all, !...); signal=SET, status=SET; read=FDS, write=FDS: hex dump of the data read from / written to those fds (also --read=FDS, --write=FDS)")
        ("read", po::value<std::vector<std::string>>(), "the same as -e read=FDS")
        ("write", po::value<std::vector<std::string>>(), "the same as -e write=FDS")
        ("string-limit,s", po::value<std::string>(&string_limit_text)->default_value("32"), "bytes of data shown per buffer")
        ("absolute-timestamps", "time of day (-t; -tt: with microseconds, -ttt: seconds since the epoch)")
        ("relative-timestamps,r", "time since the previous line's, before each line (as strace -r)")
        ("syscall-times,T", "time spent in each syscall")
        ("columns,a", po::value<std::string>(&align_text)->default_value("40"), "align return values to this column, as strace (0: no padding)")
        ("successful-only,z", "show only calls that succeeded (whole lines, at their exit)")
        ("failed-only,Z", "show only calls that failed (whole lines, at their exit)")
        ("quiet", "no attach/detach messages (-q); -qq: no exit lines (+++ exited with N +++) either")
        ("strings-in-hex", "-x: strings with a non-printable byte in \\xNN; -xx: every string")
        ("decode-fds", po::value<std::string>()->implicit_value("all"), "-y, -yy: accepted, fds are always named")
        ("const-print-style,X", po::value<std::string>(&xlat_style), "raw | abbrev | verbose: named constants as numbers, names (the default) or both (strace's -X; also --xlat-verbosity)")
        ("no-abbrev,v", "arrays printed whole (else at most -s elements of each, as strace)")
        ("seccomp-bpf", "accepted: a launched command always runs under fdtrace's seccomp filter")
        ("summary-only,c", "only strace's table at the end: calls, errors and time per syscall (no trace)")
        ("summary,C", "the trace, and strace's per-syscall table at the end")
        ("summary-wall-clock,w", "the tables count wall-clock time in each call, not system CPU time")
        ("fd-filter", po::value(&fd_filter_texts), "show only calls on matching fds: tcp:443, udp:53, unix:/run/*, /var/log/* (repeatable)")
        ("trace-fds", po::value(&trace_fd_texts), "show only calls on these fd numbers: 3,5-7 (strace 6.3)")
        ("trace-path,P", po::value(&trace_paths), "show only calls that touch PATH (a path argument, or an fd open on it), as strace -P (repeatable)")
        ("fd-summary", "at the end, one row per fd identity: calls, bytes, time, errors (with -c: no trace)")
        ("stuck-after", po::value<double>(), "a call blocked longer than SECONDS gets the `fdtrace stuck` verdict")
        ("leaks", "at the end, the fds opened under the trace and never closed, with the call that opened each")
        ("output,o", po::value(&output), "write the trace to FILE instead of standard error")
        ("numeric,n", "numeric addresses and ports: no host or service names")
        ("format", po::value(&format)->default_value("text"), "text | json (JSON Lines)")
        ("color", po::value(&color)->default_value("auto"), "auto | always | never")
        ("kill-on-exit", "kill the tracees when fdtrace ends (SIGINT included)")
        ("no-seccomp", "stop the command at every syscall (PTRACE_SYSCALL) instead of using a seccomp filter")
        ("list-syscalls", "print the syscalls that would be shown (after -e), one per line, and exit");
    // clang-format on
    po::options_description hidden;
    hidden.add_options()("mark-annotations",
                         "wrap annotations in \\x1e...\\x1f (tests strip them)")(
        "xlat-verbosity", po::value<std::string>(&xlat_alias), "the same as --const-print-style");
    po::options_description all;
    all.add(options).add(hidden);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(option_args).options(all).run(), vm);
        po::notify(vm);
    } catch (const po::error& error) {
        print_error(std::string(error.what()) + " (try 'fdtrace --help')");
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << kUsage << '\n' << options;
        return kExitOk;
    }
    if (!check_choice("--format", format, {"text", "json"})) return kExitUsage;
    if (!check_choice("--color", color, {"auto", "always", "never"})) return kExitUsage;
    if (xlat_style.empty()) xlat_style = xlat_alias;
    XlatStyle xlat = XlatStyle::abbrev;
    if (xlat_style == "raw") {
        xlat = XlatStyle::raw;
    } else if (xlat_style == "verbose") {
        xlat = XlatStyle::verbose;
    } else if (!xlat_style.empty() && xlat_style != "abbrev") {  // strace's message
        print_error("invalid -X argument: '" + xlat_style + "' (raw, abbrev, verbose)");
        return kExitUsage;
    }
    // Checked here, so the message names what the user typed (-s, not --string-limit).
    char* end = nullptr;
    errno = 0;
    long long string_limit = std::strtoll(string_limit_text.c_str(), &end, 10);
    if (string_limit_text.empty() || *end || errno) {
        print_error("-s " + string_limit_text + ": not a number");
        return kExitUsage;
    }
    if (string_limit < 0) {  // strace: "-s: Invalid argument"
        print_error("-s " + string_limit_text + ": the string limit cannot be negative");
        return kExitUsage;
    }
    if (string_limit > static_cast<long long>(UINT_MAX / 4)) {  // strace's own bound
        print_error("invalid -s argument: '" + string_limit_text + "'");
        return kExitUsage;
    }
    // -a N: strace takes 0..INT_MAX; past 2^20 columns a line is padding,
    // not output, so fdtrace stops there rather than allocate gigabytes.
    errno = 0;
    long long align = std::strtoll(align_text.c_str(), &end, 10);
    if (align_text.empty() || *end || errno || align < 0 || align > (1 << 20)) {
        print_error("invalid -a argument: '" + align_text + "'");
        return kExitUsage;
    }
    const auto align_column = static_cast<std::size_t>(align);
    if (vm.count("successful-only") && vm.count("failed-only")) {
        print_error("-z and -Z cannot be combined (nothing would be shown)");
        return kExitUsage;
    }
    std::string bad_pid;
    auto pids = parse_pids(pid_values, bad_pid);
    if (!pids) {
        print_error("-p " + bad_pid + ": invalid process id");
        return kExitUsage;
    }
    if (pids->empty() && command.empty() && !vm.count("list-syscalls")) {
        print_error("must have -p PID or a command to run (try 'fdtrace --help')");
        return kExitUsage;
    }
    if (!pids->empty() && !command.empty()) {
        print_error("-p and a command cannot be combined");
        return kExitUsage;
    }

    SyscallNames names;
    TraceSet set;
    TracerOptions tracing;
    bool chose_calls = false;
    for (const char* qualifier : {"read", "write"})  // --read=FDS is -e read=FDS
        if (vm.count(qualifier))
            for (const auto& value : vm[qualifier].as<std::vector<std::string>>())
                expressions.push_back(std::string(qualifier) + "=" + value);
    for (const auto& expression : expressions) {
        if (auto error = parse_expression(expression, names, set, tracing)) {
            print_error(*error);
            return kExitUsage;
        }
        chose_calls = chose_calls || expression.find('=') == std::string::npos ||
                      expression.starts_with("trace=") || expression.starts_with("t=") ||
                      expression.starts_with("trace-fds=");
    }
    if (!chose_calls && (vm.count("summary-only") || vm.count("summary") || !trace_paths.empty()))
        set.all = true;  // -c/-C count, and -P looks at, what strace does by default: every syscall
    else if (!chose_calls)
        set.names = default_trace_set();

    if (vm.count("list-syscalls")) {
        // Only what exists on this architecture, so the list can be handed to strace -e.
        std::set<std::string> listed;
        if (set.all)
            for (long nr : names.numbers()) listed.emplace(names.name(nr));
        for (const auto& name : set.names)
            if (names.number(name)) listed.insert(name);
        for (const auto& name : listed) std::cout << name << '\n';
        return kExitOk;
    }

    // -ff with -o: one file per task (PREFIX.TID), as strace; the trace's
    // other output (summaries, messages) stays on standard error.
    const bool per_task = counted.f >= 2 && !output.empty();
    ScopedFd output_fd;
    if (!per_task && !open_output(output, "", output_fd)) return kExitUsage;
    int out = output_fd ? output_fd.get() : STDERR_FILENO;

    LiveOptions live;
    live.format = format == "json" ? OutputFormat::Json : OutputFormat::Text;
    live.text.numeric = vm.count("numeric") > 0;
    live.text.mark = vm.count("mark-annotations") > 0;
    live.text.color = live.format == OutputFormat::Text && use_color(color, out);
    live.timestamps = std::min(timestamps + static_cast<int>(vm.count("absolute-timestamps")), 3);
    live.relative = vm.count("relative-timestamps") > 0;
    live.align_column = align_column;
    // strace's -c (table only) and -C (trace and table) count per syscall;
    // --fd-summary is fdtrace's per-fd table, alone with -c or beside the
    // trace. Both tables when asked for both.
    const bool summary_only = vm.count("summary-only") > 0;
    const bool syscall_table = summary_only || vm.count("summary") > 0;
    const bool fd_table = vm.count("fd-summary") > 0;
    const bool wall_clock = vm.count("summary-wall-clock") > 0;
    live.durations = vm.count("syscall-times") > 0 || (summary_only && fd_table);
    live.leaks = vm.count("leaks") > 0;
    live.bracket_pids = output.empty();
    live.output_per_task = per_task;
    const struct {
        const std::vector<std::string>& texts;
        std::string_view option;
        std::variant<FdFilter, std::string> (*parse)(std::string_view);
    } filter_options[] = {{fd_filter_texts, "--fd-filter ", &FdFilter::parse},
                          {trace_fd_texts, "--trace-fds ", &FdFilter::parse_numbers}};
    for (const auto& source : filter_options) {
        for (const auto& text : source.texts) {
            auto parsed = source.parse(text);
            if (auto* error = std::get_if<std::string>(&parsed)) {
                print_error(std::string(source.option) + text + ": " + *error);
                return kExitUsage;
            }
            live.fd_filters.push_back(std::get<FdFilter>(std::move(parsed)));
        }
    }

    tracing.pids = *pids;
    tracing.command = command;
    tracing.follow_forks = vm.count("follow-forks") > 0 || counted.f > 0;
    tracing.pid_column_always = tracing.follow_forks && !output.empty() && !per_task;
    tracing.quiet = counted.q + static_cast<int>(vm.count("quiet"));
    // strace: -o FILE with a command implies -q (no "Process N attached").
    if (!output.empty() && !command.empty() && tracing.quiet == 0) tracing.quiet = 1;
    for (const auto& path : trace_paths) {
        // "" is a path too: strace -P "" shows newfstatat(3, "", ...).
        auto resolved = tracing.trace_paths.add(path);
        // strace 6.1 prints this notice even with -qqq.
        if (resolved) {
            std::string notice = "Requested path ";
            append_quoted(notice, path);
            notice += " resolved into ";
            append_quoted(notice, *resolved);
            print_error(notice);
        }
    }
    if (vm.count("successful-only")) tracing.status = TracerOptions::Status::Successful;
    if (vm.count("failed-only")) tracing.status = TracerOptions::Status::Failed;
    tracing.decode.xlat = xlat;
    tracing.decode.hex_strings =
        std::min(counted.x + static_cast<int>(vm.count("strings-in-hex")), 2);
    tracing.seccomp = vm.count("no-seccomp") == 0;
    tracing.kill_on_exit = vm.count("kill-on-exit") > 0;
    tracing.shown = set.names;
    tracing.trace_all = set.all;
    tracing.silent = fd_changing_syscalls();
    tracing.decode.string_limit = static_cast<std::size_t>(string_limit);
    tracing.decode.no_abbrev = vm.count("no-abbrev") > 0;

    ProcIdentityResolver resolver;
    LiveAnnotator annotator(live, resolver);
    // Host names, looked up by Boost.Asio off this thread: the tracer never
    // waits for DNS (the first lines show numbers, later ones names).
    std::unique_ptr<ReverseDns> host_names;
    if (!live.text.numeric && live.format == OutputFormat::Text) {
        host_names = std::make_unique<ReverseDns>();
        annotator.set_host_names(host_names.get());
    }
    FdSummary fd_summary;
    if (fd_table)
        annotator.set_observer([&](const SyscallEvent& event, std::span<const ResolvedFd> fds) {
            fd_summary.add(event, fds);
        });
    OutputSink sink(out);
    // Lines go out one by one to a terminal or a pipe (someone is reading),
    // in big writes to a file, flushed whenever the tracer waits.
    struct stat out_stat {};
    bool interactive =
        ::isatty(out) == 1 || (::fstat(out, &out_stat) == 0 && S_ISFIFO(out_stat.st_mode));
    LiveOutput listener(annotator, sink, interactive,
                        live.format == OutputFormat::Json ? kJsonInFlightMs : kTextInFlightMs);
    Tracer tracer(std::move(tracing), listener);
    listener.set_tracer(&tracer);
    std::optional<PerTaskFiles> task_files;
    if (per_task) listener.write_per_task(&task_files.emplace(output));
    if (summary_only) listener.discard_lines();
    SyscallSummary syscall_summary;
    if (syscall_table) listener.count_syscalls(&syscall_summary, wall_clock);
    ProcResolver stuck_resolver;
    if (vm.count("stuck-after")) {
        double seconds = vm["stuck-after"].as<double>();
        if (!(seconds > 0)) {
            print_error("--stuck-after must be a positive number of seconds");
            return kExitUsage;
        }
        listener.stuck_after(seconds, &stuck_resolver, live.text);
    }
    if (auto error = tracer.start()) {
        listener.flush();
        print_error(error->message);
        return error->exit_status;
    }
    int status = tracer.run();
    if (live.leaks) annotator.finish_leaks(sink.buffer());
    if (fd_table) {
        if (live.format == OutputFormat::Json)
            fd_summary.render_json(sink.buffer());
        else
            fd_summary.render_text(sink.buffer());
    }
    if (syscall_table) {
        if (live.format == OutputFormat::Json)
            syscall_summary.render_json(sink.buffer());
        else
            syscall_summary.render_text(sink.buffer());
    }
    listener.flush();
    return status;
}

}  // namespace fdtrace
