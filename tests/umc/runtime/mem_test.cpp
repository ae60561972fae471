// Memory: kmalloc family rules, vmalloc alignment, kmem_cache constructor
// contract, mempool's guaranteed minimum, page frames.
#include <atomic>
#include <cstring>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "umc/mem.h"
#include "umc/task.h"

namespace {

bool aligned(const void *p, size_t a)
{
	return (reinterpret_cast<uintptr_t>(p) & (a - 1)) == 0;
}

TEST(Kmalloc, ZeroSizeAndNaturalAlignment)
{
	void *z = umc_kmalloc(0, 0, "mem_test");
	EXPECT_EQ(z, UMC_ZERO_SIZE_PTR);
	umc_kfree(z);
	umc_kfree(nullptr);
	for (size_t sz = 32; sz <= 16 * UMC_PAGE_SIZE; sz *= 2) {
		void *p = umc_kmalloc(sz, 0, "mem_test");
		ASSERT_NE(p, nullptr);
		EXPECT_TRUE(aligned(p, sz)) << sz;
		EXPECT_GE(umc_ksize(p), sz);
		umc_kfree(p);
	}
	void *p = umc_kmalloc(100, 0, "mem_test");
	EXPECT_TRUE(aligned(p, 16));
	umc_kfree(p);
	// Above a page kmalloc is the page allocator's: page aligned.
	p = umc_kmalloc(3 * UMC_PAGE_SIZE, 0, "mem_test");
	EXPECT_TRUE(aligned(p, UMC_PAGE_SIZE));
	umc_kfree(p);
}

TEST(Kmalloc, ZeroFlagAndKrealloc)
{
	auto *p = static_cast<unsigned char *>(umc_kmalloc(256, UMC_ALLOC_ZERO, "mem_test"));
	for (int i = 0; i < 256; i++)
		ASSERT_EQ(p[i], 0);
	std::memset(p, 0xab, 256);
	auto *q = static_cast<unsigned char *>(umc_krealloc(p, 4096, UMC_ALLOC_ZERO, "mem_test"));
	ASSERT_NE(q, nullptr);
	for (int i = 0; i < 256; i++)
		ASSERT_EQ(q[i], 0xab);
	for (int i = 256; i < 4096; i++)
		ASSERT_EQ(q[i], 0) << i;
	// Shrinking keeps the block.
	EXPECT_EQ(umc_krealloc(q, 100, 0, "mem_test"), q);
	EXPECT_EQ(umc_krealloc(q, 0, 0, "mem_test"), UMC_ZERO_SIZE_PTR); // frees
	void *n = umc_krealloc(nullptr, 10, 0, "mem_test");
	EXPECT_NE(n, nullptr);
	umc_kfree(n);
}

TEST(Vmalloc, PageAligned)
{
	void *p = umc_vmalloc(3 * UMC_PAGE_SIZE + 5, UMC_ALLOC_ZERO, "mem_test");
	ASSERT_NE(p, nullptr);
	EXPECT_TRUE(aligned(p, UMC_PAGE_SIZE));
	EXPECT_EQ(static_cast<char *>(p)[3 * UMC_PAGE_SIZE + 4], 0);
	umc_kfree(p);
}

std::atomic<int> g_ctor_calls{0};

TEST(KmemCache, ConstructorRunsOncePerObjectAndStateSurvivesFree)
{
	struct O {
		uint64_t magic;
		char payload[120];
	};
	umc_kmem_cache *c = umc_kmem_cache_create("drbd_req", sizeof(O), 64, [](void *o) {
		static_cast<O *>(o)->magic = 0xC0FFEE;
		g_ctor_calls++;
	});
	ASSERT_NE(c, nullptr);
	EXPECT_STREQ(umc_kmem_cache_name(c), "drbd_req");
	EXPECT_EQ(umc_kmem_cache_size(c), sizeof(O));
	std::vector<O *> v;
	for (int i = 0; i < 10; i++) {
		auto *o = static_cast<O *>(umc_kmem_cache_alloc(c, 0));
		ASSERT_NE(o, nullptr);
		EXPECT_TRUE(aligned(o, 64));
		EXPECT_EQ(o->magic, 0xC0FFEEu);
		v.push_back(o);
	}
	EXPECT_EQ(g_ctor_calls.load(), 10);
	for (O *o : v)
		umc_kmem_cache_free(c, o); // freed in constructed state
	for (int i = 0; i < 10; i++) {
		auto *o = static_cast<O *>(umc_kmem_cache_alloc(c, 0));
		EXPECT_EQ(o->magic, 0xC0FFEEu);
		v[i] = o;
	}
	EXPECT_EQ(g_ctor_calls.load(), 10); // reused, not constructed again
	for (O *o : v)
		umc_kmem_cache_free(c, o);
	umc_kmem_cache_destroy(c);
}

struct PoolData {
	std::atomic<int> allocs{0};
	std::atomic<bool> fail{false};
};

void *pool_alloc(unsigned, void *d)
{
	auto *pd = static_cast<PoolData *>(d);
	if (pd->fail)
		return nullptr;
	pd->allocs++;
	return umc_kmalloc(512, 0, "mempool_test");
}

void pool_free(void *e, void *)
{
	umc_kfree(e);
}

TEST(Mempool, ReserveIsGuaranteedAndBlockingAllocWaitsForFree)
{
	PoolData d;
	umc_mempool *p = umc_mempool_create(4, pool_alloc, pool_free, &d, 0);
	ASSERT_NE(p, nullptr);
	EXPECT_EQ(umc_mempool_reserved(p), 4);
	d.fail = true; // the allocator is "out of memory" from now on
	std::vector<void *> got;
	for (int i = 0; i < 4; i++) {
		void *e = umc_mempool_alloc(p, 0, 0);
		ASSERT_NE(e, nullptr); // the minimum is always there
		got.push_back(e);
	}
	EXPECT_EQ(umc_mempool_reserved(p), 0);
	EXPECT_EQ(umc_mempool_alloc(p, 0, UMC_ALLOC_NOWAIT), nullptr); // may not sleep: fails
	// A blocking alloc must not fail: it waits until an element returns.
	std::atomic<void *> blocked_result{nullptr};
	std::atomic<bool> returned{false};
	umc_task *waiter = nullptr;
	std::atomic<bool> started{false};
	std::thread t([&] {
		waiter = umc_current();
		started = true;
		blocked_result = umc_mempool_alloc(p, 0, 0);
		returned = true;
	});
	while (!started)
		std::this_thread::yield();
	EXPECT_FALSE(returned.load());
	void *back = got.back();
	got.pop_back();
	umc_mempool_free(p, back); // refills the reserve and wakes the waiter
	t.join();
	EXPECT_EQ(blocked_result.load(), back);
	got.push_back(blocked_result.load());
	d.fail = false;
	for (void *e : got)
		umc_mempool_free(p, e);
	EXPECT_EQ(umc_mempool_reserved(p), 4);
	umc_mempool_destroy(p);
}

TEST(Pages, AlignedWithContiguousDescriptorsAndVirtToPage)
{
	struct FakePage {
		unsigned long flags;
		int refcount;
		unsigned long priv;
		void *virt;
	};
	void *data = nullptr;
	auto *pg = static_cast<FakePage *>(umc_pages_alloc(2, sizeof(FakePage), UMC_ALLOC_ZERO, &data));
	ASSERT_NE(pg, nullptr);
	EXPECT_TRUE(aligned(data, UMC_PAGE_SIZE));
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(pg[i].refcount, 0); // descriptors zero-filled
		pg[i].virt = static_cast<char *>(data) + i * UMC_PAGE_SIZE;
		EXPECT_EQ(static_cast<char *>(pg[i].virt)[UMC_PAGE_SIZE - 1], 0);
	}
	// page_private as bits (drbd_bitmap) and as a pointer (page chains).
	pg[0].priv = 0;
	pg[0].priv |= 1ul << 3;
	EXPECT_EQ(pg[0].priv, 8ul);
	pg[1].priv = reinterpret_cast<unsigned long>(&pg[2]);
	EXPECT_EQ(reinterpret_cast<FakePage *>(pg[1].priv), &pg[2]);
	EXPECT_EQ(umc_virt_to_page(data), &pg[0]);
	EXPECT_EQ(umc_virt_to_page(static_cast<char *>(data) + 2 * UMC_PAGE_SIZE + 17), &pg[2]);
	EXPECT_EQ(umc_virt_to_page(static_cast<char *>(data) + 4 * UMC_PAGE_SIZE), nullptr);
	int on_stack;
	EXPECT_EQ(umc_virt_to_page(&on_stack), nullptr);
	umc_pages_free(pg);
	EXPECT_EQ(umc_virt_to_page(data), nullptr);
}

