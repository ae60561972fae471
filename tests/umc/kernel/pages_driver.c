// SPDX-License-Identifier: GPL-2.0
/* See pages_driver.h. */
#include <linux/mm.h>
#include <linux/string.h>
#include "pages_driver.h"

int ksd_pages(unsigned order)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	unsigned int i;
	char *base;

	if (!p)
		return 1;
	base = page_address(p);
	if (((unsigned long)base & (PAGE_SIZE - 1)) != 0)
		return 2;
	for (i = 0; i < (1u << order); i++) {
		char *a = page_address(p + i);
		if (a != base + i * PAGE_SIZE)
			return 3;
		if (virt_to_page(a + 100) != p + i)
			return 4;
		if (a[0] != 0 || a[PAGE_SIZE - 1] != 0)
			return 5;
		memset(a, 0xab, PAGE_SIZE);
	}
	if (page_count(p) != 1)
		return 6;
	get_page(p);
	put_page(p);
	if (page_count(p) != 1)
		return 7;
	put_page(p);
	return 0;
}
