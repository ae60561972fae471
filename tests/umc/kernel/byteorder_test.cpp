// Byteorder and unaligned access against kernel semantics, via the plain-C
// probes in byteorder_driver.c (over the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include "byteorder_driver.h"

namespace {

TEST(Byteorder, BigAndLittleEndianConversions)
{
	EXPECT_EQ(kd_cpu_to_be32(0x11223344u), 0x44332211u);
	EXPECT_EQ(kd_be64_to_cpu(0x0102030405060708ull), 0x0807060504030201ull);
	EXPECT_EQ(kd_cpu_to_le16(0x1234), 0x1234);
	unsigned char buf[7] = {0, 0x11, 0x22, 0x33, 0x44, 0, 0};
	EXPECT_EQ(kd_get_unaligned_be32(buf + 1), 0x11223344u);
}

} // namespace
