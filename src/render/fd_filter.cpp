#include "fdtrace/fd_filter.h"

#include <fnmatch.h>
#include <netdb.h>

#include <charconv>

namespace fdtrace {
namespace {

std::optional<int> parse_number(std::string_view text) {
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

// "1.2.3.4:80", "[::1]:443": the port after the last ':'.
std::optional<int> port_of(std::string_view address) {
    std::size_t colon = address.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    return parse_number(address.substr(colon + 1));
}

// The path a kind of fd has, if any.
std::string_view path_of(const FdIdentity& identity) {
    if (const auto* path = identity.get<PathDetails>()) return path->path;
    if (const auto* unix_socket = identity.get<UnixDetails>()) return unix_socket->path;
    return {};
}

}  // namespace

std::variant<FdFilter, std::string> FdFilter::parse_numbers(std::string_view text) {
    FdFilter filter;
    while (!text.empty()) {
        std::size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        std::size_t dash = item.find('-');
        auto low = parse_number(item.substr(0, dash));
        auto high = dash == std::string_view::npos ? low : parse_number(item.substr(dash + 1));
        if (!low || !high || *high < *low)
            return "'" + std::string(item) + "' is not an fd or a range of fds";
        filter.fd_ranges_.emplace_back(*low, *high);
    }
    if (filter.fd_ranges_.empty()) return std::string("no fd given");
    return filter;
}

std::variant<FdFilter, std::string> FdFilter::parse(std::string_view text) {
    FdFilter filter;
    if (text.empty()) return std::string("an empty filter");
    if (text.front() == '/') {
        filter.glob_ = std::string(text);
        return filter;
    }
    if (text.front() >= '0' && text.front() <= '9') return parse_numbers(text);
    std::size_t colon = text.find(':');
    std::string_view kind = text.substr(0, colon);
    std::string_view rest =
        colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
    auto found = kind_from_name(kind);
    if (!found) return "unknown kind '" + std::string(kind) + "' (tcp, udp, unix, pipe, file, ...)";
    filter.kind_ = *found;
    filter.inet_any_ = kind == "tcp" || kind == "udp";
    if (rest.empty()) return filter;
    if (is_inet_kind(*found)) {
        if (auto port = parse_number(rest)) {
            filter.port_ = *port;
            return filter;
        }
        // A service name, looked up in the protocol's own table.
        std::string name(rest);
        const servent* service =
            ::getservbyname(name.c_str(), kind.starts_with("udp") ? "udp" : "tcp");
        if (!service) return "unknown port '" + name + "'";
        filter.port_ = ntohs(static_cast<std::uint16_t>(service->s_port));
        return filter;
    }
    filter.glob_ = std::string(rest);
    return filter;
}

bool FdFilter::matches(int fd, const FdIdentity* identity) const {
    if (!fd_ranges_.empty()) {
        for (auto [low, high] : fd_ranges_)
            if (fd >= low && fd <= high) return true;
        return false;
    }
    if (!identity) return false;
    if (kind_) {
        FdKind kind = identity->kind;
        bool same =
            kind == *kind_ || (inet_any_ && ((*kind_ == FdKind::Tcp && kind == FdKind::Tcp6) ||
                                             (*kind_ == FdKind::Udp && kind == FdKind::Udp6)));
        if (!same) return false;
    }
    if (port_) {
        const auto* inet = identity->get<InetDetails>();
        if (!inet || (port_of(inet->local) != port_ && port_of(inet->remote) != port_))
            return false;
    }
    if (!glob_.empty()) {
        std::string path(path_of(*identity));
        if (path.empty() || ::fnmatch(glob_.c_str(), path.c_str(), 0) != 0) return false;
    }
    return true;
}

}  // namespace fdtrace
