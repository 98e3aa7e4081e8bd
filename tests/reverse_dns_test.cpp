#include "fdtrace/reverse_dns.h"

#include <gtest/gtest.h>

#include "fdtrace/fd_identity.h"
#include "fdtrace/render.h"

namespace fdtrace {
namespace {

using namespace std::chrono_literals;

TEST(ReverseDns, NeverBlocksThenServesTheNameFromTheCache) {
    ReverseDns names(2000ms);
    // 127.0.0.1 is in /etc/hosts on every Debian: no network needed.
    EXPECT_FALSE(names.name_for("127.0.0.1")) << "the first ask only starts the lookup";
    ASSERT_TRUE(names.wait_idle(5000ms));
    auto name = names.name_for("127.0.0.1");
    ASSERT_TRUE(name);
    EXPECT_EQ(*name, "localhost");
    EXPECT_GE(names.generation(), 1u);
}

TEST(ReverseDns, NotAnAddressStaysNumeric) {
    ReverseDns names(500ms);
    EXPECT_FALSE(names.name_for("not-an-ip"));
    ASSERT_TRUE(names.wait_idle(5000ms));
    EXPECT_FALSE(names.name_for("not-an-ip"));
}

TEST(ReverseDns, FormatterUsesNamesOnceKnownAndChangesGeneration) {
    ReverseDns names(2000ms);
    IdentityFormatter formatter(FormatOptions{});
    formatter.set_host_names(&names);
    FdIdentity tcp;
    tcp.kind = FdKind::Tcp;
    tcp.details = InetDetails{"127.0.0.1:45120", "127.0.0.1:443", "ESTABLISHED"};
    // Read before the lookup starts: it may finish before the next line runs.
    auto before = formatter.names_generation();
    EXPECT_EQ(formatter.text(tcp), "TCP 127.0.0.1:45120->127.0.0.1:https");
    ASSERT_TRUE(names.wait_idle(5000ms));
    EXPECT_NE(formatter.names_generation(), before);
    EXPECT_EQ(formatter.text(tcp), "TCP localhost:45120->localhost:https");
}

// A name arriving while one identity is being written names both of its
// sides or neither: never "127.0.0.1:45120->localhost:https" (seen once).
TEST(ReverseDns, OneIdentityNeverMixesANameAndItsNumber) {
    FdIdentity tcp;
    tcp.kind = FdKind::Tcp;
    tcp.details = InetDetails{"127.0.0.1:45120", "127.0.0.1:443", "ESTABLISHED"};
    for (int trial = 0; trial < 200; ++trial) {
        ReverseDns names(2000ms);
        IdentityFormatter formatter(FormatOptions{});
        formatter.set_host_names(&names);
        for (int line = 0; line < 20; ++line) {
            std::string text = formatter.text(tcp);
            EXPECT_TRUE(text == "TCP 127.0.0.1:45120->127.0.0.1:https" ||
                        text == "TCP localhost:45120->localhost:https")
                << "trial " << trial << ": " << text;
        }
        names.wait_idle(5000ms);
        if (HasFailure()) break;
    }
}

}  // namespace
}  // namespace fdtrace
