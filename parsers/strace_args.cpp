#include "fdtrace/strace_args.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <array>

#include "fdtrace/strace_line.h"
#include "parsers/byte_scan.h"

namespace fdtrace {
namespace {

std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Bytes split_args must look at: the separator, and what opens a group
// whose commas are not separators.
constexpr ByteSet<5> kSplitBytes(",\"([{");

// Bytes that matter inside a group: quotes and brackets of any kind.
constexpr ByteSet<7> kNestBytes("\"()[]{}");

// Index after the group (bracket/brace/paren/quote) starting at text[pos],
// or pos + 1 for any other character.
std::size_t skip_item(std::string_view text, std::size_t pos) noexcept {
    char c = text[pos];
    if (c == '"') return skip_quoted(text, pos);
    if (c == '(' || c == '[' || c == '{') {
        // Balance is tracked by nesting depth alone: the closer's kind does
        // not matter for strace's (always well-formed) groups.
        std::size_t depth = 1;
        const std::size_t size = text.size();
        std::size_t i = pos + 1;
        while (i < size) {
            i = find_byte_of(text, i, kNestBytes);
            if (i >= size) break;
            char r = text[i];
            if (r == '"') {
                i = skip_quoted(text, i);
                continue;
            }
            if (r == '(' || r == '[' || r == '{') {
                ++depth;
            } else if (--depth == 0) {
                return i + 1;
            }
            ++i;
        }
        return size;
    }
    return pos + 1;
}

}  // namespace

ArgList split_args(std::string_view args) noexcept {
    ArgList list;
    std::size_t start = 0;
    std::size_t pos = 0;
    auto push = [&](std::size_t end) {
        if (list.count == ArgList::kMax) return;
        std::string_view item = args.substr(start, end - start);
        std::size_t lead = 0;
        while (lead < item.size() && item[lead] == ' ') ++lead;
        list.items[list.count] = trim(item);
        list.offsets[list.count] = static_cast<std::uint32_t>(start + lead);
        ++list.count;
    };
    while (pos < args.size()) {
        pos = find_byte_of(args, pos, kSplitBytes);
        if (pos >= args.size()) break;
        if (args[pos] == ',') {
            push(pos);
            start = ++pos;
            continue;
        }
        pos = skip_item(args, pos);
    }
    if (!trim(args.substr(start)).empty() || list.count > 0) push(args.size());
    return list;
}

std::optional<std::string> decode_c_string(std::string_view text) {
    text = trim(text);
    if (text.ends_with("...")) text.remove_suffix(3);
    if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::nullopt;
    return decode_c_escapes(text.substr(1, text.size() - 2));
}

std::string decode_c_escapes(std::string_view text) {
    // Most strings (paths above all) have no escape: copy up to the first
    // backslash in one go, decode byte by byte only from there.
    std::size_t first = text.find('\\');
    if (first == std::string_view::npos) return std::string(text);
    std::string out;
    out.reserve(text.size());
    out.append(text.substr(0, first));
    for (std::size_t i = first; i < text.size(); ++i) {
        char c = text[i];
        if (c != '\\' || i + 1 >= text.size()) {
            out += c;
            continue;
        }
        char e = text[++i];
        switch (e) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'v':
                out += '\v';
                break;
            case 'f':
                out += '\f';
                break;
            case 'a':
                out += '\a';
                break;
            case 'b':
                out += '\b';
                break;
            case 'x': {
                int value = 0;
                int digits = 0;
                while (digits < 2 && i + 1 < text.size() && hex_value(text[i + 1]) >= 0) {
                    value = value * 16 + hex_value(text[++i]);
                    ++digits;
                }
                out += static_cast<char>(value);
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    int value = e - '0';
                    for (int digits = 1; digits < 3 && i + 1 < text.size() && text[i + 1] >= '0' &&
                                         text[i + 1] <= '7';
                         ++digits)
                        value = value * 8 + (text[++i] - '0');
                    out += static_cast<char>(value);
                } else {
                    out += e;  // \" \\ and anything unknown stand for themselves
                }
        }
    }
    return out;
}

bool is_at_fdcwd(std::string_view text) noexcept {
    text = trim(text);
    // -X raw: "-100"; -X verbose: "-100 /* AT_FDCWD */".
    return text.starts_with("AT_FDCWD") || text == "-100" || text == "0xffffff9c" ||
           text.starts_with("-100 /* ") || text.starts_with("0xffffff9c /* ");
}

