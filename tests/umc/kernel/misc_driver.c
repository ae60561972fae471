// SPDX-License-Identifier: GPL-2.0
/* See misc_driver.h. */
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/slab.h>
#include "misc_driver.h"

struct outer {
	int a;
	long b;
	char c[7];
};

int kd_misc_macros(void)
{
	struct outer o;
	int arr[5];
	unsigned int u = 7;
	u64 big = 10;

	if (container_of(&o.c[0], struct outer, c[0]) != &o)
		return 1;
	if (ARRAY_SIZE(arr) != 5)
		return 2;
	if (min(3, 4) != 3 || max(3u, u) != 7 || min_t(u64, big, 2) != 2)
		return 3;
	if (min_not_zero(0, 5) != 5 || min_not_zero(4, 0) != 4 || min_not_zero(4, 3) != 3)
		return 4;
	if (DIV_ROUND_UP(9, 4) != 3 || ALIGN(9, 8) != 16 || !IS_ALIGNED(4096, 512) || round_up(5, 4) != 8)
		return 5;
	if (!IS_ERR(ERR_PTR(-EIO)) || PTR_ERR(ERR_PTR(-EIO)) != -EIO || IS_ERR(&o) || !IS_ERR_OR_NULL(NULL))
		return 6;
	if (clamp(15, 0, 10) != 10 || abs(-5) != 5)
		return 7;
	if (ilog2(4096u) != 12 || roundup_pow_of_two(5) != 8 || !is_power_of_2(64))
		return 8;
	if (BITS_TO_LONGS(65) != 2 || GENMASK(7, 4) != 0xf0)
		return 9;
	if (swahw32(0x12345678u) != 0x56781234u)
		return 10;
	{
		sector_t s = 1001;
		u32 rem = sector_div(s, 10);
		if (s != 100 || rem != 1)
			return 11;
	}
	if (struct_size(&o, c, 3) != sizeof(o) + 3)
		return 12;
	return 0;
}
