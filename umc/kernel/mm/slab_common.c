// SPDX-License-Identifier: GPL-2.0
/* kmalloc family and kmem_cache on the runtime's allocator (umc/mem.h).
 * struct kmem_cache is the runtime's cache object itself: the kernel side
 * never looks inside it. */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/panic.h>
#include <linux/limits.h>
#include <linux/compiler.h>
#include <umc/kernel_private.h>

void *__umc_kmalloc(size_t size, gfp_t flags, const char *caller)
{
	/* The kernel refuses (rather than tries) anything above the largest
	 * slab; overflow-saturated sizes (SIZE_MAX) end up here too. */
	if (unlikely(size > KMALLOC_MAX_SIZE))
		return NULL;
	return umc_kmalloc(size, __umc_gfp_to_alloc_flags(flags), caller);
}

void *__umc_krealloc(const void *p, size_t new_size, gfp_t flags, const char *caller)
{
	if (unlikely(new_size > KMALLOC_MAX_SIZE))
		return NULL;
	return umc_krealloc((void *)p, new_size, __umc_gfp_to_alloc_flags(flags), caller);
}

/* kvmalloc may fall back to vmalloc in the kernel; host memory has no such
 * distinction, and both are freed by kvfree. */
void *__umc_kvmalloc(size_t size, gfp_t flags, const char *caller)
{
	if (unlikely(size > INT_MAX))
		return NULL;
	return umc_kmalloc(size, __umc_gfp_to_alloc_flags(flags), caller);
}

/* The plain functions, for callers that take their address. */
void *(kmalloc)(size_t size, gfp_t flags)
{
	return __umc_kmalloc(size, flags, "kmalloc");
}
void *(kzalloc)(size_t size, gfp_t flags)
{
	return __umc_kmalloc(size, flags | __GFP_ZERO, "kzalloc");
}
void *(kmalloc_array)(size_t n, size_t size, gfp_t flags)
{
	return __umc_kmalloc(size_mul(n, size), flags, "kmalloc_array");
}
void *(kcalloc)(size_t n, size_t size, gfp_t flags)
{
	return __umc_kmalloc(size_mul(n, size), flags | __GFP_ZERO, "kcalloc");
}
void *(krealloc)(const void *p, size_t new_size, gfp_t flags)
{
	return __umc_krealloc(p, new_size, flags, "krealloc");
}
void *(kvmalloc)(size_t size, gfp_t flags)
{
	return __umc_kvmalloc(size, flags, "kvmalloc");
}
void *(kvzalloc)(size_t size, gfp_t flags)
{
	return __umc_kvmalloc(size, flags | __GFP_ZERO, "kvzalloc");
}
void *(kvcalloc)(size_t n, size_t size, gfp_t flags)
{
	return __umc_kvmalloc(size_mul(n, size), flags | __GFP_ZERO, "kvcalloc");
}

void kfree(const void *objp)
{
	umc_kfree(objp);
}
void kvfree(const void *addr)
{
	umc_kfree(addr);
}
void vfree(const void *addr)
{
	umc_kfree(addr);
}
/* For the host program: what the kernel side handed it (umc/kernel_host.h). */
void umc_kernel_free(void *p)
{
	kvfree(p);
}
size_t ksize(const void *objp)
{
	return ZERO_OR_NULL_PTR(objp) ? 0 : umc_ksize(objp);
}

void kfree_sensitive(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return;
	memzero_explicit((void *)objp, umc_ksize(objp));
	umc_kfree(objp);
}

void *__umc_vmalloc(unsigned long size, gfp_t gfp_mask, const char *caller)
{
	return umc_vmalloc(size, __umc_gfp_to_alloc_flags(gfp_mask), caller);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct umc_kmem_cache *c = umc_kmem_cache_create(name, size, align, ctor);
	if (!c && (flags & SLAB_PANIC))
		panic("kmem_cache_create: failed to create slab '%s'\n", name);
	return (struct kmem_cache *)c;
}

struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size, unsigned int align,
					      slab_flags_t flags, unsigned int useroffset, unsigned int usersize,
					      void (*ctor)(void *))
{
	(void)useroffset;
	(void)usersize;
	return kmem_cache_create(name, size, align, flags, ctor);
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	umc_kmem_cache_destroy((struct umc_kmem_cache *)s);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	return umc_kmem_cache_alloc((struct umc_kmem_cache *)s, __umc_gfp_to_alloc_flags(flags));
}

void kmem_cache_free(struct kmem_cache *s, void *objp)
{
	umc_kmem_cache_free((struct umc_kmem_cache *)s, objp);
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return (unsigned int)umc_kmem_cache_size((const struct umc_kmem_cache *)s);
}
