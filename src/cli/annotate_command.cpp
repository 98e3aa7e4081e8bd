// `fdtrace annotate`: strace logs in, annotated text or JSON Lines out.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fdtrace/annotator.h"
#include "fdtrace/cli.h"
#include "fdtrace/fd_summary.h"
#include "fdtrace/line_io.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/strace_line.h"

namespace fdtrace {
namespace po = boost::program_options;
namespace {

struct InputFile {
    std::string name;
    int pid = 0;  // from a "-ff" suffix (trace.log.1234), else 0
    std::unique_ptr<LineReader> reader;
    // The line read ahead for merging, with its parsed time.
    std::string_view line;
    bool newline = true;
    bool has_line = false;
    std::string_view time;
    std::uint64_t line_number = 0;  // of `line`, in this file
    int fd = -1;                    // the reader's, while reading twice
};

// trace.log.1234 -> 1234 (strace -ff names its files so).
int pid_from_suffix(const std::string& name) {
    std::size_t dot = name.rfind('.');
    if (dot == std::string::npos || dot + 1 >= name.size()) return 0;
    std::string_view suffix(name.c_str() + dot + 1);
    if (digit_run(suffix) != suffix.size() || suffix.size() > 9) return 0;
    return static_cast<int>(*parse_integer(suffix));
}

// strace -r's stamp ("0.000017": the time since the file's previous line)
// orders nothing across files; -ttt's ("1700000000.000017", ten digits) and
// -t's ("12:00:01") do.
bool is_relative_time(std::string_view time) {
    return time.find(':') == std::string_view::npos && digit_run(time) < 9;
}

// Reads the next line; when merging several files, also its time (a single
// file needs no ordering, and parsing twice would cost a quarter of the run).
// A relative time counts as none: such files go in file order.
bool advance(InputFile& input, bool merging) {
    input.has_line = input.reader->next(input.line, input.newline);
    if (input.has_line) ++input.line_number;
    if (input.has_line && merging) {
        input.time = parse_strace_line(input.line, input.pid).time;
        if (is_relative_time(input.time)) input.time = {};
    }
    return input.has_line;
}

// Timestamps of one log share a format, so comparing them as text with the
// shorter-is-earlier rule orders them; lines without time keep file order.
bool earlier(std::string_view a, std::string_view b) {
    if (a.empty() || b.empty()) return false;
    if (a.size() != b.size()) return a.size() < b.size();
    return a < b;
}

std::optional<ScopedFd> open_input(const std::string& name) {
    if (name == "-") return ScopedFd(::dup(STDIN_FILENO));
    ScopedFd fd(::open(name.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        print_error("annotate: cannot open '" + name + "': " + std::strerror(errno));
        return std::nullopt;
    }
    return fd;
}

// Ctrl-C on `strace -p PID 2>&1 | fdtrace annotate` reaches both: strace
// then detaches and writes its last line (" <detached ...>"). Reading from a
// pipe, a first SIGINT gives the writer a second to finish (EOF ends us as
// usual); a second SIGINT, or the second running out, ends us at once.
extern "C" void give_up_waiting(int) { ::_exit(128 + SIGINT); }
extern "C" void drain_after_interrupt(int) { ::alarm(1); }

void let_pipe_writer_finish_on_interrupt() {
    struct sigaction alarm_action {};
    alarm_action.sa_handler = give_up_waiting;
    ::sigaction(SIGALRM, &alarm_action, nullptr);
    struct sigaction interrupt {};
    interrupt.sa_handler = drain_after_interrupt;
    interrupt.sa_flags = SA_RESETHAND | SA_RESTART;
    ::sigaction(SIGINT, &interrupt, nullptr);
}

bool is_pipe(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

bool is_regular_file(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

// Lines without a time (or with -r's) keep file order, so the files of `strace -ff` go
// parent first: by pid, not as a glob sorts them (trace.10001 comes before
// trace.9998 there), and, when their lines carry no time, by what their
// clone/fork lines returned (pids wrap: trace.32000 may fork trace.300).
// Pid-less files keep their place in front.
// Returns true when the files will be replayed one after another (no times).
bool order_parents_first(std::vector<InputFile>& inputs) {
    std::stable_sort(inputs.begin(), inputs.end(),
                     [](const InputFile& a, const InputFile& b) { return a.pid < b.pid; });
    if (inputs.size() < 2) return false;
    std::vector<int> parent(inputs.size(), -1);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i].pid == 0 || !is_regular_file(inputs[i].fd)) return false;
        std::ifstream in(inputs[i].name, std::ios::binary);  // its own offset
        std::string text;
        bool first = true;
        while (std::getline(in, text)) {
            // Past the first call (times?), only fork lines are parsed whole.
            if (!first && text.find("fork") == std::string::npos &&
                text.find("clone") == std::string::npos)
                continue;
            SyscallEvent event = parse_strace_line(text, inputs[i].pid);
            if (event.kind != EventKind::Syscall) continue;
            if (first && !event.time.empty() && !is_relative_time(event.time))
                return false;  // merged by time
            first = false;
            if (!event.retval || *event.retval <= 0 || !is_clone_call(event.name)) continue;
            for (std::size_t j = 0; j < inputs.size(); ++j)
                if (j != i && inputs[j].pid == *event.retval && parent[j] < 0)
                    parent[j] = static_cast<int>(i);
        }
    }
    // Depth first from the files no file forked, in pid order.
    std::vector<std::size_t> order;
    std::vector<bool> placed(inputs.size(), false);
    auto place = [&](auto& self, std::size_t i) -> void {
        if (placed[i]) return;
        placed[i] = true;
        order.push_back(i);
        for (std::size_t j = 0; j < inputs.size(); ++j)
            if (parent[j] == static_cast<int>(i)) self(self, j);
    };
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (parent[i] < 0) place(place, i);
    for (std::size_t i = 0; i < inputs.size(); ++i) place(place, i);  // a cycle: as they were
    std::vector<InputFile> sorted;
    for (std::size_t i : order) sorted.push_back(std::move(inputs[i]));
    inputs = std::move(sorted);
    return true;
}

// The first of two reads: every line to an annotator that only learns what
// later lines reveal of fds from before the log. Each input is read through
// a dup of its fd (one file offset), then rewound for the second read.
// Merged inputs go in the same order as the second read will take them.
bool collect_reveals(std::vector<InputFile>& inputs, const AnnotateOptions& options,
                     RevealIndex& index) {
    std::vector<InputFile> first;
    for (auto& input : inputs) {
        InputFile copy;
        copy.name = input.name;
        copy.pid = input.pid;
        copy.reader = std::make_unique<LineReader>(ScopedFd(::dup(input.fd)));
        first.push_back(std::move(copy));
    }
    AnnotateOptions quiet = options;
    quiet.explain = quiet.leaks = false;
    Annotator annotator(quiet);
    annotator.collect_reveals(index);
    const bool merging = first.size() > 1;
    for (auto& input : first) advance(input, merging);
    std::string nothing;
    for (;;) {
        InputFile* next = nullptr;
        for (auto& input : first) {
            if (!input.has_line) continue;
            if (!next || earlier(input.time, next->time)) next = &input;
        }
        if (!next) break;
        annotator.feed(next->line, nothing, next->pid, next->newline,
                       merging ? std::string_view(next->name) : std::string_view{}, merging,
                       next->line_number);
        advance(*next, merging);
    }
    for (auto& input : inputs)
        if (::lseek(input.fd, 0, SEEK_SET) != 0) return false;
    for (auto& input : first)
        if (input.reader->error()) return false;
    return true;
}

}  // namespace

int run_annotate(const std::vector<std::string>& args) {
    po::options_description options("fdtrace annotate [FILE...|-] [options]");
    std::string format = "text";
    std::string output;
    std::string color = "auto";
    std::string cwd;
    int live_pid = 0;
    // clang-format off
    options.add_options()
        ("help,h", "show this help")
        ("format", po::value(&format)->default_value("text"), "text | json (JSON Lines, one record per input line)")
        ("output,o", po::value(&output), "write to FILE instead of standard output")
        ("color", po::value(&color)->default_value("auto"), "auto | always | never")
        ("numeric,n", "numeric ports, no service names")
        ("pid", po::value(&live_pid), "PID still running: name fds the log never opened from /proc")
        ("one-pass", "read a file once: fds from before the log are named only from the line that reveals them on (a pipe is always read once)")
        ("realpath", "resolve symlinks in paths through this machine's filesystem (logs recorded here)")
        ("cwd", po::value(&cwd), "working directory of the traced program, for relative paths")
        ("leaks", "at the end, the fds opened in the log and never closed, with the line that opened each")
        ("explain", "a short line under calls that teach something (errnos, flags, EOF)")
        ("summary,c", "at the end, one row per fd identity: calls, bytes, time, errors")
        ("summary-only", "print only the summary (-c without the annotated log)");
    // clang-format on
    po::options_description hidden;
    std::vector<std::string> files;
    hidden.add_options()("files", po::value(&files))("mark-annotations",
                                                     "wrap annotations in \\x1e...\\x1f");
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("files", -1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& error) {
        print_error(std::string("annotate: ") + error.what() + " (try 'fdtrace annotate --help')");
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << options;
        return kExitOk;
    }
    if (!check_choice("annotate: --format", format, {"text", "json"})) return kExitUsage;
    if (!check_choice("annotate: --color", color, {"auto", "always", "never"})) return kExitUsage;
    if (files.empty()) files.push_back("-");

    std::vector<InputFile> inputs;
    for (const std::string& name : files) {
        auto fd = open_input(name);
        if (!fd) return kExitUsage;
        InputFile input;
        input.name = name;
        input.pid = files.size() > 1 ? pid_from_suffix(name) : 0;
        if (files.size() == 1) input.pid = pid_from_suffix(name);
        if (is_pipe(fd->get())) let_pipe_writer_finish_on_interrupt();
        input.fd = fd->get();
        input.reader = std::make_unique<LineReader>(std::move(*fd));
        inputs.push_back(std::move(input));
    }
    const bool file_by_file = order_parents_first(inputs);

    // The traced program's directory, as it was: absolute, or it says nothing.
    if (!cwd.empty() && cwd.front() != '/') {
        print_error("annotate: --cwd " + cwd + ": must be an absolute path");
        return kExitUsage;
    }
    ScopedFd output_fd;
    if (!open_output(output, "annotate: ", output_fd)) return kExitUsage;
    int out = output_fd ? output_fd.get() : STDOUT_FILENO;

    AnnotateOptions annotate;
    annotate.format = format == "json" ? OutputFormat::Json : OutputFormat::Text;
    annotate.text.numeric = vm.count("numeric") > 0;
    annotate.text.color = annotate.format == OutputFormat::Text && use_color(color, out);
    annotate.replay.realpath = vm.count("realpath") > 0;
    annotate.replay.initial_cwd = cwd;
    annotate.replay.copy_shared_tables = file_by_file;
    annotate.explain = vm.count("explain") > 0;
    annotate.leaks = vm.count("leaks") > 0;
    annotate.text.mark = vm.count("mark-annotations") > 0;
    Annotator annotator(annotate);
    // A file (every input seekable) is read twice: what a later line shows of
    // an fd from before the log names it from its first use.
    bool two_reads = vm.count("one-pass") == 0;
    for (const auto& input : inputs) two_reads = two_reads && is_regular_file(input.fd);
    if (two_reads) {
        RevealIndex reveals;
        if (!collect_reveals(inputs, annotate, reveals)) {
            print_error("annotate: cannot read the input twice: " +
                        std::string(std::strerror(errno)));
            return kExitUsage;
        }
        annotator.name_ahead(std::move(reveals));
    }
    const bool summary_only = vm.count("summary-only") > 0;
    const bool summary = summary_only || vm.count("summary") > 0;
    FdSummary fd_summary;
    if (summary)
        annotator.set_observer([&](const SyscallEvent& event, std::span<const ResolvedFd> fds) {
            fd_summary.add(event, fds);
        });
    std::unique_ptr<ProcResolver> resolver;
    if (live_pid > 0) {
        if (::kill(live_pid, 0) != 0 && errno == ESRCH) {
            print_error("annotate: --pid " + std::to_string(live_pid) + ": no such process");
            return kExitUsage;
        }
        // Fds the log never opened: ask the live process (its threads share
        // the table, so a log pid other than the one named is left alone).
        resolver = std::make_unique<ProcResolver>();
        annotator.set_inherited_lookup([&, live_pid](int pid, int fd) -> std::optional<FdIdentity> {
            if (pid != 0 && pid != live_pid) return std::nullopt;
            return resolver->resolve(live_pid, fd);
        });
    }
    OutputSink sink(out);

    const bool merging = inputs.size() > 1;
    // Streaming: whenever an input has nothing more to give yet, what is
    // annotated so far goes out, and (text, one input) so does a line strace
    // has only begun: `strace -p PID | fdtrace annotate` shows the blocked
    // call while it blocks. `previewed` is what the output already holds of it.
    std::string previewed;
    std::string scratch;
    const bool previews = !merging && annotate.format == OutputFormat::Text && !summary_only;
    for (auto& input : inputs) {
        input.reader->on_stall([&, pid = input.pid](std::string_view partial) {
            if (previews && !partial.empty()) {
                scratch.clear();
                annotator.preview(partial, scratch, pid);
                if (scratch.starts_with(previewed)) {
                    sink.buffer().append(scratch, previewed.size());
                    previewed = scratch;
                }
            }
            sink.flush();
        });
    }
    for (auto& input : inputs) advance(input, merging);
    for (;;) {
        InputFile* next = nullptr;
        for (auto& input : inputs) {
            if (!input.has_line) continue;
            if (!next || earlier(input.time, next->time)) next = &input;
        }
        if (!next) break;
        std::size_t before = sink.buffer().size();
        if (previewed.empty()) {
            annotator.feed(next->line, sink.buffer(), next->pid, next->newline,
                           merging ? std::string_view(next->name) : std::string_view{}, merging,
                           next->line_number);
        } else {
            // The beginning is out already: only the rest follows (or, if
            // its annotation changed meanwhile, the whole line on its own).
            scratch.clear();
            annotator.feed(next->line, scratch, next->pid, next->newline);
            if (scratch.starts_with(previewed))
                sink.buffer().append(scratch, previewed.size());
            else
                sink.buffer().append("\n").append(scratch);
            previewed.clear();
        }
        if (summary_only) sink.buffer().resize(before);
        sink.maybe_flush();
        if (sink.error()) break;
        advance(*next, merging);
    }
    if (summary) {
        if (annotate.format == OutputFormat::Json)
            fd_summary.render_json(sink.buffer());
        else
            fd_summary.render_text(sink.buffer());
    }
    if (annotate.leaks) annotator.finish_leaks(sink.buffer());
    sink.flush();
    for (auto& input : inputs) {
        if (input.reader->error()) {
            print_error("annotate: cannot read '" + input.name +
                        "': " + std::strerror(input.reader->error()));
            return kExitUsage;
        }
    }
    if (sink.error() && sink.error() != EPIPE) {
        print_error(std::string("annotate: cannot write output: ") + std::strerror(sink.error()));
        return kExitSystem;
    }
    return kExitOk;
}

}  // namespace fdtrace
