// ---- memory: mmap, mprotect, mremap, madvise.

#include <sys/mman.h>

#include "src/trace/decoders.h"

namespace fdtrace::decode {

namespace {

// "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE": the mapping type is a value, the
// rest bits, the huge page size a shifted count (strace's print_mmap_flags).
void mmap_flag_names(Ctx& c, std::uint64_t flags);

void mmap_flags(Ctx& c, std::uint64_t flags) {
    c.numbered(flags, [&] { mmap_flag_names(c, flags); });
}

void mmap_flag_names(Ctx& c, std::uint64_t flags) {
    c.enumeration(flags & MAP_TYPE, xlat::mmap_types(), true, "MAP_???");
    std::uint64_t rest = flags & ~std::uint64_t{MAP_TYPE};
    constexpr std::uint64_t kHugeMask = std::uint64_t{MAP_HUGE_MASK} << MAP_HUGE_SHIFT;
    std::uint64_t huge = rest & kHugeMask;
    rest &= ~kHugeMask;
    if (rest) {
        c.out += '|';
        c.flags(rest, xlat::mmap_flags());
    }
    if (huge) {
        c.out += '|';
        append_unsigned(c.out, huge >> MAP_HUGE_SHIFT);
        c.out += "<<MAP_HUGE_SHIFT";
    }
}

void protection(Ctx& c, int i) { c.flags(c.arg(i), xlat::mmap_prot(), "0", "PROT_???"); }

}  // namespace

void decode_mmap(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.ulong(1);
    c.sep();
    protection(c, 2);
    c.sep();
    mmap_flags(c, c.arg(3));
    c.sep();
    c.fd(4);
    c.sep();
    c.hex(5);
}

void decode_mprotect(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.ulong(1);
    c.sep();
    protection(c, 2);
}

void decode_mremap(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.ulong(1);
    c.sep();
    c.ulong(2);
    c.sep();
    c.flags(c.arg(3), xlat::mremap_flags(), "0", "MREMAP_???");
    if ((c.arg(3) & (MREMAP_MAYMOVE | MREMAP_FIXED)) == (MREMAP_MAYMOVE | MREMAP_FIXED)) {
        c.sep();
        c.ptr(4);
    }
}

void decode_madvise(Ctx& c) {
    if (!c.entering) return;
    c.ptr(0);
    c.sep();
    c.ulong(1);
    c.sep();
    c.enumeration(c.arg(2), xlat::madvise_advice(), true, "MADV_???");
}

// process_madvise(pidfd, iovec, vlen, advice, flags): the ranges as
// addresses, not contents (strace's IOV_DECODE_ADDR).
void decode_process_madvise(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.iovec_array(c.arg(1), c.arg(2), Ctx::kAddressesOnly);
    c.sep();
    c.ulong(2);
    c.sep();
    c.enumeration(static_cast<std::uint32_t>(c.arg(3)), xlat::madvise_advice(), true, "MADV_???");
    c.sep();
    c.hex32(4);
}

}  // namespace fdtrace::decode
