// The block path on the real umc runtime, against kernel semantics, via the
// plain-C probes in block_driver.c.
#include <gtest/gtest.h>

#include "block_driver.h"

namespace {

TEST(Block, SplitSubmitAccountDiscardAndZeroout)
{
	EXPECT_EQ(ksd_block_path(), 0);
}

} // namespace
