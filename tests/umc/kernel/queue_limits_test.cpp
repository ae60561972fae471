// Queue limits (blk-settings.c) and block status codes against kernel
// semantics, via the plain-C probes in queue_limits_driver.c (over the
// stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include "queue_limits_driver.h"

namespace {

// DRBD stacks its queue limits on the backing device's (drbd_nl.c).
TEST(QueueLimits, StackingInheritsTheBackingDevice)
{
	kd_limits disk{};
	disk.lbs = 4096;
	disk.pbs = 4096;
	disk.io_min = 4096;
	disk.max_hw_sectors = 2048;
	disk.max_sectors = 1280;
	disk.max_segments = 168;
	kd_limits top{};
	EXPECT_EQ(kd_stack_limits(&disk, 1, 0, &top), 0);
	EXPECT_EQ(top.lbs, 4096u);
	EXPECT_EQ(top.pbs, 4096u);
	EXPECT_EQ(top.max_hw_sectors, 2048u);
	EXPECT_EQ(top.max_sectors, 1280u);
	EXPECT_EQ(top.max_segments, 168u);
	EXPECT_EQ(top.max_write_zeroes_sectors, 0u); // the disk has none
	EXPECT_EQ(top.max_discard_sectors, 0u);
	EXPECT_FALSE(top.misaligned);
}

TEST(QueueLimits, StackingTwoDevicesCombinesSizes)
{
	kd_limits d[2]{};
	d[0].io_opt = 65536;
	d[0].max_discard_sectors = 8192;
	d[0].discard_granularity = 4096;
	d[0].max_hw_sectors = 4000;
	d[1].lbs = 4096;
	d[1].pbs = 4096;
	d[1].io_min = 4096;
	d[1].io_opt = 98304;
	d[1].max_hw_sectors = 1001; // rounded down to whole 4K logical blocks
	kd_limits top{};
	EXPECT_EQ(kd_stack_limits(d, 2, 0, &top), 0);
	EXPECT_EQ(top.io_opt, 196608u); // lcm(64K, 96K)
	EXPECT_EQ(top.pbs, 4096u);
	EXPECT_EQ(top.io_min, 4096u);
	EXPECT_EQ(top.lbs, 4096u);
	EXPECT_EQ(top.max_hw_sectors, 1000u);
	EXPECT_EQ(top.max_discard_sectors, 8192u);
	EXPECT_EQ(top.discard_granularity, 4096u);
}

TEST(QueueLimits, AStartThatSplitsALogicalBlockIsMisaligned)
{
	kd_limits disk{};
	disk.lbs = 4096;
	disk.pbs = 4096;
	disk.io_min = 4096;
	kd_limits top{};
	EXPECT_EQ(kd_stack_limits(&disk, 1, 1, &top), -1);
	EXPECT_TRUE(top.misaligned);
	EXPECT_EQ(kd_stack_limits(&disk, 1, 8, &top), 0); // 8 sectors = one 4K block
	EXPECT_FALSE(top.misaligned);
}

TEST(BlockStatus, ErrnoMappingRoundTrips)
{
	EXPECT_EQ(kd_blk_status_to_errno(0), 0);
	EXPECT_EQ(kd_blk_status_to_errno(10), -5); // BLK_STS_IOERR -> -EIO
	EXPECT_EQ(kd_blk_status_to_errno(1), -95); // BLK_STS_NOTSUPP -> -EOPNOTSUPP
	EXPECT_EQ(kd_errno_to_blk_status(-95), 1);
	EXPECT_EQ(kd_errno_to_blk_status(-12), 9);    // -ENOMEM -> BLK_STS_RESOURCE
	EXPECT_EQ(kd_errno_to_blk_status(-1234), 10); // unknown -> BLK_STS_IOERR
}

} // namespace
