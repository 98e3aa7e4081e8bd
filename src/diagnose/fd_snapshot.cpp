#include "fdtrace/fd_snapshot.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <set>

#include "src/diagnose/text_table.h"
#include "src/resolve/proc_files.h"
#include "src/resolve/text_util.h"

namespace fdtrace {

// ---- reading ----------------------------------------------------------------

std::optional<SysError> check_process_access(int pid) {
    if (pid <= 0) return SysError{ESRCH, "pid " + std::to_string(pid)};
    auto fds = list_numeric_entries(proc_fd_table_path(pid, "fd"));
    if (fds) {
        // The directory lists fds whose links cannot be read (another user
        // namespace's init, an LSM policy): say so, rather than list nothing
        // with the status that means "no match".
        if (fds->empty()) return std::nullopt;
        std::string link = proc_fd_path(pid, fds->front());
        char target[16];
        if (::readlink(link.c_str(), target, sizeof target) < 0 && errno != ENOENT)
            return SysError{errno, link};
        return std::nullopt;
    }
    SysError error = fds.error();
    if (error.error == ENOENT) error.error = ESRCH;
    return error;
}

Result<FdSnapshot> take_fd_snapshot(ProcResolver& resolver, int pid) {
    if (auto error = check_process_access(pid)) return *error;
    FdSnapshot snapshot;
    snapshot.pid = pid;
    snapshot.comm = read_comm(pid);
    snapshot.taken = std::chrono::steady_clock::now();
    // A snapshot tells the state now: socket dumps cached by an earlier one
    // would show old states (the owner index is rescanned by the batch).
    resolver.sockets().invalidate();
    for (auto& [fd, identity] : resolver.snapshot(pid)) {
        FdRow row;
        row.fd = fd;
        row.identity = std::move(identity);
        row.flags = resolver.fd_flags(pid, fd);
        snapshot.rows.push_back(std::move(row));
    }
    if (snapshot.rows.empty() && ::kill(pid, 0) != 0 && errno == ESRCH) {
        return SysError{ESRCH, "pid " + std::to_string(pid)};
    }
    return snapshot;
}

// ---- filters ----------------------------------------------------------------

namespace {

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (c == '-') c = '_';
    }
    return out;
}

// ss's short names for the kernel's states, and lsof's (CLOSED; UDP's
// Idle for bound and unconnected, Unbound for not in the table at all).
std::string canonical_state(std::string_view text) {
    std::string state = upper(text);
    if (state == "ESTAB") return "ESTABLISHED";
    if (state == "UNCONN" || state == "IDLE") return "UNCONNECTED";
    if (state == "SYN_RECEIVED") return "SYN_RECV";
    if (state == "CLOSED") return "CLOSE";
    if (state == "UNBOUND") return "";
    return state;
}

// The state names -s accepts per protocol, upper case: lsof's TCP list (and
// its UDP Unbound/Idle), ss's short names, and the kernel's names that fdtrace
// shows. Anything else is a typo, refused as lsof refuses it.
std::span<const std::string_view> known_states(std::string_view protocol) {
    static constexpr std::string_view kTcp[] = {
        "ESTABLISHED", "SYN_SENT",     "SYN_RECV",     "FIN_WAIT1",     "FIN_WAIT2", "TIME_WAIT",
        "CLOSE",       "CLOSED",       "CLOSE_WAIT",   "LAST_ACK",      "LISTEN",    "CLOSING",
        "ESTAB",       "SYN_RECEIVED", "NEW_SYN_RECV", "BOUND_INACTIVE"};
    static constexpr std::string_view kUdp[] = {"UNBOUND", "IDLE",        "UNCONNECTED",
                                                "UNCONN",  "ESTABLISHED", "ESTAB"};
    static constexpr std::string_view kUnix[] = {"LISTEN",      "ESTABLISHED", "ESTAB",
                                                 "UNCONNECTED", "UNCONN",      "SYN_SENT"};
    if (protocol == "tcp") return kTcp;
    if (protocol == "udp") return kUdp;
    return kUnix;
}

std::vector<std::string_view> split_commas(std::string_view text) {
    std::vector<std::string_view> parts;
    while (true) {
        auto comma = text.find(',');
        parts.push_back(trim(text.substr(0, comma)));
        if (comma == std::string_view::npos) return parts;
        text.remove_prefix(comma + 1);
    }
}

