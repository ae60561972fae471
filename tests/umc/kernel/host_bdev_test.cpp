// Host-served backing devices on the real umc runtime, against kernel
// semantics, via the plain-C probes in host_bdev_driver.c.
#include <gtest/gtest.h>

#include "host_bdev_driver.h"

namespace {

TEST(HostBdev, ExclusiveOpenLimitsAndIoThroughTheHost)
{
	EXPECT_EQ(ksd_host_bdev(), 0);
}

TEST(HostBdev, ClaimsFollowExclusiveOpensAndRescanChangesTheSize)
{
	EXPECT_EQ(ksd_host_bdev_claims(), 0);
}

TEST(HostBdev, PluggedRequestsMergeIntoOneHostRequest)
{
	EXPECT_EQ(ksd_host_bdev_plug_merge(), 0);
}

} // namespace
