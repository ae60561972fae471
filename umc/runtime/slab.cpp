// slab.cpp - kmem_cache (umc/mem.h): named object caches with constructors.
//
// Freed objects are kept (up to a bound) in constructed state and handed
// out again, which is the kernel's constructor contract; beyond the bound
// they go back to the host allocator and are constructed anew later.
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "runtime.hpp"
#include "umc/mem.h"

struct umc_kmem_cache {
	const char *name; // interned: outlives the cache (leak reports name it)
	size_t size;
	size_t align;
	void (*ctor)(void *);
	std::mutex mu;
	std::vector<void *> free_objs;
	long live = 0;
};

namespace umc {
namespace {

constexpr size_t kKeepFree = 256;

const char *intern(const char *name)
{
	static std::mutex mu;
	static std::set<std::string> names;
	std::lock_guard lk(mu);
	return names.insert(name ? name : "kmem_cache").first->c_str();
}

} // namespace
} // namespace umc

using namespace umc;

extern "C" struct umc_kmem_cache *umc_kmem_cache_create(const char *name, size_t size, size_t align,
							void (*ctor)(void *))
{
	if (!size)
		return nullptr;
	auto *c = new (std::nothrow) umc_kmem_cache;
	if (!c)
		return nullptr;
	c->name = intern(name);
	c->size = size;
	c->align = align > 16 ? align : 0;
	c->ctor = ctor;
	return c;
}

extern "C" void umc_kmem_cache_destroy(struct umc_kmem_cache *c)
{
	if (!c)
		return;
	if (c->live)
		log(SYS_LOG_ERROR, "kmem_cache_destroy %s: slab cache still has %ld objects", c->name, c->live);
	for (void *p : c->free_objs)
		sys().mem_free(p);
	delete c;
}

extern "C" void *umc_kmem_cache_alloc(struct umc_kmem_cache *c, unsigned int flags)
{
	void *obj = nullptr;
	{
		std::lock_guard lk(c->mu);
		if (!c->free_objs.empty()) {
			obj = c->free_objs.back();
			c->free_objs.pop_back();
		}
		c->live++;
	}
	if (!obj) {
		obj = sys().mem_alloc(c->size, c->align, c->name);
		if (!obj) {
			std::lock_guard lk(c->mu);
			c->live--;
			return nullptr;
		}
		if (c->ctor)
			c->ctor(obj);
	}
	if (flags & UMC_ALLOC_ZERO)
		std::memset(obj, 0, c->size);
	return obj;
}

extern "C" void umc_kmem_cache_free(struct umc_kmem_cache *c, void *obj)
{
	if (!obj)
		return;
	{
		std::lock_guard lk(c->mu);
		c->live--;
		if (c->free_objs.size() < kKeepFree) {
			c->free_objs.push_back(obj);
			return;
		}
	}
	sys().mem_free(obj);
}

extern "C" size_t umc_kmem_cache_size(const struct umc_kmem_cache *c)
{
	return c->size;
}
extern "C" const char *umc_kmem_cache_name(const struct umc_kmem_cache *c)
{
	return c->name;
}
