#include "fdtrace/fd_summary.h"

#include <gtest/gtest.h>

#include "fdtrace/annotator.h"

namespace fdtrace {
namespace {

TEST(FdSummary, OneRowPerOpenFileUnderItsLastIdentitySortedByTime) {
    AnnotateOptions options;
    options.text.numeric = true;
    Annotator annotator(options);
    FdSummary summary;
    annotator.set_observer([&](const SyscallEvent& event, std::span<const ResolvedFd> fds) {
        summary.add(event, fds);
    });
    std::string out;
    for (
        const char* line : {
            "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3 <0.000001>",
            R"(connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0 <0.5>)",
            R"(write(3, "GET", 3) = 3 <0.000010>)",
            R"(read(3, "HTTP", 4096) = 4 <1.25>)",
            "read(3, 0x1, 4096) = -1 EAGAIN (Resource temporarily unavailable) <0.000002>",
            R"(openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 4 <0.000003>)",
            R"(read(4, "127.0.0.1 localhost\n", 4096) = 20 <0.000004>)",
            "close(4) = 0 <0.000001>",
        })
        annotator.feed(line, out);
    auto rows = summary.rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].identity, "TCP ?->10.0.0.1:80");
    EXPECT_EQ(rows[0].kind, "tcp");
    EXPECT_EQ(rows[0].calls, 4u) << "connect, write, two reads (socket() has no fd argument)";
    EXPECT_EQ(rows[0].bytes_read, 4u);
    EXPECT_EQ(rows[0].bytes_written, 3u);
    EXPECT_EQ(rows[0].errors, 1u);
    EXPECT_NEAR(rows[0].seconds, 1.750012, 1e-9);
    EXPECT_EQ(rows[1].identity, "/etc/hosts");
    EXPECT_EQ(rows[1].bytes_read, 20u);
    std::string json;
    summary.render_json(json);
    EXPECT_NE(
        json.find(
            R"({"event":"summary","kind":"tcp","text":"TCP ?->10.0.0.1:80","calls":4,"bytes_read":4,"bytes_written":3,"seconds":1.750012,"errors":1})"),
        std::string::npos)
        << json;
}

}  // namespace
}  // namespace fdtrace
