#include <string>

#include "fdtrace/render.h"

namespace fdtrace {
namespace {

constexpr std::string_view kAnnotationColor = "\x1b[36m";  // cyan
constexpr std::string_view kColorReset = "\x1b[0m";

void append_number(std::string& out, std::uint64_t value) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value);
    while (n) out += digits[--n];
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
    out += ",\"";
    out += key;
    out += "\":";
    append_json_string(out, value);
}

// "ret" is the value: strace -y's "<...>" after a returned fd is the fd's
// identity, which "fds" carries already.
void append_ret(std::string& out, const SyscallEvent& event, std::span<const ResolvedFd> fds) {
    for (const ResolvedFd& fd : fds) {
        const FdSite& site = fd.site;
        if (site.role != FdRole::Ret || site.existing_annotation.empty() || site.carried) continue;
        std::size_t digits_end = site.offset + site.length;
        if (site.offset < event.ret_offset || digits_end - event.ret_offset > event.ret.size())
            break;
        std::size_t cut = digits_end - event.ret_offset;
        std::string value(event.ret.substr(0, cut));
        if (cut + site.existing_annotation.size() <= event.ret.size())
            value += event.ret.substr(cut + site.existing_annotation.size());
        append_field(out, "ret", value);
        return;
    }
    append_field(out, "ret", event.ret);
}

}  // namespace

void render_text(std::string& out, const AnnotatedLine& line, const FormatOptions& options) {
    if (!line.prefix.empty()) {
        if (options.mark) out += kMarkBegin;
        out += line.prefix;
        if (options.mark) out += kMarkEnd;
    }
    std::size_t copied = 0;
    for (const ResolvedFd& fd : line.fds) {
        if (fd.text.empty() || fd.site.carried) continue;  // carried: not on this line
        std::size_t end = fd.site.offset + fd.site.length;
        if (end > line.line.size() || end < copied) continue;
        out.append(line.line.substr(copied, end - copied));
        copied = end;
        if (options.mark) out += kMarkBegin;
        if (options.color) out += kAnnotationColor;
        out += " -> ";
        out += fd.text;
        if (options.color) out += kColorReset;
        if (options.mark) out += kMarkEnd;
    }
    out.append(line.line.substr(copied));
    if (line.newline) out += '\n';
    for (std::string_view text : line.explanations) {
        if (options.mark) out += kMarkBegin;
        if (!line.newline) out += '\n';
        if (options.color) out += kAnnotationColor;
        out += "  ^ ";
        out += text;
        if (options.color) out += kColorReset;
        out += '\n';
        if (options.mark) out += kMarkEnd;
    }
}

std::string strip_marked(std::string_view annotated) {
    std::string out;
    out.reserve(annotated.size());
    bool inside = false;
    for (char c : annotated) {
        if (c == kMarkBegin)
            inside = true;
        else if (c == kMarkEnd)
            inside = false;
        else if (!inside)
            out += c;
    }
    return out;
}

void append_identity_fields(std::string& out, const FdIdentity& identity) {
    out += "\"kind\":\"";
    out += kind_name(identity.kind);
    out += '"';
    if (const auto* path = identity.get<PathDetails>()) {
        if (!path->path.empty()) append_field(out, "path", path->path);
        if (path->deleted) out += ",\"deleted\":true";
    } else if (const auto* inet = identity.get<InetDetails>()) {
        if (!inet->local.empty()) append_field(out, "local", inet->local);
        if (!inet->remote.empty()) append_field(out, "remote", inet->remote);
        if (!inet->state.empty()) append_field(out, "state", inet->state);
        if (!inet->error.empty()) append_field(out, "error", inet->error);
    } else if (const auto* unix_socket = identity.get<UnixDetails>()) {
        if (!unix_socket->type.empty()) append_field(out, "type", unix_socket->type);
        if (!unix_socket->path.empty()) append_field(out, "path", unix_socket->path);
        if (unix_socket->deleted) out += ",\"deleted\":true";
        if (!unix_socket->peer_path.empty()) append_field(out, "peer_path", unix_socket->peer_path);
        if (unix_socket->peer_inode) {
            out += ",\"peer_inode\":";
            append_number(out, unix_socket->peer_inode);
        }
        if (!unix_socket->state.empty()) append_field(out, "state", unix_socket->state);
    } else if (const auto* netlink = identity.get<NetlinkDetails>()) {
        if (!netlink->protocol.empty()) append_field(out, "protocol", netlink->protocol);
    } else if (const auto* pipe = identity.get<PipeDetails>()) {
        if (!pipe->end.empty()) append_field(out, "end", pipe->end);
    } else if (const auto* pidfd = identity.get<PidfdDetails>()) {
        out += ",\"pid\":";
        out += std::to_string(pidfd->pid);
    } else if (const auto* anon = identity.get<AnonDetails>()) {
        if (!anon->name.empty()) append_field(out, "name", anon->name);
        if (!anon->info.empty()) append_field(out, "info", anon->info);
    }
    if (identity.inode) {
        out += ",\"inode\":";
        append_number(out, *identity.inode);
    }
    if (identity.peer) {
        out += ",\"peer\":{\"pid\":";
        out += std::to_string(identity.peer->pid);
        append_field(out, "comm", identity.peer->comm);
        out += '}';
    }
    append_field(out, "source", source_name(identity.source));
}

