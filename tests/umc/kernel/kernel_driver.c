// SPDX-License-Identifier: GPL-2.0
/* See kernel_driver.h. */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/seq_file.h>
#include <asm/unaligned.h>
#include <linux/bitmap.h>
#include <linux/idr.h>
#include <linux/blkdev.h>
#include <linux/moduleparam.h>
#include "kernel_driver.h"

int kd_set_bit(unsigned long *w, long nr) { set_bit(nr, w); return test_bit(nr, w); }
int kd_test_and_set_bit(unsigned long *w, long nr) { return test_and_set_bit(nr, w); }
int kd_test_and_clear_bit(unsigned long *w, long nr) { return test_and_clear_bit(nr, w); }
int kd_nonatomic_test_and_set_bit(unsigned long *w, long nr) { return __test_and_set_bit(nr, w); }
int kd_test_and_set_bit_le(void *b, int nr) { return __test_and_set_bit_le(nr, b); }
int kd_test_bit_le(const void *b, int nr) { return test_bit_le(nr, b); }
unsigned long kd_find_next_bit(const unsigned long *w, unsigned long size, unsigned long off) { return find_next_bit(w, size, off); }
unsigned long kd_find_next_zero_bit(const unsigned long *w, unsigned long size, unsigned long off) { return find_next_zero_bit(w, size, off); }
unsigned long kd_find_first_bit(const unsigned long *w, unsigned long size) { return find_first_bit(w, size); }
unsigned long kd_find_last_bit(const unsigned long *w, unsigned long size) { return find_last_bit(w, size); }
unsigned long kd_find_next_bit_le(const void *b, unsigned long size, unsigned long off) { return find_next_bit_le(b, size, off); }
int kd_fls(unsigned x) { return fls(x); }
int kd_ffs(int x) { return ffs(x); }
unsigned long kd_hweight_long(unsigned long w) { return hweight_long(w); }

struct item {
	int v;
	struct list_head node;
	struct hlist_node hnode;
};

static int collect(struct list_head *head, int *out, int max)
{
	struct item *it;
	int n = 0;
	list_for_each_entry(it, head, node) {
		if (n < max)
			out[n] = it->v;
		n++;
	}
	return n;
}

/* Adds vals with list_add_tail, moves the first to the tail, deletes the
 * entry with value 0 (if any) while iterating safely, adds -1 at the head. */
int kd_list_ops(const int *vals, int n, int *out, int max)
{
	struct item items[32], head_item = { .v = -1 };
	struct item *it, *tmp;
	LIST_HEAD(head);
	int i;

	for (i = 0; i < n && i < 32; i++) {
		items[i].v = vals[i];
		list_add_tail(&items[i].node, &head);
	}
	if (!list_empty(&head))
		list_move_tail(head.next, &head);
	list_for_each_entry_safe(it, tmp, &head, node)
		if (it->v == 0)
			list_del(&it->node);
	list_add(&head_item.node, &head);
	return collect(&head, out, max);
}

int kd_list_splice_and_move(int *out, int max)
{
	struct item a[3] = { { .v = 1 }, { .v = 2 }, { .v = 3 } };
	struct item b[2] = { { .v = 10 }, { .v = 20 } };
	LIST_HEAD(la);
	LIST_HEAD(lb);
	int i, n;

	for (i = 0; i < 3; i++)
		list_add_tail(&a[i].node, &la);
	for (i = 0; i < 2; i++)
		list_add_tail(&b[i].node, &lb);
	list_splice_tail_init(&lb, &la);       /* 1 2 3 10 20 */
	if (!list_empty(&lb))
		return -1;
	list_move(&b[1].node, &la);            /* 20 1 2 3 10 */
	n = collect(&la, out, max);
	if (list_first_entry(&la, struct item, node)->v != 20 ||
	    list_last_entry(&la, struct item, node)->v != 10 || !list_is_last(&b[0].node, &la))
		return -2;
	return n;
}

