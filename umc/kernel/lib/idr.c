// SPDX-License-Identifier: GPL-2.0
/* idr as a copy-on-write sorted array (see linux/idr.h). */
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/limits.h>
#include <linux/err.h>
#include <linux/string.h>

/* Index of the first entry with id >= @id (== count if none). */
static unsigned int lower_bound(const struct idr_array *a, unsigned long id)
{
	unsigned int lo = 0, hi = a ? a->count : 0;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		if (a->e[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct idr_array *array_alloc(unsigned int count, gfp_t gfp)
{
	struct idr_array *a = kmalloc(struct_size(a, e, count), gfp & ~__GFP_ZERO);
	if (a)
		a->count = count;
	return a;
}

/* Publishes @n (NULL when empty) and frees the old array after readers. */
static void publish(struct idr *idr, struct idr_array *n)
{
	struct idr_array *old = rcu_dereference_protected(idr->array, 1);

	if (n && n->count == 0) {
		kfree(n);
		n = NULL;
	}
	rcu_assign_pointer(idr->array, n);
	if (old)
		kvfree_rcu(old);
}

static int insert_at(struct idr *idr, unsigned int pos, unsigned long id, void *ptr, gfp_t gfp)
{
	struct idr_array *old = rcu_dereference_protected(idr->array, 1);
	unsigned int count = old ? old->count : 0;
	struct idr_array *n = array_alloc(count + 1, gfp);

	if (!n)
		return -ENOMEM;
	if (pos)
		memcpy(n->e, old->e, pos * sizeof(n->e[0]));
	n->e[pos].id = id;
	n->e[pos].ptr = ptr;
	if (count > pos)
		memcpy(&n->e[pos + 1], &old->e[pos], (count - pos) * sizeof(n->e[0]));
	publish(idr, n);
	return 0;
}

/* The lowest free id in [start, end); end <= 0 means up to INT_MAX. */
int idr_alloc(struct idr *idr, void *ptr, int start, int end, gfp_t gfp)
{
	struct idr_array *a = rcu_dereference_protected(idr->array, 1);
	unsigned long id, limit = end > 0 ? (unsigned long)end : (unsigned long)INT_MAX + 1;
	unsigned int pos;
	int err;

	if (WARN_ON_ONCE(start < 0))
		return -EINVAL;
	id = max_t(unsigned long, start, idr->idr_base);
	pos = lower_bound(a, id);
	while (a && pos < a->count && a->e[pos].id == id) {
		id++;
		pos++;
	}
	if (id >= limit)
		return -ENOSPC;
	err = insert_at(idr, pos, id, ptr, gfp);
	return err ? err : (int)id;
}

int idr_alloc_cyclic(struct idr *idr, void *ptr, int start, int end, gfp_t gfp)
{
	int from = max_t(int, start, idr->idr_next);
	int id = idr_alloc(idr, ptr, from, end, gfp);

	if (id == -ENOSPC && from > start)
		id = idr_alloc(idr, ptr, start, end, gfp);
	if (id >= 0)
		idr->idr_next = id + 1U;
	return id;
}

void *idr_find(const struct idr *idr, unsigned long id)
{
	const struct idr_array *a = rcu_dereference_raw(idr->array);
	unsigned int pos = lower_bound(a, id);

	if (a && pos < a->count && a->e[pos].id == id)
		return a->e[pos].ptr;
	return NULL;
}

void *idr_get_next_ul(struct idr *idr, unsigned long *nextid)
{
	const struct idr_array *a = rcu_dereference_raw(idr->array);
	unsigned int pos;

	for (pos = lower_bound(a, *nextid); a && pos < a->count; pos++) {
		if (a->e[pos].ptr) {
			*nextid = a->e[pos].id;
			return a->e[pos].ptr;
		}
	}
	return NULL;
}

void *idr_get_next(struct idr *idr, int *nextid)
{
	unsigned long id = *nextid;
	void *entry = idr_get_next_ul(idr, &id);

	if (!entry || WARN_ON_ONCE(id > INT_MAX))
		return NULL;
	*nextid = (int)id;
	return entry;
}

/* Writers hold the caller's lock, so the entry may change in place; a
 * reader sees the old or the new pointer. */
void *idr_replace(struct idr *idr, void *ptr, unsigned long id)
{
	struct idr_array *a = rcu_dereference_protected(idr->array, 1);
	unsigned int pos = lower_bound(a, id);
	void *old;

	if (!a || pos >= a->count || a->e[pos].id != id)
		return ERR_PTR(-ENOENT);
	old = a->e[pos].ptr;
	WRITE_ONCE(a->e[pos].ptr, ptr);
	return old;
}

void *idr_remove(struct idr *idr, unsigned long id)
{
	struct idr_array *a = rcu_dereference_protected(idr->array, 1), *n;
	unsigned int pos = lower_bound(a, id);
	void *ptr;

	if (!a || pos >= a->count || a->e[pos].id != id)
		return NULL;
	ptr = a->e[pos].ptr;
	/* Removal must not fail: without memory, shrink in place instead
	 * (readers racing with it may miss a neighbour; the kernel's radix
	 * tree never fails here either, so this is the emergency path). */
	n = array_alloc(a->count - 1, GFP_KERNEL);
	if (!n) {
		memmove(&a->e[pos], &a->e[pos + 1], (a->count - pos - 1) * sizeof(a->e[0]));
		WRITE_ONCE(a->count, a->count - 1);
		return ptr;
	}
	memcpy(n->e, a->e, pos * sizeof(n->e[0]));
	memcpy(&n->e[pos], &a->e[pos + 1], (a->count - pos - 1) * sizeof(n->e[0]));
	publish(idr, n);
	return ptr;
}

void idr_destroy(struct idr *idr)
{
	publish(idr, NULL);
}

int idr_for_each(const struct idr *idr, int (*fn)(int id, void *p, void *data), void *data)
{
	const struct idr_array *a = rcu_dereference_raw(idr->array);
	unsigned int pos;

	for (pos = 0; a && pos < a->count; pos++) {
		int ret;
		if (!a->e[pos].ptr)
			continue;
		ret = fn((int)a->e[pos].id, a->e[pos].ptr, data);
		if (ret)
			return ret;
	}
	return 0;
}

/* IDA: the idr with a non-NULL marker as the pointer. */
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, gfp_t gfp)
{
	if ((int)min < 0)
		return -ENOSPC;
	return idr_alloc(&ida->idr, (void *)1, min, max >= INT_MAX ? 0 : (int)max + 1, gfp);
}

void ida_free(struct ida *ida, unsigned int id)
{
	WARN_ON(idr_remove(&ida->idr, id) == NULL);
}

void ida_destroy(struct ida *ida)
{
	idr_destroy(&ida->idr);
}
