// --leaks in the tracer and in annotate: fds opened during the trace and
// never closed, with the call (line, time) that created each. Reported when
// the process holding them exits, and at the end for those still running.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdtrace/fd_model.h"
#include "fdtrace/render.h"
#include "fdtrace/syscall_event.h"

namespace fdtrace {

class FdLeakTracker {
  public:
    struct Leak {
        int pid = 0;
        int fd = -1;
        std::string identity;  // as the text output shows it
        std::string kind;
        std::shared_ptr<const FdOrigin> origin;
        bool process_exited = false;  // false: still open when the trace ended
    };

    // Records where the fds a call created (returned fds, pipe pairs, fds
    // received with SCM_RIGHTS) came from. `line` is the rendered call.
    void created(const SyscallEvent& event, std::span<const ResolvedFd> fds, FdModel& model,
                 std::uint64_t line_number, std::string_view line);
    // `pid` is about to leave the model: what it still holds is reported,
    // unless a thread or CLONE_FILES child still shares the table.
    void exiting(int pid, const FdModel& model, IdentityFormatter& formatter);
    // The trace ended: what the remaining processes hold.
    void finish(const FdModel& model, IdentityFormatter& formatter);

    const std::vector<Leak>& leaks() const noexcept { return leaks_; }
    std::uint64_t dropped() const noexcept { return dropped_; }
    void render_text(std::string& out) const;
    void render_json(std::string& out) const;

    static constexpr std::size_t kMaxLeaks = 10000;  // memory stays bounded

  private:
    void collect(int pid, const FdTable& table, IdentityFormatter& formatter, bool exited);
    std::vector<Leak> leaks_;
    std::uint64_t dropped_ = 0;
};

}  // namespace fdtrace
