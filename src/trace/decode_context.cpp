// The typed printers: Ctx's members that print a struct from the tracee
// (sockaddr, sigset, timespec, fd_set, epoll_event, msghdr).

#include "src/trace/decode_context.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

namespace fdtrace::decode {

void Ctx::sockaddr(std::uint64_t address, std::uint64_t length) {
    if (!address) {
        out += "NULL";
        return;
    }
    sockaddr_storage storage{};
    std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(length, sizeof storage));
    if (size < sizeof(sa_family_t) || read(address, &storage, size) != size) {
        append_hex(out, address);
        return;
    }
    out += "{sa_family=";
    enumeration(storage.ss_family, xlat::address_families());
    // strace's print_sockaddr: a family's own printer only when the length
    // covers what it reads (sa_printers[].min_len), else the bytes there are
    // as sa_data.
    std::size_t min_length = 0;
    switch (storage.ss_family) {
        case AF_UNIX:
            min_length = sizeof(sa_family_t) + 1;
            break;
        case AF_INET:
            min_length = sizeof(sockaddr_in);
            break;
        case AF_INET6:
            min_length = offsetof(sockaddr_in6, sin6_scope_id);
            break;
        case AF_NETLINK:
            min_length = sizeof(sockaddr_nl);
            break;
        default:
            break;
    }
    int family = min_length && size >= min_length ? storage.ss_family : AF_UNSPEC;
    switch (family) {
        case AF_UNIX: {
            const auto& un = reinterpret_cast<const sockaddr_un&>(storage);
            std::size_t path_length = size - offsetof(sockaddr_un, sun_path);
            if (path_length == 0) break;
            std::string_view path(un.sun_path, std::min(path_length, sizeof un.sun_path));
            out += ", sun_path=";
            if (path[0] == '\0') {  // abstract: every byte counts, NULs included
                out += '@';
                append_quoted(out, path.substr(1), false, options_.hex_strings);
            } else {
                append_quoted(out, path.substr(0, std::min(path.find('\0'), path.size())), false,
                              options_.hex_strings);
            }
            break;
        }
        case AF_INET: {
            const auto& in = reinterpret_cast<const sockaddr_in&>(storage);
            char text[INET_ADDRSTRLEN] = {};
            ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
            if (style() != xlat::Style::abbrev) {  // strace -X raw: the bytes as they are
                out += ", sin_port=";
                raw_field(&in.sin_port, sizeof in.sin_port,
                          "htons(" + std::to_string(ntohs(in.sin_port)) + ")");
                out += ", sin_addr=";
                raw_field(&in.sin_addr, sizeof in.sin_addr,
                          "inet_addr(\"" + std::string(text) + "\")");
                break;
            }
            out += ", sin_port=htons(";
            append_unsigned(out, ntohs(in.sin_port));
            out += "), sin_addr=inet_addr(\"";
            out += text;
            out += "\")";
            break;
        }
        case AF_INET6: {
            const auto& in6 = reinterpret_cast<const sockaddr_in6&>(storage);
            char text[INET6_ADDRSTRLEN] = {};
            ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
            if (style() != xlat::Style::abbrev) {
                out += ", sin6_port=";
                raw_field(&in6.sin6_port, sizeof in6.sin6_port,
                          "htons(" + std::to_string(ntohs(in6.sin6_port)) + ")");
                out += ", sin6_flowinfo=";
                raw_field(&in6.sin6_flowinfo, sizeof in6.sin6_flowinfo,
                          "htonl(" + std::to_string(ntohl(in6.sin6_flowinfo)) + ")");
                out += ", sin6_addr=";
                raw_field(&in6.sin6_addr, sizeof in6.sin6_addr,
                          "inet_pton(AF_INET6, \"" + std::string(text) + "\")");
                if (size > offsetof(sockaddr_in6, sin6_scope_id)) {
                    out += ", sin6_scope_id=";
                    append_unsigned(out, in6.sin6_scope_id);
                }
                break;
            }
            out += ", sin6_port=htons(";
            append_unsigned(out, ntohs(in6.sin6_port));
            out += "), sin6_flowinfo=htonl(";
            append_unsigned(out, ntohl(in6.sin6_flowinfo));
            out += "), inet_pton(AF_INET6, \"";
            out += text;
            out += "\", &sin6_addr)";
            if (size > offsetof(sockaddr_in6, sin6_scope_id)) {
                out += ", sin6_scope_id=";
                append_unsigned(out, in6.sin6_scope_id);
            }
            break;
        }
        case AF_NETLINK: {
            const auto& nl = reinterpret_cast<const sockaddr_nl&>(storage);
            char groups[16];
            std::snprintf(groups, sizeof groups, "%08x", nl.nl_groups);
            out += ", nl_pid=";
            append_number(out, static_cast<std::int32_t>(nl.nl_pid));
            out += ", nl_groups=";
            out += groups;
            break;
        }
        default: {
            std::size_t data = size > sizeof(sa_family_t) ? size - sizeof(sa_family_t) : 0;
            if (data == 0) break;
            out += ", sa_data=";
            append_quoted(
                out, std::string_view(reinterpret_cast<const char*>(&storage) + sizeof(sa_family_t),
                                      data));
        }
    }
    out += '}';
}

