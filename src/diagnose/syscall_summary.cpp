#include "fdtrace/syscall_summary.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "fdtrace/render.h"

namespace fdtrace {

void SyscallSummary::add(long number, std::string_view name, double seconds, bool failed) {
    Row& row = rows_[number];
    if (row.name.empty()) row.name = std::string(name);
    ++row.calls;
    row.errors += failed;
    row.seconds += seconds;
}

void SyscallSummary::render_text(std::string& out) const {
    std::vector<const Row*> sorted;
    Row total;
    total.name = "total";
    for (const auto& [number, row] : rows_) {  // by number: ties stay in strace's order
        sorted.push_back(&row);
        total.calls += row.calls;
        total.errors += row.errors;
        total.seconds += row.seconds;
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Row* a, const Row* b) { return a->seconds > b->seconds; });
    out += "% time     seconds  usecs/call     calls    errors syscall\n";
    const char* rule = "------ ----------- ----------- --------- --------- ----------------\n";
    out += rule;
    auto line = [&](const Row& row, double percent) {
        char errors[24] = "";
        if (row.errors)
            std::snprintf(errors, sizeof errors, "%9llu",
                          static_cast<unsigned long long>(row.errors));
        auto per_call = row.calls ? static_cast<unsigned long long>(row.seconds * 1e6 /
                                                                    static_cast<double>(row.calls))
                                  : 0ULL;
        char buffer[160];
        std::snprintf(buffer, sizeof buffer, "%6.2f %11.6f %11llu %9llu %9s ", percent, row.seconds,
                      per_call, static_cast<unsigned long long>(row.calls), errors);
        out += buffer;
        append_escaped(out, row.name);
        out += '\n';
    };
    for (const Row* row : sorted)
        line(*row, total.seconds > 0 ? 100.0 * row->seconds / total.seconds : 0.0);
    out += rule;
    line(total, 100.0);
}

void SyscallSummary::render_json(std::string& out) const {
    out += "{\"summary\":\"syscalls\",\"rows\":[";
    bool first = true;
    for (const auto& [number, row] : rows_) {
        if (!first) out += ',';
        first = false;
        out += "{\"syscall\":";
        append_json_string(out, row.name);
        char buffer[96];
        std::snprintf(buffer, sizeof buffer, ",\"calls\":%llu,\"errors\":%llu,\"seconds\":%.6f}",
                      static_cast<unsigned long long>(row.calls),
                      static_cast<unsigned long long>(row.errors), row.seconds);
        out += buffer;
    }
    out += "]}\n";
}

}  // namespace fdtrace
