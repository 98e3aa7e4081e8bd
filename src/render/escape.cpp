#include <string>
#include <string_view>

#include "fdtrace/render.h"

namespace fdtrace {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence at text[pos], or 0 if it is not one
// (overlong forms, surrogates and truncated sequences are invalid).
std::size_t utf8_sequence(std::string_view text, std::size_t pos) noexcept {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char lead = byte(pos);
    std::size_t length;
    unsigned min;
    unsigned code;
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        min = 0x80;
        code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        min = 0x800;
        code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        min = 0x10000;
        code = lead & 0x07;
    } else
        return 0;
    if (pos + length > text.size()) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(pos + i) & 0xC0) != 0x80) return 0;
        code = (code << 6) | (byte(pos + i) & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
    return length;
}

void append_hex_escape(std::string& out, unsigned char c) {
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
}

}  // namespace

void append_escaped(std::string& out, std::string_view raw) {
    for (std::size_t i = 0; i < raw.size();) {
        auto c = static_cast<unsigned char>(raw[i]);
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        switch (c) {
            case '\\':
                out += "\\\\";
                ++i;
                continue;
            case '\n':
                out += "\\n";
                ++i;
                continue;
            case '\t':
                out += "\\t";
                ++i;
                continue;
            case '\r':
                out += "\\r";
                ++i;
                continue;
            default:
                break;
        }
        std::size_t length = c >= 0x80 ? utf8_sequence(raw, i) : 0;
        // C1 controls (U+0080..U+009F) act as escapes on some terminals.
        bool c1_control = length == 2 && c == 0xC2 && static_cast<unsigned char>(raw[i + 1]) < 0xA0;
        if (length > 0 && !c1_control) {
            out.append(raw.substr(i, length));
            i += length;
        } else {
            append_hex_escape(out, c);
            ++i;
        }
    }
}

void append_json_string(std::string& out, std::string_view raw) {
    out += '"';
    for (std::size_t i = 0; i < raw.size();) {
        auto c = static_cast<unsigned char>(raw[i]);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            // Fast path: copy the run of plain ASCII in one go.
            std::size_t end = i + 1;
            while (end < raw.size()) {
                auto d = static_cast<unsigned char>(raw[end]);
                if (d < 0x20 || d >= 0x7F || d == '"' || d == '\\') break;
                ++end;
            }
            out.append(raw.substr(i, end - i));
            i = end;
            continue;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                ++i;
                continue;
            case '\\':
                out += "\\\\";
                ++i;
                continue;
            case '\n':
                out += "\\n";
                ++i;
                continue;
            case '\t':
                out += "\\t";
                ++i;
                continue;
            case '\r':
                out += "\\r";
                ++i;
                continue;
            default:
                break;
        }
        if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
            ++i;
            continue;
        }
        std::size_t length = utf8_sequence(raw, i);
        if (length > 0) {
            out.append(raw.substr(i, length));
            i += length;
        } else {
            out += '\\';  // "\\xNN": a visible, lossless stand-in for a non-UTF-8 byte
            append_hex_escape(out, c);
            ++i;
        }
    }
    out += '"';
}

}  // namespace fdtrace
