/* Plain-C face of lib/lru_cache.c for the C++ tests (which must not see
 * UMC's Linux headers).  Elements are named by their index in the cache;
 * -1 means "NULL was returned". */
#ifndef TESTS_DRBD_SHIM_LRU_CACHE_DRIVER_H
#define TESTS_DRBD_SHIM_LRU_CACHE_DRIVER_H
#ifdef __cplusplus
extern "C" {
#endif

struct tdrv_lc;
#define TDRV_LC_FREE (-1)

struct tdrv_lc *tdrv_lc_create(const char *name, unsigned max_pending_changes, unsigned e_count);
void tdrv_lc_destroy(struct tdrv_lc *t);
int tdrv_lc_get(struct tdrv_lc *t, unsigned enr);
int tdrv_lc_get_cumulative(struct tdrv_lc *t, unsigned enr);
int tdrv_lc_try_get(struct tdrv_lc *t, unsigned enr);
int tdrv_lc_find(struct tdrv_lc *t, unsigned enr);
int tdrv_lc_is_used(struct tdrv_lc *t, unsigned enr);
/* Returns the new reference count. */
unsigned tdrv_lc_put(struct tdrv_lc *t, int index);
void tdrv_lc_committed(struct tdrv_lc *t);
void tdrv_lc_del(struct tdrv_lc *t, int index);
void tdrv_lc_reset(struct tdrv_lc *t);
int tdrv_lc_try_lock(struct tdrv_lc *t);
int tdrv_lc_try_lock_for_transaction(struct tdrv_lc *t);
void tdrv_lc_unlock(struct tdrv_lc *t);
/* Element fields: committed label, label being changed to, refcount. */
long tdrv_lc_number(struct tdrv_lc *t, int index);
long tdrv_lc_new_number(struct tdrv_lc *t, int index);
unsigned tdrv_lc_refcnt(struct tdrv_lc *t, int index);
unsigned tdrv_lc_used(struct tdrv_lc *t);
int tdrv_lc_starving(struct tdrv_lc *t);
int tdrv_lc_dirty(struct tdrv_lc *t);
/* lc_seq_printf_stats() rendered through seq_file; free with tdrv_free. */
char *tdrv_lc_stats(struct tdrv_lc *t);
void tdrv_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
