/* ID -> pointer maps.  Ours is a sorted array of (id, pointer) pairs
 * (umc/kernel/lib/idr.c), replaced copy-on-write on every change and
 * published with rcu_assign_pointer, so idr_find/idr_get_next may run under
 * rcu_read_lock() concurrently with a writer (writers serialise among
 * themselves, as in the kernel).  DRBD's idrs hold a few entries (minors,
 * volumes); lookups are O(log n), changes O(n). */
#ifndef _LINUX_IDR_H
#define _LINUX_IDR_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/bug.h>
#include <linux/rcupdate.h>

struct idr_entry {
	unsigned long id;
	void *ptr;
};

struct idr_array {
	unsigned int count;
	struct idr_entry e[];
};

struct idr {
	struct idr_array __rcu *array;  /* NULL when empty */
	unsigned int idr_base;
	unsigned int idr_next;
};

#define IDR_INIT_BASE(name, base) { .array = NULL, .idr_base = (base), .idr_next = 0 }
#define IDR_INIT(name) IDR_INIT_BASE(name, 0)
#define DEFINE_IDR(name) struct idr name = IDR_INIT(name)

static inline void idr_init_base(struct idr *idr, int base)
{
	idr->array = NULL;
	idr->idr_base = base;
	idr->idr_next = 0;
}
static inline void idr_init(struct idr *idr) { idr_init_base(idr, 0); }
static inline bool idr_is_empty(const struct idr *idr) { return rcu_access_pointer(idr->array) == NULL; }
static inline void idr_preload(gfp_t gfp_mask) { (void)gfp_mask; }
static inline void idr_preload_end(void) { }

/* Returns the new id (>= start, < end; end <= 0 means no limit) or
 * -ENOSPC / -ENOMEM. */
int idr_alloc(struct idr *idr, void *ptr, int start, int end, gfp_t gfp);
int idr_alloc_cyclic(struct idr *idr, void *ptr, int start, int end, gfp_t gfp);
void *idr_find(const struct idr *idr, unsigned long id);
/* The entry with the smallest id >= *nextid; stores its id in *nextid. */
void *idr_get_next(struct idr *idr, int *nextid);
void *idr_get_next_ul(struct idr *idr, unsigned long *nextid);
void *idr_replace(struct idr *idr, void *ptr, unsigned long id);
void *idr_remove(struct idr *idr, unsigned long id);
void idr_destroy(struct idr *idr);
int idr_for_each(const struct idr *idr, int (*fn)(int id, void *p, void *data), void *data);

#define idr_for_each_entry(idr, entry, id) \
	for (id = 0; ((entry) = idr_get_next(idr, &(id))) != NULL; id += 1U)
#define idr_for_each_entry_ul(idr, entry, tmp, id) \
	for (tmp = 0, id = 0; ((entry) = idr_get_next_ul(idr, &(id))) != NULL; id += 1UL)
#define idr_for_each_entry_continue(idr, entry, id) \
	for ((entry) = idr_get_next((idr), &(id)); entry; ++id, (entry) = idr_get_next((idr), &(id)))

/* IDA: id allocation without pointers. */
struct ida {
	struct idr idr;
};
#define DEFINE_IDA(name) struct ida name = { IDR_INIT(name) }
static inline void ida_init(struct ida *ida) { idr_init(&ida->idr); }
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, gfp_t gfp);
void ida_free(struct ida *ida, unsigned int id);
void ida_destroy(struct ida *ida);
static inline int ida_alloc(struct ida *ida, gfp_t gfp) { return ida_alloc_range(ida, 0, ~0, gfp); }
#endif
