#ifndef _ASM_PAGE_H
#define _ASM_PAGE_H
#include <linux/const.h>
/* 4 KiB pages: DRBD's on-disk activity log and bitmap formats assume it. */
#define PAGE_SHIFT 12
#define PAGE_SIZE (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr) ALIGN(addr, PAGE_SIZE)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#endif
