// `fdtrace leaks -p PID`: fd table growth between samples, what is held on
// deleted or unreachable things, and the distance to RLIMIT_NOFILE.
#include <signal.h>
#include <time.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "fdtrace/cli.h"
#include "fdtrace/fd_snapshot.h"
#include "fdtrace/leaks.h"
#include "fdtrace/proc_resolver.h"
#include "fdtrace/render.h"
#include "src/cli/diagnose_cli.h"

namespace fdtrace {
namespace po = boost::program_options;
namespace {

// The process has ended (gone, or a zombie its parent has not reaped). A
// leader that called pthread_exit is a zombie too, while its other threads
// run on with the fd table: that process has not ended.
bool exited_or_zombie(int pid) {
    if (::kill(pid, 0) != 0) return errno == ESRCH;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    std::size_t close = text.rfind(')');
    if (close == std::string::npos || close + 2 >= text.size() || text[close + 2] != 'Z')
        return false;
    std::error_code error;
    std::filesystem::directory_iterator tasks("/proc/" + std::to_string(pid) + "/task", error);
    int count = 0;
    for (; !error && tasks != std::filesystem::directory_iterator(); tasks.increment(error))
        ++count;
    return count <= 1;
}

void sleep_for_seconds(double seconds) {
    timespec left{static_cast<time_t>(seconds),
                  static_cast<long>((seconds - std::floor(seconds)) * 1e9)};
    while (::nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

int leaks(const std::vector<std::string>& args) {
    po::options_description options(
        "fdtrace leaks -p PID [--interval S] [--count N] [options]\n"
        "Samples the fd table N times, S seconds apart, and reports what grew, what is held\n"
        "on deleted files and unreachable unix sockets, and the distance to RLIMIT_NOFILE");
    std::vector<std::string> pid_values;
    double interval = 5;
    int count = 2;
    std::string format = "text";
    // clang-format off
    options.add_options()
        ("help,h", "show this help")
        ("pid,p", po::value(&pid_values)->composing(), "the process")
        ("interval", po::value(&interval)->default_value(5), "seconds between samples (fractions allowed)")
        ("count", po::value(&count)->default_value(2), "number of samples")
        ("numeric,n", "numeric ports, no service names")
        ("format", po::value(&format)->default_value("text"), "text | json (one object)");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& error) {
        print_error(std::string("leaks: ") + error.what() + " (try 'fdtrace leaks --help')");
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << options;
        return kExitOk;
    }
    if (!check_choice("leaks: --format", format, {"text", "json"})) return kExitUsage;
    if (!std::isfinite(interval) || interval < 0 || interval > 86400) {
        print_error("leaks: --interval must be between 0 and 86400 seconds");
        return kExitUsage;
    }
    if (count < 1 || count > 100000) {
        print_error("leaks: --count must be at least 1");
        return kExitUsage;
    }
    auto pids = parse_pid_list("leaks", pid_values);
    if (!pids) return kExitUsage;
    if (pids->size() != 1) {
        print_error("leaks: give one process, -p PID (try 'fdtrace leaks --help')");
        return kExitUsage;
    }
    int pid = pids->front();
    if (auto problem = check_process_access(pid))
        return report_process_error("leaks", pid, *problem);

    ProcResolver resolver;
    std::vector<FdSnapshot> samples;
    bool exited = false;
    std::optional<FdLimit> limit;
    for (int i = 0; i < count; ++i) {
        if (i) sleep_for_seconds(interval);
        if (i && exited_or_zombie(pid)) {  // a zombie's empty table is no sample
            exited = true;
            break;
        }
        auto snapshot = take_fd_snapshot(resolver, pid);
        if (!snapshot) {
            // Gone between samples: what was sampled is still the answer.
            if (samples.empty() || !exited_or_zombie(pid))
                return report_process_error("leaks", pid, snapshot.error());
            exited = true;
            break;
        }
        samples.push_back(std::move(snapshot).value());
        if (auto read = read_nofile_limit(pid)) limit = *read;
    }
    LeakReport report = analyze_leaks(samples, limit);
    report.exited = exited;

    FormatOptions text_options;
    text_options.numeric = vm.count("numeric") > 0;
    IdentityFormatter formatter(text_options);
    std::string out;
    if (format == "json")
        render_leaks_json(out, report, formatter);
    else
        render_leaks_text(out, report, formatter);
    return write_output("leaks", std::move(out));
}

}  // namespace

int run_leaks(const std::vector<std::string>& args) {
    try {
        return leaks(args);
    } catch (const std::exception& error) {
        print_error(std::string("leaks: ") + error.what());
        return kExitSystem;
    }
}

}  // namespace fdtrace
