// mempool.cpp - mempools with a guaranteed reserve (umc/mem.h).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "runtime.hpp"
#include "umc/mem.h"

struct umc_mempool {
	int min_nr;
	umc_mempool_alloc_fn alloc_fn;
	umc_mempool_free_fn free_fn;
	void *data;
	mutable std::mutex mu;
	std::condition_variable freed;
	std::vector<void *> reserve;
};

extern "C" struct umc_mempool *umc_mempool_create(int min_nr, umc_mempool_alloc_fn alloc_fn,
						  umc_mempool_free_fn free_fn, void *pool_data, unsigned int gfp)
{
	if (min_nr < 0 || !alloc_fn || !free_fn)
		return nullptr;
	auto *p = new (std::nothrow) umc_mempool;
	if (!p)
		return nullptr;
	p->min_nr = min_nr;
	p->alloc_fn = alloc_fn;
	p->free_fn = free_fn;
	p->data = pool_data;
	p->reserve.reserve(static_cast<size_t>(min_nr));
	for (int i = 0; i < min_nr; i++) {
		void *e = alloc_fn(gfp, pool_data);
		if (!e) {
			umc_mempool_destroy(p);
			return nullptr;
		}
		p->reserve.push_back(e);
	}
	return p;
}

extern "C" void umc_mempool_destroy(struct umc_mempool *p)
{
	if (!p)
		return;
	if (static_cast<int>(p->reserve.size()) < p->min_nr)
		umc::log(SYS_LOG_ERROR, "mempool destroyed with %d element(s) still out",
			 p->min_nr - static_cast<int>(p->reserve.size()));
	for (void *e : p->reserve)
		p->free_fn(e, p->data);
	delete p;
}

extern "C" void *umc_mempool_alloc(struct umc_mempool *p, unsigned int gfp, unsigned int flags)
{
	for (;;) {
		if (void *e = p->alloc_fn(gfp, p->data))
			return e;
		std::unique_lock lk(p->mu);
		if (!p->reserve.empty()) {
			void *e = p->reserve.back();
			p->reserve.pop_back();
			return e;
		}
		if (flags & UMC_ALLOC_NOWAIT)
			return nullptr;
		// Sleep until an element comes back; retry the allocator every 5 s
		// as the kernel does (memory may have been freed elsewhere).
		p->freed.wait_for(lk, std::chrono::seconds(5), [&] { return !p->reserve.empty(); });
		if (!p->reserve.empty()) {
			void *e = p->reserve.back();
			p->reserve.pop_back();
			return e;
		}
	}
}

extern "C" void umc_mempool_free(struct umc_mempool *p, void *e)
{
	if (!e)
		return;
	{
		std::lock_guard lk(p->mu);
		if (static_cast<int>(p->reserve.size()) < p->min_nr) {
			p->reserve.push_back(e);
			p->freed.notify_one();
			return;
		}
	}
	p->free_fn(e, p->data);
}

extern "C" int umc_mempool_reserved(const struct umc_mempool *p)
{
	std::lock_guard lk(p->mu);
	return static_cast<int>(p->reserve.size());
}
