// --explain: one short line under a syscall where it teaches something —
// what an errno means in that call, what a flag does, why a read returned 0.
// The knowledge is a table (src/render/explain.cpp), not code branches.
#pragma once

#include <string_view>
#include <unordered_set>
#include <vector>

#include "fdtrace/syscall_event.h"

namespace fdtrace {

class Explainer {
  public:
    // repeat=false: each explanation is given once per run, the first time
    // it applies (after that it is noise).
    explicit Explainer(bool repeat = false) : repeat_(repeat) {}
    // Appends to `out` the explanations for this completed syscall.
    void explain(const SyscallEvent& event, std::vector<std::string_view>& out);

  private:
    bool repeat_;
    std::unordered_set<const void*> given_;
};

}  // namespace fdtrace
