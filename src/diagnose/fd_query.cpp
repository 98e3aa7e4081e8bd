#include "fdtrace/fd_query.h"

#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "src/resolve/proc_files.h"
#include "src/resolve/text_util.h"

namespace fdtrace {

// ---- process selection --------------------------------------------------------

std::optional<CommandSelector> parse_command_selector(std::string_view text, std::string& error) {
    CommandSelector selector;
    if (text.starts_with('^')) {
        selector.exclude = true;
        text.remove_prefix(1);
    }
    if (text.size() >= 2 && text.front() == '/') {
        auto close = text.rfind('/');
        std::string_view flags = text.substr(close + 1);
        if (close == 0 || (flags != "" && flags != "i")) {
            error = "bad -c '" + std::string(text) + "' (expected COMM, ^COMM or /REGEX/[i])";
            return std::nullopt;
        }
        auto options = std::regex::extended | std::regex::nosubs;
        if (flags == "i") options |= std::regex::icase;
        try {
            selector.regex.emplace(std::string(text.substr(1, close - 1)), options);
        } catch (const std::regex_error& bad) {
            error = "bad -c '" + std::string(text) + "': " + bad.what();
            return std::nullopt;
        }
    } else if (text.empty()) {
        error = "bad -c '': no command named";
        return std::nullopt;
    }
    selector.text = std::string(text);
    return selector;
}

std::optional<std::vector<UserSelector>> parse_user_selectors(std::string_view text,
                                                              std::string& error) {
    std::vector<UserSelector> selectors;
    while (true) {
        auto comma = text.find(',');
        std::string_view name = trim(text.substr(0, comma));
        UserSelector selector;
        if (name.starts_with('^')) {
            selector.exclude = true;
            name.remove_prefix(1);
        }
        std::uint32_t uid = 0;
        if (parse_number(name, uid)) {
            selector.uid = uid;
        } else {
            std::string login(name);
            passwd entry{}, *found = nullptr;
            char buffer[4096];
            if (login.empty() ||
                ::getpwnam_r(login.c_str(), &entry, buffer, sizeof buffer, &found) != 0 || !found) {
                error = "unknown user '" + login + "' in -u (a login name or a uid)";
                return std::nullopt;
            }
            selector.uid = found->pw_uid;
        }
        selectors.push_back(selector);
        if (comma == std::string_view::npos) return selectors;
        text.remove_prefix(comma + 1);
    }
}

bool process_matches(const ProcessFilter& filter, std::string_view comm, uid_t owner) {
    auto command_matches = [comm](const CommandSelector& selector) {
        if (selector.regex) return std::regex_search(comm.begin(), comm.end(), *selector.regex);
        return comm.starts_with(selector.text);
    };
    bool any_command = false, command_included = false;
    for (const CommandSelector& selector : filter.commands) {
        bool match = command_matches(selector);
        if (selector.exclude && match) return false;
        if (!selector.exclude) {
            any_command = true;
            command_included = command_included || match;
        }
    }
    if (any_command && !command_included) return false;
    bool any_user = false, user_included = false;
    for (const UserSelector& selector : filter.users) {
        bool match = selector.uid == owner;
        if (selector.exclude && match) return false;
        if (!selector.exclude) {
            any_user = true;
            user_included = user_included || match;
        }
    }
    return !any_user || user_included;
}

// ---- the query ------------------------------------------------------------------

namespace {

constexpr std::array<SocketTable, kSocketTableCount> kAllTables = {
    SocketTable::Tcp,  SocketTable::Tcp6,    SocketTable::Udp,
    SocketTable::Udp6, SocketTable::Raw,     SocketTable::Raw6,
    SocketTable::Unix, SocketTable::Netlink, SocketTable::Packet};

bool covers(std::string_view protocol, FdKind kind) {
    if (protocol == "tcp") return kind == FdKind::Tcp || kind == FdKind::Tcp6;
    if (protocol == "udp") return kind == FdKind::Udp || kind == FdKind::Udp6;
    if (protocol == "unix") return kind == FdKind::Unix;
    return false;
}

// The socket tables that can hold every fd the filter accepts, when only
// sockets that are in a table can match it (a port, a host, a state other
// than Unbound); nullopt when any fd may (then each is resolved).
std::optional<std::vector<SocketTable>> tables_to_dump(const FdFilter& filter) {
    bool needs_entry = false;
    // Every -i names a port or a host: only sockets in a table can match.
    if (!filter.inet.empty() &&
        std::all_of(filter.inet.begin(), filter.inet.end(), [](const InetSelector& selector) {
            return selector.port >= 0 || !selector.host.empty();
        })) {
        needs_entry = true;
    }
    bool any_inclusion = false, includes_unbound = false;
    for (const StateSelector& selector : filter.states) {
        if (selector.exclude) continue;
        any_inclusion = true;
        for (const std::string& state : selector.states) includes_unbound |= state.empty();
    }
    if (any_inclusion && !includes_unbound) needs_entry = true;
    if (!needs_entry) return std::nullopt;
    std::vector<SocketTable> tables;
    for (SocketTable table : kAllTables) {
        FdKind kind = socket_table_kind(table);
        if (!filter.inet.empty() && std::none_of(filter.inet.begin(), filter.inet.end(),
                                                 [kind](const InetSelector& selector) {
                                                     return is_inet_kind(kind) &&
                                                            (selector.protocol.empty() ||
                                                             covers(selector.protocol, kind));
                                                 })) {
            continue;
        }
        if (!filter.kinds.empty() &&
            std::find(filter.kinds.begin(), filter.kinds.end(), kind) == filter.kinds.end()) {
            continue;
        }
        if (any_inclusion && std::none_of(filter.states.begin(), filter.states.end(),
                                          [kind](const StateSelector& selector) {
                                              return !selector.exclude &&
                                                     covers(selector.protocol, kind);
                                          })) {
            continue;
        }
        tables.push_back(table);
    }
    return tables;
}

bool is_socket_kind(FdKind kind) {
    return std::any_of(kAllTables.begin(), kAllTables.end(),
                       [kind](SocketTable table) { return socket_table_kind(table) == kind; });
}

// Whether an fd whose /proc link reads `link` can pass the filter at all:
// saves resolving the fds a query for sockets or deleted files cannot list.
bool link_may_match(const FdFilter& filter, std::string_view link) {
    bool socket = link.starts_with("socket:[");
    bool sockets_only =
        !filter.inet.empty() ||
        std::any_of(filter.states.begin(), filter.states.end(),
                    [](const StateSelector& selector) { return !selector.exclude; }) ||
        (!filter.kinds.empty() &&
         std::all_of(filter.kinds.begin(), filter.kinds.end(), is_socket_kind));
    if (sockets_only && !socket) return false;
    if (filter.orphaned_only && !socket && !link.ends_with(" (deleted)")) return false;
    return true;
}

// The owner of /proc/PID, as lsof reads it; nullopt when it is gone.
std::optional<uid_t> process_owner(int pid) {
    struct stat st {};
    if (::stat(proc_path(pid, "").c_str(), &st) != 0) return std::nullopt;
    return st.st_uid;
}

FdRow make_row(ProcResolver& resolver, int pid, int fd, FdIdentity identity) {
    FdRow row;
    row.fd = fd;
    row.identity = std::move(identity);
    row.flags = resolver.fd_flags(pid, fd);
    return row;
}

}  // namespace

FdQueryResult query_fds(ProcResolver& resolver, std::span<const int> pids,
                        const ProcessFilter& processes, const FdFilter& fds) {
    FdQueryResult result;
    std::vector<int> candidates(pids.begin(), pids.end());
    bool every_process = candidates.empty();
    if (every_process) {
        if (auto all = list_numeric_entries("/proc")) candidates = std::move(all).value();
    }
    // The processes to look at, with their names, in pid order.
    std::vector<FdSnapshot> selected;
    for (int pid : candidates) {
        if (!every_process) {
            if (auto problem = check_process_access(pid)) {
                result.errors.push_back({pid, *problem});
                continue;
            }
        }
        FdSnapshot snapshot;
        snapshot.pid = pid;
        // Names and owners only when a filter asks: a system-wide query reads
        // as little per process as it can (the names of the processes listed
        // are read at the end).
        if (!processes.commands.empty()) snapshot.comm = read_comm(pid);
        std::optional<uid_t> owner = 0;
        if (!processes.users.empty()) owner = process_owner(pid);
        if (!owner) {
            if (!every_process)
                result.errors.push_back({pid, {ESRCH, "pid " + std::to_string(pid)}});
            continue;
        }
        if (!process_matches(processes, snapshot.comm, *owner)) continue;
        snapshot.taken = std::chrono::steady_clock::now();
        selected.push_back(std::move(snapshot));
    }
    std::sort(selected.begin(), selected.end(),
              [](const FdSnapshot& a, const FdSnapshot& b) { return a.pid < b.pid; });

    // A snapshot tells the state now: no dump from an earlier lookup.
    resolver.sockets().invalidate();
    ProcResolver::Batch batch(resolver);
    auto tables = tables_to_dump(fds);
    if (!tables) {
        for (FdSnapshot& snapshot : selected) {
            auto numbers = list_numeric_entries(proc_fd_table_path(snapshot.pid, "fd"));
            if (!numbers) continue;
            for (int fd : *numbers) {
                auto link = read_link(proc_fd_path(snapshot.pid, fd));
                if (!link || !link_may_match(fds, *link)) continue;
                auto identity = resolver.try_resolve(snapshot.pid, fd);
                if (!identity) continue;
                FdRow row = make_row(resolver, snapshot.pid, fd, std::move(identity).value());
                if (matches(fds, row)) snapshot.rows.push_back(std::move(row));
            }
        }
    } else {
        // One dump per table per network namespace, taken from inside it by
        // way of its first process; the sockets that pass the filter are then
        // found among the fds of /proc/*/fd (read once, for peers as well).
        std::unordered_map<int, std::size_t> index_of;
        for (std::size_t i = 0; i < selected.size(); ++i) index_of[selected[i].pid] = i;
        std::unordered_set<std::uint64_t> namespaces_seen;
        FdFilter prefilter = fds;
        prefilter.fds.clear();  // no fd numbers yet: each socket stands for all its holders
        std::unordered_set<std::uint64_t> wanted;
        for (const FdSnapshot& snapshot : selected) {
            auto netns = SockDiag::network_namespace(snapshot.pid);
            if (!netns || !namespaces_seen.insert(*netns).second) continue;
            for (SocketTable table : *tables) {
                const auto* sockets = resolver.sockets().sockets_in(snapshot.pid, table);
                if (!sockets) continue;
                for (const SocketInfo& socket : *sockets) {
                    FdRow candidate;
                    candidate.identity.kind = socket.kind;
                    candidate.identity.details = socket.details;
                    if (matches(prefilter, candidate)) wanted.insert(socket.inode);
                }
            }
        }
        for (std::uint64_t inode : wanted) {
            for (const FdHolder& holder : resolver.owners().holders(inode)) {
                auto at = index_of.find(holder.pid);
                if (at == index_of.end()) continue;
                auto identity = resolver.try_resolve(holder.pid, holder.fd);
                if (!identity || identity->inode != inode) continue;  // closed or reused
                FdRow row = make_row(resolver, holder.pid, holder.fd, std::move(identity).value());
                if (matches(fds, row)) selected[at->second].rows.push_back(std::move(row));
            }
        }
        for (FdSnapshot& snapshot : selected) {
            std::sort(snapshot.rows.begin(), snapshot.rows.end(),
                      [](const FdRow& a, const FdRow& b) { return a.fd < b.fd; });
        }
    }
    for (FdSnapshot& snapshot : selected) {
        if (snapshot.rows.empty()) continue;
        if (snapshot.comm.empty()) snapshot.comm = read_comm(snapshot.pid);
        if (auto netns = SockDiag::network_namespace(snapshot.pid)) snapshot.netns = *netns;
        result.snapshots.push_back(std::move(snapshot));
    }
    return result;
}

}  // namespace fdtrace
