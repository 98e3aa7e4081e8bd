#include "fdtrace/annotator.h"

#include <algorithm>

#include "fdtrace/fd_sites.h"
#include "fdtrace/strace_args.h"
#include "fdtrace/strace_line.h"
#include "fdtrace/syscall_table.h"
#include "fdtrace/yy_annotation.h"

namespace fdtrace {
namespace {

// Sites whose fd only exists (or only means its new self) once the call
// has returned: returned fds, pipe pairs, fds received by recvmsg.
bool resolved_after_effect(const FdSite& site) {
    return site.role == FdRole::Ret || site.role == FdRole::Pair || site.role == FdRole::ScmRights;
}

// Calls that can close or replace an fd between its lookup and the rendering.
bool may_free_files(FdEffect effect) {
    return effect != FdEffect::None && effect != FdEffect::Reveal;
}

// Calls that leave their fd arguments what they were, but show what that was
// (fstat's st_mode, accept on a listener, epoll_wait ...): an fd the log never
// opened is named by what the line itself shows.
bool reveals_its_fds(FdEffect effect) {
    return effect == FdEffect::Reveal || effect == FdEffect::Fstat || effect == FdEffect::Ioctl ||
           effect == FdEffect::Getdents || effect == FdEffect::Accept ||
           effect == FdEffect::SockName || effect == FdEffect::PeerName ||
           effect == FdEffect::EpollCtl || effect == FdEffect::SendMsg ||
           effect == FdEffect::RecvMsg;
}

// An fd this line may tell more of: one of unknown kind, or a device an
// ioctl showed to be a terminal whose path a stat's st_rdev may give.
bool may_learn_more(std::span<const ResolvedFd> fds) {
    for (const ResolvedFd& fd : fds) {
        if (!fd.identity) continue;
        const FdIdentity& identity = *fd.identity;
        // A terminal without its path, a namespace without its type.
        if (identity.kind == FdKind::Unknown ||
            (identity.kind == FdKind::Chr && !identity.get<PathDetails>()))
            return true;
        if (identity.kind == FdKind::Namespace)
            if (const auto* anon = identity.get<AnonDetails>(); !anon || anon->name.empty())
                return true;
    }
    return false;
}

}  // namespace

Annotator::Annotator(AnnotateOptions options)
    : options_(std::move(options)), replay_(model_, options_.replay), formatter_(options_.text) {
    replay_.on_inherited([this](OpenFile& file) { name_inherited_ahead(file); });
}

void Annotator::collect_reveals(RevealIndex& index) {
    collecting_ = &index;
    replay_.on_cwd_revealed([&index](std::uint64_t from_before, const std::string& path) {
        index.cwds.try_emplace(from_before, path);
    });
}

void Annotator::name_ahead(RevealIndex index) {
    // strace -Z / -e status=failed: no call in the log succeeded, so none of
    // the opens and closes between a line and a later one is in it, and fd
    // 3 there may be another file each time. Nothing is named ahead.
    if (!index.saw_success) return;
    replay_.name_cwds_ahead(std::move(index.cwds));
    ports_ahead_ = std::move(index.ports);
    ahead_ = std::move(index.fds);
}

void Annotator::name_inherited_ahead(OpenFile& file) {
    if (ahead_.empty()) return;
    auto it = ahead_.find(file.inherited_ordinal);
    if (it == ahead_.end() || it->second.fd != file.first_fd) return;
    file.identity = it->second.identity;
    file.identity.source = file.received || file.unseen ? FdSource::Log : FdSource::Inherited;
    file.revealed_line = line_ref(it->second.file, it->second.line);
    file.revealed_seq = it->second.seq;
    file.changed();
    ahead_.erase(it);
}

void Annotator::settle_if_reached(OpenFile& file) {
    // The line that revealed it has come: from here on it is what the log
    // showed, as in one read.
    if (file.revealed_seq == 0 || line_number_ < file.revealed_seq) return;
    file.revealed_line = file.revealed_seq = 0;
    file.identity.source = FdSource::Log;
    file.changed();
}

std::string_view Annotator::revealed_text(OpenFile& file, std::string_view text) {
    if (file.rendered_revealed_generation != file.generation) {
        pin_views_of(file.rendered_revealed);
        file.rendered_revealed = file.received ? "received, " : file.unseen ? "" : "inherited, ";
        file.rendered_revealed += text;
        file.rendered_revealed += " (from " + where(file.revealed_line) + ')';
        file.rendered_revealed_generation = file.generation;
    }
    return file.rendered_revealed;
}

void Annotator::learn_cwd_from_open(const SyscallEvent& event, const OpenFile& file,
                                    const FdIdentity& theirs) {
    // open("www/a") = 5</srv/www/a> when the working directory was unknown:
    // it is /srv (strace -yy names the file the kernel opened).
    const auto* ours = file.identity.get<PathDetails>();
    const auto* kernel = theirs.get<PathDetails>();
    if (!ours || !kernel || ours->path.empty() || ours->path[0] == '/' ||
        ours->path.starts_with("..") || !kernel->path.starts_with('/'))
        return;
    const bool at = event.name.starts_with("openat");
    if (!at && event.name != "open" && event.name != "creat") return;
    if (at && !is_at_fdcwd(event.args.substr(0, event.args.find(',')))) return;
    const std::string& relative = ours->path;
    if (kernel->path.size() <= relative.size() + 1 || !kernel->path.ends_with(relative) ||
        kernel->path[kernel->path.size() - relative.size() - 1] != '/')
        return;
    std::string cwd = kernel->path.substr(0, kernel->path.size() - relative.size() - 1);
    if (cwd.empty()) cwd = "/";
    if (model_.process(event.pid).cwd->empty()) replay_.learn_cwd(event.pid, std::move(cwd));
}

void Annotator::freeze_reveals(const SyscallEvent& event) {
    // connect/bind/listen change what the fd is: what is learned after them
    // is not what it was at its first use. That it is a socket, though, it
    // was from the start: an fd nothing named before is named so much.
    // A call split in two ("<unfinished ...>", then "<... connect resumed>")
    // has its fd on the first line and its result on the second.
    const bool tells_kind = event.error != "ENOTSOCK" && event.error != "EBADF";
    if (event.resumed) {
        auto started = unfinished_kind_reveals_.extract(event.pid);
        if (started && tells_kind && !event.ret.empty())
            kind_reveals_ = std::move(started.mapped());
    }
    std::vector<int> candidates;
    for (const FdSite& site : event.fds) {
        const OpenFile* file = model_.lookup(event.pid, site.fd);
        if (!file || !file->inherited_ordinal || !frozen_.insert(file->inherited_ordinal).second)
            continue;
        if (site.role == FdRole::Arg && file->identity.kind == FdKind::Unknown &&
            !collecting_->fds.contains(file->inherited_ordinal))
            candidates.push_back(site.fd);
    }
    if (event.unfinished && !candidates.empty())
        unfinished_kind_reveals_[event.pid] = std::move(candidates);
    else if (tells_kind && !event.ret.empty())
        kind_reveals_.insert(kind_reveals_.end(), candidates.begin(), candidates.end());
}

void Annotator::note_kind_reveals(const SyscallEvent& event, std::uint64_t number) {
    // After the call: the kind it showed (a socket; TCP if the connect was
    // in progress or refused; UNIX-STREAM...), none of its addresses.
    for (int fd : kind_reveals_) {
        const OpenFile* file = model_.lookup(event.pid, fd);
        if (!file || !file->inherited_ordinal) continue;
        LaterReveal& reveal = collecting_->fds[file->inherited_ordinal];
        reveal.pid = event.pid;
        reveal.fd = file->first_fd;
        reveal.identity = FdIdentity{};
        reveal.identity.kind =
            file->identity.kind == FdKind::Unknown ? FdKind::Socket : file->identity.kind;
        if (const auto* unix_socket = file->identity.get<UnixDetails>())
            reveal.identity.ensure<UnixDetails>().type = unix_socket->type;
        reveal.identity.source = FdSource::Log;
        reveal.line = number;
        reveal.file = std::string(current_file_);
        reveal.seq = line_number_;
        reveal.generation = file->generation;
    }
    kind_reveals_.clear();
}

void Annotator::note_reveals(const SyscallEvent& event, std::uint64_t number) {
    for (const ResolvedFd& resolved : resolved_)
        if (resolved.site.fd >= 0) note_reveal(event.pid, resolved.site.fd, number);
}

void Annotator::note_reveal(int pid, int fd, std::uint64_t number) {
    const OpenFile* file = model_.lookup(pid, fd);
    if (!file || !file->inherited_ordinal || file->identity.kind == FdKind::Unknown ||
        frozen_.contains(file->inherited_ordinal))
        return;
    LaterReveal& reveal = collecting_->fds[file->inherited_ordinal];
    if (reveal.seq != 0 && reveal.generation == file->generation) return;
    // A second getsockname telling the same: the first line that told stays.
    FdIdentity seen = file->identity;
    seen.peer.reset();
    if (reveal.seq != 0 && reveal.identity == seen) return;
    // A later line may know more of it (a path where an ioctl told the kind),
    // but a path that changed (a rename, an unlink: "(deleted)") is what the
    // file became: at its first use it was what the first line showed.
    if (reveal.seq != 0)
        if (const auto* before = reveal.identity.get<PathDetails>();
            before && !before->path.empty())
            if (const auto* now = file->identity.get<PathDetails>(); now && *now != *before) return;
    reveal.pid = pid;
    reveal.fd = file->first_fd;
    reveal.identity = file->identity;
    reveal.identity.peer.reset();  // who holds the other end is the viewer's
    reveal.line = number;
    reveal.file = std::string(current_file_);
    reveal.seq = line_number_;
    reveal.generation = file->generation;
}

void Annotator::learn_port_ahead(const SyscallEvent& event, FdEffect effect) {
    // bind(port 0) lets the kernel choose; only a getsockname tells which.
    // The first read notes the answer, the second shows it from the bind on.
    if (event.fds.empty() || event.fds[0].role != FdRole::Arg) return;
    const int fd = event.fds[0].fd;
    OpenFile* file = model_.lookup(event.pid, fd);
    auto* inet = file ? std::get_if<InetDetails>(&file->identity.details) : nullptr;
    if (!inet) return;
    if (effect == FdEffect::Bind) {
        if (!inet->local.ends_with(":0")) return;
        if (collecting_) {
            zero_bound_[file->id] = {event.pid, fd};
            return;
        }
        auto it = ports_ahead_.find(file->id);
        if (it == ports_ahead_.end() || it->second.pid != event.pid || it->second.fd != fd) return;
        inet->local = std::move(it->second.local);
        file->changed();
        ports_ahead_.erase(it);
        return;
    }
    if (!collecting_) return;
    auto bound = zero_bound_.find(file->id);
    if (bound == zero_bound_.end() || inet->local.empty() || inet->local.ends_with(":0")) return;
    collecting_->ports[file->id] =
        LaterPort{bound->second.first, bound->second.second, inet->local};
    zero_bound_.erase(bound);
}

void Annotator::adopt_new_process(int pid) {
    if (pid == 0 || model_.find_process(pid)) return;
    // A pid seen for the first time while another process is inside clone():
    // the child ran before its parent's clone() returned. Its table comes
    // from that parent now, not when the parent's "resumed" line arrives.
    for (const auto& [parent, pending] : pending_) {
        if (!is_clone_call(pending.name) || !model_.find_process(parent)) continue;
        std::string_view flags = pending.args;
        model_.clone(parent, pid, has_flag(flags, "CLONE_FILES"), has_flag(flags, "CLONE_FS"),
                     has_flag(flags, "CLONE_THREAD"));
        return;
    }
    // "Process 5167 attached with 2 threads": the pids the log meets next
    // without a clone are those threads, one fd table with the leader. Only
    // while one such group waits for threads (several -p: no guessing).
    auto waiting =
        std::ranges::count_if(thread_groups_, [](const auto& group) { return group.second > 0; });
    if (waiting == 1)
        for (auto& [leader, threads] : thread_groups_)
            if (threads > 0 && leader != pid) {
                model_.clone(leader, pid, true, true, true);
                --threads;
                return;
            }
    model_.process(pid);
}

void Annotator::note_thread_group(std::string_view line) {
    auto leader = attached_task(line);
    if (!leader) return;
    constexpr std::string_view kWith = " attached with ";
    std::size_t at = line.find(kWith);
    if (at == std::string_view::npos) return;
    std::string_view rest = line.substr(at + kWith.size());
    std::size_t digits = digit_run(rest);
    if (digits == 0 || digits > 6 || !rest.substr(digits).starts_with(" threads")) return;
    auto count = parse_integer(rest.substr(0, digits));
    if (count && *count > 1) thread_groups_.emplace_back(*leader, static_cast<int>(*count - 1));
}

bool Annotator::is_unprefixed_process(const SyscallEvent& event) const {
    if (event.kind != EventKind::Syscall && event.kind != EventKind::Signal &&
        event.kind != EventKind::Exit)
        return false;
    if (event.pid == 0 || unprefixed_pid_ != 0 || !model_.find_process(0) ||
        model_.find_process(event.pid))
        return false;
    auto pending = pending_.find(0);
    // The pid-less process finishing the call it began before the second task
    // appeared: "[pid 669] <... clone resumed>...".
    if (event.resumed && pending != pending_.end() && pending->second.name == event.name)
        return true;
    if (std::find(attached_tasks_.begin(), attached_tasks_.end(), event.pid) !=
        attached_tasks_.end())
        return false;
    // Inside clone(): a new pid is more likely the child running first.
    return pending == pending_.end() || !is_clone_call(pending->second.name);
}

int Annotator::pid_of_unprefixed_line() const {
    if (unprefixed_pid_ == 0 || model_.find_process(unprefixed_pid_)) return unprefixed_pid_;
    // strace drops the pids again when one task is left: it may be a child.
    int only = unprefixed_pid_;
    if (model_.process_count() == 1)
        model_.for_each_process([&](int pid, const auto&) { only = pid; });
    return only;
}

void Annotator::follow_unprefixed_process(SyscallEvent& event, std::string_view line) {
    if (event.kind == EventKind::Other) {
        if (unprefixed_pid_ != 0 || !model_.find_process(0)) return;
        if (auto task = attached_task(line)) attached_tasks_.push_back(*task);
        return;
    }
    if (event.pid == 0) {
        event.pid = pid_of_unprefixed_line();
        return;
    }
    if (!is_unprefixed_process(event)) return;
    unprefixed_pid_ = event.pid;
    attached_tasks_.clear();
    model_.renumber(0, event.pid);
    if (auto pending = pending_.extract(0)) {
        pending.key() = event.pid;
        pending_.insert(std::move(pending));
    }
}

void Annotator::fill_log_peer(OpenFile& file, int pid) {
    auto other = file.other_end.lock();
    if (!other) return;
    const auto* viewer = model_.find_process(pid);
    int holder = model_.find_holder(*other, viewer ? viewer->fds.get() : nullptr);
    if (holder == 0) {
        file.identity.peer.reset();
        return;
    }
    const auto* process = model_.find_process(holder);
    file.identity.peer = PeerProcess{holder, process ? process->comm : std::string()};
}

void Annotator::pin_views_of(const std::string& text) {
    // A file's text is about to be made again (the call changed the file and
    // a later site of the line names it): the sites before it keep the text
    // they were given, in storage that lives until the next line.
    if (text.empty()) return;
    const char* begin = text.data();
    const char* end = begin + text.size();
    for (ResolvedFd& fd : resolved_) {
        if (fd.text.empty() || fd.text.data() < begin || fd.text.data() >= end) continue;
        pinned_texts_.emplace_back(fd.text);
        fd.text = pinned_texts_.back();
    }
}

std::string_view Annotator::cached_text(OpenFile& file, int pid, const FdTable* viewer) {
    // The text depends on the identity and, for pipes and socketpairs, on
    // who holds the other end (and their names), and who is looking (pid's
    // table, `viewer`): all are versioned.
    auto other = file.other_end.lock();
    std::uint64_t peer_version = other ? (model_.epoch() << 32) ^ other->holders_generation : 0;
    if (!other) viewer = nullptr;
    if (file.rendered_generation == file.generation && file.rendered_epoch == peer_version &&
        file.rendered_viewer == viewer)
        return file.rendered;
    if (other) fill_log_peer(file, pid);
    pin_views_of(file.rendered);
    file.rendered = formatter_.text(file.identity);
    file.rendered_generation = file.generation;
    file.rendered_epoch = peer_version;
    file.rendered_viewer = viewer;
    return file.rendered;
}

std::string_view Annotator::held_text(OpenFile& file, const FdTable* viewer) {
    // Closing one end of a pipe ends nothing while other processes hold it
    // (forked children): "pipe read end (also held by sh[19755], [19756])".
    std::vector<int> others = model_.holders(file, viewer);
    if (others.empty()) return {};
    FdIdentity alone = file.identity;
    alone.peer.reset();
    held_text_ = formatter_.text(alone);
    held_text_ += " (also held by ";
    for (std::size_t i = 0; i < others.size(); ++i) {
        if (i) held_text_ += ", ";
        if (i == 4) {
            held_text_ += "... " + std::to_string(others.size() - i) + " more";
            break;
        }
        const auto* process = model_.find_process(others[i]);
        if (process) append_escaped(held_text_, process->comm);
        held_text_ += '[' + std::to_string(others[i]) + ']';
    }
    held_text_ += ')';
    return held_text_;
}

std::uint64_t Annotator::line_ref(std::string_view file, std::uint64_t number) {
    if (file.empty()) return number;
    if (file != last_file_ || last_file_number_ == 0) {
        auto [it, added] = file_numbers_.try_emplace(std::string(file), 0);
        if (added) {
            file_names_.push_back(it->first);
            it->second = static_cast<std::uint32_t>(file_names_.size());
        }
        last_file_ = it->first;  // the map's key: stays put
        last_file_number_ = it->second;
    }
    // 16 bits of file number over 48 of line; beyond that, no file is named.
    if (last_file_number_ > 0xffff || number >= (std::uint64_t{1} << 48)) return number;
    return (std::uint64_t{last_file_number_} << 48) | number;
}

std::string_view Annotator::file_of(std::uint64_t ref) const noexcept {
    const std::uint64_t index = ref >> 48;
    if (index == 0 || index > file_names_.size()) return {};
    return file_names_[index - 1];
}

std::string Annotator::where(std::uint64_t ref) const {
    const std::string number = std::to_string(ref & ((std::uint64_t{1} << 48) - 1));
    std::string_view file = file_of(ref);
    if (file.empty()) return "line " + number;
    std::string text;
    append_escaped(text, file);
    return text + ':' + number;
}

std::string_view Annotator::gone_text(const FdGone& gone, bool reopened) {
    // A log may go on using a closed number: each text is made once.
    std::string& text =
        gone_texts_[static_cast<std::size_t>(gone.reason) * 2 + reopened][gone.line];
    if (!text.empty()) return text;
    if (reopened) {  // "? (closed at line 2; reopened by a call not in the log)"
        std::string_view went = gone_text(gone);
        if (went.starts_with("? (")) went = went.substr(3, went.size() - 4);
        text = "? (" + std::string(went) + "; reopened by a call not in the log)";
        return text;
    }
    switch (gone.reason) {
        case FdGoneReason::NotOpen:
            text = "not open";
            break;
        case FdGoneReason::Closed:
            text = gone.line ? "? (closed at " + where(gone.line) + ")" : "? (closed)";
            break;
        case FdGoneReason::ClosedOnExec:
            text =
                gone.line ? "? (closed on exec, " + where(gone.line) + ")" : "? (closed on exec)";
            break;
    }
    return text;
}

const FdIdentity* Annotator::identity_for(int pid, const FdSite& site, std::string_view& text) {
    FdTable* table = model_.table(pid);
    FdEntry* entry = table ? table->find(site.fd) : nullptr;
    if (!entry) {
        // A number the log saw go is not from before the log: say what
        // happened to it instead of calling it inherited.
        if (auto gone = table ? table->gone(site.fd) : std::nullopt) {
            text = gone_text(*gone);
            return &gone_identity_;
        }
        replay_.file_for(pid, site.fd);  // first use of an fd the log never opened
        table = model_.table(pid);
        entry = table->find(site.fd);
    }
    OpenFile& file = *entry->file;
    settle_if_reached(file);
    // Named ahead, it is from before the log until the line that told comes,
    // even if a call before it changed it (JSON's "source" says what the text
    // says). Before the text is made: a change after it would make the next
    // site of this file on the line render it again, under this one's view.
    // (A received fd was made in the log: its source stays "log".)
    if (file.revealed_line && !file.received && !file.unseen &&
        file.identity.source != FdSource::Inherited) {
        file.identity.source = FdSource::Inherited;
        file.changed();
    }
    if (file.identity.kind == FdKind::Unknown && file.identity.source == FdSource::Inherited &&
        inherited_lookup_) {
        if (auto live = inherited_lookup_(pid, site.fd)) {
            file.identity = std::move(*live);
            file.changed();
        }
    }
    // Only a call that closes or replaces fds can free this file before the
    // line is rendered; read/write lines skip the reference counting.
    if (keep_alive_needed_) keep_alive_.push_back(entry->file);
    text = cached_text(file, pid, table);
    // Of an fd another process passed in (SCM_RIGHTS, pidfd_getfd) the log
    // tells that much, rather than "?".
    if (file.identity.kind == FdKind::Unknown && file.received) text = "received";
    // "? (closed at line 2)" is disproved by the call that succeeded on it.
    if (file.identity.kind == FdKind::Unknown && file.unseen) text = gone_text(*file.unseen, true);
    if (file.identity.kind == FdKind::Unknown && file.first_fd >= 0 && file.first_fd != site.fd)
        text = dup_text(file, text);
    if (file.revealed_line)
        text = revealed_text(file, text);
    else if (closing_ && !file.other_end.expired())
        if (auto held = held_text(file, table); !held.empty()) text = held;
    return &file.identity;
}

std::string_view Annotator::dup_text(OpenFile& file, std::string_view original_text) {
    // Nothing is known of it but that it is the same open file as another fd:
    // say so, rather than call a copy made in the log "inherited".
    if (file.rendered_dup_generation != file.generation) {
        pin_views_of(file.rendered_dup);
        file.rendered_dup = "dup of fd " + std::to_string(file.first_fd) + " (";
        file.rendered_dup += original_text;
        file.rendered_dup += ')';
        file.rendered_dup_generation = file.generation;
    }
    return file.rendered_dup;
}

void Annotator::resolve(std::vector<ResolvedFd>& resolved, const SyscallEvent& event,
                        bool after_effect) {
    for (std::size_t i = 0; i < event.fds.size(); ++i) {
        FdSite site = event.fds[i];
        if (resolved_after_effect(site) != after_effect) continue;
        ResolvedFd& out = resolved[i];
        out.site = site;
        if (site.role == FdRole::Epoll) {
            // epoll_wait's data: the fd registered with that data, if known.
            out.site.fd = -1;
            if (event.fds.empty() || event.fds[0].role != FdRole::Arg) continue;
            OpenFile* epoll = model_.lookup(event.pid, event.fds[0].fd);
            if (!epoll) continue;
            auto it = epoll->epoll_data.find(site.epoll_data);
            if (it == epoll->epoll_data.end()) continue;
            out.site.fd = site.fd = it->second;
        }
        if (!site.existing_annotation.empty()) {
            // strace -y/-yy already said what it is: keep theirs, and let an
            // fd the log never opened learn from it.
            // strace 5.19 or later, from this line on (both reads of a file
            // switch at the same line, and agree on what each line says).
            if (site.existing_annotation.ends_with(">(deleted)"))
                deleted_marker_ = DeletedMarker::Outside;
            auto theirs = parse_yy_annotation(site.existing_annotation, deleted_marker_);
            if (!theirs) continue;
            // "<P (deleted)>" from an older strace is P unlinked, unless the
            // log opened a file named "P (deleted)" as this fd.
            if (const auto* path = theirs->get<PathDetails>();
                path && path->deleted && !site.existing_annotation.ends_with(">(deleted)"))
                if (const OpenFile* known = model_.lookup(event.pid, site.fd))
                    if (const auto* ours = known->identity.get<PathDetails>();
                        ours && ours->path == path->path + " (deleted)")
                        theirs =
                            parse_yy_annotation(site.existing_annotation, DeletedMarker::Outside);
            if (!theirs) continue;
            OpenFile& file = replay_.file_for(event.pid, site.fd);
            settle_if_reached(file);
            if (site.role == FdRole::Ret) learn_cwd_from_open(event, file, *theirs);
            replay_.learn_from_annotation(file, *theirs);
            if (keep_alive_needed_) keep_alive_.push_back(model_.entry(event.pid, site.fd)->file);
            out.identity = &file.identity;
            continue;
        }
        out.identity = identity_for(event.pid, site, out.text);
        if (const OpenFile* file = model_.lookup(event.pid, site.fd)) {
            out.file_id = file->id;
            out.revealed_line = file->revealed_line & ((std::uint64_t{1} << 48) - 1);
            out.revealed_file = file_of(file->revealed_line);
            if (!generations_.empty()) generations_[i] = file->generation;
        }
    }
}

void Annotator::refresh_changed_texts(const SyscallEvent& event) {
    // JSON describes each fd argument after the call (its fields are the
    // model's now); a call that changed it (connect, bind...) gets its text
    // made again, so "text" and "remote"/"state" tell the same moment.
    for (std::size_t i = 0; i < event.fds.size(); ++i) {
        ResolvedFd& out = resolved_[i];
        if (resolved_after_effect(out.site) || out.file_id == 0 ||
            !out.site.existing_annotation.empty())
            continue;
        OpenFile* file = model_.lookup(event.pid, out.site.fd);
        if (!file || file->id != out.file_id || file->generation == generations_[i]) continue;
        out.text = cached_text(*file, event.pid, model_.table(event.pid));
    }
}

void Annotator::finish_leaks(std::string& out) {
    leaks_.finish(model_, formatter_);
    if (options_.format == OutputFormat::Json)
        leaks_.render_json(out);
    else
        leaks_.render_text(out);
}

void Annotator::preview(std::string_view partial, std::string& out, int default_pid) {
    SyscallEvent event = parse_strace_line(partial, default_pid);
    if (default_pid == 0) follow_unprefixed_process(event, partial);
    event.fds.swap(site_scratch_);
    event.fds.clear();
    resolved_.clear();
    keep_alive_.clear();
    AnnotatedLine annotated;
    annotated.line = partial;
    annotated.event = &event;
    annotated.newline = false;
    if (event.kind == EventKind::Syscall && !event.resumed) {
        if (const SyscallSignature* signature = find_syscall(event.name)) {
            adopt_new_process(event.pid);  // the whole line does the same
            keep_alive_needed_ = true;
            closing_ = false;
            find_fd_sites(*signature, partial, event.args, event.args_offset, event);
            // Only what the call was given: nothing it returns is there yet.
            std::erase_if(event.fds,
                          [](const FdSite& site) { return resolved_after_effect(site); });
            resolved_.resize(event.fds.size());
            resolve(resolved_, event, false);
        }
    }
    annotated.fds = resolved_;
    render_text(out, annotated, options_.text);
    event.fds.swap(site_scratch_);
}

void Annotator::switch_pidless_file(std::string_view file) {
    PidlessProcess current{unprefixed_pid_, std::move(attached_tasks_), model_.take(0), {}};
    if (auto pending = pending_.extract(0)) current.pending = std::move(pending.mapped());
    parked_pidless_.insert_or_assign(std::move(pidless_file_), std::move(current));
    pidless_file_ = std::string(file);
    unprefixed_pid_ = 0;
    attached_tasks_.clear();
    auto parked = parked_pidless_.find(pidless_file_);
    if (parked == parked_pidless_.end()) return;
    unprefixed_pid_ = parked->second.unprefixed_pid;
    attached_tasks_ = std::move(parked->second.attached_tasks);
    if (parked->second.process) model_.put(0, std::move(*parked->second.process));
    if (parked->second.pending) pending_[0] = std::move(*parked->second.pending);
    parked_pidless_.erase(parked);
}

std::size_t Annotator::continue_cut_call(SyscallEvent& event, std::string_view& line,
                                         std::uint64_t& first_half_line) {
    // The line after a call cut short is, if it is no record of its own, the
    // rest of that call (a wrap can fall inside a string, so the whole call
    // is parsed again): "NAME(" + the first half's arguments + this line.
    auto pending = pending_.find(*cut_call_pid_);
    if (pending == pending_.end()) return 0;
    // A line with a pid of its own is a record, not the rest of a call.
    if (line.starts_with("[pid ")) return 0;
    continuation_ = pending->second.name;
    continuation_ += '(';
    continuation_ += pending->second.args;
    const std::size_t prefix = continuation_.size();
    continuation_ += line;
    SyscallEvent joined = parse_strace_line(continuation_, *cut_call_pid_);
    if (joined.kind != EventKind::Syscall || joined.name != pending->second.name) return 0;
    joined.pid = *cut_call_pid_;
    first_half_line = pending->second.line;
    pending_.erase(pending);
    event = std::move(joined);
    line = continuation_;
    return prefix;
}

void Annotator::carry_sites_before(std::size_t offset, SyscallEvent& event) {
    // Fds in the first half of a joined call are on the line before: named
    // in JSON, not inserted into this line's text.
    for (FdSite& site : event.fds) {
        if (site.offset >= offset) continue;
        site.carried = true;
        site.offset = 0;
        site.length = 0;
    }
}

namespace {

// The start of argument `index` in `args` (the text after '('), skipping
// strings and bracketed groups; npos when the call has fewer.
std::size_t argument_start(std::string_view args, int index) noexcept {
    std::size_t pos = 0;
    for (int i = 0; i < index; ++i) {
        for (;;) {
            std::size_t next = args.find_first_of(",\"[{(", pos);
            if (next == std::string_view::npos) return std::string_view::npos;
            char c = args[next];
            if (c == ',') {
                pos = next + 1;
                break;
            }
            pos = c == '"' ? skip_quoted(args, next) : find_group_end(args, next + 1);
            if (pos == std::string_view::npos) return std::string_view::npos;
        }
        while (pos < args.size() && args[pos] == ' ') ++pos;
    }
    return pos;
}

// What argument `text` (from its start) holds: an fd number, no fd at all
// (AT_FDCWD, -1: anonymous mmap), or something a first read must look at
// (an annotation, an expression, an argument cut short).
enum class FdArgument { Number, NotAnFd, Other };
FdArgument fd_argument(std::string_view text, int& number) noexcept {
    std::size_t end = text.find_first_of(",)");
    if (end == std::string_view::npos) return FdArgument::Other;
    std::string_view token = text.substr(0, end);
    // A -y/-yy annotation says what the fd is: that is learning.
    if (token.find('<') != std::string_view::npos) return FdArgument::Other;
    if (auto fd = parse_fd(token)) {  // the common case first
        number = *fd;
        return FdArgument::Number;
    }
    if (is_at_fdcwd(token) || token == "-1") return FdArgument::NotAnFd;
    return FdArgument::Other;
}

// A finished call's return value, read after its closing parenthesis:
// " = 3 <0.000054>" gives 3; nullopt for anything else (unfinished, a -y
// annotation on the fd, "?"). `error` tells a failure ("= -1 ENOENT ...").
// A narrow twin of parse_strace_line's "= RET" reading, kept because the
// first read meets an open or close on every fourth line of a real log and
// the whole parse (with split_args) cost it 5-7% (measured).
std::optional<std::int64_t> plain_return(std::string_view line, std::size_t args_start,
                                         bool& error) noexcept {
    std::size_t close = find_group_end(line, args_start);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = line.substr(close);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (!rest.starts_with("= ")) return std::nullopt;
    rest.remove_prefix(2);
    error = rest.starts_with("-1 E");
    if (error) return -1;
    std::size_t end = digit_run(rest);
    if (end == 0 || end > 9 || (end < rest.size() && rest[end] != ' ')) return std::nullopt;
    return parse_integer(rest.substr(0, end));
}

// Effects that change nothing in the fd table, only what an fd is known to
// be: on fds the log opened, a first read has nothing to learn from them.
bool only_names(FdEffect effect) noexcept {
    switch (effect) {
        case FdEffect::None:
        case FdEffect::Fstat:
        case FdEffect::Getdents:
        case FdEffect::Ioctl:
        case FdEffect::Reveal:
        case FdEffect::PeerName:
        case FdEffect::Connect:
        case FdEffect::Listen:
            return true;  // (bind, getsockname: a port 0 bind's port, see learn_port_ahead)
        default:
            return false;
    }
}

// stat, stat64, newfstatat, fstatat64, statx: the calls that may follow a
// /proc/N/fd/M link to the file (LogReplay::learn_from_proc_fd_stat).
bool stats_a_path(std::string_view name) {
    return name == "newfstatat" || name == "statx" || name == "stat" || name == "fstatat64" ||
           name == "stat64";
}

}  // namespace

bool Annotator::first_read_shortcut(std::string_view line, int default_pid, std::string_view file,
                                    std::uint64_t number) {
    // A first read indexes what later lines reveal of fds from before the
    // log; most of a log cannot tell it anything: calls on no fd at all
    // (mprotect, rt_sigaction, futex...), on no fd this time (a stat of
    // AT_FDCWD's path, an anonymous mmap), calls that only use an fd the
    // model holds (read, write, lseek...), calls that would only name an fd
    // the log opened itself, and failed opens. It passes them by without
    // parsing them whole. Opens and closes only change which fds are open
    // (what a file the log opened is does not matter to the index): they
    // are applied here without their identity.
    if (line.starts_with(" > ")) return true;  // strace -k: a stack frame
    auto head = parse_call_head(line, default_pid);
    if (!head) return false;
    if (default_pid == 0 && !file.empty() && file != pidless_file_) return false;
    int pid = head->pid;
    if (pid == 0) pid = pid_of_unprefixed_line();
    // A task the model has not met yet may be the pid-less one, or a child.
    FdTable* table = model_.table(pid);
    if (!table) return false;
    // readlink of /proc/self/cwd tells the working directory (see feed).
    if (head->name == "readlink" || head->name == "readlinkat") return false;
    // A stat of /proc/N/fd/M tells what that fd is (see feed).
    if (stats_a_path(head->name)) {
        std::string_view args = line.substr(head->args_start);
        if (args.find("\"/proc/") != std::string_view::npos) return false;
        if (args.find("\"/") == std::string_view::npos &&
            model_.process(pid).cwd->starts_with("/proc/"))
            return false;
    }
    const SyscallSignature* signature = find_syscall(head->name);
    // No fd, no effect on the fd table. A resumed one only if its start was
    // passed by too: nothing of it is pending.
    if (!signature) return !head->resumed || !pending_.contains(head->pid);
    if (head->resumed || signature->shape != FdShape::Plain) return false;
    std::string_view args = line.substr(head->args_start);
    auto fd_at = [&](int index, int& fd) {
        std::size_t start = argument_start(args, index);
        return start == std::string_view::npos ? FdArgument::Other
                                               : fd_argument(args.substr(start), fd);
    };
    if (signature->effect == FdEffect::Open) {
        // openat(AT_FDCWD, ...) or open(...): a dirfd may be met first here.
        int dirfd = -1;
        const bool has_dirfd = signature->fd_args & 1;
        if (has_dirfd && fd_at(0, dirfd) != FdArgument::NotAnFd) return false;
        bool failed = false;
        auto fd = plain_return(line, head->args_start, failed);
        if (!fd) return false;
        if (failed) return true;
        std::size_t path = argument_start(args, has_dirfd ? 1 : 0);
        // /proc/N/fd/M, /dev/fd/M, /dev/stdin reopen what fd M is: the whole
        // replay knows how. (So may a relative path, after cd /dev/fd.)
        if (path == std::string_view::npos) return false;
        std::string_view opened = args.substr(path);
        if (opened.starts_with("\"/proc/") || opened.starts_with("\"/dev/fd/") ||
            opened.starts_with("\"/dev/std"))
            return false;
        if (!opened.starts_with("\"/")) {
            const std::string& cwd = *model_.process(pid).cwd;
            if (cwd.starts_with("/proc/") || cwd.starts_with("/dev")) return false;
        }
        std::size_t flags = argument_start(args, has_dirfd ? 2 : 1);
        std::string_view flags_text =
            flags == std::string_view::npos ? std::string_view{} : args.substr(flags);
        flags_text = flags_text.substr(0, flags_text.find_first_of(",)"));
        const bool cloexec = open_sets_cloexec(head->name, flags_text);
        model_.install(pid, static_cast<int>(*fd),
                       FdIdentity{FdKind::File, {}, {}, {}, FdSource::Log}, cloexec);
        collecting_->saw_success = true;
        return true;
    }
    if (signature->effect == FdEffect::Close) {
        int fd = -1;
        if (fd_at(0, fd) != FdArgument::Number || fd < 0) return false;
        bool failed = false;
        auto ret = plain_return(line, head->args_start, failed);
        if (!ret) return false;
        // A program closing every fd up to its limit (close(N) = -1 EBADF,
        // thousands in a row): each proves N not open (note_not_open).
        if (failed) {
            std::size_t error = line.find("= -1 E", head->args_start);
            if (error == std::string_view::npos || line.substr(error + 5).substr(0, 6) != "EBADF ")
                return false;
            if (!model_.gone(pid, fd)) model_.close(pid, fd, number, FdGoneReason::NotOpen);
            return true;
        }
        const FdEntry* entry = table->find(fd);
        if (!entry || entry->gone || !entry->file || *ret != 0) return false;
        model_.close_call(pid, fd, {}, number);
        collecting_->saw_success = true;
        return true;
    }
    if (!only_names(signature->effect) || signature->returns_fd || signature->fd_args == 0)
        return false;
    if (signature->effect == FdEffect::Ioctl) {  // TIOCGPTPEER makes an fd
        std::size_t request = argument_start(args, 1);
        if (request == std::string_view::npos) return false;
        std::string_view text = args.substr(request);
        if (text.starts_with("_IOC(") ||
            ioctl_request_returns_fd(text.substr(0, text.find_first_of(",)"))))
            return false;
    }
    for (int i = 0; i < 6; ++i) {
        if (!(signature->fd_args & (1u << i))) continue;
        int fd = -1;
        switch (fd_at(i, fd)) {
            case FdArgument::NotAnFd:
                break;
            case FdArgument::Number: {
                const FdEntry* entry = table->find(fd);
                if (!entry || entry->gone || !entry->file) return false;
                // An fd from before the log may be named by this very call.
                if (signature->effect != FdEffect::None && entry->file->inherited_ordinal != 0)
                    return false;
                break;
            }
            case FdArgument::Other:
                return false;
        }
    }
    return true;
}

void Annotator::feed(std::string_view line, std::string& out, int default_pid, bool newline,
                     std::string_view file, bool add_pid_prefix, std::uint64_t line_number) {
    ++line_number_;
    const std::uint64_t number = line_number ? line_number : line_number_;
    // Where this line is, for the texts that will point back at it.
    const std::uint64_t here = line_ref(file, number);
    current_file_ = file;
    // (A line the shortcut takes is a call of its own, never the rest of one
    // cut short before it.)
    if (collecting_ && first_read_shortcut(line, default_pid, file, here)) {
        cut_call_pid_.reset();
        return;
    }
    const std::string_view input_line = line;
    SyscallEvent event = parse_strace_line(line, default_pid);
    std::size_t hidden_prefix = 0;  // of `line`, not in the input
    std::uint64_t first_half_line = 0;
    if (cut_call_pid_ && event.kind == EventKind::Unparsed)
        hidden_prefix = continue_cut_call(event, line, first_half_line);
    cut_call_pid_.reset();
    // Merged files: a pid-less line is its own file's (first) process.
    if (default_pid == 0 && !file.empty() && file != pidless_file_) switch_pidless_file(file);
    if (default_pid == 0) follow_unprefixed_process(event, line);
    if (event.kind == EventKind::Other) note_thread_group(line);
    event.fds.swap(site_scratch_);  // reuse last line's capacity: no malloc per line
    event.fds.clear();
    resolved_.clear();
    pinned_texts_.clear();
    keep_alive_.clear();
    for (auto& texts : gone_texts_)
        if (texts.size() > 4096) texts.clear();  // views of them live one line

    // Reused, each field set: zeroing a fresh one per line shows in profiles.
    AnnotatedLine& annotated = annotated_;
    annotated.line = line;
    annotated.number = number;
    annotated.file = file;
    annotated.event = &event;
    annotated.newline = newline;
    annotated.prefix = {};
    annotated.explanations = {};
    annotated.unfinished_line = 0;
    annotated.incomplete = false;
    annotated.raw = {};
    if (hidden_prefix) {
        annotated.raw = input_line;
        annotated.unfinished_line = first_half_line;
    }
    // Only a line without a pid column of its own (a -ff file's) gets one.
    if (add_pid_prefix && event.pid && event.kind != EventKind::Unparsed && !hidden_prefix &&
        parse_strace_line(line, 0).pid == 0) {
        prefix_ = "[pid " + std::to_string(event.pid) + "] ";
        annotated.prefix = prefix_;
    }

    if (event.kind == EventKind::Syscall) {
        adopt_new_process(event.pid);
        if (event.name == "readlink" || event.name == "readlinkat") {
            if (auto fd = replay_.learn_from_readlink(event); fd && collecting_)
                note_reveal(fd->first, fd->second, number);
        } else if (stats_a_path(event.name)) {
            if (auto fd = replay_.learn_from_proc_fd_stat(event); fd && collecting_)
                note_reveal(fd->first, fd->second, number);
        }
        const SyscallSignature* signature = find_syscall(event.name);
        std::string_view args = event.args;
        std::int64_t args_base = event.args_offset;
        bool complete = !event.unfinished;
        bool headless = false;  // resumed, its beginning before the log
        if (event.resumed) {
            auto it = pending_.find(event.pid);
            if (it != pending_.end() && it->second.name == event.name) {
                annotated.unfinished_line = it->second.line;
                combined_args_ = it->second.args;
                if (!combined_args_.empty() && !args.empty()) combined_args_ += ' ';
                std::size_t prefix_length = combined_args_.size();
                combined_args_ += args;
                args = combined_args_;
                args_base -= static_cast<std::int64_t>(prefix_length);
                pending_.erase(it);
            } else {
                complete = false;  // its beginning is not in the log: no effect
                headless = true;   // but for the fd it returns (below)
            }
        }
        // Cut short by a wrap: kept like an unfinished call, for the next line.
        annotated.incomplete = event.ret.empty() && !event.unfinished && !event.detached;
        // strace -z/-Z print the rest of an unfinished call on the next line
        // without its "<... NAME resumed>" and pid ("\"\", 4096) = 0"): that
        // line, if it is no record of its own, is read as the rest too.
        if (annotated.incomplete || event.unfinished) cut_call_pid_ = event.pid;
        if (event.unfinished || annotated.incomplete)
            pending_[event.pid] = Pending{std::string(event.name), std::string(args), number};
        // A call without "= RET" (unfinished, or a line cut short) changed
        // nothing we can know.
        complete = complete && !event.ret.empty();
        if (signature) {
            keep_alive_needed_ = may_free_files(signature->effect);
            closing_ = signature->effect == FdEffect::Close;
            find_fd_sites(*signature, line, args, args_base, event);
            if (hidden_prefix) carry_sites_before(hidden_prefix, event);
            if (complete && event.error == "EBADF") {
                replay_.note_not_open(*signature, event, here);
            } else if (complete && event.succeeded()) {
                replay_.note_open(*signature, event, line);
                if (collecting_) collecting_->saw_success = true;
            } else if (complete && is_error_of_an_open_fd(event.error)) {
                replay_.note_open(*signature, event, line);
            }
            resolved_.resize(event.fds.size());
            // JSON tells when a call changed its fd argument (see refresh_changed_texts).
            if (options_.format == OutputFormat::Json) generations_.assign(event.fds.size(), 0);
            resolve(resolved_, event, false);
            // getsockname/getpeername print what they tell: their line names
            // the fd as it is after them, known before or not.
            const bool names_itself =
                signature->effect == FdEffect::SockName || signature->effect == FdEffect::PeerName;
            const bool learns =
                reveals_its_fds(signature->effect) && (names_itself || may_learn_more(resolved_));
            if (collecting_ &&
                (signature->effect == FdEffect::Connect || signature->effect == FdEffect::Bind ||
                 signature->effect == FdEffect::Listen))
                freeze_reveals(event);
            if (complete) replay_.apply(*signature, event, args, here);
            if (!kind_reveals_.empty()) note_kind_reveals(event, number);
            if (headless && !event.ret.empty())
                replay_.returned_by_headless_call(event, *signature, args);
            if (complete && event.error.empty() &&
                (signature->effect == FdEffect::Bind || signature->effect == FdEffect::SockName))
                learn_port_ahead(event, signature->effect);
            if (complete && learns)
                resolve(resolved_, event, false);
            else if (complete && options_.format == OutputFormat::Json &&
                     signature->effect != FdEffect::None)
                refresh_changed_texts(event);
            resolve(resolved_, event, true);
            if (collecting_) note_reveals(event, number);
        }
    } else if (event.kind == EventKind::Exit) {
        pending_.erase(event.pid);
    }

    if (collecting_) {  // a first read: nothing is shown
        if (event.kind == EventKind::Exit) model_.exit(event.pid);
        event.fds.swap(site_scratch_);
        return;
    }
    annotated.fds = resolved_;
    if (options_.leaks && event.kind == EventKind::Syscall)
        leaks_.created(event, resolved_, model_, number, line);
    explanations_.clear();
    if (options_.explain) {
        explainer_.explain(event, explanations_);
        annotated.explanations = explanations_;
    }
    if (observer_) observer_(event, resolved_);
    if (options_.format == OutputFormat::Json) {
        render_json(out, annotated);
    } else {
        std::size_t start = out.size();
        render_text(out, annotated, options_.text);
        if (hidden_prefix) out.erase(start, hidden_prefix);  // the line as it came in
    }

    if (event.kind == EventKind::Exit) {
        if (options_.leaks) leaks_.exiting(event.pid, model_, formatter_);
        model_.exit(event.pid);
    }
    event.fds.swap(site_scratch_);
}

}  // namespace fdtrace
