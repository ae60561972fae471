// Mutexes and spinlocks on the real umc runtime, against kernel semantics, via
// the plain-C probes in locking_driver.c.
#include <gtest/gtest.h>

#include "locking_driver.h"

namespace {

TEST(Locking, MutexExcludes)
{
	EXPECT_EQ(ksd_mutex_counter(4, 20000), 80000);
}

TEST(Locking, SpinlockExcludes)
{
	EXPECT_EQ(ksd_spinlock_counter(4, 20000), 80000);
}

} // namespace
