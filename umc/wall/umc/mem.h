/*
 * umc/mem.h - memory: kmalloc family, vmalloc, slab caches, mempools and
 * page frames, all backed by the sys_service allocator (every block is
 * attributed to a caller "file:line" for mte's leak report).
 *
 * The kernel side translates gfp_t into these flags: __GFP_ZERO ->
 * UMC_ALLOC_ZERO; a gfp that may not sleep (GFP_ATOMIC, GFP_NOWAIT: no
 * __GFP_DIRECT_RECLAIM) -> UMC_ALLOC_NOWAIT.  Host allocations never sleep
 * on reclaim, so NOWAIT only matters to mempools.
 *
 * `caller` arguments are strings with static storage duration.
 */
#ifndef UMC_WALL_MEM_H
#define UMC_WALL_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UMC_ALLOC_ZERO   0x1u
#define UMC_ALLOC_NOWAIT 0x2u

#define UMC_PAGE_SHIFT 12
#define UMC_PAGE_SIZE  (1ul << UMC_PAGE_SHIFT)

/* What kmalloc(0) returns (the kernel's ZERO_SIZE_PTR); kfree ignores it. */
#define UMC_ZERO_SIZE_PTR ((void *)16)

/* ---- kmalloc family ---------------------------------------------------
 * Blocks are at least 16-byte aligned, and a power-of-two size up to
 * UMC_PAGE_SIZE is aligned to its size (the kernel guarantees natural
 * alignment for those).  Any context.                                   */
void *umc_kmalloc(size_t size, unsigned int flags, const char *caller);
/* krealloc(): keeps contents; NULL ptr acts as kmalloc; size 0 frees and
 * returns UMC_ZERO_SIZE_PTR; on failure returns NULL and ptr stays valid.
 * With UMC_ALLOC_ZERO the grown tail is zeroed. */
void *umc_krealloc(void *ptr, size_t size, unsigned int flags, const char *caller);
/* kfree()/kvfree()/vfree(): NULL and UMC_ZERO_SIZE_PTR are ignored. */
void umc_kfree(const void *ptr);
/* ksize(): usable size of a live block (>= the size asked for). */
size_t umc_ksize(const void *ptr);

/* vmalloc(): page-aligned; freed with umc_kfree. */
void *umc_vmalloc(size_t size, unsigned int flags, const char *caller);

/* ---- slab caches (kmem_cache) ------------------------------------------
 * Objects of one size; `ctor` (may be NULL) runs once when an object is
 * first made, and a freed object keeps its constructed state for the next
 * allocation (the kernel's rule: free objects in constructed state).     */
struct umc_kmem_cache;
struct umc_kmem_cache *umc_kmem_cache_create(const char *name, size_t size, size_t align, void (*ctor)(void *obj));
/* kmem_cache_destroy(): logs an error naming the cache when objects are
 * still allocated (they stay valid blocks).  NULL is ignored. */
void umc_kmem_cache_destroy(struct umc_kmem_cache *cache);
void *umc_kmem_cache_alloc(struct umc_kmem_cache *cache, unsigned int flags);
void umc_kmem_cache_free(struct umc_kmem_cache *cache, void *obj);
size_t umc_kmem_cache_size(const struct umc_kmem_cache *cache);
const char *umc_kmem_cache_name(const struct umc_kmem_cache *cache);

/* ---- mempools ---------------------------------------------------------------
 * A reserve of at least min_nr elements made with alloc_fn at creation.
 * umc_mempool_alloc() first tries alloc_fn, then the reserve; without
 * UMC_ALLOC_NOWAIT it never fails: it sleeps (uninterruptibly) until an
 * element is freed back, retrying alloc_fn every 5 s as the kernel does.
 * Freed elements refill the reserve up to min_nr, the rest go to free_fn.
 * `gfp` is passed through to alloc_fn untouched.                          */
typedef void *(*umc_mempool_alloc_fn)(unsigned int gfp, void *pool_data);
typedef void (*umc_mempool_free_fn)(void *element, void *pool_data);
struct umc_mempool;
/* NULL when the reserve cannot be filled. */
struct umc_mempool *umc_mempool_create(int min_nr, umc_mempool_alloc_fn alloc_fn, umc_mempool_free_fn free_fn,
				       void *pool_data, unsigned int gfp);
/* Frees the reserve with free_fn; every element must have been returned. */
void umc_mempool_destroy(struct umc_mempool *pool);
void *umc_mempool_alloc(struct umc_mempool *pool, unsigned int gfp, unsigned int flags);
void umc_mempool_free(struct umc_mempool *pool, void *element);
/* Elements currently in the reserve (for tests and /proc style stats). */
int umc_mempool_reserved(const struct umc_mempool *pool);

/* ---- page frames --------------------------------------------------------------
 * 2^order contiguous UMC_PAGE_SIZE pages, page-aligned, plus an array of
 * 2^order zero-filled descriptors of `desc_size` bytes each (the kernel
 * side's struct page: it keeps `virtual`, refcount, private, flags there,
 * so page_address()/page_private() stay inline).  The descriptor array is
 * contiguous (page + i is the i-th page).  Any context.                    */
/* Returns the first descriptor, and the memory through *data; NULL on
 * failure or order > 10 (MAX_ORDER).  UMC_ALLOC_ZERO zero-fills the
 * memory. */
void *umc_pages_alloc(unsigned int order, size_t desc_size, unsigned int flags, void **data);
/* Free a block by its first descriptor (the order is remembered). */
void umc_pages_free(void *first_desc);
/* virt_to_page(): the descriptor of the page containing `addr`, or NULL
 * when addr is not inside memory from umc_pages_alloc. */
void *umc_virt_to_page(const void *addr);
/* Single pages allocated and not freed (order 0 comes from a page arena of
 * its own, outside sys_service's leak accounting). */
size_t umc_pages_in_use(void);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_MEM_H */
