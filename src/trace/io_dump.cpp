#include "fdtrace/io_dump.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <vector>

namespace fdtrace {
namespace {

// strace reads at most this many iovecs (UIO_MAXIOV); a bigger count is the kernel's EINVAL.
constexpr std::uint64_t kMaxIovecs = 1024;
// A dump is the whole buffer, as strace's; this bounds what one call can make fdtrace allocate.
constexpr std::uint64_t kMaxDumpBytes = std::uint64_t{64} << 20;

void dump_memory(std::string& out, MemoryReader& memory, std::uint64_t address, std::uint64_t size,
                 int pid) {
    size = std::min(size, kMaxDumpBytes);
    if (size == 0) return;
    // strace's dumpstr fetches min(len rounded up to 16, 64 KiB) at a time,
    // each all or nothing.
    const std::uint64_t chunk = std::min<std::uint64_t>((size + 15) / 16 * 16, 65536);
    std::string bytes;
    std::uint64_t done = 0;
    bool failed = false;
    std::uint64_t failed_size = 0;
    while (done < size) {
        const std::uint64_t want = std::min(size - done, chunk);
        std::string piece(static_cast<std::size_t>(want), '\0');
        if (memory.read(address + done, piece.data(), piece.size()) != piece.size()) {
            failed = true;
            failed_size = want;
            break;
        }
        bytes += piece;
        done += want;
    }
    append_hex_dump(out, bytes, static_cast<std::size_t>(size));
    if (failed && done > 0) {
        char line[128];
        std::snprintf(line, sizeof line, " | <Cannot fetch %llu byte%s from pid %d @%#llx>\n",
                      static_cast<unsigned long long>(failed_size), failed_size == 1 ? "" : "s",
                      pid, static_cast<unsigned long long>(address + done));
        out += line;
    }
}

// strace's dumpiov_upto: " * N bytes in buffer I" and the bytes, for each
// iovec until `limit` bytes are shown or an iovec is empty.
void dump_iovecs(std::string& out, MemoryReader& memory, int pid, std::uint64_t address,
                 std::uint64_t count, std::uint64_t limit) {
    count = std::min(count, kMaxIovecs);
    if (!address || count == 0) return;
    std::vector<iovec> vectors(static_cast<std::size_t>(count));
    std::size_t want = vectors.size() * sizeof(iovec);
    if (memory.read(address, vectors.data(), want) != want) return;
    for (std::size_t i = 0; i < vectors.size(); ++i) {
        std::uint64_t length = std::min<std::uint64_t>(vectors[i].iov_len, limit);
        if (length == 0) break;
        limit -= length;
        char header[64];
        std::snprintf(header, sizeof header, " * %llu bytes in buffer %zu\n",
                      static_cast<unsigned long long>(length), i);
        out += header;
        dump_memory(out, memory, reinterpret_cast<std::uint64_t>(vectors[i].iov_base), length, pid);
    }
}

void dump_msghdr(std::string& out, MemoryReader& memory, int pid, std::uint64_t address,
                 std::uint64_t limit) {
    msghdr header{};
    if (!address || memory.read(address, &header, sizeof header) != sizeof header) return;
    dump_iovecs(out, memory, pid, reinterpret_cast<std::uint64_t>(header.msg_iov),
                header.msg_iovlen, limit);
}

}  // namespace

std::variant<FdNumberSet, std::string> FdNumberSet::parse(std::string_view text) {
    // strace's qualify_tokens: each leading '!' turns the rest around; the
    // tokens are split as strtok does (empty ones skipped).
    FdNumberSet set;
    const std::string_view whole = text;
    while (!text.empty() && text.front() == '!') {
        set.negated_ = !set.negated_;
        text.remove_prefix(1);
    }
    if (text == "all" || text == "none") {
        // "all" is every fd, "none" no fd; "!" turns either around.
        set.negated_ = set.negated_ != (text == "all");
        return set;
    }
    bool any = false;
    while (!text.empty()) {
        std::size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
        if (item.empty()) continue;
        int fd = -1;
        auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), fd);
        if (error != std::errc() || end != item.data() + item.size() || fd < 0)
            return "invalid descriptor '" + std::string(item) + "'";
        set.fds_.insert(fd);
        any = true;
    }
    if (!any) return "invalid descriptor '" + std::string(whole) + "'";
    return set;
}

bool FdNumberSet::contains(int fd) const noexcept {
    return fd >= 0 && (fds_.count(fd) > 0) != negated_;
}

void append_hex_dump(std::string& out, std::string_view bytes, std::size_t length) {
    static constexpr char kDigits[] = "0123456789abcdef";
    if (length == 0) length = bytes.size();
    // strace's dumpstr: five hex digits of offset, more for a buffer over
    // 1 MiB (as many as its last offset needs).
    int width = 5;
    if (length > (std::size_t{1} << 20)) {
        width = 1;
        for (std::size_t last = length - 1; last >>= 4;) ++width;
    }
    for (std::size_t offset = 0; offset < bytes.size(); offset += 16) {
        char head[32];
        std::snprintf(head, sizeof head, " | %0*zx  ", width, offset);
        out += head;
        std::string text;
        for (std::size_t i = 0; i < 16; ++i) {
            if (offset + i < bytes.size()) {
                auto byte = static_cast<unsigned char>(bytes[offset + i]);
                out += kDigits[byte >> 4];
                out += kDigits[byte & 15];
                out += ' ';
                text += byte >= 0x20 && byte < 0x7f ? static_cast<char>(byte) : '.';
            } else {
                out += "   ";
                text += ' ';
            }
            if (i == 7) out += ' ';
        }
        out += ' ';
        out += text;
        out += " |\n";
    }
}

void append_io_dump(std::string& out, const SyscallCall& call, MemoryReader& memory,
                    const FdNumberSet& reads, const FdNumberSet& writes, int pid) {
    const int fd = static_cast<int>(call.args[0]);
    const std::string_view name = call.name;
    if (writes.contains(fd)) {
        if (name == "write" || name == "pwrite64" || name == "sendto")
            dump_memory(out, memory, call.args[1], call.args[2], pid);
        else if (name == "writev" || name == "pwritev" || name == "pwritev2" || name == "vmsplice")
            dump_iovecs(out, memory, pid, call.args[1], call.args[2], ~std::uint64_t{0});
        else if (name == "sendmsg")
            dump_msghdr(out, memory, pid, call.args[1], ~std::uint64_t{0});
    }
    if (is_error_return(call.ret) || call.ret < 0 || !reads.contains(fd)) return;
    const auto returned = static_cast<std::uint64_t>(call.ret);
    if (name == "read" || name == "pread64" || name == "recvfrom")
        dump_memory(out, memory, call.args[1], returned, pid);
    else if (name == "readv" || name == "preadv" || name == "preadv2")
        dump_iovecs(out, memory, pid, call.args[1], call.args[2], returned);
    else if (name == "recvmsg")
        dump_msghdr(out, memory, pid, call.args[1], returned);
}

}  // namespace fdtrace
