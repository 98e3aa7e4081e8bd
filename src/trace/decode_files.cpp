// ---- files: access, stat, readlink, getdents, xattrs, splice, sendfile ...

#include <fcntl.h>
#include <linux/stat.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <time.h>

#include <cstdio>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <utility>

#include "src/trace/decoders.h"

namespace fdtrace::decode {

namespace {

void access_mode(Ctx& c, int i) {
    c.flags(static_cast<std::uint32_t>(c.arg(i)), xlat::access_modes(), "0", "?_OK");
}

}  // namespace

void decode_access(Ctx& c) {
    if (!c.entering) return;
    c.path(c.arg(0));
    c.sep();
    access_mode(c, 1);
}

void decode_faccessat(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    access_mode(c, 2);
}

// faccessat2's flags are its own table: 0x200 is AT_EACCESS here, not
// AT_REMOVEDIR.
void decode_faccessat2(Ctx& c) {
    decode_faccessat(c);
    if (!c.entering) return;
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::faccessat_flags(), "0", "AT_???");
}

namespace {

void at_flags(Ctx& c, int i) {
    c.flags(static_cast<std::uint32_t>(c.arg(i)), xlat::at_flags(), "0", "AT_???");
}

// "S_IFREG|S_ISUID|0755" (strace's print_symbolic_mode_t).
// -X raw: the octal number, "0100644"; verbose: "0100644 /* S_IFREG|0644 */".
void append_file_mode(std::string& out, std::uint32_t mode,
                      xlat::Style style = xlat::Style::abbrev) {
    if (style != xlat::Style::abbrev) {
        char number[16];
        std::snprintf(number, sizeof number, "%#03o", mode);
        out += number;
        if (style == xlat::Style::raw) return;
        // An unknown file type has no symbolic form to add (strace prints
        // the number alone).
        if ((mode & S_IFMT) && xlat::find(mode & S_IFMT, xlat::file_types()).empty()) return;
        out += " /* ";
        append_file_mode(out, mode);
        out += " */";
        return;
    }
    std::string_view type = xlat::find(mode & S_IFMT, xlat::file_types());
    char octal[16];
    if ((mode & S_IFMT) && type.empty()) {
        std::snprintf(octal, sizeof octal, "%#03o", mode);
        out += octal;
        return;
    }
    if (!type.empty()) {
        out += type;
        out += '|';
    }
    if (mode & S_ISUID) out += "S_ISUID|";
    if (mode & S_ISGID) out += "S_ISGID|";
    if (mode & S_ISVTX) out += "S_ISVTX|";
    std::snprintf(octal, sizeof octal, "%#03o", mode & ~(S_IFMT | S_ISUID | S_ISGID | S_ISVTX));
    out += octal;
}

// "makedev(0x1, 0x3)"
void append_device(std::string& out, std::uint64_t device,
                   xlat::Style style = xlat::Style::abbrev) {
    if (style != xlat::Style::abbrev) {  // -X raw: 0x103; verbose: 0x103 /* makedev(0x1, 0x3) */
        append_hex(out, device);
        if (style == xlat::Style::raw) return;
        out += " /* ";
        append_device(out, device);
        out += " */";
        return;
    }
    out += "makedev(";
    append_hex(out, major(device));
    out += ", ";
    append_hex(out, minor(device));
    out += ')';
}

// strace's comment after a time in seconds (sprinttime_nsec), local time:
// " /* 2026-11-29T20:07:10.425476507+0000 */"; nothing for 0.0 or a bad nsec.
// `digits` 6 makes it the comment after a timeval (sprinttime_usec).
void append_time_comment(std::string& out, std::int64_t sec, std::uint64_t nsec, int digits = 9) {
    const std::uint64_t limit = digits == 6 ? 999'999 : 999'999'999;
    if ((sec == 0 && nsec == 0) || nsec > limit) return;
    time_t t = static_cast<time_t>(sec);
    struct tm local {};
    if (!::localtime_r(&t, &local)) return;
    char text[64];
    std::size_t n = ::strftime(text, sizeof text, "%FT%T", &local);
    if (n == 0) return;
    if (nsec > 0)
        n += static_cast<std::size_t>(std::snprintf(text + n, sizeof text - n, ".%0*llu", digits,
                                                    static_cast<unsigned long long>(nsec)));
    if (::strftime(text + n, sizeof text - n, "%z", &local) == 0) return;
    out += " /* ";
    out += text;
    out += " */";
}

// An output struct stat as strace prints it: without -v abbreviated,
// "{st_mode=S_IFREG|0644, st_size=41687, ...}" (st_rdev for devices); with
// -v every field, times with their date in a comment.
void stat_out(Ctx& c, int i) {
    struct ::stat st {};
    if (c.failed() || !c.fetch(c.arg(i), st)) {
        c.ptr(i);
        return;
    }
    const bool verbose = c.options().no_abbrev;
    c.out += '{';
    if (verbose) {
        c.out += "st_dev=";
        append_device(c.out, st.st_dev, c.style());
        c.out += ", st_ino=";
        append_unsigned(c.out, st.st_ino);
        c.out += ", ";
    }
    c.out += "st_mode=";
    append_file_mode(c.out, st.st_mode, c.style());
    if (verbose) {
        c.out += ", st_nlink=";
        append_unsigned(c.out, st.st_nlink);
        c.out += ", st_uid=";
        append_unsigned(c.out, st.st_uid);
        c.out += ", st_gid=";
        append_unsigned(c.out, st.st_gid);
        c.out += ", st_blksize=";
        append_unsigned(c.out, static_cast<std::uint64_t>(st.st_blksize));
        c.out += ", st_blocks=";
        append_unsigned(c.out, static_cast<std::uint64_t>(st.st_blocks));
    }
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        c.out += ", st_rdev=";
        append_device(c.out, st.st_rdev, c.style());
    } else {
        c.out += ", st_size=";
        append_number(c.out, st.st_size);
    }
    if (!verbose) {
        c.out += ", ...}";
        return;
    }
    const struct {
        std::string_view name;
        const timespec& time;
    } times[] = {{"st_atime", st.st_atim}, {"st_mtime", st.st_mtim}, {"st_ctime", st.st_ctim}};
    for (const auto& [name, time] : times) {
        c.out += ", ";
        c.out += name;
        c.out += '=';
        append_number(c.out, time.tv_sec);
        append_time_comment(c.out, time.tv_sec, static_cast<std::uint64_t>(time.tv_nsec));
        c.out += ", ";
        c.out += name;
        c.out += "_nsec=";
        append_unsigned(c.out, static_cast<std::uint64_t>(time.tv_nsec));
    }
    c.out += '}';
}

}  // namespace

