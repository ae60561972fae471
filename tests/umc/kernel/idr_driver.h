/* Plain-C probes of idr.c, over the stand-in walls (helpers.hpp), for
 * idr_test.cpp. */
#ifndef TESTS_UMC_KERNEL_IDR_DRIVER_H
#define TESTS_UMC_KERNEL_IDR_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* idr.c */
struct kd_idr;
struct kd_idr *kd_idr_create(void);
void kd_idr_destroy(struct kd_idr *t);
int kd_idr_alloc(struct kd_idr *t, unsigned long value, int start, int end);
unsigned long kd_idr_find(struct kd_idr *t, unsigned long id);   /* 0: none */
unsigned long kd_idr_remove(struct kd_idr *t, unsigned long id); /* 0: none */
unsigned long kd_idr_get_next(struct kd_idr *t, int *id);        /* 0: none */
int kd_idr_is_empty(struct kd_idr *t);
/* Visits entries with idr_for_each_entry; returns ids in order. */
int kd_idr_ids(struct kd_idr *t, int *ids, int max);

#ifdef __cplusplus
}
#endif
#endif
