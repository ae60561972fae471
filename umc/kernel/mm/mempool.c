// SPDX-License-Identifier: GPL-2.0
/* mempools on the runtime's reserve pools (umc/mem.h).  The runtime calls
 * our element constructors with the gfp we pass through. */
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/slab.h>

static void *pool_alloc(unsigned int gfp, void *data)
{
	mempool_t *pool = data;

	return pool->alloc((__force gfp_t)gfp, pool->pool_data);
}

static void pool_free(void *element, void *data)
{
	mempool_t *pool = data;

	pool->free(element, pool->pool_data);
}

int mempool_init(mempool_t *pool, int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn, void *pool_data)
{
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	pool->pool = umc_mempool_create(min_nr, pool_alloc, pool_free, pool, (__force unsigned int)GFP_KERNEL);
	return pool->pool ? 0 : -ENOMEM;
}

void mempool_exit(mempool_t *pool)
{
	if (pool->pool)
		umc_mempool_destroy(pool->pool);
	pool->pool = NULL;
}

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn, void *pool_data)
{
	mempool_t *pool = kzalloc(sizeof(*pool), GFP_KERNEL);

	if (pool && mempool_init(pool, min_nr, alloc_fn, free_fn, pool_data)) {
		kfree(pool);
		return NULL;
	}
	return pool;
}

void mempool_destroy(mempool_t *pool)
{
	if (!pool)
		return;
	mempool_exit(pool);
	kfree(pool);
}

/* Never fails when @gfp_mask may sleep (the runtime waits for a free). */
void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask)
{
	return umc_mempool_alloc(pool->pool, (__force unsigned int)gfp_mask, __umc_gfp_to_alloc_flags(gfp_mask));
}

void mempool_free(void *element, mempool_t *pool)
{
	if (element)
		umc_mempool_free(pool->pool, element);
}

void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data)
{
	return kmem_cache_alloc(pool_data, gfp_mask);
}
void mempool_free_slab(void *element, void *pool_data)
{
	kmem_cache_free(pool_data, element);
}
void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)pool_data, gfp_mask);
}
void mempool_kfree(void *element, void *pool_data)
{
	kfree(element);
}
void *mempool_alloc_pages(gfp_t gfp_mask, void *pool_data)
{
	return alloc_pages(gfp_mask, (int)(long)pool_data);
}
void mempool_free_pages(void *element, void *pool_data)
{
	__free_pages(element, (int)(long)pool_data);
}
