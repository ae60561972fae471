// Bitops and find_bit against kernel semantics, via the plain-C probes in
// bitops_driver.c (over the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include "bitops_driver.h"

namespace {

TEST(Bitops, AtomicAndNonAtomicTestAndSet)
{
	unsigned long w[2] = {0, 0};
	EXPECT_TRUE(kd_set_bit(w, 65));
	EXPECT_EQ(w[1], 2ul);
	EXPECT_FALSE(kd_test_and_set_bit(w, 3));
	EXPECT_TRUE(kd_test_and_set_bit(w, 3));
	EXPECT_TRUE(kd_test_and_clear_bit(w, 3));
	EXPECT_FALSE(kd_test_and_clear_bit(w, 3));
	EXPECT_FALSE(kd_nonatomic_test_and_set_bit(w, 64));
	EXPECT_TRUE(kd_nonatomic_test_and_set_bit(w, 64));
	EXPECT_EQ(w[0], 0ul);
	EXPECT_EQ(w[1], 3ul);
}

// DRBD's on-disk bitmap is little-endian: bit n is bit n%8 of byte n/8.
TEST(Bitops, LittleEndianNumberingIsByteStreamOrder)
{
	unsigned long w[2] = {0, 0};
	unsigned char *bytes = reinterpret_cast<unsigned char *>(w);
	EXPECT_FALSE(kd_test_and_set_bit_le(w, 9));
	EXPECT_EQ(bytes[1], 0x02);
	EXPECT_TRUE(kd_test_bit_le(w, 9));
	EXPECT_FALSE(kd_test_bit_le(w, 8));
	bytes[12] = 0x80; // bit 103
	EXPECT_EQ(kd_find_next_bit_le(w, 128, 10), 103ul);
}

TEST(FindBit, ReturnsSizeWhenNothingFoundAndNeverExceedsIt)
{
	unsigned long w[3] = {0, 0, 0};
	EXPECT_EQ(kd_find_first_bit(w, 150), 150ul);
	EXPECT_EQ(kd_find_last_bit(w, 150), 150ul);
	w[2] = 1ul << 30; // bit 158: beyond size 150, must be ignored
	EXPECT_EQ(kd_find_first_bit(w, 150), 150ul);
	EXPECT_EQ(kd_find_next_bit(w, 159, 0), 158ul);
	w[0] = 0x10;      // bit 4
	w[1] = 1ul << 63; // bit 127
	EXPECT_EQ(kd_find_first_bit(w, 150), 4ul);
	EXPECT_EQ(kd_find_next_bit(w, 150, 5), 127ul);
	EXPECT_EQ(kd_find_next_bit(w, 150, 127), 127ul);
	EXPECT_EQ(kd_find_next_bit(w, 150, 128), 150ul);
	EXPECT_EQ(kd_find_last_bit(w, 150), 127ul);
	EXPECT_EQ(kd_find_next_zero_bit(w, 150, 4), 5ul);
	unsigned long ones[2] = {~0ul, ~0ul};
	EXPECT_EQ(kd_find_next_zero_bit(ones, 100, 0), 100ul);
	EXPECT_EQ(kd_find_next_zero_bit(ones, 128, 7), 128ul);
	EXPECT_EQ(kd_find_next_bit(w, 150, 200), 150ul);
}

TEST(Bitops, ScanHelpers)
{
	EXPECT_EQ(kd_fls(0), 0);
	EXPECT_EQ(kd_fls(1), 1);
	EXPECT_EQ(kd_fls(0x80000000u), 32);
	EXPECT_EQ(kd_ffs(0), 0);
	EXPECT_EQ(kd_ffs(0x18), 4);
	EXPECT_EQ(kd_hweight_long(0xf0f0ul), 8ul);
}

} // namespace
