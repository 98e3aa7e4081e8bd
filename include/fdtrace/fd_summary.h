// Per-fd I/O summary (-c / --summary): one row per fd identity — calls,
// bytes read and written, time spent, errors — sorted by time. strace -c
// counts per syscall; this counts per file or socket.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fdtrace/render.h"
#include "fdtrace/syscall_event.h"

namespace fdtrace {

class FdSummary {
  public:
    struct Row {
        std::string identity;  // as the text output shows it
        std::string kind;
        std::uint64_t calls = 0;
        std::uint64_t bytes_read = 0;
        std::uint64_t bytes_written = 0;
        double seconds = 0;  // sum of -T durations
        std::uint64_t errors = 0;
    };

    // Counts one completed syscall against the identity of its first fd
    // argument (the fd the call acts on).
    void add(const SyscallEvent& event, std::span<const ResolvedFd> fds);
    std::vector<Row> rows() const;  // by time, then calls, descending
    void render_text(std::string& out) const;
    void render_json(std::string& out) const;

  private:
    // Per open file, under the identity it had last (a socket is "TCP" at
    // socket() and "TCP a->b" after connect: one row); rows() merges files
    // that end up with the same identity.
    std::unordered_map<std::uint64_t, Row> by_file_;
    std::unordered_map<std::string, Row> by_text_;  // files the model does not know
};

// Whether a syscall moves data into (+1) or out of (-1) the process, or
// neither (0): decides whether its return value counts as bytes read/written.
int data_direction(std::string_view syscall) noexcept;

}  // namespace fdtrace
