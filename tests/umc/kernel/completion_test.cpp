// Completions on the real umc runtime, against kernel semantics, via the
// plain-C probes in completion_driver.c.
#include <gtest/gtest.h>

#include "completion_driver.h"

namespace {

TEST(Completion, TimeoutReturnsZeroAndADoneCompletionReturnsTimeLeft)
{
	EXPECT_EQ(ksd_completion_timeout(), 0);
	long left = ksd_completion_done_before();
	EXPECT_GE(left, 1);
	EXPECT_LE(left, 1000);
}

TEST(Completion, CompleteAllReleasesEveryWaiter)
{
	EXPECT_EQ(ksd_complete_all_releases(8), 8);
}

} // namespace
