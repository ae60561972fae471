// drivers/block/drbd/drbd_interval.c over lib/rbtree.c, both unmodified:
// DRBD's conflict detection between overlapping requests.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "interval_driver.h"
#include "umc/kernel/helpers.hpp"

namespace {

std::vector<unsigned> overlaps(tdrv_itree *t, unsigned long long sector, unsigned bytes)
{
	unsigned ids[256];
	unsigned n = tdrv_itree_overlaps(t, sector, bytes, ids, 256);
	EXPECT_LE(n, 256u);
	return std::vector<unsigned>(ids, ids + std::min(n, 256u));
}

TEST(DrbdInterval, FindsExactlyTheOverlappingIntervalsInSectorOrder)
{
	tdrv_itree *t = tdrv_itree_create(8);
	ASSERT_TRUE(tdrv_itree_insert(t, 0, 0, 4096));  // [0, 8)
	ASSERT_TRUE(tdrv_itree_insert(t, 1, 8, 4096));  // [8, 16)
	ASSERT_TRUE(tdrv_itree_insert(t, 2, 100, 512)); // [100, 101)
	ASSERT_TRUE(tdrv_itree_insert(t, 3, 4, 65536)); // [4, 132)
	EXPECT_EQ(tdrv_itree_check(t), 0);

	EXPECT_EQ(overlaps(t, 0, 512), (std::vector<unsigned>{0}));
	EXPECT_EQ(overlaps(t, 7, 1024), (std::vector<unsigned>{0, 3, 1}));
	EXPECT_EQ(overlaps(t, 16, 512), (std::vector<unsigned>{3}));
	EXPECT_EQ(overlaps(t, 100, 512), (std::vector<unsigned>{3, 2}));
	// Half-open intervals: touching is not overlapping.
	EXPECT_TRUE(overlaps(t, 132, 4096).empty());
	tdrv_itree_destroy(t);
}

TEST(DrbdInterval, InsertRefusesTheSameIntervalTwiceButAllowsEqualRanges)
{
	tdrv_itree *t = tdrv_itree_create(2);
	ASSERT_TRUE(tdrv_itree_insert(t, 0, 16, 4096));
	EXPECT_FALSE(tdrv_itree_reinsert(t, 0));
	EXPECT_TRUE(tdrv_itree_insert(t, 1, 16, 4096)); // a different request, same range
	EXPECT_EQ(overlaps(t, 16, 512).size(), 2u);
	EXPECT_EQ(tdrv_itree_check(t), 0);
	tdrv_itree_destroy(t);
}

TEST(DrbdInterval, RemoveTakesTheIntervalOutOfSearches)
{
	tdrv_itree *t = tdrv_itree_create(3);
	tdrv_itree_insert(t, 0, 0, 8192);
	tdrv_itree_insert(t, 1, 8, 8192);
	tdrv_itree_insert(t, 2, 2, 1024);
	EXPECT_TRUE(tdrv_itree_contains(t, 1));
	EXPECT_FALSE(tdrv_itree_empty_node(t, 1));
	tdrv_itree_remove(t, 1);
	EXPECT_FALSE(tdrv_itree_contains(t, 1));
	EXPECT_TRUE(tdrv_itree_empty_node(t, 1));
	EXPECT_EQ(overlaps(t, 8, 4096), (std::vector<unsigned>{0}));
	EXPECT_EQ(tdrv_itree_check(t), 0);
	tdrv_itree_destroy(t);
}

// Against a brute-force model, with the augmented and red-black invariants
// checked after every change.
TEST(DrbdInterval, MatchesABruteForceModelUnderRandomChurn)
{
	constexpr unsigned kSlots = 200;
	tdrv_itree *t = tdrv_itree_create(kSlots);
	std::mt19937 rng(12345);
	struct Iv {
		unsigned long long s;
		unsigned bytes;
		bool in;
	};
	std::vector<Iv> model(kSlots, Iv{0, 0, false});
	for (int step = 0; step < 3000; step++) {
		unsigned id = rng() % kSlots;
		if (model[id].in) {
			tdrv_itree_remove(t, id);
			model[id].in = false;
		} else {
			model[id] = Iv{rng() % 5000, static_cast<unsigned>((1 + rng() % 64) * 512), true};
			ASSERT_TRUE(tdrv_itree_insert(t, id, model[id].s, model[id].bytes));
		}
		ASSERT_EQ(tdrv_itree_check(t), 0) << "step " << step;
		unsigned long long qs = rng() % 5100;
		unsigned qb = static_cast<unsigned>((1 + rng() % 32) * 512);
		std::multiset<unsigned> want;
		for (unsigned i = 0; i < kSlots; i++)
			if (model[i].in && model[i].s < qs + qb / 512 && qs < model[i].s + model[i].bytes / 512)
				want.insert(i);
		auto got_v = overlaps(t, qs, qb);
		std::multiset<unsigned> got(got_v.begin(), got_v.end());
		ASSERT_EQ(got, want) << "step " << step;
		// drbd_for_each_overlap visits in ascending start sector.
		for (size_t k = 1; k < got_v.size(); k++)
			ASSERT_LE(model[got_v[k - 1]].s, model[got_v[k]].s);
	}
	tdrv_itree_destroy(t);
}

} // namespace