int kd_hlist_ops(int *out, int max)
{
	struct item a[3] = { { .v = 1 }, { .v = 2 }, { .v = 3 } };
	HLIST_HEAD(h);
	struct item *it;
	struct hlist_node *tmp;
	int i, n = 0;

	for (i = 0; i < 3; i++)
		hlist_add_head(&a[i].hnode, &h);  /* 3 2 1 */
	hlist_del_init(&a[1].hnode);              /* 3 1 */
	if (!hlist_unhashed(&a[1].hnode))
		return -1;
	hlist_del_init(&a[1].hnode);              /* harmless twice */
	hlist_for_each_entry_safe(it, tmp, &h, hnode) {
		if (n < max)
			out[n] = it->v;
		n++;
	}
	return n;
}

int kd_list_del_poisons(void)
{
	struct item a = { .v = 1 };
	LIST_HEAD(h);
	list_add(&a.node, &h);
	list_del(&a.node);
	return list_empty(&h) && a.node.next == LIST_POISON1 && a.node.prev == LIST_POISON2;
}

int kd_atomic_sequence(void)
{
	atomic_t a = ATOMIC_INIT(5);
	atomic64_t b = ATOMIC64_INIT(1LL << 40);
	int step = 0;

	step++; if (atomic_read(&a) != 5) return step;
	atomic_inc(&a);
	step++; if (atomic_read(&a) != 6) return step;
	step++; if (atomic_dec_return(&a) != 5) return step;
	step++; if (atomic_sub_and_test(5, &a) != true) return step;
	step++; if (atomic_dec_and_test(&a) != false || atomic_read(&a) != -1) return step;
	step++; if (atomic_add_unless(&a, 1, -1) != false || atomic_read(&a) != -1) return step;
	atomic_set(&a, 0);
	step++; if (atomic_inc_not_zero(&a) != false) return step;
	step++; if (atomic_dec_if_positive(&a) != -1 || atomic_read(&a) != 0) return step;
	step++; if (atomic_xchg(&a, 9) != 0 || atomic_read(&a) != 9) return step;
	step++; if (atomic_cmpxchg(&a, 8, 1) != 9 || atomic_read(&a) != 9) return step;
	step++; if (atomic_cmpxchg(&a, 9, 1) != 9 || atomic_read(&a) != 1) return step;
	step++; if (atomic_fetch_or(6, &a) != 1 || atomic_read(&a) != 7) return step;
	step++; if (atomic64_add_return(1, &b) != (1LL << 40) + 1) return step;
	return 0;
}

static int releases;
static void count_release(struct kref *k) { releases++; }

int kd_kref_release_runs_once(void)
{
	struct kref k;
	int i;

	releases = 0;
	kref_init(&k);
	kref_get(&k);
	kref_get(&k);
	for (i = 0; i < 3; i++)
		kref_put(&k, count_release);
	if (releases != 1 || kref_read(&k) != 0)
		return -1;
	if (kref_get_unless_zero(&k))
		return -2;
	return releases;
}

int kd_cmpxchg_returns_old(void)
{
	unsigned long x = 3;
	unsigned long old = cmpxchg(&x, 3UL, 4UL);
	unsigned long failed = cmpxchg(&x, 3UL, 5UL);
	return old == 3 && failed == 4 && x == 4 && xchg(&x, 7UL) == 4 && x == 7;
}

unsigned kd_cpu_to_be32(unsigned x) { return (__force unsigned)cpu_to_be32(x); }
unsigned long long kd_be64_to_cpu(unsigned long long x) { return be64_to_cpu((__force __be64)x); }
unsigned kd_get_unaligned_be32(const void *p) { return get_unaligned_be32(p); }
unsigned short kd_cpu_to_le16(unsigned short x) { return (__force unsigned short)cpu_to_le16(x); }

