// SPDX-License-Identifier: GPL-2.0
/* Bitmap operations over nbits bits (bits past nbits in the last word are
 * ignored by queries and left alone by set/clear). */
#include <linux/bitmap.h>
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>

bool __bitmap_equal(const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits)
{
	unsigned int k, lim = bits / BITS_PER_LONG;

	for (k = 0; k < lim; ++k)
		if (bitmap1[k] != bitmap2[k])
			return false;
	if (bits % BITS_PER_LONG)
		if ((bitmap1[k] ^ bitmap2[k]) & BITMAP_LAST_WORD_MASK(bits))
			return false;
	return true;
}

/* dst = a & b; returns whether any bit is set in the result. */
bool __bitmap_and(unsigned long *dst, const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits)
{
	unsigned int k, lim = bits / BITS_PER_LONG;
	unsigned long result = 0;

	for (k = 0; k < lim; k++)
		result |= (dst[k] = bitmap1[k] & bitmap2[k]);
	if (bits % BITS_PER_LONG)
		result |= (dst[k] = bitmap1[k] & bitmap2[k] & BITMAP_LAST_WORD_MASK(bits));
	return result != 0;
}

void __bitmap_or(unsigned long *dst, const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits)
{
	unsigned int k, nr = BITS_TO_LONGS(bits);

	for (k = 0; k < nr; k++)
		dst[k] = bitmap1[k] | bitmap2[k];
}

unsigned int __bitmap_weight(const unsigned long *bitmap, unsigned int bits)
{
	unsigned int k, w = 0, lim = bits / BITS_PER_LONG;

	for (k = 0; k < lim; k++)
		w += hweight_long(bitmap[k]);
	if (bits % BITS_PER_LONG)
		w += hweight_long(bitmap[k] & BITMAP_LAST_WORD_MASK(bits));
	return w;
}

void __bitmap_set(unsigned long *map, unsigned int start, int len)
{
	unsigned long *p = map + BIT_WORD(start);
	const unsigned int size = start + len;
	int bits_to_set = BITS_PER_LONG - (start % BITS_PER_LONG);
	unsigned long mask_to_set = BITMAP_FIRST_WORD_MASK(start);

	while (len - bits_to_set >= 0) {
		*p |= mask_to_set;
		len -= bits_to_set;
		bits_to_set = BITS_PER_LONG;
		mask_to_set = ~0UL;
		p++;
	}
	if (len) {
		mask_to_set &= BITMAP_LAST_WORD_MASK(size);
		*p |= mask_to_set;
	}
}

void __bitmap_clear(unsigned long *map, unsigned int start, int len)
{
	unsigned long *p = map + BIT_WORD(start);
	const unsigned int size = start + len;
	int bits_to_clear = BITS_PER_LONG - (start % BITS_PER_LONG);
	unsigned long mask_to_clear = BITMAP_FIRST_WORD_MASK(start);

	while (len - bits_to_clear >= 0) {
		*p &= ~mask_to_clear;
		len -= bits_to_clear;
		bits_to_clear = BITS_PER_LONG;
		mask_to_clear = ~0UL;
		p++;
	}
	if (len) {
		mask_to_clear &= BITMAP_LAST_WORD_MASK(size);
		*p &= ~mask_to_clear;
	}
}

/*
 * bitmap_parse(): hex chunks of up to 32 bits separated by commas, the last
 * chunk holding bits 0..31 (the cpumask format "ff,ffffffff").  Separators
 * and whitespace may repeat or lead/trail (empty groups are skipped);
 * parsing stops at buflen, NUL or newline.  -EINVAL for a non-hex
 * character; -EOVERFLOW for a chunk over 8 digits, more chunks than
 * nmaskbits needs, or a set bit at or above nmaskbits.
 */
static bool end_of_region(char c)
{
	return isspace(c) || c == ',';
}

int bitmap_parse(const char *buf, unsigned int buflen, unsigned long *maskp, int nmaskbits)
{
	const char *p = buf, *end = strnchrnul(buf, buflen, '\n');
	u32 chunks[64];
	int nchunks = 0, i;

	bitmap_zero(maskp, nmaskbits);
	for (;;) {
		u32 val = 0;
		int digits = 0;

		while (p < end && end_of_region(*p))
			p++;
		if (p >= end)
			break;
		while (p < end && !end_of_region(*p)) {
			int h = hex_to_bin(*p++);
			if (h < 0)
				return -EINVAL;
			if (++digits > 8)
				return -EOVERFLOW;
			val = (val << 4) | h;
		}
		if (nchunks == ARRAY_SIZE(chunks))
			return -EOVERFLOW;
		chunks[nchunks++] = val;
	}
	if (nchunks > (int)BITS_TO_U32(nmaskbits))
		return -EOVERFLOW;
	for (i = 0; i < nchunks; i++) {
		u32 val = chunks[nchunks - 1 - i]; /* i-th chunk from the end: bits 32i.. */
		int bit;

		for (bit = 0; bit < 32; bit++) {
			if (!(val & (1U << bit)))
				continue;
			if (i * 32 + bit >= nmaskbits)
				return -EOVERFLOW;
			__set_bit(i * 32 + bit, maskp);
		}
	}
	return 0;
}

unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags)
{
	return kmalloc_array(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags);
}

unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	return bitmap_alloc(nbits, flags | __GFP_ZERO);
}

void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}