void decode_fstat(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    stat_out(c, 1);
}

void decode_stat(Ctx& c) {
    if (c.entering) {
        c.path(c.arg(0));
        c.sep();
        return;
    }
    stat_out(c, 1);
}

void decode_newfstatat(Ctx& c) {
    if (c.entering) {
        c.dirfd(0);
        c.sep();
        c.path(c.arg(1));
        c.sep();
        return;
    }
    stat_out(c, 2);
    c.sep();
    at_flags(c, 3);
}

void decode_statx(Ctx& c) {
    if (c.entering) {
        c.dirfd(0);
        c.sep();
        c.path(c.arg(1));
        c.sep();
        std::uint32_t flags = static_cast<std::uint32_t>(c.arg(2));
        // strace 6.1 -X raw prints nothing for a sync type of 0: "|0x900".
        if (c.style() != xlat::Style::raw || (flags & AT_STATX_SYNC_TYPE) || !flags)
            c.flags(flags & AT_STATX_SYNC_TYPE, xlat::statx_sync_types());
        if (flags & ~AT_STATX_SYNC_TYPE) {
            c.out += '|';
            c.flags(flags & ~AT_STATX_SYNC_TYPE, xlat::at_flags());
        }
        c.sep();
        c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::statx_masks(), "0", "STATX_???");
        c.sep();
        return;
    }
    struct ::statx stx {};
    if (c.failed() || !c.fetch(c.arg(4), stx)) {
        c.ptr(4);
        return;
    }
    // As strace: -v adds every field, in its order.
    const bool verbose = c.options().no_abbrev;
    auto field = [&](std::string_view name, std::uint64_t value) {
        c.out += ", ";
        c.out += name;
        c.out += '=';
        append_unsigned(c.out, value);
    };
    auto id = [&](std::string_view name, std::uint32_t value) {
        c.out += ", ";
        c.out += name;
        c.out += '=';
        if (value == ~std::uint32_t{0})
            c.out += "-1";
        else
            append_unsigned(c.out, value);
    };
    c.out += "{stx_mask=";
    c.flags(stx.stx_mask, xlat::statx_masks(), "0", "STATX_???");
    if (verbose) field("stx_blksize", stx.stx_blksize);
    c.out += ", stx_attributes=";
    c.flags(stx.stx_attributes, xlat::statx_attributes(), "0", "STATX_ATTR_???");
    if (verbose) {
        if (stx.stx_mask & STATX_NLINK) field("stx_nlink", stx.stx_nlink);
        if (stx.stx_mask & STATX_UID) id("stx_uid", stx.stx_uid);
        if (stx.stx_mask & STATX_GID) id("stx_gid", stx.stx_gid);
    }
    if (stx.stx_mask & (STATX_TYPE | STATX_MODE)) {
        c.out += ", stx_mode=";
        append_file_mode(c.out, stx.stx_mode, c.style());
    }
    if (verbose && (stx.stx_mask & STATX_INO)) field("stx_ino", stx.stx_ino);
    if (stx.stx_mask & STATX_SIZE) field("stx_size", stx.stx_size);
    if (!verbose) {
        c.out += ", ...}";
        return;
    }
    if (stx.stx_mask & STATX_BLOCKS) field("stx_blocks", stx.stx_blocks);
    c.out += ", stx_attributes_mask=";
    c.flags(stx.stx_attributes_mask, xlat::statx_attributes(), "0", "STATX_ATTR_???");
    const struct {
        unsigned bit;
        std::string_view name;
        const struct statx_timestamp& time;
    } times[] = {{STATX_ATIME, "stx_atime", stx.stx_atime},
                 {STATX_BTIME, "stx_btime", stx.stx_btime},
                 {STATX_CTIME, "stx_ctime", stx.stx_ctime},
                 {STATX_MTIME, "stx_mtime", stx.stx_mtime}};
    for (const auto& [bit, name, time] : times) {
        if (!(stx.stx_mask & bit)) continue;
        c.out += ", ";
        c.out += name;
        c.out += "={tv_sec=";
        append_number(c.out, time.tv_sec);
        c.out += ", tv_nsec=";
        append_unsigned(c.out, time.tv_nsec);
        c.out += '}';
        append_time_comment(c.out, time.tv_sec, time.tv_nsec);
    }
    field("stx_rdev_major", stx.stx_rdev_major);
    field("stx_rdev_minor", stx.stx_rdev_minor);
    field("stx_dev_major", stx.stx_dev_major);
    field("stx_dev_minor", stx.stx_dev_minor);
