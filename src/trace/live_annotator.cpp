#include "fdtrace/live_annotator.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/epoll.h>
#include <time.h>

#include <climits>
#include <cstdio>

#include "fdtrace/fd_sites.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/strace_args.h"
#include "fdtrace/strace_line.h"

namespace fdtrace {
namespace {

// Sites whose fd only exists (or only means its new self) once the call has
// returned: returned fds, pipe pairs, fds received by recvmsg.
bool after_effect(const FdSite& site) {
    return site.role == FdRole::Ret || site.role == FdRole::Pair || site.role == FdRole::ScmRights;
}

// Kinds whose identity cannot change while the fd stays open.
bool immutable_kind(FdKind kind) {
    switch (kind) {
        case FdKind::Chr:
        case FdKind::Blk:
        case FdKind::Eventfd:
        case FdKind::Epoll:
        case FdKind::Timerfd:
        case FdKind::Signalfd:
        case FdKind::Inotify:
        case FdKind::Fanotify:
        case FdKind::Pidfd:
        case FdKind::Memfd:
        case FdKind::IoUring:
        case FdKind::PerfEvent:
        case FdKind::Bpf:
        case FdKind::Userfaultfd:
        case FdKind::Namespace:
        case FdKind::Anon:
        case FdKind::Netlink:
        case FdKind::Packet:
            return true;
        default:
            return false;
    }
}

// Kinds with a peer process or a connection state.
bool peer_kind(FdKind kind) {
    return kind == FdKind::Pipe || kind == FdKind::Fifo || kind == FdKind::Unix ||
           kind == FdKind::Socket || is_inet_kind(kind);
}

// Kinds with a path that unlink/rename can mark deleted.
bool path_kind(FdKind kind) {
    return kind == FdKind::File || kind == FdKind::Dir || kind == FdKind::Fifo ||
           kind == FdKind::Unix || kind == FdKind::Unknown;
}

// OpenFile::rendered_epoch packs the two epochs an identity was resolved at.
constexpr std::uint64_t pack(std::uint32_t paths, std::uint32_t peers) {
    return (std::uint64_t{paths} << 32) | peers;
}

// The "u64=N" of epoll_ctl's event argument, in the call's text.
std::optional<std::uint64_t> epoll_ctl_data(std::string_view args) {
    std::size_t at = args.find("u64=");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view digits = args.substr(at + 4);
    digits = digits.substr(0, digit_run(digits));
    auto value = parse_integer(digits);
    if (!value) return std::nullopt;
    return static_cast<std::uint64_t>(*value);
}

}  // namespace

// ------------------------------------------------------------ ProcIdentityResolver

ProcIdentityResolver::ProcIdentityResolver() : proc_(std::make_unique<ProcResolver>()) {}
ProcIdentityResolver::~ProcIdentityResolver() = default;

std::optional<FdIdentity> ProcIdentityResolver::resolve(int pid, int fd) {
    return proc_->resolve(pid, fd);
}

std::vector<std::pair<std::uint64_t, int>> ProcIdentityResolver::epoll_data(int pid, int epoll_fd) {
    std::vector<std::pair<std::uint64_t, int>> out;
    if (auto watches = proc_->epoll_watches(pid, epoll_fd))
        for (const EpollWatch& watch : *watches) out.emplace_back(watch.data, watch.fd);
    return out;
}

// Only the socket dumps: the index of who holds which inode checks its own
// answers, and rebuilding it means reading every /proc/PID/fd.
void ProcIdentityResolver::sockets_changed() { proc_->sockets().invalidate(); }

// ------------------------------------------------------------ LiveAnnotator

LiveAnnotator::LiveAnnotator(LiveOptions options, IdentityResolver& resolver)
    : options_(options), resolver_(resolver), formatter_(options.text) {}

void LiveAnnotator::changed_world() noexcept { ++peer_epoch_; }

bool LiveAnnotator::stale(const OpenFile& file) const noexcept {
    FdKind kind = file.identity.kind;
    if (immutable_kind(kind)) return false;
    auto paths = static_cast<std::uint32_t>(file.rendered_epoch >> 32);
    auto peers = static_cast<std::uint32_t>(file.rendered_epoch);
    if (path_kind(kind) && paths != path_epoch_) return true;
    if (peer_kind(kind) && peers != peer_epoch_) return true;
    return false;
}

std::optional<FdIdentity> LiveAnnotator::ask(int pid, int fd) {
    if (resolver_stale_) {
        resolver_.sockets_changed();
        resolver_stale_ = false;
    }
    ++resolutions_;
    auto identity = resolver_.resolve(pid, fd);
    // An eventfd's counter, a timer's expiry and an epoll's watch list change
    // with every use, not with the events that refresh the cache: a cached
    // snapshot of them would mislead, so live lines leave them out.
    if (identity && (identity->kind == FdKind::Eventfd || identity->kind == FdKind::Timerfd ||
                     identity->kind == FdKind::Epoll)) {
        if (auto* anon = identity->get<AnonDetails>()) anon->info.clear();
    }
    return identity;
}

OpenFile* LiveAnnotator::install_new(int pid, int fd) {
    auto identity = ask(pid, fd);
    if (!identity) {
        model_.close(pid, fd);
        return nullptr;
    }
    OpenFilePtr file = model_.install(pid, fd, std::move(*identity), false);
    file->rendered_epoch = pack(path_epoch_, peer_epoch_);
    return file.get();
}

OpenFile* LiveAnnotator::reresolve(int pid, int fd) {
    FdEntry* entry = model_.entry(pid, fd);
    if (!entry) return install_new(pid, fd);
    auto identity = ask(pid, fd);
    if (!identity) return nullptr;  // gone: the call's own effect will say so
    OpenFile& file = *entry->file;
    if (!(file.identity == *identity)) {
        file.identity = std::move(*identity);
        file.changed();
    }
    file.rendered_epoch = pack(path_epoch_, peer_epoch_);
    return &file;
}

OpenFile* LiveAnnotator::file_for(int pid, int fd, bool fresh_enough) {
    FdEntry* entry = model_.entry(pid, fd);
    if (!entry) return install_new(pid, fd);
    if (!fresh_enough && stale(*entry->file)) {
        if (OpenFile* updated = reresolve(pid, fd)) return updated;
    }
    return entry->file.get();
}

std::string_view LiveAnnotator::text_of(OpenFile& file) {
    std::uint64_t names = formatter_.names_generation();
    if (file.rendered_generation != file.generation || file.rendered_names != names) {
        file.rendered = formatter_.text(file.identity);
        file.rendered_generation = file.generation;
        file.rendered_names = names;
    }
    return file.rendered;
}

int LiveAnnotator::epoll_target(int pid, int epoll_fd, std::uint64_t data) {
    OpenFile* epoll = file_for(pid, epoll_fd, true);
    if (!epoll) return -1;
    auto it = epoll->epoll_data.find(data);
    if (it != epoll->epoll_data.end()) return it->second;
    // Registered before we saw it: fdinfo lists every watch.
    for (const auto& [value, fd] : resolver_.epoll_data(pid, epoll_fd))
        epoll->epoll_data.emplace(value, fd);
    it = epoll->epoll_data.find(data);
    if (it != epoll->epoll_data.end()) return it->second;
    epoll->epoll_data.emplace(data, -1);  // not an fd we can name: do not ask again
    return -1;
}

void LiveAnnotator::entering(int tid, const SyscallCall& call) {
    const SyscallSignature* signature = find_syscall(call.name);
    if (!signature) return;
    // What the call closes or replaces must be named while it still exists.
    switch (signature->effect) {
        case FdEffect::Close:
            file_for(tid, static_cast<int>(call.args[0]), false);
            break;
        case FdEffect::Dup2:
            if (static_cast<int>(call.args[1]) != static_cast<int>(call.args[0]))
                file_for(tid, static_cast<int>(call.args[1]), false);
            break;
        default:
            break;
    }
}

void LiveAnnotator::spawned(int parent, int child, bool shares_files) {
    model_.clone(parent, child, shares_files, true);
    changed_world();
}

void LiveAnnotator::execed(int tid, int former_tid) {
    if (former_tid != tid) model_.exit(former_tid);
    // CLOEXEC fds are gone; which ones we do not track, so the table starts
    // over and is filled again from /proc as fds are used.
    model_.exit(tid);
    model_.process(tid);
    changed_world();
}

void LiveAnnotator::vanished(int tid) {
    unfinished_.erase(tid);
    if (options_.leaks) leaks_.exiting(tid, model_, formatter_);
    model_.exit(tid);
    changed_world();
}

void LiveAnnotator::compose_prefix(int tid, bool several_tasks, const timespec& when, bool shown) {
    line_.clear();
    if (several_tasks && !options_.output_per_task) {
        // strace's own widths: "[pid %5u] " on a terminal, "%-5u " with -o
        // (by hand: snprintf here was a tenth of the tracer's instructions).
        char digits[12];
        int n = 0;
        for (unsigned value = static_cast<unsigned>(tid); n == 0 || value; value /= 10)
            digits[n++] = static_cast<char>('0' + value % 10);
        const std::size_t pad = n < 5 ? static_cast<std::size_t>(5 - n) : 0;
        if (options_.bracket_pids) {
            line_ += "[pid ";
            line_.append(pad, ' ');
        }
        while (n) line_ += digits[--n];
        if (options_.bracket_pids)
            line_ += "] ";
        else
            line_.append(pad + 1, ' ');
    }
    if (options_.timestamps > 0) {
        char buffer[64];
        if (options_.timestamps >= 3) {
            std::snprintf(buffer, sizeof buffer, "%lld.%06ld ", static_cast<long long>(when.tv_sec),
                          when.tv_nsec / 1000);
            line_ += buffer;
        } else {
            if (when.tv_sec != time_second_) {  // localtime once per second
                time_second_ = when.tv_sec;
                tm local{};
                time_t seconds = when.tv_sec;
                ::localtime_r(&seconds, &local);
                std::strftime(buffer, sizeof buffer, "%H:%M:%S", &local);
                time_text_ = buffer;
            }
            line_ += time_text_;
            if (options_.timestamps == 2) {
                std::snprintf(buffer, sizeof buffer, ".%06ld", when.tv_nsec / 1000);
                line_ += buffer;
            }
            line_ += ' ';
        }
    }
    if (options_.relative && shown) {
        // strace -r: "%6ld.%06ld " since the previous shown line (0 for the
        // first); after -t/-tt/-ttt it reads "(+%6ld.%06ld) ", as strace 6 prints both.
        timespec since{};
        if (previous_when_.tv_sec || previous_when_.tv_nsec) {
            since = {when.tv_sec - previous_when_.tv_sec, when.tv_nsec - previous_when_.tv_nsec};
            if (since.tv_nsec < 0) {
                since.tv_nsec += 1'000'000'000;
                --since.tv_sec;
            }
            if (since.tv_sec < 0) since = {};
        }
        previous_when_ = when;
        char buffer[48];
        std::snprintf(buffer, sizeof buffer,
                      options_.timestamps > 0 ? "(+%6lld.%06ld) " : "%6lld.%06ld ",
                      static_cast<long long>(since.tv_sec), since.tv_nsec / 1000);
        line_ += buffer;
    }
}

void LiveAnnotator::compose(const TraceRecord& record) {
    compose_prefix(record.tid, record.several_tasks, record.when, record.shown);
    std::size_t prefix = line_.size();
    line_ += record.body;
    if (record.kind != TraceRecord::Kind::Syscall) return;
    if (record.result_at) align_result(prefix + record.result_at, prefix + record.result_at);
    append_duration(record);
}

void LiveAnnotator::append_duration(const TraceRecord& record) {
    if (!options_.durations || record.body.ends_with("= ?")) return;
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, " <%lld.%06ld>",
                  static_cast<long long>(record.elapsed.tv_sec), record.elapsed.tv_nsec / 1000);
    line_ += buffer;
}

