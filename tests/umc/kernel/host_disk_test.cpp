// A driver's disk as the host program uses it on the real umc runtime, against
// kernel semantics, via the plain-C probes in host_disk_driver.c.
#include <gtest/gtest.h>

#include "host_disk_driver.h"

namespace {

TEST(HostDisk, ListenerLookupOpenAndRequestsAsBios)
{
	EXPECT_EQ(ksd_host_disk_io(), 0);
}

TEST(HostDisk, DeleteWaitsForCallsInsideAndTheHandleOutlivesTheDisk)
{
	EXPECT_EQ(ksd_host_disk_delete(), 0);
}

} // namespace
