/* Plain-C probes of the bio core: allocation, pages, iteration, clones,
 * chaining, on the real umc runtime, for bio_test.cpp. */
#ifndef TESTS_UMC_KERNEL_BIO_DRIVER_H
#define TESTS_UMC_KERNEL_BIO_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* bio core: returns 0 when every step matched, else the failing step. */
int ksd_bio_alloc_add_iterate_clone(void);

/* A parent with two chained children: returns the number of times the
 * parent's bi_end_io ran, times 10, plus its final bi_status. */
int ksd_bio_chain_completion(void);

#ifdef __cplusplus
}
#endif
#endif
