/* Plain-C probes of UMC's header tree and kernel-side C, for kernel_test.cpp.
 * Each function exercises one kernel facility and reports what it saw. */
#ifndef TESTS_UMC_KERNEL_DRIVER_H
#define TESTS_UMC_KERNEL_DRIVER_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* bitops on a bitmap of `nbits` bits held in `words` unsigned longs. */
int kd_set_bit(unsigned long *words, long nr);            /* set_bit; returns test_bit */
int kd_test_and_set_bit(unsigned long *words, long nr);
int kd_test_and_clear_bit(unsigned long *words, long nr);
int kd_nonatomic_test_and_set_bit(unsigned long *words, long nr);
int kd_test_and_set_bit_le(void *bytes, int nr);
int kd_test_bit_le(const void *bytes, int nr);
unsigned long kd_find_next_bit(const unsigned long *words, unsigned long size, unsigned long off);
unsigned long kd_find_next_zero_bit(const unsigned long *words, unsigned long size, unsigned long off);
unsigned long kd_find_first_bit(const unsigned long *words, unsigned long size);
unsigned long kd_find_last_bit(const unsigned long *words, unsigned long size);
unsigned long kd_find_next_bit_le(const void *bytes, unsigned long size, unsigned long off);
int kd_fls(unsigned x);
int kd_ffs(int x);
unsigned long kd_hweight_long(unsigned long w);

/* list.h: builds a list from values, runs an operation, writes the values
 * in list order into out; returns the count. */
int kd_list_ops(const int *vals, int n, int *out, int max);
int kd_list_splice_and_move(int *out, int max);
int kd_hlist_ops(int *out, int max);
int kd_list_del_poisons(void);

/* atomics, refcount, kref */
int kd_atomic_sequence(void);        /* returns 0 when every step matched */
int kd_kref_release_runs_once(void); /* number of release calls after 3 gets/4 puts */
int kd_cmpxchg_returns_old(void);

/* byteorder and unaligned access */
unsigned kd_cpu_to_be32(unsigned x);
unsigned long long kd_be64_to_cpu(unsigned long long x);
unsigned kd_get_unaligned_be32(const void *p);
unsigned short kd_cpu_to_le16(unsigned short x);

/* kernel string helpers */
long kd_strscpy(char *dst, const char *src, size_t size);
int kd_sysfs_streq(const char *a, const char *b);
char *kd_strim(char *s);
int kd_scnprintf(char *buf, size_t size, int value);
int kd_snprintf(char *buf, size_t size, int value);
char *kd_kasprintf(const char *s, int v); /* free with kd_kfree */
void kd_kfree(void *p);

/* seq_file: renders `lines` copies of a 100-character line. */
char *kd_seq_render_lines(int lines, long *len);

/* minmax/math/err/container_of/ARRAY_SIZE checks: 0 when all hold. */
int kd_misc_macros(void);
/* kmalloc(0) is ZERO_SIZE_PTR, kfree of it and of NULL do nothing;
 * kzalloc zeroes; krealloc keeps contents. 0 when all hold. */
int kd_slab_contract(void);
/* kmem_cache objects are at least the cache size, ctor-initialised. */
int kd_kmem_cache_contract(void);

/* bitmap.c */
int kd_bitmap_parse(const char *s, unsigned long *out, int nbits);
unsigned kd_bitmap_weight(const unsigned long *b, unsigned nbits);
int kd_bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned nbits);
int kd_bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned nbits);
void kd_bitmap_set(unsigned long *map, unsigned start, unsigned len);
void kd_bitmap_clear(unsigned long *map, unsigned start, unsigned len);

/* idr.c */
struct kd_idr;
struct kd_idr *kd_idr_create(void);
void kd_idr_destroy(struct kd_idr *t);
int kd_idr_alloc(struct kd_idr *t, unsigned long value, int start, int end);
unsigned long kd_idr_find(struct kd_idr *t, unsigned long id);       /* 0: none */
unsigned long kd_idr_remove(struct kd_idr *t, unsigned long id);     /* 0: none */
unsigned long kd_idr_get_next(struct kd_idr *t, int *id);            /* 0: none */
int kd_idr_is_empty(struct kd_idr *t);
/* Visits entries with idr_for_each_entry; returns ids in order. */
int kd_idr_ids(struct kd_idr *t, int *ids, int max);

/* blk-settings.c: a device's limits (unset fields keep the defaults of
 * blk_set_default_limits) stacked onto a stacking driver's limits. */
struct kd_limits {
	unsigned lbs, pbs, io_min, io_opt, alignment_offset;
	unsigned max_hw_sectors, max_sectors, max_segments;
	unsigned max_discard_sectors, discard_granularity, max_write_zeroes_sectors;
	int misaligned;
};
/* Stacks bottoms[0..n) (at start sector `start`) onto blk_set_stacking_limits;
 * returns the OR of blk_stack_limits' results and fills *top. */
int kd_stack_limits(const struct kd_limits *bottoms, int n, unsigned long long start, struct kd_limits *top);
int kd_blk_status_to_errno(int status);
int kd_errno_to_blk_status(int err);

/* module_param: the driver declares "kd_count" (int, 0644, 7) and
 * "kd_name" (string, 0444, "umc"); returns 0 when umc_module_params lists
 * them with their values, and writing through a record changes the
 * variable. */
int kd_module_params(void);

#ifdef __cplusplus
}
#endif
#endif
