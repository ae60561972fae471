// SPDX-License-Identifier: GPL-2.0
/* See slab_driver.h. */
#include <linux/slab.h>
#include <linux/string.h>
#include "slab_driver.h"

int kd_slab_contract(void)
{
	char *p, *q;
	void *z = kmalloc(0, GFP_KERNEL);

	if (z != ZERO_SIZE_PTR)
		return 1;
	kfree(z);
	kfree(NULL);
	p = kzalloc(64, GFP_KERNEL);
	if (!p)
		return 2;
	for (int i = 0; i < 64; i++)
		if (p[i])
			return 3;
	memcpy(p, "hello", 6);
	q = krealloc(p, 8192, GFP_KERNEL);
	if (!q || strcmp(q, "hello"))
		return 4;
	if (ksize(q) < 8192)
		return 5;
	kfree(q);
	if (kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL) != NULL)
		return 6; /* overflow refused */
	p = kstrdup("abc", GFP_KERNEL);
	if (!p || strcmp(p, "abc"))
		return 7;
	kfree(p);
	return 0;
}

static void fill_ctor(void *obj)
{
	memset(obj, 0x5a, 24);
}

int kd_kmem_cache_contract(void)
{
	struct kmem_cache *c = kmem_cache_create("kd", 24, 0, 0, fill_ctor);
	unsigned char *o;
	int ok;

	if (!c)
		return 1;
	if (kmem_cache_size(c) < 24)
		return 2;
	o = kmem_cache_alloc(c, GFP_KERNEL);
	if (!o)
		return 3;
	ok = o[0] == 0x5a && o[23] == 0x5a;
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
	return ok ? 0 : 4;
}