#ifdef STATX_MNT_ID
    if (stx.stx_mask & STATX_MNT_ID) {
        c.out += ", stx_mnt_id=";
        append_hex(c.out, stx.stx_mnt_id);
    }
#endif
    c.out += '}';
}

namespace {

// readlink/readlinkat: the link's text (not NUL-terminated) at exit.
void readlink_like(Ctx& c, int path_arg) {
    if (c.entering) {
        if (path_arg) {
            c.dirfd(0);
            c.sep();
        }
        c.path(c.arg(path_arg));
        c.sep();
        return;
    }
    if (c.failed())
        c.ptr(path_arg + 1);
    else
        c.buffer(c.arg(path_arg + 1), static_cast<std::uint64_t>(c.ret()));
    c.sep();
    c.ulong(path_arg + 2);
}

}  // namespace

void decode_readlink(Ctx& c) { readlink_like(c, 0); }

void decode_readlinkat(Ctx& c) { readlink_like(c, 1); }

void decode_getcwd(Ctx& c) {
    if (c.entering) return;
    if (c.failed())
        c.ptr(0);
    else
        c.path(c.arg(0));
    c.sep();
    c.ulong(1);
}

// getdents/getdents64: strace without -v counts the entries.
void decode_getdents(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    c.ptr(1);
    std::uint64_t length = static_cast<std::uint64_t>(c.ret());
    if (!c.failed() && length <= static_cast<std::uint32_t>(c.arg(2))) {
        // d_reclen sits after d_ino and d_off in both layouts (64-bit longs).
        constexpr std::size_t kReclenOffset = 16;
        constexpr std::size_t kHeader = 19;  // d_ino, d_off, d_reclen, d_type
        std::uint64_t offset = 0;
        unsigned count = 0;
        while (length - offset >= kHeader && count < (1u << 20)) {
            std::uint16_t reclen = 0;
            if (!c.fetch(c.arg(1) + offset + kReclenOffset, reclen)) break;
            ++count;
            if (reclen < kHeader) reclen = kHeader;
            if (reclen > length - offset) break;
            offset += reclen;
        }
        c.out += " /* ";
        append_unsigned(c.out, count);
        if (offset < length) c.out += '+';  // bytes left that are no whole entry
        c.out += " entries */";
    }
    c.sep();
    c.uint(2);
}

