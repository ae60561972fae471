// The bio core on the real umc runtime, against kernel semantics, via the
// plain-C probes in bio_driver.c.
#include <gtest/gtest.h>
#include <umc/kernel_host.h>

#include "bio_driver.h"

namespace {

TEST(Bio, AllocAddPagesIterateAndClone)
{
	EXPECT_EQ(ksd_bio_alloc_add_iterate_clone(), 0);
}

// The parent completes once, after all chained children, with the first error.
TEST(Bio, ChainedChildrenCompleteTheParentOnce)
{
	EXPECT_EQ(ksd_bio_chain_completion(), 1 * 10 + 10);
	umc_kernel_shutdown(); // frees the default bio sets bio_alloc() made
}

} // namespace