// "[INT TERM]", or "~[RTMIN RT_1]" when two thirds or more of the `bytes`
// bytes' signals are in the set (strace's sprintsigmask_n).
// -X raw: the numbers, "~[32 33]"; verbose: "~[32 /* RTMIN */ 33 /* RT_1 */]".
void append_sigmask(std::string& out, std::uint64_t mask, std::size_t bytes, xlat::Style style) {
    int bits = static_cast<int>(bytes * 8);
    if (bits < 64) mask &= (std::uint64_t{1} << bits) - 1;
    bool inverted = __builtin_popcountll(mask) >= bits * 2 / 3;
    if (inverted) out += '~';
    out += '[';
    bool first = true;
    for (int signal = 1; signal <= bits; ++signal) {
        bool member = mask & (std::uint64_t{1} << (signal - 1));
        if (member == inverted) continue;
        if (!first) out += ' ';
        first = false;
        std::string name = xlat::signal_name(signal);
        std::string_view bare =
            std::string_view(name).starts_with("SIG") ? std::string_view(name).substr(3) : name;
        std::string number = std::to_string(signal);
        xlat::append_named(out, number, bare == number ? std::string_view{} : bare, style);
    }
    out += ']';
}

void Ctx::sigset(std::uint64_t address, std::uint64_t size) {
    if (!address) {
        out += "NULL";
        return;
    }
    std::uint64_t mask = 0;
    // strace shows the address for a size the kernel would refuse.
    if (size == 0 || size > sizeof mask) {
        append_hex(out, address);
        return;
    }
    std::size_t want = static_cast<std::size_t>(size);
    if (read(address, &mask, want) != want) {
        append_hex(out, address);
        return;
    }
    append_sigmask(out, mask, want, style());
}

// {tv_sec=1, tv_nsec=2} / {tv_sec=1, tv_usec=2}: the same shape, one printer.
template <class Time, class Fraction>
void Ctx::time_at(std::uint64_t address, std::string_view fraction_name, Fraction fraction) {
    Time value{};
    if (!address) {
        out += "NULL";
    } else if (!fetch(address, value)) {
        append_hex(out, address);
    } else {
        out += "{tv_sec=";
        append_number(out, value.tv_sec);
        out += ", ";
        out += fraction_name;
        out += '=';
        // strace prints the fraction unsigned (tv_nsec=13464652301697220333).
        append_unsigned(out, static_cast<std::uint64_t>(fraction(value)));
        out += '}';
    }
}

void Ctx::timespec_at(std::uint64_t address) {
    time_at<timespec>(address, "tv_nsec", [](const timespec& t) { return t.tv_nsec; });
}

void Ctx::timeval_at(std::uint64_t address) {
    time_at<timeval>(address, "tv_usec", [](const timeval& t) { return t.tv_usec; });
}

// "[3 4]" for the fds set among the first `nfds`.
void Ctx::fd_set_at(std::uint64_t address, int nfds) {
    if (!address) {
        out += "NULL";
        return;
    }
    if (nfds < 0) {  // strace: the kernel rejects it, the set is not read
        append_hex(out, address);
        return;
    }
    int limit = std::clamp(nfds, 0, 65536);
    std::size_t words = (static_cast<std::size_t>(limit) + 63) / 64;
    std::vector<std::uint64_t> bits(words);
    if (words && read(address, bits.data(), words * 8) != words * 8) {
        append_hex(out, address);
        return;
    }
    out += '[';
    bool first = true;
    for (int fd = 0; fd < limit; ++fd) {
        if (!(bits[fd / 64] & (std::uint64_t{1} << (fd % 64)))) continue;
        if (!first) out += ' ';
        first = false;
        append_number(out, fd);
    }
    out += ']';
}