bool resident(const void *p)
{
	unsigned char v = 0;
	EXPECT_EQ(mincore(const_cast<void *>(p), UMC_PAGE_SIZE, &v), 0);
	return v & 1;
}

// Single pages (DRBD's page pool: 32 MiB reserved at module load) cost no
// memory until written; a page given back and taken again with
// UMC_ALLOC_ZERO is zeroed; the arena counts what is out.
TEST(Pages, SinglePagesAreResidentOnlyOnceWritten)
{
	size_t before = umc_pages_in_use();
	std::vector<void *> descs, datas;
	for (int i = 0; i < 512; i++) {
		void *data = nullptr;
		void *d = umc_pages_alloc(0, 64, (i & 1) ? UMC_ALLOC_ZERO : 0, &data);
		ASSERT_NE(d, nullptr);
		ASSERT_TRUE(aligned(data, UMC_PAGE_SIZE));
		descs.push_back(d);
		datas.push_back(data);
	}
	EXPECT_EQ(umc_pages_in_use(), before + 512);
	int untouched_resident = 0;
	for (void *p : datas)
		untouched_resident += resident(p);
	EXPECT_EQ(untouched_resident, 0) << "pages nobody wrote are in memory";
	std::memset(datas[7], 0xab, UMC_PAGE_SIZE);
	EXPECT_TRUE(resident(datas[7]));
	EXPECT_EQ(umc_virt_to_page(static_cast<char *>(datas[7]) + 100), descs[7]);
	// Given back and taken again: zeroed when asked.
	umc_pages_free(descs[7]);
	void *data = nullptr;
	void *d = umc_pages_alloc(0, 64, UMC_ALLOC_ZERO, &data);
	ASSERT_NE(d, nullptr);
	EXPECT_EQ(data, datas[7]); // the arena reuses what was freed last
	for (size_t i = 0; i < UMC_PAGE_SIZE; i++)
		ASSERT_EQ(static_cast<unsigned char *>(data)[i], 0) << "byte " << i;
	descs[7] = d;
	for (void *p : descs)
		umc_pages_free(p);
	EXPECT_EQ(umc_pages_in_use(), before);
}

} // namespace