namespace {

// The name of an attribute: a string bounded by -s (strace's printstr).
void xattr_name(Ctx& c, int i) { c.cstring(c.arg(i)); }

void file_or_fd(Ctx& c, bool by_fd) {
    if (by_fd)
        c.fd(0);
    else
        c.path(c.arg(0));
}

// getxattr/lgetxattr/fgetxattr: the value read, at exit, without the
// trailing NUL a string value carries (strace's QUOTE_OMIT_TRAILING_0).
void getxattr_like(Ctx& c, bool by_fd) {
    if (c.entering) {
        file_or_fd(c, by_fd);
        c.sep();
        xattr_name(c, 1);
        c.sep();
        return;
    }
    std::uint64_t size = static_cast<std::uint64_t>(c.ret());
    if (c.failed() || size > kMaxXattrSize) {
        c.ptr(2);
    } else {
        char last = 1;
        if (size && c.arg(2) && !c.fetch(c.arg(2) + size - 1, last)) last = 1;
        c.buffer(c.arg(2), last == '\0' ? size - 1 : size);
    }
    c.sep();
    c.ulong(3);
}

// The value of setxattr/fsetxattr: at most -s bytes, without a trailing
// NUL; the address when larger than XATTR_SIZE_MAX (strace's print_xattr_val).
void xattr_value(Ctx& c, std::uint64_t address, std::uint64_t size) {
    if (size > kMaxXattrSize) {
        append_pointer(c.out, address);
        return;
    }
    char last = 1;
    if (size && address && !c.fetch(address + size - 1, last)) last = 1;
    c.buffer(address, last == '\0' ? size - 1 : size);
}

void setxattr_like(Ctx& c, bool by_fd) {
    if (!c.entering) return;
    file_or_fd(c, by_fd);
    c.sep();
    xattr_name(c, 1);
    c.sep();
    xattr_value(c, c.arg(2), c.arg(3));
    c.sep();
    c.ulong(3);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(4)), xlat::xattr_flags(), "0", "XATTR_???");
}

// listxattr: the list of names at exit, the bytes returned.
void listxattr_like(Ctx& c, bool by_fd) {
    if (c.entering) {
        file_or_fd(c, by_fd);
        c.sep();
        return;
    }
    if (c.failed() || c.arg(2) == 0)
        c.ptr(1);
    else
        c.buffer(c.arg(1), static_cast<std::uint64_t>(c.ret()));
    c.sep();
    c.ulong(2);
}

void removexattr_like(Ctx& c, bool by_fd) {
    if (!c.entering) return;
    file_or_fd(c, by_fd);
    c.sep();
    xattr_name(c, 1);
}

}  // namespace

void decode_getxattr(Ctx& c) { getxattr_like(c, false); }
void decode_setxattr(Ctx& c) { setxattr_like(c, false); }
void decode_fsetxattr(Ctx& c) { setxattr_like(c, true); }
void decode_listxattr(Ctx& c) { listxattr_like(c, false); }
void decode_flistxattr(Ctx& c) { listxattr_like(c, true); }
void decode_removexattr(Ctx& c) { removexattr_like(c, false); }
void decode_fremovexattr(Ctx& c) { removexattr_like(c, true); }

void decode_fgetxattr(Ctx& c) { getxattr_like(c, true); }

