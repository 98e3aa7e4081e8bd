// `fdtrace leaks`: how a process's fd table grows between samples, by class
// of identity ("+412 UNIX-STREAM sockets, path /tmp/agent.sock (deleted),
// none with a peer"), what it holds that nobody can reach any more (deleted
// files, unlinked unix socket paths, abstract sockets without a peer), and
// how far it is from RLIMIT_NOFILE. The analysis is a pure function of
// FdSnapshots; sampling is the caller's (the CLI sleeps, tests hand-shake).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/fd_identity.h"
#include "fdtrace/fd_snapshot.h"
#include "fdtrace/render.h"
#include "fdtrace/sys_error.h"

namespace fdtrace {

// "Max open files" of /proc/PID/limits; nullopt for "unlimited".
struct FdLimit {
    std::optional<std::uint64_t> soft;
    std::optional<std::uint64_t> hard;
    bool operator==(const FdLimit&) const = default;
};
std::optional<FdLimit> parse_nofile_limit(std::string_view limits_text);
Result<FdLimit> read_nofile_limit(int pid);

// Fds of one class: same kind, same place (path, address), deletedness,
// state and peer-ness.
struct LeakClass {
    FdKind kind = FdKind::Unknown;
    std::string label;  // "UNIX-STREAM sockets", "files", "TCP sockets"
    std::string
        location;  // "path /tmp/agent.sock", "to 10.0.0.1:5432", "12 distinct paths under /tmp/"
    bool deleted = false;    // deleted file / unlinked unix socket path
    bool orphaned = false;   // is_orphaned()
    std::string state;       // "CLOSE_WAIT", ... or empty
    bool with_peer = false;  // a process holds the other end
    std::string peers;       // "gzip[812]" when all new ones share one peer process
    long first_count = 0;
    long last_count = 0;
    std::vector<int> new_fds;  // in the last sample and not (as the same file) in the first
    std::string description;   // the text line after "+N "

    long delta() const noexcept { return last_count - first_count; }
};

// Fds held on something nobody can reach any more, grouped by what they are.
struct OrphanGroup {
    FdIdentity identity;  // one of them
    std::vector<int> fds;
    // Set when fds on distinct names (mkstemp files, numbered abstract
    // sockets) share one group: "UNIX-STREAM sockets, 5 distinct abstract
    // names starting @agent-"; empty when all are on `identity`'s name.
    std::string summary;
};

struct LeakReport {
    int pid = 0;
    std::string comm;
    std::vector<std::size_t> counts;    // fds per sample
    double elapsed_s = 0;               // first to last sample
    std::vector<LeakClass> growth;      // classes that grew, most first
    std::vector<OrphanGroup> orphaned;  // in the last sample, largest group first
    std::optional<FdLimit> limit;
    int highest_fd = -1;  // in the last sample
    bool exited = false;  // the process ended before the last sample was due

    long total_delta() const noexcept {
        return counts.empty()
                   ? 0
                   : static_cast<long>(counts.back()) - static_cast<long>(counts.front());
    }
    double rate_per_s() const noexcept { return elapsed_s > 0 ? total_delta() / elapsed_s : 0; }
};

// At least one sample (one sample: no growth, just what is held).
LeakReport analyze_leaks(std::span<const FdSnapshot> samples, std::optional<FdLimit> limit);

// "3,5-7,12": fd numbers as ranges, at most `max_parts` parts then "...".
std::string fd_ranges_text(std::vector<int> fds, std::size_t max_parts = 8);

void render_leaks_text(std::string& out, const LeakReport& report, IdentityFormatter& formatter);
// One JSON object (one line).
void render_leaks_json(std::string& out, const LeakReport& report, IdentityFormatter& formatter);

}  // namespace fdtrace