// "127.0.0.1:80" -> {"127.0.0.1", 80}; "[::1]:80" -> {"::1", 80}.
std::pair<std::string_view, int> split_address(std::string_view address) {
    auto colon = address.rfind(':');
    if (colon == std::string_view::npos) return {address, -1};
    std::string_view host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    int port = -1;
    if (!parse_number(address.substr(colon + 1), port)) port = -1;
    return {host, port};
}

bool is_tcp(FdKind kind) { return kind == FdKind::Tcp || kind == FdKind::Tcp6; }
bool is_udp(FdKind kind) { return kind == FdKind::Udp || kind == FdKind::Udp6; }

bool protocol_covers(std::string_view protocol, FdKind kind) {
    if (protocol == "tcp") return is_tcp(kind);
    if (protocol == "udp") return is_udp(kind);
    if (protocol == "unix") return kind == FdKind::Unix;
    return false;
}

bool inet_matches(const InetSelector& selector, const FdIdentity& identity) {
    if (!is_inet_kind(identity.kind)) return false;
    const auto* inet = identity.get<InetDetails>();
    bool v6 = identity.kind == FdKind::Tcp6 || identity.kind == FdKind::Udp6 ||
              (inet && inet->local.starts_with('['));
    if (selector.family == 4 && v6) return false;
    if (selector.family == 6 && !v6) return false;
    if (!selector.protocol.empty() && !protocol_covers(selector.protocol, identity.kind)) {
        return false;
    }
    if (selector.host.empty() && selector.port < 0) return true;
    if (!inet) return false;
    for (const std::string& address : {inet->local, inet->remote}) {
        if (address.empty()) continue;
        auto [address_host, port] = split_address(address);
        // A named copy: a lambda may not capture a structured binding (clang 14).
        const auto host = address_host;
        auto is_host = [&host](std::string_view wanted) {
            return host == wanted || (host.starts_with("::ffff:") && host.substr(7) == wanted);
        };
        bool host_ok =
            selector.host.empty() ||
            (selector.host_addresses.empty() ? is_host(selector.host)
                                             : std::any_of(selector.host_addresses.begin(),
                                                           selector.host_addresses.end(), is_host));
        bool port_ok = selector.port < 0 || port == selector.port;
        if (host_ok && port_ok) return true;
    }
    return false;
}

// A port from /etc/services: the tcp entry, else the udp one, unless
// `protocol` ("tcp", "udp") says which.
std::optional<int> service_port(std::string_view name, std::string_view protocol) {
    if (name.empty()) return std::nullopt;
    std::string service(name);
    for (const char* table : {"tcp", "udp"}) {
        if (!protocol.empty() && protocol != table) continue;
        servent entry{}, *found = nullptr;
        char buffer[1024];
        if (::getservbyname_r(service.c_str(), table, &entry, buffer, sizeof buffer, &found) == 0 &&
            found) {
            return ntohs(static_cast<std::uint16_t>(found->s_port));
        }
    }
    return std::nullopt;
}

// "127.0.0.1" -> itself, "0:0::1" -> "::1" (as identities print them);
// nullopt for what is not a numeric address.
std::optional<std::string> canonical_address(const std::string& host) {
    char text[INET6_ADDRSTRLEN] = {};
    in_addr v4{};
    in6_addr v6{};
    if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        return std::string(::inet_ntop(AF_INET, &v4, text, sizeof text));
    }
    if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        return std::string(::inet_ntop(AF_INET6, &v6, text, sizeof text));
    }
    return std::nullopt;
}

// A host name's addresses (numeric), as lsof looks up -i@host.
std::vector<std::string> resolve_host(const std::string& host, int family) {
    addrinfo hints{};
    hints.ai_family = family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    std::vector<std::string> addresses;
    if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return addresses;
    for (addrinfo* each = found; each; each = each->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        const void* address =
            each->ai_family == AF_INET
                ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(each->ai_addr)->sin_addr)
                : static_cast<const void*>(
                      &reinterpret_cast<sockaddr_in6*>(each->ai_addr)->sin6_addr);
        if (::inet_ntop(each->ai_family, address, text, sizeof text) &&
            std::find(addresses.begin(), addresses.end(), text) == addresses.end()) {
            addresses.emplace_back(text);
        }
    }
    ::freeaddrinfo(found);
    return addresses;
}

