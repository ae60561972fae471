// THIS_MODULE's parameter records against kernel semantics, via the plain-C
// probes in module_driver.c (over the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include "module_driver.h"

namespace {

TEST(ModuleParams, RecordsAreFoundAndWriteTheVariable)
{
	EXPECT_EQ(kd_module_params(), 0);
}

} // namespace
