// `fdtrace stuck -p PID`: what each thread is blocked in, and what ends it.
#include <boost/program_options.hpp>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "fdtrace/cli.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/render.h"
#include "fdtrace/stuck.h"
#include "src/cli/diagnose_cli.h"

namespace fdtrace {
namespace po = boost::program_options;
namespace {

int stuck(const std::vector<std::string>& args) {
    po::options_description options(
        "fdtrace stuck -p PID [options]\n"
        "What every thread of a process is blocked in, on which fds, since when, and what\n"
        "would end the wait. Needs no ptrace: works while strace or gdb is attached");
    std::vector<std::string> pid_values;
    std::vector<std::string> tid_values;
    std::string format = "text";
    // clang-format off
    options.add_options()
        ("help,h", "show this help")
        ("pid,p", po::value(&pid_values)->composing(), "the process (a thread id shows that thread)")
        ("tid,t", po::value(&tid_values)->composing(), "only these threads")
        ("no-socket-options", "do not duplicate socket fds (pidfd_getfd) to read their options")
        ("numeric,n", "numeric ports, no service names")
        ("format", po::value(&format)->default_value("text"), "text | json (JSON Lines, one object per thread)");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& error) {
        print_error(std::string("stuck: ") + error.what() + " (try 'fdtrace stuck --help')");
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << options;
        return kExitOk;
    }
    if (!check_choice("stuck: --format", format, {"text", "json"})) return kExitUsage;
    auto pids = parse_pid_list("stuck", pid_values);
    if (!pids) return kExitUsage;
    if (pids->empty()) {
        print_error("stuck: which process? give -p PID (try 'fdtrace stuck --help')");
        return kExitUsage;
    }
    auto tids = parse_pid_list("stuck", tid_values);
    if (!tids) return kExitUsage;

    StuckOptions stuck_options;
    stuck_options.socket_options = vm.count("no-socket-options") == 0;
    stuck_options.tids = *tids;
    FormatOptions text_options;
    text_options.numeric = vm.count("numeric") > 0;
    IdentityFormatter formatter(text_options);
    ProcResolver resolver;
    std::string out;
    for (int pid : *pids) {
        auto report = diagnose_stuck(resolver, pid, stuck_options);
        if (!report) return report_process_error("stuck", pid, report.error());
        if (format == "json")
            render_stuck_json(out, *report, formatter);
        else
            render_stuck_text(out, *report, formatter);
    }
    return write_output("stuck", std::move(out));
}

}  // namespace

int run_stuck(const std::vector<std::string>& args) {
    try {
        return stuck(args);
    } catch (const std::exception& error) {
        print_error(std::string("stuck: ") + error.what());
        return kExitSystem;
    }
}

}  // namespace fdtrace