void Ctx::epoll_event_value(const epoll_event& event) {
    out += "{events=";
    flags(event.events, xlat::epoll_events());
    out += ", data={u32=";
    append_unsigned(out, static_cast<std::uint32_t>(event.data.u64));
    out += ", u64=";
    append_unsigned(out, event.data.u64);
    out += "}}";
}

// {msg_name=..., msg_namelen=N, msg_iov=[...], msg_iovlen=N, msg_control=[...],
// msg_controllen=N, msg_flags=...}; `data` as for iovec_array.
// With `entry_namelen` (recvmsg), the msg_namelen the caller gave: the
// address is printed at most that long, and a length the kernel changed as
// "msg_namelen=110 => 36" (strace's print_msghdr).
void Ctx::msghdr(std::uint64_t address, std::int64_t data, const std::uint32_t* entry_namelen) {
    struct ::msghdr header {};
    if (!fetch(address, header)) {
        append_pointer(out, address);
        return;
    }
    out += "{msg_name=";
    std::uint32_t name_length = header.msg_namelen;
    if (entry_namelen && *entry_namelen < name_length) name_length = *entry_namelen;
    sockaddr(reinterpret_cast<std::uint64_t>(header.msg_name), name_length);
    out += ", msg_namelen=";
    if (entry_namelen && *entry_namelen != header.msg_namelen) {
        append_number(out, static_cast<int>(*entry_namelen));
        out += " => ";
    }
    append_number(out, static_cast<int>(header.msg_namelen));
    out += ", msg_iov=";
    iovec_array(reinterpret_cast<std::uint64_t>(header.msg_iov), header.msg_iovlen, data);
    out += ", msg_iovlen=";
    append_unsigned(out, header.msg_iovlen);
    auto control = reinterpret_cast<std::uint64_t>(header.msg_control);
    if (control && header.msg_controllen) {
        out += ", msg_control=";
        std::size_t size = std::min<std::size_t>(header.msg_controllen, kMaxControl);
        std::vector<unsigned char> bytes(size);
        if (read(control, bytes.data(), size) != size) {
            append_hex(out, control);
        } else {
            out += '[';
            std::size_t offset = 0;
            bool first = true;
            constexpr std::size_t kHeader = CMSG_ALIGN(sizeof(cmsghdr));
            while (offset + sizeof(cmsghdr) <= size) {
                cmsghdr cmsg;
                ::memcpy(&cmsg, bytes.data() + offset, sizeof cmsg);
                if (cmsg.cmsg_len < sizeof(cmsghdr)) break;
                if (!first) out += ", ";
                first = false;
                out += "{cmsg_len=";
                append_unsigned(out, cmsg.cmsg_len);
                out += ", cmsg_level=";
                enumeration(static_cast<std::uint32_t>(cmsg.cmsg_level), xlat::socket_levels());
                out += ", cmsg_type=";
                std::size_t data_length = std::min<std::size_t>(cmsg.cmsg_len, size - offset);
                data_length = data_length > kHeader ? data_length - kHeader : 0;
                const unsigned char* payload = bytes.data() + offset + kHeader;
                if (cmsg.cmsg_level == SOL_SOCKET && cmsg.cmsg_type == SCM_RIGHTS) {
                    out += "SCM_RIGHTS, cmsg_data=[";
                    for (std::size_t i = 0; i + sizeof(int) <= data_length; i += sizeof(int)) {
                        int fd;
                        ::memcpy(&fd, payload + i, sizeof fd);
                        if (i) out += ", ";
                        append_number(out, fd);
                    }
                    out += ']';
                } else if (cmsg.cmsg_level == SOL_SOCKET && cmsg.cmsg_type == SCM_CREDENTIALS &&
                           data_length >= sizeof(ucred)) {
                    ucred credentials;
                    ::memcpy(&credentials, payload, sizeof credentials);
                    out += "SCM_CREDENTIALS, cmsg_data={pid=";
                    append_number(out, credentials.pid);
                    out += ", uid=";
                    append_unsigned(out, credentials.uid);
                    out += ", gid=";
                    append_unsigned(out, credentials.gid);
                    out += '}';
                } else {
                    append_hex(out, static_cast<std::uint32_t>(cmsg.cmsg_type));
                }
                out += '}';
                offset += CMSG_ALIGN(cmsg.cmsg_len);
            }
            out += ']';
        }
    }
    out += ", msg_controllen=";
    append_unsigned(out, header.msg_controllen);
    out += ", msg_flags=";
    flags(static_cast<std::uint32_t>(header.msg_flags), xlat::message_flags());
    out += '}';
}

}  // namespace fdtrace::decode
