// Scores fdtrace's recovered identities against strace's own: every fixture
// was recorded by real programs under `strace -f -yy`, then stripped to the
// plain log a user would have. For every fd strace annotated, we compare the
// kind and every detail strace showed with what `annotate` says on the plain
// log. See docs/ACCURACY.md for the figures and the misses explained.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fdtrace/annotator.h"
#include "fdtrace/fd_sites.h"
#include "fdtrace/render.h"
#include "fdtrace/strace_line.h"
#include "fdtrace/syscall_table.h"
#include "fdtrace/yy_annotation.h"

namespace fdtrace {
namespace {

namespace fs = std::filesystem;

struct Tally {
    long fds = 0, kind_ok = 0, details = 0, details_ok = 0;
    // fds that existed before the log began and that no line reveals: the log
    // cannot know them (fdtrace says "inherited"; --pid names them live).
    long inherited = 0, inherited_details = 0;
    // fds from before the log named at their first use from a later line
    // (the second of two reads), and how many of them were right.
    long revealed_later = 0, revealed_kind_ok = 0;
    long local_shown = 0, local_ok = 0;  // ephemeral local ports (reported, not gated)
    std::map<std::string, long> misses;  // a few examples per kind of miss
};

struct Line {
    std::string text;
    int pid = 0;
    std::string time;
};

std::vector<Line> read_lines(const fs::path& path, int pid) {
    std::ifstream in(path, std::ios::binary);
    std::vector<Line> lines;
    std::string text;
    while (std::getline(in, text)) {
        Line line{text, pid, {}};
        line.time = std::string(parse_strace_line(line.text, pid).time);
        lines.push_back(std::move(line));
    }
    return lines;
}

// A fixture: one log, or the per-pid files of `strace -ff`, merged by time.
std::vector<Line> read_fixture(const std::vector<fs::path>& files) {
    std::vector<Line> all;
    for (const auto& file : files) {
        int pid = 0;
        std::string extension = file.extension().string();
        if (files.size() > 1 && extension.size() > 1) pid = std::atoi(extension.c_str() + 1);
        auto lines = read_lines(file, pid);
        all.insert(all.end(), lines.begin(), lines.end());
    }
    if (files.size() > 1)
        std::stable_sort(all.begin(), all.end(),
                         [](const Line& a, const Line& b) { return a.time < b.time; });
    return all;
}

// strace's annotations on one -yy line, in text order.
using Site = std::pair<std::pair<int, FdRole>, FdIdentity>;

std::vector<Site> strace_identities(const Line& line) {
    std::vector<Site> out;
    SyscallEvent event = parse_strace_line(line.text, line.pid);
    if (event.kind != EventKind::Syscall) return out;
    const SyscallSignature* signature = find_syscall(event.name);
    if (!signature || event.resumed) return out;
    find_fd_sites(*signature, line.text, event.args, event.args_offset, event);
    for (const FdSite& site : event.fds) {
        if (site.existing_annotation.empty()) continue;
        if (auto identity = parse_yy_annotation(site.existing_annotation, DeletedMarker::Outside))
            out.push_back({{site.fd, site.role}, *identity});
    }
    return out;
}

bool path_like(FdKind kind) {
    return kind == FdKind::File || kind == FdKind::Dir || kind == FdKind::Fifo;
}

bool kind_matches(const FdIdentity& theirs, const FdIdentity& ours) {
    if (theirs.kind == ours.kind) return true;
    // strace prints files, directories and named fifos alike, as a path.
    if (path_like(theirs.kind) && path_like(ours.kind)) return true;
    // "socket:[ino]": strace could not tell the family; any socket kind is right.
    if (theirs.kind == FdKind::Socket && is_socket_kind(ours.kind)) return true;
    return false;
}

// How many details strace showed of an fd (what `score` compares).
long details_shown(const FdIdentity& theirs) {
    if (const auto* path = theirs.get<PathDetails>()) return !path->path.empty();
    if (const auto* inet = theirs.get<InetDetails>())
        return !(inet->remote.empty() ? inet->local : inet->remote).empty();
    if (const auto* unix_socket = theirs.get<UnixDetails>()) return !unix_socket->path.empty();
    if (const auto* netlink = theirs.get<NetlinkDetails>()) return !netlink->protocol.empty();
    if (theirs.get<PidfdDetails>()) return 1;
    if (theirs.get<AnonDetails>() && theirs.kind == FdKind::Memfd) return 1;
    return 0;
}

void score(const FdIdentity& theirs, const FdIdentity& ours, Tally& tally, const std::string& where,
           bool revealed_later = false) {
    if (ours.kind == FdKind::Unknown && ours.source == FdSource::Inherited) {
        ++tally.inherited;
        tally.inherited_details += details_shown(theirs);
        return;
    }
    if (revealed_later) {
        ++tally.revealed_later;
        if (kind_matches(theirs, ours)) ++tally.revealed_kind_ok;
    }
    ++tally.fds;
    auto miss = [&](const std::string& what) {
        auto& count = tally.misses[what];
        if (++count <= 3) std::cout << "  miss " << what << " at " << where << "\n";
    };
    if (kind_matches(theirs, ours))
        ++tally.kind_ok;
    else
        miss("kind " + std::string(kind_name(theirs.kind)) + " as " +
             std::string(kind_name(ours.kind)));

    auto detail = [&](const std::string& name, const std::string& want, const std::string& got) {
        if (want.empty()) return;
        ++tally.details;
        if (want == got)
            ++tally.details_ok;
        else
            miss(name + " '" + want + "' as '" + got + "'");
    };
    if (const auto* path = theirs.get<PathDetails>()) {
        const auto* mine = ours.get<PathDetails>();
        detail("path", path->path, mine ? mine->path : "");
    } else if (const auto* inet = theirs.get<InetDetails>()) {
        const auto* mine = ours.get<InetDetails>();
        if (!inet->remote.empty()) {
            detail("remote", inet->remote, mine ? mine->remote : "");
            ++tally.local_shown;
            if (mine && mine->local == inet->local) ++tally.local_ok;
        } else {
            detail("listening/bound", inet->local, mine ? mine->local : "");
        }
    } else if (const auto* unix_socket = theirs.get<UnixDetails>()) {
        const auto* mine = ours.get<UnixDetails>();
        detail("unix path", unix_socket->path, mine ? mine->path : "");
    } else if (const auto* netlink = theirs.get<NetlinkDetails>()) {
        const auto* mine = ours.get<NetlinkDetails>();
        detail("netlink protocol", netlink->protocol, mine ? mine->protocol : "");
    } else if (const auto* pidfd = theirs.get<PidfdDetails>()) {
        const auto* mine = ours.get<PidfdDetails>();
        detail("pidfd pid", std::to_string(pidfd->pid), mine ? std::to_string(mine->pid) : "");
    } else if (const auto* anon = theirs.get<AnonDetails>(); anon && theirs.kind == FdKind::Memfd) {
        const auto* mine = ours.get<AnonDetails>();
        detail("memfd name", anon->name, mine ? mine->name : "");
    }
}

Tally score_fixture(const std::vector<fs::path>& yy_files, const std::vector<fs::path>& plain_files,
                    const std::string& name) {
    Tally tally;
    auto yy = read_fixture(yy_files);
    auto plain = read_fixture(plain_files);
    EXPECT_EQ(yy.size(), plain.size()) << name;
    if (yy.size() != plain.size()) return tally;

    AnnotateOptions options;
    options.text.numeric = true;
    options.replay.realpath = true;  // recorded on a machine laid out like this one
    // Two reads, as `fdtrace annotate FILE` does: the first learns what later
    // lines reveal of fds from before the log.
    RevealIndex reveals;
    std::string sink;
    {
        Annotator first(options);
        first.collect_reveals(reveals);
        for (const Line& line : plain) first.feed(line.text, sink, line.pid);
    }
    Annotator annotator(options);
    annotator.name_ahead(std::move(reveals));
    std::vector<Site> ours;
    std::vector<bool> ahead;
    std::vector<std::uint64_t> ordinals;
    int line_pid = 0;
    annotator.set_observer([&](const SyscallEvent& event, std::span<const ResolvedFd> fds) {
        line_pid = event.pid;
        ours.clear();
        ahead.clear();
        ordinals.clear();
        for (const ResolvedFd& fd : fds)
            if (fd.identity) {
                ours.push_back({{fd.site.fd, fd.site.role}, *fd.identity});
                ahead.push_back(fd.revealed_line != 0);
                const auto* process = annotator.model().find_process(event.pid);
                const FdEntry* entry = process ? process->fds->find(fd.site.fd) : nullptr;
                // Only if the line left that number to the same open file.
                const bool same = entry && fd.file_id != 0 && entry->file->id == fd.file_id;
                ordinals.push_back(same ? entry->file->inherited_ordinal : 0);
            }
    });
    // FDTRACE_SCORE_DUMP=FILE appends every site of an fd from before the log,
    // tab-separated: fixture, line, pid, fd, the ordinal of its open file
    // (0: none from before the log, or the line replaced it), never|named,
    // strace's identity, the plain line. To study what the logs leave
    // unknown (docs/ACCURACY.md).
    std::ofstream dump;
    IdentityFormatter dump_formatter(options.text);
    if (const char* dump_path = std::getenv("FDTRACE_SCORE_DUMP"))
        dump.open(dump_path, std::ios::app);
    for (std::size_t i = 0; i < yy.size(); ++i) {
        sink.clear();
        ours.clear();
        annotator.feed(plain[i].text, sink, plain[i].pid);
        auto theirs = strace_identities(yy[i]);
        std::size_t mine = 0;
        for (const auto& [fd, identity] : theirs) {
            while (mine < ours.size() && ours[mine].first != fd) ++mine;  // same fd, same role
            std::string where = name + ":" + std::to_string(i + 1);
            if (mine == ours.size()) {
                FdIdentity none;
                score(identity, none, tally, where);
                continue;
            }
            score(identity, ours[mine].second, tally, where, ahead[mine]);
            const FdIdentity& got = ours[mine].second;
            const bool never = got.kind == FdKind::Unknown && got.source == FdSource::Inherited;
            if (dump.is_open() && (never || ordinals[mine] != 0)) {
                dump << name << '\t' << i + 1 << '\t' << line_pid << '\t' << fd.first << '\t'
                     << ordinals[mine] << '\t' << (never ? "never" : "named") << '\t'
                     << dump_formatter.text(identity) << '\t' << plain[i].text << '\n';
            }
            ++mine;
        }
    }
    return tally;
}

std::string percent(long part, long whole) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << (whole ? 100.0 * part / whole : 100.0) << "%";
    return out.str();
}

TEST(FixtureScore, RecoversWhatStraceYyShowed) {
    // FDTRACE_SCORE_FIXTURES=DIR scores the recordings of one directory
    // (a fresh set, say) instead of fixtures/.
    const char* only = std::getenv("FDTRACE_SCORE_FIXTURES");
    fs::path dir = only && *only ? fs::path(only) : fs::path(FDTRACE_SOURCE_DIR) / "fixtures";
    // name -> files (several for -ff)
    std::map<std::string, std::pair<std::vector<fs::path>, std::vector<fs::path>>> fixtures;
    for (const auto& entry : fs::directory_iterator(dir)) {
        std::string file = entry.path().filename().string();
        for (const char* marker : {".yy.log", ".plain.log"}) {
            std::size_t at = file.find(marker);
            if (at == std::string::npos) continue;
            auto& slot = fixtures[file.substr(0, at)];
            (std::string(marker) == ".yy.log" ? slot.first : slot.second).push_back(entry.path());
        }
    }
    if (!only || !*only) ASSERT_GE(fixtures.size(), 8u) << "fixtures/ should hold real recordings";
    Tally total;
    std::cout << std::left << std::setw(28) << "fixture" << std::setw(8) << "fds" << std::setw(10)
              << "kind" << std::setw(10) << "details" << std::setw(12) << "local port"
              << std::setw(12) << "revealed"
              << "inherited, never revealed\n";
    for (auto& [name, files] : fixtures) {
        std::sort(files.first.begin(), files.first.end());
        std::sort(files.second.begin(), files.second.end());
        if (files.first.empty() || files.second.empty()) continue;
        Tally tally = score_fixture(files.first, files.second, name);
        std::cout << std::left << std::setw(28) << name << std::setw(8) << tally.fds
                  << std::setw(10) << percent(tally.kind_ok, tally.fds) << std::setw(10)
                  << percent(tally.details_ok, tally.details) << std::setw(12)
                  << percent(tally.local_ok, tally.local_shown) << std::setw(12)
                  << tally.revealed_later << tally.inherited << "\n";
        total.fds += tally.fds;
        total.inherited += tally.inherited;
        total.inherited_details += tally.inherited_details;
        total.revealed_later += tally.revealed_later;
        total.revealed_kind_ok += tally.revealed_kind_ok;
        total.kind_ok += tally.kind_ok;
        total.details += tally.details;
        total.details_ok += tally.details_ok;
        total.local_shown += tally.local_shown;
        total.local_ok += tally.local_ok;
        for (const auto& [what, count] : tally.misses) total.misses[what] += count;
    }
    std::cout << std::left << std::setw(28) << "TOTAL" << std::setw(8) << total.fds << std::setw(10)
              << percent(total.kind_ok, total.fds) << std::setw(10)
              << percent(total.details_ok, total.details) << std::setw(12)
              << percent(total.local_ok, total.local_shown) << std::setw(12) << total.revealed_later
              << total.inherited << "\n";
    long all = total.fds + total.inherited;
    long all_details = total.details + total.inherited_details;
    std::cout << "all fds strace annotated (inherited, never revealed, count as misses): kind "
              << percent(total.kind_ok, all) << " of " << all << ", details "
              << percent(total.details_ok, all_details) << " of " << all_details << "\n";
    std::cout << "named at first use from a later line: " << total.revealed_later << ", kind right "
              << percent(total.revealed_kind_ok, total.revealed_later) << "\n";
    std::vector<std::pair<long, std::string>> worst;
    for (const auto& [what, count] : total.misses) worst.emplace_back(count, what);
    std::sort(worst.rbegin(), worst.rend());
    for (std::size_t i = 0; i < worst.size() && i < 15; ++i)
        std::cout << "  " << worst[i].first << "x " << worst[i].second << "\n";

    if (only && *only) return;  // a chosen set: the figures are the result
    ASSERT_GT(total.fds, 1000);
    EXPECT_GE(100.0 * total.kind_ok / total.fds, 98.0);
    EXPECT_GE(100.0 * total.details_ok / total.details, 90.0);
}

}  // namespace
}  // namespace fdtrace