long kd_strscpy(char *dst, const char *src, size_t size) { return strscpy(dst, src, size); }
int kd_sysfs_streq(const char *a, const char *b) { return sysfs_streq(a, b); }
char *kd_strim(char *s) { return strim(s); }
int kd_scnprintf(char *buf, size_t size, int value) { return scnprintf(buf, size, "value=%d", value); }
int kd_snprintf(char *buf, size_t size, int value) { return snprintf(buf, size, "value=%d", value); }
char *kd_kasprintf(const char *s, int v) { return kasprintf(GFP_KERNEL, "%s-%d", s, v); }
void kd_kfree(void *p) { kfree(p); }

static int show_lines(struct seq_file *m, void *v)
{
	int i, lines = *(int *)m->private;
	for (i = 0; i < lines; i++)
		seq_printf(m, "%099d\n", i);
	return 0;
}

char *kd_seq_render_lines(int lines, long *len)
{
	return umc_seq_render(show_lines, &lines, NULL, len);
}

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

	if (container_of(&o.c[0], struct outer, c[0]) != &o) return 1;
	if (ARRAY_SIZE(arr) != 5) return 2;
	if (min(3, 4) != 3 || max(3u, u) != 7 || min_t(u64, big, 2) != 2) return 3;
	if (min_not_zero(0, 5) != 5 || min_not_zero(4, 0) != 4 || min_not_zero(4, 3) != 3) return 4;
	if (DIV_ROUND_UP(9, 4) != 3 || ALIGN(9, 8) != 16 || !IS_ALIGNED(4096, 512) || round_up(5, 4) != 8) return 5;
	if (!IS_ERR(ERR_PTR(-EIO)) || PTR_ERR(ERR_PTR(-EIO)) != -EIO || IS_ERR(&o) || !IS_ERR_OR_NULL(NULL)) return 6;
	if (clamp(15, 0, 10) != 10 || abs(-5) != 5) return 7;
	if (ilog2(4096u) != 12 || roundup_pow_of_two(5) != 8 || !is_power_of_2(64)) return 8;
	if (BITS_TO_LONGS(65) != 2 || GENMASK(7, 4) != 0xf0) return 9;
	if (swahw32(0x12345678u) != 0x56781234u) return 10;
	{
		sector_t s = 1001;
		u32 rem = sector_div(s, 10);
		if (s != 100 || rem != 1) return 11;
	}
	if (struct_size(&o, c, 3) != sizeof(o) + 3) return 12;
	return 0;
}

int kd_slab_contract(void)
{
	char *p, *q;
	void *z = kmalloc(0, GFP_KERNEL);

	if (z != ZERO_SIZE_PTR) return 1;
	kfree(z);
	kfree(NULL);
	p = kzalloc(64, GFP_KERNEL);
	if (!p) return 2;
	for (int i = 0; i < 64; i++)
		if (p[i]) return 3;
	memcpy(p, "hello", 6);
	q = krealloc(p, 8192, GFP_KERNEL);
	if (!q || strcmp(q, "hello")) return 4;
	if (ksize(q) < 8192) return 5;
	kfree(q);
	if (kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL) != NULL) return 6; /* overflow refused */
	p = kstrdup("abc", GFP_KERNEL);
	if (!p || strcmp(p, "abc")) return 7;
	kfree(p);
	return 0;
}

static void fill_ctor(void *obj) { memset(obj, 0x5a, 24); }

int kd_kmem_cache_contract(void)
{
	struct kmem_cache *c = kmem_cache_create("kd", 24, 0, 0, fill_ctor);
	unsigned char *o;
	int ok;

	if (!c) return 1;
	if (kmem_cache_size(c) < 24) return 2;
	o = kmem_cache_alloc(c, GFP_KERNEL);
	if (!o) return 3;
	ok = o[0] == 0x5a && o[23] == 0x5a;
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
	return ok ? 0 : 4;
}

