// UMC's Linux header tree and kernel-side C against kernel semantics, via
// the plain-C probes in kernel_driver.c.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "kernel_driver.h"
#include "helpers.hpp"

namespace {

TEST(Bitops, AtomicAndNonAtomicTestAndSet) {
  unsigned long w[2] = {0, 0};
  EXPECT_TRUE(kd_set_bit(w, 65));
  EXPECT_EQ(w[1], 2ul);
  EXPECT_FALSE(kd_test_and_set_bit(w, 3));
  EXPECT_TRUE(kd_test_and_set_bit(w, 3));
  EXPECT_TRUE(kd_test_and_clear_bit(w, 3));
  EXPECT_FALSE(kd_test_and_clear_bit(w, 3));
  EXPECT_FALSE(kd_nonatomic_test_and_set_bit(w, 64));
  EXPECT_TRUE(kd_nonatomic_test_and_set_bit(w, 64));
  EXPECT_EQ(w[0], 0ul);
  EXPECT_EQ(w[1], 3ul);
}

// DRBD's on-disk bitmap is little-endian: bit n is bit n%8 of byte n/8.
TEST(Bitops, LittleEndianNumberingIsByteStreamOrder) {
  unsigned long w[2] = {0, 0};
  unsigned char *bytes = reinterpret_cast<unsigned char *>(w);
  EXPECT_FALSE(kd_test_and_set_bit_le(w, 9));
  EXPECT_EQ(bytes[1], 0x02);
  EXPECT_TRUE(kd_test_bit_le(w, 9));
  EXPECT_FALSE(kd_test_bit_le(w, 8));
  bytes[12] = 0x80;  // bit 103
  EXPECT_EQ(kd_find_next_bit_le(w, 128, 10), 103ul);
}

TEST(FindBit, ReturnsSizeWhenNothingFoundAndNeverExceedsIt) {
  unsigned long w[3] = {0, 0, 0};
  EXPECT_EQ(kd_find_first_bit(w, 150), 150ul);
  EXPECT_EQ(kd_find_last_bit(w, 150), 150ul);
  w[2] = 1ul << 30;  // bit 158: beyond size 150, must be ignored
  EXPECT_EQ(kd_find_first_bit(w, 150), 150ul);
  EXPECT_EQ(kd_find_next_bit(w, 159, 0), 158ul);
  w[0] = 0x10;  // bit 4
  w[1] = 1ul << 63;  // bit 127
  EXPECT_EQ(kd_find_first_bit(w, 150), 4ul);
  EXPECT_EQ(kd_find_next_bit(w, 150, 5), 127ul);
  EXPECT_EQ(kd_find_next_bit(w, 150, 127), 127ul);
  EXPECT_EQ(kd_find_next_bit(w, 150, 128), 150ul);
  EXPECT_EQ(kd_find_last_bit(w, 150), 127ul);
  EXPECT_EQ(kd_find_next_zero_bit(w, 150, 4), 5ul);
  unsigned long ones[2] = {~0ul, ~0ul};
  EXPECT_EQ(kd_find_next_zero_bit(ones, 100, 0), 100ul);
  EXPECT_EQ(kd_find_next_zero_bit(ones, 128, 7), 128ul);
  EXPECT_EQ(kd_find_next_bit(w, 150, 200), 150ul);
}

TEST(Bitops, ScanHelpers) {
  EXPECT_EQ(kd_fls(0), 0);
  EXPECT_EQ(kd_fls(1), 1);
  EXPECT_EQ(kd_fls(0x80000000u), 32);
  EXPECT_EQ(kd_ffs(0), 0);
  EXPECT_EQ(kd_ffs(0x18), 4);
  EXPECT_EQ(kd_hweight_long(0xf0f0ul), 8ul);
}

TEST(List, AddMoveDeleteKeepOrder) {
  int vals[] = {1, 0, 2, 3};
  int out[8];
  int n = kd_list_ops(vals, 4, out, 8);
  // 1 0 2 3 -> move first to tail: 0 2 3 1 -> delete 0: 2 3 1 -> add -1 at head.
  ASSERT_EQ(n, 4);
  EXPECT_EQ(std::vector<int>(out, out + n), (std::vector<int>{-1, 2, 3, 1}));
}

TEST(List, SpliceAndMove) {
  int out[8];
  int n = kd_list_splice_and_move(out, 8);
  ASSERT_EQ(n, 5);
  EXPECT_EQ(std::vector<int>(out, out + n), (std::vector<int>{20, 1, 2, 3, 10}));
}

TEST(List, HlistAddHeadAndDelInit) {
  int out[8];
  int n = kd_hlist_ops(out, 8);
  ASSERT_EQ(n, 2);
  EXPECT_EQ(std::vector<int>(out, out + n), (std::vector<int>{3, 1}));
}

TEST(List, DeletedEntriesArePoisoned) { EXPECT_TRUE(kd_list_del_poisons()); }

TEST(Atomics, KernelReturnValueSemantics) { EXPECT_EQ(kd_atomic_sequence(), 0); }
TEST(Atomics, CmpxchgAndXchgReturnTheOldValue) { EXPECT_TRUE(kd_cmpxchg_returns_old()); }
TEST(Kref, ReleaseRunsExactlyOnceOnTheLastPut) { EXPECT_EQ(kd_kref_release_runs_once(), 1); }

TEST(Byteorder, BigAndLittleEndianConversions) {
  EXPECT_EQ(kd_cpu_to_be32(0x11223344u), 0x44332211u);
  EXPECT_EQ(kd_be64_to_cpu(0x0102030405060708ull), 0x0807060504030201ull);
  EXPECT_EQ(kd_cpu_to_le16(0x1234), 0x1234);
  unsigned char buf[7] = {0, 0x11, 0x22, 0x33, 0x44, 0, 0};
  EXPECT_EQ(kd_get_unaligned_be32(buf + 1), 0x11223344u);
}

TEST(String, StrscpyTruncatesTerminatesAndReportsE2BIG) {
  char buf[6];
  std::memset(buf, 'x', sizeof buf);
  EXPECT_EQ(kd_strscpy(buf, "abc", sizeof buf), 3);
  EXPECT_STREQ(buf, "abc");
  EXPECT_EQ(kd_strscpy(buf, "abcdefgh", sizeof buf), -7);  // -E2BIG
  EXPECT_STREQ(buf, "abcde");
  EXPECT_EQ(kd_strscpy(buf, "abc", 0), -7);
}

TEST(String, SysfsStreqAndStrim) {
  EXPECT_TRUE(kd_sysfs_streq("on", "on\n"));
  EXPECT_TRUE(kd_sysfs_streq("on\n", "on"));
  EXPECT_FALSE(kd_sysfs_streq("on", "onx"));
  char s[] = "  value \n";
  EXPECT_STREQ(kd_strim(s), "value");
}

TEST(Printf, SnprintfReportsFullLengthScnprintfWhatWasWritten) {
  char buf[8];
  EXPECT_EQ(kd_snprintf(buf, sizeof buf, 12345), 11);  // "value=12345"
  EXPECT_STREQ(buf, "value=1");
  EXPECT_EQ(kd_scnprintf(buf, sizeof buf, 12345), 7);
  EXPECT_EQ(kd_scnprintf(buf, 0, 1), 0);
  char *p = kd_kasprintf("res", 7);
  ASSERT_NE(p, nullptr);
  EXPECT_STREQ(p, "res-7");
  kd_kfree(p);
}

TEST(SeqFile, OutputLargerThanTheFirstBufferIsRenderedWhole) {
  long len = 0;
  char *text = kd_seq_render_lines(100, &len);  // 10000 bytes > 4096
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(len, 10000);
  EXPECT_EQ(std::strlen(text), 10000u);
  EXPECT_EQ(std::string(text + 9900, 100), std::string(97, '0') + "99\n");
  kd_kfree(text);
}

TEST(Misc, MacrosFollowKernelSemantics) { EXPECT_EQ(kd_misc_macros(), 0); }

TEST(Slab, KmallocFamilyContract) {
  std::size_t before = t::wall::live_allocations();
  EXPECT_EQ(kd_slab_contract(), 0);
  EXPECT_EQ(t::wall::live_allocations(), before);
}

TEST(Slab, KmemCacheRunsTheConstructor) {
  std::size_t caches = t::wall::live_caches();
  EXPECT_EQ(kd_kmem_cache_contract(), 0);
  EXPECT_EQ(t::wall::live_caches(), caches);
}

// The cpu-mask format DRBD accepts: comma-separated 32-bit hex chunks,
// most significant first.
TEST(Bitmap, ParseFollowsTheKernelFormat) {
  unsigned long m[2] = {~0ul, ~0ul};
  EXPECT_EQ(kd_bitmap_parse("ff", m, 64), 0);
  EXPECT_EQ(m[0], 0xfful);
  EXPECT_EQ(kd_bitmap_parse("1,00000003", m, 64), 0);
  EXPECT_EQ(m[0], 0x100000003ul);
  EXPECT_EQ(kd_bitmap_parse("1,,5\n", m, 64), 0);  // empty groups are skipped
  EXPECT_EQ(m[0], 0x100000005ul);
  EXPECT_EQ(kd_bitmap_parse("", m, 64), 0);
  EXPECT_EQ(m[0], 0ul);
  EXPECT_EQ(kd_bitmap_parse("xyz", m, 64), -22);              // -EINVAL
  EXPECT_EQ(kd_bitmap_parse("123456789", m, 64), -75);        // -EOVERFLOW: > 32 bits
  EXPECT_EQ(kd_bitmap_parse("10", m, 4), -75);                // bit 4 of a 4-bit map
  EXPECT_EQ(kd_bitmap_parse("1,0,0", m, 64), -75);            // 3 chunks for 64 bits
}

TEST(Bitmap, WeightAndEqualIgnoreBitsPastTheEnd) {
  unsigned long a[2] = {0xf0ul, 0xff00ul};
  unsigned long b[2] = {0xf0ul, 0x0f00ul};
  unsigned long d[2];
  EXPECT_EQ(kd_bitmap_weight(a, 80), 4u + 8u);
  EXPECT_EQ(kd_bitmap_weight(a, 64 + 12), 4u + 4u);
  EXPECT_TRUE(kd_bitmap_equal(a, b, 64 + 12));
  EXPECT_FALSE(kd_bitmap_equal(a, b, 64 + 13));
  EXPECT_TRUE(kd_bitmap_and(d, a, b, 128));
  EXPECT_EQ(d[1], 0x0f00ul);
  unsigned long z[2] = {0, 0};
  EXPECT_FALSE(kd_bitmap_and(d, a, z, 128));
  unsigned long s[3] = {0, 0, 0};
  kd_bitmap_set(s, 60, 70);  // bits 60..129
  EXPECT_EQ(s[0], 0xful << 60);
  EXPECT_EQ(s[1], ~0ul);
  EXPECT_EQ(s[2], 3ul);
  kd_bitmap_clear(s, 62, 66);  // bits 62..127
  EXPECT_EQ(s[0], 3ul << 60);
  EXPECT_EQ(s[1], 0ul);
}

TEST(Idr, AllocatesTheLowestFreeIdInRange) {
  auto before = t::wall::live_allocations();
  kd_idr *t = kd_idr_create();
  EXPECT_TRUE(kd_idr_is_empty(t));
  EXPECT_EQ(kd_idr_alloc(t, 100, 0, 0), 0);
  EXPECT_EQ(kd_idr_alloc(t, 101, 0, 0), 1);
  EXPECT_EQ(kd_idr_alloc(t, 105, 5, 0), 5);
  EXPECT_EQ(kd_idr_alloc(t, 102, 0, 0), 2);
  EXPECT_EQ(kd_idr_alloc(t, 199, 0, 3), -28);  // -ENOSPC: 0..2 taken
  EXPECT_EQ(kd_idr_find(t, 5), 105ul);
  EXPECT_EQ(kd_idr_find(t, 4), 0ul);
  EXPECT_EQ(kd_idr_remove(t, 1), 101ul);
  EXPECT_EQ(kd_idr_remove(t, 1), 0ul);
  EXPECT_EQ(kd_idr_alloc(t, 111, 0, 0), 1);  // reused
  int ids[8];
  int n = kd_idr_ids(t, ids, 8);
  EXPECT_EQ(std::vector<int>(ids, ids + n), (std::vector<int>{0, 1, 2, 5}));
  int next = 3;
  EXPECT_EQ(kd_idr_get_next(t, &next), 105ul);
  EXPECT_EQ(next, 5);
  next = 6;
  EXPECT_EQ(kd_idr_get_next(t, &next), 0ul);
  for (int id : {0, 1, 2, 5}) kd_idr_remove(t, id);
  EXPECT_TRUE(kd_idr_is_empty(t));
  kd_idr_destroy(t);
  EXPECT_EQ(t::wall::live_allocations(), before);
}

// DRBD stacks its queue limits on the backing device's (drbd_nl.c).
TEST(QueueLimits, StackingInheritsTheBackingDevice) {
  kd_limits disk{};
  disk.lbs = 4096;
  disk.pbs = 4096;
  disk.io_min = 4096;
  disk.max_hw_sectors = 2048;
  disk.max_sectors = 1280;
  disk.max_segments = 168;
  kd_limits top{};
  EXPECT_EQ(kd_stack_limits(&disk, 1, 0, &top), 0);
  EXPECT_EQ(top.lbs, 4096u);
  EXPECT_EQ(top.pbs, 4096u);
  EXPECT_EQ(top.max_hw_sectors, 2048u);
  EXPECT_EQ(top.max_sectors, 1280u);
  EXPECT_EQ(top.max_segments, 168u);
  EXPECT_EQ(top.max_write_zeroes_sectors, 0u);  // the disk has none
  EXPECT_EQ(top.max_discard_sectors, 0u);
  EXPECT_FALSE(top.misaligned);
}

TEST(QueueLimits, StackingTwoDevicesCombinesSizes) {
  kd_limits d[2]{};
  d[0].io_opt = 65536;
  d[0].max_discard_sectors = 8192;
  d[0].discard_granularity = 4096;
  d[0].max_hw_sectors = 4000;
  d[1].lbs = 4096;
  d[1].pbs = 4096;
  d[1].io_min = 4096;
  d[1].io_opt = 98304;
  d[1].max_hw_sectors = 1001;  // rounded down to whole 4K logical blocks
  kd_limits top{};
  EXPECT_EQ(kd_stack_limits(d, 2, 0, &top), 0);
  EXPECT_EQ(top.io_opt, 196608u);  // lcm(64K, 96K)
  EXPECT_EQ(top.pbs, 4096u);
  EXPECT_EQ(top.io_min, 4096u);
  EXPECT_EQ(top.lbs, 4096u);
  EXPECT_EQ(top.max_hw_sectors, 1000u);
  EXPECT_EQ(top.max_discard_sectors, 8192u);
  EXPECT_EQ(top.discard_granularity, 4096u);
}

TEST(QueueLimits, AStartThatSplitsALogicalBlockIsMisaligned) {
  kd_limits disk{};
  disk.lbs = 4096;
  disk.pbs = 4096;
  disk.io_min = 4096;
  kd_limits top{};
  EXPECT_EQ(kd_stack_limits(&disk, 1, 1, &top), -1);
  EXPECT_TRUE(top.misaligned);
  EXPECT_EQ(kd_stack_limits(&disk, 1, 8, &top), 0);  // 8 sectors = one 4K block
  EXPECT_FALSE(top.misaligned);
}

TEST(BlockStatus, ErrnoMappingRoundTrips) {
  EXPECT_EQ(kd_blk_status_to_errno(0), 0);
  EXPECT_EQ(kd_blk_status_to_errno(10), -5);      // BLK_STS_IOERR -> -EIO
  EXPECT_EQ(kd_blk_status_to_errno(1), -95);      // BLK_STS_NOTSUPP -> -EOPNOTSUPP
  EXPECT_EQ(kd_errno_to_blk_status(-95), 1);
  EXPECT_EQ(kd_errno_to_blk_status(-12), 9);      // -ENOMEM -> BLK_STS_RESOURCE
  EXPECT_EQ(kd_errno_to_blk_status(-1234), 10);   // unknown -> BLK_STS_IOERR
}

TEST(ModuleParams, RecordsAreFoundAndWriteTheVariable) { EXPECT_EQ(kd_module_params(), 0); }

}  // namespace
