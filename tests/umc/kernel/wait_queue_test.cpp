// Wait queues on the real umc runtime, against kernel semantics, via the
// plain-C probes in wait_queue_driver.c.
#include <gtest/gtest.h>

#include "wait_queue_driver.h"

namespace {

constexpr int kERESTARTSYS = 512;

TEST(WaitQueue, WaitEventSeesAConditionSetBeforeOrAfterItSleeps)
{
	for (int i = 0; i < 50; i++)
		ASSERT_EQ(ksd_wait_event_wakes_waiter(), 0) << "round " << i;
}

TEST(WaitQueue, InterruptibleWaitEndsWithERESTARTSYSOnASignal)
{
	EXPECT_EQ(ksd_wait_event_interrupted_by_signal(), -kERESTARTSYS);
}

} // namespace
