/* Plain-C face of drbd_interval.c (DRBD's augmented interval rbtree). */
#ifndef TESTS_DRBD_SHIM_INTERVAL_DRIVER_H
#define TESTS_DRBD_SHIM_INTERVAL_DRIVER_H
#ifdef __cplusplus
extern "C" {
#endif

struct tdrv_itree;
struct tdrv_itree *tdrv_itree_create(unsigned capacity);
void tdrv_itree_destroy(struct tdrv_itree *t);
/* Interval slot `id` := [sector, sector + bytes/512); returns insert's result. */
int tdrv_itree_insert(struct tdrv_itree *t, unsigned id, unsigned long long sector, unsigned bytes);
/* Re-inserting the very same interval object (must be refused). */
int tdrv_itree_reinsert(struct tdrv_itree *t, unsigned id);
void tdrv_itree_remove(struct tdrv_itree *t, unsigned id);
int tdrv_itree_contains(struct tdrv_itree *t, unsigned id);
int tdrv_itree_empty_node(struct tdrv_itree *t, unsigned id);
/* Ids of all intervals overlapping [sector, sector + bytes/512), in the
 * order drbd_for_each_overlap visits them; returns how many (<= max). */
unsigned tdrv_itree_overlaps(struct tdrv_itree *t, unsigned long long sector, unsigned bytes, unsigned *ids,
			     unsigned max);
/* Checks the augmented invariant (every node's end = max end of its
 * subtree) and the red-black properties; returns 0 if they hold. */
int tdrv_itree_check(struct tdrv_itree *t);

#ifdef __cplusplus
}
#endif
#endif
