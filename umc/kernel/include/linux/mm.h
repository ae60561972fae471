/* Pages (umc/kernel/mm/page_alloc.c over umc_pages_alloc). */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/page_ref.h>
#include <linux/pfn.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/err.h>
#include <linux/sched.h>
#include <asm/page.h>

struct page *alloc_pages(gfp_t gfp_mask, unsigned int order);
#define alloc_page(gfp_mask) alloc_pages(gfp_mask, 0)
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page) __free_pages((page), 0)
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order);
#define __get_free_page(gfp_mask) __get_free_pages((gfp_mask), 0)
unsigned long get_zeroed_page(gfp_t gfp_mask);
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr) free_pages((addr), 0)

static inline void *page_address(const struct page *page) { return page->virtual; }
#define lowmem_page_address(page) page_address(page)
static inline struct page *virt_to_page(const void *addr) { return (struct page *)umc_virt_to_page(addr); }
static inline void get_page(struct page *page) { page_ref_inc(page); }
/* Frees the page (block) when the last reference goes. */
void put_page(struct page *page);
static inline bool is_vmalloc_addr(const void *x) { return false; }
#define PageSlab(page) 0
#define PageHighMem(page) 0
static inline bool sendpage_ok(struct page *page) { return page_count(page) >= 1; }
static inline void *kvmalloc_array_ok(void) { return NULL; }
static inline unsigned long totalram_pages(void) { return 1UL << 20; }
#define si_meminfo(info) do { } while (0)
#endif