// strace's tabto(): after the ") " that ends the arguments, spaces up to the
// alignment column (-a, 40 by default), counted from the start of the line
// as printed; none once past it.
void LiveAnnotator::align_result(std::size_t result_in_line, std::size_t column) {
    std::size_t after = column + 2;  // ") "
    if (!options_.align_column || after >= options_.align_column) return;
    if (result_in_line + 2 > line_.size()) return;
    line_.insert(result_in_line + 2, options_.align_column - after, ' ');
}

void LiveAnnotator::apply_effect(const SyscallSignature& signature, const SyscallEvent& event,
                                 const SyscallCall& call, int pid, std::string_view all_args) {
    if (event.ret.empty() || event.ret == "?") return;  // never returned: changed nothing we know
    const bool ok = event.succeeded();
    const int arg0 = static_cast<int>(call.args[0]);
    switch (signature.effect) {
        case FdEffect::Close:
            if (event.error != "EBADF")
                if (OpenFile* file = model_.lookup(pid, arg0);
                    file && peer_kind(file->identity.kind))
                    changed_world();
            model_.close_call(pid, arg0, event.error);
            return;
        case FdEffect::CloseRange:
            if (!ok) return;
            model_.close_range_call(pid, static_cast<unsigned>(call.args[0]),
                                    static_cast<unsigned>(call.args[1]),
                                    static_cast<unsigned>(call.args[2]));
            changed_world();
            return;
        case FdEffect::Dup:
        case FdEffect::Dup2:
        case FdEffect::Fcntl: {
            if (!ok || !event.retval) return;
            bool cloexec = false;
            if (signature.effect == FdEffect::Fcntl) {
                int command = static_cast<int>(call.args[1]);
                if (command == F_SETFD) {
                    model_.set_cloexec(pid, arg0, call.args[2] & FD_CLOEXEC);
                    return;
                }
                if (command != F_DUPFD && command != F_DUPFD_CLOEXEC) return;
                cloexec = command == F_DUPFD_CLOEXEC;
            }
            if (call.name == "dup3") cloexec = call.args[2] & O_CLOEXEC;
            int target = static_cast<int>(*event.retval);
            if (target == arg0) return;
            if (OpenFile* old = model_.lookup(pid, target); old && peer_kind(old->identity.kind))
                changed_world();
            // The new fd shares the open file description, and so the identity.
            if (!model_.dup_call(pid, arg0, target, cloexec)) install_new(pid, target);
            return;
        }
        case FdEffect::Unlink:
        case FdEffect::Rename:
            if (ok) {
                ++path_epoch_;
            }
            return;
        case FdEffect::EpollCtl: {
            if (!ok) return;
            OpenFile* epoll = file_for(pid, arg0, true);
            if (!epoll) return;
            int op = static_cast<int>(call.args[1]);
            int fd = static_cast<int>(call.args[2]);
            if (op == EPOLL_CTL_DEL) {
                for (auto it = epoll->epoll_data.begin(); it != epoll->epoll_data.end();)
                    it = it->second == fd ? epoll->epoll_data.erase(it) : std::next(it);
            } else if (auto data = epoll_ctl_data(all_args)) {
                epoll->epoll_data[*data] = fd;
            }
            return;
        }
        case FdEffect::Accept:
        case FdEffect::Connect:
        case FdEffect::Bind:
        case FdEffect::Listen:
            resolver_stale_ = true;  // socket tables changed
            break;
        default:
            // What an inotify or fanotify fd watches is in its name
            // ("inotify (watches=2)"): read it again once that changed.
            if (ok && (call.name == "inotify_add_watch" || call.name == "inotify_rm_watch" ||
                       call.name == "fanotify_mark"))
                if (model_.entry(pid, arg0)) reresolve(pid, arg0);
            break;
    }
    // Every fd the call created is a new open file, named from /proc now.
    if (!ok) return;
    for (const FdSite& site : event.fds)
        if (after_effect(site) && site.fd >= 0) install_new(pid, site.fd);
}

