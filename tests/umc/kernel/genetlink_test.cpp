// Generic netlink on the real umc runtime, against kernel semantics, via the
// plain-C probes in genetlink_driver.c.
#include <gtest/gtest.h>

#include "genetlink_driver.h"

namespace {

TEST(Genetlink, FamilyQueryDoitDumpErrorsAndMulticast)
{
	EXPECT_EQ(ksd_genl_family(), 0);
}

} // namespace
