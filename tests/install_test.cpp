// The shipped artefacts: `cmake --install` into a fresh prefix, and the .deb
// from CPack, each run from where they land.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.h"

namespace fdtrace {
namespace {

using testing::run_shell;
using testing::source_dir;

TEST(Install, CmakeInstallTreeRunsFromAFreshPrefix) {
    std::string prefix = "/tmp/fdtrace-install-test-" + std::to_string(::getpid());
    std::filesystem::remove_all(prefix);
    auto install = run_shell("cmake --install " FDTRACE_BUILD_DIR " --prefix " + prefix + " 2>&1");
    ASSERT_EQ(install.status, 0) << install.out;
    EXPECT_TRUE(std::filesystem::exists(prefix + "/share/man/man1/fdtrace.1"));
    EXPECT_TRUE(std::filesystem::exists(prefix + "/share/bash-completion/completions/fdtrace"));
    EXPECT_TRUE(std::filesystem::exists(prefix + "/share/zsh/vendor-completions/_fdtrace"));
    auto version = run_shell(prefix + "/bin/fdtrace --version");
    EXPECT_EQ(version.status, 0);
    EXPECT_EQ(version.out.rfind("fdtrace ", 0), 0u) << version.out;
    auto annotate =
        run_shell(prefix + "/bin/fdtrace annotate -n " + source_dir() + "/fixtures/demo.plain.log");
    EXPECT_EQ(annotate.status, 0);
    EXPECT_NE(annotate.out.find("sendto(5 -> TCP 127.0.0.1:45120->127.0.0.1:18080"),
              std::string::npos);
    auto man =
        run_shell("MANWIDTH=80 man -l " + prefix + "/share/man/man1/fdtrace.1 2>&1 | head -5");
    EXPECT_NE(man.out.find("fdtrace - name every file descriptor"), std::string::npos) << man.out;
    auto completion =
        run_shell("bash -c 'source " + prefix +
                  "/share/bash-completion/completions/fdtrace && complete -p fdtrace'");
    EXPECT_NE(completion.out.find("_fdtrace"), std::string::npos);
    std::filesystem::remove_all(prefix);
}

TEST(Install, DebianPackageDeclaresItsDependenciesAndRuns) {
    std::string work = "/tmp/fdtrace-deb-test-" + std::to_string(::getpid());
    std::filesystem::remove_all(work);
    std::filesystem::create_directories(work);
    auto pack = run_shell("cd " FDTRACE_BUILD_DIR " && cpack -G DEB -B " + work + " 2>&1");
    ASSERT_EQ(pack.status, 0) << pack.out;
    auto deb = run_shell("ls " + work + "/*.deb");
    ASSERT_EQ(deb.status, 0);
    std::string package = deb.out.substr(0, deb.out.find('\n'));
    auto info = run_shell("dpkg-deb --field " + package + " Depends");
    EXPECT_NE(info.out.find("libseccomp2"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("libboost-program-options"), std::string::npos) << info.out;
    // Unpacked into a fresh root (as dpkg -i would lay it out), it runs.
    auto unpack = run_shell("dpkg-deb -x " + package + " " + work + "/root 2>&1");
    ASSERT_EQ(unpack.status, 0) << unpack.out;
    auto run = run_shell(work + "/root/usr/bin/fdtrace --version");
    EXPECT_EQ(run.status, 0);
    std::filesystem::remove_all(work);
}

}  // namespace
}  // namespace fdtrace