namespace {

// A struct statfs at exit as strace prints it (print_struct_statfs); the
// address when the call failed or it cannot be read.
void statfs_out(Ctx& c, int i) {
    struct ::statfs st {};
    if (c.failed() || !c.fetch(c.arg(i), st)) {
        c.ptr(i);
        return;
    }
    c.out += "{f_type=";
    c.enumeration(static_cast<std::uint64_t>(st.f_type), xlat::fs_magics(), true);
    const std::pair<const char*, std::uint64_t> counts[] = {
        {"f_bsize", static_cast<std::uint64_t>(st.f_bsize)},
        {"f_blocks", st.f_blocks},
        {"f_bfree", st.f_bfree},
        {"f_bavail", st.f_bavail},
        {"f_files", st.f_files},
        {"f_ffree", st.f_ffree}};
    for (const auto& [name, value] : counts) {
        c.out += ", ";
        c.out += name;
        c.out += '=';
        append_unsigned(c.out, value);
    }
    int fsid[2];
    static_assert(sizeof fsid == sizeof st.f_fsid);
    std::memcpy(fsid, &st.f_fsid, sizeof fsid);
    c.out += ", f_fsid={val=[";
    for (std::size_t i = 0; i < 2; ++i) {  // an array: -s elements at most
        if (i) c.out += ", ";
        if (i == c.shown_items()) {
            c.out += "...";
            break;
        }
        append_hex(c.out, static_cast<std::uint32_t>(fsid[i]));
    }
    c.out += "]}, f_namelen=";
    append_unsigned(c.out, static_cast<std::uint64_t>(st.f_namelen));
    c.out += ", f_frsize=";
    append_unsigned(c.out, static_cast<std::uint64_t>(st.f_frsize));
    c.out += ", f_flags=";
    c.flags(static_cast<std::uint64_t>(st.f_flags), xlat::statfs_flags(), "0", "ST_???");
    c.out += '}';
}

}  // namespace

void decode_statfs(Ctx& c) {
    if (c.entering) {
        c.path(c.arg(0));
        c.sep();
        return;
    }
    statfs_out(c, 1);
}

void decode_fstatfs(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    statfs_out(c, 1);
}

// mknodat(dirfd, path, mode, dev): the mode symbolic, the device only for
// character and block devices (strace's decode_mknod).
void decode_mknodat(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    auto mode = static_cast<std::uint16_t>(c.arg(2));
    append_file_mode(c.out, mode, c.style());
    if (S_ISCHR(mode) || S_ISBLK(mode)) {
        c.sep();
        append_device(c.out, static_cast<std::uint32_t>(c.arg(3)), c.style());
    }
}

void decode_renameat2(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    c.dirfd(2);
    c.sep();
    c.path(c.arg(3));
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(4)), xlat::rename_flags(), "0", "RENAME_??");
}

namespace {

// utimensat's and futimesat's two times: "[{tv_sec=..., tv_nsec=...} /* date */, ...]",
// UTIME_NOW/UTIME_OMIT by name (strace's print_timespec_utime_pair /
// print_timeval_utimes); NULL, or the address when they cannot be read.
template <class Time>
void time_pair_at(Ctx& c, std::uint64_t address) {
    Time times[2];
    if (!address) {
        c.out += "NULL";
        return;
    }
    if (!c.fetch(address, times)) {
        append_hex(c.out, address);
        return;
    }
    constexpr bool nanoseconds = std::is_same_v<Time, timespec>;
    c.out += '[';
    for (int i = 0; i < 2; ++i) {
        if (i) c.out += ", ";
        std::uint64_t fraction;
        if constexpr (nanoseconds) {
            fraction = static_cast<std::uint64_t>(times[i].tv_nsec);
            if (times[i].tv_nsec == UTIME_NOW || times[i].tv_nsec == UTIME_OMIT) {
                // -X raw: the struct alone; verbose: the struct, the name as a comment.
                const char* name = times[i].tv_nsec == UTIME_NOW ? "UTIME_NOW" : "UTIME_OMIT";
                if (c.style() != xlat::Style::abbrev) {
                    c.out += "{tv_sec=";
                    append_number(c.out, times[i].tv_sec);
                    c.out += ", tv_nsec=";
                    append_unsigned(c.out, fraction);
                    c.out += '}';
                }
                if (c.style() == xlat::Style::verbose) {
                    c.out += " /* ";
                    c.out += name;
                    c.out += " */";
                } else if (c.style() == xlat::Style::abbrev) {
                    c.out += name;
                }
                continue;
            }
        } else {
            fraction = static_cast<std::uint64_t>(times[i].tv_usec);
        }
        c.out += "{tv_sec=";
        append_number(c.out, times[i].tv_sec);
        c.out += nanoseconds ? ", tv_nsec=" : ", tv_usec=";
        append_unsigned(c.out, fraction);
        c.out += '}';
        append_time_comment(c.out, times[i].tv_sec, fraction, nanoseconds ? 9 : 6);
    }
    c.out += ']';
}

}  // namespace

