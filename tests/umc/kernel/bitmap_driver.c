// SPDX-License-Identifier: GPL-2.0
/* See bitmap_driver.h. */
#include <linux/bitmap.h>
#include "bitmap_driver.h"

int kd_bitmap_parse(const char *s, unsigned long *out, int nbits)
{
	return bitmap_parse(s, UINT_MAX, out, nbits);
}
unsigned kd_bitmap_weight(const unsigned long *b, unsigned nbits)
{
	return bitmap_weight(b, nbits);
}
int kd_bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned nbits)
{
	return bitmap_and(dst, a, b, nbits);
}
int kd_bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned nbits)
{
	return bitmap_equal(a, b, nbits);
}
void kd_bitmap_set(unsigned long *map, unsigned start, unsigned len)
{
	bitmap_set(map, start, len);
}
void kd_bitmap_clear(unsigned long *map, unsigned start, unsigned len)
{
	bitmap_clear(map, start, len);
}
