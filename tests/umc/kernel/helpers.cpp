// See helpers.hpp.  Implements exactly the wall contract the kernel-side
// C under test uses; behaviour follows the comments in umc/wall/umc/*.h.
#include "helpers.hpp"

#include <umc/mem.h>
#include <umc/printk.h>
#include <umc/rcu.h>
#include <umc/runtime.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace {

struct Block {
	std::size_t size;
};

struct State {
	std::mutex lock;
	std::unordered_map<const void *, Block> blocks;
	std::size_t caches = 0;
	std::vector<std::string> log;
	int stack_dumps = 0;
};

State &state()
{
	static State s;
	return s;
}

void *allocate(std::size_t size, std::size_t align, unsigned flags)
{
	if (size == 0)
		return UMC_ZERO_SIZE_PTR;
	void *p = nullptr;
	if (posix_memalign(&p, align, size) != 0)
		return nullptr;
	if (flags & UMC_ALLOC_ZERO)
		std::memset(p, 0, size);
	auto &s = state();
	std::lock_guard<std::mutex> g(s.lock);
	s.blocks[p] = Block{size};
	return p;
}

std::size_t natural_alignment(std::size_t size)
{
	if (size && size <= UMC_PAGE_SIZE && (size & (size - 1)) == 0 && size > 16)
		return size;
	return 16;
}

} // namespace

struct umc_kmem_cache {
	std::string name;
	std::size_t size;
	std::size_t align;
	void (*ctor)(void *);
};

namespace t::wall {
std::size_t live_allocations()
{
	std::lock_guard<std::mutex> g(state().lock);
	return state().blocks.size();
}
std::size_t live_caches()
{
	std::lock_guard<std::mutex> g(state().lock);
	return state().caches;
}
std::vector<std::string> log()
{
	std::lock_guard<std::mutex> g(state().lock);
	return state().log;
}
void clear_log()
{
	std::lock_guard<std::mutex> g(state().lock);
	state().log.clear();
}
int stack_dumps()
{
	std::lock_guard<std::mutex> g(state().lock);
	return state().stack_dumps;
}
} // namespace t::wall

extern "C" {

void *umc_kmalloc(size_t size, unsigned int flags, const char *)
{
	return allocate(size, natural_alignment(size), flags);
}

void umc_kfree(const void *ptr)
{
	if (!ptr || ptr == UMC_ZERO_SIZE_PTR)
		return;
	auto &s = state();
	{
		std::lock_guard<std::mutex> g(s.lock);
		if (s.blocks.erase(ptr) != 1) {
			std::fprintf(stderr, "stand-in wall: kfree of unknown block %p\n", ptr);
			std::abort();
		}
	}
	std::free(const_cast<void *>(ptr));
}

size_t umc_ksize(const void *ptr)
{
	std::lock_guard<std::mutex> g(state().lock);
	auto it = state().blocks.find(ptr);
	return it == state().blocks.end() ? 0 : it->second.size;
}

void *umc_krealloc(void *ptr, size_t size, unsigned int flags, const char *caller)
{
	if (!ptr || ptr == UMC_ZERO_SIZE_PTR)
		return umc_kmalloc(size, flags, caller);
	if (size == 0) {
		umc_kfree(ptr);
		return UMC_ZERO_SIZE_PTR;
	}
	std::size_t old = umc_ksize(ptr);
	void *n = umc_kmalloc(size, flags & ~UMC_ALLOC_ZERO, caller);
	if (!n)
		return nullptr;
	std::memcpy(n, ptr, old < size ? old : size);
	if ((flags & UMC_ALLOC_ZERO) && size > old)
		std::memset(static_cast<char *>(n) + old, 0, size - old);
	umc_kfree(ptr);
	return n;
}

void *umc_vmalloc(size_t size, unsigned int flags, const char *)
{
	return allocate(size ? size : 1, UMC_PAGE_SIZE, flags);
}

struct umc_kmem_cache *umc_kmem_cache_create(const char *name, size_t size, size_t align, void (*ctor)(void *obj))
{
	std::lock_guard<std::mutex> g(state().lock);
	state().caches++;
	return new umc_kmem_cache{name, size, align < 16 ? 16 : align, ctor};
}

void umc_kmem_cache_destroy(struct umc_kmem_cache *cache)
{
	if (!cache)
		return;
	{
		std::lock_guard<std::mutex> g(state().lock);
		state().caches--;
	}
	delete cache;
}

void *umc_kmem_cache_alloc(struct umc_kmem_cache *cache, unsigned int flags)
{
	void *p = allocate(cache->size, cache->align, flags);
	if (p && cache->ctor && !(flags & UMC_ALLOC_ZERO))
		cache->ctor(p);
	return p;
}

void umc_kmem_cache_free(struct umc_kmem_cache *, void *obj)
{
	umc_kfree(obj);
}
size_t umc_kmem_cache_size(const struct umc_kmem_cache *cache)
{
	return cache->size;
}
const char *umc_kmem_cache_name(const struct umc_kmem_cache *cache)
{
	return cache->name.c_str();
}

// The C library's formatter; the kernel's %p extensions are the runtime's
// business and not exercised through this stand-in.
int umc_vsnprintf(char *buf, size_t size, const char *fmt, umc_va_list ap)
{
	return std::vsnprintf(buf, size, fmt, ap);
}

void umc_printk_emit(const char *msg, size_t len)
{
	std::lock_guard<std::mutex> g(state().lock);
	state().log.emplace_back(msg, len);
}

int umc_vprintk(const char *fmt, umc_va_list ap)
{
	char buf[1024];
	int n = std::vsnprintf(buf, sizeof(buf), fmt, ap);
	umc_printk_emit(buf, n < 0 ? 0 : (static_cast<size_t>(n) < sizeof(buf) ? n : sizeof(buf) - 1));
	return n;
}

void umc_panic(const char *where, const char *msg)
{
	std::fprintf(stderr, "umc test panic at %s: %s\n", where, msg);
	std::abort();
}

// Tests are single-threaded readers: a grace period has passed at once.
void umc_kvfree_rcu(void *ptr)
{
	umc_kfree(ptr);
}

void umc_dump_stack(void)
{
	std::lock_guard<std::mutex> g(state().lock);
	state().stack_dumps++;
}

} // extern "C"
