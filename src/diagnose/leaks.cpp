#include "fdtrace/leaks.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "src/diagnose/text_table.h"
#include "src/resolve/proc_files.h"
#include "src/resolve/text_util.h"

namespace fdtrace {

// ---- RLIMIT_NOFILE ------------------------------------------------------------

std::optional<FdLimit> parse_nofile_limit(std::string_view limits_text) {
    for (std::string_view line : split_lines(limits_text)) {
        constexpr std::string_view kName = "Max open files";
        if (!line.starts_with(kName)) continue;
        auto words = split_words(line.substr(kName.size()));
        if (words.size() < 2) return std::nullopt;
        FdLimit limit;
        auto value = [](std::string_view word, std::optional<std::uint64_t>& out) {
            std::uint64_t number = 0;
            if (word == "unlimited") return true;
            if (!parse_number(word, number)) return false;
            out = number;
            return true;
        };
        if (!value(words[0], limit.soft) || !value(words[1], limit.hard)) return std::nullopt;
        return limit;
    }
    return std::nullopt;
}

Result<FdLimit> read_nofile_limit(int pid) {
    std::string path = proc_path(pid, "limits");
    auto text = read_file(path);
    if (!text) return text.error();
    auto limit = parse_nofile_limit(*text);
    if (!limit) return SysError{EINVAL, "parse " + path};
    return *limit;
}

// ---- classes ----------------------------------------------------------------------

namespace {

struct KindLabel {
    FdKind kind;
    std::string_view label;
};

constexpr KindLabel kLabels[] = {
    {FdKind::Tcp, "TCP sockets"},
    {FdKind::Tcp6, "TCPv6 sockets"},
    {FdKind::Udp, "UDP sockets"},
    {FdKind::Udp6, "UDPv6 sockets"},
    {FdKind::Raw, "raw sockets"},
    {FdKind::Netlink, "netlink sockets"},
    {FdKind::Packet, "packet sockets"},
    {FdKind::Socket, "sockets"},
    {FdKind::Pipe, "pipes"},
    {FdKind::Fifo, "fifos"},
    {FdKind::File, "files"},
    {FdKind::Dir, "directories"},
    {FdKind::Chr, "character devices"},
    {FdKind::Blk, "block devices"},
    {FdKind::Eventfd, "eventfds"},
    {FdKind::Epoll, "epoll fds"},
    {FdKind::Timerfd, "timerfds"},
    {FdKind::Signalfd, "signalfds"},
    {FdKind::Inotify, "inotify fds"},
    {FdKind::Fanotify, "fanotify fds"},
    {FdKind::Pidfd, "pidfds"},
    {FdKind::Memfd, "memfds"},
    {FdKind::IoUring, "io_uring fds"},
    {FdKind::PerfEvent, "perf_event fds"},
    {FdKind::Bpf, "bpf fds"},
    {FdKind::Userfaultfd, "userfaultfds"},
    {FdKind::Namespace, "namespace fds"},
    {FdKind::Anon, "anon_inode fds"},
    {FdKind::Unknown, "fds of unknown kind"},
};

std::string label_of(const FdIdentity& identity) {
    if (const auto* unix_socket = identity.get<UnixDetails>()) {
        return unix_socket->type.empty() ? "UNIX sockets"
                                         : "UNIX-" + unix_socket->type + " sockets";
    }
    if (identity.kind == FdKind::Unix) return "UNIX sockets";
    for (const KindLabel& row : kLabels)
        if (row.kind == identity.kind) return std::string(row.label);
    return "fds";
}

// Where an fd points: the words shown ("path /tmp/x") and the bare value
// used to describe many of them at once ("/tmp/x").
struct Location {
    std::string text;
    std::string value;
    std::string plural;  // "paths", "names", "addresses"
};

std::string escaped(std::string_view raw) {
    std::string out;
    append_escaped(out, raw);
    return out;
}

Location location_of(const FdIdentity& identity) {
    if (const auto* unix_socket = identity.get<UnixDetails>()) {
        if (unix_socket->path.starts_with('@')) {
            return {"abstract " + escaped(unix_socket->path), unix_socket->path, "abstract names"};
        }
        if (!unix_socket->path.empty()) {
            return {"path " + escaped(unix_socket->path), unix_socket->path, "paths"};
        }
        if (!unix_socket->peer_path.empty()) {
            return {"connected to " + escaped(unix_socket->peer_path), unix_socket->peer_path,
                    "servers"};
        }
        return {"unnamed", "", ""};
    }
    if (const auto* inet = identity.get<InetDetails>()) {
        if (!inet->remote.empty()) return {"to " + inet->remote, inet->remote, "remote addresses"};
        if (!inet->local.empty()) return {"on " + inet->local, inet->local, "local addresses"};
        return {"unbound", "", ""};
    }
    if (const auto* path = identity.get<PathDetails>(); path && !path->path.empty()) {
        return {"path " + escaped(path->path), path->path, "paths"};
    }
    if (const auto* anon = identity.get<AnonDetails>(); anon && identity.kind == FdKind::Memfd) {
        return {"name " + escaped(anon->name), anon->name, "names"};
    }
    if (const auto* netlink = identity.get<NetlinkDetails>();
        netlink && !netlink->protocol.empty()) {
        return {"protocol " + netlink->protocol, netlink->protocol, "protocols"};
    }
    return {};
}

bool is_deleted(const FdIdentity& identity) {
    if (const auto* path = identity.get<PathDetails>()) return path->deleted;
    if (const auto* unix_socket = identity.get<UnixDetails>()) return unix_socket->deleted;
    return false;
}

// Kinds whose other end is a process worth naming.
bool has_ends(const FdIdentity& identity) {
    switch (identity.kind) {
        case FdKind::Unix:
        case FdKind::Pipe:
        case FdKind::Fifo:
            return true;
        case FdKind::Tcp:
        case FdKind::Tcp6:
            return identity_state(identity) != "LISTEN";
        default:
            return false;
    }
}

using CoarseKey = std::tuple<std::string, bool, bool, std::string,
                             bool>;  // label, deleted, orphaned, state, peer

struct Accumulator {
    FdKind kind = FdKind::Unknown;
    CoarseKey coarse;
    Location location;
    long first = 0;
    long last = 0;
    std::vector<int> new_fds;
    std::set<std::string> peers;
    bool ends = false;
};

CoarseKey coarse_key(const FdIdentity& identity) {
    return {label_of(identity), is_deleted(identity), is_orphaned(identity),
            std::string(identity_state(identity)), identity.peer.has_value()};
}

// The same open file in two samples: same fd number, same inode (or, for
// fds without one, same kind and details).
bool same_file(const FdRow& a, const FdRow& b) {
    if (a.fd != b.fd || a.identity.kind != b.identity.kind) return false;
    if (a.identity.inode || b.identity.inode) return a.identity.inode == b.identity.inode;
    return a.identity.details == b.identity.details;
}

std::string peer_text(const PeerProcess& peer) {
    return escaped(peer.comm) + "[" + std::to_string(peer.pid) + "]";
}

// "/tmp/" for "/tmp/a", "/tmp/b"; "@leak-" for "@leak-1", "@leak-2".
std::string common_prefix(const std::vector<std::string>& values) {
    if (values.empty()) return {};
    std::string prefix = values.front();
    for (const std::string& value : values) {
        std::size_t n = 0;
        while (n < prefix.size() && n < value.size() && prefix[n] == value[n]) ++n;
        prefix.resize(n);
    }
    if (!prefix.starts_with('@')) {
        auto slash = prefix.rfind('/');
        prefix = slash == std::string::npos ? std::string() : prefix.substr(0, slash + 1);
    }
    return prefix;
}

LeakClass finish(const Accumulator& acc, const std::string& location_text) {
    LeakClass leak;
    leak.kind = acc.kind;
    std::tie(leak.label, leak.deleted, leak.orphaned, leak.state, leak.with_peer) = acc.coarse;
    leak.location = location_text;
    leak.first_count = acc.first;
    leak.last_count = acc.last;
    leak.new_fds = acc.new_fds;
    if (leak.with_peer && acc.peers.size() == 1) leak.peers = *acc.peers.begin();
    std::vector<std::string> parts;
    if (!leak.location.empty()) parts.push_back(leak.location);
    if (!leak.state.empty()) parts.push_back(leak.state);
    if (acc.ends) {
        if (!leak.with_peer)
            parts.push_back("none with a peer");
        else if (!leak.peers.empty())
            parts.push_back("all with peer " + leak.peers);
        else
            parts.push_back("all with a peer");
    }
    leak.description = leak.label;
    for (const std::string& part : parts) leak.description += ", " + part;
    return leak;
}

std::string location_with_deleted(const Location& location, bool deleted) {
    if (!deleted || location.text.empty()) return location.text;
    return location.text + " (deleted)";
}

}  // namespace

std::string fd_ranges_text(std::vector<int> fds, std::size_t max_parts) {
    std::sort(fds.begin(), fds.end());
    fds.erase(std::unique(fds.begin(), fds.end()), fds.end());
    std::string text;
    std::size_t parts = 0;
    for (std::size_t i = 0; i < fds.size();) {
        std::size_t j = i;
        while (j + 1 < fds.size() && fds[j + 1] == fds[j] + 1) ++j;
        if (parts == max_parts) {
            text += ",...";
            break;
        }
        if (parts++) text += ',';
        text += std::to_string(fds[i]);
        if (j > i) text += '-' + std::to_string(fds[j]);
        i = j + 1;
    }
    return text;
}

LeakReport analyze_leaks(std::span<const FdSnapshot> samples, std::optional<FdLimit> limit) {
    LeakReport report;
    report.limit = limit;
    if (samples.empty()) return report;
    const FdSnapshot& first = samples.front();
    const FdSnapshot& last = samples.back();
    report.pid = last.pid;
    report.comm = last.comm;
    for (const FdSnapshot& sample : samples) report.counts.push_back(sample.rows.size());
    report.elapsed_s = std::chrono::duration<double>(last.taken - first.taken).count();
    if (!last.rows.empty()) report.highest_fd = last.rows.back().fd;

    // Growth: per class, count in the first and the last sample.
    std::map<std::pair<CoarseKey, std::string>, Accumulator> classes;
    auto entry = [&](const FdIdentity& identity) -> Accumulator& {
        Location location = location_of(identity);
        CoarseKey coarse = coarse_key(identity);
        Accumulator& acc = classes[{coarse, location.value + '\0' + location.text}];
        acc.kind = identity.kind;
        acc.coarse = coarse;
        acc.location = location;
        acc.ends = acc.ends || has_ends(identity);
        return acc;
    };
    for (const FdRow& row : first.rows) ++entry(row.identity).first;
    if (samples.size() > 1) {
        std::size_t cursor = 0;  // rows are sorted by fd
        for (const FdRow& row : last.rows) {
            Accumulator& acc = entry(row.identity);
            ++acc.last;
            while (cursor < first.rows.size() && first.rows[cursor].fd < row.fd) ++cursor;
            bool existed = cursor < first.rows.size() && same_file(first.rows[cursor], row);
            if (existed) continue;
            acc.new_fds.push_back(row.fd);
            if (row.identity.peer) acc.peers.insert(peer_text(*row.identity.peer));
        }
    } else {
        for (auto& [key, acc] : classes) acc.last = acc.first;
    }

    // One line per place that grew by more than one; places that grew by one
    // each (mkstemp names, ephemeral ports) share a line per coarse class.
    std::map<CoarseKey, std::vector<const Accumulator*>> singles;
    for (const auto& [key, acc] : classes) {
        long delta = acc.last - acc.first;
        if (delta <= 0) continue;
        if (delta == 1 && !acc.location.value.empty()) {
            singles[acc.coarse].push_back(&acc);
        } else {
            report.growth.push_back(
                finish(acc, location_with_deleted(acc.location, std::get<1>(acc.coarse))));
        }
    }
    for (const auto& [coarse, group] : singles) {
        if (group.size() == 1) {
            const Accumulator& acc = *group.front();
            report.growth.push_back(
                finish(acc, location_with_deleted(acc.location, std::get<1>(coarse))));
            continue;
        }
        Accumulator merged = *group.front();
        merged.first = merged.last = 0;
        merged.new_fds.clear();
        merged.peers.clear();
        std::vector<std::string> values;
        for (const Accumulator* acc : group) {
            merged.first += acc->first;
            merged.last += acc->last;
            merged.new_fds.insert(merged.new_fds.end(), acc->new_fds.begin(), acc->new_fds.end());
            merged.peers.insert(acc->peers.begin(), acc->peers.end());
            values.push_back(acc->location.value);
        }
        std::string text = std::to_string(group.size()) + " distinct " + merged.location.plural;
        std::string prefix = common_prefix(values);
        if (!prefix.empty()) {
            text += (prefix.starts_with('@') ? " starting " : " under ") + escaped(prefix);
        }
        if (std::get<1>(coarse)) text += ", all deleted";
        report.growth.push_back(finish(merged, text));
    }
    std::stable_sort(report.growth.begin(), report.growth.end(),
                     [](const LeakClass& a, const LeakClass& b) { return a.delta() > b.delta(); });

    // Held on what nobody can reach, in the last sample.
    std::map<std::string, OrphanGroup> orphans;
    for (const FdRow& row : last.rows) {
        if (!is_orphaned(row.identity)) continue;
        FdIdentity key = row.identity;
        key.inode.reset();
        key.peer.reset();
        if (auto* unix_socket = key.get<UnixDetails>()) unix_socket->peer_inode = 0;
        std::string text = label_of(key) + '\0' + location_of(key).text + '\0' +
                           (is_deleted(key) ? "d" : "") + '\0' + std::string(identity_state(key));
        OrphanGroup& group = orphans[text];
        if (group.fds.empty()) group.identity = row.identity;
        group.fds.push_back(row.fd);
    }
    // One fd each on distinct names of one class: one group, as for growth.
    std::map<std::string, std::vector<OrphanGroup*>> singles_by_class;
    for (auto& [text, group] : orphans) {
        if (group.fds.size() != 1) continue;
        const FdIdentity& identity = group.identity;
        singles_by_class[label_of(identity) + '\0' + (is_deleted(identity) ? "d" : "") + '\0' +
                         location_of(identity).plural + '\0' +
                         std::string(identity_state(identity))]
            .push_back(&group);
    }
    for (auto& [key, groups] : singles_by_class) {
        if (groups.size() < 2) continue;
        OrphanGroup merged;
        merged.identity = groups.front()->identity;
        std::vector<std::string> values;
        for (OrphanGroup* group : groups) {
            merged.fds.push_back(group->fds.front());
            values.push_back(location_of(group->identity).value);
            group->fds.clear();
        }
        std::sort(merged.fds.begin(), merged.fds.end());
        merged.summary = label_of(merged.identity) + ", " + std::to_string(groups.size()) +
                         " distinct " + location_of(merged.identity).plural;
        std::string prefix = common_prefix(values);
        if (!prefix.empty()) {
            merged.summary +=
                (prefix.starts_with('@') ? " starting " : " under ") + escaped(prefix);
        }
        if (is_deleted(merged.identity)) merged.summary += ", all deleted";
        if (merged.identity.kind == FdKind::Unix && !is_deleted(merged.identity)) {
            merged.summary += ", none with a peer";
        }
        report.orphaned.push_back(std::move(merged));
    }
    for (auto& [text, group] : orphans)
        if (!group.fds.empty()) report.orphaned.push_back(std::move(group));
    std::stable_sort(
        report.orphaned.begin(), report.orphaned.end(),
        [](const OrphanGroup& a, const OrphanGroup& b) { return a.fds.size() > b.fds.size(); });
    return report;
}

// ---- output ------------------------------------------------------------------------

namespace {

std::string number_text(double value, const char* format = "%.1f") {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

std::string orphan_text(const OrphanGroup& group, IdentityFormatter& formatter) {
    if (!group.summary.empty()) return group.summary;
    FdIdentity identity = group.identity;
    identity.peer.reset();
    std::string text = formatter.text(identity);
    if (const auto* unix_socket = identity.get<UnixDetails>();
        unix_socket && unix_socket->path.starts_with('@')) {
        text += ", no peer";
    }
    return text;
}

std::optional<long> fds_left(const LeakReport& report) {
    if (!report.limit || !report.limit->soft || report.counts.empty()) return std::nullopt;
    return static_cast<long>(*report.limit->soft) - static_cast<long>(report.counts.back());
}

}  // namespace

void render_leaks_text(std::string& out, const LeakReport& report, IdentityFormatter& formatter) {
    out += "pid " + std::to_string(report.pid) + " (";
    append_escaped(out, report.comm);
    out += "): ";
    if (report.counts.size() > 1) {
        out += std::to_string(report.counts.size()) + " samples over " +
               number_text(report.elapsed_s, "%.2f") + " s: ";
        std::size_t shown = 0;
        for (std::size_t i = 0; i < report.counts.size(); ++i) {
            // Long series: first three, "...", last two.
            if (report.counts.size() > 6 && i >= 3 && i + 2 < report.counts.size()) {
                if (shown == 3) out += " → ...";
                shown = 4;
                continue;
            }
            if (i) out += " → ";
            out += std::to_string(report.counts[i]);
            if (shown < 3) ++shown;
        }
        long delta = report.total_delta();
        out += " fds (" + std::string(delta >= 0 ? "+" : "") + std::to_string(delta);
        if (report.elapsed_s > 0) out += ", " + number_text(report.rate_per_s()) + "/s";
        out += ")\n";
    } else {
        out += std::to_string(report.counts.empty() ? 0 : report.counts.back()) + " fds\n";
    }
    if (report.exited)
        out += "  the process exited after sample " + std::to_string(report.counts.size()) +
               "; what follows is as of that sample\n";

    if (report.counts.size() > 1) {
        if (report.growth.empty()) {
            out += "no class of fd grew\n";
        } else {
            out += "grew:\n";
            for (const LeakClass& leak : report.growth) {
                out += "  +" + std::to_string(leak.delta()) + " " + leak.description;
                if (!leak.new_fds.empty()) out += "  [fds " + fd_ranges_text(leak.new_fds) + "]";
                out += '\n';
            }
        }
    }

    if (report.orphaned.empty()) {
        out += "no fds on deleted files or unreachable unix sockets\n";
    } else {
        out += "held on deleted files and unreachable unix sockets:\n";
        TextTable table({"COUNT", "IDENTITY", "FDS"});
        table.set_right_aligned(0);
        table.set_max_width(1, 60);
        constexpr std::size_t kMaxGroups = 20;
        std::size_t hidden = 0;
        for (std::size_t i = 0; i < report.orphaned.size(); ++i) {
            if (i >= kMaxGroups) {
                hidden += report.orphaned[i].fds.size();
                continue;
            }
            const OrphanGroup& group = report.orphaned[i];
            table.add_row({std::to_string(group.fds.size()), orphan_text(group, formatter),
                           fd_ranges_text(group.fds)});
        }
        std::string rendered;
        table.render(rendered);
        for (std::string_view line : split_lines(rendered)) {
            if (line.empty()) continue;
            out += "  ";
            out += line;
            out += '\n';
        }
        if (hidden) out += "  ... and " + std::to_string(hidden) + " more\n";
    }

    out += "limit: ";
    out += std::to_string(report.counts.empty() ? 0 : report.counts.back()) + " open";
    if (report.highest_fd >= 0) out += " (highest fd " + std::to_string(report.highest_fd) + ")";
    if (!report.limit) {
        out += ", RLIMIT_NOFILE unknown\n";
        return;
    }
    auto limit_text = [](const std::optional<std::uint64_t>& value) {
        return value ? std::to_string(*value) : std::string("unlimited");
    };
    out += ", RLIMIT_NOFILE " + limit_text(report.limit->soft) + " (hard " +
           limit_text(report.limit->hard) + ")";
    if (auto left = fds_left(report)) {
        out += ": " + std::to_string(*left) + " left";
        double rate = report.rate_per_s();
        if (rate > 0 && *left > 0) {
            out += "; at +" + number_text(rate) + "/s, full in about " +
                   number_text(*left / rate, *left / rate < 10 ? "%.1f" : "%.0f") + " s";
        } else if (*left <= 0) {
            out += ": the next open fails with EMFILE";
        }
    }
    out += '\n';
}

void render_leaks_json(std::string& out, const LeakReport& report, IdentityFormatter& formatter) {
    out += "{\"pid\":" + std::to_string(report.pid) + ",\"comm\":";
    append_json_string(out, report.comm);
    out += ",\"counts\":[";
    for (std::size_t i = 0; i < report.counts.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(report.counts[i]);
    }
    out += "],\"elapsed_s\":" + number_text(report.elapsed_s, "%.3f");
    out += ",\"delta\":" + std::to_string(report.total_delta());
    out += ",\"rate_per_s\":" + number_text(report.rate_per_s(), "%.3f");
    if (report.exited) out += ",\"exited\":true";
    out += ",\"growth\":[";
    for (std::size_t i = 0; i < report.growth.size(); ++i) {
        const LeakClass& leak = report.growth[i];
        if (i) out += ',';
        out += "{\"delta\":" + std::to_string(leak.delta()) + ",\"kind\":\"";
        out += kind_name(leak.kind);
        out += "\",\"label\":";
        append_json_string(out, leak.label);
        if (!leak.location.empty()) {
            out += ",\"location\":";
            append_json_string(out, leak.location);
        }
        if (!leak.state.empty()) {
            out += ",\"state\":";
            append_json_string(out, leak.state);
        }
        out += std::string(",\"deleted\":") + (leak.deleted ? "true" : "false");
        out += std::string(",\"orphaned\":") + (leak.orphaned ? "true" : "false");
        out += std::string(",\"with_peer\":") + (leak.with_peer ? "true" : "false");
        if (!leak.peers.empty()) {
            out += ",\"peer\":";
            append_json_string(out, leak.peers);
        }
        out += ",\"first\":" + std::to_string(leak.first_count) +
               ",\"last\":" + std::to_string(leak.last_count) + ",\"new_fds\":[";
        for (std::size_t j = 0; j < leak.new_fds.size(); ++j) {
            if (j) out += ',';
            out += std::to_string(leak.new_fds[j]);
        }
        out += "],\"text\":";
        append_json_string(out, leak.description);
        out += '}';
    }
    out += "],\"orphaned\":[";
    for (std::size_t i = 0; i < report.orphaned.size(); ++i) {
        const OrphanGroup& group = report.orphaned[i];
        if (i) out += ',';
        out += "{\"count\":" + std::to_string(group.fds.size()) + ",\"fds\":[";
        for (std::size_t j = 0; j < group.fds.size(); ++j) {
            if (j) out += ',';
            out += std::to_string(group.fds[j]);
        }
        out += "],";
        if (!group.summary.empty()) {
            out += "\"summary\":";
            append_json_string(out, group.summary);
            out += ',';
        }
        append_process_identity_fields(out, group.identity);
        out += ",\"text\":";
        append_json_string(out, orphan_text(group, formatter));
        out += '}';
    }
    out += "],\"limit\":{\"open\":" +
           std::to_string(report.counts.empty() ? 0 : report.counts.back()) +
           ",\"highest_fd\":" + std::to_string(report.highest_fd);
    if (report.limit) {
        out += ",\"soft\":" + (report.limit->soft ? std::to_string(*report.limit->soft) : "null");
        out += ",\"hard\":" + (report.limit->hard ? std::to_string(*report.limit->hard) : "null");
    }
    if (auto left = fds_left(report)) {
        out += ",\"left\":" + std::to_string(*left);
        double rate = report.rate_per_s();
        if (rate > 0 && *left > 0)
            out += ",\"seconds_to_limit\":" + number_text(*left / rate, "%.1f");
    }
    out += "}}\n";
}

}  // namespace fdtrace
