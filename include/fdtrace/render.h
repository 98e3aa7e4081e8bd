// Renderers: strace-like text with " -> IDENTITY" after every fd, or JSON
// Lines. Everything that came from a tracee or a log (paths, names) is
// escaped here, so it can never reach the terminal as control codes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "fdtrace/fd_identity.h"
#include "fdtrace/syscall_event.h"

namespace fdtrace {

// Control characters, backslash and bytes that are not UTF-8 become C
// escapes ("\n", "\\", "\x1b"); everything else is kept.
void append_escaped(std::string& out, std::string_view raw);
// A JSON string literal, quotes included; invalid UTF-8 bytes become "\\xNN".
void append_json_string(std::string& out, std::string_view raw);

struct FormatOptions {
    bool numeric = false;  // -n: no service names
    bool color = false;
    // Wrap each inserted annotation in kMarkBegin/kMarkEnd, so a test (or a
    // script) can take them out again and get the input back byte for byte.
    bool mark = false;
};

inline constexpr char kMarkBegin = '\x1e';  // ASCII record separator
inline constexpr char kMarkEnd = '\x1f';    // ASCII unit separator

// Removes marked annotations (and the --explain lines under them): the
// input line comes back exactly.
std::string strip_marked(std::string_view annotated);

// The one place an FdIdentity becomes text: "TCP 127.0.0.1:49492->127.0.0.1:http-alt",
// "/etc/passwd", "pipe (peer gzip[812])".
class ReverseDns;

class IdentityFormatter {
  public:
    explicit IdentityFormatter(FormatOptions options) : options_(options) {}
    // Host names for addresses (live mode; never blocks). Null: numbers only.
    void set_host_names(ReverseDns* names) noexcept { names_ = names; }
    // Changes when a host name arrives: text rendered before is stale.
    std::uint64_t names_generation() const noexcept;
    std::string text(const FdIdentity& identity);
    // "127.0.0.1:8080" -> "127.0.0.1:http-alt" unless numeric; the port is
    // named from the udp half of the services table for datagram sockets
    // (514 is "syslog" there, "shell" for tcp).
    std::string address(std::string_view numeric_address, bool udp = false);
    const FormatOptions& options() const noexcept { return options_; }

  private:
    std::string compose_text(const FdIdentity& identity);
    std::string_view service(std::string_view port, bool udp);
    // Within one text(): the host looked up last and its answer.
    bool in_text_ = false;
    std::optional<std::pair<std::string, std::optional<std::string>>> host_memo_;
    FormatOptions options_;
    ReverseDns* names_ = nullptr;
    std::unordered_map<std::string, std::string> services_;  // "8080/tcp" -> "http-alt"
};

// One fd occurrence, with what it was at that moment (null: not annotated,
// e.g. strace already did).
struct ResolvedFd {
    FdSite site;
    const FdIdentity* identity = nullptr;
    std::string_view text;      // IdentityFormatter::text of identity, already escaped
    std::uint64_t file_id = 0;  // the open file description (0: unknown)
    // An fd from before the log named ahead, from what this later line of the
    // log showed (JSON "revealed_at_line"); 0 when not.
    std::uint64_t revealed_line = 0;
    std::string_view revealed_file;  // that line's file, when several are merged
};

struct AnnotatedLine {
    std::string_view line;  // the input line, without its newline
    std::uint64_t number = 0;
    std::string_view file;  // input file name when several files are merged
    const SyscallEvent* event = nullptr;
    std::span<const ResolvedFd> fds;
    bool newline = true;                             // the input line ended with '\n'
    std::string_view prefix;                         // "[pid N] " when merging -ff files
    std::span<const std::string_view> explanations;  // --explain
    // A resumed call: the line (the record's "line") of its unfinished half; 0 if unknown.
    std::uint64_t unfinished_line = 0;
    // A call line that ends before its result, without "<unfinished ...>"
    // (hard-wrapped): the next line may continue it.
    bool incomplete = false;
    // JSON "raw" when `line` is not the input line itself (a continuation
    // parsed behind a "<... NAME resumed>" it does not have).
    std::string_view raw;
};

// Appends the line with " -> IDENTITY" after every annotated fd.
void render_text(std::string& out, const AnnotatedLine& line, const FormatOptions& options);
// Appends one JSON Lines record.
void render_json(std::string& out, const AnnotatedLine& line);
// The JSON object for one identity's fields (no braces), shared by every
// JSON producer (annotate, tracer, fds, stuck, leaks).
void append_identity_fields(std::string& out, const FdIdentity& identity);

}  // namespace fdtrace
