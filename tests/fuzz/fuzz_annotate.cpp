// libFuzzer target: arbitrary bytes as a strace log, through the line parser
// and the whole annotate pipeline, in both output formats. Checks the
// contract beyond "no crash": every input line yields exactly one output
// line, and the text output contains each input line as a subsequence.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fdtrace/annotator.h"
#include "fdtrace/strace_line.h"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

bool is_subsequence(std::string_view needle, std::string_view haystack) {
    std::size_t i = 0;
    for (char c : haystack)
        if (i < needle.size() && c == needle[i]) ++i;
    return i == needle.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    fdtrace::AnnotateOptions text_options;
    text_options.text.numeric = true;  // no /etc/services lookups in the loop
    text_options.text.mark = true;     // round trip: marks out, input back
    fdtrace::AnnotateOptions json_options = text_options;
    json_options.format = fdtrace::OutputFormat::Json;
    fdtrace::Annotator text(text_options);
    fdtrace::Annotator json(json_options);
    std::string out;
    std::size_t start = 0;
    while (start < input.size()) {
        std::size_t end = input.find('\n', start);
        bool newline = end != std::string_view::npos;
        if (!newline) end = input.size();
        std::string_view line = input.substr(start, end - start);
        (void)fdtrace::parse_strace_line(line);
        out.clear();
        text.feed(line, out, 0, true);
        check(!out.empty() && out.back() == '\n');
        check(is_subsequence(line, out));
        bool markers_in_input = line.find(fdtrace::kMarkBegin) != std::string_view::npos ||
                                line.find(fdtrace::kMarkEnd) != std::string_view::npos;
        if (!markers_in_input) check(fdtrace::strip_marked(out) == std::string(line) + "\n");
        out.clear();
        json.feed(line, out, 0, true);
        check(out.size() >= 2 && out.front() == '{' && out.back() == '\n');
        check(out.find('\n') == out.size() - 1);  // one record, one line
        start = end + 1;
    }
    return 0;
}
