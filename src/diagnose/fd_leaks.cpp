#include "fdtrace/fd_leaks.h"

#include <algorithm>
#include <map>

namespace fdtrace {
namespace {

// Roles whose fd the call itself brought into existence.
bool creates(FdRole role) {
    return role == FdRole::Ret || role == FdRole::Pair || role == FdRole::ScmRights;
}

constexpr std::size_t kMaxCallText = 160;

}  // namespace

void FdLeakTracker::created(const SyscallEvent& event, std::span<const ResolvedFd> fds,
                            FdModel& model, std::uint64_t line_number, std::string_view line) {
    if (event.unfinished || !event.error.empty()) return;
    for (const ResolvedFd& fd : fds) {
        if (!creates(fd.site.role) || fd.site.fd < 0) continue;
        FdEntry* entry = model.entry(event.pid, fd.site.fd);
        if (!entry || !entry->file || entry->file->origin)
            continue;  // dup'd: the first creation counts
        auto origin = std::make_shared<FdOrigin>();
        origin->line = line_number;
        origin->time = std::string(event.time);
        origin->call = std::string(line.substr(0, kMaxCallText));
        if (line.size() > kMaxCallText) origin->call += "...";
        // A copy of an fd from before the log: this fd was made here, the
        // file was not (its other fds, and the other processes', are not
        // leaks of the trace).
        if (entry->file->first_fd >= 0)
            entry->origin = std::move(origin);
        else
            entry->file->origin = std::move(origin);
    }
}

void FdLeakTracker::collect(int pid, const FdTable& table, IdentityFormatter& formatter,
                            bool exited) {
    table.for_each([&](int fd, const FdEntry& entry) {
        const auto& origin = entry.file->origin ? entry.file->origin : entry.origin;
        if (!origin) return;  // inherited, not created under the trace
        if (fd <= 2) return;  // stdio is meant to stay open
        if (leaks_.size() >= kMaxLeaks) {
            ++dropped_;
            return;
        }
        Leak leak;
        leak.pid = pid;
        leak.fd = fd;
        leak.identity = formatter.text(entry.file->identity);
        leak.kind = std::string(kind_name(entry.file->identity.kind));
        leak.origin = origin;
        leak.process_exited = exited;
        leaks_.push_back(std::move(leak));
    });
}

void FdLeakTracker::exiting(int pid, const FdModel& model, IdentityFormatter& formatter) {
    const auto* process = model.find_process(pid);
    // A table still shared with another live task is not closed by this exit.
    if (!process || process->fds.use_count() > 1) return;
    collect(pid, *process->fds, formatter, true);
}

void FdLeakTracker::finish(const FdModel& model, IdentityFormatter& formatter) {
    std::map<const FdTable*, int> tables;  // each table once, under its lowest pid
    model.for_each_process([&](int pid, const FdModel::Process& process) {
        auto [it, inserted] = tables.emplace(process.fds.get(), pid);
        if (!inserted) it->second = std::min(it->second, pid);
    });
    for (const auto& [table, pid] : tables) collect(pid, *table, formatter, false);
}

void FdLeakTracker::render_text(std::string& out) const {
    out += "fds opened during the trace and never closed: " +
           std::to_string(leaks_.size() + dropped_) + "\n";
    for (const Leak& leak : leaks_) {
        out += "  pid " + std::to_string(leak.pid) + " fd " + std::to_string(leak.fd) + " -> " +
               leak.identity + (leak.process_exited ? "  (held until exit)" : "  (still open)") +
               "\n";
        out += "      created at line " + std::to_string(leak.origin->line);
        if (!leak.origin->time.empty()) out += ", " + leak.origin->time;
        out += ": ";
        append_escaped(out, leak.origin->call);
        out += "\n";
    }
    if (dropped_) out += "  ... and " + std::to_string(dropped_) + " more\n";
}

void FdLeakTracker::render_json(std::string& out) const {
    for (const Leak& leak : leaks_) {
        out += "{\"event\":\"leak\",\"pid\":" + std::to_string(leak.pid) +
               ",\"fd\":" + std::to_string(leak.fd) + ",\"kind\":";
        append_json_string(out, leak.kind);
        out += ",\"text\":";
        append_json_string(out, leak.identity);
        out += leak.process_exited ? ",\"held_until\":\"exit\"" : ",\"held_until\":\"end\"";
        out += ",\"created\":{\"line\":" + std::to_string(leak.origin->line) + ",\"time\":";
        append_json_string(out, leak.origin->time);
        out += ",\"call\":";
        append_json_string(out, leak.origin->call);
        out += "}}\n";
    }
}

}  // namespace fdtrace
