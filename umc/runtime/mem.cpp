// mem.cpp - kmalloc family, vmalloc and page frames (umc/mem.h) on the
// sys_service allocator.
#include <cstring>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <sys/mman.h>
#include <unordered_map>
#include <vector>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define UMC_POISON(p, n)   ASAN_POISON_MEMORY_REGION(p, n)
#define UMC_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define UMC_POISON(p, n)   ((void)(p), (void)(n))
#define UMC_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#include "runtime.hpp"
#include "umc/mem.h"

namespace umc {
namespace {

bool is_zero_size_ptr(const void *p)
{
	return reinterpret_cast<uintptr_t>(p) <= 16;
}

// Natural alignment for power-of-two sizes (the kernel's kmalloc guarantee
// since 5.4: the kmalloc caches up to 8 KiB, and above them the page
// allocator's naturally aligned blocks); any other size above a page comes
// from the page allocator too, so it is page aligned; the rest gets the
// default 16.
size_t kmalloc_align(size_t size)
{
	if (size > 16 && (size & (size - 1)) == 0)
		return size;
	if (size > UMC_PAGE_SIZE)
		return UMC_PAGE_SIZE;
	return 0;
}

struct PageBlock {
	char *data;
	char *descs;
	size_t desc_size;
	unsigned order;
};

// Single page frames come from mmap'd chunks rather than the heap, so that a
// page is resident only once something wrote to it.  DRBD reserves its
// page pool at module load (256 pages per minor_count, 32 MiB by default)
// and touches those pages only as I/O uses them; on the heap every 4 KiB
// aligned block also drags in the allocator's header of its neighbour.
// Free pages stack up beside the chunks, not inside the pages; the arena
// never shrinks (kernel memory does not either).  Under ASan a free page
// is poisoned, so a use after free still reports.
class PageArena {
public:
	static constexpr size_t kChunk = size_t{4} << 20;

	// A page, and whether it is fresh from mmap (zero-filled).
	char *alloc(bool *fresh)
	{
		std::lock_guard lk(mu_);
		char *p;
		*fresh = free_.empty();
		if (!*fresh) {
			p = free_.back();
			free_.pop_back();
		} else {
			if (next_ == end_ && !grow())
				return nullptr;
			p = next_;
			next_ += UMC_PAGE_SIZE;
		}
		in_use_++;
		UMC_UNPOISON(p, UMC_PAGE_SIZE);
		return p;
	}
	void free(char *p)
	{
		UMC_POISON(p, UMC_PAGE_SIZE);
		std::lock_guard lk(mu_);
		free_.push_back(p);
		in_use_--;
	}
	size_t in_use()
	{
		std::lock_guard lk(mu_);
		return in_use_;
	}

private:
	bool grow()
	{
		void *m = mmap(nullptr, kChunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);
		if (m == MAP_FAILED)
			return false;
		// Page by page, as DRBD touches them (a huge page would make 2 MiB
		// resident at the first write).
		madvise(m, kChunk, MADV_NOHUGEPAGE);
		next_ = static_cast<char *>(m);
		end_ = next_ + kChunk;
		UMC_POISON(next_, kChunk);
		return true;
	}

	std::mutex mu_;
	std::vector<char *> free_;
	char *next_ = nullptr, *end_ = nullptr;
	size_t in_use_ = 0;
};

PageArena &page_arena()
{
	static PageArena *arena = new PageArena; // never destroyed: pages may outlive exit
	return *arena;
}

std::shared_mutex g_pages_mu;
std::map<uintptr_t, PageBlock> g_pages_by_data;              // data start -> block
std::unordered_map<const void *, uintptr_t> g_pages_by_desc; // first desc -> data start

} // namespace
} // namespace umc

using namespace umc;

extern "C" void *umc_kmalloc(size_t size, unsigned int flags, const char *caller)
{
	if (!size)
		return UMC_ZERO_SIZE_PTR;
	const sys_service &s = sys();
	size_t align = kmalloc_align(size);
	return (flags & UMC_ALLOC_ZERO) ? s.mem_zalloc(size, align, caller) : s.mem_alloc(size, align, caller);
}