void LiveAnnotator::annotate(int pid, const SyscallCall& call, SyscallEvent& event, bool render,
                             std::string_view all_args, std::int64_t args_base) {
    const SyscallSignature* signature = find_syscall(call.name);
    resolved_.clear();
    keep_alive_.clear();
    texts_.clear();
    if (!signature) return;
    find_fd_sites(*signature, line_, all_args, args_base, event);
    const bool returned = !event.ret.empty() && event.ret != "?";
    // A socket the call connected, bound or made listen: shown as it is now.
    if (returned &&
        (signature->effect == FdEffect::Connect || signature->effect == FdEffect::Bind ||
         signature->effect == FdEffect::Listen)) {
        resolver_stale_ = true;
        OpenFile* socket = reresolve(pid, static_cast<int>(call.args[0]));
        // Until the server accepts, the kernel does not name a unix client's
        // peer; the address it connected to says where it goes.
        auto* unix_socket = socket ? socket->identity.get<UnixDetails>() : nullptr;
        if (unix_socket && unix_socket->peer_path.empty() &&
            signature->effect == FdEffect::Connect &&
            (event.succeeded() || event.error == "EINPROGRESS")) {
            auto address = parse_sockaddr(split_args(all_args)[1]);
            if (address && address->family == SockAddr::Family::Unix && !address->address.empty()) {
                unix_socket->peer_path = address->address;
                socket->changed();
            }
        }
    }
    if (!render) {  // a silent call: only what it changed matters
        apply_effect(*signature, event, call, pid, all_args);
        return;
    }
    // What close() and dup2() replace was named at entry: no second look.
    const bool named_at_entry =
        signature->effect == FdEffect::Close || signature->effect == FdEffect::Dup2;

    resolved_.resize(event.fds.size());
    auto& spans = spans_;  // where each site's text sits in texts_
    spans.assign(event.fds.size(), {0, 0});
    auto resolve_site = [&](std::size_t i) {
        FdSite site = event.fds[i];
        ResolvedFd& out = resolved_[i];
        out.site = site;
        if (site.role == FdRole::Epoll) {
            out.site.fd = -1;
            if (event.fds.empty() || event.fds[0].role != FdRole::Arg) return;
            int fd = epoll_target(pid, event.fds[0].fd, site.epoll_data);
            if (fd < 0) return;
            out.site.fd = site.fd = fd;
        }
        OpenFile* file = nullptr;
        if (named_at_entry && site.role == FdRole::Arg) {
            if (FdEntry* entry = model_.entry(pid, site.fd)) file = entry->file.get();
        } else {
            file = file_for(pid, site.fd, false);
        }
        if (!file) return;
        if (FdEntry* entry = model_.entry(pid, site.fd)) keep_alive_.push_back(entry->file);
        out.identity = &file->identity;
        // The open file, not its text, is what a summary counts: a host name
        // arriving mid-trace changes the text, never the row.
        out.file_id = file->id;
        std::string_view text = text_of(*file);
        spans[i] = {texts_.size(), text.size()};
        texts_ += text;
    };
    for (std::size_t i = 0; i < event.fds.size(); ++i)
        if (!after_effect(event.fds[i])) resolve_site(i);
    apply_effect(*signature, event, call, pid, all_args);
    for (std::size_t i = 0; i < event.fds.size(); ++i)
        if (after_effect(event.fds[i])) resolve_site(i);
    // The texts live in one buffer, complete only now.
    for (std::size_t i = 0; i < resolved_.size(); ++i)
        if (resolved_[i].identity && spans[i].second)
            resolved_[i].text = std::string_view(texts_).substr(spans[i].first, spans[i].second);
}

