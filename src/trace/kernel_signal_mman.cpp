// Kernel constants glibc does not export: SA_RESTORER (the kernel's
// sigaction flag glibc sets on every handler, strace prints it) lives in
// <asm/signal.h>, SS_AUTODISARM in <linux/signal.h>, PROT_SEM and MADV_SOFT_OFFLINE in the kernel's
// mman header; neither header can share a translation unit with glibc's own.
#include <asm-generic/mman-common.h>
#include <asm/signal.h>
#include <linux/signal.h>

#include <cstdint>

namespace fdtrace::xlat {
extern const std::uint64_t kKernelSaRestorer;
extern const std::uint64_t kKernelProtSem;
extern const std::uint64_t kKernelMadvSoftOffline;
extern const std::uint64_t kKernelSsAutodisarm;
const std::uint64_t kKernelSaRestorer = SA_RESTORER;
const std::uint64_t kKernelProtSem = PROT_SEM;
const std::uint64_t kKernelMadvSoftOffline = MADV_SOFT_OFFLINE;
const std::uint64_t kKernelSsAutodisarm = SS_AUTODISARM;
}  // namespace fdtrace::xlat
