// SPDX-License-Identifier: GPL-2.0
/* Test driver: the unmodified lib/lru_cache.c seen through plain C. */
#include <linux/lru_cache.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include "lru_cache_driver.h"

struct tdrv_lc {
	struct kmem_cache *cache;
	struct lru_cache *lc;
};

struct tdrv_lc *tdrv_lc_create(const char *name, unsigned max_pending_changes, unsigned e_count)
{
	struct tdrv_lc *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->cache = kmem_cache_create("tdrv_lc", sizeof(struct lc_element), 0, 0, NULL);
	t->lc = lc_create(name, t->cache, max_pending_changes, e_count, sizeof(struct lc_element), 0);
	if (!t->lc) {
		kmem_cache_destroy(t->cache);
		kfree(t);
		return NULL;
	}
	return t;
}

void tdrv_lc_destroy(struct tdrv_lc *t)
{
	lc_destroy(t->lc);
	kmem_cache_destroy(t->cache);
	kfree(t);
}

static int index_of(struct tdrv_lc *t, struct lc_element *e)
{
	return e ? (int)e->lc_index : -1;
}

int tdrv_lc_get(struct tdrv_lc *t, unsigned enr)
{
	return index_of(t, lc_get(t->lc, enr));
}
int tdrv_lc_get_cumulative(struct tdrv_lc *t, unsigned enr)
{
	return index_of(t, lc_get_cumulative(t->lc, enr));
}
int tdrv_lc_try_get(struct tdrv_lc *t, unsigned enr)
{
	return index_of(t, lc_try_get(t->lc, enr));
}
int tdrv_lc_find(struct tdrv_lc *t, unsigned enr)
{
	return index_of(t, lc_find(t->lc, enr));
}
int tdrv_lc_is_used(struct tdrv_lc *t, unsigned enr)
{
	return lc_is_used(t->lc, enr);
}
unsigned tdrv_lc_put(struct tdrv_lc *t, int index)
{
	return lc_put(t->lc, lc_element_by_index(t->lc, index));
}
void tdrv_lc_committed(struct tdrv_lc *t)
{
	lc_committed(t->lc);
}
void tdrv_lc_del(struct tdrv_lc *t, int index)
{
	lc_del(t->lc, lc_element_by_index(t->lc, index));
}
void tdrv_lc_reset(struct tdrv_lc *t)
{
	lc_reset(t->lc);
}
int tdrv_lc_try_lock(struct tdrv_lc *t)
{
	return lc_try_lock(t->lc);
}
int tdrv_lc_try_lock_for_transaction(struct tdrv_lc *t)
{
	return lc_try_lock_for_transaction(t->lc);
}
void tdrv_lc_unlock(struct tdrv_lc *t)
{
	lc_unlock(t->lc);
}

static long label(unsigned int n)
{
	return n == LC_FREE ? TDRV_LC_FREE : (long)n;
}
long tdrv_lc_number(struct tdrv_lc *t, int index)
{
	return label(lc_element_by_index(t->lc, index)->lc_number);
}
long tdrv_lc_new_number(struct tdrv_lc *t, int index)
{
	return label(lc_element_by_index(t->lc, index)->lc_new_number);
}
unsigned tdrv_lc_refcnt(struct tdrv_lc *t, int index)
{
	return lc_element_by_index(t->lc, index)->refcnt;
}
unsigned tdrv_lc_used(struct tdrv_lc *t)
{
	return t->lc->used;
}
int tdrv_lc_starving(struct tdrv_lc *t)
{
	return test_bit(__LC_STARVING, &t->lc->flags);
}
int tdrv_lc_dirty(struct tdrv_lc *t)
{
	return test_bit(__LC_DIRTY, &t->lc->flags);
}

static int show_stats(struct seq_file *m, void *v)
{
	lc_seq_printf_stats(m, m->private);
	return 0;
}

char *tdrv_lc_stats(struct tdrv_lc *t)
{
	long len;
	return umc_seq_render(show_stats, t->lc, NULL, &len);
}

void tdrv_free(void *p)
{
	kvfree(p);
}
