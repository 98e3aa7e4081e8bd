// Per-syscall summary, strace -c's table: for each syscall the calls, the
// errors and the time spent in it, sorted by time (then by syscall number,
// as strace sorts them), with strace's header, columns and total line.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace fdtrace {

class SyscallSummary {
  public:
    // One completed call of syscall `number` (`name` as printed), `seconds`
    // spent in it (system CPU time, or wall-clock time with -w), and whether
    // it returned an error.
    void add(long number, std::string_view name, double seconds, bool failed);
    // strace -c's table:
    //   % time     seconds  usecs/call     calls    errors syscall
    //   ------ ----------- ----------- --------- --------- ----------------
    //    62.50    0.000010           5         2           read
    //   ...
    //   100.00    0.000016           2         7         1 total
    void render_text(std::string& out) const;
    // {"summary":"syscalls","rows":[{"syscall":"read","calls":2,"errors":0,"seconds":0.00001},
    // ...]}
    void render_json(std::string& out) const;
    bool empty() const noexcept { return rows_.empty(); }

  private:
    struct Row {
        std::string name;
        std::uint64_t calls = 0;
        std::uint64_t errors = 0;
        double seconds = 0;
    };
    std::map<long, Row> rows_;  // by syscall number
};

}  // namespace fdtrace
