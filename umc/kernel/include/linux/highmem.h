/* No high memory: every page is mapped, kmap is page_address. */
#ifndef _LINUX_HIGHMEM_H
#define _LINUX_HIGHMEM_H
#include <linux/mm.h>
#include <linux/string.h>
static inline void *kmap(struct page *page) { return page_address(page); }
static inline void kunmap(struct page *page) { (void)page; }
static inline void *kmap_atomic(struct page *page) { return page_address(page); }
#define kunmap_atomic(addr) do { (void)(addr); } while (0)
static inline void *kmap_local_page(struct page *page) { return page_address(page); }
#define kunmap_local(addr) do { (void)(addr); } while (0)
static inline void copy_highpage(struct page *to, struct page *from)
{
	memcpy(page_address(to), page_address(from), PAGE_SIZE);
}
static inline void clear_highpage(struct page *page) { memset(page_address(page), 0, PAGE_SIZE); }
static inline void zero_user(struct page *page, unsigned start, unsigned size)
{
	memset((char *)page_address(page) + start, 0, size);
}
#define flush_dcache_page(page) do { (void)(page); } while (0)
#endif