void LiveAnnotator::finish_leaks(std::string& out) {
    leaks_.finish(model_, formatter_);
    if (options_.format == OutputFormat::Json)
        leaks_.render_json(out);
    else
        leaks_.render_text(out);
}

bool LiveAnnotator::emit_line(int tid, const SyscallCall* call, bool shown, bool newline,
                              std::string& out, std::string_view resumed_head,
                              std::uint64_t unfinished_line) {
    SyscallEvent event = parse_strace_line(line_, tid);
    resolved_.clear();
    if (call && event.kind == EventKind::Syscall) {
        std::string_view all_args = event.args;
        std::int64_t args_base = event.args_offset;
        if (event.resumed) {
            // The sites of the unfinished half are named too (carried: JSON
            // lists them, the text line has no place for them).
            all_args_.assign(resumed_head);
            all_args_ += event.args;
            all_args = all_args_;
            args_base -= static_cast<std::int64_t>(resumed_head.size());
        }
        annotate(tid, *call, event, shown || observer_ || options_.leaks, all_args, args_base);
    }
    // A resumed line's beginning is on the output already: it is finished
    // whatever its fds are now.
    if (shown && !options_.fd_filters.empty() && event.kind == EventKind::Syscall && !event.resumed)
        shown = passes_fd_filters();
    const bool complete = !event.unfinished;
    if (observer_ && shown && complete) observer_(event, resolved_);
    if (options_.leaks && event.kind == EventKind::Syscall && complete)
        leaks_.created(event, resolved_, model_, line_number_ + 1, line_);
    if (!shown) return false;
    emitted_ = true;
    ++line_number_;
    AnnotatedLine annotated;
    annotated.line = line_;
    annotated.number = line_number_;
    annotated.event = &event;
    annotated.fds = resolved_;
    annotated.newline = newline;
    annotated.unfinished_line = unfinished_line;
    if (options_.format == OutputFormat::Json)
        render_json(out, annotated);
    else
        render_text(out, annotated, options_.text);
    return true;
}

