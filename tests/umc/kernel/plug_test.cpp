// Block plugging on the real umc runtime, against kernel semantics, via the
// plain-C probes in plug_driver.c.
#include <gtest/gtest.h>

#include "plug_driver.h"

namespace {

TEST(Plug, CallbacksRunAtFinishOrBeforeSleeping)
{
	EXPECT_EQ(ksd_plug_callbacks(), 0);
}

} // namespace
