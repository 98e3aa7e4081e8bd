// Small string helpers for the line-oriented text of /proc files.
// Internal to src/resolve.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace fdtrace {

inline std::string_view trim(std::string_view text) {
    constexpr std::string_view kSpace = " \t\n\r";
    auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(kSpace);
    return text.substr(first, last - first + 1);
}

inline std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        auto end = text.find('\n');
        lines.push_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

// Whitespace-separated words.
inline std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    while (true) {
        text = trim(text);
        if (text.empty()) return words;
        auto end = text.find_first_of(" \t");
        words.push_back(text.substr(0, end));
        if (end == std::string_view::npos) return words;
        text.remove_prefix(end);
    }
}

// The whole of `text` as a number in `base`; false (and `out` untouched) if
// anything is left over.
template <class Number>
bool parse_number(std::string_view text, Number& out, int base = 10) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return false;
    out = value;
    return true;
}

// In "tfd: 5 events: 19 data: 5", value_after(line, "events:") is "19": the
// word following the first occurrence of `key`.
inline std::optional<std::string_view> value_after(std::string_view line, std::string_view key) {
    auto at = line.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view rest = line.substr(at + key.size());
    auto first = rest.find_first_not_of(" \t");
    if (first == std::string_view::npos) return std::string_view{};
    rest.remove_prefix(first);
    return rest.substr(0, rest.find_first_of(" \t"));
}

// "a b" from "a" and "b", without a leading space when `text` is empty.
inline std::string join_words(std::string text, std::string_view word) {
    if (word.empty()) return text;
    if (!text.empty()) text += ' ';
    text += word;
    return text;
}

}  // namespace fdtrace
