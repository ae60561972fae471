// SPDX-License-Identifier: GPL-2.0
/* See idr_driver.h. */
#include <linux/idr.h>
#include <linux/slab.h>
#include "idr_driver.h"

struct kd_idr {
	struct idr idr;
};

struct kd_idr *kd_idr_create(void)
{
	struct kd_idr *t = kmalloc(sizeof(*t), GFP_KERNEL);
	if (t)
		idr_init(&t->idr);
	return t;
}
void kd_idr_destroy(struct kd_idr *t)
{
	idr_destroy(&t->idr);
	kfree(t);
}
int kd_idr_alloc(struct kd_idr *t, unsigned long value, int start, int end)
{
	return idr_alloc(&t->idr, (void *)value, start, end, GFP_KERNEL);
}
unsigned long kd_idr_find(struct kd_idr *t, unsigned long id)
{
	return (unsigned long)idr_find(&t->idr, id);
}
unsigned long kd_idr_remove(struct kd_idr *t, unsigned long id)
{
	return (unsigned long)idr_remove(&t->idr, id);
}
unsigned long kd_idr_get_next(struct kd_idr *t, int *id)
{
	return (unsigned long)idr_get_next(&t->idr, id);
}
int kd_idr_is_empty(struct kd_idr *t)
{
	return idr_is_empty(&t->idr);
}
int kd_idr_ids(struct kd_idr *t, int *ids, int max)
{
	void *entry;
	int id, n = 0;

	idr_for_each_entry(&t->idr, entry, id)
	{
		if (n < max)
			ids[n] = id;
		n++;
	}
	return n;
}