std::optional<int> parse_fd(std::string_view text) noexcept {
    text = trim(text);
    std::size_t digits = digit_run(text);
    if (digits == 0 || digits > 9) return std::nullopt;
    // Accept "3" and "3<annotation>" but not "3 /* comment */" or "30x".
    if (digits < text.size() && text[digits] != '<') return std::nullopt;
    return static_cast<int>(*parse_integer(text.substr(0, digits)));
}

bool has_flag(std::string_view flags, std::string_view flag) noexcept {
    std::size_t pos = 0;
    while ((pos = flags.find(flag, pos)) != std::string_view::npos) {
        bool start_ok = pos == 0 || flags[pos - 1] == '|' || flags[pos - 1] == ' ' ||
                        flags[pos - 1] == '[' || flags[pos - 1] == '(' || flags[pos - 1] == '=';
        std::size_t end = pos + flag.size();
        bool end_ok = end == flags.size() || flags[end] == '|' || flags[end] == ' ' ||
                      flags[end] == ',' || flags[end] == ']' || flags[end] == ')' ||
                      flags[end] == '}';
        if (start_ok && end_ok) return true;
        pos = end;
    }
    return false;
}

std::string_view struct_field(std::string_view text, std::string_view key) noexcept {
    text = trim(text);
    if (text.size() < 2 || text.front() != '{') return {};
    std::string_view inner = text.substr(1, text.size() - (text.back() == '}' ? 2 : 1));
    // Every field, not split_args' first eight: strace -v prints st_rdev as
    // the ninth field of a stat.
    auto matches = [&](std::size_t start, std::size_t end) {
        std::string_view field = trim(inner.substr(start, end - start));
        return field.size() > key.size() && field.starts_with(key) && field[key.size()] == '='
                   ? field.substr(key.size() + 1)
                   : std::string_view{};
    };
    std::size_t start = 0;
    std::size_t pos = 0;
    while (pos < inner.size()) {
        pos = find_byte_of(inner, pos, kSplitBytes);
        if (pos >= inner.size()) break;
        if (inner[pos] == ',') {
            if (auto value = matches(start, pos); !value.empty()) return value;
            start = ++pos;
            continue;
        }
        pos = skip_item(inner, pos);
    }
    return matches(start, inner.size());
}

