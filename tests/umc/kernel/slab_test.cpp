// The slab contract against kernel semantics, via the plain-C probes in
// slab_driver.c (over the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include "slab_driver.h"
#include "helpers.hpp"

namespace {

TEST(Slab, KmallocFamilyContract)
{
	std::size_t before = t::wall::live_allocations();
	EXPECT_EQ(kd_slab_contract(), 0);
	EXPECT_EQ(t::wall::live_allocations(), before);
}

TEST(Slab, KmemCacheRunsTheConstructor)
{
	std::size_t caches = t::wall::live_caches();
	EXPECT_EQ(kd_kmem_cache_contract(), 0);
	EXPECT_EQ(t::wall::live_caches(), caches);
}

} // namespace