void decode_utimensat(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    time_pair_at<timespec>(c, c.arg(2));
    c.sep();
    at_flags(c, 3);
}

void decode_futimesat(Ctx& c) {
    if (!c.entering) return;
    c.dirfd(0);
    c.sep();
    c.path(c.arg(1));
    c.sep();
    time_pair_at<timeval>(c, c.arg(2));
}

void decode_sync_file_range(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.slong(1);
    c.sep();
    c.slong(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::sync_file_range_flags(), "0",
            "SYNC_FILE_RANGE_???");
}

// umask(mask) = old mask, both in octal: "umask(022) = 02".
void decode_umask(Ctx& c) {
    if (c.entering)
        c.octal(0);
    else
        c.call.ret_octal = true;
}

// creat's mode is a umode_t (unsigned short), printed %#03o as strace's
// print_numeric_umode_t.
void decode_creat(Ctx& c) {
    if (!c.entering) return;
    c.path(c.arg(0));
    c.sep();
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%#03o",
                  static_cast<unsigned>(static_cast<std::uint16_t>(c.arg(1))));
    c.out += buffer;
}

namespace {

// A loff_t in memory: "[N]" (signed, or unsigned as sendfile's), or the
// pointer when unreadable, NULL when null. False when not read.
bool loff_at(Ctx& c, std::uint64_t address, bool is_unsigned) {
    std::int64_t value = 0;
    if (!address) {
        c.out += "NULL";
        return false;
    }
    if (!c.fetch(address, value)) {
        append_hex(c.out, address);
        return false;
    }
    c.out += '[';
    if (is_unsigned)
        append_unsigned(c.out, static_cast<std::uint64_t>(value));
    else
        append_number(c.out, value);
    c.out += ']';
    return true;
}

// splice(fd_in, off_in, fd_out, off_out, len, flags) and copy_file_range.
void splice_like(Ctx& c, bool splice) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    loff_at(c, c.arg(1), false);
    c.sep();
    c.fd(2);
    c.sep();
    loff_at(c, c.arg(3), false);
    c.sep();
    c.ulong(4);
    c.sep();
    if (splice)
        c.flags(static_cast<std::uint32_t>(c.arg(5)), xlat::splice_flags(), "0", "SPLICE_F_???");
    else
        c.uint(5);
}

}  // namespace

void decode_splice(Ctx& c) { splice_like(c, true); }

void decode_copy_file_range(Ctx& c) { splice_like(c, false); }

void decode_tee(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.fd(1);
    c.sep();
    c.ulong(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::splice_flags(), "0", "SPLICE_F_???");
}

void decode_fallocate(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::falloc_flags(), "0", "FALLOC_FL_???");
    c.sep();
    c.slong(2);
    c.sep();
    c.slong(3);
}

// sendfile(out, in, offset, count): the offset before, and " => [N]" after
// a call that moved it, as strace's sendfile.c.
void decode_sendfile(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        c.fd(1);
        c.sep();
        if (!loff_at(c, c.arg(2), true)) {
            c.sep();
            c.ulong(3);
            c.call.saved = 1;  // all printed at entry
        }
        return;
    }
    if (c.call.saved) return;
    if (!c.failed() && c.ret() != 0) {
        c.out += " => ";
        loff_at(c, c.arg(2), true);
    }
    c.sep();
    c.ulong(3);
}

void decode_fadvise64(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.slong(1);
    c.sep();
    c.ulong(2);
    c.sep();
    c.enumeration(static_cast<std::uint32_t>(c.arg(3)), xlat::fadvise_advice(), true,
                  "POSIX_FADV_???");
}

void decode_flock(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(1)), xlat::flock_operations(), "0", "LOCK_???");
}

}  // namespace fdtrace::decode