namespace {

// `htons(80)` -> 80; also a bare number (-X raw).
// strace -X raw / -X verbose print a port and an address as their bytes in
// network order: sin_port="\x1f\x90" (verbose adds /* htons(8080) */).
// The bytes of the leading quoted string of `text`, if it starts with one.
std::optional<std::string> leading_bytes(std::string_view text) {
    text = trim(text);
    if (!text.starts_with('"')) return std::nullopt;
    std::size_t close = skip_quoted(text, 0);
    return decode_c_string(text.substr(0, close));
}

std::uint16_t parse_port(std::string_view text) noexcept {
    text = trim(text);
    if (auto bytes = leading_bytes(text)) {
        if (bytes->size() != 2) return 0;
        return static_cast<std::uint16_t>((static_cast<unsigned char>((*bytes)[0]) << 8) |
                                          static_cast<unsigned char>((*bytes)[1]));
    }
    if (text.starts_with("htons(") && text.ends_with(")")) text = text.substr(6, text.size() - 7);
    auto value = parse_integer(text);
    return value && *value >= 0 && *value <= 65535 ? static_cast<std::uint16_t>(*value) : 0;
}

// The families fdtrace tells apart, by value (-X raw/verbose print the
// number) and by name. AF_INET6 comes before AF_INET, whose name begins it.
struct FamilySpelling {
    int value;
    std::string_view name;
    SockAddr::Family family;
};
constexpr FamilySpelling kFamilySpellings[] = {
    {AF_UNIX, "AF_UNIX", SockAddr::Family::Unix},
    {AF_LOCAL, "AF_LOCAL", SockAddr::Family::Unix},
    {AF_FILE, "AF_FILE", SockAddr::Family::Unix},
    {AF_INET6, "AF_INET6", SockAddr::Family::Inet6},
    {AF_INET, "AF_INET", SockAddr::Family::Inet},
    {AF_NETLINK, "AF_NETLINK", SockAddr::Family::Netlink},
    {AF_PACKET, "AF_PACKET", SockAddr::Family::Packet},
    {AF_UNSPEC, "AF_UNSPEC", SockAddr::Family::Unspec},
};

// sa_family's text: a name (strace 4's PF_* too: the protocol families have
// the address families' values), or a number under -X raw ("0x2") and
// verbose ("0xa /* AF_INET6 */"). Unknown when empty; Other for any family
// not in the table.
SockAddr::Family family_of(std::string_view text) {
    if (text.empty()) return SockAddr::Family::Unknown;
    if (digit_run(text.substr(0, 1)) == 1) {
        auto number = parse_integer(text.substr(0, text.find(' ')));
        for (const FamilySpelling& spelling : kFamilySpellings)
            if (number && *number == spelling.value) return spelling.family;
        return SockAddr::Family::Other;
    }
    std::string spelled;
    if (text.starts_with("PF_")) {
        spelled = "AF_" + std::string(text.substr(3));
        text = spelled;
    }
    for (const FamilySpelling& spelling : kFamilySpellings)
        if (text.starts_with(spelling.name)) return spelling.family;
    return SockAddr::Family::Other;
}

// The quoted address inside inet_addr("...") / inet_pton(AF_INET6, "...", ...).
std::string quoted_inside(std::string_view text) {
    std::size_t open = text.find('"');
    if (open == std::string_view::npos) return {};
    std::size_t close = text.find('"', open + 1);
    if (close == std::string_view::npos) return {};
    return std::string(text.substr(open + 1, close - open - 1));
}

// An address field's value: inet_addr("1.2.3.4") as strace prints it, or
// its bytes under -X raw/verbose ("\x7f\x00\x00\x01"), as text.
std::string address_text(std::string_view value, int family) {
    if (auto bytes = leading_bytes(value)) {
        const std::size_t want = family == AF_INET ? 4 : 16;
        if (bytes->size() != want) return {};
        char text[INET6_ADDRSTRLEN] = {};
        if (!::inet_ntop(family, bytes->data(), text, sizeof text)) return {};
        return text;
    }
    return quoted_inside(value);
}

}  // namespace

std::optional<SockAddr> parse_sockaddr(std::string_view text) {
    text = trim(text);
    if (text.size() < 2 || text.front() != '{') return std::nullopt;
    SockAddr addr;
    std::string_view inner = text.substr(1, text.size() - (text.back() == '}' ? 2 : 1));
    ArgList fields = split_args(inner);
    std::string_view family;
    std::string ip;
    for (std::size_t i = 0; i < fields.count; ++i) {
        std::string_view field = fields[i];
        if (field.starts_with("sa_family=")) {
            family = field.substr(10);
        } else if (field.starts_with("sin_port=") || field.starts_with("sin6_port=")) {
            addr.port = parse_port(field.substr(field.find('=') + 1));
        } else if (field.starts_with("sin_addr=")) {
            addr.family = SockAddr::Family::Inet;
            ip = address_text(field.substr(9), AF_INET);
        } else if (field.starts_with("inet_pton(AF_INET6") || field.starts_with("sin6_addr=")) {
            addr.family = SockAddr::Family::Inet6;
            ip = field.starts_with("sin6_addr=") ? address_text(field.substr(10), AF_INET6)
                                                 : quoted_inside(field);
        } else if (field.starts_with("sun_path=") || field.starts_with("path=")) {
            // strace 4.x: {sa_family=AF_LOCAL, path="/dev/log"}
            std::string_view path = field.substr(field.find('=') + 1);
            bool abstract = path.starts_with("@");
            if (abstract) path.remove_prefix(1);
            auto decoded = decode_c_string(path);
            addr.address = (abstract ? "@" : "") + decoded.value_or(std::string(path));
        }
    }
    if (addr.family == SockAddr::Family::Unknown) {
        addr.family = family_of(family);
        if (addr.family == SockAddr::Family::Unknown && !addr.address.empty())
            addr.family = SockAddr::Family::Unix;
    }
    if (addr.family == SockAddr::Family::Inet && !ip.empty())
        addr.address = ip + ":" + std::to_string(addr.port);
    else if (addr.family == SockAddr::Family::Inet6 && !ip.empty())
        addr.address = "[" + ip + "]:" + std::to_string(addr.port);
    return addr;
}

}  // namespace fdtrace