bool state_listed(const StateSelector& selector, const FdIdentity& identity) {
    if (!protocol_covers(selector.protocol, identity.kind)) return false;
    std::string state = canonical_state(identity_state(identity));
    return std::find(selector.states.begin(), selector.states.end(), state) !=
           selector.states.end();
}

}  // namespace

std::optional<std::vector<FdRange>> parse_fd_ranges(std::string_view text, std::string& error) {
    std::vector<FdRange> ranges;
    for (std::string_view part : split_commas(text)) {
        FdRange range;
        auto dash = part.find('-');
        std::string_view first = part.substr(0, dash);
        bool ok = parse_number(first, range.first) && range.first >= 0;
        if (ok && dash != std::string_view::npos) {
            std::string_view last = part.substr(dash + 1);
            ok = last.empty() || (parse_number(last, range.last) && range.last >= range.first);
        } else if (ok) {
            range.last = range.first;
        }
        if (!ok) {
            error = "bad fd list '" + std::string(text) + "' (expected e.g. 3,5-7,10-)";
            return std::nullopt;
        }
        ranges.push_back(range);
    }
    return ranges;
}

std::optional<InetSelector> parse_inet_selector(std::string_view text, std::string& error) {
    InetSelector selector;
    std::string_view rest = text;
    if (rest.starts_with('4') || rest.starts_with('6')) {
        selector.family = rest.front() - '0';
        rest.remove_prefix(1);
    }
    auto special = rest.find_first_of("@:");
    std::string protocol = upper(rest.substr(0, special));
    if (protocol == "TCP" || protocol == "UDP") {
        selector.protocol = protocol == "TCP" ? "tcp" : "udp";
    } else if (!protocol.empty()) {
        error = "bad -i '" + std::string(text) + "': protocol must be TCP or UDP";
        return std::nullopt;
    }
    rest = special == std::string_view::npos ? std::string_view{} : rest.substr(special);
    if (rest.starts_with('@')) {
        rest.remove_prefix(1);
        std::size_t end;
        if (rest.starts_with('[')) {
            end = rest.find(']');
            if (end == std::string_view::npos) {
                error = "bad -i '" + std::string(text) + "': unclosed '['";
                return std::nullopt;
            }
            selector.host = std::string(rest.substr(1, end - 1));
            ++end;
        } else {
            end = std::min(rest.find(':'), rest.size());
            selector.host = std::string(rest.substr(0, end));
        }
        rest.remove_prefix(end);
    }
    if (rest.starts_with(':')) {
        std::string_view port = rest.substr(1);
        if (parse_number(port, selector.port)) {
            if (selector.port < 0 || selector.port > 65535) {
                error = "bad -i '" + std::string(text) + "': port out of range";
                return std::nullopt;
            }
        } else if (auto number = service_port(port, selector.protocol)) {
            selector.port = *number;
        } else {
            error = "bad -i '" + std::string(text) + "': unknown service '" + std::string(port) +
                    "' (" + (selector.protocol.empty() ? "tcp or udp" : selector.protocol) +
                    ", from /etc/services)";
            return std::nullopt;
        }
        rest = {};
    }
    if (!selector.host.empty()) {
        if (auto numeric = canonical_address(selector.host)) {
            selector.host = *numeric;
        } else {
            auto addresses = resolve_host(selector.host, selector.family);
            if (addresses.empty()) {
                error =
                    "bad -i '" + std::string(text) + "': unknown host name '" + selector.host + "'";
                return std::nullopt;
            }
            selector.host_addresses = std::move(addresses);
        }
    }
    if (!rest.empty()) {
        error = "bad -i '" + std::string(text) + "' (expected [46][TCP|UDP][@host][:port])";
        return std::nullopt;
    }
    return selector;
}

