// The per-family decoders the registry (syscall_decoder.cpp) names: private to src/trace.
#pragma once

#include "src/trace/decode_context.h"

namespace fdtrace::decode {

// decode_io.cpp
void decode_read(Ctx& c);
void decode_pread(Ctx& c);
void decode_write(Ctx& c);
void decode_pwrite(Ctx& c);
void decode_readv(Ctx& c);
void decode_preadv(Ctx& c);
void decode_preadv2(Ctx& c);
void decode_writev(Ctx& c);
void decode_pwritev(Ctx& c);
void decode_pwritev2(Ctx& c);
void decode_vmsplice(Ctx& c);
void decode_poll(Ctx& c);
void decode_ppoll(Ctx& c);
void decode_select(Ctx& c);
void decode_pselect6(Ctx& c);
void decode_epoll_ctl(Ctx& c);
void decode_epoll_wait(Ctx& c);
void decode_epoll_pwait(Ctx& c);
void decode_epoll_pwait2(Ctx& c);
void decode_epoll_create1(Ctx& c);
void decode_pipe(Ctx& c);
void decode_pipe2(Ctx& c);
void decode_dup3(Ctx& c);
void decode_fcntl(Ctx& c);
void decode_open(Ctx& c);
void decode_openat(Ctx& c);
void decode_openat2(Ctx& c);
void decode_eventfd2(Ctx& c);
void decode_timerfd_create(Ctx& c);
void decode_timerfd_settime(Ctx& c);
void decode_timerfd_gettime(Ctx& c);
void decode_signalfd(Ctx& c);
void decode_signalfd4(Ctx& c);
void decode_inotify_init1(Ctx& c);
void decode_inotify_add_watch(Ctx& c);
void decode_fanotify_init(Ctx& c);
void decode_fanotify_mark(Ctx& c);
void decode_userfaultfd(Ctx& c);
void decode_memfd_create(Ctx& c);
void decode_pidfd_open(Ctx& c);
void decode_close_range(Ctx& c);
void decode_bpf(Ctx& c);
void decode_perf_event_open(Ctx& c);

// decode_net.cpp
void decode_recvfrom(Ctx& c);
void decode_sendto(Ctx& c);
void decode_sendmsg(Ctx& c);
void decode_recvmsg(Ctx& c);
void decode_sendmmsg(Ctx& c);
void decode_recvmmsg(Ctx& c);
void decode_accept(Ctx& c);
void decode_accept4(Ctx& c);
void decode_getsockname(Ctx& c);
void decode_connect(Ctx& c);
void decode_shutdown(Ctx& c);
void decode_setsockopt(Ctx& c);
void decode_getsockopt(Ctx& c);
void decode_socket(Ctx& c);
void decode_socketpair(Ctx& c);

// decode_memory.cpp
void decode_mmap(Ctx& c);
void decode_mprotect(Ctx& c);
void decode_mremap(Ctx& c);
void decode_madvise(Ctx& c);
void decode_process_madvise(Ctx& c);

// decode_files.cpp
void decode_access(Ctx& c);
void decode_faccessat(Ctx& c);
void decode_faccessat2(Ctx& c);
void decode_fstat(Ctx& c);
void decode_stat(Ctx& c);
void decode_newfstatat(Ctx& c);
void decode_statx(Ctx& c);
void decode_readlink(Ctx& c);
void decode_readlinkat(Ctx& c);
void decode_getcwd(Ctx& c);
void decode_getdents(Ctx& c);
void decode_getxattr(Ctx& c);
void decode_fgetxattr(Ctx& c);
void decode_statfs(Ctx& c);
void decode_fstatfs(Ctx& c);
void decode_mknodat(Ctx& c);
void decode_renameat2(Ctx& c);
void decode_utimensat(Ctx& c);
void decode_futimesat(Ctx& c);
void decode_sync_file_range(Ctx& c);
void decode_umask(Ctx& c);
void decode_setxattr(Ctx& c);
void decode_fsetxattr(Ctx& c);
void decode_listxattr(Ctx& c);
void decode_flistxattr(Ctx& c);
void decode_removexattr(Ctx& c);
void decode_fremovexattr(Ctx& c);
void decode_creat(Ctx& c);
void decode_splice(Ctx& c);
void decode_copy_file_range(Ctx& c);
void decode_tee(Ctx& c);
void decode_fallocate(Ctx& c);
void decode_sendfile(Ctx& c);
void decode_fadvise64(Ctx& c);
void decode_flock(Ctx& c);

// decode_process.cpp
void decode_execve(Ctx& c);
void decode_execveat(Ctx& c);
void decode_clone(Ctx& c);
void decode_clone3(Ctx& c);
void decode_restart_syscall(Ctx& c);
void decode_arch_prctl(Ctx& c);
void decode_rseq(Ctx& c);
void decode_prlimit64(Ctx& c);
void decode_getrandom(Ctx& c);
void decode_rt_sigaction(Ctx& c);
void decode_rt_sigprocmask(Ctx& c);
void decode_wait4(Ctx& c);
void decode_getrusage(Ctx& c);
void decode_sysinfo(Ctx& c);
void decode_nanosleep(Ctx& c);
void decode_clock_nanosleep(Ctx& c);
void decode_futex(Ctx& c);
void decode_uname(Ctx& c);
void decode_ioctl(Ctx& c);
void decode_setns(Ctx& c);
void decode_pidfd_send_signal(Ctx& c);
void decode_finit_module(Ctx& c);
void decode_sigaltstack(Ctx& c);
void decode_rt_sigreturn(Ctx& c);

// The two ends of a pipe or socket pair: "[3, 4]" (decode_net.cpp).
void fd_pair(Ctx& c, int i);

}  // namespace fdtrace::decode
