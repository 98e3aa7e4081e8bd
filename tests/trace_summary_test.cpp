// fdtrace -c on a live command: the per-fd summary counts what really moved.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "test_support.h"

namespace fdtrace {
namespace {

using testing::fdtrace_binary;
using testing::run_shell;

TEST(TraceSummary, CountsBytesPerFileForALaunchedCommand) {
    std::string file = "/tmp/fdtrace-summary-" + std::to_string(::getpid()) + ".txt";
    std::ofstream(file) << std::string(5000, 'x');
    auto result = run_shell(fdtrace_binary() + " --summary-only -f -- /bin/cat " + file +
                            " 2>&1 >/dev/null 3>&- 4>&-");
    std::remove(file.c_str());
    ASSERT_EQ(result.status, 0) << result.out;
    EXPECT_NE(result.out.find("fd identity"), std::string::npos) << result.out;
    // One row for the file: 5000 bytes read; no trace lines, only the table.
    std::string row;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);)
        if (line.ends_with(" " + file)) row = line;
    ASSERT_FALSE(row.empty()) << result.out;
    EXPECT_NE(row.find(" 5000 "), std::string::npos) << row;
    EXPECT_EQ(result.out.find("read("), std::string::npos) << "--summary-only shows no calls";
}

}  // namespace
}  // namespace fdtrace
