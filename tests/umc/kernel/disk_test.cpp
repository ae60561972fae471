// Disks on the real umc runtime, against kernel semantics, via the plain-C
// probes in disk_driver.c.
#include <gtest/gtest.h>

#include "disk_driver.h"

namespace {

TEST(Disk, MajorsDisksCapacityAndReadOnly)
{
	EXPECT_EQ(ksd_disk_lifecycle(), 0);
}

} // namespace
