/* struct page: the runtime allocates page frames together with an array of
 * these descriptors (umc/mem.h umc_pages_alloc); `virtual` makes
 * page_address() a field read, `private` is the lvalue DRBD chains pages
 * through and stores bitmap flags in. */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H
#include <linux/types.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <asm/page.h>

struct page {
	unsigned long flags;
	struct list_head lru;
	unsigned long private;
	void *virtual;
	atomic_t _refcount;
	unsigned int order;  /* of the block this page heads (0 for tail pages) */
};

#define page_private(page) ((page)->private)
static inline void set_page_private(struct page *page, unsigned long private) { page->private = private; }

struct mm_struct;
struct vm_area_struct;
#endif
