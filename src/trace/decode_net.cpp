// Sockets: sockaddrs, send/recv and their msghdrs, accept, connect, socket options.

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>

#include "src/trace/decoders.h"

namespace fdtrace::decode {

namespace {

// An output sockaddr with an in/out length pointer: "{...}, [128 => 16]".
void sockaddr_out(Ctx& c, int address_arg, int length_arg) {
    std::uint64_t address = c.arg(address_arg);
    std::uint64_t length_address = c.arg(length_arg);
    if (c.entering) {
        int length = 0;
        c.call.saved = c.fetch(length_address, length) ? static_cast<std::uint32_t>(length) : ~0ull;
        return;
    }
    int length = 0;
    bool have_length = c.fetch(length_address, length);
    if (c.failed() || !have_length)
        c.ptr(address_arg);
    else
        c.sockaddr(address,
                   std::min<std::uint64_t>(static_cast<std::uint32_t>(length), c.call.saved));
    c.sep();
    if (!length_address) {
        c.out += "NULL";
    } else if (c.call.saved == ~0ull) {
        append_hex(c.out, length_address);
    } else {
        c.out += '[';
        append_unsigned(c.out, c.call.saved);
        if (!c.failed() && have_length && static_cast<std::uint32_t>(length) != c.call.saved) {
            c.out += " => ";
            append_unsigned(c.out, static_cast<std::uint32_t>(length));
        }
        c.out += ']';
    }
}

}  // namespace

void decode_recvfrom(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        sockaddr_out(c, 4, 5);
        return;
    }
    // With MSG_TRUNC the call returns the datagram's length, not what it read.
    if (c.failed())
        c.ptr(1);
    else
        c.buffer(c.arg(1), std::min(static_cast<std::uint64_t>(c.ret()), c.arg(2)));
    c.sep();
    c.ulong(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::message_flags());
    c.sep();
    sockaddr_out(c, 4, 5);
}

void decode_sendto(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.buffer(c.arg(1), c.arg(2));
    c.sep();
    c.ulong(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::message_flags());
    c.sep();
    c.sockaddr(c.arg(4), static_cast<std::uint32_t>(c.arg(5)));
    c.sep();
    c.uint(5);
}

void decode_sendmsg(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.msghdr(c.arg(1), -1);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::message_flags());
}

// recvmsg(fd, msg, flags): msg_namelen is read at entry, so a length the
// kernel changed shows as "110 => 36"; a failed call shows only that
// length, an unreadable header its address (strace's SYS_FUNC(recvmsg)).
void decode_recvmsg(Ctx& c) {
    constexpr std::uint64_t kFetched = std::uint64_t{1} << 32;
    if (c.entering) {
        c.fd(0);
        c.sep();
        struct ::msghdr header {};
        if (c.fetch(c.arg(1), header)) c.call.saved = kFetched | header.msg_namelen;
        return;
    }
    auto namelen = static_cast<std::uint32_t>(c.call.saved);
    if (!(c.call.saved & kFetched)) {
        c.ptr(1);
    } else if (c.failed()) {
        c.out += "{msg_namelen=";
        append_number(c.out, static_cast<int>(namelen));
        c.out += '}';
    } else {
        c.msghdr(c.arg(1), c.ret(), &namelen);
    }
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(2)), xlat::message_flags());
}

namespace {

// sendmmsg/recvmmsg: printed at exit, when msg_len is known.
void mmsg_like(Ctx& c, bool receiving) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        return;
    }
    std::uint64_t address = c.arg(1);
    if (c.failed() || !address) {
        c.ptr(1);
    } else {
        std::uint64_t count =
            std::min<std::uint64_t>(static_cast<std::uint64_t>(c.ret()), kMaxShownItems);
        c.out += '[';
        for (std::uint64_t i = 0; i < count; ++i) {
            std::uint64_t item = address + i * sizeof(mmsghdr);
            unsigned length = 0;
            c.fetch(item + offsetof(mmsghdr, msg_len), length);
            if (i) c.out += ", ";
            c.out += "{msg_hdr=";
            c.msghdr(item, receiving ? static_cast<std::int64_t>(length) : -1);
            c.out += ", msg_len=";
            append_unsigned(c.out, length);
            c.out += '}';
        }
        if (static_cast<std::uint64_t>(c.ret()) > count) c.out += ", ...";
        c.out += ']';
    }
    c.sep();
    c.uint(2);
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::message_flags());
    if (receiving) {
        c.sep();
        c.timespec_at(c.arg(4));
    }
}

}  // namespace

