#include "fdtrace/tracee.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "fdtrace/scoped_fd.h"
#include "src/trace/arch.h"

namespace fdtrace {
namespace {

constexpr std::uint64_t kPageSize = 4096;

long ptrace_request(int request, int tid, void* address, void* data) noexcept {
    return ::ptrace(static_cast<__ptrace_request>(request), tid, address, data);
}

void* as_data(unsigned long value) noexcept { return reinterpret_cast<void*>(value); }

std::uint64_t word_at(const unsigned char* regs, std::size_t offset) noexcept {
    std::uint64_t value;
    std::memcpy(&value, regs + offset, sizeof value);
    return value;
}

}  // namespace

std::size_t ProcessMemory::read(std::uint64_t address, void* buffer, std::size_t length) {
    if (length == 0 || address == 0) return 0;
    // process_vm_readv stops at the first unreadable page, so a read that
    // straddles into one still returns what precedes it.
    iovec local{buffer, length};
    iovec remote{reinterpret_cast<void*>(address), length};
    ssize_t got = ::process_vm_readv(pid_, &local, 1, &remote, 1, 0);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EPERM && errno != ENOSYS) return 0;
    // Refused (e.g. a setuid tracee): the ptrace right also covers /proc/PID/mem.
    std::string path = "/proc/" + std::to_string(pid_) + "/mem";
    ScopedFd mem(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!mem) return 0;
    std::size_t done = 0;
    auto* out = static_cast<unsigned char*>(buffer);
    while (done < length) {
        // Page by page, so an unmapped page ends the read rather than failing it.
        std::size_t chunk =
            std::min<std::uint64_t>(length - done, kPageSize - ((address + done) % kPageSize));
        ssize_t n = ::pread(mem.get(), out + done, chunk, static_cast<off_t>(address + done));
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
        if (static_cast<std::size_t>(n) < chunk) break;
    }
    return done;
}

Result<Tracee> Tracee::seize(int tid, unsigned options) {
    if (ptrace_request(PTRACE_SEIZE, tid, nullptr, as_data(options)) != 0)
        return SysError::from_errno("ptrace(PTRACE_SEIZE, " + std::to_string(tid) + ")");
    return Tracee(tid);
}

Tracee::Tracee(Tracee&& other) noexcept : tid_(std::exchange(other.tid_, -1)), memory_(tid_) {}

Tracee& Tracee::operator=(Tracee&& other) noexcept {
    if (this != &other) {
        release();
        tid_ = std::exchange(other.tid_, -1);
        memory_.retarget(tid_);
    }
    return *this;
}

Tracee::~Tracee() { release(); }

void Tracee::release() noexcept {
    if (tid_ <= 0) return;
    // Normal shutdown detaches explicitly (Tracer::detach_all); this is the
    // path for errors. A stopped task detaches at once; a running one must
    // be brought to a stop first.
    if (detach(0)) return;
    if (errno != ESRCH || !interrupt()) {
        tid_ = -1;
        return;
    }
    const timespec pause{0, 1'000'000};
    for (int attempt = 0; attempt < 2000; ++attempt) {  // ~2 s, never forever
        int status = 0;
        pid_t got = ::waitpid(tid_, &status, __WALL | WNOHANG);
        if (got == tid_) {
            if (WIFEXITED(status) || WIFSIGNALED(status)) break;
            int signal = 0;
            int event = status >> 16;
            int stop = WSTOPSIG(status);
            // A signal-delivery-stop: hand the signal back on the way out.
            if (event == 0 && stop != (SIGTRAP | 0x80) && stop != SIGTRAP) signal = stop;
            detach(signal);
            break;
        }
        if (got < 0 && errno != EINTR) break;
        ::nanosleep(&pause, nullptr);
    }
    tid_ = -1;
}

bool Tracee::resume(Resume how, int signal) noexcept {
    int request = how == Resume::Syscall  ? PTRACE_SYSCALL
                  : how == Resume::Listen ? PTRACE_LISTEN
                                          : PTRACE_CONT;
    return ptrace_request(request, tid_, nullptr, as_data(static_cast<unsigned long>(signal))) == 0;
}

bool Tracee::interrupt() noexcept {
    return ptrace_request(PTRACE_INTERRUPT, tid_, nullptr, nullptr) == 0;
}

bool Tracee::detach(int signal) noexcept {
    if (ptrace_request(PTRACE_DETACH, tid_, nullptr, as_data(static_cast<unsigned long>(signal))) !=
        0)
        return false;
    tid_ = -1;
    return true;
}

void Tracee::retarget(int tid) noexcept {
    tid_ = tid;
    memory_.retarget(tid);
}

bool Tracee::set_options(unsigned options) noexcept {
    return ptrace_request(PTRACE_SETOPTIONS, tid_, nullptr, as_data(options)) == 0;
}

bool Tracee::skip_syscall(std::int64_t ret) noexcept {
    alignas(8) unsigned char buffer[kMaxRegsSize];
    iovec io{buffer, sizeof buffer};
    if (ptrace_request(PTRACE_GETREGSET, tid_, as_data(NT_PRSTATUS), &io) != 0 ||
        io.iov_len != kNativeArch.regs_size)
        return false;
    auto put = [&](std::size_t offset, std::uint64_t value) {
        std::memcpy(buffer + offset, &value, sizeof value);
    };
    put(kNativeArch.ret_offset, static_cast<std::uint64_t>(ret));
#if defined(__aarch64__)
    // The number lives outside the general registers there.
    int none = -1;
    iovec number{&none, sizeof none};
    if (ptrace_request(PTRACE_SETREGSET, tid_, as_data(NT_ARM_SYSTEM_CALL), &number) != 0)
        return false;
#else
    put(kNativeArch.nr_offset, ~std::uint64_t{0});  // -1: no syscall
#endif
    return ptrace_request(PTRACE_SETREGSET, tid_, as_data(NT_PRSTATUS), &io) == 0;
}

std::optional<unsigned long> Tracee::event_message() const noexcept {
    unsigned long message = 0;
    if (ptrace_request(PTRACE_GETEVENTMSG, tid_, nullptr, &message) != 0) return std::nullopt;
    return message;
}

std::optional<siginfo_t> Tracee::signal_info() const noexcept {
    siginfo_t info{};
    if (ptrace_request(PTRACE_GETSIGINFO, tid_, nullptr, &info) != 0) return std::nullopt;
    return info;
}

std::optional<SyscallRegisters> Tracee::registers() const noexcept {
    alignas(8) unsigned char buffer[kMaxRegsSize];
    iovec io{buffer, sizeof buffer};
    if (ptrace_request(PTRACE_GETREGSET, tid_, as_data(NT_PRSTATUS), &io) != 0) return std::nullopt;
    if (io.iov_len != kNativeArch.regs_size) return std::nullopt;  // a compat (32-bit) task
    SyscallRegisters regs;
    regs.nr = static_cast<long>(word_at(buffer, kNativeArch.nr_offset));
    for (std::size_t i = 0; i < regs.args.size(); ++i)
        regs.args[i] = word_at(buffer, kNativeArch.arg_offsets[i]);
    regs.ret = static_cast<std::int64_t>(word_at(buffer, kNativeArch.ret_offset));
    regs.sp = word_at(buffer, kNativeArch.sp_offset);
    return regs;
}

std::optional<__ptrace_syscall_info> Tracee::syscall_info() const noexcept {
    __ptrace_syscall_info info{};
    long got = ptrace_request(PTRACE_GET_SYSCALL_INFO, tid_, as_data(sizeof info), &info);
    if (got <= 0) return std::nullopt;
    return info;
}

}  // namespace fdtrace
