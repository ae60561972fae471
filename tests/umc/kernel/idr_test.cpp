// idr.c against kernel semantics, via the plain-C probes in idr_driver.c (over
// the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include <vector>

#include "idr_driver.h"
#include "helpers.hpp"

namespace {

TEST(Idr, AllocatesTheLowestFreeIdInRange)
{
	auto before = t::wall::live_allocations();
	kd_idr *t = kd_idr_create();
	EXPECT_TRUE(kd_idr_is_empty(t));
	EXPECT_EQ(kd_idr_alloc(t, 100, 0, 0), 0);
	EXPECT_EQ(kd_idr_alloc(t, 101, 0, 0), 1);
	EXPECT_EQ(kd_idr_alloc(t, 105, 5, 0), 5);
	EXPECT_EQ(kd_idr_alloc(t, 102, 0, 0), 2);
	EXPECT_EQ(kd_idr_alloc(t, 199, 0, 3), -28); // -ENOSPC: 0..2 taken
	EXPECT_EQ(kd_idr_find(t, 5), 105ul);
	EXPECT_EQ(kd_idr_find(t, 4), 0ul);
	EXPECT_EQ(kd_idr_remove(t, 1), 101ul);
	EXPECT_EQ(kd_idr_remove(t, 1), 0ul);
	EXPECT_EQ(kd_idr_alloc(t, 111, 0, 0), 1); // reused
	int ids[8];
	int n = kd_idr_ids(t, ids, 8);
	EXPECT_EQ(std::vector<int>(ids, ids + n), (std::vector<int>{0, 1, 2, 5}));
	int next = 3;
	EXPECT_EQ(kd_idr_get_next(t, &next), 105ul);
	EXPECT_EQ(next, 5);
	next = 6;
	EXPECT_EQ(kd_idr_get_next(t, &next), 0ul);
	for (int id : {0, 1, 2, 5})
		kd_idr_remove(t, id);
	EXPECT_TRUE(kd_idr_is_empty(t));
	kd_idr_destroy(t);
	EXPECT_EQ(t::wall::live_allocations(), before);
}

} // namespace