void decode_sendmmsg(Ctx& c) { mmsg_like(c, false); }

void decode_recvmmsg(Ctx& c) { mmsg_like(c, true); }

void decode_accept(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
    }
    sockaddr_out(c, 1, 2);
}

void decode_accept4(Ctx& c) {
    decode_accept(c);
    if (c.entering) return;
    c.sep();
    c.flags(static_cast<std::uint32_t>(c.arg(3)), xlat::socket_type_flags());
}

void decode_getsockname(Ctx& c) { decode_accept(c); }

void decode_connect(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.sockaddr(c.arg(1), static_cast<std::uint32_t>(c.arg(2)));
    c.sep();
    c.uint(2);
}

void decode_shutdown(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.enumeration(static_cast<std::uint32_t>(c.arg(1)), xlat::shutdown_modes());
}

namespace {

void socket_option_name(Ctx& c, int level, int name) {
    if (level == SOL_SOCKET)
        c.enumeration(static_cast<std::uint32_t>(name), xlat::socket_options());
    else if (level == IPPROTO_TCP)
        c.enumeration(static_cast<std::uint32_t>(name), xlat::tcp_options());
    else
        append_number(c.out, name);
}

}  // namespace

void decode_setsockopt(Ctx& c) {
    if (!c.entering) return;
    c.fd(0);
    c.sep();
    c.enumeration(static_cast<std::uint32_t>(c.arg(1)), xlat::socket_levels());
    c.sep();
    socket_option_name(c, c.int_arg(1), c.int_arg(2));
    c.sep();
    int value = 0;
    if (static_cast<std::uint32_t>(c.arg(4)) == sizeof(int) && c.fetch(c.arg(3), value)) {
        c.out += '[';
        append_number(c.out, value);
        c.out += ']';
    } else {
        c.ptr(3);
    }
    c.sep();
    c.uint(4);
}

void decode_getsockopt(Ctx& c) {
    if (c.entering) {
        c.fd(0);
        c.sep();
        c.enumeration(static_cast<std::uint32_t>(c.arg(1)), xlat::socket_levels());
        c.sep();
        socket_option_name(c, c.int_arg(1), c.int_arg(2));
        c.sep();
        return;
    }
    int length = 0;
    bool have_length = c.fetch(c.arg(4), length);
    int value = 0;
    if (!c.failed() && have_length && length == static_cast<int>(sizeof(int)) &&
        c.fetch(c.arg(3), value)) {
        c.out += '[';
        append_number(c.out, value);
        c.out += ']';
    } else {
        c.ptr(3);
    }
    c.sep();
    if (have_length) {
        c.out += '[';
        append_number(c.out, length);
        c.out += ']';
    } else {
        c.ptr(4);
    }
}

void decode_socket(Ctx& c) {
    if (!c.entering) return;
    int family = c.int_arg(0);
    c.enumeration(static_cast<std::uint32_t>(family), xlat::address_families());
    c.sep();
    std::uint32_t type = static_cast<std::uint32_t>(c.arg(1));
    c.enumeration(type & 0xf, xlat::socket_types());
    if (type & ~0xfu) {
        c.out += '|';
        c.flags(type & ~0xfu, xlat::socket_type_flags());
    }
    c.sep();
    std::uint32_t protocol = static_cast<std::uint32_t>(c.arg(2));
    if (family == AF_INET || family == AF_INET6)
        c.enumeration(protocol, xlat::ip_protocols());
    else if (family == AF_NETLINK)
        c.enumeration(protocol, xlat::netlink_protocols());
    else
        append_unsigned(c.out, protocol);
}

// "[3, 4]" written by pipe/pipe2/socketpair.
void fd_pair(Ctx& c, int i) {
    int fds[2] = {-1, -1};
    if (c.failed() || !c.fetch(c.arg(i), fds)) {
        c.ptr(i);
        return;
    }
    c.out += '[';
    append_number(c.out, fds[0]);
    c.out += ", ";
    append_number(c.out, fds[1]);
    c.out += ']';
}

void decode_socketpair(Ctx& c) {
    if (c.entering) {
        decode_socket(c);
        c.sep();
        return;
    }
    fd_pair(c, 3);
}

}  // namespace fdtrace::decode