void render_json(std::string& out, const AnnotatedLine& line) {
    const SyscallEvent* event = line.event;
    out += "{\"line\":";
    append_number(out, line.number);
    if (!line.file.empty()) append_field(out, "file", line.file);
    if (event && event->pid) {
        out += ",\"pid\":";
        append_number(out, static_cast<std::uint64_t>(event->pid));
    }
    if (event && !event->time.empty()) append_field(out, "time", event->time);
    EventKind kind = event ? event->kind : EventKind::Unparsed;
    append_field(out, "event", event_kind_name(kind));
    if (event && kind == EventKind::Syscall) {
        append_field(out, "syscall", event->name);
        append_field(out, "args", event->args);
        if (event->unfinished) out += ",\"unfinished\":true";
        if (line.incomplete) out += ",\"incomplete\":true";
        if (event->detached) out += ",\"detached\":true";
        if (event->resumed) out += ",\"resumed\":true";
        if (line.unfinished_line) {
            out += ",\"unfinished_line\":";
            append_number(out, line.unfinished_line);
        }
        if (!event->ret.empty()) append_ret(out, *event, line.fds);
        if (!event->error.empty()) append_field(out, "errno", event->error);
        if (!event->duration.empty()) append_field(out, "duration", event->duration);
    } else if (event && kind == EventKind::Signal) {
        append_field(out, "signal", event->name);
        if (!event->rest.empty()) append_field(out, "info", event->rest);
    } else if (event && kind == EventKind::Exit) {
        append_field(out, "status", event->rest);
        if (event->exit_status >= 0) {
            out += ",\"exit_code\":";
            out += std::to_string(event->exit_status);
        }
    }
    if (kind == EventKind::Syscall) {
        out += ",\"fds\":[";
        bool first = true;
        for (const ResolvedFd& fd : line.fds) {
            if (fd.site.fd < 0) continue;  // epoll data nothing was registered for
            if (!first) out += ',';
            first = false;
            out += "{\"fd\":";
            out += std::to_string(fd.site.fd);
            out += ",\"role\":\"";
            out += fd_role_name(fd.site.role);
            out += "\",";
            if (fd.identity)
                append_identity_fields(out, *fd.identity);
            else
                out += "\"kind\":\"unknown\",\"source\":\"unknown\"";
            if (fd.revealed_line) {
                out += ",\"revealed_at_line\":";
                append_number(out, fd.revealed_line);
                if (!fd.revealed_file.empty())
                    append_field(out, "revealed_at_file", fd.revealed_file);
            }
            if (!fd.text.empty())
                append_field(out, "text", fd.text);
            else if (!fd.site.existing_annotation.empty())
                append_field(out, "text", fd.site.existing_annotation);
            out += '}';
        }
        out += ']';
    }
    if (!line.explanations.empty()) {
        out += ",\"explain\":[";
        for (std::size_t i = 0; i < line.explanations.size(); ++i) {
            if (i) out += ',';
            append_json_string(out, line.explanations[i]);
        }
        out += ']';
    }
    append_field(out, "raw", line.raw.empty() ? line.line : line.raw);
    out += "}\n";
}

}  // namespace fdtrace
