/* Plain-C probes of mutexes and spinlocks under contention, on the real umc
 * runtime, for locking_test.cpp. */
#ifndef TESTS_UMC_KERNEL_LOCKING_DRIVER_H
#define TESTS_UMC_KERNEL_LOCKING_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* n kthreads add 1 `iterations` times each under a mutex / spinlock. */
long ksd_mutex_counter(int n, int iterations);
long ksd_spinlock_counter(int n, int iterations);

#ifdef __cplusplus
}
#endif
#endif
