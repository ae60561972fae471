// list.h and hlist against kernel semantics, via the plain-C probes in
// list_driver.c (over the stand-in walls, helpers.hpp).
#include <gtest/gtest.h>

#include <vector>

#include "list_driver.h"

namespace {

TEST(List, AddMoveDeleteKeepOrder)
{
	int vals[] = {1, 0, 2, 3};
	int out[8];
	int n = kd_list_ops(vals, 4, out, 8);
	// 1 0 2 3 -> move first to tail: 0 2 3 1 -> delete 0: 2 3 1 -> add -1 at head.
	ASSERT_EQ(n, 4);
	EXPECT_EQ(std::vector<int>(out, out + n), (std::vector<int>{-1, 2, 3, 1}));
}

TEST(List, SpliceAndMove)
{
	int out[8];
	int n = kd_list_splice_and_move(out, 8);
	ASSERT_EQ(n, 5);
	EXPECT_EQ(std::vector<int>(out, out + n), (std::vector<int>{20, 1, 2, 3, 10}));
}

TEST(List, HlistAddHeadAndDelInit)
{
	int out[8];
	int n = kd_hlist_ops(out, 8);
	ASSERT_EQ(n, 2);
	EXPECT_EQ(std::vector<int>(out, out + n), (std::vector<int>{3, 1}));
}

TEST(List, DeletedEntriesArePoisoned)
{
	EXPECT_TRUE(kd_list_del_poisons());
}

} // namespace
