// lib/lru_cache.c, compiled unmodified from Debian's linux-source-6.1,
// against the contract documented in include/linux/lru_cache.h.
#include <gtest/gtest.h>

#include <string>

#include "lru_cache_driver.h"
#include "umc/kernel/helpers.hpp"

namespace {

class LruCache : public ::testing::Test {
protected:
	void SetUp() override
	{
		live_before_ = t::wall::live_allocations();
		lc_ = tdrv_lc_create("test", 2, 4);
		ASSERT_NE(lc_, nullptr);
	}
	void TearDown() override
	{
		if (lc_)
			tdrv_lc_destroy(lc_);
		// lc_destroy frees every element and the cache's arrays.
		EXPECT_EQ(t::wall::live_allocations(), live_before_);
	}
	struct tdrv_lc *lc_ = nullptr;
	std::size_t live_before_ = 0;
};

TEST_F(LruCache, GetOfNewLabelIsPendingUntilCommitted)
{
	int e = tdrv_lc_get(lc_, 7);
	ASSERT_GE(e, 0);
	EXPECT_EQ(tdrv_lc_number(lc_, e), TDRV_LC_FREE);
	EXPECT_EQ(tdrv_lc_new_number(lc_, e), 7);
	EXPECT_EQ(tdrv_lc_refcnt(lc_, e), 1u);
	EXPECT_TRUE(tdrv_lc_dirty(lc_));
	// lc_find only sees committed labels; lc_try_get refuses changes.
	EXPECT_EQ(tdrv_lc_find(lc_, 7), -1);
	// A second lc_get of a label still being changed must wait for the commit.
	EXPECT_EQ(tdrv_lc_get(lc_, 7), -1);

	// The transaction protocol DRBD's activity log follows: lock for the
	// transaction, record it, commit, unlock (which clears "dirty").
	EXPECT_FALSE(tdrv_lc_try_lock(lc_)); // not while a change is pending
	ASSERT_TRUE(tdrv_lc_try_lock_for_transaction(lc_));
	tdrv_lc_committed(lc_);
	EXPECT_TRUE(tdrv_lc_dirty(lc_));
	tdrv_lc_unlock(lc_);
	EXPECT_FALSE(tdrv_lc_dirty(lc_));
	EXPECT_EQ(tdrv_lc_number(lc_, e), 7);
	EXPECT_EQ(tdrv_lc_find(lc_, 7), e);
	EXPECT_TRUE(tdrv_lc_is_used(lc_, 7));

	// Now a hit: same element, one more reference.
	EXPECT_EQ(tdrv_lc_get(lc_, 7), e);
	EXPECT_EQ(tdrv_lc_refcnt(lc_, e), 2u);
	EXPECT_EQ(tdrv_lc_put(lc_, e), 1u);
	EXPECT_EQ(tdrv_lc_put(lc_, e), 0u);
	EXPECT_FALSE(tdrv_lc_is_used(lc_, 7));
	// Unused but still cached.
	EXPECT_EQ(tdrv_lc_find(lc_, 7), e);
}

TEST_F(LruCache, CumulativeGetMayReuseAnUncommittedElement)
{
	int e = tdrv_lc_get(lc_, 3);
	ASSERT_GE(e, 0);
	EXPECT_EQ(tdrv_lc_get_cumulative(lc_, 3), e);
	EXPECT_EQ(tdrv_lc_refcnt(lc_, e), 2u);
	tdrv_lc_committed(lc_);
	tdrv_lc_put(lc_, e);
	tdrv_lc_put(lc_, e);
}

TEST_F(LruCache, NoMoreThanMaxPendingChangesPerTransaction)
{
	int a = tdrv_lc_get(lc_, 1);
	int b = tdrv_lc_get(lc_, 2);
	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	EXPECT_NE(a, b);
	EXPECT_EQ(tdrv_lc_get(lc_, 3), -1); // max_pending_changes == 2
	tdrv_lc_committed(lc_);
	int c = tdrv_lc_get(lc_, 3);
	EXPECT_GE(c, 0);
	tdrv_lc_committed(lc_);
	for (int i : {a, b, c})
		tdrv_lc_put(lc_, i);
}

TEST_F(LruCache, StarvesWhenEveryElementIsInUseUntilOneIsPut)
{
	int e[4];
	for (unsigned i = 0; i < 4; i++) {
		e[i] = tdrv_lc_get(lc_, 10 + i);
		ASSERT_GE(e[i], 0);
		if (i % 2)
			tdrv_lc_committed(lc_);
	}
	EXPECT_EQ(tdrv_lc_used(lc_), 4u);
	EXPECT_EQ(tdrv_lc_get(lc_, 99), -1);
	EXPECT_TRUE(tdrv_lc_starving(lc_));
	// While starving even hits are refused.
	EXPECT_EQ(tdrv_lc_get(lc_, 10), -1);
	// Dropping the last reference of any element ends the starvation.
	EXPECT_EQ(tdrv_lc_put(lc_, e[1]), 0u);
	EXPECT_FALSE(tdrv_lc_starving(lc_));
	int r = tdrv_lc_get(lc_, 99);
	ASSERT_EQ(r, e[1]); // the only unused element is recycled
	EXPECT_EQ(tdrv_lc_new_number(lc_, r), 99);
	EXPECT_EQ(tdrv_lc_number(lc_, r), 11);
	tdrv_lc_committed(lc_);
	EXPECT_EQ(tdrv_lc_find(lc_, 11), -1); // evicted
	for (int i : {e[0], e[2], e[3], r})
		tdrv_lc_put(lc_, i);
}

TEST_F(LruCache, EvictsTheLeastRecentlyUsedElement)
{
	int e[4];
	for (unsigned i = 0; i < 4; i++) {
		e[i] = tdrv_lc_get(lc_, 20 + i);
		tdrv_lc_committed(lc_);
	}
	// Put in order 2, 0, 3, 1: element of label 22 is least recently used.
	for (int i : {2, 0, 3, 1})
		tdrv_lc_put(lc_, e[i]);
	int n = tdrv_lc_get(lc_, 30);
	EXPECT_EQ(n, e[2]);
	tdrv_lc_committed(lc_);
	int m = tdrv_lc_get(lc_, 31);
	EXPECT_EQ(m, e[0]);
	tdrv_lc_committed(lc_);
	EXPECT_EQ(tdrv_lc_find(lc_, 22), -1);
	EXPECT_EQ(tdrv_lc_find(lc_, 20), -1);
	EXPECT_EQ(tdrv_lc_find(lc_, 23), e[3]);
	tdrv_lc_put(lc_, n);
	tdrv_lc_put(lc_, m);
}

TEST_F(LruCache, DelFreesTheLabel)
{
	int e = tdrv_lc_get(lc_, 5);
	tdrv_lc_committed(lc_);
	tdrv_lc_put(lc_, e);
	tdrv_lc_del(lc_, e);
	EXPECT_EQ(tdrv_lc_find(lc_, 5), -1);
	EXPECT_EQ(tdrv_lc_number(lc_, e), TDRV_LC_FREE);
}

TEST_F(LruCache, TryLockSucceedsOnlyWithoutPendingChanges)
{
	int e = tdrv_lc_get(lc_, 1);
	EXPECT_FALSE(tdrv_lc_try_lock(lc_)); // a change is pending (dirty)
	ASSERT_TRUE(tdrv_lc_try_lock_for_transaction(lc_));
	EXPECT_FALSE(tdrv_lc_try_lock_for_transaction(lc_)); // already locked
	tdrv_lc_committed(lc_);
	tdrv_lc_unlock(lc_);
	// Clean: locking works even though e is in use.
	ASSERT_TRUE(tdrv_lc_try_lock(lc_));
	// Locked: changes are refused, hits are not.
	EXPECT_EQ(tdrv_lc_get(lc_, 2), -1);
	EXPECT_EQ(tdrv_lc_get(lc_, 1), e);
	EXPECT_EQ(tdrv_lc_put(lc_, e), 1u);
	EXPECT_EQ(tdrv_lc_put(lc_, e), 0u);
	tdrv_lc_unlock(lc_);
	int f = tdrv_lc_get(lc_, 2);
	EXPECT_GE(f, 0);
	tdrv_lc_committed(lc_);
	tdrv_lc_put(lc_, f);
}

TEST_F(LruCache, StatsAreRenderedThroughSeqFile)
{
	int e = tdrv_lc_get(lc_, 1); // miss
	tdrv_lc_committed(lc_);
	tdrv_lc_get(lc_, 1); // hit
	tdrv_lc_put(lc_, e);
	tdrv_lc_put(lc_, e);
	char *s = tdrv_lc_stats(lc_);
	ASSERT_NE(s, nullptr);
	std::string text(s);
	tdrv_free(s);
	EXPECT_EQ(text, "\ttest: used:0/4 hits:1 misses:1 starving:0 locked:0 changed:1\n");
}

TEST_F(LruCache, ResetForgetsEverything)
{
	int e = tdrv_lc_get(lc_, 1);
	tdrv_lc_committed(lc_);
	tdrv_lc_put(lc_, e);
	tdrv_lc_reset(lc_);
	EXPECT_EQ(tdrv_lc_find(lc_, 1), -1);
	EXPECT_EQ(tdrv_lc_used(lc_), 0u);
}

} // namespace
