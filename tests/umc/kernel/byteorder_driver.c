// SPDX-License-Identifier: GPL-2.0
/* See byteorder_driver.h. */
#include <linux/kernel.h>
#include <asm/unaligned.h>
#include "byteorder_driver.h"

unsigned kd_cpu_to_be32(unsigned x)
{
	return (__force unsigned)cpu_to_be32(x);
}
unsigned long long kd_be64_to_cpu(unsigned long long x)
{
	return be64_to_cpu((__force __be64)x);
}
unsigned kd_get_unaligned_be32(const void *p)
{
	return get_unaligned_be32(p);
}
unsigned short kd_cpu_to_le16(unsigned short x)
{
	return (__force unsigned short)cpu_to_le16(x);
}