std::optional<StateSelector> parse_state_selector(std::string_view text, std::string& error) {
    auto colon = text.find(':');
    StateSelector selector;
    std::string protocol = upper(text.substr(0, colon));
    if (protocol != "TCP" && protocol != "UDP" && protocol != "UNIX") {
        error = "bad -s '" + std::string(text) + "' (expected TCP|UDP|UNIX:STATE[,STATE...])";
        return std::nullopt;
    }
    selector.protocol = protocol == "TCP" ? "tcp" : protocol == "UDP" ? "udp" : "unix";
    std::string_view states = colon == std::string_view::npos ? "" : text.substr(colon + 1);
    if (states.starts_with('^')) {
        selector.exclude = true;
        states.remove_prefix(1);
    }
    for (std::string_view state : split_commas(states)) {
        if (state.empty()) {
            error = "bad -s '" + std::string(text) + "': no state named";
            return std::nullopt;
        }
        auto known = known_states(selector.protocol);
        if (std::find(known.begin(), known.end(), upper(state)) == known.end()) {
            // lsof's own words, then what would have been right.
            error = "unknown " + protocol + " state name: " + std::string(state) + " (one of";
            for (std::string_view name : known) error += " " + std::string(name);
            error += ")";
            return std::nullopt;
        }
        selector.states.push_back(canonical_state(state));
    }
    return selector;
}

std::optional<std::vector<FdKind>> parse_kinds(std::string_view text, std::string& error) {
    std::vector<FdKind> kinds;
    for (std::string_view name : split_commas(text)) {
        std::string lower(name);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto kind = kind_from_name(lower);
        if (!kind) {
            error = "unknown kind '" + std::string(name) +
                    "' (file dir chr blk fifo pipe tcp tcp6 udp udp6 unix netlink packet raw "
                    "socket eventfd epoll timerfd signalfd inotify fanotify pidfd memfd io_uring "
                    "perf_event bpf userfaultfd anon unknown)";
            return std::nullopt;
        }
        kinds.push_back(*kind);
    }
    return kinds;
}

bool is_orphaned(const FdIdentity& identity) {
    if (const auto* path = identity.get<PathDetails>()) return path->deleted;
    if (const auto* unix_socket = identity.get<UnixDetails>()) {
        if (unix_socket->deleted) return true;
        return unix_socket->path.starts_with('@') && !identity.peer &&
               unix_socket->state != "LISTEN";
    }
    return false;
}

std::string_view identity_state(const FdIdentity& identity) {
    if (const auto* inet = identity.get<InetDetails>()) return inet->state;
    if (const auto* unix_socket = identity.get<UnixDetails>()) return unix_socket->state;
    return {};
}

bool matches(const FdFilter& filter, const FdRow& row) {
    const FdIdentity& identity = row.identity;
    if (!filter.fds.empty() &&
        std::none_of(filter.fds.begin(), filter.fds.end(), [&](const FdRange& range) {
            return row.fd >= range.first && (range.last < 0 || row.fd <= range.last);
        })) {
        return false;
    }
    if (!filter.kinds.empty() &&
        std::find(filter.kinds.begin(), filter.kinds.end(), identity.kind) == filter.kinds.end()) {
        return false;
    }
    if (!filter.inet.empty() &&
        std::none_of(filter.inet.begin(), filter.inet.end(), [&](const InetSelector& selector) {
            return inet_matches(selector, identity);
        })) {
        return false;
    }
    if (filter.orphaned_only && !is_orphaned(identity)) return false;
    // Inclusion lists: the fd must be of a listed protocol in a listed state
    // (any list); exclusion lists drop their protocol's fds in those states.
    bool any_inclusion = false, included = false;
    for (const StateSelector& selector : filter.states) {
        bool listed = state_listed(selector, identity);
        if (selector.exclude) {
            if (listed) return false;
        } else {
            any_inclusion = true;
            included = included || listed;
        }
    }
    return !any_inclusion || included;
}

std::vector<FdRow> filter_rows(const FdFilter& filter, std::span<const FdRow> rows) {
    std::vector<FdRow> kept;
    for (const FdRow& row : rows)
        if (matches(filter, row)) kept.push_back(row);
    return kept;
}

// ---- output -----------------------------------------------------------------