bool LiveAnnotator::passes_fd_filters() const {
    for (const ResolvedFd& fd : resolved_)
        for (const FdFilter& filter : options_.fd_filters)
            if (fd.site.fd >= 0 && filter.matches(fd.site.fd, fd.identity)) return true;
    return false;
}

namespace {
constexpr std::string_view kUnfinishedSuffix = " <unfinished ...>";
constexpr std::string_view kDetachedSuffix = " <detached ...>";
}  // namespace

LiveAnnotator::Layout& LiveAnnotator::layout_for(int tid) {
    return options_.output_per_task ? layouts_[tid] : shared_layout_;
}

std::string& LiveAnnotator::out_for(int tid, std::string& out) {
    return router_ ? router_(tid) : out;
}

void LiveAnnotator::show_held(Layout& layout, std::string& out, std::string_view suffix) {
    HeldEntry& held = layout.held;
    if (!held.tid) return;
    int tid = held.tid;
    held.tid = 0;
    compose_prefix(tid, held.several_tasks, held.when);
    std::size_t prefix = line_.size();
    line_ += held.body;
    // Parsed and annotated as strace's unfinished line; text left open has
    // that suffix taken off again (nothing is drawn after it).
    line_ += suffix.empty() ? kUnfinishedSuffix : suffix;
    const bool open = suffix.empty() && options_.format == OutputFormat::Text;
    std::size_t before = out.size();
    if (!emit_line(tid, &held.call, true, !open, out))
        return;  // filtered out: its exit comes whole
    if (open) {
        if (out.size() - before >= kUnfinishedSuffix.size())
            out.resize(out.size() - kUnfinishedSuffix.size());
        layout.open_tid = tid;
        layout.open_line_number = line_number_;
        layout.open_prefix = prefix;
    } else if (suffix != kDetachedSuffix) {
        unfinished_[tid] = line_number_;
    }
}

