// Atomics, cmpxchg and kref against kernel semantics, via the plain-C probes
// in atomic_driver.c (over the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include "atomic_driver.h"

namespace {

TEST(Atomics, KernelReturnValueSemantics)
{
	EXPECT_EQ(kd_atomic_sequence(), 0);
}

TEST(Atomics, CmpxchgAndXchgReturnTheOldValue)
{
	EXPECT_TRUE(kd_cmpxchg_returns_old());
}

TEST(Kref, ReleaseRunsExactlyOnceOnTheLastPut)
{
	EXPECT_EQ(kd_kref_release_runs_once(), 1);
}

} // namespace
