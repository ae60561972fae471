/* Bitmaps of `nbits` bits in unsigned longs; bits beyond nbits in the last
 * word are "don't care" for the queries (masked) and preserved by the
 * in-place ops that the kernel documents as such.  Out of line:
 * umc/kernel/lib/bitmap.c. */
#ifndef _LINUX_BITMAP_H
#define _LINUX_BITMAP_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/find.h>
#include <linux/limits.h>
#include <linux/string.h>

#define BITMAP_FIRST_WORD_MASK(start) (~0UL << ((start) & (BITS_PER_LONG - 1)))
#define BITMAP_LAST_WORD_MASK(nbits) (~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

bool __bitmap_equal(const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int nbits);
bool __bitmap_and(unsigned long *dst, const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int nbits);
void __bitmap_or(unsigned long *dst, const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int nbits);
unsigned int __bitmap_weight(const unsigned long *bitmap, unsigned int nbits);
void __bitmap_set(unsigned long *map, unsigned int start, int len);
void __bitmap_clear(unsigned long *map, unsigned int start, int len);
/* Parses a comma-separated list of 32-bit hex words, most significant
 * first (the kernel's bitmap_parse / cpumask "ff,ffffffff" format). */
int bitmap_parse(const char *buf, unsigned int buflen, unsigned long *dst, int nbits);
unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags);
unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags);
void bitmap_free(const unsigned long *bitmap);

static inline unsigned int bitmap_size(unsigned int nbits) { return BITS_TO_LONGS(nbits) * sizeof(unsigned long); }
static inline void bitmap_zero(unsigned long *dst, unsigned int nbits) { memset(dst, 0, bitmap_size(nbits)); }
static inline void bitmap_fill(unsigned long *dst, unsigned int nbits) { memset(dst, 0xff, bitmap_size(nbits)); }
static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	memcpy(dst, src, bitmap_size(nbits));
}
static inline bool bitmap_and(unsigned long *dst, const unsigned long *src1, const unsigned long *src2, unsigned int nbits)
{
	return __bitmap_and(dst, src1, src2, nbits);
}
static inline void bitmap_or(unsigned long *dst, const unsigned long *src1, const unsigned long *src2, unsigned int nbits)
{
	__bitmap_or(dst, src1, src2, nbits);
}
static inline bool bitmap_equal(const unsigned long *src1, const unsigned long *src2, unsigned int nbits)
{
	return __bitmap_equal(src1, src2, nbits);
}
static inline bool bitmap_empty(const unsigned long *src, unsigned nbits) { return find_first_bit(src, nbits) == nbits; }
static inline bool bitmap_full(const unsigned long *src, unsigned int nbits) { return find_first_zero_bit(src, nbits) == nbits; }
static inline unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits) { return __bitmap_weight(src, nbits); }
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int nbits) { __bitmap_set(map, start, nbits); }
static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nbits) { __bitmap_clear(map, start, nbits); }
#endif
