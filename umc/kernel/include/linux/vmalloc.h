/* vmalloc: page-aligned blocks from the runtime (no separate address space
 * on the host); freed with vfree or kvfree. */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H
#include <linux/gfp.h>
#include <linux/stringify.h>

void *__umc_vmalloc(unsigned long size, gfp_t gfp_mask, const char *caller);
void vfree(const void *addr);
#define __vmalloc(size, gfp) __umc_vmalloc((size), (gfp), __FILE__ ":" __stringify(__LINE__))
#define vmalloc(size) __umc_vmalloc((size), GFP_KERNEL, __FILE__ ":" __stringify(__LINE__))
#define vzalloc(size) __umc_vmalloc((size), GFP_KERNEL | __GFP_ZERO, __FILE__ ":" __stringify(__LINE__))
#define vmalloc_array(n, size) vmalloc(size_mul((n), (size)))
#endif
