// The kernel's own O_LARGEFILE. glibc defines O_LARGEFILE as 0 on 64-bit
// targets, yet the kernel sets its bit in every file's flags there (F_GETFL
// reports it), so the value comes from the kernel's header, which cannot
// share a translation unit with <fcntl.h>.
#include <asm/fcntl.h>

#include <cstdint>

namespace fdtrace::xlat {
extern const std::uint64_t kKernelLargefile;
const std::uint64_t kKernelLargefile = O_LARGEFILE;
}  // namespace fdtrace::xlat
