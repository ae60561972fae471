// SPDX-License-Identifier: GPL-2.0
/* See bitops_driver.h. */
#include <linux/bitops.h>
#include "bitops_driver.h"

int kd_set_bit(unsigned long *w, long nr)
{
	set_bit(nr, w);
	return test_bit(nr, w);
}
int kd_test_and_set_bit(unsigned long *w, long nr)
{
	return test_and_set_bit(nr, w);
}
int kd_test_and_clear_bit(unsigned long *w, long nr)
{
	return test_and_clear_bit(nr, w);
}
int kd_nonatomic_test_and_set_bit(unsigned long *w, long nr)
{
	return __test_and_set_bit(nr, w);
}
int kd_test_and_set_bit_le(void *b, int nr)
{
	return __test_and_set_bit_le(nr, b);
}
int kd_test_bit_le(const void *b, int nr)
{
	return test_bit_le(nr, b);
}
unsigned long kd_find_next_bit(const unsigned long *w, unsigned long size, unsigned long off)
{
	return find_next_bit(w, size, off);
}
unsigned long kd_find_next_zero_bit(const unsigned long *w, unsigned long size, unsigned long off)
{
	return find_next_zero_bit(w, size, off);
}
unsigned long kd_find_first_bit(const unsigned long *w, unsigned long size)
{
	return find_first_bit(w, size);
}
unsigned long kd_find_last_bit(const unsigned long *w, unsigned long size)
{
	return find_last_bit(w, size);
}
unsigned long kd_find_next_bit_le(const void *b, unsigned long size, unsigned long off)
{
	return find_next_bit_le(b, size, off);
}
int kd_fls(unsigned x)
{
	return fls(x);
}
int kd_ffs(int x)
{
	return ffs(x);
}
unsigned long kd_hweight_long(unsigned long w)
{
	return hweight_long(w);
}
