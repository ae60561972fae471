// Module parameters as sysfs shows and stores them on the real umc runtime,
// against kernel semantics, via the plain-C probes in params_driver.c.
#include <gtest/gtest.h>

#include "params_driver.h"

namespace {

TEST(ModuleParams, ShowAndStoreAsSysfs)
{
	EXPECT_EQ(ksd_module_params(), 0);
}

} // namespace
