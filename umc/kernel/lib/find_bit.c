// SPDX-License-Identifier: GPL-2.0
/* Bitmap searches.  All return @size when nothing is found, and never read
 * a word beyond the one holding bit size - 1. */
#include <linux/bitops.h>
#include <linux/minmax.h>

/* Word @idx of the bitmap, optionally inverted, with bits below @start and
 * at/after @size masked off. */
static inline unsigned long word_masked(const unsigned long *addr, unsigned long idx, unsigned long invert,
					unsigned long start, unsigned long size)
{
	unsigned long w = addr[idx] ^ invert;

	if (idx == start / BITS_PER_LONG)
		w &= ~0UL << (start % BITS_PER_LONG);
	if (idx == (size - 1) / BITS_PER_LONG && size % BITS_PER_LONG)
		w &= ~0UL >> (BITS_PER_LONG - size % BITS_PER_LONG);
	return w;
}

static unsigned long find_next(const unsigned long *addr, unsigned long size, unsigned long start, unsigned long invert)
{
	unsigned long idx;

	if (start >= size)
		return size;
	for (idx = start / BITS_PER_LONG; idx * BITS_PER_LONG < size; idx++) {
		unsigned long w = word_masked(addr, idx, invert, start, size);
		if (w)
			return min(idx * BITS_PER_LONG + __ffs(w), size);
	}
	return size;
}

unsigned long _find_next_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{
	return find_next(addr, size, offset, 0UL);
}

unsigned long _find_next_zero_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{
	return find_next(addr, size, offset, ~0UL);
}

unsigned long _find_first_bit(const unsigned long *addr, unsigned long size)
{
	return find_next(addr, size, 0, 0UL);
}

unsigned long _find_first_zero_bit(const unsigned long *addr, unsigned long size)
{
	return find_next(addr, size, 0, ~0UL);
}

unsigned long _find_next_and_bit(const unsigned long *addr1, const unsigned long *addr2, unsigned long size,
				 unsigned long offset)
{
	unsigned long idx;

	if (offset >= size)
		return size;
	for (idx = offset / BITS_PER_LONG; idx * BITS_PER_LONG < size; idx++) {
		unsigned long w = word_masked(addr1, idx, 0UL, offset, size) & addr2[idx];
		if (w)
			return min(idx * BITS_PER_LONG + __ffs(w), size);
	}
	return size;
}

unsigned long _find_last_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long idx;

	if (!size)
		return size;
	idx = (size - 1) / BITS_PER_LONG;
	for (;;) {
		unsigned long w = word_masked(addr, idx, 0UL, 0, size);
		if (w)
			return idx * BITS_PER_LONG + __fls(w);
		if (idx-- == 0)
			return size;
	}
}
