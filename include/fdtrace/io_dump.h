// strace's -e read=SET / -e write=SET: the whole data a call read from or
// wrote to one of the chosen fds, as a hex dump after the call's line.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "fdtrace/syscall_decoder.h"

namespace fdtrace {

// A set of fd numbers as strace reads -e read=/write=: "3,5", "all",
// "none", "!3" (every fd but 3). Empty (the default): no fd.
class FdNumberSet {
  public:
    // The set, or a one-line reason ("invalid descriptor 'x'", strace's words).
    static std::variant<FdNumberSet, std::string> parse(std::string_view text);
    bool contains(int fd) const noexcept;
    bool empty() const noexcept { return !negated_ && fds_.empty(); }

  private:
    bool negated_ = false;  // every fd not in fds_ ("all" is "!" of nothing)
    std::set<int> fds_;
};

// strace's dumpstr: 16 bytes a line, offset in hex, bytes in hex, printable
// ASCII (others '.'):
//  " | 00000  68 65 6c 6c 6f 0a                                hello.           |\n"
// `length`: the whole buffer's length, which sets the offset's width (five
// hex digits, more past 1 MiB, as strace's dumpstr); 0: bytes.size().
void append_hex_dump(std::string& out, std::string_view bytes, std::size_t length = 0);

// What strace 6.1 prints after the line of `call` (exit seen, call.ret set):
// for an fd in `writes`, the data of write, pwrite64, sendto (the count
// asked, failed or not) and of writev, pwritev, pwritev2, sendmsg (" * N
// bytes in buffer I" and each iovec's dump, up to the first empty one); then,
// if the call succeeded and the fd is in `reads`, the data read by read,
// pread64, recvfrom (the count returned) and by readv, preadv, preadv2,
// recvmsg (per iovec, up to the count returned). Nothing for other calls.
// A buffer that cannot be read wholly is dumped, as strace does, in 64 KiB
// fetches up to the one that failed, then " | <Cannot fetch N bytes from pid
// PID @ADDR>" (nothing when the first fetch failed).
void append_io_dump(std::string& out, const SyscallCall& call, MemoryReader& memory,
                    const FdNumberSet& reads, const FdNumberSet& writes, int pid = 0);

}  // namespace fdtrace
