#include "fdtrace/fd_summary.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace fdtrace {
namespace {

// Syscalls whose return value is a byte count, by direction (data, not code).
constexpr std::string_view kReads[] = {"read",     "pread64", "readv",    "preadv", "preadv2",
                                       "recvfrom", "recvmsg", "recvmmsg", "recv"};
constexpr std::string_view kWrites[] = {"write",  "pwrite64", "writev",   "pwritev", "pwritev2",
                                        "sendto", "sendmsg",  "sendmmsg", "send",    "sendfile"};

double parse_seconds(std::string_view text) {
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() ? value : 0;
}

}  // namespace

int data_direction(std::string_view syscall) noexcept {
    for (std::string_view name : kReads)
        if (name == syscall) return 1;
    for (std::string_view name : kWrites)
        if (name == syscall) return -1;
    return 0;
}

void FdSummary::add(const SyscallEvent& event, std::span<const ResolvedFd> fds) {
    if (event.kind != EventKind::Syscall || event.unfinished) return;
    const ResolvedFd* target = nullptr;
    for (const ResolvedFd& fd : fds)
        if (fd.site.role == FdRole::Arg && fd.identity) {
            target = &fd;
            break;
        }
    if (!target) return;
    std::string key = target->text.empty() ? std::string(target->site.existing_annotation)
                                           : std::string(target->text);
    Row& row = target->file_id ? by_file_[target->file_id] : by_text_[key];
    row.identity = key;
    row.kind = std::string(kind_name(target->identity->kind));
    ++row.calls;
    if (!event.error.empty()) ++row.errors;
    row.seconds += parse_seconds(event.duration);
    // The syscall name of a resumed line is the call's own name too.
    int direction = data_direction(event.name);
    if (direction != 0 && event.retval && *event.retval > 0 && event.error.empty()) {
        auto bytes = static_cast<std::uint64_t>(*event.retval);
        (direction > 0 ? row.bytes_read : row.bytes_written) += bytes;
    }
}

std::vector<FdSummary::Row> FdSummary::rows() const {
    std::unordered_map<std::string, Row> merged = by_text_;
    for (const auto& [id, row] : by_file_) {
        auto [it, inserted] = merged.try_emplace(row.identity, row);
        if (inserted) continue;
        Row& into = it->second;
        into.calls += row.calls;
        into.bytes_read += row.bytes_read;
        into.bytes_written += row.bytes_written;
        into.seconds += row.seconds;
        into.errors += row.errors;
    }
    std::vector<Row> out;
    out.reserve(merged.size());
    for (auto& [key, row] : merged) out.push_back(std::move(row));
    std::sort(out.begin(), out.end(), [](const Row& a, const Row& b) {
        if (a.seconds != b.seconds) return a.seconds > b.seconds;
        if (a.calls != b.calls) return a.calls > b.calls;
        return a.identity < b.identity;
    });
    return out;
}

void FdSummary::render_text(std::string& out) const {
    char line[256];
    std::snprintf(line, sizeof line, "%10s %8s %12s %12s %7s  %s\n", "seconds", "calls", "read",
                  "written", "errors", "fd identity");
    out += line;
    out += std::string(10, '-') + ' ' + std::string(8, '-') + ' ' + std::string(12, '-') + ' ' +
           std::string(12, '-') + ' ' + std::string(7, '-') + "  " + std::string(30, '-') + '\n';
    for (const Row& row : rows()) {
        std::snprintf(line, sizeof line, "%10.6f %8llu %12llu %12llu %7llu  ", row.seconds,
                      static_cast<unsigned long long>(row.calls),
                      static_cast<unsigned long long>(row.bytes_read),
                      static_cast<unsigned long long>(row.bytes_written),
                      static_cast<unsigned long long>(row.errors));
        out += line;
        out += row.identity;  // already escaped by the formatter
        out += '\n';
    }
}

void FdSummary::render_json(std::string& out) const {
    for (const Row& row : rows()) {
        char numbers[200];
        std::snprintf(numbers, sizeof numbers,
                      ",\"calls\":%llu,\"bytes_read\":%llu,\"bytes_written\":%llu,\"seconds\":%.6f,"
                      "\"errors\":%llu}\n",
                      static_cast<unsigned long long>(row.calls),
                      static_cast<unsigned long long>(row.bytes_read),
                      static_cast<unsigned long long>(row.bytes_written), row.seconds,
                      static_cast<unsigned long long>(row.errors));
        out += "{\"event\":\"summary\",\"kind\":";
        append_json_string(out, row.kind);
        out += ",\"text\":";
        append_json_string(out, row.identity);
        out += numbers;
    }
}

}  // namespace fdtrace
