// -e read=/write= sets and hex dumps, against strace 6.1's rules (its
// qualify_tokens and dumpstr); the whole behaviour is also checked by
// strace's own tests (scripts/strace-tests.sh: read-write, readv...).
#include "fdtrace/io_dump.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <variant>

namespace fdtrace {
namespace {

FdNumberSet parsed(std::string_view text) {
    auto result = FdNumberSet::parse(text);
    EXPECT_TRUE(std::holds_alternative<FdNumberSet>(result)) << text;
    return std::holds_alternative<FdNumberSet>(result) ? std::get<FdNumberSet>(result)
                                                       : FdNumberSet{};
}

TEST(IoDumpSet, EachLeadingBangTurnsTheRestAround) {
    EXPECT_TRUE(parsed("1,2").contains(2));
    EXPECT_FALSE(parsed("!1,2").contains(2));
    EXPECT_TRUE(parsed("!1,2").contains(3));
    EXPECT_TRUE(parsed("!!1,2").contains(2));  // strace's readv test writes "!!!0,..."
    EXPECT_FALSE(parsed("!!!0,1").contains(1));
    EXPECT_TRUE(parsed("!!!0,1").contains(5));
    EXPECT_TRUE(parsed("all").contains(7));
    EXPECT_FALSE(parsed("!all").contains(7));
    EXPECT_FALSE(parsed("none").contains(7));
    EXPECT_TRUE(parsed("1,,2,").contains(2));  // empty tokens are skipped, as strtok does
    EXPECT_TRUE(std::holds_alternative<std::string>(FdNumberSet::parse("1,x")));
    EXPECT_TRUE(std::holds_alternative<std::string>(FdNumberSet::parse(",")));
    EXPECT_TRUE(std::holds_alternative<std::string>(FdNumberSet::parse("!")));
}

TEST(IoDumpHex, OffsetsWidenPastOneMebibyteAsStrace) {
    std::string out;
    append_hex_dump(out, "hello\n");
    EXPECT_EQ(out,
              // as `strace -e write=1 echo hello` prints it
              " | 00000  68 65 6c 6c 6f 0a                                 hello.           |\n");
    out.clear();
    append_hex_dump(out, std::string(16, 'a'), (1u << 20) + 1);  // 0x100000 needs six digits
    EXPECT_EQ(out.substr(0, 10), " | 000000 ");
    out.clear();
    append_hex_dump(out, std::string(16, 'a'), 1u << 20);  // exactly 1 MiB: still five
    EXPECT_EQ(out.substr(0, 9), " | 00000 ");
}

}  // namespace
}  // namespace fdtrace
