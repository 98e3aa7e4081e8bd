// Reading the argument text strace printed: splitting, C strings, sockaddrs,
// flag sets. Pure functions over string_view.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fdtrace {

// Top-level arguments of one call, as views into its argument text.
struct ArgList {
    static constexpr std::size_t kMax = 8;
    std::array<std::string_view, kMax> items{};
    std::array<std::uint32_t, kMax> offsets{};  // of each item within the text
    std::size_t count = 0;

    std::string_view operator[](std::size_t i) const noexcept {
        return i < count ? items[i] : std::string_view{};
    }
};

ArgList split_args(std::string_view args) noexcept;

// The bytes a strace string literal ("a\nb\x41\"") stands for. Accepts a
// trailing "..." (truncated string) and -x/-xx hex forms. nullopt if `text`
// is not a string literal (NULL, a pointer, ...).
std::optional<std::string> decode_c_string(std::string_view text);
// The same for text without the quotes (strace's escapes inside -yy paths:
// "odd dir\76\303\251").
std::string decode_c_escapes(std::string_view text);

// An fd number as printed ("3", "3</x>", "AT_FDCWD", "-100" under -X raw).
std::optional<int> parse_fd(std::string_view text) noexcept;
bool is_at_fdcwd(std::string_view text) noexcept;

// Whether a '|'-separated flag set contains `flag` ("O_RDWR|O_CLOEXEC").
bool has_flag(std::string_view flags, std::string_view flag) noexcept;

// A socket address as strace prints it.
struct SockAddr {
    // Unspec: AF_UNSPEC, which connect() takes to dissolve an association.
    enum class Family : std::uint8_t { Unknown, Inet, Inet6, Unix, Netlink, Packet, Unspec, Other };
    Family family = Family::Unknown;
    std::string address;  // inet: "1.2.3.4:80" / "[::1]:80"; unix: "/path", "@abstract", ""
    std::uint16_t port = 0;
};

std::optional<SockAddr> parse_sockaddr(std::string_view text);

// The value of `key=` at the top level of a "{...}" structure ("{fd=3, ...}").
std::string_view struct_field(std::string_view text, std::string_view key) noexcept;

}  // namespace fdtrace
