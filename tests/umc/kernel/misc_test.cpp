// Kernel macros (minmax, math, err, container_of) against kernel semantics,
// via the plain-C probes in misc_driver.c (over the stand-in walls,
// helpers.hpp).
#include <gtest/gtest.h>

#include "misc_driver.h"

namespace {

TEST(Misc, MacrosFollowKernelSemantics)
{
	EXPECT_EQ(kd_misc_macros(), 0);
}

} // namespace
