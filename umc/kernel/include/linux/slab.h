/* kmalloc family and slab caches on the runtime's allocator (umc/mem.h).
 * kmalloc(0) returns ZERO_SIZE_PTR; kfree(NULL) and kfree(ZERO_SIZE_PTR)
 * do nothing.  The allocators are also macros that pass the call site, so
 * the leak report names the hosted line that allocated a block; the plain
 * functions exist too (for function pointers). */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/gfp.h>
#include <linux/overflow.h>
#include <linux/types.h>
#include <linux/stringify.h>

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
#define KMALLOC_MAX_SIZE (1UL << 30)
#define ARCH_KMALLOC_MINALIGN 16
#define ARCH_SLAB_MINALIGN 16

#define SLAB_HWCACHE_ALIGN ((__force slab_flags_t)0x00002000U)
#define SLAB_PANIC ((__force slab_flags_t)0x00040000U)
#define SLAB_RECLAIM_ACCOUNT ((__force slab_flags_t)0x00020000U)
#define SLAB_ACCOUNT ((__force slab_flags_t)0x04000000U)
#define SLAB_TYPESAFE_BY_RCU ((__force slab_flags_t)0x00080000U)

#define __umc_caller __FILE__ ":" __stringify(__LINE__)

void *__umc_kmalloc(size_t size, gfp_t flags, const char *caller) __malloc;
void *__umc_krealloc(const void *p, size_t new_size, gfp_t flags, const char *caller);
void *__umc_kvmalloc(size_t size, gfp_t flags, const char *caller) __malloc;

void *kmalloc(size_t size, gfp_t flags) __malloc;
void *kzalloc(size_t size, gfp_t flags) __malloc;
void *kmalloc_array(size_t n, size_t size, gfp_t flags) __malloc;
void *kcalloc(size_t n, size_t size, gfp_t flags) __malloc;
void *krealloc(const void *p, size_t new_size, gfp_t flags);
void *kvmalloc(size_t size, gfp_t flags) __malloc;
void *kvzalloc(size_t size, gfp_t flags) __malloc;
void *kvcalloc(size_t n, size_t size, gfp_t flags) __malloc;
void kfree(const void *objp);
void kvfree(const void *addr);
void kfree_sensitive(const void *objp);
size_t ksize(const void *objp);

#define kmalloc(size, flags) __umc_kmalloc((size), (flags), __umc_caller)
#define kzalloc(size, flags) __umc_kmalloc((size), (flags) | __GFP_ZERO, __umc_caller)
#define kmalloc_array(n, size, flags) __umc_kmalloc(size_mul((n), (size)), (flags), __umc_caller)
#define kcalloc(n, size, flags) __umc_kmalloc(size_mul((n), (size)), (flags) | __GFP_ZERO, __umc_caller)
#define krealloc(p, size, flags) __umc_krealloc((p), (size), (flags), __umc_caller)
#define kvmalloc(size, flags) __umc_kvmalloc((size), (flags), __umc_caller)
#define kvzalloc(size, flags) __umc_kvmalloc((size), (flags) | __GFP_ZERO, __umc_caller)
#define kvcalloc(n, size, flags) __umc_kvmalloc(size_mul((n), (size)), (flags) | __GFP_ZERO, __umc_caller)
#define kmalloc_node(size, flags, node) kmalloc(size, flags)
#define kzalloc_node(size, flags, node) kzalloc(size, flags)
#define kvmalloc_node(size, flags, node) kvmalloc(size, flags)
#define kvmalloc_array(n, size, flags) kvcalloc(n, size, (flags) & ~__GFP_ZERO)

struct kmem_cache;
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size, unsigned int align,
					      slab_flags_t flags, unsigned int useroffset,
					      unsigned int usersize, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags) __malloc;
void kmem_cache_free(struct kmem_cache *s, void *objp);
unsigned int kmem_cache_size(struct kmem_cache *s);
static inline void *kmem_cache_zalloc(struct kmem_cache *k, gfp_t flags)
{
	return kmem_cache_alloc(k, flags | __GFP_ZERO);
}
#define kmem_cache_alloc_node(s, flags, node) kmem_cache_alloc(s, flags)
#define KMEM_CACHE(__struct, __flags) \
	kmem_cache_create(#__struct, sizeof(struct __struct), __alignof__(struct __struct), (__flags), NULL)

#endif
