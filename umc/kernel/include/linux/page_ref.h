#ifndef _LINUX_PAGE_REF_H
#define _LINUX_PAGE_REF_H
#include <linux/mm_types.h>
static inline int page_ref_count(const struct page *page) { return atomic_read(&page->_refcount); }
static inline int page_count(const struct page *page) { return atomic_read(&page->_refcount); }
static inline void set_page_count(struct page *page, int v) { atomic_set(&page->_refcount, v); }
static inline void page_ref_inc(struct page *page) { atomic_inc(&page->_refcount); }
static inline int page_ref_dec_and_test(struct page *page) { return atomic_dec_and_test(&page->_refcount); }
#endif
