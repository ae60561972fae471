// Kthreads on the real umc runtime, against kernel semantics, via the plain-C
// probes in kthread_driver.c.
#include <gtest/gtest.h>

#include "kthread_driver.h"

namespace {

TEST(Kthread, CreatedStoppedRunsWhenWokenAndStopReturnsItsResult)
{
	EXPECT_EQ(ksd_kthread_lifecycle(), 1 | 2 | 4 | 8);
}

} // namespace