int kd_bitmap_parse(const char *s, unsigned long *out, int nbits) { return bitmap_parse(s, UINT_MAX, out, nbits); }
unsigned kd_bitmap_weight(const unsigned long *b, unsigned nbits) { return bitmap_weight(b, nbits); }
int kd_bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned nbits) { return bitmap_and(dst, a, b, nbits); }
int kd_bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned nbits) { return bitmap_equal(a, b, nbits); }
void kd_bitmap_set(unsigned long *map, unsigned start, unsigned len) { bitmap_set(map, start, len); }
void kd_bitmap_clear(unsigned long *map, unsigned start, unsigned len) { bitmap_clear(map, start, len); }

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
unsigned long kd_idr_find(struct kd_idr *t, unsigned long id) { return (unsigned long)idr_find(&t->idr, id); }
unsigned long kd_idr_remove(struct kd_idr *t, unsigned long id) { return (unsigned long)idr_remove(&t->idr, id); }
unsigned long kd_idr_get_next(struct kd_idr *t, int *id) { return (unsigned long)idr_get_next(&t->idr, id); }
int kd_idr_is_empty(struct kd_idr *t) { return idr_is_empty(&t->idr); }
int kd_idr_ids(struct kd_idr *t, int *ids, int max)
{
	void *entry;
	int id, n = 0;

	idr_for_each_entry(&t->idr, entry, id) {
		if (n < max)
			ids[n] = id;
		n++;
	}
	return n;
}

static void to_queue_limits(const struct kd_limits *k, struct queue_limits *q)
{
	blk_set_default_limits(q);
#define SETF(f, from) if (k->from) q->f = k->from
	SETF(logical_block_size, lbs);
	SETF(physical_block_size, pbs);
	SETF(io_min, io_min);
	SETF(io_opt, io_opt);
	SETF(alignment_offset, alignment_offset);
	SETF(max_hw_sectors, max_hw_sectors);
	SETF(max_sectors, max_sectors);
	SETF(max_segments, max_segments);
	SETF(max_discard_sectors, max_discard_sectors);
	SETF(discard_granularity, discard_granularity);
	SETF(max_write_zeroes_sectors, max_write_zeroes_sectors);
#undef SETF
}

int kd_stack_limits(const struct kd_limits *bottoms, int n, unsigned long long start, struct kd_limits *top)
{
	struct queue_limits t, b;
	int i, ret = 0;

	blk_set_stacking_limits(&t);
	for (i = 0; i < n; i++) {
		to_queue_limits(&bottoms[i], &b);
		ret |= blk_stack_limits(&t, &b, start);
	}
	top->lbs = t.logical_block_size;
	top->pbs = t.physical_block_size;
	top->io_min = t.io_min;
	top->io_opt = t.io_opt;
	top->alignment_offset = t.alignment_offset;
	top->max_hw_sectors = t.max_hw_sectors;
	top->max_sectors = t.max_sectors;
	top->max_segments = t.max_segments;
	top->max_discard_sectors = t.max_discard_sectors;
	top->discard_granularity = t.discard_granularity;
	top->max_write_zeroes_sectors = t.max_write_zeroes_sectors;
	top->misaligned = t.misaligned;
	return ret;
}

int kd_blk_status_to_errno(int status) { return blk_status_to_errno((__force blk_status_t)status); }
int kd_errno_to_blk_status(int err) { return (__force int)errno_to_blk_status(err); }

static int kd_count_var = 7;
module_param_named(kd_count, kd_count_var, int, 0644);
static char kd_name_var[16] = "umc";
module_param_string(kd_name, kd_name_var, sizeof(kd_name_var), 0444);

int kd_module_params(void)
{
	unsigned int n, i;
	const struct umc_module_param *p = umc_kernel_module_params(&n);
	int found = 0;

	for (i = 0; i < n; i++) {
		if (!strcmp(p[i].name, "kd_count")) {
			if (p[i].type != UMC_PARAM_INT || p[i].perm != 0644 || *(int *)p[i].value != 7)
				return 1;
			*(int *)p[i].value = 9;
			if (kd_count_var != 9)
				return 2;
			found |= 1;
		}
		if (!strcmp(p[i].name, "kd_name")) {
			if (p[i].type != UMC_PARAM_STRING || p[i].maxlen != 16 || strcmp(p[i].value, "umc"))
				return 3;
			found |= 2;
		}
	}
	return found == 3 ? 0 : 4;
}
