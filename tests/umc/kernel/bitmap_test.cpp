// bitmap.c against kernel semantics, via the plain-C probes in bitmap_driver.c
// (over the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include "bitmap_driver.h"

namespace {

// The cpu-mask format DRBD accepts: comma-separated 32-bit hex chunks,
// most significant first.
TEST(Bitmap, ParseFollowsTheKernelFormat)
{
	unsigned long m[2] = {~0ul, ~0ul};
	EXPECT_EQ(kd_bitmap_parse("ff", m, 64), 0);
	EXPECT_EQ(m[0], 0xfful);
	EXPECT_EQ(kd_bitmap_parse("1,00000003", m, 64), 0);
	EXPECT_EQ(m[0], 0x100000003ul);
	EXPECT_EQ(kd_bitmap_parse("1,,5\n", m, 64), 0); // empty groups are skipped
	EXPECT_EQ(m[0], 0x100000005ul);
	EXPECT_EQ(kd_bitmap_parse("", m, 64), 0);
	EXPECT_EQ(m[0], 0ul);
	EXPECT_EQ(kd_bitmap_parse("xyz", m, 64), -22);       // -EINVAL
	EXPECT_EQ(kd_bitmap_parse("123456789", m, 64), -75); // -EOVERFLOW: > 32 bits
	EXPECT_EQ(kd_bitmap_parse("10", m, 4), -75);         // bit 4 of a 4-bit map
	EXPECT_EQ(kd_bitmap_parse("1,0,0", m, 64), -75);     // 3 chunks for 64 bits
}

TEST(Bitmap, WeightAndEqualIgnoreBitsPastTheEnd)
{
	unsigned long a[2] = {0xf0ul, 0xff00ul};
	unsigned long b[2] = {0xf0ul, 0x0f00ul};
	unsigned long d[2];
	EXPECT_EQ(kd_bitmap_weight(a, 80), 4u + 8u);
	EXPECT_EQ(kd_bitmap_weight(a, 64 + 12), 4u + 4u);
	EXPECT_TRUE(kd_bitmap_equal(a, b, 64 + 12));
	EXPECT_FALSE(kd_bitmap_equal(a, b, 64 + 13));
	EXPECT_TRUE(kd_bitmap_and(d, a, b, 128));
	EXPECT_EQ(d[1], 0x0f00ul);
	unsigned long z[2] = {0, 0};
	EXPECT_FALSE(kd_bitmap_and(d, a, z, 128));
	unsigned long s[3] = {0, 0, 0};
	kd_bitmap_set(s, 60, 70); // bits 60..129
	EXPECT_EQ(s[0], 0xful << 60);
	EXPECT_EQ(s[1], ~0ul);
	EXPECT_EQ(s[2], 3ul);
	kd_bitmap_clear(s, 62, 66); // bits 62..127
	EXPECT_EQ(s[0], 3ul << 60);
	EXPECT_EQ(s[1], 0ul);
}

} // namespace
