/* Plain-C probes of list.h and hlist, over the stand-in walls (helpers.hpp),
 * for list_test.cpp. */
#ifndef TESTS_UMC_KERNEL_LIST_DRIVER_H
#define TESTS_UMC_KERNEL_LIST_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* list.h: builds a list from values, runs an operation, writes the values
 * in list order into out; returns the count. */
int kd_list_ops(const int *vals, int n, int *out, int max);
int kd_list_splice_and_move(int *out, int max);
int kd_hlist_ops(int *out, int max);
int kd_list_del_poisons(void);

#ifdef __cplusplus
}
#endif
#endif
