// `fdtrace fds`: the lsof view, one row per fd with its identity, of given
// processes or of every process on the host (lsof's -i, -s, -c, -u, +L1).
#include <boost/program_options.hpp>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "fdtrace/cli.h"
#include "fdtrace/fd_query.h"
#include "fdtrace/fd_snapshot.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/render.h"
#include "src/cli/diagnose_cli.h"

namespace fdtrace {
namespace po = boost::program_options;
namespace {

// lsof's spellings that are not options to program_options: +L1 (files with
// fewer than one link) is --deleted.
std::vector<std::string> lsof_spellings(std::vector<std::string> args) {
    for (std::string& arg : args) {
        if (arg == "+L1") arg = "--deleted";
    }
    return args;
}

int fds(const std::vector<std::string>& args) {
    po::options_description options(
        "fdtrace fds [-p PID...] [options]\n"
        "Lists open fds with what each is: of the processes given with -p, else of every process\n"
        "on the host, in every network namespace. Filters combine with AND (lsof's -a).\n"
        "Status: 0 something listed, 1 nothing matched, 2 bad usage or no such process,\n"
        "3 not allowed to read a process");
    std::vector<std::string> pid_values;
    std::string format = "text";
    std::vector<std::string> inet;
    std::vector<std::string> states;
    std::string fd_list;
    std::vector<std::string> kinds;
    std::vector<std::string> commands;
    std::vector<std::string> users;
    // clang-format off
    options.add_options()
        ("help,h", "show this help")
        ("pid,p", po::value(&pid_values)->composing(),
         "process to list (repeat, or 12,13); a gone one is reported and the others listed")
        ("inet,i", po::value(&inet)->implicit_value(std::vector<std::string>{""}, "")->composing(),
         "internet sockets only; -i[46][TCP|UDP][@HOST][:PORT] narrows, as lsof "
         "(-i:3306, -i:mysql, -iTCP@127.0.0.1:80, -i@localhost); repeated: either (-i:22 -i:80)")
        ("state,s", po::value(&states)->composing(),
         "PROTO:STATE[,STATE] (TCP, UDP, UNIX), e.g. -sTCP:LISTEN; PROTO:^STATE excludes. "
         "TCP: lsof's names (LISTEN ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 "
         "TIME_WAIT CLOSE CLOSED CLOSE_WAIT LAST_ACK CLOSING), ss's ESTAB and SYN_RECEIVED, "
         "the kernel's NEW_SYN_RECV BOUND_INACTIVE; UDP: Unbound Idle UNCONNECTED UNCONN "
         "ESTABLISHED ESTAB; UNIX: LISTEN ESTABLISHED ESTAB UNCONNECTED UNCONN SYN_SENT; "
         "a name not listed is an error")
        ("command,c", po::value(&commands)->composing(),
         "processes whose command begins with COMM (repeat: any), /REGEX/[i], ^COMM excludes")
        ("user,u", po::value(&users)->composing(),
         "processes of USER (login or uid, comma list; ^USER excludes)")
        ("fd,d", po::value(&fd_list), "fd numbers, e.g. 3,5-7,10-")
        ("deleted", "deleted files, unlinked unix socket paths and abstract sockets without a "
         "peer (+L1 is accepted for it)")
        ("kind", po::value(&kinds)->composing(), "kinds: unix, tcp, tcp6, file, pipe, ... (comma list)")
        ("numeric,n", "numeric ports, no service names")
        (",P", "numeric ports (lsof's -P; the same as -n here)")
        (",a", "AND the filters (lsof's -a; always so here)")
        ("format", po::value(&format)->default_value("text"), "text | json (JSON Lines, one object per fd)");
    // clang-format on
    po::variables_map vm;
    try {
        po::parsed_options parsed =
            po::command_line_parser(lsof_spellings(args)).options(options).run();
        po::store(parsed, vm);
        po::notify(vm);
        // A word that is no option (lsof would take it for a file name, which
        // fds does not do) is an error, not silently dropped.
        for (const std::string& word :
             po::collect_unrecognized(parsed.options, po::include_positional)) {
            print_error("fds: unexpected argument '" + word + "' (try 'fdtrace fds --help')");
            return kExitUsage;
        }
    } catch (const po::error& error) {
        print_error(std::string("fds: ") + error.what() + " (try 'fdtrace fds --help')");
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << options;
        return kExitOk;
    }
    if (!check_choice("fds: --format", format, {"text", "json"})) return kExitUsage;
    auto pids = parse_pid_list("fds", pid_values);
    if (!pids) return kExitUsage;

    FdFilter filter;
    ProcessFilter processes;
    std::string error;
    auto fail = [&]() {
        print_error("fds: " + error);
        return kExitUsage;
    };
    for (const std::string& text : inet) {  // repeated: any of them, as lsof
        auto selector = parse_inet_selector(text, error);
        if (!selector) return fail();
        filter.inet.push_back(*selector);
    }
    for (const std::string& text : states) {
        auto selector = parse_state_selector(text, error);
        if (!selector) return fail();
        filter.states.push_back(*selector);
    }
    if (vm.count("fd")) {
        auto ranges = parse_fd_ranges(fd_list, error);
        if (!ranges) return fail();
        filter.fds = *ranges;
    }
    for (const std::string& text : kinds) {
        auto parsed = parse_kinds(text, error);
        if (!parsed) return fail();
        filter.kinds.insert(filter.kinds.end(), parsed->begin(), parsed->end());
    }
    filter.orphaned_only = vm.count("deleted") > 0;
    for (const std::string& text : commands) {
        auto selector = parse_command_selector(text, error);
        if (!selector) return fail();
        processes.commands.push_back(std::move(*selector));
    }
    for (const std::string& text : users) {
        auto selectors = parse_user_selectors(text, error);
        if (!selectors) return fail();
        processes.users.insert(processes.users.end(), selectors->begin(), selectors->end());
    }

    ProcResolver resolver;
    FdQueryResult result = query_fds(resolver, *pids, processes, filter);
    // Each process that could not be read is reported and the others listed,
    // as lsof and strace do; it decides the status only when all failed.
    int status = kExitOk;
    for (const ProcessError& failed : result.errors) {
        int failed_status = report_process_error("fds", failed.pid, failed.error);
        if (status == kExitOk) status = failed_status;
    }
    if (!result.errors.empty() && result.errors.size() < pids->size()) status = kExitOk;

    FormatOptions text_options;
    text_options.numeric = vm.count("numeric") > 0 || vm.count("P") > 0;
    IdentityFormatter formatter(text_options);
    std::string out;
    if (format == "json") {
        for (const FdSnapshot& snapshot : result.snapshots)
            render_fd_json(out, snapshot, formatter);
    } else {
        render_fd_table(out, result.snapshots, formatter);
    }
    if (int written = write_output("fds", std::move(out)); written != kExitOk) return written;
    if (!result.snapshots.empty()) return kExitOk;
    // Nothing listed: lsof's status 1, unless every process asked for failed.
    return status != kExitOk ? status : kExitNothingFound;
}

}  // namespace

int run_fds(const std::vector<std::string>& args) {
    try {
        return fds(args);
    } catch (const std::exception& error) {
        print_error(std::string("fds: ") + error.what());
        return kExitSystem;
    }
}

}  // namespace fdtrace