extern "C" void *umc_krealloc(void *ptr, size_t size, unsigned int flags, const char *caller)
{
	if (!ptr || is_zero_size_ptr(ptr))
		return umc_kmalloc(size, flags, caller);
	if (!size) {
		umc_kfree(ptr);
		return UMC_ZERO_SIZE_PTR;
	}
	const sys_service &s = sys();
	size_t old = s.mem_size(ptr);
	if (size <= old)
		return ptr; // the kernel keeps the block when it is big enough
	void *p = s.mem_realloc(ptr, size, caller);
	if (p && (flags & UMC_ALLOC_ZERO))
		std::memset(static_cast<char *>(p) + old, 0, s.mem_size(p) - old);
	return p;
}

extern "C" void umc_kfree(const void *ptr)
{
	if (!ptr || is_zero_size_ptr(ptr))
		return;
	sys().mem_free(const_cast<void *>(ptr));
}

extern "C" size_t umc_ksize(const void *ptr)
{
	if (!ptr || is_zero_size_ptr(ptr))
		return 0;
	return sys().mem_size(ptr);
}

extern "C" void *umc_vmalloc(size_t size, unsigned int flags, const char *caller)
{
	const sys_service &s = sys();
	if (!size)
		return nullptr; // vmalloc(0) fails in the kernel
	return (flags & UMC_ALLOC_ZERO) ? s.mem_zalloc(size, UMC_PAGE_SIZE, caller)
					: s.mem_alloc(size, UMC_PAGE_SIZE, caller);
}

extern "C" void *umc_pages_alloc(unsigned int order, size_t desc_size, unsigned int flags, void **data)
{
	if (order > 10 || !desc_size)
		return nullptr;
	const sys_service &s = sys();
	size_t n = size_t{1} << order;
	size_t bytes = UMC_PAGE_SIZE << order;
	void *mem;
	if (order == 0) {
		bool fresh;
		mem = page_arena().alloc(&fresh);
		if (mem && !fresh && (flags & UMC_ALLOC_ZERO))
			std::memset(mem, 0, UMC_PAGE_SIZE);
	} else {
		mem = (flags & UMC_ALLOC_ZERO) ? s.mem_zalloc(bytes, UMC_PAGE_SIZE, "umc:pages")
					       : s.mem_alloc(bytes, UMC_PAGE_SIZE, "umc:pages");
	}
	if (!mem)
		return nullptr;
	void *descs = s.mem_zalloc(desc_size * n, 0, "umc:struct page");
	if (!descs) {
		if (order == 0)
			page_arena().free(static_cast<char *>(mem));
		else
			s.mem_free(mem);
		return nullptr;
	}
	{
		std::unique_lock lk(g_pages_mu);
		auto key = reinterpret_cast<uintptr_t>(mem);
		g_pages_by_data[key] =
			PageBlock{static_cast<char *>(mem), static_cast<char *>(descs), desc_size, order};
		g_pages_by_desc[descs] = key;
	}
	if (data)
		*data = mem;
	return descs;
}

extern "C" void umc_pages_free(void *first_desc)
{
	if (!first_desc)
		return;
	PageBlock b;
	{
		std::unique_lock lk(g_pages_mu);
		auto it = g_pages_by_desc.find(first_desc);
		if (it == g_pages_by_desc.end())
			fatal(UMC_WHERE, "freeing pages that umc_pages_alloc did not return");
		auto bit = g_pages_by_data.find(it->second);
		b = bit->second;
		g_pages_by_data.erase(bit);
		g_pages_by_desc.erase(it);
	}
	if (b.order == 0)
		page_arena().free(b.data);
	else
		sys().mem_free(b.data);
	sys().mem_free(b.descs);
}

extern "C" size_t umc_pages_in_use(void)
{
	return page_arena().in_use();
}

extern "C" void *umc_virt_to_page(const void *addr)
{
	auto a = reinterpret_cast<uintptr_t>(addr);
	std::shared_lock lk(g_pages_mu);
	auto it = g_pages_by_data.upper_bound(a);
	if (it == g_pages_by_data.begin())
		return nullptr;
	--it;
	const PageBlock &b = it->second;
	uintptr_t off = a - it->first;
	if (off >= (UMC_PAGE_SIZE << b.order))
		return nullptr;
	return b.descs + (off >> UMC_PAGE_SHIFT) * b.desc_size;
}
