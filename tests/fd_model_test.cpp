// The fd-table effects both modes share (FdModel::*_call): log replay and
// the live tracer apply close, close_range, the dup family and F_SETFD here.
#include "fdtrace/fd_model.h"

#include <gtest/gtest.h>
#include <linux/close_range.h>

#include <climits>

namespace fdtrace {
namespace {

FdIdentity file(const std::string& path) {
    FdIdentity identity;
    identity.kind = FdKind::File;
    identity.details = PathDetails{path};
    return identity;
}

TEST(FdModelEffects, CloseReleasesTheFdUnlessEbadf) {
    FdModel model;
    model.install(1, 3, file("/a"), false);
    EXPECT_FALSE(model.close_call(1, 3, "EBADF"));
    EXPECT_NE(model.lookup(1, 3), nullptr);
    EXPECT_TRUE(model.close_call(1, 3, "EINTR"));  // Linux released it anyway
    EXPECT_EQ(model.lookup(1, 3), nullptr);
}

TEST(FdModelEffects, DupSharesTheOpenFileWithItsOwnCloexec) {
    FdModel model;
    model.install(1, 3, file("/a"), true);
    EXPECT_TRUE(model.dup_call(1, 3, 7, false));
    ASSERT_NE(model.lookup(1, 7), nullptr);
    EXPECT_EQ(model.lookup(1, 7), model.lookup(1, 3));
    EXPECT_FALSE(model.entry(1, 7)->cloexec);
    EXPECT_TRUE(model.entry(1, 3)->cloexec);
    EXPECT_TRUE(model.dup_call(1, 3, 3, false));  // dup2(fd, fd): flags untouched
    EXPECT_TRUE(model.entry(1, 3)->cloexec);
    EXPECT_FALSE(model.dup_call(1, 9, 10, false));  // unknown source: the caller learns it
    model.set_cloexec(1, 7, true);
    EXPECT_TRUE(model.entry(1, 7)->cloexec);
}

TEST(FdModelEffects, CloseRangeUnshareCopiesTheSharedTableFirst) {
    FdModel model;
    model.install(1, 3, file("/a"), false);
    model.install(1, 4, file("/b"), false);
    model.clone(1, 2, /*share_files=*/true, /*share_fs=*/true);  // a thread
    model.close_range_call(2, 3, 3, CLOSE_RANGE_UNSHARE);
    EXPECT_EQ(model.lookup(2, 3), nullptr);
    EXPECT_NE(model.lookup(2, 4), nullptr);  // the rest of its copy stays
    EXPECT_NE(model.lookup(1, 3), nullptr);  // the other thread's table is untouched
    model.close_range_call(1, 0, UINT_MAX, CLOSE_RANGE_CLOEXEC);
    EXPECT_TRUE(model.entry(1, 3)->cloexec);
    model.close_range_call(1, 4, ~0u, 0);
    EXPECT_EQ(model.lookup(1, 4), nullptr);
    EXPECT_NE(model.lookup(1, 3), nullptr);
}

}  // namespace
}  // namespace fdtrace