void LiveAnnotator::break_line(Layout& layout, std::string& out) {
    if (layout.held.tid) {
        show_held(layout, out, kUnfinishedSuffix);
    } else if (layout.open_tid) {
        out += kUnfinishedSuffix;
        out += '\n';
        unfinished_[layout.open_tid] = layout.open_line_number;
        layout.open_tid = 0;
    }
}

void LiveAnnotator::interrupt_line(int tid, std::string& out) {
    break_line(layout_for(tid), out_for(tid, out));
}

long LiveAnnotator::show_in_flight(std::string& out, long min_age_ms) {
    timespec now{};
    if (min_age_ms > 0) ::clock_gettime(CLOCK_REALTIME, &now);
    long next = -1;
    auto show = [&](Layout& layout) {
        const HeldEntry& held = layout.held;
        if (!held.tid) return;
        if (min_age_ms > 0) {
            long age = (now.tv_sec - held.when.tv_sec) * 1000 +
                       (now.tv_nsec - held.when.tv_nsec) / 1'000'000;
            if (age < min_age_ms) {
                long wait = min_age_ms - age;
                next = next < 0 ? wait : std::min(next, wait);
                return;
            }
        }
        show_held(layout, out_for(held.tid, out), {});
    };
    if (options_.output_per_task)
        for (auto& [tid, layout] : layouts_) show(layout);
    else
        show(shared_layout_);
    return next;
}

