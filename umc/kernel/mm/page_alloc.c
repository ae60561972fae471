// SPDX-License-Identifier: GPL-2.0
/* Page frames from the runtime (umc_pages_alloc): a block of 2^order pages
 * with a contiguous array of struct page descriptors.  Each descriptor gets
 * its page's address (page_address) and the head a reference count; the
 * block is freed when the head's count drops to zero. */
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/bug.h>

struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	void *data;
	struct page *page = umc_pages_alloc(order, sizeof(struct page), __umc_gfp_to_alloc_flags(gfp_mask), &data);
	unsigned int i;

	if (!page)
		return NULL;
	for (i = 0; i < (1u << order); i++) {
		page[i].virtual = (char *)data + (unsigned long)i * PAGE_SIZE;
		INIT_LIST_HEAD(&page[i].lru);
	}
	page->order = order;
	set_page_count(page, 1);
	return page;
}

void __free_pages(struct page *page, unsigned int order)
{
	WARN_ON_ONCE(order != page->order);
	if (page_ref_dec_and_test(page))
		umc_pages_free(page);
}

void put_page(struct page *page)
{
	if (page_ref_dec_and_test(page))
		umc_pages_free(page);
}

unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page = alloc_pages(gfp_mask, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp_mask)
{
	return __get_free_pages(gfp_mask | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}
