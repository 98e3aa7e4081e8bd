// `fdtrace fds -p PID`: the lsof view, one row per fd with its identity.
#include <boost/program_options.hpp>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "fdtrace/cli.h"
#include "fdtrace/fd_snapshot.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/render.h"
#include "src/cli/diagnose_cli.h"

namespace fdtrace {
namespace po = boost::program_options;
namespace {

int fds(const std::vector<std::string>& args) {
    po::options_description options(
        "fdtrace fds -p PID [-p PID...] [options]\n"
        "Lists every open fd of the processes with what it is. Filters combine with AND");
    std::vector<std::string> pid_values;
    std::string format = "text";
    std::string inet;
    std::vector<std::string> states;
    std::string fd_list;
    std::vector<std::string> kinds;
    // clang-format off
    options.add_options()
        ("help,h", "show this help")
        ("pid,p", po::value(&pid_values)->composing(), "process to list (repeat, or 12,13)")
        ("inet,i", po::value(&inet)->implicit_value(""),
         "internet sockets only; -i[46][TCP|UDP][@ADDR][:PORT] narrows, as lsof")
        ("state,s", po::value(&states)->composing(),
         "PROTO:STATE[,STATE] (TCP, UDP, UNIX), e.g. TCP:LISTEN; PROTO:^STATE excludes")
        ("fd,d", po::value(&fd_list), "fd numbers, e.g. 3,5-7,10-")
        ("deleted", "deleted files, unlinked unix socket paths and abstract sockets without a peer")
        ("kind", po::value(&kinds)->composing(), "kinds: unix, tcp, tcp6, file, pipe, ... (comma list)")
        ("numeric,n", "numeric ports, no service names")
        ("format", po::value(&format)->default_value("text"), "text | json (JSON Lines, one object per fd)");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).run(), vm);
        po::notify(vm);
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
    if (pids->empty()) {
        print_error("fds: which process? give -p PID (try 'fdtrace fds --help')");
        return kExitUsage;
    }

    FdFilter filter;
    std::string error;
    auto fail = [&]() {
        print_error("fds: " + error);
        return kExitUsage;
    };
    if (vm.count("inet")) {
        auto selector = parse_inet_selector(inet, error);
        if (!selector) return fail();
        filter.inet = *selector;
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

    // Every pid is checked before anything is printed.
    for (int pid : *pids) {
        if (auto problem = check_process_access(pid))
            return report_process_error("fds", pid, *problem);
    }
    ProcResolver resolver;
    std::vector<FdSnapshot> snapshots;
    for (int pid : *pids) {
        auto snapshot = take_fd_snapshot(resolver, pid);
        if (!snapshot) return report_process_error("fds", pid, snapshot.error());
        snapshot->rows = filter_rows(filter, snapshot->rows);
        snapshots.push_back(std::move(snapshot).value());
    }

    FormatOptions text_options;
    text_options.numeric = vm.count("numeric") > 0;
    IdentityFormatter formatter(text_options);
    std::string out;
    if (format == "json") {
        for (const FdSnapshot& snapshot : snapshots) render_fd_json(out, snapshot, formatter);
    } else {
        render_fd_table(out, snapshots, formatter);
    }
    return write_output("fds", std::move(out));
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
