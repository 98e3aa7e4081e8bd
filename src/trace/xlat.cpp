#include "src/trace/xlat.h"

#include <asm/prctl.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/close_range.h>
#include <linux/falloc.h>
#include <linux/fanotify.h>
#include <linux/futex.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <linux/rseq.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

namespace fdtrace::xlat {

extern const std::uint64_t kKernelLargefile;   // kernel_fcntl.cpp
extern const std::uint64_t kKernelSaRestorer;  // kernel_signal_mman.cpp
extern const std::uint64_t kKernelProtSem;
extern const std::uint64_t kKernelMadvSoftOffline;
extern const std::uint64_t kKernelSsAutodisarm;  // kernel_signal_mman.cpp
// Bits no installed header names any more (or never did, for user space):
// the kernel's ST_VALID (include/linux/statfs.h, not exported) and
// FAN_DIR_MODIFY (dropped from the uapi header in 5.9; strace 6.1 prints it).
constexpr std::uint64_t kKernelStValid = 0x0020;
constexpr std::uint64_t kKernelFanDirModify = 0x00080000;
// si_code values glibc's <signal.h> does not name (asm-generic/siginfo.h
// does, but cannot be included beside it).
constexpr std::uint64_t kKernelTrapPerf = 6;
constexpr std::uint64_t kKernelSysSeccomp = 1;
constexpr std::uint64_t kKernelSysUserDispatch = 2;

namespace {

// Each row is a header's own constant and its spelling; no number is typed here.
#define X(name) \
    Entry { static_cast<std::uint64_t>(name), #name }

// clang-format off
// The access mode is a 2-bit number, not flags: 3 is O_ACCMODE, as strace prints it.
constexpr Entry kAccessModes[] = {X(O_RDONLY), X(O_WRONLY), X(O_RDWR), X(O_ACCMODE)};

// strace's order. O_SYNC contains O_DSYNC's bit and O_TMPFILE contains
// O_DIRECTORY's, so the composite comes first.
const Entry kOpenFlags[] = {
    X(O_CREAT),    X(O_EXCL),     X(O_NOCTTY),   X(O_TRUNC),     X(O_APPEND),
    X(O_NONBLOCK), X(O_SYNC),     X(O_DSYNC),    X(O_DIRECT),    Entry{kKernelLargefile, "O_LARGEFILE"},
    X(O_NOFOLLOW), X(O_NOATIME),  X(O_CLOEXEC),  X(O_PATH),      X(O_TMPFILE),
    X(O_DIRECTORY), Entry{O_ASYNC, "FASYNC"},
    // O_SYNC's own bit without O_DSYNC's: the kernel's (and glibc's) __O_SYNC.
    Entry{O_SYNC & ~O_DSYNC, "__O_SYNC"},
    // O_TMPFILE's own bit without O_DIRECTORY's: the kernel's __O_TMPFILE
    // (glibc's __O_TMPFILE is the composite), printed when it comes alone.
    Entry{O_TMPFILE & ~O_DIRECTORY, "__O_TMPFILE"},
};

constexpr Entry kFamilies[] = {
    X(AF_UNSPEC),   X(AF_UNIX),    X(AF_INET),     X(AF_AX25),     X(AF_IPX),
    X(AF_APPLETALK), X(AF_NETROM), X(AF_BRIDGE),   X(AF_ATMPVC),   X(AF_X25),
    X(AF_INET6),    X(AF_ROSE),    X(AF_DECnet),   X(AF_NETBEUI),  X(AF_SECURITY),
    X(AF_KEY),      X(AF_NETLINK), X(AF_PACKET),   X(AF_ASH),      X(AF_ECONET),
    X(AF_ATMSVC),   X(AF_RDS),     X(AF_SNA),      X(AF_IRDA),     X(AF_PPPOX),
    X(AF_WANPIPE),  X(AF_LLC),     X(AF_IB),       X(AF_MPLS),     X(AF_CAN),
    X(AF_TIPC),     X(AF_BLUETOOTH), X(AF_IUCV),   X(AF_RXRPC),    X(AF_ISDN),
    X(AF_PHONET),   X(AF_IEEE802154), X(AF_CAIF),  X(AF_ALG),      X(AF_NFC),
    X(AF_VSOCK),    X(AF_KCM),     X(AF_QIPCRTR),  X(AF_SMC),      X(AF_XDP),
    X(AF_MCTP),
};

constexpr Entry kSocketTypes[] = {X(SOCK_STREAM), X(SOCK_DGRAM),     X(SOCK_RAW),   X(SOCK_RDM),
                                  X(SOCK_SEQPACKET), X(SOCK_DCCP),   X(SOCK_PACKET)};
constexpr Entry kSocketTypeFlags[] = {X(SOCK_CLOEXEC), X(SOCK_NONBLOCK)};

constexpr Entry kIpProtocols[] = {X(IPPROTO_IP),   X(IPPROTO_ICMP), X(IPPROTO_IGMP), X(IPPROTO_TCP),
                                  X(IPPROTO_UDP),  X(IPPROTO_IPV6), X(IPPROTO_ICMPV6),
                                  X(IPPROTO_RAW),  X(IPPROTO_SCTP), X(IPPROTO_UDPLITE),
                                  X(IPPROTO_MPTCP)};

constexpr Entry kNetlinkProtocols[] = {
    X(NETLINK_ROUTE),   X(NETLINK_USERSOCK),  X(NETLINK_FIREWALL),  X(NETLINK_SOCK_DIAG),
    X(NETLINK_NFLOG),   X(NETLINK_XFRM),      X(NETLINK_SELINUX),   X(NETLINK_ISCSI),
    X(NETLINK_AUDIT),   X(NETLINK_FIB_LOOKUP), X(NETLINK_CONNECTOR), X(NETLINK_NETFILTER),
    X(NETLINK_IP6_FW),  X(NETLINK_DNRTMSG),   X(NETLINK_KOBJECT_UEVENT), X(NETLINK_GENERIC),
    X(NETLINK_SCSITRANSPORT), X(NETLINK_ECRYPTFS), X(NETLINK_RDMA), X(NETLINK_CRYPTO),
    X(NETLINK_SMC),
};

constexpr Entry kMessageFlags[] = {
    X(MSG_OOB),     X(MSG_PEEK),    X(MSG_DONTROUTE), X(MSG_CTRUNC),    X(MSG_PROXY),
    X(MSG_TRUNC),   X(MSG_DONTWAIT), X(MSG_EOR),      X(MSG_WAITALL),   X(MSG_FIN),
    X(MSG_SYN),     X(MSG_CONFIRM), X(MSG_RST),       X(MSG_ERRQUEUE),  X(MSG_NOSIGNAL),
    X(MSG_MORE),    X(MSG_WAITFORONE), X(MSG_BATCH),  X(MSG_ZEROCOPY),  X(MSG_FASTOPEN),
    X(MSG_CMSG_CLOEXEC),
};

constexpr Entry kShutdownModes[] = {X(SHUT_RD), X(SHUT_WR), X(SHUT_RDWR)};

constexpr Entry kFcntlCommands[] = {
    X(F_DUPFD),    X(F_GETFD),     X(F_SETFD),      X(F_GETFL),      X(F_SETFL),
    X(F_GETLK),    X(F_SETLK),     X(F_SETLKW),     X(F_SETOWN),     X(F_GETOWN),
    X(F_SETSIG),   X(F_GETSIG),    X(F_SETOWN_EX),  X(F_GETOWN_EX),  X(F_OFD_GETLK),
    X(F_OFD_SETLK), X(F_OFD_SETLKW), X(F_SETLEASE), X(F_GETLEASE),   X(F_NOTIFY),
    X(F_DUPFD_CLOEXEC), X(F_SETPIPE_SZ), X(F_GETPIPE_SZ), X(F_ADD_SEALS), X(F_GET_SEALS),
};

constexpr Entry kFdFlags[] = {X(FD_CLOEXEC)};

constexpr Entry kPollEvents[] = {
    X(POLLIN),     X(POLLPRI),    X(POLLOUT),    X(POLLERR),    X(POLLHUP),
    X(POLLNVAL),   X(POLLRDNORM), X(POLLRDBAND), X(POLLWRNORM), X(POLLWRBAND),
    X(POLLMSG),    X(POLLREMOVE), X(POLLRDHUP),
};

constexpr Entry kEpollEvents[] = {
    X(EPOLLIN),     X(EPOLLPRI),     X(EPOLLOUT),       X(EPOLLERR),    X(EPOLLHUP),
    X(EPOLLRDNORM), X(EPOLLRDBAND),  X(EPOLLWRNORM),    X(EPOLLWRBAND), X(EPOLLMSG),
    X(EPOLLRDHUP),  X(EPOLLEXCLUSIVE), X(EPOLLWAKEUP),  X(EPOLLONESHOT), X(EPOLLET),
};

constexpr Entry kEpollCtlOps[] = {X(EPOLL_CTL_ADD), X(EPOLL_CTL_DEL), X(EPOLL_CTL_MOD)};
constexpr Entry kEpollCreateFlags[] = {X(EPOLL_CLOEXEC)};

constexpr Entry kClockIds[] = {
    X(CLOCK_REALTIME),        X(CLOCK_MONOTONIC),       X(CLOCK_PROCESS_CPUTIME_ID),
    X(CLOCK_THREAD_CPUTIME_ID), X(CLOCK_MONOTONIC_RAW), X(CLOCK_REALTIME_COARSE),
    X(CLOCK_MONOTONIC_COARSE), X(CLOCK_BOOTTIME),       X(CLOCK_REALTIME_ALARM),
    X(CLOCK_BOOTTIME_ALARM),  X(CLOCK_TAI),
};

constexpr Entry kTimerfdFlags[] = {X(TFD_CLOEXEC), X(TFD_NONBLOCK)};
constexpr Entry kEventfdFlags[] = {X(EFD_SEMAPHORE), X(EFD_CLOEXEC), X(EFD_NONBLOCK)};
constexpr Entry kSignalfdFlags[] = {X(SFD_CLOEXEC), X(SFD_NONBLOCK)};
constexpr Entry kInotifyFlags[] = {X(IN_NONBLOCK), X(IN_CLOEXEC)};  // strace's order
constexpr Entry kMemfdFlags[] = {X(MFD_CLOEXEC), X(MFD_ALLOW_SEALING), X(MFD_HUGETLB)};
constexpr Entry kPidfdFlags[] = {X(PIDFD_NONBLOCK)};
constexpr Entry kCloseRangeFlags[] = {X(CLOSE_RANGE_UNSHARE), X(CLOSE_RANGE_CLOEXEC)};
// strace's order (xlat/splice_flags.in, falloc_flags.in, f_owner_types.in).
constexpr Entry kSpliceFlags[] = {X(SPLICE_F_MOVE), X(SPLICE_F_NONBLOCK), X(SPLICE_F_MORE), X(SPLICE_F_GIFT)};
constexpr Entry kFallocFlags[] = {X(FALLOC_FL_KEEP_SIZE),      X(FALLOC_FL_PUNCH_HOLE),
                                  X(FALLOC_FL_NO_HIDE_STALE),  X(FALLOC_FL_COLLAPSE_RANGE),
                                  X(FALLOC_FL_ZERO_RANGE),     X(FALLOC_FL_INSERT_RANGE),
                                  X(FALLOC_FL_UNSHARE_RANGE)};
constexpr Entry kNotifyFlags[] = {X(DN_ACCESS), X(DN_MODIFY), X(DN_CREATE), X(DN_DELETE),
                                  X(DN_RENAME), X(DN_ATTRIB), X(DN_MULTISHOT)};
constexpr Entry kTimerfdSettimeFlags[] = {X(TFD_TIMER_ABSTIME), X(TFD_TIMER_CANCEL_ON_SET)};
constexpr Entry kOwnerTypes[] = {X(F_OWNER_TID), X(F_OWNER_PID), X(F_OWNER_PGRP)};
constexpr Entry kRwfFlags[] = {X(RWF_HIPRI), X(RWF_DSYNC), X(RWF_SYNC), X(RWF_NOWAIT), X(RWF_APPEND)};
constexpr Entry kAtFlags[] = {X(AT_SYMLINK_NOFOLLOW), X(AT_REMOVEDIR), X(AT_SYMLINK_FOLLOW),
                              X(AT_NO_AUTOMOUNT), X(AT_EMPTY_PATH), X(AT_RECURSIVE)};
constexpr Entry kSeekWhences[] = {X(SEEK_SET), X(SEEK_CUR), X(SEEK_END), X(SEEK_DATA), X(SEEK_HOLE)};
constexpr Entry kItimerWhich[] = {X(ITIMER_REAL), X(ITIMER_VIRTUAL), X(ITIMER_PROF)};
// strace's audit_arch xlat, the architectures libseccomp and strace share.
constexpr Entry kAuditArches[] = {
    X(AUDIT_ARCH_AARCH64), X(AUDIT_ARCH_ARM),     X(AUDIT_ARCH_I386),   X(AUDIT_ARCH_MIPS),
    X(AUDIT_ARCH_MIPS64),  X(AUDIT_ARCH_MIPSEL),  X(AUDIT_ARCH_MIPSEL64), X(AUDIT_ARCH_PPC),
    X(AUDIT_ARCH_PPC64),   X(AUDIT_ARCH_PPC64LE), X(AUDIT_ARCH_RISCV64), X(AUDIT_ARCH_S390),
    X(AUDIT_ARCH_S390X),   X(AUDIT_ARCH_X86_64),
};

constexpr Entry kSocketLevels[] = {
    Entry{IPPROTO_IP, "SOL_IP"},     X(SOL_SOCKET),  Entry{IPPROTO_TCP, "SOL_TCP"},
    Entry{IPPROTO_UDP, "SOL_UDP"},   Entry{IPPROTO_IPV6, "SOL_IPV6"}, X(SOL_NETLINK),
    X(SOL_PACKET),  X(SOL_RAW),
};

constexpr Entry kSocketOptions[] = {
    X(SO_DEBUG),     X(SO_REUSEADDR), X(SO_TYPE),      X(SO_ERROR),     X(SO_DONTROUTE),
    X(SO_BROADCAST), X(SO_SNDBUF),    X(SO_RCVBUF),    X(SO_KEEPALIVE), X(SO_OOBINLINE),
    X(SO_NO_CHECK),  X(SO_PRIORITY),  X(SO_LINGER),    X(SO_BSDCOMPAT), X(SO_REUSEPORT),
    X(SO_PASSCRED),  X(SO_PEERCRED),  X(SO_RCVLOWAT),  X(SO_SNDLOWAT),  X(SO_ACCEPTCONN),
    X(SO_PEERSEC),   X(SO_SNDBUFFORCE), X(SO_RCVBUFFORCE), X(SO_PROTOCOL), X(SO_DOMAIN),
    X(SO_BINDTODEVICE), X(SO_MARK),   X(SO_PEEK_OFF),  X(SO_BUSY_POLL), X(SO_INCOMING_CPU),
};

constexpr Entry kTcpOptions[] = {
    X(TCP_NODELAY),   X(TCP_MAXSEG),     X(TCP_CORK),        X(TCP_KEEPIDLE),
    X(TCP_KEEPINTVL), X(TCP_KEEPCNT),    X(TCP_SYNCNT),      X(TCP_LINGER2),
    X(TCP_DEFER_ACCEPT), X(TCP_WINDOW_CLAMP), X(TCP_INFO),   X(TCP_QUICKACK),
    X(TCP_CONGESTION), X(TCP_USER_TIMEOUT), X(TCP_FASTOPEN), X(TCP_NOTSENT_LOWAT),
};

constexpr Entry kCloneFlags[] = {
    X(CLONE_VM),      X(CLONE_FS),       X(CLONE_FILES),    X(CLONE_SIGHAND),
    X(CLONE_PIDFD),   X(CLONE_PTRACE),   X(CLONE_VFORK),    X(CLONE_PARENT),
    X(CLONE_THREAD),  X(CLONE_NEWNS),    X(CLONE_SYSVSEM),  X(CLONE_SETTLS),
    X(CLONE_PARENT_SETTID), X(CLONE_CHILD_CLEARTID), X(CLONE_DETACHED), X(CLONE_UNTRACED),
    X(CLONE_CHILD_SETTID), X(CLONE_NEWCGROUP), X(CLONE_NEWUTS), X(CLONE_NEWIPC),
    X(CLONE_NEWUSER), X(CLONE_NEWPID),   X(CLONE_NEWNET),   X(CLONE_IO),
};

constexpr Entry kBpfCommands[] = {
    X(BPF_MAP_CREATE),       X(BPF_MAP_LOOKUP_ELEM),    X(BPF_MAP_UPDATE_ELEM),
    X(BPF_MAP_DELETE_ELEM),  X(BPF_MAP_GET_NEXT_KEY),   X(BPF_PROG_LOAD),
    X(BPF_OBJ_PIN),          X(BPF_OBJ_GET),            X(BPF_PROG_ATTACH),
    X(BPF_PROG_DETACH),      X(BPF_PROG_TEST_RUN),      X(BPF_PROG_GET_NEXT_ID),
    X(BPF_MAP_GET_NEXT_ID),  X(BPF_PROG_GET_FD_BY_ID),  X(BPF_MAP_GET_FD_BY_ID),
    X(BPF_OBJ_GET_INFO_BY_FD), X(BPF_PROG_QUERY),       X(BPF_RAW_TRACEPOINT_OPEN),
    X(BPF_BTF_LOAD),         X(BPF_BTF_GET_FD_BY_ID),   X(BPF_TASK_FD_QUERY),
    X(BPF_MAP_LOOKUP_AND_DELETE_ELEM), X(BPF_MAP_FREEZE), X(BPF_BTF_GET_NEXT_ID),
    X(BPF_MAP_LOOKUP_BATCH), X(BPF_MAP_LOOKUP_AND_DELETE_BATCH), X(BPF_MAP_UPDATE_BATCH),
    X(BPF_MAP_DELETE_BATCH), X(BPF_LINK_CREATE),        X(BPF_LINK_UPDATE),
    X(BPF_LINK_GET_FD_BY_ID), X(BPF_LINK_GET_NEXT_ID),  X(BPF_ENABLE_STATS),
    X(BPF_ITER_CREATE),      X(BPF_LINK_DETACH),        X(BPF_PROG_BIND_MAP),
};

constexpr Entry kSignalCodes[] = {
    X(SI_USER),  X(SI_KERNEL), Entry{static_cast<std::uint64_t>(std::int64_t{SI_QUEUE}), "SI_QUEUE"},
    Entry{static_cast<std::uint64_t>(std::int64_t{SI_TIMER}), "SI_TIMER"},
    Entry{static_cast<std::uint64_t>(std::int64_t{SI_MESGQ}), "SI_MESGQ"},
    Entry{static_cast<std::uint64_t>(std::int64_t{SI_ASYNCIO}), "SI_ASYNCIO"},
    Entry{static_cast<std::uint64_t>(std::int64_t{SI_SIGIO}), "SI_SIGIO"},
    Entry{static_cast<std::uint64_t>(std::int64_t{SI_TKILL}), "SI_TKILL"},
    Entry{static_cast<std::uint64_t>(std::int64_t{SI_DETHREAD}), "SI_DETHREAD"},
    Entry{static_cast<std::uint64_t>(std::int64_t{SI_ASYNCNL}), "SI_ASYNCNL"},
};

// strace's per-signal si_code tables (sigtrap_codes ... sigsys_codes).
constexpr Entry kTrapCodes[] = {X(TRAP_BRKPT), X(TRAP_TRACE), X(TRAP_BRANCH), X(TRAP_HWBKPT),
                                X(TRAP_UNK), Entry{kKernelTrapPerf, "TRAP_PERF"}};
constexpr Entry kPollCodes[] = {X(POLL_IN),  X(POLL_OUT), X(POLL_MSG),
                                X(POLL_ERR), X(POLL_PRI), X(POLL_HUP)};
constexpr Entry kIllCodes[] = {X(ILL_ILLOPC), X(ILL_ILLOPN), X(ILL_ILLADR), X(ILL_ILLTRP),
                               X(ILL_PRVOPC), X(ILL_PRVREG), X(ILL_COPROC), X(ILL_BADSTK),
                               X(ILL_BADIADDR)};
constexpr Entry kFpeCodes[] = {X(FPE_INTDIV), X(FPE_INTOVF), X(FPE_FLTDIV), X(FPE_FLTOVF),
                               X(FPE_FLTUND), X(FPE_FLTRES), X(FPE_FLTINV), X(FPE_FLTSUB),
                               X(FPE_FLTUNK), X(FPE_CONDTRAP)};
constexpr Entry kSegvCodes[] = {X(SEGV_MAPERR),  X(SEGV_ACCERR),  X(SEGV_BNDERR),
                                X(SEGV_PKUERR),  X(SEGV_ACCADI),  X(SEGV_ADIDERR),
                                X(SEGV_ADIPERR), X(SEGV_MTEAERR), X(SEGV_MTESERR)};
constexpr Entry kBusCodes[] = {X(BUS_ADRALN), X(BUS_ADRERR), X(BUS_OBJERR), X(BUS_MCEERR_AR),
                               X(BUS_MCEERR_AO)};
constexpr Entry kSysCodes[] = {Entry{kKernelSysSeccomp, "SYS_SECCOMP"},
                               Entry{kKernelSysUserDispatch, "SYS_USER_DISPATCH"}};

constexpr Entry kChildCodes[] = {X(CLD_EXITED),  X(CLD_KILLED),  X(CLD_DUMPED),
                                 X(CLD_TRAPPED), X(CLD_STOPPED), X(CLD_CONTINUED)};

constexpr Entry kResolveFlags[] = {X(RESOLVE_NO_XDEV), X(RESOLVE_NO_MAGICLINKS),
                                   X(RESOLVE_NO_SYMLINKS), X(RESOLVE_BENEATH),
                                   X(RESOLVE_IN_ROOT), X(RESOLVE_CACHED)};


// ---- memory: strace's mmap_prot, mmap_flags, mremap_flags, madvise_cmds.
const Entry kMmapProt[] = {
    X(PROT_NONE), X(PROT_READ), X(PROT_WRITE), X(PROT_EXEC),
    Entry{kKernelProtSem, "PROT_SEM"}, X(PROT_GROWSDOWN), X(PROT_GROWSUP),
};
// The mapping type (flags & MAP_TYPE) is a value, not bits.
constexpr Entry kMmapTypes[] = {X(MAP_SHARED), X(MAP_PRIVATE), X(MAP_SHARED_VALIDATE), X(MAP_FILE)};
constexpr Entry kMmapFlags[] = {
    X(MAP_FIXED),     X(MAP_ANONYMOUS),  X(MAP_32BIT),      X(MAP_NORESERVE),
    X(MAP_POPULATE),  X(MAP_NONBLOCK),   X(MAP_GROWSDOWN),  X(MAP_DENYWRITE),
    X(MAP_EXECUTABLE), X(MAP_LOCKED),    X(MAP_STACK),      X(MAP_HUGETLB),
    X(MAP_SYNC),      X(MAP_FIXED_NOREPLACE),
};
constexpr Entry kMremapFlags[] = {X(MREMAP_MAYMOVE), X(MREMAP_FIXED), X(MREMAP_DONTUNMAP)};
const Entry kMadviseAdvice[] = {
    X(MADV_NORMAL),     X(MADV_RANDOM),      X(MADV_SEQUENTIAL),  X(MADV_WILLNEED),
    X(MADV_DONTNEED),   X(MADV_FREE),        X(MADV_REMOVE),      X(MADV_DONTFORK),
    X(MADV_DOFORK),     X(MADV_MERGEABLE),   X(MADV_UNMERGEABLE), X(MADV_HUGEPAGE),
    X(MADV_NOHUGEPAGE), X(MADV_DONTDUMP),    X(MADV_DODUMP),      X(MADV_WIPEONFORK),
    X(MADV_KEEPONFORK), X(MADV_COLD),        X(MADV_PAGEOUT),     X(MADV_POPULATE_READ),
    X(MADV_POPULATE_WRITE), X(MADV_DONTNEED_LOCKED), X(MADV_HWPOISON),
    Entry{kKernelMadvSoftOffline, "MADV_SOFT_OFFLINE"},
};

// ---- paths, notifications, namespaces, modules (strace 6.1's xlat order)
constexpr Entry kRenameFlags[] = {X(RENAME_NOREPLACE), X(RENAME_EXCHANGE), X(RENAME_WHITEOUT)};
constexpr Entry kInotifyMasks[] = {
    X(IN_ACCESS),     X(IN_MODIFY),       X(IN_ATTRIB),         X(IN_CLOSE_WRITE),
    X(IN_CLOSE_NOWRITE), X(IN_OPEN),      X(IN_MOVED_FROM),     X(IN_MOVED_TO),
    X(IN_CREATE),     X(IN_DELETE),       X(IN_DELETE_SELF),    X(IN_MOVE_SELF),
    X(IN_UNMOUNT),    X(IN_Q_OVERFLOW),   X(IN_IGNORED),        X(IN_ONLYDIR),
    X(IN_DONT_FOLLOW), X(IN_EXCL_UNLINK), X(IN_MASK_CREATE),    X(IN_MASK_ADD),
    X(IN_ISDIR),      X(IN_ONESHOT),
};
constexpr Entry kFanotifyClasses[] = {X(FAN_CLASS_NOTIF), X(FAN_CLASS_CONTENT),
                                      X(FAN_CLASS_PRE_CONTENT)};
constexpr Entry kFanotifyInitFlags[] = {
    X(FAN_CLOEXEC),      X(FAN_NONBLOCK),       X(FAN_UNLIMITED_QUEUE), X(FAN_UNLIMITED_MARKS),
    X(FAN_ENABLE_AUDIT), X(FAN_REPORT_PIDFD),   X(FAN_REPORT_TID),      X(FAN_REPORT_FID),
    X(FAN_REPORT_DIR_FID), X(FAN_REPORT_NAME),  X(FAN_REPORT_TARGET_FID),
};
constexpr Entry kFanotifyMarkFlags[] = {
    X(FAN_MARK_ADD),          X(FAN_MARK_REMOVE),       X(FAN_MARK_DONT_FOLLOW),
    X(FAN_MARK_ONLYDIR),      X(FAN_MARK_MOUNT),        X(FAN_MARK_IGNORED_MASK),
    X(FAN_MARK_IGNORED_SURV_MODIFY), X(FAN_MARK_FLUSH), X(FAN_MARK_FILESYSTEM),
    X(FAN_MARK_EVICTABLE),    X(FAN_MARK_IGNORE),
};
constexpr Entry kFanotifyEvents[] = {
    X(FAN_ACCESS),        X(FAN_MODIFY),         X(FAN_ATTRIB),        X(FAN_CLOSE_WRITE),
    X(FAN_CLOSE_NOWRITE), X(FAN_OPEN),           X(FAN_MOVED_FROM),    X(FAN_MOVED_TO),
    X(FAN_CREATE),        X(FAN_DELETE),         X(FAN_DELETE_SELF),   X(FAN_MOVE_SELF),
    X(FAN_OPEN_EXEC),     X(FAN_Q_OVERFLOW),     X(FAN_FS_ERROR),      X(FAN_OPEN_PERM),
    X(FAN_ACCESS_PERM),   X(FAN_OPEN_EXEC_PERM), Entry{kKernelFanDirModify, "FAN_DIR_MODIFY"},
    X(FAN_ONDIR),         X(FAN_EVENT_ON_CHILD), X(FAN_RENAME),
};
constexpr Entry kSetnsTypes[] = {X(CLONE_NEWTIME), X(CLONE_NEWNS),  X(CLONE_NEWCGROUP),
                                 X(CLONE_NEWUTS),  X(CLONE_NEWIPC), X(CLONE_NEWUSER),
                                 X(CLONE_NEWPID),  X(CLONE_NEWNET)};
constexpr Entry kSyncFileRangeFlags[] = {X(SYNC_FILE_RANGE_WAIT_BEFORE), X(SYNC_FILE_RANGE_WRITE),
                                         X(SYNC_FILE_RANGE_WAIT_AFTER)};
constexpr Entry kModuleInitFlags[] = {X(MODULE_INIT_IGNORE_MODVERSIONS),
                                      X(MODULE_INIT_IGNORE_VERMAGIC),
                                      X(MODULE_INIT_COMPRESSED_FILE)};
constexpr Entry kXattrFlags[] = {X(XATTR_CREATE), X(XATTR_REPLACE)};
const Entry kStatfsFlags[] = {
    Entry{kKernelStValid, "ST_VALID"}, X(ST_RDONLY),  X(ST_NOSUID),     X(ST_NODEV),
    X(ST_NOEXEC),    X(ST_SYNCHRONOUS), X(ST_MANDLOCK), X(ST_NOATIME),  X(ST_NODIRATIME),
    X(ST_RELATIME),
};
const Entry kSigaltstackFlags[] = {X(SS_ONSTACK), X(SS_DISABLE),
                                   Entry{kKernelSsAutodisarm, "SS_AUTODISARM"}};
// statfs's f_type: the magic numbers strace 6.1 names that <linux/magic.h>
// defines (EXT2's 0xef53 is EXT3's and EXT4's too: strace says EXT2).
constexpr Entry kFsMagics[] = {
    X(QNX4_SUPER_MAGIC), X(AUTOFS_SUPER_MAGIC), X(MINIX_SUPER_MAGIC), X(MINIX_SUPER_MAGIC2),
    X(DEVPTS_SUPER_MAGIC), X(MINIX2_SUPER_MAGIC), X(MINIX2_SUPER_MAGIC2), X(NILFS_SUPER_MAGIC),
    X(MSDOS_SUPER_MAGIC), X(MINIX3_SUPER_MAGIC), X(SMB_SUPER_MAGIC), X(NCP_SUPER_MAGIC),
    X(NFS_SUPER_MAGIC), X(JFFS2_SUPER_MAGIC), X(ISOFS_SUPER_MAGIC), X(PROC_SUPER_MAGIC),
    X(OPENPROM_SUPER_MAGIC), X(USBDEVICE_SUPER_MAGIC), X(ADFS_SUPER_MAGIC), X(AFFS_SUPER_MAGIC),
    X(EXT2_SUPER_MAGIC), X(ECRYPTFS_SUPER_MAGIC), X(CGROUP_SUPER_MAGIC), X(EFS_SUPER_MAGIC),
    X(HOSTFS_SUPER_MAGIC), X(CEPH_SUPER_MAGIC), X(TMPFS_MAGIC), X(V9FS_MAGIC),
    X(ANON_INODE_FS_MAGIC), X(FUTEXFS_SUPER_MAGIC), X(MTD_INODE_FS_MAGIC), X(UDF_SUPER_MAGIC),
    X(EXFAT_SUPER_MAGIC), X(CRAMFS_MAGIC), X(BINFMTFS_MAGIC), X(SMACK_MAGIC), X(DMA_BUF_MAGIC),
    X(CRAMFS_MAGIC_WEND), X(DEVMEM_MAGIC), X(PIPEFS_MAGIC), X(REISERFS_SUPER_MAGIC),
    X(SECRETMEM_MAGIC), X(AFS_SUPER_MAGIC), X(SOCKFS_MAGIC), X(STACK_END_MAGIC),
    X(XFS_SUPER_MAGIC), X(AAFS_MAGIC), X(ZONEFS_MAGIC), X(PSTOREFS_MAGIC), X(BDEVFS_MAGIC),
    X(SYSFS_MAGIC), X(CGROUP2_SUPER_MAGIC), X(DEBUGFS_MAGIC), X(DAXFS_MAGIC),
    X(FUSE_SUPER_MAGIC), X(QNX6_SUPER_MAGIC), X(AFS_FS_MAGIC), X(BINDERFS_SUPER_MAGIC),
    X(NSFS_MAGIC), X(SECURITYFS_MAGIC), X(SQUASHFS_MAGIC), X(BTRFS_TEST_MAGIC),
    X(CODA_SUPER_MAGIC), X(OCFS2_SUPER_MAGIC), X(TRACEFS_MAGIC), X(OVERLAYFS_SUPER_MAGIC),
    X(RAMFS_MAGIC), X(BTRFS_SUPER_MAGIC), X(HUGETLBFS_MAGIC), X(XENFS_SUPER_MAGIC),
    X(BPF_FS_MAGIC), X(EFIVARFS_MAGIC), X(EROFS_SUPER_MAGIC_V1), X(F2FS_SUPER_MAGIC),
    X(SELINUX_MAGIC), X(HPFS_SUPER_MAGIC), X(SMB2_SUPER_MAGIC), X(CIFS_SUPER_MAGIC),
};

// ---- files
constexpr Entry kAccessCheckModes[] = {X(F_OK), X(R_OK), X(W_OK), X(X_OK)};
constexpr Entry kFaccessatFlags[] = {X(AT_SYMLINK_NOFOLLOW), X(AT_EACCESS), X(AT_EMPTY_PATH)};
constexpr Entry kStatxSyncTypes[] = {X(AT_STATX_SYNC_AS_STAT), X(AT_STATX_FORCE_SYNC),
                                     X(AT_STATX_DONT_SYNC)};
// The composites first, as strace has them: 0x17ff is STATX_BASIC_STATS|STATX_MNT_ID.
constexpr Entry kStatxMasks[] = {
    X(STATX_ALL),   X(STATX_BASIC_STATS), X(STATX_TYPE),  X(STATX_MODE),  X(STATX_NLINK),
    X(STATX_UID),   X(STATX_GID),         X(STATX_ATIME), X(STATX_MTIME), X(STATX_CTIME),
    X(STATX_INO),   X(STATX_SIZE),        X(STATX_BLOCKS), X(STATX_BTIME), X(STATX_MNT_ID),
    X(STATX_DIOALIGN),
};
constexpr Entry kStatxAttributes[] = {
    X(STATX_ATTR_COMPRESSED), X(STATX_ATTR_IMMUTABLE), X(STATX_ATTR_APPEND),
    X(STATX_ATTR_NODUMP),     X(STATX_ATTR_ENCRYPTED), X(STATX_ATTR_AUTOMOUNT),
    X(STATX_ATTR_MOUNT_ROOT), X(STATX_ATTR_VERITY),    X(STATX_ATTR_DAX),
};
constexpr Entry kFileTypes[] = {X(S_IFREG), X(S_IFSOCK), X(S_IFIFO), X(S_IFLNK),
                                X(S_IFDIR), X(S_IFBLK),  X(S_IFCHR)};
constexpr Entry kFadviseAdvice[] = {X(POSIX_FADV_NORMAL),   X(POSIX_FADV_RANDOM),
                                    X(POSIX_FADV_SEQUENTIAL), X(POSIX_FADV_WILLNEED),
                                    X(POSIX_FADV_DONTNEED), X(POSIX_FADV_NOREUSE)};
constexpr Entry kFlockOps[] = {X(LOCK_SH),   X(LOCK_EX),   X(LOCK_NB),    X(LOCK_UN),
                               X(LOCK_MAND), X(LOCK_RW),   X(LOCK_READ),  X(LOCK_WRITE)};
constexpr Entry kLockTypes[] = {X(F_RDLCK), X(F_WRLCK), X(F_UNLCK), X(F_EXLCK), X(F_SHLCK)};

// ---- processes, signals, time
constexpr Entry kArchPrctlCodes[] = {
    X(ARCH_SET_GS),         X(ARCH_SET_FS),         X(ARCH_GET_FS),
    X(ARCH_GET_GS),         X(ARCH_GET_CPUID),      X(ARCH_SET_CPUID),
    X(ARCH_GET_XCOMP_SUPP), X(ARCH_GET_XCOMP_PERM), X(ARCH_REQ_XCOMP_PERM),
    X(ARCH_GET_XCOMP_GUEST_PERM), X(ARCH_REQ_XCOMP_GUEST_PERM),
    X(ARCH_MAP_VDSO_X32),   X(ARCH_MAP_VDSO_32),    X(ARCH_MAP_VDSO_64),
};
constexpr Entry kRlimitResources[] = {
    X(RLIMIT_CPU),     X(RLIMIT_FSIZE),  X(RLIMIT_DATA),       X(RLIMIT_STACK),
    X(RLIMIT_CORE),    X(RLIMIT_RSS),    X(RLIMIT_NPROC),      X(RLIMIT_NOFILE),
    X(RLIMIT_MEMLOCK), X(RLIMIT_AS),     X(RLIMIT_LOCKS),      X(RLIMIT_SIGPENDING),
    X(RLIMIT_MSGQUEUE), X(RLIMIT_NICE),  X(RLIMIT_RTPRIO),     X(RLIMIT_RTTIME),
};
constexpr Entry kGetrandomFlags[] = {X(GRND_NONBLOCK), X(GRND_RANDOM), X(GRND_INSECURE)};
const Entry kSigactionFlags[] = {
    Entry{kKernelSaRestorer, "SA_RESTORER"}, X(SA_ONSTACK), X(SA_RESTART), X(SA_INTERRUPT),
    X(SA_NODEFER),  X(SA_RESETHAND), X(SA_SIGINFO), X(SA_NOCLDSTOP), X(SA_NOCLDWAIT),
};
constexpr Entry kSigprocmaskHows[] = {X(SIG_BLOCK), X(SIG_UNBLOCK), X(SIG_SETMASK)};
// getrusage's who: an enum, RUSAGE_CHILDREN is -1.
const Entry kRusageWho[] = {Entry{static_cast<std::uint64_t>(RUSAGE_SELF), "RUSAGE_SELF"},
                            Entry{static_cast<std::uint64_t>(RUSAGE_CHILDREN), "RUSAGE_CHILDREN"},
                            Entry{static_cast<std::uint64_t>(RUSAGE_THREAD), "RUSAGE_THREAD"}};

constexpr Entry kWaitOptions[] = {X(WNOHANG),   X(WEXITED), X(WSTOPPED), X(WCONTINUED),
                                  X(WNOWAIT),   X(__WCLONE), X(__WALL),  X(__WNOTHREAD)};
constexpr Entry kTimerFlags[] = {X(TIMER_ABSTIME)};
#define X_CLOCK(op) Entry { static_cast<std::uint64_t>(op | FUTEX_CLOCK_REALTIME), #op "|FUTEX_CLOCK_REALTIME" }
constexpr Entry kFutexOps[] = {
    X(FUTEX_WAIT),          X(FUTEX_WAKE),              X(FUTEX_FD),
    X(FUTEX_REQUEUE),       X(FUTEX_CMP_REQUEUE),       X(FUTEX_WAKE_OP),
    X(FUTEX_LOCK_PI),       X(FUTEX_UNLOCK_PI),         X(FUTEX_TRYLOCK_PI),
    X(FUTEX_WAIT_BITSET),   X(FUTEX_WAKE_BITSET),       X(FUTEX_WAIT_REQUEUE_PI),
    X(FUTEX_CMP_REQUEUE_PI), X(FUTEX_LOCK_PI2),
    X(FUTEX_WAIT_PRIVATE),  X(FUTEX_WAKE_PRIVATE),
    Entry{FUTEX_FD | FUTEX_PRIVATE_FLAG, "FUTEX_FD|FUTEX_PRIVATE_FLAG"},
    X(FUTEX_REQUEUE_PRIVATE), X(FUTEX_CMP_REQUEUE_PRIVATE), X(FUTEX_WAKE_OP_PRIVATE),
    X(FUTEX_LOCK_PI_PRIVATE), X(FUTEX_UNLOCK_PI_PRIVATE), X(FUTEX_TRYLOCK_PI_PRIVATE),
    X(FUTEX_WAIT_BITSET_PRIVATE), X(FUTEX_WAKE_BITSET_PRIVATE),
    X(FUTEX_WAIT_REQUEUE_PI_PRIVATE), X(FUTEX_CMP_REQUEUE_PI_PRIVATE),
    X(FUTEX_LOCK_PI2_PRIVATE),
    X_CLOCK(FUTEX_WAIT),    X_CLOCK(FUTEX_WAIT_PRIVATE), X_CLOCK(FUTEX_WAIT_BITSET),
    X_CLOCK(FUTEX_WAIT_BITSET_PRIVATE), X_CLOCK(FUTEX_WAIT_REQUEUE_PI),
    X_CLOCK(FUTEX_WAIT_REQUEUE_PI_PRIVATE),
};
#undef X_CLOCK
constexpr Entry kRseqFlags[] = {X(RSEQ_FLAG_UNREGISTER)};
constexpr Entry kFutexBitsets[] = {X(FUTEX_BITSET_MATCH_ANY)};

// ---- ioctl requests strace names (tty, FIO* and nsfs families)
constexpr Entry kIoctlRequests[] = {
    X(TCGETS),    X(TCSETS),    X(TCSETSW),   X(TCSETSF),    X(TCGETA),     X(TCSETA),
    X(TCSETAW),   X(TCSETAF),   X(TCSBRK),    X(TCXONC),     X(TCFLSH),     X(TIOCEXCL),
    X(TIOCNXCL),  X(TIOCSCTTY), X(TIOCGPGRP), X(TIOCSPGRP),  X(TIOCOUTQ),   X(TIOCSTI),
    X(TIOCGWINSZ), X(TIOCSWINSZ), X(TIOCMGET), X(TIOCMBIS),  X(TIOCMBIC),   X(TIOCMSET),
    X(TIOCGSOFTCAR), X(TIOCSSOFTCAR), X(FIONREAD), X(TIOCLINUX), X(TIOCCONS), X(TIOCGSERIAL),
    X(TIOCSSERIAL), X(TIOCPKT), X(FIONBIO),   X(TIOCNOTTY),  X(TIOCSETD),   X(TIOCGETD),
    X(TCSBRKP),   X(TIOCSBRK),  X(TIOCCBRK),  X(TIOCGSID),   X(TIOCGPTN),   X(TIOCSPTLCK),
    X(TIOCGDEV),  X(TIOCSIG),   X(TIOCVHANGUP), X(TIOCGPKT), X(TIOCGPTLCK), X(TIOCGEXCL),
    X(TIOCGPTPEER), X(FIONCLEX), X(FIOCLEX),  X(FIOASYNC),   X(TIOCSERCONFIG), X(TIOCSERGWILD),
    X(TIOCSERSWILD), X(TIOCGLCKTRMIOS), X(TIOCSLCKTRMIOS), X(TIOCSERGSTRUCT), X(TIOCSERGETLSR),
    X(TIOCSERGETMULTI), X(TIOCSERSETMULTI), X(TIOCMIWAIT), X(TIOCGICOUNT), X(FIOQSIZE),
    X(NS_GET_USERNS), X(NS_GET_PARENT), X(NS_GET_NSTYPE), X(NS_GET_OWNER_UID),
};
// clang-format on
#undef X

void append_hex(std::string& out, std::uint64_t value) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%#llx", static_cast<unsigned long long>(value));
    out += buffer;
}

}  // namespace

void append_flags(std::string& out, std::uint64_t value, std::span<const Entry> table,
                  std::string_view zero, std::string_view unknown, Style style) {
    if (style == Style::raw) {
        append_hex(out, value);
        return;
    }
    if (value == 0) {
        // A table's own name for 0 (PROT_NONE, F_OK) wins, as in strace.
        std::string_view name = find(0, table);
        if (style == Style::verbose && !name.empty()) {
            append_named(out, "0", name, style);
            return;
        }
        out += name.empty() ? zero : name;
        return;
    }
    if (style == Style::verbose) append_hex(out, value);
    std::uint64_t left = value;
    bool first = true;
    for (const Entry& entry : table) {
        if (entry.value == 0 || (left & entry.value) != entry.value) continue;
        out += first ? (style == Style::verbose ? " /* " : "") : "|";
        out += entry.name;
        first = false;
        left &= ~entry.value;
    }
    if (left) {
        if (!first) out += '|';
        if (!first || style != Style::verbose) append_hex(out, left);
        // strace's "0x8 /* PROT_??? */" when no bit had a name.
        if (first && !unknown.empty()) {
            out += " /* ";
            out += unknown;
            out += " */";
        }
    }
    if (!first && style == Style::verbose) out += " */";
}

void append_enum(std::string& out, std::uint64_t value, std::span<const Entry> table, bool hex,
                 std::string_view unknown, Style style) {
    if (style != Style::abbrev) {
        append_hex(out, value);
        if (style == Style::raw) return;
        std::string_view name = find(value, table);
        if (name.empty()) name = unknown;
        if (!name.empty()) {
            out += " /* ";
            out += name;
            out += " */";
        }
        return;
    }
    if (auto name = find(value, table); !name.empty()) {
        out += name;
        return;
    }
    if (hex)
        append_hex(out, value);
    else
        out += std::to_string(static_cast<std::int64_t>(value));
    if (!unknown.empty()) {
        out += " /* ";
        out += unknown;
        out += " */";
    }
}

void append_named(std::string& out, std::string_view number, std::string_view name, Style style) {
    if (style == Style::abbrev && !name.empty()) {
        out += name;
        return;
    }
    out += number;
    if (style == Style::verbose && !name.empty()) {
        out += " /* ";
        out += name;
        out += " */";
    }
}

std::string_view find(std::uint64_t value, std::span<const Entry> table) noexcept {
    for (const Entry& entry : table)
        if (entry.value == value) return entry.name;
    return {};
}

std::span<const Entry> open_access_modes() { return kAccessModes; }
std::span<const Entry> open_flags() { return kOpenFlags; }
std::span<const Entry> address_families() { return kFamilies; }
std::span<const Entry> socket_types() { return kSocketTypes; }
std::span<const Entry> socket_type_flags() { return kSocketTypeFlags; }
std::span<const Entry> ip_protocols() { return kIpProtocols; }
std::span<const Entry> netlink_protocols() { return kNetlinkProtocols; }
std::span<const Entry> message_flags() { return kMessageFlags; }
std::span<const Entry> shutdown_modes() { return kShutdownModes; }
std::span<const Entry> fcntl_commands() { return kFcntlCommands; }
std::span<const Entry> fd_flags() { return kFdFlags; }
std::span<const Entry> poll_events() { return kPollEvents; }
std::span<const Entry> epoll_events() { return kEpollEvents; }
std::span<const Entry> epoll_ctl_ops() { return kEpollCtlOps; }
std::span<const Entry> epoll_create_flags() { return kEpollCreateFlags; }
std::span<const Entry> clock_ids() { return kClockIds; }
std::span<const Entry> timerfd_flags() { return kTimerfdFlags; }
std::span<const Entry> eventfd_flags() { return kEventfdFlags; }
std::span<const Entry> signalfd_flags() { return kSignalfdFlags; }
std::span<const Entry> inotify_flags() { return kInotifyFlags; }
std::span<const Entry> memfd_flags() { return kMemfdFlags; }
std::span<const Entry> pidfd_flags() { return kPidfdFlags; }
std::span<const Entry> close_range_flags() { return kCloseRangeFlags; }
std::span<const Entry> rwf_flags() { return kRwfFlags; }
std::span<const Entry> splice_flags() { return kSpliceFlags; }
std::span<const Entry> falloc_flags() { return kFallocFlags; }
std::span<const Entry> owner_types() { return kOwnerTypes; }
std::span<const Entry> notify_flags() { return kNotifyFlags; }
std::span<const Entry> timerfd_settime_flags() { return kTimerfdSettimeFlags; }
std::span<const Entry> rename_flags() { return kRenameFlags; }
std::span<const Entry> inotify_masks() { return kInotifyMasks; }
std::span<const Entry> fanotify_classes() { return kFanotifyClasses; }
std::span<const Entry> fanotify_init_flags() { return kFanotifyInitFlags; }
std::span<const Entry> fanotify_mark_flags() { return kFanotifyMarkFlags; }
std::span<const Entry> fanotify_events() { return kFanotifyEvents; }
std::span<const Entry> setns_types() { return kSetnsTypes; }
std::span<const Entry> sync_file_range_flags() { return kSyncFileRangeFlags; }
std::span<const Entry> module_init_flags() { return kModuleInitFlags; }
std::span<const Entry> xattr_flags() { return kXattrFlags; }
std::span<const Entry> statfs_flags() { return kStatfsFlags; }
std::span<const Entry> fs_magics() { return kFsMagics; }
std::span<const Entry> sigaltstack_flags() { return kSigaltstackFlags; }
std::span<const Entry> at_flags() { return kAtFlags; }
std::span<const Entry> seek_whences() { return kSeekWhences; }
std::span<const Entry> itimer_which() { return kItimerWhich; }
std::span<const Entry> audit_arches() { return kAuditArches; }
std::span<const Entry> socket_levels() { return kSocketLevels; }
std::span<const Entry> socket_options() { return kSocketOptions; }
std::span<const Entry> tcp_options() { return kTcpOptions; }
std::span<const Entry> clone_flags() { return kCloneFlags; }
std::span<const Entry> bpf_commands() { return kBpfCommands; }
std::span<const Entry> signal_codes() { return kSignalCodes; }
std::span<const Entry> child_codes() { return kChildCodes; }
std::span<const Entry> signal_codes_for(int signal) {
    switch (signal) {
        case SIGTRAP:
            return kTrapCodes;
        case SIGCHLD:
            return kChildCodes;
        case SIGIO:
            return kPollCodes;
        case SIGILL:
            return kIllCodes;
        case SIGFPE:
            return kFpeCodes;
        case SIGSEGV:
            return kSegvCodes;
        case SIGBUS:
            return kBusCodes;
        case SIGSYS:
            return kSysCodes;
        default:
            return {};
    }
}
std::span<const Entry> resolve_flags() { return kResolveFlags; }
std::span<const Entry> mmap_prot() { return kMmapProt; }
std::span<const Entry> mmap_types() { return kMmapTypes; }
std::span<const Entry> mmap_flags() { return kMmapFlags; }
std::span<const Entry> mremap_flags() { return kMremapFlags; }
std::span<const Entry> madvise_advice() { return kMadviseAdvice; }
std::span<const Entry> access_modes() { return kAccessCheckModes; }
std::span<const Entry> faccessat_flags() { return kFaccessatFlags; }
std::span<const Entry> statx_sync_types() { return kStatxSyncTypes; }
std::span<const Entry> statx_masks() { return kStatxMasks; }
std::span<const Entry> statx_attributes() { return kStatxAttributes; }
std::span<const Entry> file_types() { return kFileTypes; }
std::span<const Entry> fadvise_advice() { return kFadviseAdvice; }
std::span<const Entry> flock_operations() { return kFlockOps; }
std::span<const Entry> lock_types() { return kLockTypes; }
std::span<const Entry> arch_prctl_codes() { return kArchPrctlCodes; }
std::span<const Entry> rlimit_resources() { return kRlimitResources; }
std::span<const Entry> getrandom_flags() { return kGetrandomFlags; }
std::span<const Entry> sigaction_flags() { return kSigactionFlags; }
std::span<const Entry> sigprocmask_hows() { return kSigprocmaskHows; }
std::span<const Entry> wait_options() { return kWaitOptions; }
std::span<const Entry> rusage_who() { return kRusageWho; }
std::span<const Entry> timer_flags() { return kTimerFlags; }
std::span<const Entry> futex_ops() { return kFutexOps; }
std::span<const Entry> futex_bitsets() { return kFutexBitsets; }
std::span<const Entry> rseq_flags() { return kRseqFlags; }
std::uint64_t sa_restorer() { return kKernelSaRestorer; }
std::span<const Entry> ioctl_requests() { return kIoctlRequests; }

std::string signal_name(int signal) {
    // The kernel's numbering, as strace prints it (glibc keeps the first two
    // real-time signals for itself and moves SIGRTMIN past them).
    if (signal >= __SIGRTMIN && signal <= __SIGRTMAX) {
        if (signal == __SIGRTMIN) return "SIGRTMIN";
        return "SIGRT_" + std::to_string(signal - __SIGRTMIN);
    }
    // glibc's abbreviation for 29 is POLL; strace (and the kernel) say SIGIO.
    if (signal == SIGIO) return "SIGIO";
    if (const char* abbrev = ::sigabbrev_np(signal)) return std::string("SIG") + abbrev;
    return std::to_string(signal);
}

std::string signal_name(int signal, Style style) {
    if (style == Style::abbrev) return signal_name(signal);
    std::string number = std::to_string(signal);
    std::string name = signal_name(signal);
    std::string out;
    append_named(out, number, name == number ? std::string_view{} : std::string_view(name), style);
    return out;
}

}  // namespace fdtrace::xlat
