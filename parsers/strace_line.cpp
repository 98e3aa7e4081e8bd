#include "fdtrace/strace_line.h"

#include <array>
#include <cctype>
#include <cstring>

#include "parsers/byte_scan.h"

namespace fdtrace {
namespace {

constexpr std::string_view kUnfinished = "<unfinished ...>";
constexpr std::string_view kDetached = "<detached ...>";
constexpr std::string_view kResumedOpen = "<... ";
constexpr std::string_view kResumedClose = " resumed>";

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Bytes of a -t/-tt/-ttt/-r timestamp.
constexpr std::array<bool, 256> kTimeByte = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : std::string_view("0123456789:.")) table[c] = true;
    return table;
}();

// Bytes that open or close a group, or start a string.
constexpr ByteSet<7> kGroupBytes("\"()[]{}");
bool is_name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '?';
}

std::size_t skip_spaces(std::string_view text, std::size_t pos) noexcept {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    return pos;
}

std::string_view rstrip(std::string_view text) noexcept {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

bool is_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// strace -Y (--decode-pids=comm) follows a pid with its command:
// "1234<cat>". The length of that "<comm>" at `pos` when `end` follows it
// (comm is at most 15 bytes, and may hold spaces or '>'), else 0.
std::size_t comm_length(std::string_view text, std::size_t pos, char end) noexcept {
    if (pos >= text.size() || text[pos] != '<') return 0;
    for (std::size_t close = pos + 1; close < text.size() && close <= pos + 17; ++close)
        if (text[close] == '>' && close + 1 < text.size() && text[close + 1] == end)
            return close + 1 - pos;
    return 0;
}

// "[pid 123] " or "123 " (strace -f -o FILE) at `start`, each maybe with -Y's
// "<comm>" after the number. Returns the position after the prefix and sets
// pid, or returns `start` and leaves pid untouched.
std::size_t parse_pid_prefix(std::string_view line, std::size_t start, int& pid) noexcept {
    std::string_view rest = line.substr(start);
    if (rest.starts_with("[pid ")) {
        std::size_t pos = skip_spaces(rest, 5);
        std::size_t digits = digit_run(rest.substr(pos));
        if (digits == 0 || digits > 9) return start;
        std::size_t comm = comm_length(rest, pos + digits, ']');
        if (pos + digits + comm >= rest.size() || rest[pos + digits + comm] != ']') return start;
        auto value = parse_integer(rest.substr(pos, digits));
        pid = static_cast<int>(*value);
        return skip_spaces(line, start + pos + digits + comm + 1);
    }
    std::size_t digits = digit_run(rest);
    if (digits == 0 || digits > 9) return start;
    std::size_t comm = comm_length(rest, digits, ' ');
    // A pid is followed by spaces; "12:00:00" and "1700000000.5" are times.
    if (digits + comm >= rest.size() || rest[digits + comm] != ' ') return start;
    pid = static_cast<int>(*parse_integer(rest.substr(0, digits)));
    return skip_spaces(line, start + digits + comm);
}

// RFC 5424 syslog after its "<PRI>": "1 2026-11-30T05:00:00.1+00:00 host
// strace 1499 - - " (VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID
// STRUCTURED-DATA, each "-" when absent; structured data is "[id k="v"]..."
// and may hold spaces), then the message, maybe after a UTF-8 BOM. Returns
// the length of all that before the message, or 0.
std::size_t rfc5424_header_length(std::string_view line) noexcept {
    std::size_t version = digit_run(line);
    if (version == 0 || version > 2 || version >= line.size() || line[version] != ' ') return 0;
    std::size_t pos = version + 1;
    for (int field = 0; field < 5; ++field) {  // TIMESTAMP .. MSGID: no spaces
        std::size_t end = line.find(' ', pos);
        if (end == std::string_view::npos || end == pos) return 0;
        pos = end + 1;
    }
    if (pos >= line.size()) return 0;
    if (line[pos] == '-') {
        ++pos;
    } else {
        // SD-ELEMENTs: "[" ... "]", a '"'-quoted value may hold "\]" and spaces.
        while (pos < line.size() && line[pos] == '[') {
            bool quoted = false;
            ++pos;
            for (; pos < line.size(); ++pos) {
                if (line[pos] == '\\' && quoted) {
                    ++pos;
                } else if (line[pos] == '"') {
                    quoted = !quoted;
                } else if (line[pos] == ']' && !quoted) {
                    break;
                }
            }
            if (pos >= line.size()) return 0;
            ++pos;
        }
    }
    if (pos >= line.size() || line[pos] != ' ') return 0;
    ++pos;
    if (line.substr(pos).starts_with("\xEF\xBB\xBF")) pos += 3;
    return pos;
}

// journald / syslog wrapping strace's stderr: "May 17 21:36:42 host strace[1499]: "
// (the month may be localised, "Maj", "Mär") or short-iso
// "2023-05-17T21:36:42+0200 host strace[1499]: ". The pid there is strace's
// own, not the tracee's, so it is skipped, not used. Returns the length of
// the prefix, or 0.
std::size_t syslog_prefix_length(std::string_view line) noexcept {
    if (line.empty()) return 0;
    std::size_t pos = 0;
    // A raw syslog line keeps its priority: "<13>May 17 21:36:42 host strace: ".
    std::size_t priority = 0;
    if (line[0] == '<') {
        std::size_t digits = digit_run(line.substr(1));
        if (digits == 0 || digits > 3 || digits + 1 >= line.size() || line[digits + 1] != '>')
            return 0;
        priority = digits + 2;
        line.remove_prefix(priority);
        if (std::size_t header = rfc5424_header_length(line)) return priority + header;
    }
    const bool iso = line.size() > 10 && line[4] == '-' && line[7] == '-' && line[10] == 'T';
    std::size_t bare_stamp = 0;  // what to skip if no "host ident: " follows
    if (iso) {
        pos = line.find(' ');
        if (pos == std::string_view::npos) return 0;
        // docker logs -t, kubectl logs --timestamps: the time alone,
        // "2026-11-30T10:01:02.123456789Z "; CRI log files add the stream and
        // a full/partial flag, "... stderr F ".
        std::string_view stamp = line.substr(0, pos);
        const bool zulu_or_offset = stamp.ends_with('Z') ||
                                    stamp.find('+', 10) != std::string_view::npos ||
                                    stamp.find('-', 10) != std::string_view::npos;
        std::string_view after = line.substr(pos + 1);
        for (std::string_view stream : {"stdout F ", "stderr F ", "stdout P ", "stderr P "})
            if (zulu_or_offset && after.starts_with(stream))
                return priority + pos + 1 + stream.size();
        // Else journald's short-iso, unless no host and ident follow.
        if (zulu_or_offset && stamp.ends_with('Z')) bare_stamp = priority + pos + 1;
    } else {
        // A month name: letters, or the bytes of a non-ASCII one; never '('.
        while (pos < line.size() && (is_letter(line[pos]) || (line[pos] & 0x80))) ++pos;
        if (pos == 0 || pos > 12 || pos >= line.size() || line[pos] != ' ') return 0;
        pos = skip_spaces(line, pos);
        std::size_t day = digit_run(line.substr(pos));
        if (day == 0 || day > 2) return 0;
        pos += day;
        if (pos >= line.size() || line[pos] != ' ') return 0;
        std::size_t clock = pos + 1;
        if (clock + 8 > line.size() || line[clock + 2] != ':' || line[clock + 5] != ':') return 0;
        pos = line.find(' ', clock);
    }
    // The host, then "IDENT[PID]: ".
    // The host, then "IDENT[PID]: " (or a raw syslog line's "TAG: ").
    if (pos == std::string_view::npos) return bare_stamp;
    std::size_t host_end = line.find(' ', pos + 1);
    if (host_end == std::string_view::npos || host_end == pos + 1) return bare_stamp;
    std::size_t ident_end = line.find(' ', host_end + 1);
    if (ident_end == std::string_view::npos) return bare_stamp;
    std::string_view ident = line.substr(host_end + 1, ident_end - host_end - 1);
    if (ident.size() > 1 && ident.back() == ':' &&
        ident.find_first_of("[(\"=,") == std::string_view::npos)
        return priority + ident_end + 1;
    if (!ident.ends_with("]:")) return bare_stamp;
    std::size_t open = ident.rfind('[');
    if (open == std::string_view::npos || open == 0) return bare_stamp;
    std::size_t pid_digits = ident.size() - open - 3;
    if (pid_digits == 0 || digit_run(ident.substr(open + 1)) != pid_digits) return bare_stamp;
    return priority + ident_end + 1;
}

// -t "12:00:00", -tt "12:00:00.123456", -ttt "1700000000.123456",
// -r "     0.000123" (right-aligned).
std::size_t parse_time_prefix(std::string_view line, std::size_t pos,
                              std::string_view& time) noexcept {
    std::size_t start = skip_spaces(line, pos);
    if (start >= line.size() || !is_digit(line[start])) return pos;
    std::size_t end = start;
    while (end < line.size() && kTimeByte[static_cast<unsigned char>(line[end])]) ++end;
    if (end >= line.size() || line[end] != ' ') return pos;
    time = line.substr(start, end - start);
    return skip_spaces(line, end);
}

// -t/-tt/-ttt together with -r: the relative stamp follows the absolute one,
// "12:00:01.000001 (+     0.000100) ". Skipped: the absolute time is the one kept.
std::size_t skip_relative_stamp(std::string_view line, std::size_t pos) noexcept {
    if (pos + 2 >= line.size() || line[pos] != '(' || line[pos + 1] != '+') return pos;
    std::size_t end = skip_spaces(line, pos + 2);
    std::size_t start = end;
    while (end < line.size() && kTimeByte[static_cast<unsigned char>(line[end])]) ++end;
    if (end == start || end + 1 >= line.size() || line[end] != ')' || line[end + 1] != ' ')
        return pos;
    return skip_spaces(line, end + 1);
}

// strace -i: the instruction pointer, "[00007f1e2a3b4c5d] " (8 hex digits on
// 32-bit tracees, question marks when strace could not read it).
// strace -n: the syscall's number, "[ 257] " (right-aligned in three
// columns, "[1234] " past them), after the time and before -i's "[0000...]".
std::size_t skip_syscall_number(std::string_view line, std::size_t pos) noexcept {
    if (pos >= line.size() || line[pos] != '[') return pos;
    std::size_t start = skip_spaces(line, pos + 1);
    std::size_t digits = digit_run(line.substr(start));
    std::size_t end = start + digits;
    // Right-aligned by spaces, never zeros: "[0000]" is no syscall number.
    if (digits == 0 || digits > 4 || (digits > 1 && line[start] == '0') || end + 1 >= line.size() ||
        line[end] != ']' || line[end + 1] != ' ')
        return pos;
    return skip_spaces(line, end + 1);
}

std::size_t skip_instruction_pointer(std::string_view line, std::size_t pos) noexcept {
    if (pos >= line.size() || line[pos] != '[') return pos;
    std::size_t end = pos + 1;
    while (end < line.size() &&
           (std::isxdigit(static_cast<unsigned char>(line[end])) || line[end] == '?'))
        ++end;
    std::size_t digits = end - pos - 1;
    if ((digits != 8 && digits != 16) || end + 1 >= line.size() || line[end] != ']' ||
        line[end + 1] != ' ')
        return pos;
    return skip_spaces(line, end + 1);
}

// strace's messages about its tasks, with the "strace: " prefix (5.x and
// later) or without it (4.x): "Process 969 attached - interrupt to quit",
// "Process 971 detached", "[ Process PID=12 runs in 32 bit mode. ]".
bool is_task_message(std::string_view body) noexcept {
    if (body.starts_with("[ Process PID=")) return true;
    constexpr std::string_view kProcess = "Process ";
    if (!body.starts_with(kProcess)) return false;
    std::size_t digits = digit_run(body.substr(kProcess.size()));
    if (digits == 0) return false;
    std::string_view what = body.substr(kProcess.size() + digits);
    return what.starts_with(" attached") || what.starts_with(" detached") ||
           what.starts_with(" suspended") || what.starts_with(" resumed");
}

// " <0.000123>" at the end of the line (-T).
std::string_view take_duration(std::string_view& text) noexcept {
    text = rstrip(text);
    if (text.size() < 4 || text.back() != '>') return {};
    std::size_t open = text.rfind(" <");
    if (open == std::string_view::npos || open + 2 >= text.size() - 1) return {};
    std::string_view inside = text.substr(open + 2, text.size() - open - 3);
    for (char c : inside)
        if (!is_digit(c) && c != '.') return {};
    text = rstrip(text.substr(0, open));
    return inside;
}

void parse_return(SyscallEvent& event, std::string_view ret) noexcept {
    event.ret = ret;
    std::size_t end = 0;
    while (end < ret.size() && ret[end] != ' ' && ret[end] != '<' && ret[end] != '(') ++end;
    event.retval = parse_integer(ret.substr(0, end));
    std::size_t pos = skip_spaces(ret, end);
    if (pos < ret.size() && ret[pos] == 'E') {
        std::size_t name_end = pos;
        while (name_end < ret.size() && is_name_char(ret[name_end])) ++name_end;
        event.error = ret.substr(pos, name_end - pos);
    }
}

// Everything after the closing parenthesis: "= RET <DUR>".
void parse_after_args(SyscallEvent& event, std::string_view line, std::size_t pos) noexcept {
    std::string_view tail = line.substr(pos);
    event.duration = take_duration(tail);
    std::size_t eq = skip_spaces(tail, 0);
    if (eq < tail.size() && tail[eq] == '=') {
        std::size_t ret_start = skip_spaces(tail, eq + 1);
        event.ret_offset = static_cast<std::uint32_t>(pos + ret_start);
        parse_return(event, tail.substr(ret_start));
    }
}

// NAME(ARGS) = RET, NAME(ARGS <unfinished ...>, or a truncated NAME(ARG...
void parse_call(SyscallEvent& event, std::string_view line, std::size_t args_start) noexcept {
    event.args_offset = static_cast<std::uint32_t>(args_start);
    std::size_t close = find_group_end(line, args_start);
    std::string_view body = rstrip(line);
    if (close == std::string_view::npos) {
        if (body.ends_with(kUnfinished)) {
            event.unfinished = true;
            body.remove_suffix(kUnfinished.size());
        } else if (body.ends_with(kDetached)) {
            // strace detached while the call was in flight: it never returned here.
            event.unfinished = event.detached = true;
            body.remove_suffix(kDetached.size());
        }
        event.args = rstrip(body.substr(std::min(args_start, body.size())));
        return;  // unfinished, or truncated: no return value
    }
    event.args = line.substr(args_start, close - 1 - args_start);
    parse_after_args(event, line, close);
}

void parse_signal(SyscallEvent& event, std::string_view body) noexcept {
    // "--- SIGCHLD {si_signo=...} ---" or "--- stopped by SIGSTOP ---"
    event.kind = EventKind::Signal;
    std::string_view inner = rstrip(body.substr(4));
    if (inner.ends_with("---")) inner = rstrip(inner.substr(0, inner.size() - 3));
    std::size_t space = inner.find(' ');
    event.name = inner.substr(0, space);
    event.rest = space == std::string_view::npos ? std::string_view{} : inner.substr(space + 1);
}

void parse_exit(SyscallEvent& event, std::string_view body) noexcept {
    // "+++ exited with 0 +++", "+++ killed by SIGKILL (core dumped) +++"
    event.kind = EventKind::Exit;
    std::string_view inner = rstrip(body.substr(4));
    if (inner.ends_with("+++")) inner = rstrip(inner.substr(0, inner.size() - 3));
    event.rest = inner;
    constexpr std::string_view kExited = "exited with ";
    if (inner.starts_with(kExited)) {
        if (auto status = parse_integer(inner.substr(kExited.size())))
            event.exit_status = static_cast<int>(*status);
    }
}

}  // namespace

