// SPDX-License-Identifier: GPL-2.0
/* See string_driver.h. */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "string_driver.h"

long kd_strscpy(char *dst, const char *src, size_t size)
{
	return strscpy(dst, src, size);
}
int kd_sysfs_streq(const char *a, const char *b)
{
	return sysfs_streq(a, b);
}
char *kd_strim(char *s)
{
	return strim(s);
}
int kd_scnprintf(char *buf, size_t size, int value)
{
	return scnprintf(buf, size, "value=%d", value);
}
int kd_snprintf(char *buf, size_t size, int value)
{
	return snprintf(buf, size, "value=%d", value);
}
char *kd_kasprintf(const char *s, int v)
{
	return kasprintf(GFP_KERNEL, "%s-%d", s, v);
}
void kd_kfree(void *p)
{
	kfree(p);
}
