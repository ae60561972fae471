// mem_alloc / mem_zalloc / mem_realloc / mem_free / mem_size.
#include "helpers.hpp"

#include <cstring>
#include <thread>

namespace t {
namespace {

class Memory : public MteTest {};

bool aligned(const void *p, size_t a)
{
	return (reinterpret_cast<uintptr_t>(p) & (a - 1)) == 0;
}

TEST_F(Memory, AllocIsSixteenByteAlignedWritableAndSized)
{
	for (size_t size : {1u, 7u, 16u, 100u, 4096u, 1u << 20}) {
		auto *p = static_cast<unsigned char *>(s->mem_alloc(size, 0, __FILE__ ":alloc"));
		ASSERT_NE(p, nullptr);
		EXPECT_TRUE(aligned(p, 16)) << size;
		EXPECT_GE(s->mem_size(p), size);
		std::memset(p, 0xab, size);
		s->mem_free(p);
	}
}

TEST_F(Memory, ZeroSizeGivesUniquePointers)
{
	void *a = s->mem_alloc(0, 0, "zero");
	void *b = s->mem_alloc(0, 0, "zero");
	ASSERT_NE(a, nullptr);
	ASSERT_NE(b, nullptr);
	EXPECT_NE(a, b);
	s->mem_free(a);
	s->mem_free(b);
}

TEST_F(Memory, ZallocIsZeroed)
{
	for (size_t align : {0u, 64u, 4096u}) {
		// Dirty the heap first so a zeroed block is not zero by luck.
		void *dirty = s->mem_alloc(8192, align, "dirty");
		std::memset(dirty, 0x5a, 8192);
		s->mem_free(dirty);
		auto *p = static_cast<unsigned char *>(s->mem_zalloc(8192, align, "zalloc"));
		ASSERT_NE(p, nullptr);
		for (size_t i = 0; i < 8192; i++)
			ASSERT_EQ(p[i], 0) << "align " << align << " byte " << i;
		s->mem_free(p);
	}
}

TEST_F(Memory, AlignedAllocHonoursPowerOfTwoAlignment)
{
	for (size_t align = 1; align <= (1u << 16); align <<= 1) {
		void *p = s->mem_alloc(100, align, "aligned");
		ASSERT_NE(p, nullptr) << align;
		EXPECT_TRUE(aligned(p, align < 16 ? 16 : align)) << align;
		EXPECT_EQ(s->mem_size(p), 100u);
		s->mem_free(p);
	}
}

TEST_F(Memory, NonPowerOfTwoAlignmentIsRefused)
{
	EXPECT_EQ(s->mem_alloc(10, 3, "bad"), nullptr);
	EXPECT_EQ(s->mem_alloc(10, 48, "bad"), nullptr);
	EXPECT_EQ(s->mem_zalloc(10, 24, "bad"), nullptr);
}

TEST_F(Memory, ReallocKeepsContentsAndAlignment)
{
	for (size_t align : {0u, 16u, 256u, 8192u}) {
		auto *p = static_cast<unsigned char *>(s->mem_alloc(64, align, "re"));
		ASSERT_NE(p, nullptr);
		for (int i = 0; i < 64; i++)
			p[i] = static_cast<unsigned char>(i);
		p = static_cast<unsigned char *>(s->mem_realloc(p, 100000, "re-grow"));
		ASSERT_NE(p, nullptr);
		EXPECT_TRUE(aligned(p, align ? align : 16)) << align;
		EXPECT_EQ(s->mem_size(p), 100000u);
		for (int i = 0; i < 64; i++)
			ASSERT_EQ(p[i], i) << "align " << align;
		p[99999] = 1;
		p = static_cast<unsigned char *>(s->mem_realloc(p, 10, "re-shrink"));
		ASSERT_NE(p, nullptr);
		EXPECT_TRUE(aligned(p, align ? align : 16)) << align;
		EXPECT_EQ(s->mem_size(p), 10u);
		for (int i = 0; i < 10; i++)
			ASSERT_EQ(p[i], i);
		s->mem_free(p);
	}
}

TEST_F(Memory, ReallocNullActsAsAlloc)
{
	void *p = s->mem_realloc(nullptr, 33, "re-null");
	ASSERT_NE(p, nullptr);
	EXPECT_EQ(s->mem_size(p), 33u);
	s->mem_free(p);
}

TEST_F(Memory, ReallocFailureLeavesBlockValid)
{
	auto *p = static_cast<char *>(s->mem_alloc(16, 0, "re-fail"));
	ASSERT_NE(p, nullptr);
	std::strcpy(p, "still here");
	// No allocator can satisfy this; the contract says NULL and p intact.
	EXPECT_EQ(s->mem_realloc(p, SIZE_MAX - 8, "re-fail"), nullptr);
	EXPECT_STREQ(p, "still here");
	EXPECT_EQ(s->mem_size(p), 16u);
	s->mem_free(p);
}

TEST_F(Memory, HugeAllocFailsCleanly)
{
	EXPECT_EQ(s->mem_alloc(SIZE_MAX - 8, 0, "huge"), nullptr);
	EXPECT_EQ(s->mem_alloc(SIZE_MAX - 8, 4096, "huge"), nullptr);
}

TEST_F(Memory, FreeNullIsIgnored)
{
	s->mem_free(nullptr);
}

TEST_F(Memory, ConcurrentAllocFreeBalances)
{
	// Many threads, many callers, interleaved: the per-caller counters must
	// come back to zero (the fixture checks the leak totals at close).
	static const char *const callers[] = {"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"};
	std::vector<std::thread> threads{};
	for (int t = 0; t < 4; t++)
		threads.emplace_back([&, t] {
			std::vector<void *> live{};
			for (int i = 0; i < 20000; i++) {
				live.push_back(s->mem_alloc(size_t(i % 200), (i % 3) ? 0 : 64, callers[(i + t) % 8]));
				if (live.size() > 50) {
					s->mem_free(live.front());
					live.erase(live.begin());
				}
				if (i % 7 == 0)
					live.back() = s->mem_realloc(live.back(), 300, callers[i % 8]);
			}
			for (void *p : live)
				s->mem_free(p);
		});
	for (auto &t : threads)
		t.join();
}

TEST_F(Memory, BlocksFreedOnAnotherThreadBalance)
{
	// Allocated here, freed there (and the other way round): the counts are
	// per thread, but the totals must still come back to zero at close.
	std::vector<void *> mine;
	for (int i = 0; i < 1000; i++)
		mine.push_back(s->mem_alloc(size_t(i), 0, "cross.c:1"));
	std::vector<void *> theirs;
	std::thread([&] {
		for (void *p : mine)
			s->mem_free(p);
		for (int i = 0; i < 1000; i++)
			theirs.push_back(s->mem_alloc(size_t(i), 32, "cross.c:2"));
	}).join();
	for (void *p : theirs)
		s->mem_free(p);
}

const sys_service *g_s;

TEST_F(Memory, FreeFromATlsDestructorAtThreadExit)
{
	// pthread-key destructors run after C++ thread_local destructors: the
	// allocator must still work (and count) then.
	g_s = s;
	sys_tls_key_t key;
	ASSERT_EQ(s->tls_create(&key, [](void *v) { g_s->mem_free(v); }), 0);
	std::thread([&] { s->tls_set(key, s->mem_alloc(100, 0, "tls-exit.c:1")); }).join();
	s->tls_destroy(key);
}

} // namespace
} // namespace t
