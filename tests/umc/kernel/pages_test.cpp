// Pages on the real umc runtime, against kernel semantics, via the plain-C
// probes in pages_driver.c.
#include <gtest/gtest.h>

#include "pages_driver.h"

namespace {

TEST(Pages, AllocMapsContiguousZeroedPagesAndPutPageFrees)
{
	EXPECT_EQ(ksd_pages(0), 0);
	EXPECT_EQ(ksd_pages(3), 0);
}

} // namespace