// The exit half of a call whose entry is already on the output: "<... NAME
// resumed>REST" on a line of its own, or (text, nothing came between) only
// REST, continuing the open line.
void LiveAnnotator::resumed(const TraceRecord& record, std::string& out, bool continuation,
                            std::size_t open_prefix) {
    std::string_view body = record.body;
    std::size_t paren = body.find('(');
    if (paren == std::string_view::npos || record.entry_length > body.size() ||
        record.entry_length <= paren) {
        paren = 0;  // not strace's shape: should not happen; print it whole
    }
    std::string_view name = body.substr(0, paren);
    std::string_view head = body.substr(paren + 1, record.entry_length - paren - 1);
    std::uint64_t unfinished_line = 0;
    if (auto it = unfinished_.find(record.tid); it != unfinished_.end()) {
        unfinished_line = it->second;
        unfinished_.erase(it);
    }
    compose_prefix(record.tid, record.several_tasks, record.returned);
    line_ += "<... ";
    line_ += name;
    line_ += " resumed>";
    std::size_t marker_end = line_.size();
    line_ += body.substr(record.entry_length);
    if (record.result_at >= record.entry_length && record.result_at) {
        // Continued in place, the columns are those of the open line.
        std::size_t in_line = marker_end + (record.result_at - record.entry_length);
        align_result(in_line, continuation ? open_prefix + record.result_at : in_line);
    }
    append_duration(record);
    if (!continuation) {
        emit_line(record.tid, record.call, true, true, out, head, unfinished_line);
        return;
    }
    scratch_.clear();
    std::uint64_t number = line_number_;
    emit_line(record.tid, record.call, true, true, scratch_, head, unfinished_line);
    line_number_ = number;  // the same output line, continued
    out.append(scratch_, std::min(marker_end, scratch_.size()));
}

void LiveAnnotator::record(const TraceRecord& record, std::string& all_out) {
    emitted_ = false;
    record_line(record, all_out);
    if (emitted_ && !record.dump.empty() && options_.format != OutputFormat::Json)
        out_for(record.tid, all_out) += record.dump;
}

void LiveAnnotator::record_line(const TraceRecord& record, std::string& all_out) {
    using Kind = TraceRecord::Kind;
    std::string& out = out_for(record.tid, all_out);
    Layout& layout = layout_for(record.tid);
    HeldEntry& held = layout.held;
    switch (record.kind) {
        case Kind::Entry:
            entering(record.tid, *record.call);
            if (!record.shown) return;
            break_line(layout, out);
            held.tid = record.tid;
            held.body.assign(record.body);
            held.when = record.when;
            held.several_tasks = record.several_tasks;
            held.call.nr = record.call->nr;
            held.call.name = record.call->name;
            held.call.args = record.call->args;
            return;
        case Kind::Detached:
            if (!record.shown) return;
            if (held.tid == record.tid) {
                show_held(layout, out, kDetachedSuffix);
            } else if (layout.open_tid == record.tid) {
                out += kDetachedSuffix;
                out += '\n';
                layout.open_tid = 0;
            } else if (auto it = unfinished_.find(record.tid); it != unfinished_.end()) {
                // strace prints nothing more for a line already closed; a JSON
                // consumer is told the call it is waiting for will not come.
                std::uint64_t unfinished_line = it->second;
                unfinished_.erase(it);
                if (options_.format != OutputFormat::Json) return;
                compose_prefix(record.tid, record.several_tasks, record.when);
                line_ += "<... ";
                line_ += record.call->name;
                line_ += " resumed>";
                line_ += kDetachedSuffix;
                emit_line(record.tid, record.call, true, true, out, {}, unfinished_line);
            }
            return;
        case Kind::Syscall:
            if (record.shown && record.entry_length > 0 && held.tid != record.tid) {
                if (layout.open_tid == record.tid) {
                    layout.open_tid = 0;
                    resumed(record, out, true, layout.open_prefix);
                    return;
                }
                if (unfinished_.count(record.tid)) {
                    break_line(layout, out);
                    resumed(record, out, false);
                    return;
                }
            }
            if (record.shown) {
                if (held.tid == record.tid) held.tid = 0;  // the whole line, at once
                break_line(layout, out);
            }
            break;
        case Kind::Signal:
        case Kind::Exit:
            if (!record.shown) return;
            break_line(layout, out);
            break;
    }
    compose(record);
    emit_line(record.tid, record.kind == Kind::Syscall ? record.call : nullptr, record.shown, true,
              out);
    if (record.kind == Kind::Exit && options_.output_per_task) layouts_.erase(record.tid);
}

}  // namespace fdtrace