std::string flags_text(const FdFlags& flags) {
    std::string text;
    if ((flags.flags & O_PATH) == O_PATH) {
        text = "path";
    } else {
        switch (flags.access_mode()) {
            case O_RDONLY:
                text = "r";
                break;
            case O_WRONLY:
                text = "w";
                break;
            default:
                text = "rw";
                break;
        }
    }
    if (flags.cloexec()) text += ",cloexec";
    if (flags.flags & O_NONBLOCK) text += ",nonblock";
    if (flags.flags & O_APPEND) text += ",append";
    return text;
}

namespace {

std::string peer_text(const FdIdentity& identity) {
    if (!identity.peer) return {};
    std::string text;
    append_escaped(text, identity.peer->comm);
    text += '[' + std::to_string(identity.peer->pid) + ']';
    return text;
}

// The identity text without " (peer ...)": the PEER column has it.
std::string identity_column(const FdIdentity& identity, IdentityFormatter& formatter) {
    if (!identity.peer) return formatter.text(identity);
    FdIdentity without_peer = identity;
    without_peer.peer.reset();
    return formatter.text(without_peer);
}

}  // namespace

void render_fd_table(std::string& out, std::span<const FdSnapshot> snapshots,
                     IdentityFormatter& formatter) {
    std::set<std::uint64_t> namespaces;
    for (const FdSnapshot& snapshot : snapshots) {
        if (snapshot.netns != 0 && !snapshot.rows.empty()) namespaces.insert(snapshot.netns);
    }
    bool netns_column = namespaces.size() > 1;
    std::vector<std::string> header = {"PID",   "COMMAND", "FD",    "KIND", "IDENTITY",
                                       "STATE", "PEER",    "FLAGS", "POS"};
    if (netns_column) header.insert(header.begin() + 2, "NETNS");
    std::size_t shift = netns_column ? 1 : 0;
    TextTable table(std::move(header));
    table.set_max_width(1, 15);
    table.set_max_width(4 + shift, 60);
    table.set_right_aligned(0);
    table.set_right_aligned(2 + shift);
    for (const FdSnapshot& snapshot : snapshots) {
        std::string command;
        append_escaped(command, snapshot.comm);
        for (const FdRow& row : snapshot.rows) {
            std::vector<std::string> cells = {std::to_string(snapshot.pid),
                                              command,
                                              std::to_string(row.fd),
                                              std::string(kind_name(row.identity.kind)),
                                              identity_column(row.identity, formatter),
                                              std::string(identity_state(row.identity)),
                                              peer_text(row.identity),
                                              row.flags ? flags_text(*row.flags) : "?",
                                              row.flags ? std::to_string(row.flags->pos) : "?"};
            if (netns_column) {
                cells.insert(cells.begin() + 2,
                             snapshot.netns ? std::to_string(snapshot.netns) : "?");
            }
            table.add_row(std::move(cells));
        }
    }
    if (!table.empty()) table.render(out);  // nothing matched: no output, as lsof
}

void append_process_identity_fields(std::string& out, const FdIdentity& identity) {
    std::size_t start = out.size();
    append_identity_fields(out, identity);
    if (identity.kind != FdKind::Pidfd) return;
    // append_identity_fields names a pidfd's target "pid", which here is the
    // process holding the fd.
    constexpr std::string_view kFrom = "\"kind\":\"pidfd\",\"pid\":";
    if (std::string_view(out).substr(start).starts_with(kFrom)) {
        out.replace(start, kFrom.size(), "\"kind\":\"pidfd\",\"target_pid\":");
    }
}

void render_fd_json(std::string& out, const FdSnapshot& snapshot, IdentityFormatter& formatter) {
    for (const FdRow& row : snapshot.rows) {
        out += "{\"pid\":" + std::to_string(snapshot.pid) + ",\"comm\":";
        append_json_string(out, snapshot.comm);
        if (snapshot.netns != 0) out += ",\"netns\":" + std::to_string(snapshot.netns);
        out += ",\"fd\":" + std::to_string(row.fd);
        if (row.flags) {
            out += ",\"flags\":";
            append_json_string(out, flags_text(*row.flags));
            out += ",\"pos\":" + std::to_string(row.flags->pos);
        }
        out += ',';
        append_process_identity_fields(out, row.identity);
        out += ",\"text\":";
        append_json_string(out, formatter.text(row.identity));
        out += "}\n";
    }
}

}  // namespace fdtrace
