/* Plain-C probes of atomics, cmpxchg and kref, over the stand-in walls
 * (helpers.hpp), for atomic_test.cpp. */
#ifndef TESTS_UMC_KERNEL_ATOMIC_DRIVER_H
#define TESTS_UMC_KERNEL_ATOMIC_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* atomics, refcount, kref */
int kd_atomic_sequence(void);        /* returns 0 when every step matched */
int kd_kref_release_runs_once(void); /* number of release calls after 3 gets/4 puts */
int kd_cmpxchg_returns_old(void);

#ifdef __cplusplus
}
#endif
#endif
