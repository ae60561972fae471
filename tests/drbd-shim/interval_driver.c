// SPDX-License-Identifier: GPL-2.0
/* Test driver: drbd_interval.c (unmodified) over lib/rbtree.c (unmodified). */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/rbtree_augmented.h>
#include "drbd_interval.h"
#include "interval_driver.h"

struct tdrv_itree {
	struct rb_root root;
	unsigned capacity;
	struct drbd_interval iv[];
};

struct tdrv_itree *tdrv_itree_create(unsigned capacity)
{
	struct tdrv_itree *t = kzalloc(struct_size(t, iv, capacity), GFP_KERNEL);
	unsigned i;

	if (!t)
		return NULL;
	t->root = RB_ROOT;
	t->capacity = capacity;
	for (i = 0; i < capacity; i++)
		drbd_clear_interval(&t->iv[i]);
	return t;
}

void tdrv_itree_destroy(struct tdrv_itree *t)
{
	kfree(t);
}

int tdrv_itree_insert(struct tdrv_itree *t, unsigned id, unsigned long long sector, unsigned bytes)
{
	t->iv[id].sector = sector;
	t->iv[id].size = bytes;
	return drbd_insert_interval(&t->root, &t->iv[id]);
}

int tdrv_itree_reinsert(struct tdrv_itree *t, unsigned id)
{
	return drbd_insert_interval(&t->root, &t->iv[id]);
}

void tdrv_itree_remove(struct tdrv_itree *t, unsigned id)
{
	drbd_remove_interval(&t->root, &t->iv[id]);
	drbd_clear_interval(&t->iv[id]);
}

int tdrv_itree_contains(struct tdrv_itree *t, unsigned id)
{
	return drbd_contains_interval(&t->root, t->iv[id].sector, &t->iv[id]);
}

int tdrv_itree_empty_node(struct tdrv_itree *t, unsigned id)
{
	return drbd_interval_empty(&t->iv[id]);
}

unsigned tdrv_itree_overlaps(struct tdrv_itree *t, unsigned long long sector, unsigned bytes, unsigned *ids,
			     unsigned max)
{
	struct drbd_interval *i;
	unsigned n = 0;

	drbd_for_each_overlap(i, &t->root, sector, bytes)
	{
		if (n < max)
			ids[n] = (unsigned)(i - t->iv);
		n++;
	}
	return n;
}

/* Returns the black height of the subtree, or -1 when an invariant fails. */
static int check_node(struct rb_node *node, sector_t *subtree_end)
{
	struct drbd_interval *iv;
	sector_t left_end = 0, right_end = 0, end;
	int lh, rh;

	if (!node) {
		*subtree_end = 0;
		return 1;
	}
	iv = rb_entry(node, struct drbd_interval, rb);
	lh = check_node(node->rb_left, &left_end);
	rh = check_node(node->rb_right, &right_end);
	if (lh < 0 || rh < 0 || lh != rh)
		return -1;
	if (!rb_is_black(node) &&
	    ((node->rb_left && !rb_is_black(node->rb_left)) || (node->rb_right && !rb_is_black(node->rb_right))))
		return -1; /* red node with a red child */
	end = max3(iv->sector + (iv->size >> 9), left_end, right_end);
	if (iv->end != end)
		return -1;
	*subtree_end = end;
	return lh + (rb_is_black(node) ? 1 : 0);
}

int tdrv_itree_check(struct tdrv_itree *t)
{
	sector_t end;

	if (t->root.rb_node && !rb_is_black(t->root.rb_node))
		return -1;
	return check_node(t->root.rb_node, &end) < 0 ? -1 : 0;
}