std::size_t digit_run(std::string_view text) noexcept {
    std::size_t n = 0;
    while (n < text.size() && is_digit(text[n])) ++n;
    return n;
}

std::optional<std::int64_t> parse_integer(std::string_view text) noexcept {
    bool negative = false;
    if (!text.empty() && text[0] == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        for (char c : text.substr(2)) {
            int digit;
            if (is_digit(c))
                digit = c - '0';
            else if (c >= 'a' && c <= 'f')
                digit = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                digit = c - 'A' + 10;
            else
                return std::nullopt;
            value = value * 16 + digit;
        }
    } else {
        for (char c : text) {
            if (!is_digit(c)) return std::nullopt;
            value = value * 10 + (c - '0');
        }
    }
    return negative ? -value : value;
}

std::size_t skip_quoted(std::string_view text, std::size_t pos) noexcept {
    // memchr to the next quote, then count the backslashes before it: an odd
    // number means the quote is escaped. Strings are the bulk of a log line.
    const char* data = text.data();
    std::size_t from = pos + 1;
    while (from < text.size()) {
        const void* hit = std::memchr(data + from, '"', text.size() - from);
        if (!hit) return text.size();
        std::size_t quote = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
        std::size_t backslashes = 0;
        while (quote - backslashes > pos + 1 && data[quote - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0) return quote + 1;
        from = quote + 1;
    }
    return text.size();
}

std::size_t find_group_end(std::string_view text, std::size_t pos) noexcept {
    // A fixed-size stack: strace nests a handful of levels; deeper input is
    // garbage and is treated as unterminated rather than overflowing.
    std::array<char, 64> expected{};
    std::size_t depth = 0;
    expected[0] = ')';
    ++depth;
    while (pos < text.size()) {
        // Most bytes are nothing to us: skip them 16 at a time.
        pos = find_byte_of(text, pos, kGroupBytes);
        if (pos >= text.size()) break;
        char c = text[pos];
        switch (c) {
            case '"':
                pos = skip_quoted(text, pos);
                continue;
            case '(':
            case '[':
            case '{':
                if (depth == expected.size()) return std::string_view::npos;
                expected[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
                break;
            case ')':
            case ']':
            case '}':
                // A mismatched closer (garbage, or an unbalanced path inside
                // an annotation) is skipped rather than trusted.
                if (c == expected[depth - 1]) {
                    if (--depth == 0) return pos + 1;
                }
                break;
            default:
                break;
        }
        ++pos;
    }
    return std::string_view::npos;
}

std::optional<int> attached_task(std::string_view line) noexcept {
    constexpr std::string_view kProcess = "Process ";
    std::size_t at = line.find(kProcess);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view rest = line.substr(at + kProcess.size());
    std::size_t digits = digit_run(rest);
    if (digits == 0 || digits > 9 || !rest.substr(digits).starts_with(" attached"))
        return std::nullopt;
    return static_cast<int>(*parse_integer(rest.substr(0, digits)));
}

bool is_clone_call(std::string_view name) noexcept {
    return name == "clone" || name == "clone3" || name == "fork" || name == "vfork";
}

namespace {

// The leader, in the order strace prints it: [pid] [time [(+ relative)]] [ip].
// Returns where the body starts.
std::size_t parse_leader(std::string_view line, int& pid, std::string_view& time) noexcept {
    std::size_t pos = 0;
    if (!line.empty() && line[0] != '[' && line[0] != ' ') pos = syslog_prefix_length(line);
    // A paste indented by a markdown block or a web page: "    openat(...)".
    // Not strace's own indented lines: -k frames (" > ") and -e write
    // dumps (" | "), which follow the spaces at once.
    if (pos == 0 && !line.empty() && (line[0] == ' ' || line[0] == '\t')) {
        std::size_t indent = 0;
        while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
        if (indent < line.size() && line[indent] != '>' && line[indent] != '|') pos = indent;
    }
    pos = parse_pid_prefix(line, pos, pid);
    pos = parse_time_prefix(line, pos, time);
    if (!time.empty()) pos = skip_relative_stamp(line, pos);
    return skip_instruction_pointer(line, skip_syscall_number(line, pos));
}

}  // namespace

std::optional<CallHead> parse_call_head(std::string_view line, int default_pid) noexcept {
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (line.size() > 0xFFFFFFF0u) return std::nullopt;
    CallHead head;
    head.pid = default_pid;
    std::string_view time;
    std::size_t pos = parse_leader(line, head.pid, time);
    std::string_view body = line.substr(pos);
    if (body.starts_with(kResumedOpen)) {
        std::size_t close = body.find(kResumedClose);
        if (close == std::string_view::npos) return std::nullopt;
        head.name = body.substr(kResumedOpen.size(), close - kResumedOpen.size());
        head.args_start = pos + close + kResumedClose.size();
        head.resumed = true;
        return head;
    }
    std::size_t name_end = pos;
    while (name_end < line.size() && is_name_char(line[name_end])) ++name_end;
    if (name_end == pos || name_end >= line.size() || line[name_end] != '(') return std::nullopt;
    head.name = line.substr(pos, name_end - pos);
    head.args_start = name_end + 1;
    return head;
}

SyscallEvent parse_strace_line(std::string_view line, int default_pid) noexcept {
    SyscallEvent event;
    event.pid = default_pid;
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (line.size() > 0xFFFFFFF0u) return event;  // offsets are 32-bit

    std::size_t pos = parse_leader(line, event.pid, event.time);
    std::string_view body = line.substr(pos);

    if (body.starts_with("--- ")) {
        parse_signal(event, body);
        return event;
    }
    if (body.starts_with("+++ ")) {
        parse_exit(event, body);
        return event;
    }
    if (body.starts_with(kResumedOpen)) {
        std::size_t close = body.find(kResumedClose);
        if (close == std::string_view::npos) return event;
        event.kind = EventKind::Syscall;
        event.resumed = true;
        event.name = body.substr(kResumedOpen.size(), close - kResumedOpen.size());
        parse_call(event, line, pos + close + kResumedClose.size());
        return event;
    }
    std::size_t name_end = 0;
    while (name_end < body.size() && is_name_char(body[name_end])) ++name_end;
    if (name_end > 0 && name_end < body.size() && body[name_end] == '(') {
        event.kind = EventKind::Syscall;
        event.name = body.substr(0, name_end);
        parse_call(event, line, pos + name_end + 1);
        return event;
    }
    // strace's own messages and -k stack frames are strace output too.
    if (body.starts_with("strace: ") || body.starts_with(" > ") || body.starts_with("<detached") ||
        body.starts_with("???") || is_task_message(body))
        event.kind = EventKind::Other;
    return event;
}

}  // namespace fdtrace
